import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '@sillage/identity';
import { IssuanceKeys } from './issuance-keys';

@ApiTags('issuance')
@Controller('v1/issuance')
export class IssuanceKeysController {
  constructor(private readonly keys: IssuanceKeys) {}

  @Get('keys')
  @Public()
  @Header('Cache-Control', 'public, max-age=3600')
  @ApiOperation({
    summary:
      'Public keys (JWKS) that verify voucher QR tokens offline (ES256, by kid); retired keys stay listed while printed vouchers use them',
  })
  @ApiOkResponse({ description: '{"keys":[{"kty":"EC","crv":"P-256","x":…,"y":…,"kid":…,"alg":"ES256","use":"sig"}]}' })
  jwks() {
    return this.keys.jwks();
  }
}

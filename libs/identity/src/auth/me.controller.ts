import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow } from '../access/allow.decorator';
import { CurrentPrincipal } from '../access/current-principal.decorator';
import { Principal } from '../access/principal';
import { MeDto } from './dto/me.dto';
import { MeService } from './me.service';

@ApiTags('auth')
@ApiBearerAuth()
@Controller('v1/me')
export class MeController {
  constructor(private readonly me: MeService) {}

  @Get()
  @Allow({ apiKeys: true })
  @ApiOperation({ summary: 'Who am I: the calling user or API key, its role and organisation' })
  @ApiOkResponse({ type: MeDto })
  async get(@CurrentPrincipal() principal: Principal): Promise<MeDto> {
    return this.me.me(principal);
  }
}

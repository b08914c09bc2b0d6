import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '@sillage/common';
import { Allow, CurrentPrincipal, Principal, RequestId } from '@sillage/identity';
import { RedemptionBatchService } from './redemption-batch.service';
import { BatchResultDto, RedemptionBatchDto } from './dto/batch.dto';

@ApiTags('redemption')
@ApiBearerAuth()
@Controller('v1/redemptions')
export class RedemptionBatchController {
  constructor(private readonly batches: RedemptionBatchService) {}

  @Post('batch')
  @HttpCode(200)
  @Allow({ kinds: ['site'], roles: ['admin', 'agent'], apiKeys: true })
  @ApiOperation({
    summary:
      'Sync up to 500 scans captured offline, each with its own idempotency key: per-item results in request order (redeemed, incident or refused); re-sending is safe',
  })
  @ApiOkResponse({ type: BatchResultDto })
  @ApiProblems(400, 401, 403, 413)
  batch(
    @CurrentPrincipal() principal: Principal,
    @Body() body: RedemptionBatchDto,
    @RequestId() requestId?: string,
  ): Promise<BatchResultDto> {
    return this.batches.process(principal, body.items, requestId);
  }
}

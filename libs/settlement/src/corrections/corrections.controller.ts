import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '@sillage/common';
import { Allow, CurrentPrincipal, Principal, RequestId } from '@sillage/identity';
import { CorrectionDto, CorrectionPageDto, CreateCorrectionDto, ListCorrectionsQueryDto } from './dto/correction.dto';
import { CorrectionsService } from './corrections.service';

@ApiTags('settlement')
@ApiBearerAuth()
@Controller('v1')
export class CorrectionsController {
  constructor(private readonly corrections: CorrectionsService) {}

  @Post('settlement-corrections')
  @Allow({ kinds: ['operator'], roles: ['admin', 'finance'] })
  @ApiOperation({
    summary: 'Record what a site owes back (overpayment, or a settled service found fraudulent): deducted from its next statements',
    description:
      'Never an edit of an issued statement. When the next statement owes the site less, the rest is carried as a receivable ' +
      'to the one after. A fraud names the settled redemption (once per redemption: 409 CORRECTION_EXISTS; not yet settled: 409 NOT_SETTLED).',
  })
  @ApiCreatedResponse({ type: CorrectionDto })
  @ApiProblems(400, 401, 403, 404, 409)
  create(@CurrentPrincipal() principal: Principal, @Body() body: CreateCorrectionDto, @RequestId() requestId?: string) {
    return this.corrections.create(principal, body, requestId);
  }

  @Get('settlement-corrections')
  @Allow({ kinds: ['operator', 'site'], roles: ['admin', 'finance'] })
  @ApiOperation({ summary: 'Corrections, newest first: the operator sees all (filter by site, open or deducted), a site its own' })
  @ApiOkResponse({ type: CorrectionPageDto })
  @ApiProblems(400, 401, 403)
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListCorrectionsQueryDto) {
    return this.corrections.list(principal, query);
  }
}

import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiProblems, PageQueryDto } from '@sillage/common';
import { Allow, CurrentPrincipal, Principal, RequestId } from '@sillage/identity';
import { SiteDto } from '../profiles/dto/site.dto';
import { SITE_ID } from '../profiles/site-profiles.controller';
import { QualificationDecisionDto } from './dto/qualification-decision.dto';
import { QualificationHistoryPageDto } from './dto/qualification-history-page.dto';
import { QualificationService } from './qualification.service';

@ApiTags('sites')
@ApiBearerAuth()
@Controller('v1/sites')
export class QualificationController {
  constructor(private readonly qualification: QualificationService) {}

  @Post(':id/application')
  @HttpCode(200)
  @Allow({ kinds: ['site'], roles: ['admin'] })
  @ApiOperation({
    summary: 'Apply for qualification: draft → applied (site admin)',
    description:
      'Needs a complete profile: the organisation’s SIRET, at least one active service category and an accepted charter ' +
      '(422 PROFILE_INCOMPLETE lists what is missing). A site that already applied, or was revoked, gets 409.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: SiteDto })
  @ApiProblems(401, 403, 404, 409)
  @ApiResponse({
    status: 422,
    description: 'PROFILE_INCOMPLETE: `errors` names each missing item',
    content: { 'application/problem+json': { schema: { type: 'object' } } },
  })
  apply(@CurrentPrincipal() principal: Principal, @Param('id', SITE_ID) id: string, @RequestId() requestId?: string) {
    return this.qualification.apply(principal, id, requestId);
  }

  @Post(':id/qualification')
  @HttpCode(200)
  @Allow({ kinds: ['operator'], roles: ['admin'] })
  @ApiOperation({
    summary: 'Decide about a site: qualify (with a label), suspend or revoke (operator admin)',
    description:
      'Transitions: applied → qualified, qualified → qualified (label renewal), qualified → suspended, suspended → qualified, ' +
      'applied | qualified | suspended → revoked; anything else 409 QUALIFICATION_TRANSITION_INVALID. A qualified decision needs ' +
      'labelName, labelValidFrom ≤ labelValidUntil, not already over (400 LABEL_RANGE_INVALID). The first qualification opens ' +
      'the site’s payable ledger account.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: SiteDto })
  @ApiProblems(400, 401, 403, 404, 409)
  decide(
    @CurrentPrincipal() principal: Principal,
    @Param('id', SITE_ID) id: string,
    @Body() body: QualificationDecisionDto,
    @RequestId() requestId?: string,
  ) {
    return this.qualification.decide(principal, id, body, requestId);
  }

  @Get(':id/qualification-history')
  @Allow({ kinds: ['operator', 'site'], apiKeys: true })
  @ApiOperation({ summary: 'The site’s application and the operator’s decisions, oldest first (the site itself, the operator)' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: QualificationHistoryPageDto })
  @ApiProblems(400, 401, 404)
  history(@CurrentPrincipal() principal: Principal, @Param('id', SITE_ID) id: string, @Query() query: PageQueryDto) {
    return this.qualification.list(principal, id, query);
  }
}

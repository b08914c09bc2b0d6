import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '@sillage/common';
import { Allow, CurrentPrincipal, ParseIdPipe, Principal, RequestId } from '@sillage/identity';
import { IncidentsService } from './incidents.service';
import { IncidentDto, IncidentPageDto, ListIncidentsQueryDto, ResolveIncidentDto } from './dto/incident.dto';

@ApiTags('redemption')
@ApiBearerAuth()
@Controller('v1/incidents')
export class IncidentsController {
  constructor(private readonly incidents: IncidentsService) {}

  @Get()
  @Allow({ kinds: ['operator', 'site'], apiKeys: true })
  @ApiOperation({
    summary:
      'Redemption incidents (late or conflicting offline scans): a site’s own, all for the operator; filters by status, site, period',
  })
  @ApiOkResponse({ type: IncidentPageDto })
  @ApiProblems(400, 401)
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListIncidentsQueryDto) {
    return this.incidents.list(principal, query);
  }

  @Get(':id')
  @Allow({ kinds: ['operator', 'site'], apiKeys: true })
  @ApiOperation({ summary: 'One redemption incident' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: IncidentDto })
  @ApiProblems(401, 404)
  get(@CurrentPrincipal() principal: Principal, @Param('id', new ParseIdPipe('incident')) id: string): Promise<IncidentDto> {
    return this.incidents.get(principal, id);
  }

  @Post(':id/resolve')
  @HttpCode(200)
  @Allow({ kinds: ['operator'], roles: ['admin'] })
  @ApiOperation({
    summary:
      'Accept (a correction line on the site’s next statement, charged to the order) or reject an open incident, with a reason code; audited',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: IncidentDto })
  @ApiProblems(400, 401, 403, 404, 409)
  resolve(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseIdPipe('incident')) id: string,
    @Body() body: ResolveIncidentDto,
    @RequestId() requestId?: string,
  ): Promise<IncidentDto> {
    return this.incidents.resolve(principal, id, body, requestId);
  }
}

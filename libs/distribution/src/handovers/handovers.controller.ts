import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '@sillage/common';
import { Allow, CurrentPrincipal, ParseIdPipe, Principal, RequestId } from '@sillage/identity';
import { CreateHandoverDto, HandoverDto, HandoverPageDto, ListHandoversQueryDto, ReturnHandoverDto } from './dto/handover.dto';
import { HandoversService } from './handovers.service';

@ApiTags('distribution')
@ApiBearerAuth()
@Controller('v1/handovers')
export class HandoversController {
  constructor(private readonly handovers: HandoversService) {}

  @Post()
  @Allow({ kinds: ['distributor'], roles: ['admin', 'agent'], apiKeys: true })
  @ApiOperation({
    summary:
      'Hand a booklet of your stock to a beneficiary: reporting profile (age band, commune, public category), contact only with consent',
  })
  @ApiCreatedResponse({ type: HandoverDto })
  @ApiProblems(400, 401, 403, 409)
  create(@CurrentPrincipal() principal: Principal, @Body() body: CreateHandoverDto, @RequestId() requestId?: string) {
    return this.handovers.create(principal, body, requestId);
  }

  @Get()
  @Allow({ kinds: ['operator', 'funder', 'distributor'], apiKeys: true })
  @ApiOperation({ summary: 'Hand-overs: a distributor’s own (with beneficiary ids), a funder’s orders’ (without), all for the operator' })
  @ApiOkResponse({ type: HandoverPageDto })
  @ApiProblems(400, 401)
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListHandoversQueryDto) {
    return this.handovers.list(principal, query);
  }

  @Post(':id/return')
  @HttpCode(200)
  @Allow({ kinds: ['operator', 'distributor'], roles: ['admin', 'agent'] })
  @ApiOperation({ summary: 'Return a handed-over booklet to stock (recorded in error, not collected…); refused once a voucher was used' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: HandoverDto })
  @ApiProblems(400, 401, 403, 404, 409)
  return(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseIdPipe('hand-over')) id: string,
    @Body() body: ReturnHandoverDto,
    @RequestId() requestId?: string,
  ) {
    return this.handovers.return(principal, id, body, requestId);
  }
}

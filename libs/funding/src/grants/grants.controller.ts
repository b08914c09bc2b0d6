import { ApiProblems } from '@sillage/common';
import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Allow, CurrentPrincipal, ParseIdPipe, Principal, RequestId } from '@sillage/identity';
import { AmendmentListDto } from './dto/amendment-list.dto';
import { AmendmentDto } from './dto/amendment.dto';
import { CreateAmendmentDto } from './dto/create-amendment.dto';
import { CreateGrantDto } from './dto/create-grant.dto';
import { GrantPageDto } from './dto/grant-page.dto';
import { GrantDto } from './dto/grant.dto';
import { ListGrantsQueryDto } from './dto/list-grants.query.dto';
import { GrantsService } from './grants.service';

@ApiTags('funding')
@ApiBearerAuth()
@Controller()
export class GrantsController {
  constructor(private readonly grants: GrantsService) {}

  @Post('v1/programmes/:id/grants')
  @Allow({ kinds: ['operator'], roles: ['admin'] })
  @ApiOperation({ summary: 'Award a grant of the programme to a funder (operator admin); rate at most the programme maximum' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiCreatedResponse({ type: GrantDto })
  @ApiProblems(400, 401, 403, 404, 413)
  create(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseIdPipe('programme')) programmeId: string,
    @Body() body: CreateGrantDto,
    @RequestId() requestId?: string,
  ) {
    return this.grants.create(principal, programmeId, body, requestId);
  }

  @Get('v1/programmes/:id/grants')
  @Allow({ kinds: ['operator', 'funder'], apiKeys: true })
  @ApiOperation({ summary: 'A programme’s grants: all for the operator; the caller’s own for a funder' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: GrantPageDto })
  @ApiProblems(400, 401, 404)
  list(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseIdPipe('programme')) programmeId: string,
    @Query() query: ListGrantsQueryDto,
  ) {
    return this.grants.listForProgramme(principal, programmeId, query);
  }

  @Get('v1/grants/:id')
  @Allow({ kinds: ['operator', 'funder'], apiKeys: true })
  @ApiOperation({ summary: 'A grant with its current amount and end date' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: GrantDto })
  @ApiProblems(401, 404)
  get(@CurrentPrincipal() principal: Principal, @Param('id', new ParseIdPipe('grant')) id: string) {
    return this.grants.get(principal, id);
  }

  @Post('v1/grants/:id/amendments')
  @Allow({ kinds: ['operator'], roles: ['admin'] })
  @ApiOperation({ summary: 'Amend a grant: new end date and/or amount, dated, with a reason code (operator admin)' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiCreatedResponse({ type: AmendmentDto })
  @ApiProblems(400, 401, 403, 404, 413)
  amend(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseIdPipe('grant')) id: string,
    @Body() body: CreateAmendmentDto,
    @RequestId() requestId?: string,
  ) {
    return this.grants.amend(principal, id, body, requestId);
  }

  @Get('v1/grants/:id/amendments')
  @Allow({ kinds: ['operator', 'funder'], apiKeys: true })
  @ApiOperation({ summary: 'A grant’s history: its current state and every amendment, oldest first' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: AmendmentListDto })
  @ApiProblems(401, 404)
  history(@CurrentPrincipal() principal: Principal, @Param('id', new ParseIdPipe('grant')) id: string) {
    return this.grants.history(principal, id);
  }
}

import { ApiProblems } from '@sillage/common';
import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Allow } from '../access/allow.decorator';
import { CurrentPrincipal } from '../access/current-principal.decorator';
import { Principal } from '../access/principal';
import { ParseIdPipe, RequestId } from './directory-support';
import { CreateOrganisationDto } from './dto/create-organisation.dto';
import { ListOrganisationsQueryDto } from './dto/list-organisations.query.dto';
import { OrganisationPageDto } from './dto/organisation-page.dto';
import { OrganisationDto } from './dto/organisation.dto';
import { UpdateOrganisationDto } from './dto/update-organisation.dto';
import { OrganisationsService } from './organisations.service';

@ApiTags('organisations')
@ApiBearerAuth()
@Controller('v1/organisations')
export class OrganisationsController {
  constructor(private readonly organisations: OrganisationsService) {}

  @Post()
  @Allow({ kinds: ['operator'], roles: ['admin'] })
  @ApiOperation({ summary: 'Register a funder, distributor and/or site (operator admin)' })
  @ApiCreatedResponse({ type: OrganisationDto })
  @ApiProblems(400, 401, 403, 404, 409, 413)
  create(@CurrentPrincipal() principal: Principal, @Body() body: CreateOrganisationDto, @RequestId() requestId?: string) {
    return this.organisations.create(principal, body, requestId);
  }

  @Get()
  @Allow({ apiKeys: true })
  @ApiOperation({ summary: 'Organisations the caller may see: the operator sees all; others themselves and their partners' })
  @ApiOkResponse({ type: OrganisationPageDto })
  @ApiProblems(400, 401)
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListOrganisationsQueryDto) {
    return this.organisations.list(principal, query);
  }

  @Get(':id')
  @Allow({ apiKeys: true })
  @ApiOperation({ summary: 'One organisation (404 outside the caller’s relationships, or for a malformed id)' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: OrganisationDto })
  @ApiProblems(401, 404)
  get(@CurrentPrincipal() principal: Principal, @Param('id', new ParseIdPipe('organisation')) id: string) {
    return this.organisations.get(principal, id);
  }

  @Patch(':id')
  @Allow({ roles: ['admin'] })
  @ApiOperation({
    summary: 'Change an organisation',
    description: 'Operator admin: every field. The organisation’s own admin: legalName and address only (403 on other fields).',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: OrganisationDto })
  @ApiProblems(400, 401, 403, 404, 409, 413)
  update(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseIdPipe('organisation')) id: string,
    @Body() body: UpdateOrganisationDto,
    @RequestId() requestId?: string,
  ) {
    return this.organisations.update(principal, id, body, requestId);
  }
}

import { ApiProblems } from '@sillage/common';
import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Allow, CurrentPrincipal, ParseIdPipe, Principal, RequestId } from '@sillage/identity';
import { AnnouncementDto } from './dto/announcement.dto';
import { CreateAnnouncementDto } from './dto/create-announcement.dto';
import { CreatePolicyDto } from './dto/create-policy.dto';
import { ListPoliciesQueryDto } from './dto/list-policies.query.dto';
import { PolicyPageDto } from './dto/policy-page.dto';
import { PolicyDto } from './dto/policy.dto';
import { UpdatePolicyDto } from './dto/update-policy.dto';
import { PublishPolicyDto } from './dto/publish-policy.dto';
import { PoliciesService } from './policies.service';

@ApiTags('funding')
@ApiBearerAuth()
@Controller('v1/policies')
export class PoliciesController {
  constructor(private readonly policies: PoliciesService) {}

  @Post()
  @Allow({ kinds: ['operator'], roles: ['admin'] })
  @ApiOperation({ summary: 'Create a policy (operator admin)' })
  @ApiCreatedResponse({ type: PolicyDto })
  @ApiProblems(400, 401, 403, 404, 413)
  create(@CurrentPrincipal() principal: Principal, @Body() body: CreatePolicyDto, @RequestId() requestId?: string) {
    return this.policies.create(principal, body, requestId);
  }

  @Get()
  @Allow({ kinds: ['operator', 'funder'], apiKeys: true })
  @ApiOperation({ summary: 'Policies: all for the operator; those under which the caller holds a grant for a funder' })
  @ApiOkResponse({ type: PolicyPageDto })
  @ApiProblems(400, 401, 404)
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListPoliciesQueryDto) {
    return this.policies.list(principal, query);
  }

  @Get(':id')
  @Allow({ kinds: ['operator', 'funder'], apiKeys: true })
  @ApiOperation({ summary: 'A policy with its announcements' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: PolicyDto })
  @ApiProblems(401, 404)
  get(@CurrentPrincipal() principal: Principal, @Param('id', new ParseIdPipe('policy')) id: string) {
    return this.policies.get(principal, id);
  }

  @Patch(':id')
  @Allow({ kinds: ['operator'], roles: ['admin'] })
  @ApiOperation({ summary: 'Change a policy’s name or description (operator admin)' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: PolicyDto })
  @ApiProblems(400, 401, 403, 404, 413)
  update(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseIdPipe('policy')) id: string,
    @Body() body: UpdatePolicyDto,
    @RequestId() requestId?: string,
  ) {
    return this.policies.update(principal, id, body, requestId);
  }

  @Post(':id/announcements')
  @Allow({ kinds: ['operator'], roles: ['admin'] })
  @ApiOperation({ summary: 'Record a public announcement of the policy: an amount or a min–max range (operator admin)' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiCreatedResponse({ type: AnnouncementDto })
  @ApiProblems(400, 401, 403, 404, 413)
  announce(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseIdPipe('policy')) id: string,
    @Body() body: CreateAnnouncementDto,
    @RequestId() requestId?: string,
  ) {
    return this.policies.addAnnouncement(principal, id, body, requestId);
  }

  @Post(':id/publish')
  @HttpCode(200)
  @Allow({ kinds: ['operator'], roles: ['admin'] })
  @ApiOperation({ summary: 'Publish the policy: its transparency report answers without login at its slug (operator admin)' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: PolicyDto })
  @ApiProblems(400, 401, 403, 404, 409)
  publish(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseIdPipe('policy')) id: string,
    @Body() body: PublishPolicyDto,
    @RequestId() requestId?: string,
  ) {
    return this.policies.setPublished(principal, id, body.slug, requestId);
  }

  @Post(':id/unpublish')
  @HttpCode(200)
  @Allow({ kinds: ['operator'], roles: ['admin'] })
  @ApiOperation({ summary: 'Withdraw the public transparency report (operator admin); the slug stays the policy’s' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: PolicyDto })
  @ApiProblems(401, 403, 404)
  unpublish(@CurrentPrincipal() principal: Principal, @Param('id', new ParseIdPipe('policy')) id: string, @RequestId() requestId?: string) {
    return this.policies.setPublished(principal, id, null, requestId);
  }
}

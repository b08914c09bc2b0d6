import { ApiProblems } from '@sillage/common';
import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Allow } from '../access/allow.decorator';
import { CurrentPrincipal } from '../access/current-principal.decorator';
import { Principal } from '../access/principal';
import { ParseIdPipe, RequestId } from '../organisations/directory-support';
import { CreateUserDto } from './dto/create-user.dto';
import { CreatedUserDto } from './dto/created-user.dto';
import { ListUsersQueryDto } from './dto/list-users.query.dto';
import { SetPasswordLinkDto } from './dto/set-password-link.dto';
import { UpdateUserDto } from './dto/update-user.dto';
import { UserPageDto } from './dto/user-page.dto';
import { UserDto } from './dto/user.dto';
import { UsersService } from './users.service';

/**
 * Managing users is for people: API keys never reach these routes (403). Admins manage their own
 * organisation's users; the operator's admin any organisation's; the operator's DPO may read them.
 */
@ApiTags('users')
@ApiBearerAuth()
@Controller('v1/users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Post()
  @Allow({ roles: ['admin'] })
  @ApiOperation({
    summary: 'Invite a user (admin)',
    description:
      'The user is created `invited`, without a password. The response carries a one-time set-password link for the admin, shown once; an email with its own link is queued.',
  })
  @ApiCreatedResponse({ type: CreatedUserDto })
  @ApiProblems(400, 401, 403, 404, 409, 413)
  create(@CurrentPrincipal() principal: Principal, @Body() body: CreateUserDto, @RequestId() requestId?: string) {
    return this.users.create(principal, body, requestId);
  }

  @Get()
  @Allow({ roles: ['admin', 'dpo'] })
  @ApiOperation({ summary: 'Users of the caller’s organisation (the operator: every organisation, or the one in `organisationId`)' })
  @ApiOkResponse({ type: UserPageDto })
  @ApiProblems(400, 401, 403)
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListUsersQueryDto) {
    return this.users.list(principal, query);
  }

  @Get(':id')
  @Allow({ roles: ['admin', 'dpo'] })
  @ApiOperation({ summary: 'One user (404 outside the caller’s organisation, unless operator)' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: UserDto })
  @ApiProblems(401, 403, 404)
  get(@CurrentPrincipal() principal: Principal, @Param('id', new ParseIdPipe('user')) id: string) {
    return this.users.get(principal, id);
  }

  @Patch(':id')
  @Allow({ roles: ['admin'] })
  @ApiOperation({ summary: 'Change a user’s role, display name or status (admin)' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: UserDto })
  @ApiProblems(400, 401, 403, 404, 413)
  update(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseIdPipe('user')) id: string,
    @Body() body: UpdateUserDto,
    @RequestId() requestId?: string,
  ) {
    return this.users.update(principal, id, body, requestId);
  }

  @Post(':id/set-password-link')
  @Allow({ roles: ['admin'] })
  @ApiOperation({ summary: 'Issue a new one-time set-password link for the admin to hand over (admin)' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiCreatedResponse({ type: SetPasswordLinkDto })
  @ApiProblems(401, 403, 404, 409)
  issueSetPasswordLink(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseIdPipe('user')) id: string,
    @RequestId() requestId?: string,
  ) {
    return this.users.issueSetPasswordLink(principal, id, requestId);
  }
}

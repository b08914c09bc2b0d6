import { ApiProblems } from '@sillage/common';
import { Body, Controller, Delete, Get, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Allow } from '../access/allow.decorator';
import { CurrentPrincipal } from '../access/current-principal.decorator';
import { Principal } from '../access/principal';
import { ParseIdPipe, RequestId } from '../organisations/directory-support';
import { ApiKeysService } from './api-keys.service';
import { ApiKeyPageDto } from './dto/api-key-page.dto';
import { ApiKeyDto } from './dto/api-key.dto';
import { CreateApiKeyDto } from './dto/create-api-key.dto';
import { CreatedApiKeyDto } from './dto/created-api-key.dto';
import { ListApiKeysQueryDto } from './dto/list-api-keys.query.dto';

/** API keys of the caller's organisation, managed by its admins (people only: keys get 403 here). */
@ApiTags('api-keys')
@ApiBearerAuth()
@Controller('v1/api-keys')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  @Post()
  @Allow({ roles: ['admin'] })
  @ApiOperation({ summary: 'Create an API key for a device or integration (admin); the secret is shown once' })
  @ApiCreatedResponse({ type: CreatedApiKeyDto })
  @ApiProblems(400, 401, 403, 413)
  create(@CurrentPrincipal() principal: Principal, @Body() body: CreateApiKeyDto, @RequestId() requestId?: string) {
    return this.keys.create(principal, body, requestId);
  }

  @Get()
  @Allow({ roles: ['admin'] })
  @ApiOperation({ summary: 'The organisation’s API keys, without secrets (admin)' })
  @ApiOkResponse({ type: ApiKeyPageDto })
  @ApiProblems(400, 401, 403)
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListApiKeysQueryDto) {
    return this.keys.list(principal, query);
  }

  @Delete(':id')
  @Allow({ roles: ['admin'] })
  @ApiOperation({ summary: 'Revoke an API key (admin); idempotent' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: ApiKeyDto })
  @ApiProblems(401, 403, 404)
  revoke(@CurrentPrincipal() principal: Principal, @Param('id', new ParseIdPipe('API key')) id: string, @RequestId() requestId?: string) {
    return this.keys.revoke(principal, id, requestId);
  }
}

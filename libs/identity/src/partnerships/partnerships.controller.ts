import { ApiProblems } from '@sillage/common';
import { Body, Controller, Delete, Get, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Allow } from '../access/allow.decorator';
import { CurrentPrincipal } from '../access/current-principal.decorator';
import { Principal } from '../access/principal';
import { ParseIdPipe, RequestId } from '../organisations/directory-support';
import { CreatePartnershipDto } from './dto/create-partnership.dto';
import { ListPartnershipsQueryDto } from './dto/list-partnerships.query.dto';
import { PartnershipPageDto } from './dto/partnership-page.dto';
import { PartnershipDto } from './dto/partnership.dto';
import { PartnershipsService } from './partnerships.service';

@ApiTags('partnerships')
@ApiBearerAuth()
@Controller('v1/partnerships')
export class PartnershipsController {
  constructor(private readonly partnerships: PartnershipsService) {}

  @Post()
  @Allow({ kinds: ['operator'], roles: ['admin'] })
  @ApiOperation({ summary: 'Partner a distributor with a funder (operator admin)' })
  @ApiCreatedResponse({ type: PartnershipDto })
  @ApiProblems(400, 401, 403, 404, 409, 413)
  create(@CurrentPrincipal() principal: Principal, @Body() body: CreatePartnershipDto, @RequestId() requestId?: string) {
    return this.partnerships.create(principal, body, requestId);
  }

  @Get()
  @Allow({ kinds: ['operator', 'funder', 'distributor'], apiKeys: true })
  @ApiOperation({ summary: 'Partnerships: all for the operator; those the caller’s organisation is a side of otherwise' })
  @ApiOkResponse({ type: PartnershipPageDto })
  @ApiProblems(400, 401, 404)
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListPartnershipsQueryDto) {
    return this.partnerships.list(principal, query);
  }

  @Delete(':id')
  @Allow({ kinds: ['operator'], roles: ['admin'] })
  @ApiOperation({ summary: 'End a partnership (operator admin); its history is kept. Idempotent.' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: PartnershipDto })
  @ApiProblems(401, 403, 404)
  end(@CurrentPrincipal() principal: Principal, @Param('id', new ParseIdPipe('partnership')) id: string, @RequestId() requestId?: string) {
    return this.partnerships.end(principal, id, requestId);
  }
}

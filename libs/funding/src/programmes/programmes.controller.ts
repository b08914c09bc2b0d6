import { ApiProblems } from '@sillage/common';
import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Allow, CurrentPrincipal, ParseIdPipe, Principal, RequestId } from '@sillage/identity';
import { CreateFundingSourceDto } from './dto/create-funding-source.dto';
import { CreateProgrammeDto } from './dto/create-programme.dto';
import { FundingSourceDto } from './dto/funding-source.dto';
import { ListProgrammesQueryDto } from './dto/list-programmes.query.dto';
import { ProgrammePageDto } from './dto/programme-page.dto';
import { ProgrammeDto } from './dto/programme.dto';
import { UpdateProgrammeDto } from './dto/update-programme.dto';
import { ProgrammesService } from './programmes.service';

@ApiTags('funding')
@ApiBearerAuth()
@Controller('v1/programmes')
export class ProgrammesController {
  constructor(private readonly programmes: ProgrammesService) {}

  @Post()
  @Allow({ kinds: ['operator'], roles: ['admin'] })
  @ApiOperation({ summary: 'Create a programme under a policy (operator admin)' })
  @ApiCreatedResponse({ type: ProgrammeDto })
  @ApiProblems(400, 401, 403, 404, 413)
  create(@CurrentPrincipal() principal: Principal, @Body() body: CreateProgrammeDto, @RequestId() requestId?: string) {
    return this.programmes.create(principal, body, requestId);
  }

  @Get()
  @Allow({ kinds: ['operator', 'funder'], apiKeys: true })
  @ApiOperation({ summary: 'Programmes: all for the operator; those of which the caller holds a grant for a funder' })
  @ApiOkResponse({ type: ProgrammePageDto })
  @ApiProblems(400, 401, 404)
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListProgrammesQueryDto) {
    return this.programmes.list(principal, query);
  }

  @Get(':id')
  @Allow({ kinds: ['operator', 'funder'], apiKeys: true })
  @ApiOperation({ summary: 'A programme with its funding sources (totals attributed: operator only)' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: ProgrammeDto })
  @ApiProblems(401, 404)
  get(@CurrentPrincipal() principal: Principal, @Param('id', new ParseIdPipe('programme')) id: string) {
    return this.programmes.get(principal, id);
  }

  @Patch(':id')
  @Allow({ kinds: ['operator'], roles: ['admin'] })
  @ApiOperation({ summary: 'Change a programme (operator admin); the maximum rate cannot drop below an existing grant’s' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: ProgrammeDto })
  @ApiProblems(400, 401, 403, 404, 409, 413)
  update(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseIdPipe('programme')) id: string,
    @Body() body: UpdateProgrammeDto,
    @RequestId() requestId?: string,
  ) {
    return this.programmes.update(principal, id, body, requestId);
  }

  @Post(':id/funding-sources')
  @Allow({ kinds: ['operator'], roles: ['admin'] })
  @ApiOperation({ summary: 'Record budget obtained for the programme (operator admin)' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiCreatedResponse({ type: FundingSourceDto })
  @ApiProblems(400, 401, 403, 404, 413)
  addFundingSource(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseIdPipe('programme')) id: string,
    @Body() body: CreateFundingSourceDto,
    @RequestId() requestId?: string,
  ) {
    return this.programmes.addFundingSource(principal, id, body, requestId);
  }
}

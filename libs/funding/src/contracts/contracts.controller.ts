import { ApiProblems } from '@sillage/common';
import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Allow, CurrentPrincipal, ParseIdPipe, Principal, RequestId } from '@sillage/identity';
import { ContractsService } from './contracts.service';
import { ContractPageDto } from './dto/contract-page.dto';
import { ContractDto } from './dto/contract.dto';
import { CreateContractDto } from './dto/create-contract.dto';
import { ListContractsQueryDto } from './dto/list-contracts.query.dto';

@ApiTags('funding')
@ApiBearerAuth()
@Controller('v1/contracts')
export class ContractsController {
  constructor(private readonly contracts: ContractsService) {}

  @Post()
  @Allow({ kinds: ['operator'], roles: ['admin'] })
  @ApiOperation({ summary: 'Record a funder’s contract with the operator (operator admin)' })
  @ApiCreatedResponse({ type: ContractDto })
  @ApiProblems(400, 401, 403, 404, 409, 413)
  create(@CurrentPrincipal() principal: Principal, @Body() body: CreateContractDto, @RequestId() requestId?: string) {
    return this.contracts.create(principal, body, requestId);
  }

  @Get()
  @Allow({ kinds: ['operator', 'funder'], apiKeys: true })
  @ApiOperation({ summary: 'Contracts: all for the operator; the caller’s own for a funder' })
  @ApiOkResponse({ type: ContractPageDto })
  @ApiProblems(400, 401, 404)
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListContractsQueryDto) {
    return this.contracts.list(principal, query);
  }

  @Get(':id')
  @Allow({ kinds: ['operator', 'funder'], apiKeys: true })
  @ApiOperation({ summary: 'A contract' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: ContractDto })
  @ApiProblems(401, 404)
  get(@CurrentPrincipal() principal: Principal, @Param('id', new ParseIdPipe('contract')) id: string) {
    return this.contracts.get(principal, id);
  }
}

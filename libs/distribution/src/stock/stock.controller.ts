import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '@sillage/common';
import { Allow, CurrentPrincipal, ParseIdPipe, Principal } from '@sillage/identity';
import { StockDto, StockService } from './stock.service';

@ApiTags('distribution')
@ApiBearerAuth()
@Controller('v1/distributors')
export class StockController {
  constructor(private readonly stock: StockService) {}

  @Get(':id/stock')
  @Allow({ kinds: ['operator', 'funder', 'distributor'], apiKeys: true })
  @ApiOperation({ summary: 'A distributor’s booklets per funder and order: held, handed over, blocked, and when distribution ends' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: StockDto })
  @ApiProblems(401, 404)
  get(@CurrentPrincipal() principal: Principal, @Param('id', new ParseIdPipe('distributor')) id: string) {
    return this.stock.stock(principal, id);
  }
}

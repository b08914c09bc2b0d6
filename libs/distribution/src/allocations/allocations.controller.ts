import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '@sillage/common';
import { Allow, CurrentPrincipal, Principal, RequestId } from '@sillage/identity';
import { AllocationsService } from './allocations.service';
import { CreateMovementDto, ListMovementsQueryDto, MovementDto, MovementPageDto } from './dto/allocation.dto';

@ApiTags('distribution')
@ApiBearerAuth()
@Controller('v1/allocations')
export class AllocationsController {
  constructor(private readonly allocations: AllocationsService) {}

  @Post()
  @Allow({ kinds: ['operator', 'funder', 'distributor'], roles: ['admin', 'agent'] })
  @ApiOperation({
    summary:
      'Move booklets: allocate (funder → partner distributor), transfer (distributor → distributor of the same funder) or return (→ funder), by count or serial ranges; all or nothing',
  })
  @ApiCreatedResponse({ type: MovementDto })
  @ApiProblems(400, 401, 403, 404, 409)
  create(@CurrentPrincipal() principal: Principal, @Body() body: CreateMovementDto, @RequestId() requestId?: string) {
    return this.allocations.create(principal, body, requestId);
  }

  @Get()
  @Allow({ kinds: ['operator', 'funder', 'distributor'], apiKeys: true })
  @ApiOperation({ summary: 'Booklet movements: a funder’s, or those a distributor gave or received' })
  @ApiOkResponse({ type: MovementPageDto })
  @ApiProblems(400, 401)
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListMovementsQueryDto) {
    return this.allocations.list(principal, query);
  }
}

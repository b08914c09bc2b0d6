import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '@sillage/common';
import { Allow, CurrentPrincipal, Principal } from '@sillage/identity';
import { PeopleQueryDto, PeopleReportDto } from './dto/people.dto';
import { PeopleService } from './people.service';

@ApiTags('reports')
@ApiBearerAuth()
@Controller('v1/reports/people')
export class PeopleController {
  constructor(private readonly people: PeopleService) {}

  @Get()
  @Allow({ kinds: ['operator', 'funder'], roles: ['admin', 'finance', 'viewer'] })
  @ApiOperation({
    summary:
      'People handed a booklet (or whose booklet was used) by a date, by age band, public category or commune, with small cells suppressed (fewer than 11, and enough others that none can be worked out)',
  })
  @ApiOkResponse({ type: PeopleReportDto })
  @ApiProblems(400, 401, 403, 404)
  report(@CurrentPrincipal() principal: Principal, @Query() query: PeopleQueryDto) {
    return this.people.report(principal, query);
  }
}

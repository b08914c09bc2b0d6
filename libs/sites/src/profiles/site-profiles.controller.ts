import { Body, Controller, Get, Param, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '@sillage/common';
import { Allow, CurrentPrincipal, ParseIdPipe, Principal, RequestId } from '@sillage/identity';
import { ListSitesQueryDto } from './dto/list-sites.query.dto';
import { SitePageDto } from './dto/site-page.dto';
import { SiteDto } from './dto/site.dto';
import { UpdateSiteProfileDto } from './dto/update-site-profile.dto';
import { SiteProfilesService } from './site-profiles.service';

export const SITE_ID = new ParseIdPipe('site');

@ApiTags('sites')
@ApiBearerAuth()
@Controller('v1/sites')
export class SiteProfilesController {
  constructor(private readonly profiles: SiteProfilesService) {}

  @Get()
  @Allow({ kinds: ['operator'] })
  @ApiOperation({
    summary: 'Sites, oldest in their status first (operator); `status=applied` is the qualification queue',
    description: 'Filters: status, communeCode, departmentCode, q (legal name contains). Keyset pagination.',
  })
  @ApiOkResponse({ type: SitePageDto })
  @ApiProblems(400, 401, 404)
  list(@Query() query: ListSitesQueryDto) {
    return this.profiles.list(query);
  }

  @Get(':id')
  @Allow({ apiKeys: true })
  @ApiOperation({
    summary: 'One site',
    description:
      'The site itself and the operator: every field. Funders and distributors: public facts (name, address, commune, ' +
      'coordinates, categories, status, current label) of qualified sites only. Anyone else, or a site not visible: 404.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: SiteDto })
  @ApiProblems(401, 404)
  get(@CurrentPrincipal() principal: Principal, @Param('id', SITE_ID) id: string) {
    return this.profiles.get(principal, id);
  }

  @Put(':id/profile')
  @Allow({ kinds: ['operator', 'site'], roles: ['admin'] })
  @ApiOperation({
    summary: 'Declare the site’s profile: coordinates, service categories, accepted charter version (site admin or operator admin)',
    description:
      'Creates the profile (status draft) on the first call, replaces it afterwards; an absent charterVersion keeps the ' +
      'accepted one. Categories must be active codes of the operator’s list (CATEGORY_UNKNOWN).',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: SiteDto })
  @ApiProblems(400, 401, 403, 404)
  update(
    @CurrentPrincipal() principal: Principal,
    @Param('id', SITE_ID) id: string,
    @Body() body: UpdateSiteProfileDto,
    @RequestId() requestId?: string,
  ) {
    return this.profiles.update(principal, id, body, requestId);
  }
}

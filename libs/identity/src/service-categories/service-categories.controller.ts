import { ApiProblems } from '@sillage/common';
import { Body, Controller, Get, Param, Patch, PipeTransform, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Allow } from '../access/allow.decorator';
import { CurrentPrincipal } from '../access/current-principal.decorator';
import { Principal } from '../access/principal';
import { IdentityError } from '../identity.errors';
import { RequestId } from '../organisations/directory-support';
import { CreateServiceCategoryDto } from './dto/create-service-category.dto';
import { ListServiceCategoriesQueryDto } from './dto/list-service-categories.query.dto';
import { ServiceCategoryPageDto } from './dto/service-category-page.dto';
import { ServiceCategoryDto } from './dto/service-category.dto';
import { UpdateServiceCategoryDto } from './dto/update-service-category.dto';
import { SERVICE_CATEGORY_CODE } from './service-category.repository';
import { ServiceCategoriesService } from './service-categories.service';

/** A path code that cannot be a category code names nothing: 404, like an unknown one. */
class ParseCategoryCodePipe implements PipeTransform<unknown, string> {
  transform(value: unknown): string {
    if (typeof value !== 'string' || !SERVICE_CATEGORY_CODE.test(value)) {
      throw new IdentityError('NOT_FOUND', 'service category not found', { field: 'code' });
    }
    return value;
  }
}

@ApiTags('service-categories')
@ApiBearerAuth()
@Controller('v1/service-categories')
export class ServiceCategoriesController {
  constructor(private readonly categories: ServiceCategoriesService) {}

  @Get()
  @Allow({ apiKeys: true })
  @ApiOperation({ summary: 'The operator’s list of service categories (any authenticated caller)' })
  @ApiOkResponse({ type: ServiceCategoryPageDto })
  @ApiProblems(400, 401)
  list(@Query() query: ListServiceCategoriesQueryDto) {
    return this.categories.list(query);
  }

  @Post()
  @Allow({ kinds: ['operator'], roles: ['admin'] })
  @ApiOperation({ summary: 'Add a service category (operator admin)' })
  @ApiCreatedResponse({ type: ServiceCategoryDto })
  @ApiProblems(400, 401, 403, 404, 409, 413)
  create(@CurrentPrincipal() principal: Principal, @Body() body: CreateServiceCategoryDto, @RequestId() requestId?: string) {
    return this.categories.create(principal, body, requestId);
  }

  @Patch(':code')
  @Allow({ kinds: ['operator'], roles: ['admin'] })
  @ApiOperation({ summary: 'Rename, deactivate or reactivate a service category (operator admin)' })
  @ApiParam({ name: 'code', example: 'atelier-collectif' })
  @ApiOkResponse({ type: ServiceCategoryDto })
  @ApiProblems(400, 401, 403, 404, 413)
  update(
    @CurrentPrincipal() principal: Principal,
    @Param('code', new ParseCategoryCodePipe()) code: string,
    @Body() body: UpdateServiceCategoryDto,
    @RequestId() requestId?: string,
  ) {
    return this.categories.update(principal, code, body, requestId);
  }
}

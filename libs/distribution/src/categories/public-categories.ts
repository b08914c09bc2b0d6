import { Body, Controller, Get, Injectable, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsUUID, Matches } from 'class-validator';
import { AuditLog } from '@sillage/audit';
import { ApiProblems } from '@sillage/common';
import { TransactionRunner } from '@sillage/db';
import { Text } from '@sillage/funding';
import {
  actorOf,
  Allow,
  CurrentPrincipal,
  isOperator,
  isUniqueViolation,
  PartnershipRepository,
  Principal,
  RequestId,
} from '@sillage/identity';
import { DistributionError } from '../distribution.errors';
import { specialCategoryIn } from './special-categories';

export class CreatePublicCategoryDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Operator only; a funder defines its own' })
  @IsOptional()
  @IsUUID('all')
  funderId?: string;

  @ApiProperty({ example: 'job_seeker' })
  @Matches(/^[a-z][a-z0-9_-]{1,39}$/, { message: 'code must be 2-40 lower-case letters, digits, "_" or "-", starting with a letter' })
  code: string;

  @ApiProperty({ example: 'Demandeur d’emploi', maxLength: 120 })
  @Text(120)
  labelFr: string;

  @ApiProperty({ example: 'Job seeker', maxLength: 120 })
  @Text(120)
  labelEn: string;
}

export class PublicCategoryDto {
  @ApiProperty({ format: 'uuid' }) funderId: string;
  @ApiProperty() code: string;
  @ApiProperty() labelFr: string;
  @ApiProperty() labelEn: string;
  @ApiProperty() active: boolean;
}

export class PublicCategoryListDto {
  @ApiProperty({ type: [PublicCategoryDto] }) items: PublicCategoryDto[];
}

export class ListPublicCategoriesQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'A distributor or the operator names the funder' })
  @IsOptional()
  @IsUUID('all')
  funderId?: string;
}

const COLUMNS = `funder_id AS "funderId", code, label_fr AS "labelFr", label_en AS "labelEn", active`;

/** The public categories each funder reports on. Special categories (health, disability…) are refused. */
@Injectable()
export class PublicCategoriesService {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly audit: AuditLog,
    private readonly partnerships: PartnershipRepository,
  ) {}

  async create(principal: Principal, input: CreatePublicCategoryDto, requestId?: string): Promise<PublicCategoryDto> {
    const funderId = isOperator(principal) ? input.funderId?.toLowerCase() : principal.organisationId;
    if (!funderId) throw new DistributionError('CATEGORY_UNKNOWN', 'funderId is required', { field: 'funderId' });
    const special = specialCategoryIn(input.code, input.labelFr, input.labelEn);
    if (special) {
      throw new DistributionError(
        'CATEGORY_FORBIDDEN',
        `a public category may not reveal health, disability or another special category of personal data (found “${special}”)`,
        { field: 'labelFr' },
      );
    }
    return this.tx.run(async (tx) => {
      const kinds: { kinds: string[] }[] = await tx.query(`SELECT kinds FROM organisation WHERE id = $1`, [funderId]);
      if (!kinds[0]?.kinds.includes('funder'))
        throw new DistributionError('CATEGORY_UNKNOWN', 'funderId must be a funder', { field: 'funderId' });
      try {
        const rows: PublicCategoryDto[] = await tx.query(
          `INSERT INTO public_category (funder_id, code, label_fr, label_en) VALUES ($1, $2, $3, $4) RETURNING ${COLUMNS}`,
          [funderId, input.code, input.labelFr, input.labelEn],
        );
        await this.audit.append(tx, {
          action: 'public_category.created',
          actor: actorOf(principal),
          subject: { type: 'public_category', id: `${funderId}/${input.code}` },
          facts: { funderId, code: input.code },
          requestId,
        });
        return rows[0];
      } catch (e) {
        if (isUniqueViolation(e, 'public_category_pkey'))
          throw new DistributionError('CATEGORY_TAKEN', 'this funder already has a category with this code', { field: 'code' });
        throw e;
      }
    });
  }

  async list(principal: Principal, q: ListPublicCategoriesQueryDto): Promise<PublicCategoryListDto> {
    const asked = q.funderId?.toLowerCase();
    let funderId: string;
    if (isOperator(principal) && asked) funderId = asked;
    else if (principal.organisationKinds.includes('funder') && (!asked || asked === principal.organisationId))
      funderId = principal.organisationId;
    else if (asked && principal.organisationKinds.includes('distributor')) {
      if (!(await this.partnerships.arePartners(this.tx.manager, asked, principal.organisationId))) return { items: [] };
      funderId = asked;
    } else return { items: [] };
    return { items: await this.tx.manager.query(`SELECT ${COLUMNS} FROM public_category WHERE funder_id = $1 ORDER BY code`, [funderId]) };
  }
}

@ApiTags('distribution')
@ApiBearerAuth()
@Controller('v1/public-categories')
export class PublicCategoriesController {
  constructor(private readonly categories: PublicCategoriesService) {}

  @Post()
  @Allow({ kinds: ['operator', 'funder'], roles: ['admin'] })
  @ApiOperation({ summary: 'Add a public category the funder reports on (never health, disability or another special category)' })
  @ApiCreatedResponse({ type: PublicCategoryDto })
  @ApiProblems(400, 401, 403, 409)
  create(@CurrentPrincipal() principal: Principal, @Body() body: CreatePublicCategoryDto, @RequestId() requestId?: string) {
    return this.categories.create(principal, body, requestId);
  }

  @Get()
  @Allow({ kinds: ['operator', 'funder', 'distributor'], apiKeys: true })
  @ApiOperation({ summary: 'A funder’s public categories (its own; a partner distributor or the operator names the funder)' })
  @ApiOkResponse({ type: PublicCategoryListDto })
  @ApiProblems(400, 401)
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListPublicCategoriesQueryDto) {
    return this.categories.list(principal, query);
  }
}

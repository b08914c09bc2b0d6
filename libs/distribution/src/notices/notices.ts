import { Controller, Get, HttpCode, Injectable, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiProperty, ApiTags } from '@nestjs/swagger';
import { ApiProblems, DEFAULT_PAGE_SIZE, Page, PageQueryDto, toPage } from '@sillage/common';
import { TransactionRunner } from '@sillage/db';
import { Allow, CurrentPrincipal, cursorKeySql, decodeTimeCursor, ParseIdPipe, Principal } from '@sillage/identity';
import { DistributionError } from '../distribution.errors';
import { NOTICE_KINDS, NoticeKind } from './notice.entity';
import { noticeText } from './notice-text';

export class NoticeDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) orderId: string;
  @ApiProperty() orderReference: string;
  @ApiProperty({ enum: NOTICE_KINDS }) kind: NoticeKind;
  @ApiProperty() titleFr: string;
  @ApiProperty() titleEn: string;
  @ApiProperty() bodyFr: string;
  @ApiProperty() bodyEn: string;
  @ApiProperty() remainingBooklets: number;
  @ApiProperty({ format: 'date' }) distributionEndsOn: string;
  @ApiProperty({ format: 'date' }) validityEndDate: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) readAt: string | null;
}

export class NoticePageDto {
  @ApiProperty({ type: [NoticeDto] }) items: NoticeDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

interface NoticeRow {
  id: string;
  orderId: string;
  orderReference: string;
  kind: NoticeKind;
  remainingBooklets: number;
  distributionEndsOn: string;
  validityEndDate: string;
  createdAt: Date;
  readAt: Date | null;
  cursorKey: string;
}

const SELECT = `SELECT n.id, n.order_id AS "orderId", o.reference AS "orderReference", n.kind, n.remaining_booklets AS "remainingBooklets",
  to_char(n.distribution_ends_on, 'YYYY-MM-DD') AS "distributionEndsOn", to_char(n.validity_end_date, 'YYYY-MM-DD') AS "validityEndDate",
  n.created_at AS "createdAt", n.read_at AS "readAt", ${cursorKeySql('n.created_at')} AS "cursorKey"
  FROM notice n JOIN purchase_order o ON o.id = n.order_id`;

/** The caller's organisation's notices, newest last (keyset pages), and marking one read. */
@Injectable()
export class NoticesService {
  constructor(private readonly tx: TransactionRunner) {}

  async list(principal: Principal, q: PageQueryDto): Promise<Page<NoticeDto>> {
    const limit = q.limit ?? DEFAULT_PAGE_SIZE;
    const after = decodeTimeCursor(q.cursor);
    const rows: NoticeRow[] = await this.tx.manager.query(
      `${SELECT} WHERE n.organisation_id = $1 ${after ? 'AND (n.created_at, n.id) > ($3::timestamptz, $4::uuid)' : ''} ORDER BY n.created_at, n.id LIMIT $2`,
      after ? [principal.organisationId, limit + 1, after.k, after.id] : [principal.organisationId, limit + 1],
    );
    const page = toPage(rows, limit, (r) => ({ k: r.cursorKey, id: r.id }));
    return { items: page.items.map(toDto), nextCursor: page.nextCursor };
  }

  async markRead(principal: Principal, id: string): Promise<NoticeDto> {
    // Two statements: a data-modifying CTE's changes are invisible to its own main query.
    await this.tx.manager.query(`UPDATE notice SET read_at = coalesce(read_at, now()) WHERE id = $1 AND organisation_id = $2`, [
      id,
      principal.organisationId,
    ]);
    const rows: NoticeRow[] = await this.tx.manager.query(`${SELECT} WHERE n.id = $1 AND n.organisation_id = $2`, [
      id,
      principal.organisationId,
    ]);
    if (!rows[0]) throw new DistributionError('NOT_FOUND', 'notice not found');
    return toDto(rows[0]);
  }
}

function toDto(r: NoticeRow): NoticeDto {
  return {
    id: r.id,
    orderId: r.orderId,
    orderReference: r.orderReference,
    kind: r.kind,
    ...noticeText(r),
    remainingBooklets: r.remainingBooklets,
    distributionEndsOn: r.distributionEndsOn,
    validityEndDate: r.validityEndDate,
    createdAt: r.createdAt.toISOString(),
    readAt: r.readAt?.toISOString() ?? null,
  };
}

@ApiTags('distribution')
@ApiBearerAuth()
@Controller('v1/notices')
export class NoticesController {
  constructor(private readonly notices: NoticesService) {}

  @Get()
  @Allow({ kinds: ['funder', 'distributor'], apiKeys: true })
  @ApiOperation({ summary: 'Your organisation’s alerts: validity ending in 30, 15, 7 days, distribution stopping — with what is left' })
  @ApiOkResponse({ type: NoticePageDto })
  @ApiProblems(400, 401)
  list(@CurrentPrincipal() principal: Principal, @Query() query: PageQueryDto) {
    return this.notices.list(principal, query);
  }

  @Post(':id/read')
  @HttpCode(200)
  @Allow({ kinds: ['funder', 'distributor'] })
  @ApiOperation({ summary: 'Mark a notice read' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: NoticeDto })
  @ApiProblems(401, 404)
  read(@CurrentPrincipal() principal: Principal, @Param('id', new ParseIdPipe('notice')) id: string) {
    return this.notices.markRead(principal, id);
  }
}

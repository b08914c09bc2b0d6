import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { AuditLog } from '@sillage/audit';
import { DEFAULT_PAGE_SIZE, Page, PageQueryDto, toPage } from '@sillage/common';
import { TransactionRunner } from '@sillage/db';
import { cursorKeySql, decodeTimeCursor } from '@sillage/identity';
import { PRIVACY_REQUEST_KINDS, PrivacyRequestKind } from './privacy-request.entity';

export class CreatePrivacyRequestDto {
  @ApiProperty({ description: 'The pass token from the booklet’s cover link (after #)' })
  @Matches(/^[A-Za-z0-9_-]{43}$/, { message: 'token must be the 43-character token from the booklet’s cover' })
  token: string;

  @ApiProperty({ enum: PRIVACY_REQUEST_KINDS })
  @IsIn(PRIVACY_REQUEST_KINDS)
  kind: PrivacyRequestKind;

  @ApiPropertyOptional({ maxLength: 2000, description: 'Optional details; deleted when the request is closed' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  message?: string;
}

export class PrivacyRequestReceiptDto {
  @ApiProperty({ example: 'DPO-7KQ4M0XE' }) reference: string;
  @ApiProperty({ enum: PRIVACY_REQUEST_KINDS }) kind: PrivacyRequestKind;
  @ApiProperty({ description: 'What happens next, in French and English' }) next: string;
}

export class PrivacyRequestDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() reference: string;
  @ApiProperty({ format: 'uuid' }) bookletId: string;
  @ApiProperty({ enum: PRIVACY_REQUEST_KINDS }) kind: PrivacyRequestKind;
  @ApiProperty({ type: String, nullable: true }) message: string | null;
  @ApiProperty({ enum: ['open', 'done', 'refused'] }) status: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class PrivacyRequestPageDto {
  @ApiProperty({ type: [PrivacyRequestDto] }) items: PrivacyRequestDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export class ListPrivacyRequestsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ['open', 'done', 'refused'] })
  @IsOptional()
  @IsIn(['open', 'done', 'refused'])
  status?: string;
}

const REFERENCE_ALPHABET = '0123456789ACDEFGHJKMNPQRTVWXY';

/** Data-subject requests opened from the pass page, worked by the operator's DPO. */
@Injectable()
export class PrivacyRequestsService {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly audit: AuditLog,
  ) {}

  async open(bookletId: string, kind: PrivacyRequestKind, message: string | undefined): Promise<PrivacyRequestReceiptDto> {
    const reference = `DPO-${[...randomBytes(8)].map((b) => REFERENCE_ALPHABET[b % REFERENCE_ALPHABET.length]).join('')}`;
    await this.tx.run(async (tx) => {
      const rows: { id: string }[] = await tx.query(
        `INSERT INTO privacy_request (reference, booklet_id, kind, message) VALUES ($1, $2, $3, $4) RETURNING id`,
        [reference, bookletId, kind, message ?? null],
      );
      await this.audit.append(tx, {
        action: 'privacy_request.opened',
        actor: { type: 'public' },
        subject: { type: 'privacy_request', id: rows[0].id },
        facts: { kind },
      });
    });
    return {
      reference,
      kind,
      next:
        'Votre demande est transmise au délégué à la protection des données, qui y répond sous un mois. / ' +
        'Your request goes to the data protection officer, who answers within one month.',
    };
  }

  async list(q: ListPrivacyRequestsQueryDto): Promise<Page<PrivacyRequestDto>> {
    const params: unknown[] = [];
    const p = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    const where: string[] = [];
    if (q.status) where.push(`status = ${p(q.status)}`);
    const after = decodeTimeCursor(q.cursor);
    if (after) where.push(`(created_at, id) > (${p(after.k)}::timestamptz, ${p(after.id)}::uuid)`);
    const limit = q.limit ?? DEFAULT_PAGE_SIZE;
    const rows: (PrivacyRequestDto & { createdAt: Date; cursorKey: string })[] = await this.tx.manager.query(
      `SELECT id, reference, booklet_id AS "bookletId", kind, message, status, created_at AS "createdAt", ${cursorKeySql('created_at')} AS "cursorKey"
       FROM privacy_request ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at, id LIMIT ${p(limit + 1)}`,
      params,
    );
    const page = toPage(rows, limit, (r) => ({ k: r.cursorKey, id: r.id }));
    return {
      items: page.items.map(({ cursorKey: _c, createdAt, ...r }) => ({ ...r, createdAt: createdAt.toISOString() })),
      nextCursor: page.nextCursor,
    };
  }
}

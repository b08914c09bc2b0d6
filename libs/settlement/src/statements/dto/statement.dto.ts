import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { PageQueryDto } from '@sillage/common';

export const STATEMENT_STATUSES = ['unpaid', 'in_payout', 'paid'] as const;

export class ListStatementsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Only the statements of this run' })
  @IsOptional()
  @IsUUID('all', { message: 'runId must be a UUID' })
  runId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Only this site’s statements (operator; a site sees its own only)' })
  @IsOptional()
  @IsUUID('all', { message: 'siteId must be a UUID' })
  siteId?: string;

  @ApiPropertyOptional({ enum: STATEMENT_STATUSES })
  @IsOptional()
  @IsIn(STATEMENT_STATUSES, { message: `status must be one of ${STATEMENT_STATUSES.join(', ')}` })
  status?: string;
}

export class StatementLineDto {
  @ApiProperty({ enum: ['service', 'correction'] }) kind: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) orderId: string | null;
  @ApiProperty({ nullable: true, type: String }) serviceCategoryCode: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) pricingRuleId: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'The pricing rule’s description, as it was when used' }) pricingRule:
    string | null;
  @ApiProperty({ nullable: true, type: String, description: 'What a correction line is (accepted incident, deduction, balance carried)' })
  label: string | null;
  @ApiProperty() redemptionCount: number;
  @ApiProperty() voucherCount: number;
  @ApiProperty({ description: 'Face value of the vouchers, cents' }) faceValueCents: number;
  @ApiProperty({ description: 'Commission kept by the platform, cents' }) commissionCents: number;
  @ApiProperty({ description: 'Owed to the site for this line, cents (rounded once, half-up)' }) amountCents: number;
}

export class StatementDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'REL-2026-000042' }) number: string;
  @ApiProperty({ format: 'uuid' }) runId: string;
  @ApiProperty({ format: 'uuid' }) siteId: string;
  @ApiProperty() siteName: string;
  @ApiProperty({ format: 'date-time' }) cutoff: string;
  @ApiProperty() voucherCount: number;
  @ApiProperty() faceValueCents: number;
  @ApiProperty() commissionCents: number;
  @ApiProperty({ description: 'Owed to the site, cents: the sum of the lines' }) totalCents: number;
  @ApiProperty({ enum: STATEMENT_STATUSES }) status: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'The payout covering it (in_payout, paid)' })
  payoutId: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiPropertyOptional({ type: [StatementLineDto], description: 'On the detail only' }) lines?: StatementLineDto[];
}

export class StatementPageDto {
  @ApiProperty({ type: [StatementDto] }) items: StatementDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Max, Min, ValidateIf } from 'class-validator';
import { PageQueryDto } from '@sillage/common';
import { NoControlCharacters } from '@sillage/identity';

/** What an operator may record against a site; `receivable_carried` is written by runs only. */
export const RECORDED_CORRECTION_KINDS = ['overpayment', 'fraud'] as const;
export const CORRECTION_REASONS = {
  overpayment: ['pricing_error', 'duplicate_payment', 'bank_error', 'other'],
  fraud: ['fraud_confirmed', 'service_not_delivered', 'identity_misuse', 'other'],
} as const;

export class CreateCorrectionDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'siteId must be a UUID' })
  siteId: string;

  @ApiProperty({ enum: RECORDED_CORRECTION_KINDS })
  @IsIn(RECORDED_CORRECTION_KINDS, { message: `kind must be one of ${RECORDED_CORRECTION_KINDS.join(', ')}` })
  kind: (typeof RECORDED_CORRECTION_KINDS)[number];

  @ApiProperty({ description: 'What the site owes back, cents (positive): deducted from its next statements', minimum: 1 })
  @IsInt({ message: 'amountCents must be an integer number of cents' })
  @Min(1, { message: 'amountCents must be at least 1' })
  @Max(100_000_000, { message: 'amountCents must be at most 100000000' })
  amountCents: number;

  @ApiPropertyOptional({ format: 'uuid', description: 'Fraud: the settled redemption found fraudulent (required)' })
  @ValidateIf((o: CreateCorrectionDto) => o.kind === 'fraud' || o.redemptionId !== undefined)
  @IsUUID('all', { message: 'redemptionId must be a UUID (required for a fraud)' })
  redemptionId?: string;

  @ApiProperty({ description: `overpayment: ${CORRECTION_REASONS.overpayment.join(', ')}; fraud: ${CORRECTION_REASONS.fraud.join(', ')}` })
  @IsString({ message: 'reasonCode must be a string' })
  reasonCode: string;

  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional()
  @IsString({ message: 'note must be a string' })
  @Length(1, 500, { message: 'note must be 1 to 500 characters' })
  @NoControlCharacters()
  note?: string;
}

export class ListCorrectionsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Operator: only this site (a site sees its own)' })
  @IsOptional()
  @IsUUID('all', { message: 'siteId must be a UUID' })
  siteId?: string;

  @ApiPropertyOptional({ enum: ['open', 'deducted'], description: 'open: not yet deducted by a statement' })
  @IsOptional()
  @IsIn(['open', 'deducted'], { message: 'state must be open or deducted' })
  state?: 'open' | 'deducted';
}

export class CorrectionDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) siteId: string;
  @ApiProperty({ enum: ['overpayment', 'fraud', 'receivable_carried'] }) kind: string;
  @ApiProperty({ description: 'Negative: owed by the site, cents' }) amountCents: number;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) orderId: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) redemptionId: string | null;
  @ApiProperty() reasonCode: string;
  @ApiProperty({ nullable: true, type: String }) note: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'The statement that carried it forward' })
  sourceStatementId: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'The statement that deducted it' }) statementId: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class CorrectionPageDto {
  @ApiProperty({ type: [CorrectionDto] }) items: CorrectionDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

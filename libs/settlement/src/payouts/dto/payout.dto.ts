import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { PageQueryDto } from '@sillage/common';
import { PAYOUT_STATUSES } from '../payout.entity';
import { PAYOUT_BATCH_STATUSES } from '../payout-batch.entity';

export class ListPayoutsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Only this site’s payouts (operator; a site sees its own only)' })
  @IsOptional()
  @IsUUID('all', { message: 'siteId must be a UUID' })
  siteId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Only the payouts of this batch' })
  @IsOptional()
  @IsUUID('all', { message: 'batchId must be a UUID' })
  batchId?: string;

  @ApiPropertyOptional({ enum: PAYOUT_STATUSES })
  @IsOptional()
  @IsIn(PAYOUT_STATUSES, { message: `status must be one of ${PAYOUT_STATUSES.join(', ')}` })
  status?: string;
}

export class PayoutDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'PAY-01JD0Q7Z5N3V4X2C8B6M9K1H0G', description: 'The transfer’s EndToEndId' }) reference: string;
  @ApiProperty({ format: 'uuid' }) siteId: string;
  @ApiProperty() siteName: string;
  @ApiProperty({ format: 'uuid' }) batchId: string;
  @ApiProperty({ example: 'VIR-2026-000012' }) batchNumber: string;
  @ApiProperty({ description: 'Cents' }) amountCents: number;
  @ApiProperty({ enum: PAYOUT_STATUSES }) status: string;
  @ApiProperty({ description: 'The creditor account, masked but for its last 4 characters' }) ibanMasked: string;
  @ApiProperty({ type: [String], description: 'Numbers of the statements it pays' }) statements: string[];
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) settledAt: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Bank reason code of a rejection or return (e.g. AC04)' })
  returnReason: string | null;
}

export class PayoutPageDto {
  @ApiProperty({ type: [PayoutDto] }) items: PayoutDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

export class WaitingSiteDto {
  @ApiProperty({ format: 'uuid' }) siteId: string;
  @ApiProperty() siteName: string;
  @ApiProperty({ description: 'Total of the unpaid statements, cents' }) amountCents: number;
  @ApiProperty() statements: number;
  @ApiProperty({
    nullable: true,
    type: String,
    enum: ['NO_VERIFIED_BANK_ACCOUNT', 'SITE_SUSPENDED', 'BELOW_MINIMUM', 'BANK_DETAILS_INVALID'],
    description: 'Why they wait; null: paid in the next batch',
  })
  waitingReason: string | null;
}

export class WaitingPageDto {
  @ApiProperty({ description: 'PAYOUT_MINIMUM_CENTS' }) minimumCents: number;
  @ApiProperty({ type: [WaitingSiteDto] }) items: WaitingSiteDto[];
}

export class ListPayoutBatchesQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: PAYOUT_BATCH_STATUSES })
  @IsOptional()
  @IsIn(PAYOUT_BATCH_STATUSES, { message: `status must be one of ${PAYOUT_BATCH_STATUSES.join(', ')}` })
  status?: string;
}

export class PayoutBatchDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'VIR-2026-000012' }) number: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) runId: string | null;
  @ApiProperty({ enum: PAYOUT_BATCH_STATUSES }) status: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'First finance user (starter of the run, or first approver)' })
  preparedBy: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) releasedBy: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) releasedAt: string | null;
  @ApiProperty() paymentCount: number;
  @ApiProperty({ description: 'Control sum, cents' }) totalCents: number;
  @ApiProperty({ format: 'date', nullable: true, type: String }) requestedExecutionDate: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'SHA-256 of the pain.001 file' }) fileSha256: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class PayoutBatchPageDto {
  @ApiProperty({ type: [PayoutBatchDto] }) items: PayoutBatchDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

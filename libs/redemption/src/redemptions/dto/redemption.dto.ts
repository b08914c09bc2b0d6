import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { DATE_TIME_ISO_OPTIONS, DATE_TIME_WITH_OFFSET, PageQueryDto } from '@sillage/common';
import { IsCalendarDate } from '@sillage/funding';

/** How many vouchers of one booklet one service may take (a booklet has at most 20). */
export const MAX_VOUCHERS_PER_REDEMPTION = 20;
export const MAX_BATCH_ITEMS = 500;
export const CATEGORY_CODE = /^[a-z][a-z0-9_-]{1,39}$/;
export const CODE_MAX_LENGTH = 40;
export const QR_TOKEN_MAX_LENGTH = 600;
export const UNDO_REASONS = ['scan_error', 'wrong_voucher', 'service_cancelled', 'duplicate_entry', 'other'] as const;

/** A voucher as scanned: its QR token, or its human code as typed (spaces and look-alikes tolerated). */
export class VoucherCodeDto {
  @ApiPropertyOptional({
    description: 'The human code printed on the cheque (12 characters, check character last)',
    example: '7KQ4-M9TX-2RWC',
  })
  @IsOptional()
  @IsString()
  @MaxLength(CODE_MAX_LENGTH)
  code?: string;

  @ApiPropertyOptional({ description: 'The signed token of the cheque’s QR code (compact JWT, ES256)' })
  @IsOptional()
  @IsString()
  @MaxLength(QR_TOKEN_MAX_LENGTH)
  qrToken?: string;
}

export class CheckVoucherDto extends VoucherCodeDto {
  @ApiPropertyOptional({ description: 'Service category to check against the order (default: do not check the category)' })
  @IsOptional()
  @Matches(CATEGORY_CODE, { message: 'serviceCategoryCode must be a category code' })
  serviceCategoryCode?: string;
}

export class CreateRedemptionDto {
  @ApiProperty({ type: [VoucherCodeDto], minItems: 1, maxItems: MAX_VOUCHERS_PER_REDEMPTION, description: 'Vouchers of one booklet' })
  @IsArray()
  @ArrayMinSize(1, { message: 'vouchers must hold at least one voucher' })
  @ArrayMaxSize(MAX_VOUCHERS_PER_REDEMPTION, { message: `vouchers holds at most ${MAX_VOUCHERS_PER_REDEMPTION} vouchers` })
  @ValidateNested({ each: true })
  @Type(() => VoucherCodeDto)
  vouchers: VoucherCodeDto[];

  @ApiProperty({ example: 'workshop', description: 'Service category (operator’s list) of the service delivered' })
  @Matches(CATEGORY_CODE, { message: 'serviceCategoryCode must be a category code' })
  serviceCategoryCode: string;

  @ApiProperty({ example: '2026-11-28T10:30:00+01:00', description: 'When the service took place (at most 7 days ago)' })
  @IsISO8601(DATE_TIME_ISO_OPTIONS, { message: 'occurredAt must be an ISO 8601 date-time' })
  @Matches(DATE_TIME_WITH_OFFSET, {
    message: 'occurredAt must be a date-time with its offset, e.g. 2026-11-28T10:30:00+01:00 or 2026-11-28T09:30:00Z',
  })
  occurredAt: string;
}

export class BatchItemDto extends CreateRedemptionDto {
  @ApiProperty({ description: 'The idempotency key the scanner gave this scan (unique per site)', maxLength: 100 })
  @Matches(/^[A-Za-z0-9._:-]{8,100}$/, { message: 'idempotencyKey must be 8-100 characters of A-Z a-z 0-9 . _ : -' })
  idempotencyKey: string;
}

export class UndoRedemptionDto {
  @ApiProperty({ enum: UNDO_REASONS })
  @IsIn(UNDO_REASONS)
  reasonCode: (typeof UNDO_REASONS)[number];
}

export class RedeemedVoucherDto {
  @ApiProperty({ example: 'SLG-2026-000123-07' }) serial: string;
  @ApiProperty({ description: 'Face value in cents' }) amountCents: number;
}

export class RedemptionDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) siteId: string;
  @ApiProperty({ format: 'uuid' }) orderId: string;
  @ApiProperty({ example: 'SLG-2026-000123' }) bookletSerial: string;
  @ApiProperty({ type: [RedeemedVoucherDto] }) vouchers: RedeemedVoucherDto[];
  @ApiProperty() amountCents: number;
  @ApiProperty() serviceCategoryCode: string;
  @ApiProperty({ format: 'date-time' }) occurredAt: string;
  @ApiProperty({ format: 'date-time' }) recordedAt: string;
  @ApiProperty({ enum: ['online', 'batch'] }) channel: 'online' | 'batch';
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) undoneAt: string | null;
  @ApiProperty({ nullable: true, type: String }) undoReason: string | null;
  @ApiProperty({ format: 'date-time', description: 'Until when it can be undone (24 h after it was recorded, while in no statement)' })
  undoableUntil: string;
}

export class RedemptionPageDto {
  @ApiProperty({ type: [RedemptionDto] }) items: RedemptionDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

export class CheckResultDto {
  @ApiProperty({ description: 'true when the voucher can be redeemed here now' }) redeemable: boolean;
  @ApiProperty({ description: 'OK, or the reason code a redemption would get', example: 'OK' }) reasonCode: string;
  @ApiProperty({ description: 'The reason in plain words (English)' }) detail: string;
  @ApiPropertyOptional({ example: 'SLG-2026-000123-07' }) serial?: string;
  @ApiPropertyOptional() amountCents?: number;
  @ApiPropertyOptional({ description: 'Redemption deadline (end of this Paris day)', example: '2027-06-30' }) redeemableUntil?: string;
}

/** Filters shared by the site views: a period of Paris days of `recordedAt`, and one site. */
export class RecordedPeriodQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Recorded on or after this day (Paris date)', example: '2026-11-01' })
  @IsOptional()
  @IsCalendarDate()
  from?: string;

  @ApiPropertyOptional({ description: 'Recorded on or before this day (Paris date)', example: '2026-11-30' })
  @IsOptional()
  @IsCalendarDate()
  to?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'One site (operator and funders; a site always sees its own only)' })
  @IsOptional()
  @IsUUID('all', { message: 'siteId must be a UUID' })
  siteId?: string;
}

export class ListRedemptionsQueryDto extends RecordedPeriodQueryDto {
  @ApiPropertyOptional()
  @IsOptional()
  @Matches(CATEGORY_CODE, { message: 'serviceCategoryCode must be a category code' })
  serviceCategoryCode?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'orderId must be a UUID' })
  orderId?: string;

  @ApiPropertyOptional({ description: 'Include undone redemptions (default true)' })
  @IsOptional()
  @IsIn(['true', 'false'])
  includeUndone?: 'true' | 'false';
}

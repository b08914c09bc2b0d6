import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { PageQueryDto } from '@sillage/common';
import { BOOKLET_STATES, BookletState, VOUCHER_STATUSES, VoucherStatus } from '../booklet.entity';

export const BLOCK_REASONS = ['lost', 'stolen', 'damaged', 'fraud_suspected', 'other'] as const;
export type BlockReason = (typeof BLOCK_REASONS)[number];

export class BookletDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) orderId: string;
  @ApiProperty({ example: 'SLG-2026-000123' }) serial: string;
  @ApiProperty({ description: 'Position in the order (replacement booklets come after the ordered ones)' }) number: number;
  @ApiProperty() voucherCount: number;
  @ApiProperty({ enum: BOOKLET_STATES }) state: BookletState;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) blockedAt: string | null;
  @ApiProperty({ type: String, nullable: true, enum: BLOCK_REASONS }) blockReason: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) replacesBookletId: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) replacedByBookletId: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class VoucherDto {
  @ApiProperty({ example: 'SLG-2026-000123-07' }) serial: string;
  @ApiProperty() idx: number;
  @ApiProperty({ enum: VOUCHER_STATUSES }) status: VoucherStatus;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) statusChangedAt: string | null;
}

export class BookletDetailDto extends BookletDto {
  @ApiProperty() faceValueCents: number;
  @ApiProperty({ type: [VoucherDto] }) vouchers: VoucherDto[];
}

export class BookletPageDto {
  @ApiProperty({ type: [BookletDto] }) items: BookletDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export class ListBookletsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: BOOKLET_STATES })
  @IsOptional()
  @IsIn(BOOKLET_STATES)
  state?: BookletState;

  @ApiPropertyOptional({ type: Boolean })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  blocked?: boolean;
}

export class BlockDto {
  @ApiProperty({ enum: BLOCK_REASONS })
  @IsIn(BLOCK_REASONS)
  reasonCode: BlockReason;

  @ApiPropertyOptional({ maxLength: 500, description: 'Free text; kept out of the sealed audit trail' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  // eslint-disable-next-line no-control-regex
  @Matches(/^[^\u0000-\u001f\u007f]*$/, { message: '$property must not contain control characters' })
  note?: string;
}

export class ReplacementDto {
  @ApiProperty({ type: BookletDto, description: 'The blocked booklet, its unredeemed vouchers now REPLACED' }) replaced: BookletDto;
  @ApiProperty({ type: BookletDto, description: 'The new booklet carrying exactly their value' }) replacement: BookletDto;
  @ApiProperty() vouchers: number;
  @ApiProperty() valueCents: number;
}

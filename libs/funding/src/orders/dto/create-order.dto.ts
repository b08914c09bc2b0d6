import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsBoolean, IsInt, IsOptional, IsUUID, Matches, Max, Min } from 'class-validator';
import { IsCommuneCode } from '@sillage/common';
import { IsCalendarDate } from '../../shared/validation';

export const MAX_BOOKLETS_PER_ORDER = 1_000_000;

export class CreateOrderDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'The funder ordering; a funder’s own users may omit it (operator: required)' })
  @IsOptional()
  @IsUUID('all')
  funderId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'The funder’s contract with the operator (sets the upstream fee rate)' })
  @IsOptional()
  @IsUUID('all')
  contractId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'A grant held by the funder that finances this order' })
  @IsOptional()
  @IsUUID('all')
  grantId?: string;

  @ApiProperty({ minimum: 1, maximum: MAX_BOOKLETS_PER_ORDER })
  @IsInt()
  @Min(1)
  @Max(MAX_BOOKLETS_PER_ORDER)
  bookletCount: number;

  @ApiProperty({ minimum: 1, maximum: 20 })
  @IsInt()
  @Min(1)
  @Max(20)
  vouchersPerBooklet: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 1_000_000, default: 1000, description: 'Face value of one voucher in cents' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  faceValueCents?: number;

  @ApiProperty({ format: 'date', description: 'Last day of validity (Europe/Paris); not in the past for a live order' })
  @IsCalendarDate()
  validityEndDate: string;

  @ApiPropertyOptional({
    minimum: 0,
    maximum: 366,
    default: 31,
    description: 'Calendar days after validity during which a service still counts',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(366)
  toleranceDays?: number;

  @ApiPropertyOptional({ type: [String], example: ['35', '2A', '974'], description: 'Eligible departments (INSEE codes)' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(110)
  @Matches(/^(0[1-9]|[1-8][0-9]|9[0-5]|2A|2B|97[1-6])$/, {
    each: true,
    message: 'each value in departmentCodes must be a French department code (e.g. 35, 2A, 974)',
  })
  departmentCodes?: string[];

  @ApiPropertyOptional({ type: [String], description: 'Eligible communes (INSEE codes)' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(5000)
  @IsCommuneCode({ each: true })
  communeCodes?: string[];

  @ApiPropertyOptional({ type: [String], description: 'Allow-list of site organisations; when given, only these sites redeem' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(5000)
  @IsUUID('all', { each: true })
  siteOrganisationIds?: string[];

  @ApiPropertyOptional({ type: [String], description: 'Allowed service categories (codes of the operator’s list); empty: all' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @Matches(/^[a-z][a-z0-9_-]{1,39}$/, { each: true, message: 'each value in serviceCategoryCodes must be a service category code' })
  serviceCategoryCodes?: string[];

  @ApiPropertyOptional({ default: false, description: 'Vouchers redeemable before the booklet is handed to a beneficiary' })
  @IsOptional()
  @IsBoolean()
  redeemableBeforeDistribution?: boolean;

  @ApiPropertyOptional({ default: false, description: 'A site may redeem a booklet its own organisation distributed' })
  @IsOptional()
  @IsBoolean()
  selfRedemptionAllowed?: boolean;

  @ApiPropertyOptional({ minimum: 0, maximum: 366, default: 15, description: 'Distribution stops this many days before validity ends' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(366)
  stopDistributionDays?: number;

  @ApiPropertyOptional({ format: 'date', description: 'Defaults to today (Europe/Paris)' })
  @IsOptional()
  @IsCalendarDate()
  orderedOn?: string;

  @ApiPropertyOptional({ default: false, description: 'History from a previous operator: past dates allowed, figures only, no vouchers' })
  @IsOptional()
  @IsBoolean()
  historical?: boolean;

  @ApiPropertyOptional({ format: 'date', description: 'Historical orders: when it was paid' })
  @IsOptional()
  @IsCalendarDate()
  paidOn?: string;

  @ApiPropertyOptional({ minimum: 0, description: 'Historical orders: vouchers redeemed' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(20 * MAX_BOOKLETS_PER_ORDER)
  redeemedCount?: number;

  @ApiPropertyOptional({ minimum: 0, description: 'Historical orders: vouchers expired' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(20 * MAX_BOOKLETS_PER_ORDER)
  expiredCount?: number;
}

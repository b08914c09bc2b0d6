import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsEmail, IsIn, IsOptional, IsString, Matches, MaxLength, ValidateNested } from 'class-validator';
import { IsCommuneCode, PageQueryDto } from '@sillage/common';
import { IsCalendarDate, Text } from '@sillage/funding';
import { BOOKLET_SERIAL_PATTERN } from '@sillage/issuance';
import { AGE_BANDS, AgeBand } from '../handover.entity';

export class ProfileInputDto {
  @ApiProperty({ enum: AGE_BANDS })
  @IsIn(AGE_BANDS)
  ageBand: AgeBand;

  @ApiProperty({ example: '35238', description: 'INSEE code of the beneficiary’s commune' })
  @IsCommuneCode()
  communeCode: string;

  @ApiPropertyOptional({ description: 'One of the funder’s public categories' })
  @IsOptional()
  @Matches(/^[a-z][a-z0-9_-]{1,39}$/, { message: 'publicCategoryCode must be a category code' })
  publicCategoryCode?: string;
}

export class ContactInputDto {
  @ApiPropertyOptional({ maxLength: 120 })
  @IsOptional()
  @Text(120)
  name?: string;

  @ApiPropertyOptional({ maxLength: 254 })
  @IsOptional()
  @IsEmail({}, { message: 'contact.email must be an email address' })
  @MaxLength(254)
  email?: string;

  @ApiPropertyOptional({ example: '+33612345678' })
  @IsOptional()
  @IsString()
  @Matches(/^\+?[0-9 .-]{6,20}$/, { message: 'contact.phone must be a phone number' })
  phone?: string;
}

export const CONSENT_PURPOSES = ['reminders', 'follow_up', 'satisfaction_survey'] as const;

export class ConsentInputDto {
  @ApiProperty({ enum: CONSENT_PURPOSES })
  @IsIn(CONSENT_PURPOSES)
  purpose: (typeof CONSENT_PURPOSES)[number];

  @ApiProperty({ format: 'date' })
  @IsCalendarDate()
  givenOn: string;

  @ApiProperty({ example: 'consent-2026-01', description: 'Version of the consent text read to the person' })
  @Matches(/^[A-Za-z0-9._-]{1,40}$/, { message: 'consent.textVersion must be a short version label' })
  textVersion: string;
}

export class CreateHandoverDto {
  @ApiProperty({ example: 'SLG-2026-000123' })
  @Matches(BOOKLET_SERIAL_PATTERN, { message: 'bookletSerial must be a booklet serial such as SLG-2026-000123' })
  bookletSerial: string;

  @ApiPropertyOptional({ format: 'date', description: 'Defaults to today (Europe/Paris); not in the future' })
  @IsOptional()
  @IsCalendarDate()
  handedOn?: string;

  @ApiProperty({ type: ProfileInputDto })
  @ValidateNested()
  @Type(() => ProfileInputDto)
  profile: ProfileInputDto;

  @ApiPropertyOptional({ type: ContactInputDto, description: 'Only with consent; stored encrypted in the vault' })
  @IsOptional()
  @ValidateNested()
  @Type(() => ContactInputDto)
  contact?: ContactInputDto;

  @ApiPropertyOptional({ type: ConsentInputDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => ConsentInputDto)
  consent?: ConsentInputDto;
}

export const RETURN_REASONS = ['recorded_in_error', 'not_collected', 'beneficiary_declined', 'other'] as const;

export class ReturnHandoverDto {
  @ApiProperty({ enum: RETURN_REASONS })
  @IsIn(RETURN_REASONS)
  reasonCode: (typeof RETURN_REASONS)[number];
}

export class HandoverDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) bookletId: string;
  @ApiProperty() bookletSerial: string;
  @ApiProperty({ format: 'uuid' }) orderId: string;
  @ApiProperty({ format: 'uuid' }) distributorId: string;
  @ApiProperty({ format: 'date' }) handedOn: string;
  @ApiPropertyOptional({ type: String, format: 'uuid', description: 'The distributor only: its beneficiary record' })
  beneficiaryId?: string;
  @ApiPropertyOptional({ description: 'The distributor only' }) withContact?: boolean;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) returnedAt: string | null;
  @ApiProperty({ type: String, nullable: true }) returnReason: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class HandoverPageDto {
  @ApiProperty({ type: [HandoverDto] }) items: HandoverDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export class ListHandoversQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @Matches(/^[0-9a-fA-F-]{36}$/, { message: 'orderId must be a UUID' })
  orderId?: string;

  @ApiPropertyOptional({
    example: 'SLG-2026-000123',
    description: 'One booklet’s hand-overs (a person asking at the desk about their data)',
  })
  @IsOptional()
  @Matches(BOOKLET_SERIAL_PATTERN, { message: 'bookletSerial must be a booklet serial such as SLG-2026-000123' })
  bookletSerial?: string;

  @ApiPropertyOptional({ enum: ['oldest', 'newest'], default: 'oldest', description: 'Recording order (the desk reads the newest first)' })
  @IsOptional()
  @IsIn(['oldest', 'newest'], { message: 'order must be oldest or newest' })
  order?: 'oldest' | 'newest';
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min, MinLength } from 'class-validator';
import { PageQueryDto } from '@sillage/common';
import { IsCalendarDate } from '@sillage/funding';

export class CreatePricingRuleDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'The contract this rule prices; absent = the default rule' })
  @IsOptional()
  @IsUUID('all', { message: 'contractId must be a UUID' })
  contractId?: string;

  @ApiPropertyOptional({
    minimum: 0,
    maximum: 10000,
    description: 'Reimbursement rate in basis points of the face value (10,000 = 100 %); or fixedAmountCents',
  })
  @IsOptional()
  @IsInt({ message: 'rateBp must be an integer number of basis points' })
  @Min(0)
  @Max(10000)
  rateBp?: number;

  @ApiPropertyOptional({ minimum: 1, description: 'Fixed amount per voucher in cents (at most the face value is paid); or rateBp' })
  @IsOptional()
  @IsInt({ message: 'fixedAmountCents must be an integer number of cents' })
  @Min(1)
  @Max(100_000_00)
  fixedAmountCents?: number;

  @ApiPropertyOptional({
    minimum: 0,
    maximum: 10000,
    default: 0,
    description: 'Site commission kept by the platform, basis points of the reimbursement',
  })
  @IsOptional()
  @IsInt({ message: 'commissionBp must be an integer number of basis points' })
  @Min(0)
  @Max(10000)
  commissionBp?: number;

  @ApiProperty({ example: '2027-01-01', description: 'First day (Paris) of services this rule prices' })
  @IsCalendarDate()
  validFrom: string;

  @ApiPropertyOptional({ example: '2027-12-31', description: 'Last day (Paris); absent = open-ended' })
  @IsOptional()
  @IsCalendarDate()
  validUntil?: string;

  @ApiProperty({ description: 'Shown on statements; never changes once the rule exists', maxLength: 300 })
  @IsString()
  @MinLength(3)
  @MaxLength(300)
  description: string;
}

export class ListPricingRulesQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Only this contract’s rules (the default rule has none)' })
  @IsOptional()
  @IsUUID('all', { message: 'contractId must be a UUID' })
  contractId?: string;
}

export class PricingRuleDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) contractId: string | null;
  @ApiProperty() version: number;
  @ApiProperty({ nullable: true, type: Number }) rateBp: number | null;
  @ApiProperty({ nullable: true, type: Number }) fixedAmountCents: number | null;
  @ApiProperty() commissionBp: number;
  @ApiProperty({ format: 'date' }) validFrom: string;
  @ApiProperty({ format: 'date', nullable: true, type: String }) validUntil: string | null;
  @ApiProperty() description: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class PricingRulePageDto {
  @ApiProperty({ type: [PricingRuleDto] }) items: PricingRuleDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

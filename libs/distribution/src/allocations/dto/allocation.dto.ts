import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsOptional, IsUUID, Matches, Max, Min, ValidateNested } from 'class-validator';
import { PageQueryDto } from '@sillage/common';
import { BOOKLET_SERIAL_PATTERN } from '@sillage/issuance';
import { MovementKind } from '../allocation-movement.entity';

export class SerialRangeDto {
  @ApiProperty({ example: 'SLG-2026-000101' })
  @Matches(BOOKLET_SERIAL_PATTERN, { message: 'fromSerial must be a booklet serial such as SLG-2026-000101' })
  fromSerial: string;

  @ApiProperty({ example: 'SLG-2026-000150', description: 'Same order as fromSerial, not before it' })
  @Matches(BOOKLET_SERIAL_PATTERN, { message: 'toSerial must be a booklet serial such as SLG-2026-000150' })
  toSerial: string;
}

export class CreateMovementDto {
  @ApiPropertyOptional({ enum: ['allocate', 'transfer', 'return'], default: 'allocate' })
  @IsOptional()
  @IsIn(['allocate', 'transfer', 'return'])
  kind?: MovementKind;

  @ApiPropertyOptional({ format: 'uuid', description: 'The funder whose booklets move (operator only; a funder moves its own)' })
  @IsOptional()
  @IsUUID('all')
  funderId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'transfer, return: the distributor giving the booklets' })
  @IsOptional()
  @IsUUID('all')
  fromDistributorId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'allocate, transfer: the distributor receiving them' })
  @IsOptional()
  @IsUUID('all')
  toDistributorId?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 1_000_000, description: 'How many booklets (oldest paid orders first); or give ranges' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  count?: number;

  @ApiPropertyOptional({ format: 'uuid', description: 'With count: only booklets of this order' })
  @IsOptional()
  @IsUUID('all')
  orderId?: string;

  @ApiPropertyOptional({ type: [SerialRangeDto], description: 'Exact serial ranges (each within one order)' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  @Type(() => SerialRangeDto)
  ranges?: SerialRangeDto[];
}

export class MovedRangeDto {
  @ApiProperty({ format: 'uuid' }) orderId: string;
  @ApiProperty() fromSerial: string;
  @ApiProperty() toSerial: string;
  @ApiProperty() count: number;
}

export class MovementDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ['allocate', 'transfer', 'return'] }) kind: MovementKind;
  @ApiProperty({ format: 'uuid' }) funderId: string;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) fromDistributorId: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) toDistributorId: string | null;
  @ApiProperty() bookletCount: number;
  @ApiProperty({ type: [MovedRangeDto] }) ranges: MovedRangeDto[];
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class MovementPageDto {
  @ApiProperty({ type: [MovementDto] }) items: MovementDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export class ListMovementsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all')
  funderId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Movements from or to this distributor' })
  @IsOptional()
  @IsUUID('all')
  distributorId?: string;

  @ApiPropertyOptional({ enum: ['allocate', 'transfer', 'return'] })
  @IsOptional()
  @IsIn(['allocate', 'transfer', 'return'])
  kind?: MovementKind;
}

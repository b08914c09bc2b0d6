import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsUUID } from 'class-validator';
import { IsCalendarDate, RateBp, Text } from '../../shared/validation';

export class CreateProgrammeDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all')
  policyId: string;

  @ApiProperty({ example: 'AAP 2019', maxLength: 200 })
  @Text(200)
  name: string;

  @ApiProperty({ minimum: 0, maximum: 10000, description: 'Maximum co-financing rate of its grants, in basis points' })
  @RateBp()
  maxCofinancingRateBp: number;

  @ApiPropertyOptional({ format: 'date' })
  @IsOptional()
  @IsCalendarDate()
  announcedOn?: string;

  @ApiPropertyOptional({ format: 'date' })
  @IsOptional()
  @IsCalendarDate()
  launchedOn?: string;

  @ApiPropertyOptional({ format: 'date' })
  @IsOptional()
  @IsCalendarDate()
  laureatesPublishedOn?: string;
}

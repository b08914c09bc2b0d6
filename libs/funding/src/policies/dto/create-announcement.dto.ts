import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { AmountCents, IsCalendarDate, Text } from '../../shared/validation';

/** Either `amountCents`, or both `minAmountCents` and `maxAmountCents` (min ≤ max). */
export class CreateAnnouncementDto {
  @ApiProperty({ maxLength: 200 })
  @Text(200)
  label: string;

  @ApiPropertyOptional({ minimum: 1, description: 'Announced amount in cents (or give a range)' })
  @IsOptional()
  @AmountCents()
  amountCents?: number;

  @ApiPropertyOptional({ minimum: 1, description: 'Lower bound of an announced range, in cents' })
  @IsOptional()
  @AmountCents()
  minAmountCents?: number;

  @ApiPropertyOptional({ minimum: 1, description: 'Upper bound of an announced range, in cents' })
  @IsOptional()
  @AmountCents()
  maxAmountCents?: number;

  @ApiProperty({ format: 'date', example: '2017-09-12' })
  @IsCalendarDate()
  announcedOn: string;

  @ApiProperty({ maxLength: 500, description: 'Where it was announced (URL, press release reference)' })
  @Text(500)
  sourceReference: string;
}

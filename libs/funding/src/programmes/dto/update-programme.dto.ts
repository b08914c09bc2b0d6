import { ApiPropertyOptional } from '@nestjs/swagger';
import { IfPresent } from '@sillage/identity';
import { IsCalendarDate, RateBp, Text } from '../../shared/validation';

export class UpdateProgrammeDto {
  @ApiPropertyOptional({ maxLength: 200 })
  @IfPresent()
  @Text(200)
  name?: string;

  @ApiPropertyOptional({ minimum: 0, maximum: 10000, description: 'Refused below the rate of an existing grant' })
  @IfPresent()
  @RateBp()
  maxCofinancingRateBp?: number;

  @ApiPropertyOptional({ format: 'date' })
  @IfPresent()
  @IsCalendarDate()
  announcedOn?: string;

  @ApiPropertyOptional({ format: 'date' })
  @IfPresent()
  @IsCalendarDate()
  launchedOn?: string;

  @ApiPropertyOptional({ format: 'date' })
  @IfPresent()
  @IsCalendarDate()
  laureatesPublishedOn?: string;
}

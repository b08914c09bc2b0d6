import { ApiProperty } from '@nestjs/swagger';
import { IsCalendarDate, Text } from '../../shared/validation';

export class ExtendValidityDto {
  @ApiProperty({ format: 'date', description: 'Later than the current validity end date' })
  @IsCalendarDate()
  newEndDate: string;

  @ApiProperty({ maxLength: 500 })
  @Text(500)
  reason: string;
}

import { ApiProperty } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';
import { IsCalendarDate, RateBp, Text } from '../../shared/validation';

export class CreateContractDto {
  @ApiProperty({ format: 'uuid', description: 'An organisation of kind funder' })
  @IsUUID('all')
  funderId: string;

  @ApiProperty({ maxLength: 100, description: 'The contract reference, unique per funder' })
  @Text(100)
  reference: string;

  @ApiProperty({ format: 'date' })
  @IsCalendarDate()
  publishedOn: string;

  @ApiProperty({ format: 'date', description: 'Not before publishedOn' })
  @IsCalendarDate()
  notifiedOn: string;

  @ApiProperty({ format: 'date', description: 'Not before notifiedOn' })
  @IsCalendarDate()
  endDate: string;

  @ApiProperty({ minimum: 0, maximum: 10000, description: 'Upstream fee on top of face value, in basis points (400 = 4 %)' })
  @RateBp()
  upstreamFeeRateBp: number;
}

import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches } from 'class-validator';
import { DATE_TIME_WITH_OFFSET } from '@sillage/common';

export class LedgerBalanceQueryDto {
  @ApiPropertyOptional({ format: 'date-time', description: 'Business time (ISO 8601 with offset); default now' })
  @IsOptional()
  @IsString()
  @Matches(DATE_TIME_WITH_OFFSET, {
    message: 'at must be an ISO 8601 date-time with offset',
  })
  at?: string;
}

import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches } from 'class-validator';

export class LedgerBalanceQueryDto {
  @ApiPropertyOptional({ format: 'date-time', description: 'Business time (ISO 8601 with offset); default now' })
  @IsOptional()
  @IsString()
  @Matches(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/, {
    message: 'at must be an ISO 8601 date-time with offset',
  })
  at?: string;
}

import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

export class ListFailedJobsQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20, description: 'How many failures to list, most recent first' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;
}

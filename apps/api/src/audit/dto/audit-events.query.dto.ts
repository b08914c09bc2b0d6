import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';

export class AuditEventsQueryDto {
  @ApiProperty({ example: 'organisation', description: 'Subject type, e.g. `organisation`, `user`, `api_key`' })
  @IsString()
  @Matches(/^[a-z][a-z0-9_]{0,63}$/)
  subjectType: string;

  @ApiPropertyOptional({ description: 'Subject id (omit for every subject of the type)' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  subjectId?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  @ApiPropertyOptional({ description: '`nextCursor` of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(512)
  cursor?: string;
}

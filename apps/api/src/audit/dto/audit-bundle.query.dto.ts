import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';

export class AuditBundleQueryDto {
  @ApiProperty({ example: 'organisation' })
  @IsString()
  @Matches(/^[a-z][a-z0-9_]{0,63}$/)
  subjectType: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(200)
  subjectId?: string;
}

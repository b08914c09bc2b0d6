import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsCommuneCode, PageQueryDto } from '@sillage/common';
import { IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import { SITE_STATUSES, SiteStatus } from '../site-profile.entity';

/** Metropolitan departments 01-95 (Corsica 2A, 2B), overseas 971-976. */
export const DEPARTMENT_CODE = /^(0[1-9]|[1-8][0-9]|9[0-5]|2A|2B|97[1-6])$/;

export class ListSitesQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: SITE_STATUSES, description: '`applied` gives the qualification queue, oldest application first' })
  @IsOptional()
  @IsIn(SITE_STATUSES)
  status?: SiteStatus;

  @ApiPropertyOptional({ description: 'INSEE commune code', example: '69123' })
  @IsOptional()
  @IsCommuneCode()
  communeCode?: string;

  @ApiPropertyOptional({ description: 'Department code (01-95, 2A, 2B, 971-976)', example: '69' })
  @IsOptional()
  @IsString()
  @Matches(DEPARTMENT_CODE, { message: 'departmentCode must be a French department code such as 69, 2A or 974' })
  departmentCode?: string;

  @ApiPropertyOptional({ description: 'Legal name contains (case-insensitive)', maxLength: 100 })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  // eslint-disable-next-line no-control-regex
  @Matches(/^[^\u0000-\u001f\u007f]*$/, { message: 'q must not contain control characters' })
  q?: string;
}

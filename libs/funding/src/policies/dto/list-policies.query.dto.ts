import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsUUID } from 'class-validator';
import { PageQueryDto } from '@sillage/common';
import { Text } from '../../shared/validation';

export class ListPoliciesQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Only policies with a grant to this funder' })
  @IsOptional()
  @IsUUID('all')
  funderId?: string;

  @ApiPropertyOptional({ maxLength: 100, description: 'Name contains (case-insensitive)' })
  @IsOptional()
  @Text(100)
  q?: string;
}

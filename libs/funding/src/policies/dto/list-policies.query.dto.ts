import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsUUID } from 'class-validator';
import { FundingPageQueryDto } from '../../dto/page-query.dto';
import { Text } from '../../shared/validation';

export class ListPoliciesQueryDto extends FundingPageQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Only policies with a grant to this funder' })
  @IsOptional()
  @IsUUID('all')
  funderId?: string;

  @ApiPropertyOptional({ maxLength: 100, description: 'Name contains (case-insensitive)' })
  @IsOptional()
  @Text(100)
  q?: string;
}

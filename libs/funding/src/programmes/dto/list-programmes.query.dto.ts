import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsUUID } from 'class-validator';
import { FundingPageQueryDto } from '../../dto/page-query.dto';

export class ListProgrammesQueryDto extends FundingPageQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all')
  policyId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Only programmes with a grant to this funder' })
  @IsOptional()
  @IsUUID('all')
  funderId?: string;
}

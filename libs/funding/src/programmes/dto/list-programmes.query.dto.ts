import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsUUID } from 'class-validator';
import { PageQueryDto } from '@sillage/common';

export class ListProgrammesQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all')
  policyId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Only programmes with a grant to this funder' })
  @IsOptional()
  @IsUUID('all')
  funderId?: string;
}

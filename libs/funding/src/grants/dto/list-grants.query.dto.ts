import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsUUID } from 'class-validator';
import { FundingPageQueryDto } from '../../dto/page-query.dto';

export class ListGrantsQueryDto extends FundingPageQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all')
  funderId?: string;
}

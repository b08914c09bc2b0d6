import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { PageQueryDto } from '@sillage/common';

export class ListPartnershipsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all')
  funderId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all')
  distributorId?: string;

  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'true: ongoing only; false: ended only' })
  @IsOptional()
  @IsIn(['true', 'false'])
  active?: 'true' | 'false';
}

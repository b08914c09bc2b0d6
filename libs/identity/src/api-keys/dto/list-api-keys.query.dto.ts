import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { PageQueryDto } from '@sillage/common';

export class ListApiKeysQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'true: revoked keys only; false: live keys only' })
  @IsOptional()
  @IsIn(['true', 'false'])
  revoked?: 'true' | 'false';
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { Text } from '../../shared/validation';

export class CreatePolicyDto {
  @ApiProperty({ example: 'Pass numérique', maxLength: 200 })
  @Text(200)
  name: string;

  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional()
  @Text(2000)
  description?: string;
}

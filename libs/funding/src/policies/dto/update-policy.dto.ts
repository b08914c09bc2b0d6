import { ApiPropertyOptional } from '@nestjs/swagger';
import { IfPresent } from '@sillage/identity';
import { Text } from '../../shared/validation';

export class UpdatePolicyDto {
  @ApiPropertyOptional({ maxLength: 200 })
  @IfPresent()
  @Text(200)
  name?: string;

  @ApiPropertyOptional({ maxLength: 2000 })
  @IfPresent()
  @Text(2000)
  description?: string;
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ROLES, Role } from '../../access/principal';
import { MeOrganisationDto } from './me-organisation.dto';

export class MeDto {
  @ApiProperty({ enum: ['user', 'api_key'] })
  type: 'user' | 'api_key';

  @ApiProperty({ format: 'uuid', description: 'The user id, or the API key id.' })
  id: string;

  @ApiPropertyOptional({ description: 'Users only.' })
  email?: string;

  @ApiPropertyOptional({ description: "A user's display name, or an API key's name." })
  displayName?: string;

  @ApiProperty({ enum: ROLES })
  role: Role;

  @ApiProperty({ type: MeOrganisationDto })
  organisation: MeOrganisationDto;

  @ApiPropertyOptional({ description: 'Users only: whether a second factor is enabled.' })
  totpEnabled?: boolean;
}

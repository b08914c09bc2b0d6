import { ApiProperty } from '@nestjs/swagger';
import { ROLES, Role } from '../../access/principal';

export class ApiKeyDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  organisationId: string;

  @ApiProperty()
  name: string;

  @ApiProperty({ enum: ROLES })
  role: Role;

  @ApiProperty({ example: 'slg_Ab3dE9', description: 'First characters of the secret, to recognise the key' })
  prefix: string;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  revokedAt: string | null;

  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'Recorded to the minute' })
  lastUsedAt: string | null;
}

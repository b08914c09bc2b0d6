import { ApiProperty } from '@nestjs/swagger';
import { ROLES, Role } from '../../access/principal';
import { DirectoryUserStatus, USER_STATUSES } from '../user-directory.repository';

export class UserDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  organisationId: string;

  @ApiProperty()
  email: string;

  @ApiProperty()
  displayName: string;

  @ApiProperty({ enum: ROLES })
  role: Role;

  @ApiProperty({ enum: USER_STATUSES, description: '`invited` until the user sets a password' })
  status: DirectoryUserStatus;

  @ApiProperty({ description: 'Two-factor authentication confirmed' })
  totpEnabled: boolean;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt: string;
}

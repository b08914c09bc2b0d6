import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsIn, IsOptional, IsString, IsUUID, Length, Matches, MaxLength } from 'class-validator';
import { ROLES, Role } from '../../access/principal';
import { NoControlCharacters } from '../../organisations/directory-support';

export class CreateUserDto {
  @ApiProperty({ example: 'camille.durand@example.fr', maxLength: 254, description: 'Stored lower-cased; unique' })
  @IsString()
  @MaxLength(254)
  @IsEmail()
  email: string;

  @ApiProperty({ example: 'Camille Durand', maxLength: 200 })
  @IsString()
  @Length(1, 200)
  @Matches(/\S/, { message: '$property must not be blank' })
  @NoControlCharacters()
  displayName: string;

  @ApiProperty({ enum: ROLES, description: '`dpo` only in the operator organisation' })
  @IsIn(ROLES)
  role: Role;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'Required for the operator’s admin; an organisation admin may omit it (or pass its own organisation)',
  })
  @IsOptional()
  @IsUUID('all')
  organisationId?: string;
}

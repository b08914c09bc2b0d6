import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsString, Length, Matches } from 'class-validator';
import { ROLES, Role } from '../../access/principal';
import { NoControlCharacters } from '../../organisations/directory-support';

export class CreateApiKeyDto {
  @ApiProperty({ example: 'Tablette accueil', maxLength: 100, description: 'To recognise the key in the list' })
  @IsString()
  @Length(1, 100)
  @Matches(/\S/, { message: '$property must not be blank' })
  @NoControlCharacters()
  name: string;

  @ApiProperty({ enum: ROLES, description: 'Any role up to admin; `dpo` is refused' })
  @IsIn(ROLES)
  role: Role;
}

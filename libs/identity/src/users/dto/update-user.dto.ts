import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString, Length, Matches } from 'class-validator';
import { ROLES, Role } from '../../access/principal';
import { NoControlCharacters, IfPresent } from '../../organisations/directory-support';

export class UpdateUserDto {
  @ApiPropertyOptional({ enum: ROLES, description: 'Not your own; `dpo` only in the operator organisation' })
  @IfPresent()
  @IsIn(ROLES)
  role?: Role;

  @ApiPropertyOptional({ maxLength: 200 })
  @IfPresent()
  @IsString()
  @Length(1, 200)
  @Matches(/\S/, { message: '$property must not be blank' })
  @NoControlCharacters()
  displayName?: string;

  @ApiPropertyOptional({
    enum: ['active', 'disabled'],
    description:
      '`disabled` ends the user’s sessions (not yourself). `active` re-enables a disabled user (back to `invited` if they never set a password).',
  })
  @IfPresent()
  @IsIn(['active', 'disabled'])
  status?: 'active' | 'disabled';
}

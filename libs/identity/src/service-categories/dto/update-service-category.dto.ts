import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsString, Length, Matches } from 'class-validator';
import { NoControlCharacters, IfPresent } from '../../organisations/directory-support';

export class UpdateServiceCategoryDto {
  @ApiPropertyOptional({ maxLength: 100 })
  @IfPresent()
  @IsString()
  @Length(1, 100)
  @Matches(/\S/, { message: '$property must not be blank' })
  @NoControlCharacters()
  labelFr?: string;

  @ApiPropertyOptional({ maxLength: 100 })
  @IfPresent()
  @IsString()
  @Length(1, 100)
  @Matches(/\S/, { message: '$property must not be blank' })
  @NoControlCharacters()
  labelEn?: string;

  @ApiPropertyOptional({ description: 'Inactive categories stay on past records but cannot be chosen for new ones' })
  @IfPresent()
  @IsBoolean()
  active?: boolean;
}

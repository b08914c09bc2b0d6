import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsString, Length, Matches } from 'class-validator';
import { SERVICE_CATEGORY_CODE } from '../service-category.repository';
import { NoControlCharacters } from '../../organisations/directory-support';

export class CreateServiceCategoryDto {
  @ApiProperty({ example: 'atelier-collectif', pattern: SERVICE_CATEGORY_CODE.source })
  @IsString()
  @Matches(SERVICE_CATEGORY_CODE, { message: '$property must be 2 to 40 lower-case letters, digits, - or _, starting with a letter' })
  code: string;

  @ApiProperty({ example: 'Atelier collectif', maxLength: 100 })
  @IsString()
  @Length(1, 100)
  @Matches(/\S/, { message: '$property must not be blank' })
  @NoControlCharacters()
  labelFr: string;

  @ApiProperty({ example: 'Group workshop', maxLength: 100 })
  @IsString()
  @Length(1, 100)
  @Matches(/\S/, { message: '$property must not be blank' })
  @NoControlCharacters()
  labelEn: string;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}

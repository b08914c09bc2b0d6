import { ApiProperty } from '@nestjs/swagger';
import { IsCommuneCode } from '@sillage/common';
import { IsString, Length, Matches } from 'class-validator';
import { NoControlCharacters } from '../directory-support';

/** A postal address in France; `communeCode` is the INSEE code, checked against the official list. */
export class AddressDto {
  @ApiProperty({ example: '12 rue de la République', maxLength: 200 })
  @IsString()
  @Length(1, 200)
  @Matches(/\S/, { message: '$property must not be blank' })
  @NoControlCharacters()
  line: string;

  @ApiProperty({ example: '69002', pattern: '^[0-9]{5}$' })
  @IsString()
  @Matches(/^[0-9]{5}$/, { message: '$property must be 5 digits' })
  postcode: string;

  @ApiProperty({ example: '69382', description: 'INSEE commune code (code officiel géographique)' })
  @IsCommuneCode()
  communeCode: string;
}

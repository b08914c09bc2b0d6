import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsSiren, IsSiret } from '@sillage/common';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  ArrayUnique,
  IsArray,
  IsDefined,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  ValidateNested,
} from 'class-validator';
import { ORGANISATION_KINDS, OrganisationKind } from '../../access/principal';
import { FUNDER_TYPES, FunderType } from '../organisation.repository';
import { AddressDto } from './address.dto';
import { NoControlCharacters } from '../directory-support';

export class CreateOrganisationDto {
  @ApiProperty({
    enum: ['funder', 'distributor', 'site'],
    isArray: true,
    example: ['distributor', 'site'],
    description: 'One or more kinds. The operator organisation is created by the CLI, never through the API.',
  })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(ORGANISATION_KINDS.length)
  @ArrayUnique()
  @IsIn(ORGANISATION_KINDS, { each: true })
  kinds: OrganisationKind[];

  @ApiPropertyOptional({ enum: FUNDER_TYPES, description: 'Required when `kinds` includes funder, refused otherwise' })
  @IsOptional()
  @IsIn(FUNDER_TYPES)
  funderType?: FunderType;

  @ApiProperty({ example: 'Métropole de Lyon', maxLength: 200 })
  @IsString()
  @Length(1, 200)
  @Matches(/\S/, { message: '$property must not be blank' })
  @NoControlCharacters()
  legalName: string;

  @ApiProperty({ example: '200046977', description: '9 digits, Luhn check' })
  @IsSiren()
  siren: string;

  @ApiPropertyOptional({ example: '20004697700019', description: '14 digits, Luhn check; its first 9 digits are the SIREN' })
  @IsOptional()
  @IsSiret()
  siret?: string;

  @ApiProperty({ type: AddressDto })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => AddressDto)
  address: AddressDto;
}

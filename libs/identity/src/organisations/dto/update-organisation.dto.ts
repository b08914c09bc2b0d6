import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsSiren, IsSiret } from '@sillage/common';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  ArrayUnique,
  IsArray,
  IsIn,
  IsObject,
  IsString,
  Length,
  Matches,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { ORGANISATION_KINDS, OrganisationKind } from '../../access/principal';
import { NoControlCharacters, IfPresent } from '../directory-support';
import { FUNDER_TYPES, FunderType } from '../organisation.repository';
import { AddressDto } from './address.dto';

/**
 * An organisation's own admin may change `legalName` and `address`; the operator's admin may change
 * every field. `siret` and `funderType` may be set to null to clear them.
 */
export class UpdateOrganisationDto {
  @ApiPropertyOptional({ enum: ORGANISATION_KINDS, isArray: true, description: 'Operator admin only' })
  @IfPresent()
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(ORGANISATION_KINDS.length)
  @ArrayUnique()
  @IsIn(ORGANISATION_KINDS, { each: true })
  kinds?: OrganisationKind[];

  @ApiPropertyOptional({ enum: FUNDER_TYPES, nullable: true, description: 'Operator admin only' })
  @ValidateIf((_o: object, v: unknown) => v !== undefined && v !== null)
  @IsIn(FUNDER_TYPES)
  funderType?: FunderType | null;

  @ApiPropertyOptional({ maxLength: 200 })
  @IfPresent()
  @IsString()
  @Length(1, 200)
  @Matches(/\S/, { message: '$property must not be blank' })
  @NoControlCharacters()
  legalName?: string;

  @ApiPropertyOptional({ description: 'Operator admin only' })
  @IfPresent()
  @IsSiren()
  siren?: string;

  @ApiPropertyOptional({ type: String, nullable: true, pattern: '^[0-9]{14}$', description: 'Operator admin only' })
  @ValidateIf((_o: object, v: unknown) => v !== undefined && v !== null)
  @IsSiret()
  siret?: string | null;

  @ApiPropertyOptional({ type: AddressDto, description: 'The whole address, replaced at once' })
  @IfPresent()
  @IsObject()
  @ValidateNested()
  @Type(() => AddressDto)
  address?: AddressDto;
}

import { ApiProperty } from '@nestjs/swagger';
import { ORGANISATION_KINDS, OrganisationKind } from '../../access/principal';
import { FUNDER_TYPES, FunderType } from '../organisation.repository';
import { AddressDto } from './address.dto';

export class OrganisationDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ enum: ORGANISATION_KINDS, isArray: true })
  kinds: OrganisationKind[];

  @ApiProperty({ enum: FUNDER_TYPES, nullable: true })
  funderType: FunderType | null;

  @ApiProperty()
  legalName: string;

  @ApiProperty()
  siren: string;

  @ApiProperty({ nullable: true, type: String })
  siret: string | null;

  @ApiProperty({ type: AddressDto })
  address: AddressDto;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt: string;
}

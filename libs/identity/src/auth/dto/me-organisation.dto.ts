import { ApiProperty } from '@nestjs/swagger';
import { ORGANISATION_KINDS, OrganisationKind } from '../../access/principal';

export class MeOrganisationDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty()
  legalName: string;

  @ApiProperty({ enum: ORGANISATION_KINDS, isArray: true })
  kinds: OrganisationKind[];
}

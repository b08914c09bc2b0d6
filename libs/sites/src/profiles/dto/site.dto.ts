import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { SITE_STATUSES, SiteStatus } from '../site-profile.entity';
import { SiteAddressDto } from './site-address.dto';
import { SiteLabelDto } from './site-label.dto';

const OWN = 'The site itself and the operator only (absent from the public view funders and distributors get)';

/**
 * A site. The site itself and the operator get every field; funders and distributors read qualified
 * sites only, and only their public facts (no SIREN/SIRET, charter or timestamps).
 */
export class SiteDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty()
  legalName: string;

  @ApiProperty({ type: SiteAddressDto })
  address: SiteAddressDto;

  @ApiProperty({ type: Number, nullable: true, minimum: -90, maximum: 90 })
  latitude: number | null;

  @ApiProperty({ type: Number, nullable: true, minimum: -180, maximum: 180 })
  longitude: number | null;

  @ApiProperty({ type: [String], description: 'Service categories (codes of the operator’s list) the site offers' })
  serviceCategoryCodes: string[];

  @ApiProperty({ enum: SITE_STATUSES })
  status: SiteStatus;

  @ApiProperty({
    type: SiteLabelDto,
    nullable: true,
    description:
      'The label of the latest qualified decision covering today, else of the latest qualified decision; null if never qualified',
  })
  currentLabel: SiteLabelDto | null;

  @ApiPropertyOptional({ description: OWN })
  siren?: string;

  @ApiPropertyOptional({ type: String, nullable: true, description: `${OWN}. Required before applying.` })
  siret?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, description: `${OWN}. Version of the charter the site accepted.` })
  charterVersion?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, format: 'date-time', description: OWN })
  charterAcceptedAt?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, format: 'date-time', description: `${OWN}. Null until the first profile save.` })
  statusChangedAt?: string | null;

  @ApiPropertyOptional({ format: 'date-time', description: OWN })
  createdAt?: string;

  @ApiPropertyOptional({ format: 'date-time', description: OWN })
  updatedAt?: string;
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayUnique, IsArray, IsNumber, IsString, Matches, Max, Min, ValidateIf } from 'class-validator';

/** Coordinates come as a pair: both or neither (null or absent clears them). */
const hasCoordinates = (o: UpdateSiteProfileDto) =>
  (o.latitude !== undefined && o.latitude !== null) || (o.longitude !== undefined && o.longitude !== null);

/**
 * The profile a site declares. The whole profile is sent each time (coordinates and categories are
 * replaced); the charter is the exception: accepting a version is an act, so an absent
 * `charterVersion` keeps the one already accepted, and a new version is stamped with the time.
 */
export class UpdateSiteProfileDto {
  @ApiPropertyOptional({ type: Number, nullable: true, minimum: -90, maximum: 90, example: 45.764, description: 'With longitude' })
  @ValidateIf(hasCoordinates)
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: 'latitude must be a number (sent together with longitude)' })
  @Min(-90)
  @Max(90)
  latitude?: number | null;

  @ApiPropertyOptional({ type: Number, nullable: true, minimum: -180, maximum: 180, example: 4.8357, description: 'With latitude' })
  @ValidateIf(hasCoordinates)
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: 'longitude must be a number (sent together with latitude)' })
  @Min(-180)
  @Max(180)
  longitude?: number | null;

  @ApiProperty({
    type: [String],
    example: ['atelier-collectif', 'aide-demarches'],
    description: 'Active codes of the operator’s service categories (GET /v1/service-categories); at least one before applying',
  })
  @IsArray()
  @ArrayMaxSize(20)
  @ArrayUnique()
  @IsString({ each: true })
  @Matches(/^[a-z][a-z0-9_-]{1,39}$/, { each: true, message: 'each of serviceCategoryCodes must be a category code' })
  serviceCategoryCodes: string[];

  @ApiPropertyOptional({
    example: 'charte-2026-01',
    description: 'The charter version the site accepts now (its acceptance time is recorded); absent keeps the accepted one',
  })
  @ValidateIf((_o: object, v: unknown) => v !== undefined)
  @IsString()
  @Matches(/^[A-Za-z0-9._-]{1,40}$/, { message: 'charterVersion must be a short version label (letters, digits, . _ -)' })
  charterVersion?: string;
}

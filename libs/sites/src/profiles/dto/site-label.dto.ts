import { ApiProperty } from '@nestjs/swagger';

/** A label granted by a `qualified` decision: name and validity range (Europe/Paris dates, both included). */
export class SiteLabelDto {
  @ApiProperty({ example: 'Lieu labellisé Pass numérique 2026' })
  name: string;

  @ApiProperty({ format: 'date' })
  validFrom: string;

  @ApiProperty({ format: 'date' })
  validUntil: string;

  @ApiProperty({ description: 'Whether the range covers today (Europe/Paris)' })
  validToday: boolean;
}

import { ApiProperty } from '@nestjs/swagger';

export class PartnershipDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  funderId: string;

  @ApiProperty({ format: 'uuid' })
  distributorId: string;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'Set when the partnership ended; history is kept' })
  endedAt: string | null;
}

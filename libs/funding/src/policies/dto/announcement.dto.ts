import { ApiProperty } from '@nestjs/swagger';

export class AnnouncementDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  policyId: string;

  @ApiProperty()
  label: string;

  @ApiProperty({ nullable: true, type: Number })
  amountCents: number | null;

  @ApiProperty({ nullable: true, type: Number })
  minAmountCents: number | null;

  @ApiProperty({ nullable: true, type: Number })
  maxAmountCents: number | null;

  @ApiProperty({ format: 'date' })
  announcedOn: string;

  @ApiProperty()
  sourceReference: string;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;
}

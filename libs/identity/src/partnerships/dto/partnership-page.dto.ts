import { ApiProperty } from '@nestjs/swagger';
import { PartnershipDto } from './partnership.dto';

export class PartnershipPageDto {
  @ApiProperty({ type: [PartnershipDto] })
  items: PartnershipDto[];

  @ApiProperty({ nullable: true, type: String })
  nextCursor: string | null;
}

import { ApiProperty } from '@nestjs/swagger';
import { OrganisationDto } from './organisation.dto';

export class OrganisationPageDto {
  @ApiProperty({ type: [OrganisationDto] })
  items: OrganisationDto[];

  @ApiProperty({ nullable: true, type: String, description: 'Pass as `cursor` for the next page; null on the last page' })
  nextCursor: string | null;
}

import { ApiProperty } from '@nestjs/swagger';
import { SiteDto } from './site.dto';

export class SitePageDto {
  @ApiProperty({ type: [SiteDto] })
  items: SiteDto[];

  @ApiProperty({ nullable: true, type: String, description: 'Pass as `cursor` for the next page; null on the last page' })
  nextCursor: string | null;
}

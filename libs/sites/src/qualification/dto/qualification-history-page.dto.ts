import { ApiProperty } from '@nestjs/swagger';
import { QualificationEntryDto } from './qualification-entry.dto';

export class QualificationHistoryPageDto {
  @ApiProperty({ type: [QualificationEntryDto] })
  items: QualificationEntryDto[];

  @ApiProperty({ nullable: true, type: String, description: 'Pass as `cursor` for the next page; null on the last page' })
  nextCursor: string | null;
}

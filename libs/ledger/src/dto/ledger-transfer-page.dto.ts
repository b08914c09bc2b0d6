import { ApiProperty } from '@nestjs/swagger';
import { LedgerTransferDto } from './ledger-transfer.dto';

export class LedgerTransferPageDto {
  @ApiProperty({ type: [LedgerTransferDto] })
  items: LedgerTransferDto[];

  @ApiProperty({ nullable: true, type: String, description: 'Pass as `cursor` for the next page; null on the last page' })
  nextCursor: string | null;
}

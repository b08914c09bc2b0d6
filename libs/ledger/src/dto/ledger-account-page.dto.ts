import { ApiProperty } from '@nestjs/swagger';
import { LedgerAccountDto } from './ledger-account.dto';

export class LedgerAccountPageDto {
  @ApiProperty({ type: [LedgerAccountDto] })
  items: LedgerAccountDto[];

  @ApiProperty({ nullable: true, type: String, description: 'Pass as `cursor` for the next page; null on the last page' })
  nextCursor: string | null;
}

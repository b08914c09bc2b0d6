import { ApiProperty } from '@nestjs/swagger';
import { BankAccountDto } from './bank-account.dto';

export class BankAccountPageDto {
  @ApiProperty({ type: [BankAccountDto] })
  items: BankAccountDto[];

  @ApiProperty({ nullable: true, type: String, description: 'Pass as `cursor` for the next page; null on the last page' })
  nextCursor: string | null;
}

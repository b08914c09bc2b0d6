import { ApiProperty } from '@nestjs/swagger';

export class LedgerCheckResultDto {
  @ApiProperty({ enum: ['balanced', 'transfers', 'flags', 'pending', 'snapshots', 'vouchers', 'settlement', 'payouts'] })
  name: string;

  @ApiProperty()
  ok: boolean;

  @ApiProperty({ type: [String] })
  problems: string[];
}

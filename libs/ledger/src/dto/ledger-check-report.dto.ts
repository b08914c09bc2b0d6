import { ApiProperty } from '@nestjs/swagger';
import { LedgerCheckResultDto } from './ledger-check-result.dto';

export class LedgerCheckReportDto {
  @ApiProperty()
  ok: boolean;

  @ApiProperty({ format: 'date-time' })
  checkedAt: string;

  @ApiProperty()
  transfers: number;

  @ApiProperty()
  accounts: number;

  @ApiProperty()
  snapshots: number;

  @ApiProperty({ type: [LedgerCheckResultDto] })
  checks: LedgerCheckResultDto[];
}

import { ApiProperty } from '@nestjs/swagger';

/** Sums in integer cents. Posted balance = creditsPosted − debitsPosted (credit-normal accounts). */
export class LedgerBalanceDto {
  @ApiProperty({ format: 'uuid' })
  accountId: string;

  @ApiProperty({ example: 'EUR' })
  currency: string;

  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'The business time asked for; null for now' })
  at: string | null;

  @ApiProperty({ description: 'Cents' })
  debitsPosted: number;

  @ApiProperty({ description: 'Cents' })
  creditsPosted: number;

  @ApiProperty({ description: 'Cents reserved by unresolved pending transfers' })
  debitsPending: number;

  @ApiProperty({ description: 'Cents reserved by unresolved pending transfers' })
  creditsPending: number;
}

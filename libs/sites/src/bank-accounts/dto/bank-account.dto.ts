import { ApiProperty } from '@nestjs/swagger';
import { BANK_ACCOUNT_STATUSES, BankAccountStatus } from '../site-bank-account.entity';

/**
 * A bank account request and its fate. `validFrom`/`validUntil` bound the period in which a verified
 * account received payouts (`validUntil` null while it is the current one).
 */
export class BankAccountDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  siteId: string;

  @ApiProperty({
    example: 'FR7630006000011234567890189',
    description: 'Full IBAN for admin and finance users (site and operator); masked for other roles: FR76*******************0189',
  })
  iban: string;

  @ApiProperty({ description: 'Whether `iban` is masked for the caller’s role' })
  ibanMasked: boolean;

  @ApiProperty({ example: '0189' })
  ibanLast4: string;

  @ApiProperty({ example: 'AGRIFRPP882' })
  bic: string;

  @ApiProperty()
  holderName: string;

  @ApiProperty({ enum: BANK_ACCOUNT_STATUSES })
  status: BankAccountStatus;

  @ApiProperty({ format: 'uuid', description: 'The user who requested it' })
  requestedBy: string;

  @ApiProperty({ format: 'date-time' })
  requestedAt: string;

  @ApiProperty({
    type: String,
    nullable: true,
    format: 'uuid',
    description: 'The operator user who verified or rejected it (never the requester)',
  })
  decidedBy: string | null;

  @ApiProperty({ type: String, nullable: true, format: 'date-time' })
  decidedAt: string | null;

  @ApiProperty({ type: String, nullable: true })
  rejectReason: string | null;

  @ApiProperty({ type: String, nullable: true, format: 'date-time', description: 'Verified accounts: payouts go here from this instant' })
  validFrom: string | null;

  @ApiProperty({ type: String, nullable: true, format: 'date-time', description: 'Superseded accounts: until this instant' })
  validUntil: string | null;
}

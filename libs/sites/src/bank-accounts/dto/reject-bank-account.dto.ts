import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';

export const BANK_ACCOUNT_REJECT_REASONS = [
  'holder_mismatch',
  'proof_missing',
  'proof_invalid',
  'fraud_suspected',
  'requested_in_error',
  'other',
] as const;
export type BankAccountRejectReason = (typeof BANK_ACCOUNT_REJECT_REASONS)[number];

export class RejectBankAccountDto {
  @ApiProperty({ enum: BANK_ACCOUNT_REJECT_REASONS })
  @IsIn(BANK_ACCOUNT_REJECT_REASONS)
  reasonCode: BankAccountRejectReason;
}

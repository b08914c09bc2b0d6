import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { PageQueryDto } from '@sillage/common';
import { BANK_STATEMENT_FORMATS, ENTRY_OUTCOMES } from '../bank-statement-import.entity';

export class OutcomeCountsDto {
  @ApiProperty({ description: 'Payouts now paid' }) paid: number;
  @ApiProperty({ description: 'Pending payouts the bank gave back (never booked)' }) rejected: number;
  @ApiProperty({ description: 'Paid payouts given back after booking' }) returned: number;
  @ApiProperty({ description: 'End-to-end id of a payout, other amount: for review' }) amount_mismatch: number;
  @ApiProperty({ description: 'No payout has this end-to-end id (or none given): for review' }) unmatched: number;
  @ApiProperty({ description: 'Contradicts the payout’s state (e.g. booked after a rejection): for review' }) conflict: number;
  @ApiProperty({ description: 'Already applied by an earlier file or entry: nothing changed' }) already_applied: number;
  @ApiProperty({ description: 'Pending or information entries: nothing applied' }) not_booked: number;
}

export class BankStatementImportDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ description: 'SHA-256 of the file as received: the same file is imported once' }) fingerprint: string;
  @ApiProperty({ enum: BANK_STATEMENT_FORMATS }) format: string;
  @ApiProperty({ description: 'camt.053 Stmt/Id; csv: + the SHA-256 of a CSV export' }) bankStatementId: string;
  @ApiProperty({ nullable: true, type: String }) accountIban: string | null;
  @ApiProperty({ format: 'uuid' }) importedBy: string;
  @ApiProperty({ format: 'date-time' }) importedAt: string;
  @ApiProperty({ description: 'Entries (Ntry, or CSV lines)' }) entryCount: number;
  @ApiProperty({ description: 'Transactions of those entries, each matched on its own' }) transactionCount: number;
  @ApiProperty({ type: OutcomeCountsDto }) outcomes: OutcomeCountsDto;
}

export class BankStatementEntryDto {
  @ApiProperty({ format: 'uuid' }) importId: string;
  @ApiProperty({ description: '1-based position of the transaction in the file' }) position: number;
  @ApiProperty({ description: '1-based entry (Ntry or CSV line) it belongs to' }) entryIndex: number;
  @ApiProperty({ nullable: true, type: String }) entryRef: string | null;
  @ApiProperty({ format: 'date', nullable: true, type: String }) bookingDate: string | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Cents moved by the transaction' }) amountCents: number | null;
  @ApiProperty({ description: 'Cents of the whole entry' }) entryAmountCents: number;
  @ApiProperty({ enum: ['debit', 'credit'] }) direction: string;
  @ApiProperty({ example: 'BOOK' }) status: string;
  @ApiProperty() reversal: boolean;
  @ApiProperty({ nullable: true, type: String }) endToEndId: string | null;
  @ApiProperty({ description: 'Return information (RtrInf) was given' }) returned: boolean;
  @ApiProperty({ nullable: true, type: String, example: 'AC04' }) returnReason: string | null;
  @ApiProperty({ enum: ENTRY_OUTCOMES }) outcome: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) payoutId: string | null;
  @ApiProperty({ nullable: true, type: String }) payoutReference: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'The payout’s status now' }) payoutStatus: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Why, for the review list' }) note: string | null;
}

export class BankStatementImportDetailDto extends BankStatementImportDto {
  @ApiProperty({ type: [BankStatementEntryDto] }) entries: BankStatementEntryDto[];
}

export class BankStatementImportPageDto {
  @ApiProperty({ type: [BankStatementImportDto] }) items: BankStatementImportDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

export class ListBankStatementEntriesQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    enum: ENTRY_OUTCOMES,
    description: 'Only this outcome; by default the review list: unmatched, amount_mismatch and conflict',
  })
  @IsOptional()
  @IsIn(ENTRY_OUTCOMES, { message: `outcome must be one of ${ENTRY_OUTCOMES.join(', ')}` })
  outcome?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Only the entries of this import' })
  @IsOptional()
  @IsUUID('all', { message: 'importId must be a UUID' })
  importId?: string;
}

export class BankStatementEntryPageDto {
  @ApiProperty({ type: [BankStatementEntryDto] }) items: BankStatementEntryDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

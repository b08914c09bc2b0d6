import { ApiProperty } from '@nestjs/swagger';
import { ACCOUNT_KINDS, AccountKind } from '../ledger.types';

export class LedgerAccountDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ description: 'Chart code of the kind' })
  code: number;

  @ApiProperty({ enum: ACCOUNT_KINDS })
  kind: AccountKind;

  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'Null for platform accounts' })
  ownerOrganisationId: string | null;

  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'Set for per-order accounts' })
  orderId: string | null;

  @ApiProperty({ example: 'EUR' })
  currency: string;

  @ApiProperty()
  debitsMustNotExceedCredits: boolean;

  @ApiProperty()
  creditsMustNotExceedDebits: boolean;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;
}

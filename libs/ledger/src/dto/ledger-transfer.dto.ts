import { ApiProperty } from '@nestjs/swagger';

export class LedgerTransferDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ description: 'Insertion order' })
  seq: number;

  @ApiProperty({ enum: ['single', 'pending', 'post_pending', 'void_pending'] })
  kind: string;

  @ApiProperty({ format: 'uuid' })
  debitAccountId: string;

  @ApiProperty({ format: 'uuid' })
  creditAccountId: string;

  @ApiProperty({ description: 'Cents' })
  amount: number;

  @ApiProperty({ example: 'EUR' })
  currency: string;

  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  pendingId: string | null;

  @ApiProperty({ nullable: true, type: Number, description: 'Cents of the pending transfer a post or void resolves' })
  pendingAmount: number | null;

  @ApiProperty({ format: 'date-time', description: 'Business time' })
  eventAt: string;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ nullable: true, type: String, example: 'order' })
  referenceType: string | null;

  @ApiProperty({ nullable: true, type: String })
  referenceId: string | null;

  @ApiProperty({ type: 'object', additionalProperties: true })
  userData: Record<string, unknown>;
}

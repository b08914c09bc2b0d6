import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsUUID } from 'class-validator';
import { PageQueryDto } from '@sillage/common';

export class ListCreditNotesQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Only the credit notes of this order' })
  @IsOptional()
  @IsUUID('all', { message: 'orderId must be a UUID' })
  orderId?: string;
}

export class CreditNoteDto {
  @ApiProperty({ format: 'uuid', description: 'Also the id of its document in /v1/invoices' }) id: string;
  @ApiProperty({ example: 'AV-2026-000003' }) number: string;
  @ApiProperty({ format: 'uuid' }) orderId: string;
  @ApiProperty() orderReference: string;
  @ApiProperty({ format: 'uuid' }) funderId: string;
  @ApiProperty({ format: 'uuid', description: 'The face-value invoice it credits' }) creditedInvoiceId: string;
  @ApiProperty() creditedInvoiceNumber: string;
  @ApiProperty({ description: 'Vouchers that expired unused' }) expiredVoucherCount: number;
  @ApiProperty({ description: 'Face value of one voucher, cents' }) faceValueCents: number;
  @ApiProperty({ description: 'Expired vouchers × face value, cents' }) unusedFaceValueCents: number;
  @ApiProperty({ description: 'Accepted incidents charged to the order, deducted, cents' }) incidentDeductionCents: number;
  @ApiProperty({ description: 'Credited to the funder, cents: unused face value − deduction' }) amountCents: number;
  @ApiProperty({ format: 'date' }) issuedOn: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class CreditNoteIncidentDto {
  @ApiProperty({ format: 'uuid' }) incidentId: string;
  @ApiProperty({
    enum: ['deducted', 'invoiced'],
    description: 'deducted from this credit note, or invoiced to the funder (accepted after the note, or beyond its value)',
  })
  kind: string;
  @ApiProperty() amountCents: number;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'The invoice billing it (invoiced only), in /v1/invoices' })
  invoiceId: string | null;
  @ApiProperty({ nullable: true, type: String }) invoiceNumber: string | null;
}

export class CreditNoteDetailDto extends CreditNoteDto {
  @ApiProperty({ type: [CreditNoteIncidentDto], description: 'Accepted incidents of the order: deducted here, or invoiced' })
  incidents: CreditNoteIncidentDto[];
}

export class CreditNotePageDto {
  @ApiProperty({ type: [CreditNoteDto] }) items: CreditNoteDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}

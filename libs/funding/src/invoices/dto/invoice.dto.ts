import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import { PageQueryDto } from '@sillage/common';

export class InvoiceSummaryDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ['invoice', 'credit_note'] }) kind: 'invoice' | 'credit_note';
  @ApiProperty({ example: 'FA-2026-000001' }) number: string;
  @ApiProperty({ format: 'uuid' }) orderId: string;
  @ApiProperty({ format: 'uuid' }) funderId: string;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) creditedInvoiceId: string | null;
  @ApiProperty({ format: 'date' }) issuedOn: string;
  @ApiProperty() taxExclusiveCents: number;
  @ApiProperty() vatCents: number;
  @ApiProperty() payableCents: number;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class InvoiceDetailDto extends InvoiceSummaryDto {
  @ApiProperty({ type: Object, description: 'The document as issued: parties, lines, totals, VAT breakdown, legal mentions' })
  document: object;
}

export class InvoicePageDto {
  @ApiProperty({ type: [InvoiceSummaryDto] }) items: InvoiceSummaryDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export class ListInvoicesQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all')
  orderId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Operator only' })
  @IsOptional()
  @IsUUID('all')
  funderId?: string;

  @ApiPropertyOptional({ enum: ['invoice', 'credit_note'] })
  @IsOptional()
  @IsIn(['invoice', 'credit_note'])
  kind?: 'invoice' | 'credit_note';

  @ApiPropertyOptional({ minimum: 2000, maximum: 2100 })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value))
  @IsInt()
  @Min(2000)
  @Max(2100)
  year?: number;
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ORDER_STATUSES, OrderStatus } from '../purchase-order.entity';

export class IssuanceProgressDto {
  @ApiProperty() bookletCount: number;
  @ApiProperty() bookletsIssued: number;
  @ApiProperty() vouchersIssued: number;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) completedAt: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) activatedAt: string | null;
}

export class OrderDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'BC-2026-000042' }) reference: string;
  @ApiProperty({ format: 'uuid' }) funderId: string;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) contractId: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) grantId: string | null;
  @ApiProperty() historical: boolean;
  @ApiProperty({ enum: ORDER_STATUSES }) status: OrderStatus;
  @ApiProperty() bookletCount: number;
  @ApiProperty() vouchersPerBooklet: number;
  @ApiProperty() voucherCount: number;
  @ApiProperty() faceValueCents: number;
  @ApiProperty({ description: 'voucherCount × faceValueCents' }) totalFaceValueCents: number;
  @ApiProperty({ format: 'date' }) validityEndDate: string;
  @ApiProperty() toleranceDays: number;
  @ApiProperty({ format: 'date', description: 'Validity end + tolerance: last day a service counts' }) redemptionDeadline: string;
  @ApiProperty({ format: 'date', description: 'Redemption deadline + 8 days (offline window + undo window)' }) expiresOn: string;
  @ApiProperty({ type: [String] }) departmentCodes: string[];
  @ApiProperty({ type: [String] }) communeCodes: string[];
  @ApiProperty({ type: [String] }) siteOrganisationIds: string[];
  @ApiProperty({ type: [String] }) serviceCategoryCodes: string[];
  @ApiProperty() redeemableBeforeDistribution: boolean;
  @ApiProperty() selfRedemptionAllowed: boolean;
  @ApiProperty() stopDistributionDays: number;
  @ApiProperty({ format: 'date' }) orderedOn: string;
  @ApiProperty() feeRateBp: number;
  @ApiProperty({ type: Number, nullable: true }) vatRateBp: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'Face value + fee + VAT, fixed at confirmation' }) amountDueCents:
    number | null;
  @ApiProperty() paidCents: number;
  @ApiProperty({ type: String, nullable: true, format: 'date' }) paidOn: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) confirmedAt: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) cancelledAt: string | null;
  @ApiProperty({ type: String, nullable: true }) cancelReason: string | null;
  @ApiProperty({ type: Number, nullable: true }) historicalRedeemedCount: number | null;
  @ApiProperty({ type: Number, nullable: true }) historicalExpiredCount: number | null;
  @ApiPropertyOptional({ type: IssuanceProgressDto, nullable: true, description: 'Confirmed orders: booklets written so far' })
  issuance: IssuanceProgressDto | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class OrderPageDto {
  @ApiProperty({ type: [OrderDto] }) items: OrderDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export class PaymentDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) orderId: string;
  @ApiProperty() reference: string;
  @ApiProperty({ format: 'date' }) paidOn: string;
  @ApiProperty() amountCents: number;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class PaymentResultDto {
  @ApiProperty({ type: PaymentDto }) payment: PaymentDto;
  @ApiProperty({ description: 'False when this reference was already recorded (nothing changed)' }) recorded: boolean;
  @ApiProperty({ type: OrderDto }) order: OrderDto;
}

export class PaymentListDto {
  @ApiProperty({ type: [PaymentDto] }) items: PaymentDto[];
}

export class ValidityExtensionDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'date' }) previousEndDate: string;
  @ApiProperty({ format: 'date' }) newEndDate: string;
  @ApiProperty() reason: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

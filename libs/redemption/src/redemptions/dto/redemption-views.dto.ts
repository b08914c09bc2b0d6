import { ApiProperty } from '@nestjs/swagger';

export class CategoryTotalDto {
  @ApiProperty({ example: 'workshop' }) serviceCategoryCode: string;
  @ApiProperty({ description: 'Redemptions' }) count: number;
  @ApiProperty() vouchers: number;
  @ApiProperty({ description: 'Face value redeemed, in cents' }) amountCents: number;
}

export class OrderTotalDto {
  @ApiProperty({ format: 'uuid' }) orderId: string;
  @ApiProperty({ example: 'BC-2026-00042' }) orderReference: string;
  @ApiProperty({ description: 'Redemptions' }) count: number;
  @ApiProperty() vouchers: number;
  @ApiProperty({ description: 'Face value redeemed, in cents' }) amountCents: number;
}

export class RedemptionTotalsDto {
  @ApiProperty({ description: 'Redemptions (undone ones excluded)' }) count: number;
  @ApiProperty() vouchers: number;
  @ApiProperty({ description: 'Face value redeemed, in cents' }) amountCents: number;
  @ApiProperty({ type: [CategoryTotalDto] }) byCategory: CategoryTotalDto[];
  @ApiProperty({ type: [OrderTotalDto] }) byOrder: OrderTotalDto[];
}

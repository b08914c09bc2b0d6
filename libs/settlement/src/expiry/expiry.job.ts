import { Injectable, OnModuleInit } from '@nestjs/common';
import { JobHandler, JobHandlerRegistry, JobPayloads } from '@sillage/queue';
import { VoucherExpiry } from './voucher-expiry';

/** The daily `settlement.expire` job: expires due orders' vouchers and issues their credit notes (idempotent). */
@Injectable()
export class SettlementExpireJob implements JobHandler<'settlement.expire'>, OnModuleInit {
  readonly name = 'settlement.expire' as const;

  constructor(
    private readonly registry: JobHandlerRegistry,
    private readonly expiry: VoucherExpiry,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  async handle({ day }: JobPayloads['settlement.expire']): Promise<void> {
    await this.expiry.run(day);
  }
}

export * from './redemption.errors';
export * from './redemption.module';
export * from './redemptions/redemption.entity';
export * from './redemptions/redemptions.service';
export * from './redemptions/redemption-writer';

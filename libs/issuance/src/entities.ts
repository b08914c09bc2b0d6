import { BookletEntity, OrderIssuanceEntity, VoucherEntity } from './booklets/booklet.entity';

export const issuanceEntities = [BookletEntity, VoucherEntity, OrderIssuanceEntity];

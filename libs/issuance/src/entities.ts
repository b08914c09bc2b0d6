import { BookletEntity, OrderIssuanceEntity, VoucherEntity } from './booklets/booklet.entity';
import { PrintFileEntity } from './print-files/print-file.entity';

export const issuanceEntities = [BookletEntity, VoucherEntity, OrderIssuanceEntity, PrintFileEntity];

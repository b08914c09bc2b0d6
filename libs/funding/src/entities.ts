import { ContractEntity } from './contracts/contract.entity';
import { GrantAmendmentEntity, GrantEntity } from './grants/grant.entity';
import { InvoiceCounterEntity, InvoiceEntity } from './invoices/invoice.entity';
import { OrderPaymentEntity, OrderValidityExtensionEntity, PurchaseOrderEntity } from './orders/purchase-order.entity';
import { PolicyAnnouncementEntity, PolicyEntity } from './policies/policy.entity';
import { ProgrammeEntity, ProgrammeFundingSourceEntity } from './programmes/programme.entity';

export const fundingEntities = [
  PolicyEntity,
  PolicyAnnouncementEntity,
  ProgrammeEntity,
  ProgrammeFundingSourceEntity,
  GrantEntity,
  GrantAmendmentEntity,
  ContractEntity,
  PurchaseOrderEntity,
  OrderPaymentEntity,
  OrderValidityExtensionEntity,
  InvoiceEntity,
  InvoiceCounterEntity,
];

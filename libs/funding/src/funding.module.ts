import { Module } from '@nestjs/common';
import { IssuanceModule } from '@sillage/issuance';
import { LedgerModule } from '@sillage/ledger';
import { InvoiceIssuer } from './invoices/invoice-issuer';
import { InvoicesController } from './invoices/invoices.controller';
import { InvoicesService } from './invoices/invoices.service';
import { OrderRepository } from './orders/order.repository';
import { OrdersController } from './orders/orders.controller';
import { OrdersService } from './orders/orders.service';
import { ContractRepository } from './contracts/contract.repository';
import { ContractsController } from './contracts/contracts.controller';
import { ContractsService } from './contracts/contracts.service';
import { GrantRepository } from './grants/grant.repository';
import { GrantsController } from './grants/grants.controller';
import { GrantsService } from './grants/grants.service';
import { PoliciesController } from './policies/policies.controller';
import { PoliciesService } from './policies/policies.service';
import { PolicyRepository } from './policies/policy.repository';
import { ProgrammeRepository } from './programmes/programme.repository';
import { ProgrammesController } from './programmes/programmes.controller';
import { ProgrammesService } from './programmes/programmes.service';

/** Funding: policies, programmes, grants, contracts, purchase orders and invoices. */
@Module({
  imports: [LedgerModule, IssuanceModule],
  controllers: [PoliciesController, ProgrammesController, GrantsController, ContractsController, OrdersController, InvoicesController],
  providers: [
    PolicyRepository,
    PoliciesService,
    ProgrammeRepository,
    ProgrammesService,
    GrantRepository,
    GrantsService,
    ContractRepository,
    ContractsService,
    OrderRepository,
    OrdersService,
    InvoiceIssuer,
    InvoicesService,
  ],
  exports: [GrantRepository, ContractRepository, ProgrammeRepository],
})
export class FundingModule {}

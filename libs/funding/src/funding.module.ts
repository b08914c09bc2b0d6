import { Module } from '@nestjs/common';
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

/** Funding: policies, programmes, grants and contracts. Register controllers and providers one line each. */
@Module({
  controllers: [PoliciesController, ProgrammesController, GrantsController, ContractsController],
  providers: [
    PolicyRepository,
    PoliciesService,
    ProgrammeRepository,
    ProgrammesService,
    GrantRepository,
    GrantsService,
    ContractRepository,
    ContractsService,
  ],
  exports: [GrantRepository, ContractRepository, ProgrammeRepository],
})
export class FundingModule {}

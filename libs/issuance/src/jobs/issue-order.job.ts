import { Injectable, OnModuleInit } from '@nestjs/common';
import { JobHandler, JobHandlerRegistry, JobPayloads } from '@sillage/queue';
import { IssuanceService } from '../issuing/issuance.service';

type Name = 'issuance.issue-order';

/**
 * Issues a confirmed order's booklets chunk by chunk, each chunk its own transaction with its
 * progress: the order shows `bookletsIssued / bookletCount` while this runs, and a retry after a
 * crash starts after the last committed chunk.
 */
@Injectable()
export class IssueOrderJob implements JobHandler<Name>, OnModuleInit {
  readonly name = 'issuance.issue-order' as const;

  constructor(
    private readonly registry: JobHandlerRegistry,
    private readonly issuance: IssuanceService,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  async handle({ orderId }: JobPayloads[Name]): Promise<void> {
    while (await this.issuance.issueNextChunk(orderId)) {
      // next chunk
    }
  }
}

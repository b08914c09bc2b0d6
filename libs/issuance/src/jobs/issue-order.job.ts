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

  /**
   * Pipelined: while the database writes chunk k, the next chunk's codes are generated, hashed and
   * encrypted (CPU), so the two cores work at once. A stale commit (the order moved on) re-plans.
   */
  async handle({ orderId }: JobPayloads[Name]): Promise<void> {
    let plan = await this.issuance.plan(orderId);
    let prepared = plan ? await this.issuance.prepare(orderId, plan) : undefined;
    while (plan && prepared) {
      const current = plan;
      const following = await this.issuance.plan(orderId, current.from + current.count - 1);
      const [result, next] = await Promise.all([
        this.issuance.commit(orderId, current, prepared),
        following ? this.issuance.prepare(orderId, following) : Promise.resolve(undefined),
      ]);
      if (result === 'stale') {
        plan = await this.issuance.plan(orderId);
        prepared = plan ? await this.issuance.prepare(orderId, plan) : undefined;
      } else {
        plan = result === 'done' ? null : following;
        prepared = next;
      }
    }
  }
}

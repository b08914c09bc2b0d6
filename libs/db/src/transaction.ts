import { Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { DataSource, EntityManager } from 'typeorm';

/** The handle a service passes to repositories and to `AuditLog.append` so they share one transaction. */
export type Tx = EntityManager;

@Injectable()
export class TransactionRunner {
  constructor(private readonly dataSource: DataSource) {}

  /** Runs `work` in one READ COMMITTED transaction; any throw rolls everything back. */
  run<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /** For reads that need no transaction. */
  get manager(): EntityManager {
    return this.dataSource.manager;
  }

  /**
   * The driver's pg pool, for the hot paths (hand-over, redemption) that run one statement per request
   * as a named prepared statement: TypeORM's query() cannot name statements, so it re-parses them.
   */
  get pool(): Pool {
    return (this.dataSource.driver as unknown as { master: Pool }).master;
  }
}

import { Injectable } from '@nestjs/common';
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
}

import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@sillage/config';
import { ReportConsumer } from './report-consumer';

/**
 * Keeps the report aggregates within seconds of the log (the issue asks for 60 s): every 5 s, in
 * the process that seals (the worker, or the API when there is no worker; see AuditSealLoop). Off in
 * tests, which consume explicitly.
 */
@Injectable()
export class ReportingLoop implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('ReportingLoop');
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;
  private enabled = true;

  constructor(
    private readonly consumer: ReportConsumer,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The API calls this when a worker runs the loop (Redis mode). */
  leaveToWorker(): void {
    this.enabled = false;
  }

  onApplicationBootstrap(): void {
    if (this.config.env === 'test' || !this.enabled) return;
    this.timer = setInterval(() => this.tick(), 5_000);
    this.timer.unref();
  }

  private tick(): void {
    if (this.running) return;
    this.running = this.consumer
      .consume({ paced: true })
      .catch((e: unknown) => this.logger.error(`report aggregates failed: ${e instanceof Error ? e.message : String(e)}`))
      .finally(() => (this.running = undefined));
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }
}

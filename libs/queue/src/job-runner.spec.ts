import { JobContext, JobHandler, PermanentJobError } from './job-handler';
import { JobHandlerRegistry } from './job-handler.registry';
import { JobRunner } from './job-runner';
import { JobPayloads } from './jobs';

type Name = 'identity.send-set-password-email';

class RecordingHandler implements JobHandler<Name> {
  readonly name = 'identity.send-set-password-email' as const;
  readonly calls: [JobPayloads[Name], JobContext][] = [];
  async handle(payload: JobPayloads[Name], ctx: JobContext): Promise<void> {
    this.calls.push([payload, ctx]);
  }
}

describe('JobRunner', () => {
  const userId = '0b7e2a52-8c1f-4a5e-9d6b-2f4c8a1e3b70';

  it('validates the payload and calls the registered handler', async () => {
    const registry = new JobHandlerRegistry();
    const handler = new RecordingHandler();
    registry.register(handler);
    await new JobRunner(registry).run('identity.send-set-password-email', { userId: userId.toUpperCase() }, { jobId: 'j', attempt: 2 });
    expect(handler.calls).toEqual([[{ userId }, { jobId: 'j', attempt: 2 }]]);
  });

  it.each([
    [{}, 'userId is required'],
    [{ userId: 42 }, 'userId must be a UUID'],
    [{ userId, extra: 1 }, 'unknown field extra'],
    [null, 'payload must be an object'],
    [[userId], 'payload must be an object'],
  ])('refuses payload %j permanently: %s', async (payload, message) => {
    const registry = new JobHandlerRegistry();
    const handler = new RecordingHandler();
    registry.register(handler);
    const error = await new JobRunner(registry)
      .run('identity.send-set-password-email', payload, { jobId: 'j', attempt: 1 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermanentJobError);
    expect((error as Error).message).toBe(`invalid payload for job "identity.send-set-password-email": ${message}`);
    expect(handler.calls).toEqual([]);
  });

  it('fails permanently for an unknown job or a job without a handler in this process', async () => {
    const runner = new JobRunner(new JobHandlerRegistry());
    await expect(runner.run('nope', {}, { jobId: 'j', attempt: 1 })).rejects.toEqual(new PermanentJobError('unknown job "nope"'));
    await expect(runner.run('identity.send-set-password-email', { userId }, { jobId: 'j', attempt: 1 })).rejects.toBeInstanceOf(
      PermanentJobError,
    );
  });

  it('refuses two handlers for one job', () => {
    const registry = new JobHandlerRegistry();
    registry.register(new RecordingHandler());
    expect(() => registry.register(new RecordingHandler())).toThrow('two handlers registered for job "identity.send-set-password-email"');
  });

  describe('runBatch (inline jobs)', () => {
    type Batch = 'redemption.voucher-redeemed';
    const id = (n: number) => `0b7e2a52-8c1f-4a5e-9d6b-2f4c8a1e3b7${n}`;
    class BatchHandler implements JobHandler<Batch> {
      readonly name = 'redemption.voucher-redeemed' as const;
      readonly batches: JobPayloads[Batch][][] = [];
      constructor(private readonly outcome: (p: JobPayloads[Batch][]) => unknown[]) {}
      async handle(): Promise<void> {
        throw new Error('handle must not be called when handleBatch exists');
      }
      async handleBatch(payloads: JobPayloads[Batch][]): Promise<unknown[]> {
        this.batches.push(payloads);
        return this.outcome(payloads);
      }
    }
    const jobs = (payloads: unknown[]) => payloads.map((payload, i) => ({ payload, ctx: { jobId: `j${i}`, attempt: 1 } }));

    it('gives each job its own outcome and runs every job once, a failed one included', async () => {
      const registry = new JobHandlerRegistry();
      const boom = new Error('smtp down');
      const handler = new BatchHandler((p) => p.map((_, i) => (i === 1 ? boom : undefined)));
      registry.register(handler);
      const outcomes = await new JobRunner(registry).runBatch(
        'redemption.voucher-redeemed',
        jobs([{ redemptionId: id(1) }, { redemptionId: id(2) }, { redemptionId: id(3) }]),
      );
      expect(outcomes).toEqual([undefined, boom, undefined]);
      expect(handler.batches).toEqual([[{ redemptionId: id(1) }, { redemptionId: id(2) }, { redemptionId: id(3) }]]);
    });

    it('fails an invalid payload for good without holding back the others', async () => {
      const registry = new JobHandlerRegistry();
      const handler = new BatchHandler((p) => p.map(() => undefined));
      registry.register(handler);
      const outcomes = await new JobRunner(registry).runBatch(
        'redemption.voucher-redeemed',
        jobs([{ redemptionId: 'nope' }, { redemptionId: id(4) }]),
      );
      expect(outcomes[0]).toBeInstanceOf(PermanentJobError);
      expect(outcomes[1]).toBeUndefined();
      expect(handler.batches).toEqual([[{ redemptionId: id(4) }]]);
    });

    it('fails every job of a batch whose handler threw (each is retried later)', async () => {
      const registry = new JobHandlerRegistry();
      const down = new Error('database down');
      registry.register(
        new BatchHandler(() => {
          throw down;
        }),
      );
      const outcomes = await new JobRunner(registry).runBatch(
        'redemption.voucher-redeemed',
        jobs([{ redemptionId: id(5) }, { redemptionId: id(6) }]),
      );
      expect(outcomes).toEqual([down, down]);
    });
  });
});

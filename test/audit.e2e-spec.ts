import { generateKeyPairSync, sign } from 'node:crypto';
import { Client } from 'pg';
import {
  AuditBundle,
  AuditEventRejected,
  AuditLog,
  AuditSealer,
  checkpointMessage,
  leafHash,
  SignedCheckpoint,
  verifyAuditBundle,
  verifyAuditLog,
  VerifyReport,
  verifyCheckpointSignature,
  verifyConsistency,
  verifyInclusion,
} from '@sillage/audit';
import { TransactionRunner } from '@sillage/db';
import {
  bearer,
  createTestApp,
  SeededOrganisation,
  SeededUser,
  seedOrganisation,
  seedUser,
  sql,
  TestApp,
  tokenFor,
  unknownId,
} from '@sillage/testing';

/** The sealed audit trail: leaves, signed checkpoints, proofs, verification and tampering. */
describe('audit trail', () => {
  let t: TestApp;
  let operator: SeededOrganisation;
  let funder: SeededOrganisation;
  let opAdmin: SeededUser;
  let funderAdmin: SeededUser;
  let opToken: string;
  let funderToken: string;

  beforeAll(async () => {
    t = await createTestApp();
    operator = await seedOrganisation(t, { kinds: ['operator'] });
    funder = await seedOrganisation(t, { kinds: ['funder'] });
    opAdmin = await seedUser(t, operator, { role: 'admin' });
    funderAdmin = await seedUser(t, funder, { role: 'viewer' });
    opToken = tokenFor(t, opAdmin);
    funderToken = tokenFor(t, funderAdmin);
  });
  afterAll(async () => {
    await t.close();
  });

  const seal = () => t.app.get(AuditSealer).sealPending({ batchSize: 4 });
  const append = (by: SeededUser, subjectId: string, tx?: Parameters<AuditLog['append']>[0]) => {
    const work = (m: Parameters<AuditLog['append']>[0]) =>
      t.app.get(AuditLog).append(m, {
        action: 'service_category.updated',
        actor: { type: 'user', id: by.id, organisationId: by.organisationId },
        subject: { type: 'service_category', id: subjectId },
        facts: { changed: 'label', active: true },
      });
    return tx ? work(tx) : t.app.get(TransactionRunner).run(work);
  };
  const get = (url: string, token?: string) => t.inject({ method: 'GET', url, headers: token ? bearer(token) : {} });
  const verifyDb = async (trustedKeys?: Map<string, string>): Promise<VerifyReport> => {
    const c = new Client({ connectionString: t.db.adminUrl });
    await c.connect();
    try {
      return await verifyAuditLog(c, { trustedKeys });
    } finally {
      await c.end();
    }
  };
  const asSuperuser = (statements: string[]) => sql(t, `BEGIN; ${statements.join('; ')}; COMMIT`);
  const keys = async () => (await get('/v1/audit/keys')).json<{ keyId: string; publicKeyPem: string }[]>();

  it('answers 404 problem+json for the latest checkpoint before anything is sealed', async () => {
    const res = await get('/v1/audit/checkpoints/latest');
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json().code).toBe('CHECKPOINT_NOT_FOUND');
  });

  it('seals events written through the API and by AuditLog, with signed checkpoints and verifiable proofs', async () => {
    const distributor = await seedOrganisation(t, { kinds: ['distributor'] });
    const created = await t.inject({
      method: 'POST',
      url: '/v1/partnerships',
      headers: bearer(opToken),
      payload: { funderId: funder.id, distributorId: distributor.id },
    });
    expect(created.statusCode).toBe(201);
    const ids = [];
    for (let i = 0; i < 6; i++) ids.push(await append(i % 2 ? funderAdmin : opAdmin, `cat-${i}`));
    const first = await seal();
    expect(first.sealed).toBe(7);
    expect(first.treeSize).toBe(7);
    expect(first.checkpoints).toBe(2); // batches of 4

    const latest = await get('/v1/audit/checkpoints/latest');
    expect(latest.statusCode).toBe(200);
    const cp = latest.json<SignedCheckpoint>();
    expect(cp).toMatchObject({ treeSize: 7, previousTreeSize: 4 });
    const [key] = await keys();
    expect(key.keyId).toBe(cp.keyId);
    expect(verifyCheckpointSignature(cp, key.publicKeyPem)).toBe(true);
    expect((await get('/v1/audit/checkpoints/4')).json()).toMatchObject({ treeSize: 4, previousTreeSize: null });

    for (const id of ids) {
      const res = await get(`/v1/audit/events/${id}/proof`, opToken);
      expect(res.statusCode).toBe(200);
      const p = res.json<{
        canonical: string;
        leafIndex: number;
        leafHash: string;
        treeSize: number;
        proof: string[];
        checkpoint: SignedCheckpoint;
      }>();
      const canonical = Buffer.from(p.canonical, 'base64');
      expect(JSON.parse(canonical.toString()).id).toBe(id);
      expect(leafHash(canonical).toString('base64')).toBe(p.leafHash);
      const ok = verifyInclusion(
        p.leafIndex,
        p.treeSize,
        leafHash(canonical),
        p.proof.map((h) => Buffer.from(h, 'base64')),
        Buffer.from(p.checkpoint.root, 'base64'),
      );
      expect(ok).toBe(true);
    }
    // against the older checkpoint
    const old = (await get(`/v1/audit/events/${ids[0]}/proof?treeSize=4`, opToken)).json<{
      leafIndex: number;
      proof: string[];
      checkpoint: SignedCheckpoint;
      canonical: string;
    }>();
    expect(old.checkpoint.treeSize).toBe(4);
    expect(
      verifyInclusion(
        old.leafIndex,
        4,
        leafHash(Buffer.from(old.canonical, 'base64')),
        old.proof.map((h) => Buffer.from(h, 'base64')),
        Buffer.from(old.checkpoint.root, 'base64'),
      ),
    ).toBe(true);
    // the last event is not in the tree of size 4
    const tooSmall = await get(`/v1/audit/events/${ids[5]}/proof?treeSize=4`, opToken);
    expect(tooSmall.statusCode).toBe(400);
    expect(tooSmall.json()).toMatchObject({ code: 'TREE_SIZE_INVALID', field: 'treeSize' });

    await append(opAdmin, 'cat-later');
    expect((await seal()).treeSize).toBe(8);
    const c = (await get('/v1/audit/consistency?from=4&to=8')).json<{ from: SignedCheckpoint; to: SignedCheckpoint; proof: string[] }>();
    expect(
      verifyConsistency(
        4,
        8,
        Buffer.from(c.from.root, 'base64'),
        Buffer.from(c.to.root, 'base64'),
        c.proof.map((h) => Buffer.from(h, 'base64')),
      ),
    ).toBe(true);
    expect(
      verifyConsistency(
        4,
        8,
        Buffer.from(c.to.root, 'base64'),
        Buffer.from(c.to.root, 'base64'),
        c.proof.map((h) => Buffer.from(h, 'base64')),
      ),
    ).toBe(false);
    expect((await verifyDb()).ok).toBe(true);
  });

  it('answers "not sealed yet" for an unsealed event, and seals nothing twice', async () => {
    const id = await append(opAdmin, 'cat-unsealed');
    const res = await get(`/v1/audit/events/${id}/proof`, opToken);
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('EVENT_NOT_SEALED');
    const before = await sql<{ n: string }>(t, 'SELECT count(*) AS n FROM audit_leaf');
    const r = await seal();
    expect(r.sealed).toBe(1);
    expect((await seal()).sealed).toBe(0);
    const after = await sql<{ n: string; d: string }>(t, 'SELECT count(*) AS n, count(DISTINCT event_id) AS d FROM audit_leaf');
    expect(Number(after[0].n)).toBe(Number(before[0].n) + 1);
    expect(after[0].d).toBe(after[0].n);
  });

  it('gives an event that commits late the next index, and the log still verifies', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let aId!: string;
    let appended!: () => void;
    const aAppended = new Promise<void>((r) => (appended = r));
    const a = t.app.get(TransactionRunner).run(async (tx) => {
      aId = await append(opAdmin, 'cat-late-a', tx);
      appended();
      await gate;
    });
    await aAppended;
    const bId = await append(opAdmin, 'cat-late-b');
    await seal();
    release();
    await a;
    await seal();
    const rows = await sql<{ event_id: string; leaf_index: string; recorded_at: Date }>(
      t,
      `SELECT l.event_id, l.leaf_index, e.recorded_at FROM audit_leaf l JOIN audit_event e ON e.id = l.event_id WHERE l.event_id = ANY($1::uuid[])`,
      [[aId, bId]],
    );
    const byId = new Map(rows.map((r) => [r.event_id, r]));
    expect(byId.get(aId)!.recorded_at.getTime()).toBeLessThanOrEqual(byId.get(bId)!.recorded_at.getTime());
    expect(Number(byId.get(aId)!.leaf_index)).toBeGreaterThan(Number(byId.get(bId)!.leaf_index));
    const report = await verifyDb();
    expect(report).toMatchObject({ ok: true, unsealedEvents: 0, firstBadLeafIndex: null });
  });

  it('never interleaves two sealers running while writers append', async () => {
    const sealer = t.app.get(AuditSealer);
    let writing = true;
    const sealers = [0, 1].map(async () => {
      while (writing) await sealer.sealPending({ batchSize: 7 });
    });
    const ids = await Promise.all(Array.from({ length: 60 }, (_, i) => append(i % 2 ? opAdmin : funderAdmin, `concurrent-${i}`)));
    writing = false;
    await Promise.all(sealers);
    await sealer.sealPending();
    const [stats] = await sql<{ n: string; max: string; distinct_events: string }>(
      t,
      'SELECT count(*) AS n, max(leaf_index) AS max, count(DISTINCT event_id) AS distinct_events FROM audit_leaf',
    );
    expect(Number(stats.max)).toBe(Number(stats.n) - 1); // dense
    expect(stats.distinct_events).toBe(stats.n);
    const sealed = await sql(t, 'SELECT 1 FROM audit_leaf WHERE event_id = ANY($1::uuid[])', [ids]);
    expect(sealed).toHaveLength(60);
    const [latest] = await sql<{ tree_size: string }>(t, 'SELECT max(tree_size) AS tree_size FROM audit_checkpoint');
    expect(latest.tree_size).toBe(stats.n);
    expect(await verifyDb()).toMatchObject({ ok: true, unsealedEvents: 0 });
  });

  it('seals at the next pass an event recorded long before the last sealed one but committed after it', async () => {
    await append(opAdmin, 'before-the-late-one');
    await seal();
    // Recorded an hour before the cursor, committed now: found by its transaction id, not by a time window.
    const id = unknownId();
    await sql(
      t,
      `INSERT INTO audit_event (id, recorded_at, action, actor_type, subject_type, canonical)
       VALUES ($1::uuid, now() - interval '1 hour', 'auth.login_failed', 'public', 'user', convert_to('{"id":"' || $1::text || '","v":1}', 'UTF8'))`,
      [id],
    );
    await append(opAdmin, 'after-the-late-one');
    const sealed = await t.app.get(AuditSealer).sealPending();
    expect(sealed.sealed).toBe(2);
    expect(await sql(t, 'SELECT 1 FROM audit_leaf WHERE event_id = $1', [id])).toHaveLength(1);
    expect(await verifyDb()).toMatchObject({ ok: true, unsealedEvents: 0 });
  });

  it('records in each checkpoint the transaction id below which every event is sealed, and looks back only from there', async () => {
    // A transaction that stays open across passes holds the horizon back; once it commits, its event is sealed.
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let appended!: () => void;
    const written = new Promise<void>((r) => (appended = r));
    let heldId = '';
    let heldXid = '';
    const held = t.app.get(TransactionRunner).run(async (tx) => {
      heldId = await append(opAdmin, 'held-open', tx);
      const [{ x }] = await tx.query<{ x: string }[]>('SELECT audit_writer_xid()::text AS x');
      heldXid = x;
      appended();
      await gate;
    });
    await written;
    try {
      await append(opAdmin, 'while-held');
      await seal();
      const [whileHeld] = await sql<{ sealed_below_xid: string }>(
        t,
        'SELECT sealed_below_xid::text FROM audit_checkpoint ORDER BY tree_size DESC LIMIT 1',
      );
      // The open transaction's id is not below the recorded horizon: the next pass still looks at its events.
      expect(BigInt(whileHeld.sealed_below_xid)).toBeLessThanOrEqual(BigInt(heldXid));
    } finally {
      release();
      await held;
    }
    await append(opAdmin, 'after-release');
    await seal();
    expect(await sql(t, 'SELECT 1 FROM audit_leaf WHERE event_id = $1', [heldId])).toHaveLength(1);
    // The horizon then moves past it: a few passes, unless another test file (they share the cluster's
    // transaction ids) holds a long transaction open meanwhile — so the wait is bounded by time (20 s).
    let horizon = 0n;
    const deadline = Date.now() + 20_000;
    for (let pass = 0; Date.now() < deadline && horizon <= BigInt(heldXid); pass++) {
      await append(opAdmin, `after-release-${pass}`);
      await seal();
      const [after] = await sql<{ x: string }>(
        t,
        'SELECT sealed_below_xid::text AS x FROM audit_checkpoint ORDER BY tree_size DESC LIMIT 1',
      );
      horizon = BigInt(after.x);
      if (horizon <= BigInt(heldXid)) await new Promise((r) => setTimeout(r, 50));
    }
    expect(horizon).toBeGreaterThan(BigInt(heldXid));
    expect(await verifyDb()).toMatchObject({ ok: true, unsealedEvents: 0 });
  }, 60_000);

  describe('event catalogue', () => {
    it('refuses unknown actions, unknown facts and facts of the wrong type, writing nothing', async () => {
      const [{ n: before }] = await sql<{ n: string }>(t, 'SELECT count(*) AS n FROM audit_event');
      const bad = [
        { action: 'organisation.teleported', facts: {} },
        { action: 'service_category.updated', facts: { changed: 'label', active: 'yes' } },
        { action: 'service_category.updated', facts: { changed: 'label' } },
        { action: 'service_category.updated', facts: { changed: 'label', active: true, colour: 'red' } },
        { action: 'auth.set_password_link_issued', facts: { channel: 'email', attempt: 1.5 } },
      ];
      for (const b of bad) {
        await expect(
          t.app
            .get(TransactionRunner)
            .run((tx) =>
              t.app
                .get(AuditLog)
                .append(tx, { action: b.action, actor: { type: 'system' }, subject: { type: 'x' }, facts: b.facts as never }),
            ),
        ).rejects.toBeInstanceOf(AuditEventRejected);
      }
      const [{ n: after }] = await sql<{ n: string }>(t, 'SELECT count(*) AS n FROM audit_event');
      expect(after).toBe(before);
    });

    it('appends several events in one INSERT, in the order given, and refuses them all when one is refused', async () => {
      const log = t.app.get(AuditLog);
      const event = (subjectId: string, facts: Record<string, unknown>) => ({
        action: 'service_category.updated',
        actor: { type: 'system' as const },
        subject: { type: 'service_category', id: subjectId },
        facts: facts as never,
      });
      const ids = await t.app.get(TransactionRunner).run((tx) =>
        log.appendMany(
          tx,
          ['many-1', 'many-2', 'many-3'].map((id) => event(id, { changed: 'label', active: true })),
        ),
      );
      const rows = await sql<{ id: string; subject_id: string }>(
        t,
        `SELECT id, subject_id FROM audit_event WHERE subject_id LIKE 'many-%' ORDER BY recorded_at, id`,
      );
      expect(rows).toEqual(ids.map((id, i) => ({ id, subject_id: `many-${i + 1}` })));
      await expect(
        t.app
          .get(TransactionRunner)
          .run((tx) => log.appendMany(tx, [event('many-4', { changed: 'label', active: true }), event('many-5', { changed: 'label' })])),
      ).rejects.toBeInstanceOf(AuditEventRejected);
      expect(await sql(t, `SELECT 1 FROM audit_event WHERE subject_id IN ('many-4', 'many-5')`)).toEqual([]);
      await seal();
    });

    it('stamps the action schema version into the canonical bytes', async () => {
      const id = await append(opAdmin, 'cat-version');
      const [row] = await sql<{ canonical: Buffer }>(t, 'SELECT canonical FROM audit_event WHERE id = $1', [id]);
      expect(JSON.parse(row.canonical.toString())).toMatchObject({ action: 'service_category.updated', actionVersion: 1 });
      await seal();
    });
  });

  describe('purgeable comments', () => {
    it('keeps free text outside the tree: purging it leaves the sealed event and the log verifiable', async () => {
      const log = t.app.get(AuditLog);
      const sentinel = 'Commentaire Zéphyrin-Quintal 0612345678';
      const eventId = await t.app.get(TransactionRunner).run(async (tx) => {
        const commentId = await log.comment(tx, sentinel);
        return log.append(tx, {
          action: 'service_category.updated',
          actor: { type: 'user', id: opAdmin.id, organisationId: operator.id },
          subject: { type: 'service_category', id: 'cat-commented' },
          facts: { changed: 'label', active: true, commentId },
        });
      });
      await seal();
      const [event] = await sql<{ canonical: Buffer }>(t, 'SELECT canonical FROM audit_event WHERE id = $1', [eventId]);
      expect(event.canonical.toString()).not.toContain('Zéphyrin');
      const { commentId } = JSON.parse(event.canonical.toString()).facts as { commentId: string };
      expect((await sql<{ text: string }>(t, 'SELECT text FROM audit_comment WHERE id = $1', [commentId]))[0].text).toBe(sentinel);

      const purged = await t.app.get(TransactionRunner).run((tx) => log.purgeComment(tx, commentId));
      expect(purged).toBe(true);
      expect(await sql(t, 'SELECT 1 FROM audit_comment WHERE id = $1', [commentId])).toHaveLength(0);
      expect((await verifyDb()).ok).toBe(true);
      expect((await get(`/v1/audit/events/${eventId}/proof`, opToken)).statusCode).toBe(200);

      const c = new Client({ connectionString: t.db.appUrl });
      await c.connect();
      try {
        await expect(c.query(`UPDATE audit_comment SET text = 'x'`)).rejects.toThrow(/permission denied/);
      } finally {
        await c.end();
      }
    });
  });

  describe('reading events', () => {
    it('shows the operator every event about a subject, others only their organisation’s, paginated', async () => {
      for (let i = 0; i < 3; i++) await append(opAdmin, 'shared-subject');
      for (let i = 0; i < 2; i++) await append(funderAdmin, 'shared-subject');
      const opPage1 = (await get('/v1/audit/events?subjectType=service_category&subjectId=shared-subject&limit=3', opToken)).json<{
        items: { id: string }[];
        nextCursor: string;
      }>();
      expect(opPage1.items).toHaveLength(3);
      const opPage2 = (
        await get(`/v1/audit/events?subjectType=service_category&subjectId=shared-subject&limit=3&cursor=${opPage1.nextCursor}`, opToken)
      ).json<{ items: { id: string }[]; nextCursor: null }>();
      expect(opPage2.items).toHaveLength(2);
      expect(opPage2.nextCursor).toBeNull();
      expect(new Set([...opPage1.items, ...opPage2.items].map((e) => e.id)).size).toBe(5);

      const mine = (await get('/v1/audit/events?subjectType=service_category&subjectId=shared-subject', funderToken)).json<{
        items: { id: string; canonical: string }[];
      }>();
      expect(mine.items).toHaveLength(2);
      for (const e of mine.items) expect(JSON.parse(Buffer.from(e.canonical, 'base64').toString()).actor.organisationId).toBe(funder.id);

      await seal();
      const theirs = (await get('/v1/audit/events?subjectType=service_category&subjectId=shared-subject', opToken)).json<{
        items: { id: string; canonical: string }[];
      }>();
      const operatorEvent = theirs.items.find(
        (e) => JSON.parse(Buffer.from(e.canonical, 'base64').toString()).actor.organisationId === operator.id,
      )!;
      expect((await get(`/v1/audit/events/${operatorEvent.id}/proof`, funderToken)).statusCode).toBe(404);
      expect((await get(`/v1/audit/events/${operatorEvent.id}/proof`, opToken)).statusCode).toBe(200);
    });

    it('refuses bad input with problem+json naming the field, and anonymous callers on event routes', async () => {
      const cases: [string, string | undefined, number, string | undefined][] = [
        ['/v1/audit/checkpoints/abc', undefined, 400, 'treeSize'],
        ['/v1/audit/checkpoints/0', undefined, 400, 'treeSize'],
        ['/v1/audit/checkpoints/999999', undefined, 404, 'treeSize'],
        ['/v1/audit/consistency?from=abc&to=4', undefined, 400, 'from'],
        ['/v1/audit/consistency?from=4', undefined, 400, 'to'],
        ['/v1/audit/consistency?from=8&to=4', undefined, 400, 'from'],
        ['/v1/audit/consistency?from=4&to=8&extra=1', undefined, 400, 'extra'],
        ['/v1/audit/consistency?from=3&to=8', undefined, 404, 'from'],
        ['/v1/audit/events?subjectType=service_category&limit=0', opToken, 400, 'limit'],
        ['/v1/audit/events?subjectType=BAD TYPE', opToken, 400, 'subjectType'],
        ['/v1/audit/events', opToken, 400, 'subjectType'],
        ['/v1/audit/events?subjectType=user&cursor=nonsense', opToken, 400, 'cursor'],
        [`/v1/audit/events?subjectType=user&cursor=${Buffer.from('["yesterday","x"]').toString('base64url')}`, opToken, 400, 'cursor'],
        [`/v1/audit/events/${unknownId()}/proof`, opToken, 404, undefined],
        ['/v1/audit/events/not-a-uuid/proof', opToken, 404, 'id'],
        [`/v1/audit/events/${unknownId()}/proof?treeSize=-1`, opToken, 400, 'treeSize'],
      ];
      for (const [url, token, status, field] of cases) {
        const res = await get(url, token);
        expect({ url, status: res.statusCode }).toEqual({ url, status });
        expect(res.headers['content-type']).toContain('application/problem+json');
        if (field) expect({ url, field: res.json().field ?? res.json().errors?.[0]?.field }).toEqual({ url, field });
      }
      expect((await get('/v1/audit/events?subjectType=user')).statusCode).toBe(401);
      expect((await get('/v1/audit/bundle?subjectType=user')).statusCode).toBe(401);
    });
  });

  describe('offline bundle', () => {
    it('verifies a subject bundle with no database, and rejects one altered byte or a foreign key', async () => {
      const res = await get('/v1/audit/bundle?subjectType=service_category&subjectId=shared-subject', funderToken);
      expect(res.statusCode).toBe(200);
      const bundle = res.json<AuditBundle>();
      expect(bundle.events).toHaveLength(2);
      expect(verifyAuditBundle(bundle)).toEqual({ ok: true, problems: [] });
      const [key] = await keys();
      expect(verifyAuditBundle(bundle, key.publicKeyPem).ok).toBe(true);

      const bytes = Buffer.from(bundle.events[1].canonical, 'base64');
      bytes[bytes.length - 3] ^= 0x01;
      const altered = structuredClone(bundle);
      altered.events[1].canonical = bytes.toString('base64');
      expect(verifyAuditBundle(altered).ok).toBe(false);

      const otherRoot = structuredClone(bundle);
      const root = Buffer.from(otherRoot.checkpoint.root, 'base64');
      root[0] ^= 0x80;
      otherRoot.checkpoint.root = root.toString('base64');
      expect(verifyAuditBundle(otherRoot).ok).toBe(false);

      const foreign = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const forged = structuredClone(otherRoot);
      forged.publicKeyPem = foreign.publicKey.export({ type: 'spki', format: 'pem' }).toString();
      forged.checkpoint.signature = sign('sha256', checkpointMessage(forged.checkpoint), {
        key: foreign.privateKey,
        dsaEncoding: 'ieee-p1363',
      }).toString('base64');
      expect(verifyAuditBundle(forged).ok).toBe(false); // the root no longer matches the proofs
      expect(verifyAuditBundle(forged, key.publicKeyPem).ok).toBe(false);
    });
  });

  describe('tampering (as the superuser, triggers disabled)', () => {
    const leafOf = async (i: number) =>
      (
        await sql<{ event_id: string; canonical: Buffer }>(
          t,
          'SELECT l.event_id, e.canonical FROM audit_leaf l JOIN audit_event e ON e.id = l.event_id WHERE l.leaf_index = $1',
          [i],
        )
      )[0];

    beforeAll(async () => {
      expect((await verifyDb()).ok).toBe(true);
    });
    afterEach(async () => {
      expect((await verifyDb()).ok).toBe(true); // each case restores what it changed
    });

    it('names the leaf whose event bytes changed', async () => {
      const { event_id, canonical } = await leafOf(5);
      const changed = Buffer.from(canonical.toString().replace('"label"', '"LABEL"'));
      expect(changed.equals(canonical)).toBe(false);
      await asSuperuser([
        'ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only',
        `UPDATE audit_event SET canonical = '\\x${changed.toString('hex')}' WHERE id = '${event_id}'`,
        'ALTER TABLE audit_event ENABLE TRIGGER audit_event_append_only',
      ]);
      const report = await verifyDb();
      expect(report.ok).toBe(false);
      expect(report.firstBadLeafIndex).toBe(5);
      expect(report.problems[0]).toMatch(/leaf 5/);
      await asSuperuser([
        'ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only',
        `UPDATE audit_event SET canonical = '\\x${canonical.toString('hex')}' WHERE id = '${event_id}'`,
        'ALTER TABLE audit_event ENABLE TRIGGER audit_event_append_only',
      ]);
    });

    it('names a deleted leaf', async () => {
      const [row] = await sql<{ event_id: string; recorded_at: Date; leaf_hash: Buffer }>(
        t,
        'SELECT event_id, recorded_at, leaf_hash FROM audit_leaf WHERE leaf_index = 3',
      );
      await asSuperuser([
        'ALTER TABLE audit_leaf DISABLE TRIGGER audit_leaf_append_only',
        'DELETE FROM audit_leaf WHERE leaf_index = 3',
        'ALTER TABLE audit_leaf ENABLE TRIGGER audit_leaf_append_only',
      ]);
      const report = await verifyDb();
      expect(report).toMatchObject({ ok: false, firstBadLeafIndex: 3 });
      await sql(t, 'INSERT INTO audit_leaf (leaf_index, event_id, recorded_at, leaf_hash) VALUES (3, $1, $2, $3)', [
        row.event_id,
        row.recorded_at,
        row.leaf_hash,
      ]);
    });

    it('names the position where a forged event was inserted into the tree', async () => {
      const [{ id: forgedId }] = await sql<{ id: string }>(t, 'SELECT gen_random_uuid() AS id');
      const forged = Buffer.from(JSON.stringify({ v: 1, id: forgedId, action: 'service_category.updated', facts: { changed: 'label' } }));
      const shift = (from: number, by: number) => [
        `UPDATE audit_leaf SET leaf_index = leaf_index + 1000000 WHERE leaf_index >= ${from}`,
        `UPDATE audit_leaf SET leaf_index = leaf_index - 1000000 + (${by}) WHERE leaf_index >= 1000000`,
      ];
      await asSuperuser([
        `INSERT INTO audit_event (id, recorded_at, action, actor_type, subject_type, subject_id, canonical)
           VALUES ('${forgedId}', now(), 'service_category.updated', 'system', 'service_category', 'forged', '\\x${forged.toString('hex')}')`,
        'ALTER TABLE audit_leaf DISABLE TRIGGER ALL',
        ...shift(4, 1),
        `INSERT INTO audit_leaf (leaf_index, event_id, recorded_at, leaf_hash) VALUES (4, '${forgedId}', now(), '\\x${leafHash(forged).toString('hex')}')`,
        'ALTER TABLE audit_leaf ENABLE TRIGGER ALL',
      ]);
      const report = await verifyDb();
      expect(report).toMatchObject({ ok: false, firstBadLeafIndex: 4 });
      await asSuperuser([
        'ALTER TABLE audit_leaf DISABLE TRIGGER ALL',
        'DELETE FROM audit_leaf WHERE leaf_index = 4',
        ...shift(5, -1),
        'ALTER TABLE audit_leaf ENABLE TRIGGER ALL',
        'ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only',
        `DELETE FROM audit_event WHERE id = '${forgedId}'`,
        'ALTER TABLE audit_event ENABLE TRIGGER audit_event_append_only',
      ]);
    });

    it('names the first leaf of two whose events were swapped', async () => {
      const [a, b] = [await leafOf(2), await leafOf(6)];
      const swap = (x: string, y: string) => [
        'ALTER TABLE audit_leaf DISABLE TRIGGER ALL',
        `UPDATE audit_leaf SET event_id = '${unknownId()}' WHERE leaf_index = 2`,
        `UPDATE audit_leaf SET event_id = '${y}' WHERE leaf_index = 6`,
        `UPDATE audit_leaf SET event_id = '${x}' WHERE leaf_index = 2`,
        'ALTER TABLE audit_leaf ENABLE TRIGGER ALL',
      ];
      await asSuperuser(swap(b.event_id, a.event_id));
      const report = await verifyDb();
      expect(report).toMatchObject({ ok: false, firstBadLeafIndex: 2 });
      await asSuperuser(swap(a.event_id, b.event_id));
    });

    it('rejects reordered leaves by the root of the checkpoint that covers them', async () => {
      const move = (from: number, to: number) => `UPDATE audit_leaf SET leaf_index = ${to} WHERE leaf_index = ${from}`;
      const swap = [
        'ALTER TABLE audit_leaf DISABLE TRIGGER audit_leaf_append_only',
        move(4, -1),
        move(5, 4),
        move(-1, 5),
        'ALTER TABLE audit_leaf ENABLE TRIGGER audit_leaf_append_only',
      ];
      await asSuperuser(swap);
      const report = await verifyDb();
      expect(report.ok).toBe(false);
      expect(report.firstBadLeafIndex).toBe(4); // first leaf of the checkpoint range 4..6 whose root differs
      expect(report.problems.join('\n')).toMatch(/checkpoint 7: root differs/);
      await asSuperuser(swap);
    });

    it('rejects a checkpoint signed by another key, and checkpoints whose key is not trusted', async () => {
      const [cp] = await sql<{
        tree_size: string;
        root: Buffer;
        previous_tree_size: string | null;
        issued_at: Date;
        key_id: string;
        signature: Buffer;
      }>(t, 'SELECT * FROM audit_checkpoint WHERE tree_size = 8');
      const foreign = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const body = {
        treeSize: 8,
        root: cp.root.toString('base64'),
        previousTreeSize: Number(cp.previous_tree_size),
        issuedAt: cp.issued_at.toISOString(),
        keyId: cp.key_id,
      };
      const forged = sign('sha256', checkpointMessage(body), { key: foreign.privateKey, dsaEncoding: 'ieee-p1363' });
      const setSignature = (s: Buffer) => [
        'ALTER TABLE audit_checkpoint DISABLE TRIGGER audit_checkpoint_append_only',
        `UPDATE audit_checkpoint SET signature = '\\x${s.toString('hex')}' WHERE tree_size = 8`,
        'ALTER TABLE audit_checkpoint ENABLE TRIGGER audit_checkpoint_append_only',
      ];
      await asSuperuser(setSignature(forged));
      const report = await verifyDb();
      expect(report.ok).toBe(false);
      expect(report.problems.join('\n')).toMatch(/checkpoint 8: signature does not verify/);
      await asSuperuser(setSignature(cp.signature));

      const pinned = await verifyDb(new Map([[cp.key_id, foreign.publicKey.export({ type: 'spki', format: 'pem' }).toString()]]));
      expect(pinned.ok).toBe(false);
      expect(pinned.problems.join('\n')).toMatch(/signature does not verify/);
    });

    it('the app role cannot rewrite leaves or checkpoints', async () => {
      const c = new Client({ connectionString: t.db.appUrl });
      await c.connect();
      try {
        await expect(c.query('UPDATE audit_leaf SET leaf_hash = leaf_hash WHERE leaf_index = 0')).rejects.toThrow();
        await expect(c.query('DELETE FROM audit_checkpoint WHERE tree_size = 4')).rejects.toThrow();
        await expect(c.query('ALTER TABLE audit_leaf DISABLE TRIGGER audit_leaf_append_only')).rejects.toThrow();
      } finally {
        await c.end();
      }
    });
  });
});

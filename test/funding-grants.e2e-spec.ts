import {
  auditEventsDuring,
  bearer,
  createTestApp,
  seedOrganisation,
  seedUser,
  sql,
  tableCounts,
  TestApp,
  tokenFor,
  unknownId,
} from '@sillage/testing';

/** Programmes (with funding sources), grants (with amendments and history): written by operator admins, read per relationships. */
describe('funding: programmes and grants', () => {
  let t: TestApp;
  let opToken: string;
  let funderToken: string;
  let otherFunderToken: string;
  let distributorToken: string;
  let funderId: string;
  let otherFunderId: string;
  let distributorId: string;
  let policyId: string;

  beforeAll(async () => {
    t = await createTestApp();
    const operator = await seedOrganisation(t, { kinds: ['operator'] });
    opToken = tokenFor(t, await seedUser(t, operator, { role: 'admin' }));
    const funder = await seedOrganisation(t, { kinds: ['funder'] });
    funderId = funder.id;
    funderToken = tokenFor(t, await seedUser(t, funder, { role: 'admin' }));
    const otherFunder = await seedOrganisation(t, { kinds: ['funder'] });
    otherFunderId = otherFunder.id;
    otherFunderToken = tokenFor(t, await seedUser(t, otherFunder, { role: 'admin' }));
    const distributor = await seedOrganisation(t, { kinds: ['distributor'] });
    distributorId = distributor.id;
    distributorToken = tokenFor(t, await seedUser(t, distributor, { role: 'admin' }));
    const res = await post('/v1/policies', { name: 'Pass numérique' });
    policyId = res.json().id;
  });
  afterAll(async () => {
    await t.close();
  });

  const post = (url: string, payload: object | string, token = opToken) =>
    t.inject({
      method: 'POST',
      url,
      headers: { ...bearer(token), 'content-type': 'application/json' },
      payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
    });
  const patch = (url: string, payload: object, token = opToken) => t.inject({ method: 'PATCH', url, headers: bearer(token), payload });
  const get = (url: string, token = opToken) => t.inject({ method: 'GET', url, headers: bearer(token) });
  const createProgramme = async (maxCofinancingRateBp = 5000, extra: object = {}) => {
    const res = await post('/v1/programmes', { policyId, name: 'AAP 2019', maxCofinancingRateBp, ...extra });
    expect(res.statusCode).toBe(201);
    return res.json<{ id: string }>().id;
  };
  const grantBody = (over: object = {}) => ({
    funderId,
    amountCents: 50_000_000,
    cofinancingRateBp: 4000,
    awardedOn: '2026-01-10',
    endDate: '2027-12-31',
    ...over,
  });
  const createGrant = async (programmeId: string, over: object = {}) => {
    const res = await post(`/v1/programmes/${programmeId}/grants`, grantBody(over));
    expect(res.statusCode).toBe(201);
    return res.json<{ id: string }>().id;
  };
  const fieldsOf = (problem: { field?: string; errors?: { field: string }[] }) => [
    problem.field,
    ...(problem.errors ?? []).map((e) => e.field),
  ];

  describe('programmes', () => {
    it('creates a programme with key dates, funding sources and totals, one audit event per change', async () => {
      const created = await auditEventsDuring(t, () =>
        post('/v1/programmes', {
          policyId,
          name: 'AAP 2019',
          maxCofinancingRateBp: 5000,
          announcedOn: '2019-01-15',
          launchedOn: '2019-02-01',
          laureatesPublishedOn: '2019-06-30',
        }),
      );
      expect(created.result.statusCode).toBe(201);
      const programme = created.result.json();
      expect(programme).toMatchObject({
        policyId,
        maxCofinancingRateBp: 5000,
        announcedOn: '2019-01-15',
        launchedOn: '2019-02-01',
        laureatesPublishedOn: '2019-06-30',
        fundingSources: [],
        totalObtainedCents: 0,
        totalAttributedCents: 0,
      });
      expect(created.events.map((e) => [e.action, e.subject.id, e.facts])).toEqual([
        ['programme.created', programme.id, { policyId, maxCofinancingRateBp: 5000, laureatesPublishedOn: '2019-06-30' }],
      ]);
      const source = await auditEventsDuring(t, () =>
        post(`/v1/programmes/${programme.id}/funding-sources`, {
          label: 'Crédits État',
          amountCents: 1_000_000_000,
          obtainedOn: '2019-03-01',
          reference: 'LFI 2019',
        }),
      );
      expect(source.result.statusCode).toBe(201);
      expect(source.events.map((e) => [e.action, e.facts])).toEqual([
        [
          'programme.funding_source_added',
          { fundingSourceId: source.result.json().id, policyId, amountCents: 1_000_000_000, obtainedOn: '2019-03-01' },
        ],
      ]);
      await post(`/v1/programmes/${programme.id}/funding-sources`, {
        label: 'FEDER',
        amountCents: 250,
        obtainedOn: '2019-04-01',
        reference: 'R2',
      });
      await createGrant(programme.id, { amountCents: 700 });
      await createGrant(programme.id, { funderId: otherFunderId, amountCents: 300 });
      const read = (await get(`/v1/programmes/${programme.id}`)).json();
      expect(read.fundingSources.map((s: { label: string }) => s.label)).toEqual(['Crédits État', 'FEDER']);
      expect(read.totalObtainedCents).toBe(1_000_000_250);
      expect(read.totalAttributedCents).toBe(1000);

      const updated = await auditEventsDuring(t, () =>
        patch(`/v1/programmes/${programme.id}`, { maxCofinancingRateBp: 6000, name: 'AAP 2019 bis' }),
      );
      expect(updated.result.statusCode).toBe(200);
      expect(updated.result.json()).toMatchObject({ name: 'AAP 2019 bis', maxCofinancingRateBp: 6000 });
      expect(updated.events.map((e) => [e.action, e.facts])).toEqual([
        [
          'programme.updated',
          { policyId, changed: 'maxCofinancingRateBp,name', maxCofinancingRateBp: 6000, laureatesPublishedOn: '2019-06-30' },
        ],
      ]);
    });

    it('lets a funder read only the programmes it holds a grant of, without the totals mixing funders', async () => {
      const mine = await createProgramme();
      const notMine = await createProgramme();
      await createGrant(mine);
      await createGrant(mine, { funderId: otherFunderId, amountCents: 1 });
      const asFunder = await get(`/v1/programmes/${mine}`, funderToken);
      expect(asFunder.statusCode).toBe(200);
      expect(asFunder.json().totalAttributedCents).toBeNull();
      expect((await get(`/v1/programmes/${notMine}`, funderToken)).statusCode).toBe(404);
      expect((await get(`/v1/programmes/${mine}`, distributorToken)).statusCode).toBe(404);
      expect((await get(`/v1/programmes?policyId=${policyId}`, distributorToken)).statusCode).toBe(404);
      const listed = (await get(`/v1/programmes?policyId=${policyId}&limit=100`, funderToken)).json();
      expect(listed.items.map((p: { id: string }) => p.id)).toContain(mine);
      expect(listed.items.map((p: { id: string }) => p.id)).not.toContain(notMine);
      expect(listed.items.every((p: { totalAttributedCents: number | null }) => p.totalAttributedCents === null)).toBe(true);
      // The funder sees only its own grants of a shared programme; a programme it holds none of is 404.
      const grants = (await get(`/v1/programmes/${mine}/grants`, funderToken)).json();
      expect(grants.items.map((g: { funderId: string }) => g.funderId)).toEqual([funderId]);
      expect((await get(`/v1/programmes/${mine}/grants`)).json().items).toHaveLength(2);
      expect((await get(`/v1/programmes/${notMine}/grants`, funderToken)).statusCode).toBe(404);
    });

    it('lists programmes of a policy with keyset pagination', async () => {
      const policy = (await post('/v1/policies', { name: 'Autre' })).json().id;
      const ids = [];
      for (let i = 0; i < 3; i++)
        ids.push((await post('/v1/programmes', { policyId: policy, name: `P${i}`, maxCofinancingRateBp: 100 })).json().id);
      const first = (await get(`/v1/programmes?policyId=${policy}&limit=2`)).json();
      expect(first.items.map((p: { id: string }) => p.id)).toEqual(ids.slice(0, 2));
      const second = (await get(`/v1/programmes?policyId=${policy}&limit=2&cursor=${first.nextCursor}`)).json();
      expect(second).toEqual({ items: [expect.objectContaining({ id: ids[2] })], nextCursor: null });
    });

    it('refuses lowering the maximum rate below an existing grant’s, writing nothing', async () => {
      const programmeId = await createProgramme(5000);
      await createGrant(programmeId, { cofinancingRateBp: 4000 });
      const before = await tableCounts(t, ['programme', 'audit_event']);
      const res = await patch(`/v1/programmes/${programmeId}`, { maxCofinancingRateBp: 3999 });
      expect(res.statusCode).toBe(409);
      expect(res.json()).toMatchObject({ code: 'PROGRAMME_MAX_BELOW_GRANTS', field: 'maxCofinancingRateBp' });
      expect(await tableCounts(t, ['programme', 'audit_event'])).toEqual(before);
      expect((await get(`/v1/programmes/${programmeId}`)).json().maxCofinancingRateBp).toBe(5000);
    });

    const programme = () => ({ policyId, name: 'AAP', maxCofinancingRateBp: 5000 });
    it.each([
      ['malformed JSON', '{"name": ', 'body'],
      ['unknown field', { budget: 1 }, 'budget'],
      ['missing name', { name: undefined }, 'name'],
      ['missing rate', { maxCofinancingRateBp: undefined }, 'maxCofinancingRateBp'],
      ['rate above 10000', { maxCofinancingRateBp: 10001 }, 'maxCofinancingRateBp'],
      ['negative rate', { maxCofinancingRateBp: -1 }, 'maxCofinancingRateBp'],
      ['rate as a string', { maxCofinancingRateBp: '5000' }, 'maxCofinancingRateBp'],
      ['malformed policy id', { policyId: 'abc' }, 'policyId'],
      ['impossible date', { launchedOn: '2026-02-30' }, 'launchedOn'],
      ['launch before announcement', { announcedOn: '2026-03-01', launchedOn: '2026-02-01' }, 'launchedOn'],
    ])('refuses a programme with %s, naming the field, writing nothing', async (_, payload, field) => {
      const before = await tableCounts(t, ['programme', 'audit_event']);
      const res = await post('/v1/programmes', typeof payload === 'string' ? payload : { ...programme(), ...payload });
      expect(res.statusCode).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(fieldsOf(res.json())).toContain(field);
      expect(await tableCounts(t, ['programme', 'audit_event'])).toEqual(before);
    });

    it('answers 404 for a programme under an unknown policy and funding sources of an unknown programme', async () => {
      const before = await tableCounts(t, ['programme', 'programme_funding_source', 'audit_event']);
      const res = await post('/v1/programmes', { policyId: unknownId(), name: 'X', maxCofinancingRateBp: 1 });
      expect(res.statusCode).toBe(404);
      expect(res.json().field).toBe('policyId');
      const src = await post(`/v1/programmes/${unknownId()}/funding-sources`, {
        label: 'A',
        amountCents: 1,
        obtainedOn: '2026-01-01',
        reference: 'r',
      });
      expect(src.statusCode).toBe(404);
      expect(await tableCounts(t, ['programme', 'programme_funding_source', 'audit_event'])).toEqual(before);
    });

    it.each([
      ['zero amount', { amountCents: 0 }, 'amountCents'],
      ['negative amount', { amountCents: -100 }, 'amountCents'],
      ['impossible date', { obtainedOn: '2025-02-29' }, 'obtainedOn'],
      ['missing reference', { reference: undefined }, 'reference'],
    ])('refuses a funding source with %s', async (_, over, field) => {
      const programmeId = await createProgramme();
      const before = await tableCounts(t, ['programme_funding_source', 'audit_event']);
      const res = await post(`/v1/programmes/${programmeId}/funding-sources`, {
        label: 'A',
        amountCents: 100,
        obtainedOn: '2026-01-01',
        reference: 'r',
        ...over,
      });
      expect(res.statusCode).toBe(400);
      expect(fieldsOf(res.json())).toContain(field);
      expect(await tableCounts(t, ['programme_funding_source', 'audit_event'])).toEqual(before);
    });
  });

  describe('grants', () => {
    it('awards a grant with one audit event; the funder reads it, another funder and a distributor get 404', async () => {
      const programmeId = await createProgramme(5000);
      const { result: res, events } = await auditEventsDuring(t, () =>
        post(`/v1/programmes/${programmeId}/grants`, grantBody({ cofinancingRateBp: 5000 })),
      );
      expect(res.statusCode).toBe(201);
      const grant = res.json();
      expect(grant).toEqual({
        id: expect.any(String),
        programmeId,
        policyId,
        funderId,
        amountCents: 50_000_000,
        endDate: '2027-12-31',
        initialAmountCents: 50_000_000,
        initialEndDate: '2027-12-31',
        cofinancingRateBp: 5000,
        awardedOn: '2026-01-10',
        amendmentCount: 0,
        createdAt: expect.any(String),
      });
      expect(events.map((e) => [e.action, e.subject.id, e.facts])).toEqual([
        ['grant.created', grant.id, { programmeId, funderId, amountCents: 50_000_000, cofinancingRateBp: 5000, awardedOn: '2026-01-10' }],
      ]);
      expect((await get(`/v1/grants/${grant.id}`, funderToken)).json()).toEqual(grant);
      expect((await get(`/v1/grants/${grant.id}`, otherFunderToken)).statusCode).toBe(404);
      expect((await get(`/v1/grants/${grant.id}/amendments`, otherFunderToken)).statusCode).toBe(404);
      expect((await get(`/v1/grants/${grant.id}`, distributorToken)).statusCode).toBe(404);
      expect((await get(`/v1/grants/${unknownId()}`)).statusCode).toBe(404);
      expect((await get(`/v1/grants/not-a-uuid`)).statusCode).toBe(404);
    });

    it('refuses grant creation by a funder (404)', async () => {
      const programmeId = await createProgramme();
      const before = await tableCounts(t, ['funding_grant', 'audit_event']);
      expect((await post(`/v1/programmes/${programmeId}/grants`, grantBody(), funderToken)).statusCode).toBe(404);
      expect(await tableCounts(t, ['funding_grant', 'audit_event'])).toEqual(before);
    });

    it.each([
      ['malformed JSON', '{"funderId": ', 'body', 'MALFORMED_JSON'],
      ['unknown field', { bonus: 1 }, 'bonus', 'VALIDATION_FAILED'],
      ['missing amount', { amountCents: undefined }, 'amountCents', 'VALIDATION_FAILED'],
      ['zero amount', { amountCents: 0 }, 'amountCents', 'VALIDATION_FAILED'],
      ['negative amount', { amountCents: -1 }, 'amountCents', 'VALIDATION_FAILED'],
      ['amount as a string', { amountCents: '100' }, 'amountCents', 'VALIDATION_FAILED'],
      ['rate above 10000', { cofinancingRateBp: 10001 }, 'cofinancingRateBp', 'VALIDATION_FAILED'],
      ['co-financing above the programme maximum', { cofinancingRateBp: 5001 }, 'cofinancingRateBp', 'COFINANCING_ABOVE_PROGRAMME_MAX'],
      ['impossible award date', { awardedOn: '2026-02-30' }, 'awardedOn', 'VALIDATION_FAILED'],
      ['end before award', { endDate: '2026-01-09' }, 'endDate', 'DATES_OUT_OF_ORDER'],
      ['a distributor as funder', () => ({ funderId: distributorId }), 'funderId', 'FUNDER_INVALID'],
      ['an unknown funder', () => ({ funderId: unknownId() }), 'funderId', 'FUNDER_INVALID'],
    ])('refuses a grant with %s, naming the field, writing nothing', async (_, payload, field, code) => {
      const programmeId = await createProgramme(5000);
      const before = await tableCounts(t, ['funding_grant', 'audit_event']);
      const body = typeof payload === 'string' ? payload : grantBody(typeof payload === 'function' ? payload() : payload);
      const res = await post(`/v1/programmes/${programmeId}/grants`, body);
      expect(res.statusCode).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json().code).toBe(code);
      expect(fieldsOf(res.json())).toContain(field);
      expect(await tableCounts(t, ['funding_grant', 'audit_event'])).toEqual(before);
    });

    it('answers 404 for a grant under an unknown programme', async () => {
      expect((await post(`/v1/programmes/${unknownId()}/grants`, grantBody())).statusCode).toBe(404);
    });

    it('paginates a programme’s grants', async () => {
      const programmeId = await createProgramme();
      const ids = [await createGrant(programmeId), await createGrant(programmeId), await createGrant(programmeId)];
      const first = (await get(`/v1/programmes/${programmeId}/grants?limit=2`)).json();
      expect(first.items.map((g: { id: string }) => g.id)).toEqual(ids.slice(0, 2));
      const second = (await get(`/v1/programmes/${programmeId}/grants?limit=2&cursor=${first.nextCursor}`)).json();
      expect(second.items.map((g: { id: string }) => g.id)).toEqual([ids[2]]);
      expect(second.nextCursor).toBeNull();
      expect((await get(`/v1/programmes/${programmeId}/grants?funderId=${otherFunderId}`)).json().items).toEqual([]);
    });
  });

  describe('amendments', () => {
    it('change the current amount and end date, keep the history, and write one audit event each', async () => {
      const grantId = await createGrant(await createProgramme(), { amountCents: 1000, endDate: '2027-01-01' });
      const first = await auditEventsDuring(t, () =>
        post(`/v1/grants/${grantId}/amendments`, { amendedOn: '2026-06-01', reasonCode: 'EXTENSION', newEndDate: '2027-06-30' }),
      );
      expect(first.result.statusCode).toBe(201);
      expect(first.result.json()).toMatchObject({
        grantId,
        amendedOn: '2026-06-01',
        reasonCode: 'EXTENSION',
        newEndDate: '2027-06-30',
        newAmountCents: null,
      });
      expect(first.events.map((e) => [e.action, e.reason, e.facts])).toEqual([
        [
          'grant.amended',
          'EXTENSION',
          {
            amendmentId: first.result.json().id,
            programmeId: expect.any(String),
            funderId,
            previousAmountCents: 1000,
            endDateChanged: true,
            amendedOn: '2026-06-01',
          },
        ],
      ]);
      let grant = (await get(`/v1/grants/${grantId}`)).json();
      expect(grant).toMatchObject({ amountCents: 1000, endDate: '2027-06-30', initialEndDate: '2027-01-01', amendmentCount: 1 });

      const second = await post(`/v1/grants/${grantId}/amendments`, {
        amendedOn: '2026-07-01',
        reasonCode: 'BUDGET_INCREASE',
        newAmountCents: 1500,
      });
      expect(second.statusCode).toBe(201);
      grant = (await get(`/v1/grants/${grantId}`, funderToken)).json();
      expect(grant).toMatchObject({ amountCents: 1500, endDate: '2027-06-30', initialAmountCents: 1000, amendmentCount: 2 });

      const third = await post(`/v1/grants/${grantId}/amendments`, {
        amendedOn: '2026-07-01',
        reasonCode: 'EXTENSION_AND_BUDGET',
        newAmountCents: 1200,
        newEndDate: '2028-01-31',
      });
      expect(third.statusCode).toBe(201);
      const history = (await get(`/v1/grants/${grantId}/amendments`, funderToken)).json();
      expect(history.grant).toMatchObject({ amountCents: 1200, endDate: '2028-01-31', amendmentCount: 3 });
      expect(
        history.items.map((a: { reasonCode: string; newAmountCents: number | null; newEndDate: string | null }) => [
          a.reasonCode,
          a.newAmountCents,
          a.newEndDate,
        ]),
      ).toEqual([
        ['EXTENSION', null, '2027-06-30'],
        ['BUDGET_INCREASE', 1500, null],
        ['EXTENSION_AND_BUDGET', 1200, '2028-01-31'],
      ]);
      // The programme's total attributed follows the current amounts.
      const programme = (await get(`/v1/programmes/${grant.programmeId}`)).json();
      expect(programme.totalAttributedCents).toBe(1200);
      // History rows are append-only.
      await expect(sql(t, `UPDATE grant_amendment SET new_amount_cents = 1 WHERE grant_id = $1`, [grantId])).rejects.toThrow(/append-only/);
    });

    it('serialise per grant: concurrent amendments all land, and the current amount is the latest one', async () => {
      const grantId = await createGrant(await createProgramme(), { amountCents: 1000 });
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          post(`/v1/grants/${grantId}/amendments`, {
            amendedOn: `2026-06-${String(10 + i)}`,
            reasonCode: 'CORRECTION',
            newAmountCents: 2000 + i,
          }),
        ),
      );
      // Out-of-order dates are refused once a later amendment landed; the accepted ones are ordered.
      const accepted = results.filter((r) => r.statusCode === 201);
      expect(results.every((r) => r.statusCode === 201 || (r.statusCode === 400 && r.json().code === 'DATES_OUT_OF_ORDER'))).toBe(true);
      const history = (await get(`/v1/grants/${grantId}/amendments`)).json();
      expect(history.items).toHaveLength(accepted.length);
      const amounts = history.items.map((a: { newAmountCents: number }) => a.newAmountCents);
      expect(amounts).toEqual([...amounts].sort((a, b) => a - b));
      expect(history.grant.amountCents).toBe(amounts[amounts.length - 1]);
      expect(amounts).toContain(2007);
    });

    it('never let a grant above the maximum slip in while the maximum is lowered concurrently', async () => {
      const programmeId = await createProgramme(5000);
      const [grant, lowered] = await Promise.all([
        post(`/v1/programmes/${programmeId}/grants`, grantBody({ cofinancingRateBp: 4500 })),
        patch(`/v1/programmes/${programmeId}`, { maxCofinancingRateBp: 4000 }),
      ]);
      const statuses = [grant.statusCode, lowered.statusCode].sort();
      expect([
        [200, 400],
        [201, 409],
      ]).toContainEqual(statuses);
      const programme = (await get(`/v1/programmes/${programmeId}`)).json();
      const grants = (await get(`/v1/programmes/${programmeId}/grants`)).json().items;
      expect(grants.every((g: { cofinancingRateBp: number }) => g.cofinancingRateBp <= programme.maxCofinancingRateBp)).toBe(true);
    });

    it('are refused to funders (404)', async () => {
      const grantId = await createGrant(await createProgramme());
      const before = await tableCounts(t, ['grant_amendment', 'audit_event']);
      const res = await post(
        `/v1/grants/${grantId}/amendments`,
        { amendedOn: '2026-06-01', reasonCode: 'EXTENSION', newEndDate: '2028-01-01' },
        funderToken,
      );
      expect(res.statusCode).toBe(404);
      expect(await tableCounts(t, ['grant_amendment', 'audit_event'])).toEqual(before);
    });

    const amendment = { amendedOn: '2026-06-01', reasonCode: 'BUDGET_INCREASE', newAmountCents: 2000 };
    it.each([
      ['malformed JSON', '{"amendedOn": ', 'body', 'MALFORMED_JSON'],
      ['unknown field', { ...amendment, note: 'x' }, 'note', 'VALIDATION_FAILED'],
      ['no change', { amendedOn: '2026-06-01', reasonCode: 'CORRECTION' }, 'newAmountCents', 'AMENDMENT_EMPTY'],
      ['unknown reason', { ...amendment, reasonCode: 'BECAUSE' }, 'reasonCode', 'VALIDATION_FAILED'],
      ['missing reason', { ...amendment, reasonCode: undefined }, 'reasonCode', 'VALIDATION_FAILED'],
      ['zero amount', { ...amendment, newAmountCents: 0 }, 'newAmountCents', 'VALIDATION_FAILED'],
      ['negative amount', { ...amendment, newAmountCents: -10 }, 'newAmountCents', 'VALIDATION_FAILED'],
      ['impossible date', { ...amendment, amendedOn: '2026-02-30' }, 'amendedOn', 'VALIDATION_FAILED'],
      ['impossible new end date', { ...amendment, newEndDate: '2027-13-01' }, 'newEndDate', 'VALIDATION_FAILED'],
      ['a date before the award', { ...amendment, amendedOn: '2025-12-31' }, 'amendedOn', 'DATES_OUT_OF_ORDER'],
      ['a date before the previous amendment', { ...amendment, amendedOn: '2026-04-30' }, 'amendedOn', 'DATES_OUT_OF_ORDER'],
      ['an end date before the award', { ...amendment, newEndDate: '2026-01-01' }, 'newEndDate', 'DATES_OUT_OF_ORDER'],
    ])('refuses an amendment with %s, naming the field, writing nothing', async (_, payload, field, code) => {
      const grantId = await createGrant(await createProgramme());
      expect(
        (await post(`/v1/grants/${grantId}/amendments`, { amendedOn: '2026-05-01', reasonCode: 'CORRECTION', newAmountCents: 5 }))
          .statusCode,
      ).toBe(201);
      const before = await tableCounts(t, ['grant_amendment', 'audit_event']);
      const res = await post(`/v1/grants/${grantId}/amendments`, payload);
      expect(res.statusCode).toBe(400);
      expect(res.json().code).toBe(code);
      expect(fieldsOf(res.json())).toContain(field);
      expect(await tableCounts(t, ['grant_amendment', 'audit_event'])).toEqual(before);
      expect((await get(`/v1/grants/${grantId}`)).json().amountCents).toBe(5);
    });
  });
});

import { readFileSync } from 'node:fs';
import { parisDate } from '@sillage/common';
import { seedPartnership, sql } from '@sillage/testing';
import type { Browser, Page } from 'playwright-core';
import { DistributionNoticesJob } from '../libs/distribution/src/notices/notices.job';
import { browserUser, launchChromium, listening, plain, SCREENSHOTS, seriousAccessibilityViolations, signInAs } from './browser-support';
import { api, draftOrder, futureDate, payInFull } from './order-support';
import { addDays, createRedemptionWorld, RedemptionWorld, stockedOrder } from './redemption-support';

jest.setTimeout(240_000);

/**
 * The distributor's portal (issue 9) in Chromium against the real API, database and worker: the
 * stock per funder and order (figures equal to the database), the hand-over desk (keyboard first,
 * a second person right after the first, clear refusals), past hand-overs with a cancellation,
 * expiry notices, and an admin's access export and confirmed erasure of a person's data.
 */
describe('web: the distributor portal, in Chromium', () => {
  let w: RedemptionWorld;
  let browser: Browser;
  let base: string;
  let lyonSerials: string[];
  let soonSerials: string[];
  let otherSerials: string[];
  let soonReference: string;

  beforeAll(async () => {
    w = await createRedemptionWorld();
    await sql(w.t, `UPDATE organisation SET legal_name = 'Métropole de Lyon' WHERE id = $1`, [w.funderId]);
    await sql(w.t, `UPDATE organisation SET legal_name = 'CAF du Rhône' WHERE id = $1`, [w.otherFunderId]);
    await sql(w.t, `UPDATE organisation SET legal_name = 'France Services Vénissieux' WHERE id = $1`, [w.distributorId]);
    const category = await api(w.t, 'POST', '/v1/public-categories', w.tokens.funder, {
      code: 'job_seeker',
      labelFr: 'Demandeur d’emploi',
      labelEn: 'Job seeker',
    });
    expect(category.status).toBe(201);
    // The Métropole: a 4-booklet order all in stock, and one whose distribution stops in 20 days (2 of 3 in stock).
    lyonSerials = (await stockedOrder(w, { bookletCount: 4, vouchersPerBooklet: 2 })).serials;
    const soon = await draftOrder(w, { bookletCount: 3, vouchersPerBooklet: 1, validityEndDate: futureDate(30), stopDistributionDays: 10 });
    soonReference = (await payInFull(w, soon.id, parisDate(new Date()))).reference;
    const moved = await api(w.t, 'POST', '/v1/allocations', w.tokens.funder, {
      toDistributorId: w.distributorId,
      orderId: soon.id,
      count: 2,
    });
    expect(moved.status).toBe(201);
    soonSerials = (
      await sql<{ serial: string }>(w.t, `SELECT serial FROM booklet WHERE order_id = $1 AND state = 'ALLOCATED' ORDER BY number`, [
        soon.id,
      ])
    ).map((r) => r.serial);
    // The CAF, partnered too, with no public category: its booklets ask for no category.
    await seedPartnership(w.t, { id: w.otherFunderId }, { id: w.distributorId });
    const caf = await draftOrder(w, { bookletCount: 2, vouchersPerBooklet: 1 }, w.tokens.otherFunder);
    await payInFull(w, caf.id, parisDate(new Date()), w.tokens.otherFunder);
    const cafMoved = await api(w.t, 'POST', '/v1/allocations', w.tokens.otherFunder, {
      toDistributorId: w.distributorId,
      orderId: caf.id,
      count: 2,
    });
    expect(cafMoved.status).toBe(201);
    otherSerials = (await sql<{ serial: string }>(w.t, `SELECT serial FROM booklet WHERE order_id = $1 ORDER BY number`, [caf.id])).map(
      (r) => r.serial,
    );
    base = await listening(w.t);
    browser = await launchChromium();
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await w?.close();
  });

  const newPage = async (): Promise<Page> => (await browser.newContext({ acceptDownloads: true })).newPage();
  const focused = (p: Page) => p.evaluate<string>(`document.activeElement?.id ?? ''`);

  /** The stock per order as the database holds it. */
  const dbStock = () =>
    sql<{ reference: string; inStock: number; handedOver: number }>(
      w.t,
      `SELECT o.reference, count(*) FILTER (WHERE b.state = 'ALLOCATED')::int AS "inStock",
              count(*) FILTER (WHERE b.state = 'DISTRIBUTED')::int AS "handedOver"
       FROM booklet b JOIN purchase_order o ON o.id = b.order_id WHERE b.holder_distributor_id = $1 GROUP BY o.reference ORDER BY o.reference`,
      [w.distributorId],
    );

  async function expectStockEqualsDb(p: Page) {
    const rows = await dbStock();
    expect(plain(await p.locator('[data-figure="in-stock"]').textContent())).toBe(String(rows.reduce((a, r) => a + r.inStock, 0)));
    expect(plain(await p.locator('[data-figure="handed-over"]').textContent())).toBe(String(rows.reduce((a, r) => a + r.handedOver, 0)));
    for (const r of rows) {
      const cells = (await p.locator(`tr[data-order="${r.reference}"] td`).allTextContents()).map(plain);
      expect([cells[0], cells[2]]).toEqual([String(r.inStock), String(r.handedOver)]);
    }
    return rows;
  }

  it('lets an agent see the stock, hand two booklets over from the keyboard, and refuses bad input clearly', async () => {
    const agent = await browserUser(w.t, w.distributorId, 'agent', { totp: false });
    const p = await newPage();
    await signInAs(p, base, w.t, agent, '/app/stock');

    // The stock, grouped by funder, equal to the database.
    await p.getByRole('heading', { level: 1, name: 'Stock de carnets' }).waitFor();
    await p.getByRole('heading', { level: 2, name: 'Financeur : Métropole de Lyon' }).waitFor();
    await p.getByRole('heading', { level: 2, name: 'Financeur : CAF du Rhône' }).waitFor();
    const before = await expectStockEqualsDb(p);
    expect(before.reduce((a, r) => a + r.inStock, 0)).toBe(8);
    // Expiring soon: the 2 booklets of the order whose distribution stops in 20 days.
    expect(plain(await p.locator('[data-figure="soon"]').textContent())).toBe('2');
    expect(plain(await p.locator(`tr[data-order="${soonReference}"]`).textContent())).toContain('S’arrête dans 20 jours');
    expect(await seriousAccessibilityViolations(p)).toEqual([]);
    await p.screenshot({ path: `${SCREENSHOTS}/distributor-stock.png`, fullPage: true });

    // The hand-over desk: the focus is on the serial, a scanner "types" it.
    await p.getByRole('link', { name: 'Remettre un carnet' }).first().click();
    await p.getByRole('heading', { level: 1, name: 'Remettre un carnet' }).waitFor();
    await p.locator('#bookletSerial:focus').waitFor();
    await p.keyboard.type(lyonSerials[0].toLowerCase());
    // The serial's funder follows categories: the field appears, with the order named.
    await p.getByLabel('Catégorie de public').waitFor();
    await p.getByText(/^Carnet de la commande .*, financée par Métropole de Lyon\.$/).waitFor();
    await p.keyboard.press('Tab');
    expect(await focused(p)).toBe('ageBand');
    await p.getByLabel('Tranche d’âge').selectOption('26_44');
    await p.getByLabel('Commune de résidence (code INSEE)').fill('69259');
    await p.getByLabel('Catégorie de public').selectOption('job_seeker');
    // Consent: the text is shown, the contact fields come with the box ticked.
    expect(plain(await p.locator('#consent-text').textContent())).toContain('Si vous êtes d’accord, nous enregistrons vos coordonnées');
    expect(await p.getByLabel('Adresse e-mail').count()).toBe(0);
    await p.getByLabel('La personne a entendu ce texte et accepte que ses coordonnées soient enregistrées').check();
    await p.getByLabel('Nom (facultatif)').fill('Awa Diallo');
    await p.getByLabel('Adresse e-mail').fill('awa.diallo@example.org');
    await p.getByLabel('Téléphone').fill('+33612345678');
    expect(await seriousAccessibilityViolations(p)).toEqual([]);
    await p.screenshot({ path: `${SCREENSHOTS}/distributor-hand-over-filled.png`, fullPage: true });
    await p.keyboard.press('Enter');
    await p.getByText(`Carnet ${lyonSerials[0]} remis, coordonnées enregistrées avec l’accord de la personne.`, { exact: false }).waitFor();
    expect(plain(await p.getByRole('status').textContent())).toContain('Le formulaire est prêt pour la personne suivante.');

    // In the database: distributed, with the profile and the consent.
    const [first] = await sql<{
      state: string;
      ageBand: string;
      commune: string;
      category: string;
      purpose: string;
      givenOn: string;
      version: string;
      agent: string;
    }>(
      w.t,
      `SELECT b.state, bp.age_band AS "ageBand", bp.commune_code AS commune, bp.public_category_code AS category,
              vr.consent_purpose AS purpose, to_char(vr.consent_given_on, 'YYYY-MM-DD') AS "givenOn", vr.consent_text_version AS version,
              h.agent_id AS agent
       FROM booklet b JOIN handover h ON h.booklet_id = b.id JOIN beneficiary_profile bp ON bp.id = h.profile_id
       JOIN vault_person vp ON vp.pseudonym = bp.person_pseudonym JOIN vault_record vr ON vr.vault_id = vp.vault_id AND vr.field = 'contact'
       WHERE b.serial = $1`,
      [lyonSerials[0]],
    );
    expect(first).toEqual({
      state: 'DISTRIBUTED',
      ageBand: '26_44',
      commune: '69259',
      category: 'job_seeker',
      purpose: 'follow_up',
      givenOn: parisDate(new Date()),
      version: 'desk-contact-v1-fr',
      agent: agent.id,
    });
    // The contact is sealed: the e-mail is nowhere in clear.
    const [sealed] = await sql<{ clear: boolean }>(
      w.t,
      `SELECT bool_or(position('awa.diallo' in encode(sealed, 'escape')) > 0) AS clear FROM vault_record`,
    );
    expect(sealed.clear).toBe(false);

    // Ready for the next person: empty form, focus on the serial; the second hand-over from the keyboard alone.
    expect(await focused(p)).toBe('bookletSerial');
    expect(await p.getByLabel('Numéro du carnet').inputValue()).toBe('');
    expect(await p.getByLabel('Commune de résidence (code INSEE)').inputValue()).toBe('');
    expect(await p.getByLabel('Tranche d’âge').inputValue()).toBe('');
    const started = Date.now();
    await p.keyboard.type(otherSerials[0]);
    await p.keyboard.press('Tab');
    await p.keyboard.press('ArrowDown'); // the first band after "— Choisir —"
    await p.keyboard.press('ArrowDown');
    await p.keyboard.press('Tab');
    await p.keyboard.type('69123');
    await p.keyboard.press('Enter');
    await p.getByText(`Carnet ${otherSerials[0]} remis. Le formulaire est prêt pour la personne suivante.`).waitFor();
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(plain(await p.getByRole('status').textContent())).toContain('2 remises enregistrées depuis l’ouverture de cette page.');
    expect(await focused(p)).toBe('bookletSerial');
    const [second] = await sql<{ state: string; ageBand: string; commune: string; category: string | null; records: number }>(
      w.t,
      `SELECT b.state, bp.age_band AS "ageBand", bp.commune_code AS commune, bp.public_category_code AS category,
              (SELECT count(*)::int FROM vault_person vp JOIN vault_record vr ON vr.vault_id = vp.vault_id WHERE vp.pseudonym = bp.person_pseudonym) AS records
       FROM booklet b JOIN handover h ON h.booklet_id = b.id JOIN beneficiary_profile bp ON bp.id = h.profile_id WHERE b.serial = $1`,
      [otherSerials[0]],
    );
    expect(second).toEqual({ state: 'DISTRIBUTED', ageBand: '18_25', commune: '69123', category: null, records: 0 });
    expect(await seriousAccessibilityViolations(p)).toEqual([]);
    await p.screenshot({ path: `${SCREENSHOTS}/distributor-hand-over-done.png`, fullPage: true });

    // Refusals: required fields missing (nothing sent), then the API's refusals, each on the serial.
    await p.keyboard.press('Enter');
    const alert = p.getByRole('alert');
    await alert.getByText(/^3 champs à corriger :/).waitFor();
    expect(plain(await alert.textContent())).toBe(
      '3 champs à corriger : Saisissez ou scannez le numéro du carnet. Choisissez la tranche d’âge. Saisissez le code INSEE de la commune.',
    );
    expect(await p.getByLabel('Numéro du carnet').getAttribute('aria-invalid')).toBe('true');
    expect(await focused(p)).toBe('bookletSerial');
    expect(await seriousAccessibilityViolations(p)).toEqual([]);
    await p.screenshot({ path: `${SCREENSHOTS}/distributor-hand-over-errors.png`, fullPage: true });

    await p.keyboard.type('SLG-2026-12');
    await p.getByLabel('Tranche d’âge').selectOption('45_59');
    await p.getByLabel('Commune de résidence (code INSEE)').fill('6912');
    await p.getByLabel('Commune de résidence (code INSEE)').press('Enter');
    await alert.getByText(/^2 champs à corriger :/).waitFor();
    expect(plain(await alert.textContent())).toContain('Ce numéro n’a pas la forme d’un numéro de carnet');
    expect(plain(await alert.textContent())).toContain('Un code INSEE compte 5 caractères');

    await p.getByLabel('Commune de résidence (code INSEE)').fill('69123');
    await p.getByLabel('Numéro du carnet').fill('SLG-2099-999999');
    await p.getByLabel('Numéro du carnet').press('Enter');
    await alert
      .getByText('Ce carnet n’est pas dans votre stock : numéro inconnu ou carnet d’une autre structure. Vérifiez le numéro.')
      .waitFor();
    expect(await focused(p)).toBe('bookletSerial');
    expect(await p.locator('#bookletSerial-error').textContent()).toContain('pas dans votre stock');

    await p.keyboard.type(lyonSerials[0]); // the serial is selected: the scanner replaces it
    expect(await p.getByLabel('Numéro du carnet').inputValue()).toBe(lyonSerials[0]);
    await p.keyboard.press('Enter');
    await alert.getByText(/^Ce carnet a déjà été remis à quelqu’un\./).waitFor();
    expect(await focused(p)).toBe('bookletSerial');

    // Contact details without consent are refused before anything is sent; with consent, an e-mail or a phone is needed.
    await p.getByLabel('Numéro du carnet').fill(lyonSerials[1]);
    await p.getByLabel('La personne a entendu ce texte et accepte que ses coordonnées soient enregistrées').check();
    await p.getByLabel('Numéro du carnet').press('Enter');
    await alert.getByText(/Avec l’accord, saisissez au moins une adresse e-mail ou un téléphone\./).waitFor();
    expect(await focused(p)).toBe('email');
    // A hand-over recorded another day: not before the booklet reached the stock, never in the future.
    await p.getByLabel('La personne a entendu ce texte et accepte que ses coordonnées soient enregistrées').uncheck();
    await p.getByText('Remise faite un autre jour ?').click();
    await p.getByLabel('Date de la remise').fill(addDays(parisDate(new Date()), -1));
    await p.getByLabel('Date de la remise').press('Enter');
    await alert.getByText('Ce carnet n’est arrivé dans votre stock qu’après la date de remise.').waitFor();
    expect(await focused(p)).toBe('handedOn');
    await p.getByLabel('Date de la remise').fill(addDays(parisDate(new Date()), 1));
    await p.getByLabel('Date de la remise').press('Enter');
    await alert.getByText(/La date de remise ne peut pas être dans le futur\./).waitFor();
    // Nothing of these refusals reached the database.
    expect(await sql(w.t, `SELECT count(*)::int AS n FROM handover`)).toEqual([{ n: 2 }]);
    expect(await seriousAccessibilityViolations(p)).toEqual([]);

    // The stock follows, still equal to the database; the agent sees no personal-data link.
    await p.getByRole('link', { name: 'Stock de carnets' }).click();
    await p.getByRole('heading', { level: 1, name: 'Stock de carnets' }).waitFor();
    await p.locator('[data-figure="handed-over"]', { hasText: /^2$/ }).waitFor();
    await expectStockEqualsDb(p);
    // In English too.
    await p.getByRole('button', { name: 'Switch to English' }).click();
    await p.getByRole('heading', { level: 1, name: 'Booklet stock' }).waitFor();
    await p.getByRole('heading', { level: 2, name: 'Funder: Métropole de Lyon' }).waitFor();
    expect(await seriousAccessibilityViolations(p)).toEqual([]);
    await p.getByRole('button', { name: 'Passer en français' }).click();
    await p.getByRole('heading', { level: 1, name: 'Stock de carnets' }).waitFor();

    // Past hand-overs: both listed; the second, recorded in error, is cancelled after a confirmation.
    await p.getByRole('link', { name: 'Remises effectuées' }).click();
    await p.getByRole('heading', { level: 1, name: 'Remises effectuées' }).waitFor();
    await p.locator(`tr[data-serial="${otherSerials[0]}"]`).waitFor();
    expect(await p.locator('tbody tr').count()).toBe(2);
    expect(plain(await p.locator(`tr[data-serial="${lyonSerials[0]}"]`).textContent())).toContain('Oui, avec accord');
    expect(await p.getByRole('link', { name: /^Données de la personne/ }).count()).toBe(0);
    expect(await seriousAccessibilityViolations(p)).toEqual([]);
    await p.screenshot({ path: `${SCREENSHOTS}/distributor-hand-overs.png`, fullPage: true });
    await p.getByRole('button', { name: `Annuler la remise du carnet ${otherSerials[0]}` }).click();
    await p.getByRole('heading', { level: 2, name: `Annuler la remise du carnet ${otherSerials[0]}` }).waitFor();
    expect(await sql(w.t, `SELECT count(*)::int AS n FROM handover WHERE returned_at IS NOT NULL`)).toEqual([{ n: 0 }]);
    expect(await seriousAccessibilityViolations(p)).toEqual([]);
    await p.getByLabel('Motif').selectOption('recorded_in_error');
    await p.getByRole('button', { name: 'Confirmer l’annulation' }).click();
    await p.getByText(`La remise du carnet ${otherSerials[0]} est annulée : le carnet est de nouveau dans votre stock.`).waitFor();
    const [returned] = await sql<{ state: string; reason: string }>(
      w.t,
      `SELECT b.state, h.return_reason AS reason FROM booklet b JOIN handover h ON h.booklet_id = b.id WHERE b.serial = $1`,
      [otherSerials[0]],
    );
    expect(returned).toEqual({ state: 'ALLOCATED', reason: 'recorded_in_error' });
    await p.locator(`tr[data-serial="${otherSerials[0]}"]`, { hasText: 'Annulée le' }).waitFor();
    await p.context().close();
  });

  it('shows the expiry notices with what is left, and marks one read', async () => {
    await w.t.app.get(DistributionNoticesJob).handle({ day: parisDate(new Date()) });
    const [notice] = await sql<{ id: string; remaining: number }>(
      w.t,
      `SELECT id, remaining_booklets AS remaining FROM notice WHERE organisation_id = $1`,
      [w.distributorId],
    );
    expect(notice.remaining).toBe(soonSerials.length);
    const agent = await browserUser(w.t, w.distributorId, 'agent', { totp: false });
    const p = await newPage();
    await signInAs(p, base, w.t, agent, '/app/expiry-notices');
    await p.getByRole('heading', { level: 1, name: 'Alertes d’échéance' }).waitFor();
    const card = p.getByRole('article', { name: `Les chèques expirent dans 30 jours — commande ${soonReference}` });
    await card.waitFor();
    expect(plain(await card.textContent())).toContain(`Carnets restant à remettre${notice.remaining}`);
    expect(plain(await card.textContent())).toContain('Non lue');
    expect(await seriousAccessibilityViolations(p)).toEqual([]);
    await p.screenshot({ path: `${SCREENSHOTS}/distributor-notices.png`, fullPage: true });
    await card.getByRole('button', { name: /^Marquer comme lue/ }).click();
    await card.getByText(/Lue le/).waitFor();
    const [read] = await sql<{ read: boolean }>(w.t, `SELECT read_at IS NOT NULL AS read FROM notice WHERE id = $1`, [notice.id]);
    expect(read.read).toBe(true);
    await p.context().close();
  });

  it('lets an admin read a person’s data with a purpose, export it, and erase it after a confirmation', async () => {
    const admin = await browserUser(w.t, w.distributorId, 'admin');
    const p = await newPage();
    await signInAs(p, base, w.t, admin, '/app/hand-overs');
    await p.getByRole('heading', { level: 1, name: 'Remises effectuées' }).waitFor();
    await p.getByRole('link', { name: `Données de la personne (carnet ${lyonSerials[0]})` }).click();
    await p.getByRole('heading', { level: 1, name: 'Données d’un bénéficiaire' }).waitFor();
    const [profile] = await sql<{ id: string; pseudonym: string }>(
      w.t,
      `SELECT bp.id, bp.person_pseudonym AS pseudonym FROM handover h JOIN booklet b ON b.id = h.booklet_id
       JOIN beneficiary_profile bp ON bp.id = h.profile_id WHERE b.serial = $1`,
      [lyonSerials[0]],
    );
    expect(new URL(p.url()).pathname).toBe(`/app/beneficiaries/${profile.id}`);
    // Nothing is read before a purpose is given.
    expect(await sql(w.t, `SELECT count(*)::int AS n FROM personal_data_access WHERE person_pseudonym = $1`, [profile.pseudonym])).toEqual([
      { n: 0 },
    ]);
    expect(await seriousAccessibilityViolations(p)).toEqual([]);
    await p.getByLabel('Motif de la consultation').selectOption('data_subject_request');
    await p.getByRole('button', { name: 'Afficher les données' }).click();
    await p.getByText('awa.diallo@example.org').waitFor();
    expect(plain(await p.locator('.person').textContent())).toContain('Awa Diallo');
    expect(plain(await p.locator('.person').textContent())).toContain('26 à 44 ans');
    expect(plain(await p.locator('.person').textContent())).toContain('Demandeur d’emploi');
    const [logged] = await sql<{ purpose: string }>(w.t, `SELECT purpose FROM personal_data_access WHERE person_pseudonym = $1`, [
      profile.pseudonym,
    ]);
    expect(logged.purpose).toBe('data_subject_request');
    expect(await seriousAccessibilityViolations(p)).toEqual([]);
    await p.screenshot({ path: `${SCREENSHOTS}/distributor-beneficiary.png`, fullPage: true });

    // The access export: a JSON file with the opened contact and the stored rows.
    const [download] = await Promise.all([p.waitForEvent('download'), p.getByRole('button', { name: 'Télécharger l’export' }).click()]);
    const exported = JSON.parse(readFileSync(await download.path(), 'utf8')) as {
      erased: boolean;
      openedRecords: { contact: { record: { email: string; phone: string } } };
      tables: Record<string, unknown[]>;
    };
    expect(exported.erased).toBe(false);
    expect(exported.openedRecords.contact.record).toMatchObject({ email: 'awa.diallo@example.org', phone: '+33612345678' });
    expect(exported.tables.beneficiary_profile).toHaveLength(1);
    expect(exported.tables.handover).toHaveLength(1);
    await p.getByText('L’export est téléchargé.').waitFor();
    const [audited] = await sql<{ n: number }>(
      w.t,
      `SELECT count(*)::int AS n FROM audit_event WHERE action = 'beneficiary.exported' AND subject_id = $1`,
      [profile.id],
    );
    expect(audited.n).toBe(1);

    // Erasure: nothing happens before the confirmation; then the key is gone and the profile unlinked.
    await p.getByLabel('Motif de l’effacement').selectOption('data_subject_request');
    await p.getByRole('button', { name: 'Effacer les données de cette personne…' }).click();
    // The focus goes to the question (a second Enter pressed by mistake erases nothing).
    await p.locator('#erase-confirm:focus').waitFor({ timeout: 2_000 });
    expect(await seriousAccessibilityViolations(p)).toEqual([]);
    await p.screenshot({ path: `${SCREENSHOTS}/distributor-erase-confirm.png`, fullPage: true });
    await p.getByRole('button', { name: 'Annuler' }).click();
    expect(
      await sql(w.t, `SELECT count(*)::int AS n FROM vault_person WHERE pseudonym = $1 AND wrapped_key IS NOT NULL`, [profile.pseudonym]),
    ).toEqual([{ n: 1 }]);
    await p.getByRole('button', { name: 'Effacer les données de cette personne…' }).click();
    await p.getByRole('button', { name: 'Oui, effacer définitivement' }).click();
    await p.getByRole('status').getByText('Les données personnelles de cette personne sont effacées.').waitFor();
    const [erased] = await sql<{ linked: boolean; key: boolean; records: number; reason: string }>(
      w.t,
      `SELECT bp.person_pseudonym IS NOT NULL AS linked, vp.wrapped_key IS NOT NULL AS key, vp.erasure_reason AS reason,
              (SELECT count(*)::int FROM vault_record vr WHERE vr.vault_id = vp.vault_id) AS records
       FROM beneficiary_profile bp, vault_person vp WHERE bp.id = $1 AND vp.pseudonym = $2`,
      [profile.id, profile.pseudonym],
    );
    expect(erased).toEqual({ linked: false, key: false, records: 0, reason: 'data_subject_request' });
    // The page reads again: nothing personal is left to show.
    await p.locator('.person').getByText('Les données personnelles de cette personne ont été effacées.').waitFor();
    expect(await p.getByRole('button', { name: 'Effacer les données de cette personne…' }).count()).toBe(0);
    expect(plain(await p.locator('.person').textContent())).not.toContain('awa.diallo');
    expect(await seriousAccessibilityViolations(p)).toEqual([]);
    await p.screenshot({ path: `${SCREENSHOTS}/distributor-erased.png`, fullPage: true });
    // The counts stay: the hand-over and its profile are still there.
    expect(await dbStock()).toEqual(expect.arrayContaining([expect.objectContaining({ handedOver: 1 })]));

    // Consent withdrawn for another person: the contact goes, after a confirmation; the profile stays linked.
    const other = await api<{ beneficiaryId: string }>(w.t, 'POST', '/v1/handovers', w.distributorAgent, {
      bookletSerial: lyonSerials[2],
      profile: { ageBand: '60_74', communeCode: '69123' },
      contact: { phone: '+33478000000' },
      consent: { purpose: 'reminders', givenOn: parisDate(new Date()), textVersion: 'desk-contact-v1-fr' },
    });
    expect(other.status).toBe(201);
    // Found at the desk with the booklet number alone.
    await p.getByRole('link', { name: 'Données personnelles' }).click();
    await p.getByRole('heading', { level: 1, name: 'Données personnelles' }).waitFor();
    await p.locator('#person-serial:focus').waitFor();
    await p.keyboard.type('SLG-12');
    await p.keyboard.press('Enter');
    await p.getByText('Ce numéro n’a pas la forme d’un numéro de carnet (par exemple SLG-2026-000123).').waitFor();
    await p.getByLabel('Numéro du carnet de la personne').fill(lyonSerials[3]);
    await p.keyboard.press('Enter');
    await p.getByRole('status').getByText(`Votre structure n’a remis le carnet ${lyonSerials[3]} à personne.`).waitFor();
    await p.getByLabel('Numéro du carnet de la personne').fill(lyonSerials[2].toLowerCase());
    await p.keyboard.press('Enter');
    await p.getByRole('status').getByText(`Le carnet ${lyonSerials[2]} a été remis une fois :`).waitFor();
    expect(await seriousAccessibilityViolations(p)).toEqual([]);
    await p.screenshot({ path: `${SCREENSHOTS}/distributor-personal-data.png`, fullPage: true });
    await p.getByRole('link', { name: new RegExp(`^Ouvrir les données de la personne \\(carnet ${lyonSerials[2]}, remis le `) }).click();
    await p.getByRole('heading', { level: 1, name: 'Données d’un bénéficiaire' }).waitFor();
    await p.getByLabel('Motif de la consultation').selectOption('correction');
    await p.getByRole('button', { name: 'Afficher les données' }).click();
    await p.locator('.person').getByText('+33478000000').waitFor();
    const contactRecords = () =>
      sql<{ n: number }>(
        w.t,
        `SELECT count(*)::int AS n FROM beneficiary_profile bp JOIN vault_person vp ON vp.pseudonym = bp.person_pseudonym
         JOIN vault_record vr ON vr.vault_id = vp.vault_id WHERE bp.id = $1`,
        [other.body.beneficiaryId],
      );
    await p.getByRole('button', { name: 'Supprimer les coordonnées…' }).click();
    await p.getByRole('button', { name: 'Confirmer la suppression des coordonnées' }).waitFor();
    expect(await contactRecords()).toEqual([{ n: 1 }]);
    await p.getByRole('button', { name: 'Confirmer la suppression des coordonnées' }).click();
    await p.getByRole('status').getByText('Les coordonnées sont supprimées.').waitFor();
    expect(await contactRecords()).toEqual([{ n: 0 }]);
    await p.locator('.person').getByText('Aucune coordonnée enregistrée.').waitFor();
    expect(await seriousAccessibilityViolations(p)).toEqual([]);
    await p.context().close();
  });

  it('pages through a long list of hand-overs, filtered by order', async () => {
    const { order, serials } = await stockedOrder(w, { bookletCount: 53, vouchersPerBooklet: 1 });
    for (const bookletSerial of serials.slice(0, 52)) {
      const r = await api(w.t, 'POST', '/v1/handovers', w.distributorAgent, {
        bookletSerial,
        profile: { ageBand: '45_59', communeCode: '69123' },
      });
      expect(r.status).toBe(201);
    }
    const agent = await browserUser(w.t, w.distributorId, 'agent', { totp: false });
    const p = await newPage();
    await signInAs(p, base, w.t, agent, '/app/hand-overs');
    await p.getByRole('heading', { level: 1, name: 'Remises effectuées' }).waitFor();
    await p.getByLabel('Commande').selectOption({ label: order.reference });
    // The newest first: the last 50 handed over, then the first two.
    await p.locator(`tr[data-serial="${serials[51]}"]`).waitFor();
    await p.locator(`tr[data-serial="${serials[2]}"]`).waitFor();
    expect(await p.locator('tbody tr').count()).toBe(50);
    expect(await p.locator('tbody tr').first().getAttribute('data-serial')).toBe(serials[51]);
    await p.getByRole('button', { name: 'Page suivante' }).click();
    await p.locator(`tr[data-serial="${serials[0]}"]`).waitFor();
    expect(await p.locator('tbody tr').count()).toBe(52);
    expect(await p.locator('tbody tr').last().getAttribute('data-serial')).toBe(serials[0]);
    expect(await p.getByRole('button', { name: 'Page suivante' }).count()).toBe(0);
    const rows = await sql<{ n: number }>(w.t, `SELECT count(*)::int AS n FROM handover WHERE order_id = $1`, [order.id]);
    expect(rows).toEqual([{ n: 52 }]);
    expect(await seriousAccessibilityViolations(p)).toEqual([]);
    await p.context().close();
  });
});

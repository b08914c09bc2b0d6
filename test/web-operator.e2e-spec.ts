import { parisDate } from '@sillage/common';
import { randomUUID } from 'node:crypto';
import { AuditSealer, verifyCheckpointSignature, verifyInclusion } from '@sillage/audit';
import { FixtureUser, sql, validSiren, validSiret } from '@sillage/testing';
import type { Browser, Page } from 'playwright-core';
import { browserUser, launchChromium, listening, plain, SCREENSHOTS, seriousAccessibilityViolations, signInAs } from './browser-support';
import { api } from './order-support';
import { createRedemptionWorld, handOver, redeem, RedemptionWorld, stockedOrder, voucherCodes } from './redemption-support';
import { applySite, seedSite } from './sites-support';

jest.setTimeout(180_000);

const DAY = 86400_000;

/**
 * The operator's portal (issue 9) in Chromium against the real API, database, Redis and worker: an
 * operator admin registers an organisation and invites its user, qualifies a site from the queue,
 * resolves an incident and reads a voucher's trace with its proofs checked in the browser; a bank
 * account change requested by one operator user is refused to them and verified by a second one.
 */
describe('web: the operator portal, in Chromium', () => {
  let w: RedemptionWorld;
  let browser: Browser;
  let base: string;
  let alice: FixtureUser;
  let bruno: FixtureUser;
  let appliedSiteId: string;
  let incidentId: string;
  let redeemedSerial: string;
  let orderReference: string;
  let orderId: string;
  let policyId: string;

  beforeAll(async () => {
    w = await createRedemptionWorld();
    alice = await browserUser(w.t, w.operatorId, 'admin', { displayName: 'Alice Martin' });
    bruno = await browserUser(w.t, w.operatorId, 'admin', { displayName: 'Bruno Petit' });
    // A site that applied: the queue's one entry.
    const site = await seedSite(w.t, { legalName: 'Médiathèque de Villeurbanne' });
    appliedSiteId = site.id;
    await applySite(w, appliedSiteId);
    // A paid order, handed over: one voucher redeemed at the world's site, and an 8-day-old scan synced late (an incident).
    const stocked = await stockedOrder(w, { bookletCount: 2, vouchersPerBooklet: 4, faceValueCents: 1000 });
    orderId = stocked.order.id;
    orderReference = (stocked.order as unknown as { reference: string }).reference;
    for (const s of stocked.serials) await handOver(w, s);
    const first = await voucherCodes(w.t, stocked.serials[0], 1);
    const redeemed = await redeem(w.t, w.site.agent, { vouchers: [{ code: first.code }] });
    expect(redeemed.status).toBe(201);
    redeemedSerial = first.serial;
    const late = await voucherCodes(w.t, stocked.serials[1], 1);
    const batch = await api<{ items: { outcome: string; incident: { id: string } }[] }>(
      w.t,
      'POST',
      '/v1/redemptions/batch',
      w.site.agent,
      {
        items: [
          {
            idempotencyKey: `late-${randomUUID()}`,
            vouchers: [{ code: late.code }],
            serviceCategoryCode: 'atelier-collectif',
            occurredAt: new Date(Date.now() - 8 * DAY).toISOString(),
          },
        ],
      },
    );
    expect(batch.body.items[0].outcome).toBe('incident');
    incidentId = batch.body.items[0].incident.id;
    const policy = await api<{ id: string }>(w.t, 'POST', '/v1/policies', w.tokens.op, {
      name: 'Pass numérique Rhône',
      description: 'Inclusion numérique',
    });
    expect(policy.status).toBe(201);
    policyId = policy.body.id;
    base = await listening(w.t);
    browser = await launchChromium();
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await w?.close();
  });

  // One sign-in per user: a TOTP code serves once, so later visits reuse the signed-in page (the session survives navigation).
  const signedIn = new Map<string, Page>();
  const open = async (user: FixtureUser, path: string): Promise<Page> => {
    const known = signedIn.get(user.id);
    if (known) {
      await known.goto(`${base}${path}`);
      await known.getByRole('navigation', { name: 'Menu principal' }).waitFor();
      return known;
    }
    const page = await (await browser.newContext()).newPage();
    await signInAs(page, base, w.t, user, path);
    signedIn.set(user.id, page);
    return page;
  };
  const h1 = (p: Page, name: string) => p.getByRole('heading', { level: 1, name }).waitFor();
  const axe = async (p: Page) => expect(await seriousAccessibilityViolations(p)).toEqual([]);
  const shot = (p: Page, name: string) => p.screenshot({ path: `${SCREENSHOTS}/operator-${name}.png`, fullPage: true });
  const statusText = async (p: Page, text: RegExp | string) => {
    const status = p.getByRole('status').filter({ hasText: text });
    await status.first().waitFor();
    return plain(await status.first().textContent());
  };

  it('registers an organisation, invites its user with a link shown once, changes the role and disables the user', async () => {
    const p = await open(alice, '/app/organisations');
    await h1(p, 'Structures');
    await axe(p);
    const siren = validSiren();
    await p.getByLabel('distributeur').check();
    await p.getByLabel('Raison sociale', { exact: true }).fill('Centre social Les Tilleuls');
    await p.getByLabel('SIREN', { exact: true }).fill(siren);
    await p.getByLabel('Adresse', { exact: true }).fill('3 rue des Tilleuls');
    await p.getByLabel('Code postal').fill('69100');
    await p
      .getByLabel(/^Code commune INSEE/)
      .last()
      .fill('69266');
    // A bad SIREN first: a clear message, nothing created.
    await p.getByLabel('SIREN', { exact: true }).fill('123456789');
    await p.getByRole('button', { name: 'Enregistrer' }).click();
    expect(plain(await p.getByRole('alert').first().textContent())).toMatch(/^Un champ est mal rempli : .*siren/i);
    await p.getByLabel('SIREN', { exact: true }).fill(siren);
    await p.getByRole('button', { name: 'Enregistrer' }).click();
    expect(await statusText(p, 'Centre social Les Tilleuls')).toContain('La structure « Centre social Les Tilleuls » est enregistrée.');
    const [org] = await sql<{ id: string; kinds: string[]; commune_code: string }>(
      w.t,
      `SELECT id, kinds, commune_code FROM organisation WHERE siren = $1`,
      [siren],
    );
    expect(org).toMatchObject({ kinds: ['distributor'], commune_code: '69266' });
    await p.getByRole('row', { name: /Centre social Les Tilleuls/ }).waitFor();
    await shot(p, 'organisations');

    // Its detail page, then its users.
    await p.getByRole('status').getByRole('link', { name: 'Structure' }).click();
    await h1(p, 'Centre social Les Tilleuls');
    expect(plain(await p.locator('.facts').textContent())).toContain(siren);
    await p.getByText('Modifier la raison sociale, le SIRET ou l’adresse').click();
    await p.getByLabel('SIRET (facultatif)').fill('123');
    await p.getByRole('button', { name: 'Enregistrer' }).click();
    expect(plain(await p.getByRole('alert').first().textContent())).toMatch(/^Un champ est mal rempli : .*siret/i);
    const siret = validSiret(siren);
    await p.getByLabel('SIRET (facultatif)').fill(siret);
    await p.getByRole('button', { name: 'Enregistrer' }).click();
    expect(await statusText(p, 'changements')).toBe('Les changements sont enregistrés.');
    expect(plain(await p.locator('.facts').textContent())).toContain(siret);
    expect((await sql<{ siret: string }>(w.t, `SELECT siret FROM organisation WHERE id = $1`, [org.id]))[0].siret).toBe(siret);
    await axe(p);
    await p.getByRole('link', { name: 'Voir ses utilisateurs' }).click();
    await h1(p, 'Utilisateurs');
    await p.getByLabel('Nom', { exact: true }).fill('Camille Durand');
    await p.getByLabel('Adresse e-mail').fill('camille.durand@tilleuls.example');
    await p.getByLabel('Rôle', { exact: true }).last().selectOption('agent');
    await p.getByRole('button', { name: 'Inviter' }).click();
    expect(await statusText(p, 'invité')).toBe('Camille Durand est invité. Un e-mail avec son propre lien lui est envoyé.');
    const link = plain(await p.getByTestId('set-password-link').textContent());
    expect(link).toMatch(/\/set-password#token=/);
    const [user] = await sql<{ id: string; role: string; status: string; organisation_id: string }>(
      w.t,
      `SELECT id, role, status, organisation_id FROM app_user WHERE email = 'camille.durand@tilleuls.example'`,
    );
    expect(user).toMatchObject({ role: 'agent', status: 'invited', organisation_id: org.id });
    await p.getByRole('row', { name: /Camille Durand/ }).waitFor();
    await axe(p);
    await shot(p, 'users');
    // The link is shown once: after a reload it is gone.
    await p.reload();
    await h1(p, 'Utilisateurs');
    await p.getByRole('row', { name: /Camille Durand/ }).waitFor();
    expect(await p.getByTestId('set-password-link').count()).toBe(0);

    const row = p.getByRole('row', { name: /Camille Durand/ });
    await row.getByLabel('Nouveau rôle de Camille Durand').selectOption('viewer');
    await row.getByRole('button', { name: 'Changer le rôle' }).click();
    expect(await statusText(p, 'rôle')).toBe('Camille Durand a maintenant le rôle « Lecture seule ».');
    // A fresh one-time link for the admin to hand over, shown once too.
    await row.getByRole('button', { name: 'Nouveau lien de mot de passe' }).click();
    const second = plain(await p.getByTestId('set-password-link').textContent());
    expect(second).toMatch(/\/set-password#token=/);
    expect(second).not.toBe(link);
    const [tokens] = await sql<{ count: string }>(w.t, `SELECT count(*) FROM set_password_token WHERE user_id = $1`, [user.id]);
    expect(Number(tokens.count)).toBeGreaterThanOrEqual(2);
    await row.getByRole('button', { name: 'Désactiver' }).click();
    expect(plain(await row.locator('.confirm p').textContent())).toBe(
      'Désactiver Camille Durand ? Ses sessions sont fermées tout de suite.',
    );
    await row.getByRole('button', { name: 'Confirmer' }).click();
    expect(await statusText(p, 'désactivé')).toBe('Camille Durand est désactivé.');
    expect((await sql<{ role: string; status: string }>(w.t, `SELECT role, status FROM app_user WHERE id = $1`, [user.id]))[0]).toEqual({
      role: 'viewer',
      status: 'disabled',
    });
  });

  it('qualifies a site from the queue with a label, and shows its history', async () => {
    const p = await open(alice, '/app/sites');
    await h1(p, 'Qualification des lieux');
    await p.getByRole('link', { name: 'Médiathèque de Villeurbanne' }).click();
    await h1(p, 'Médiathèque de Villeurbanne');
    expect(plain(await p.getByTestId('site-status').textContent())).toBe('Demande à examiner');
    await axe(p);
    await p.getByLabel('Nom du label').fill('Lieu labellisé Pass numérique 2027');
    await p.getByLabel('Valable à partir du').fill('2020-01-01');
    await p.getByLabel('Valable jusqu’au').fill('2020-12-31');
    await p.getByRole('button', { name: 'Enregistrer la décision' }).click();
    expect(plain(await p.getByRole('alert').first().textContent())).toMatch(/^Les dates du label ne vont pas/);
    const until = `${new Date().getUTCFullYear() + 1}-12-31`;
    await p.getByLabel('Valable jusqu’au').fill(until);
    await p.getByLabel('Valable à partir du').fill(parisDate(new Date()));
    await p.getByRole('button', { name: 'Enregistrer la décision' }).click();
    expect(await statusText(p, 'Décision')).toBe('Décision enregistrée : le lieu est maintenant « Qualifié ».');
    expect(plain(await p.getByTestId('site-status').textContent())).toBe('Qualifié');
    await p.getByRole('row', { name: /Demande acceptée/ }).waitFor();
    const [profile] = await sql<{ status: string }>(w.t, `SELECT status FROM site_profile WHERE organisation_id = $1`, [appliedSiteId]);
    expect(profile.status).toBe('qualified');
    const [decision] = await sql<{ reason_code: string; label_name: string; until: string; decided_by: string }>(
      w.t,
      `SELECT reason_code, label_name, label_valid_until::text AS until, decided_by FROM site_qualification
        WHERE site_id = $1 AND decision = 'qualified'`,
      [appliedSiteId],
    );
    expect(decision).toEqual({
      reason_code: 'application_accepted',
      label_name: 'Lieu labellisé Pass numérique 2027',
      until,
      decided_by: alice.id,
    });
    await axe(p);
    await shot(p, 'site');
    // The queue is empty now.
    await p.getByRole('link', { name: 'Qualification des lieux' }).first().click();
    await p.getByText('Aucun lieu dans cet état.').waitFor();
    await axe(p);
    await shot(p, 'sites-queue');
  });

  it('refuses a bank account change to the user who requested it, and lets a second operator user verify it', async () => {
    const a = await open(alice, `/app/sites/${appliedSiteId}`);
    await h1(a, 'Médiathèque de Villeurbanne');
    await a.getByLabel('IBAN').fill('FR76 3000 6000 0112 3456 7890 180');
    await a.getByLabel('BIC').fill('AGRIFRPP882');
    await a.getByLabel('Titulaire').fill('Médiathèque de Villeurbanne');
    await a.getByRole('button', { name: 'Demander le changement' }).click();
    expect(plain(await a.getByRole('alert').first().textContent())).toMatch(/^Cet IBAN n’est pas valable/);
    await a.getByLabel('IBAN').fill('FR76 3000 6000 0112 3456 7890 189');
    await a.getByRole('button', { name: 'Demander le changement' }).click();
    expect(await statusText(a, 'demande')).toBe(
      'La demande est enregistrée : un autre utilisateur de l’opérateur doit maintenant la vérifier.',
    );

    await a.getByRole('link', { name: 'Comptes bancaires' }).click();
    await h1(a, 'Changements de compte bancaire à vérifier');
    await a.getByRole('heading', { name: 'Lieu : Médiathèque de Villeurbanne' }).waitFor();
    await a.getByText(/^Vous avez demandé ce changement : la règle des quatre yeux/).waitFor();
    await axe(a);
    await a.getByRole('button', { name: 'Vérifier et mettre en vigueur' }).click();
    expect(plain(await a.getByRole('alert').first().textContent())).toBe(
      'Refusé : vous avez vous-même demandé ce changement de compte. Un autre utilisateur de l’opérateur doit le vérifier ou le refuser.',
    );
    await shot(a, 'bank-accounts-own-request');
    const account = async () =>
      (
        await sql<{ status: string; requested_by: string; decided_by: string | null; iban: string }>(
          w.t,
          `SELECT status, requested_by, decided_by, iban FROM site_bank_account WHERE site_id = $1`,
          [appliedSiteId],
        )
      )[0];
    expect(await account()).toEqual({ status: 'pending', requested_by: alice.id, decided_by: null, iban: 'FR7630006000011234567890189' });

    const b = await open(bruno, '/app/bank-accounts');
    await h1(b, 'Changements de compte bancaire à vérifier');
    await b.getByRole('heading', { name: 'Lieu : Médiathèque de Villeurbanne' }).waitFor();
    await b
      .locator('.panel')
      .getByText(/par Alice Martin, le /)
      .waitFor();
    expect(await b.getByText(/^Vous avez demandé ce changement/).count()).toBe(0);
    await shot(b, 'bank-accounts');
    await b.getByRole('button', { name: 'Vérifier et mettre en vigueur' }).click();
    expect(await statusText(b, 'vérifié')).toBe('Le compte est vérifié : les prochains virements iront sur ce compte.');
    expect(await account()).toMatchObject({ status: 'verified', decided_by: bruno.id });
    await b.getByText('Aucun changement de compte bancaire n’attend de vérification.').waitFor();
    await axe(b);
  });

  it('resolves an incident: accepting is refused while its voucher can still be used, rejecting with a reason works', async () => {
    const p = await open(alice, '/app/incidents');
    await h1(p, 'Incidents à résoudre');
    const incident = p.locator('article.panel');
    await incident.waitFor();
    expect(plain(await incident.textContent())).toContain('Synchronisé après le délai hors ligne');
    expect(plain(await incident.textContent())).toContain('10,00 €');
    await axe(p);
    await shot(p, 'incidents');
    await incident.getByRole('button', { name: 'Résoudre' }).click();
    await incident.getByRole('button', { name: 'Confirmer' }).click();
    expect(plain(await incident.getByRole('alert').last().textContent())).toMatch(/^Un chèque de cet incident peut encore être utilisé/);
    await incident.getByLabel('Décision').selectOption('rejected');
    await incident.getByLabel('Motif').selectOption('late_sync_unjustified');
    await incident.getByRole('button', { name: 'Résoudre' }).click();
    await incident.getByRole('button', { name: 'Confirmer' }).click();
    expect(await statusText(p, 'résolu')).toBe('Incident résolu : Refusé (Retard de synchronisation injustifié).');
    await p.getByText('Aucun incident.').waitFor();
    const [row] = await sql<{ status: string; resolution_reason: string; resolved_by: string }>(
      w.t,
      `SELECT status, resolution_reason, resolved_by FROM redemption_incident WHERE id = $1`,
      [incidentId],
    );
    expect(row).toEqual({ status: 'rejected', resolution_reason: 'late_sync_unjustified', resolved_by: alice.id });
  });

  it('shows a voucher’s trace with each event’s inclusion proof checked in the browser, and the checkpoints', async () => {
    await w.t.app.get(AuditSealer).sealPending();
    const p = await open(alice, '/app/audit/trace');
    await h1(p, 'Trace d’un chèque');
    await axe(p);
    await p.getByLabel('Numéro du chèque').fill('SLG-pas-un-numero');
    await p.getByLabel('Bon de commande').selectOption({ label: orderReference });
    await p.getByRole('button', { name: 'Afficher la trace' }).click();
    expect(plain(await p.getByRole('alert').first().textContent())).toMatch(/^Ce numéro n’a pas la forme d’un numéro de chèque/);
    await p.getByLabel('Numéro du chèque').fill(redeemedSerial.toLowerCase());
    await p.getByRole('button', { name: 'Afficher la trace' }).click();
    await p.getByRole('heading', { name: `Chèque ${redeemedSerial}` }).waitFor();
    expect(plain(await p.getByTestId('voucher-status').textContent())).toBe('Utilisé');

    // Every event about the order, the booklet, the voucher and its redemption is there, sealed, and its proof verifies.
    const [{ count }] = await sql<{ count: string }>(
      w.t,
      `SELECT count(*) FROM audit_event e WHERE (subject_type = 'order' AND subject_id = $1)
          OR (subject_type = 'booklet' AND subject_id = (SELECT id::text FROM booklet WHERE serial = $2))
          OR (subject_type = 'voucher' AND subject_id = $3)
          OR (subject_type = 'redemption' AND subject_id IN (SELECT redemption_id::text FROM redemption_line WHERE voucher_serial = $3))`,
      [orderId, redeemedSerial.slice(0, -3), redeemedSerial],
    );
    const n = Number(count);
    expect(n).toBeGreaterThanOrEqual(4);
    expect(await statusText(p, 'preuve')).toBe(`${n} preuves vérifiées sur ${n} événements scellés.`);
    const redemptionRow = p.getByRole('row', { name: /redemption\.recorded/ });
    expect(plain(await redemptionRow.textContent())).toContain('Vérifiée');
    const details = p.locator('details', { hasText: 'redemption.recorded' });
    await details.locator('summary').click();
    // The proof shown is the API's, and it verifies on the server's verifier too.
    const leafIndex = Number(plain(await details.locator('dd').nth(0).textContent()));
    const treeSize = Number(plain(await details.locator('dd').nth(1).textContent()));
    const [event] = await sql<{ id: string }>(w.t, `SELECT event_id AS id FROM audit_leaf WHERE leaf_index = $1`, [leafIndex]);
    const proof = await api<{ leafHash: string; proof: string[]; checkpoint: { root: string; keyId: string; signature: string } }>(
      w.t,
      'GET',
      `/v1/audit/events/${event.id}/proof`,
      w.tokens.op,
    );
    expect(plain(await details.locator('dd').nth(2).textContent())).toBe(proof.body.leafHash);
    expect(plain(await details.locator('dd').nth(3).textContent())).toBe('identique');
    const b64 = (s: string) => Buffer.from(s, 'base64');
    expect(verifyInclusion(leafIndex, treeSize, b64(proof.body.leafHash), proof.body.proof.map(b64), b64(proof.body.checkpoint.root))).toBe(
      true,
    );
    const keys = await api<{ keyId: string; publicKeyPem: string }[]>(w.t, 'GET', '/v1/audit/keys', w.tokens.op);
    const pem = keys.body.find((k) => k.keyId === proof.body.checkpoint.keyId)!.publicKeyPem;
    expect(verifyCheckpointSignature(proof.body.checkpoint as never, pem)).toBe(true);
    await axe(p);
    await shot(p, 'trace');

    await p.getByRole('link', { name: 'Points de contrôle' }).click();
    await h1(p, 'Journal d’audit : points de contrôle');
    const [latest] = await sql<{ tree_size: string }>(w.t, `SELECT max(tree_size) AS tree_size FROM audit_checkpoint`);
    const firstRow = p.getByRole('row').nth(1);
    expect(plain(await firstRow.getByRole('rowheader').textContent())).toBe(String(Number(latest.tree_size)));
    await firstRow.getByText('Valide').waitFor();
    expect(await p.getByText('Invalide').count()).toBe(0);
    await axe(p);
    await shot(p, 'checkpoints');
  });

  it('manages service categories and partnerships, runs the ledger check, publishes a policy and opens the queue board', async () => {
    const p = await open(alice, '/app/service-categories');
    await h1(p, 'Catégories de service');
    await p.getByLabel('Code', { exact: true }).fill('atelier-parentalite');
    await p.getByLabel('Libellé en français').last().fill('Atelier parentalité numérique');
    await p.getByLabel('Libellé en anglais').last().fill('Digital parenting workshop');
    await p.getByRole('button', { name: 'Ajouter' }).click();
    expect(await statusText(p, 'atelier-parentalite')).toBe('La catégorie atelier-parentalite est enregistrée.');
    await p.getByRole('button', { name: 'Modifier la catégorie atelier-parentalite' }).click();
    await p.getByLabel('Libellé en français').first().fill('Atelier parents et écrans');
    await p.getByLabel(/Active \(/).uncheck();
    await p.getByRole('button', { name: 'Enregistrer' }).click();
    await p.getByRole('row', { name: /Atelier parents et écrans/ }).waitFor();
    const [category] = await sql<{ label_fr: string; active: boolean }>(
      w.t,
      `SELECT label_fr, active FROM service_category WHERE code = 'atelier-parentalite'`,
    );
    expect(category).toEqual({ label_fr: 'Atelier parents et écrans', active: false });
    await p.getByLabel('Code', { exact: true }).fill('atelier-parentalite');
    await p.getByLabel('Libellé en français').last().fill('Doublon');
    await p.getByLabel('Libellé en anglais').last().fill('Duplicate');
    await p.getByRole('button', { name: 'Ajouter' }).click();
    expect(plain(await p.getByRole('alert').first().textContent())).toBe('Une catégorie a déjà ce code.');
    await axe(p);
    await shot(p, 'service-categories');

    await p.getByRole('link', { name: 'Partenariats' }).click();
    await h1(p, 'Partenariats financeur – distributeur');
    const [distributor] = await sql<{ id: string; legal_name: string }>(
      w.t,
      `SELECT id, legal_name FROM organisation WHERE legal_name = 'Centre social Les Tilleuls'`,
    );
    const [funder] = await sql<{ legal_name: string }>(w.t, `SELECT legal_name FROM organisation WHERE id = $1`, [w.funderId]);
    await p.getByLabel('Financeur').selectOption({ label: funder.legal_name });
    await p.getByLabel('Distributeur').selectOption({ label: distributor.legal_name });
    await p.getByRole('button', { name: 'Créer le partenariat' }).click();
    expect(await statusText(p, 'créé')).toBe('Le partenariat est créé.');
    await p.getByRole('row', { name: /Centre social Les Tilleuls/ }).waitFor();
    await p.getByRole('button', { name: 'Créer le partenariat' }).click();
    expect(plain(await p.getByRole('alert').first().textContent())).toBe('Ces deux structures sont déjà partenaires.');
    const [partnership] = await sql<{ ended_at: Date | null }>(
      w.t,
      `SELECT ended_at FROM partnership WHERE funder_id = $1 AND distributor_id = $2`,
      [w.funderId, distributor.id],
    );
    expect(partnership.ended_at).toBeNull();
    await axe(p);
    await shot(p, 'partnerships');

    await p.getByRole('link', { name: 'Contrôle du grand livre' }).click();
    await h1(p, 'Contrôle du grand livre');
    await p.getByRole('button', { name: 'Lancer le contrôle maintenant' }).click();
    const check = await api<{ ok: boolean; checks: { name: string; ok: boolean }[] }>(w.t, 'GET', '/v1/ledger/check', w.tokens.op);
    expect(check.body.ok).toBe(true);
    expect(await statusText(p, 'grand livre')).toBe('Le grand livre est juste : tous les contrôles passent.');
    expect(await p.getByRole('row').count()).toBe(check.body.checks.length + 1);
    await axe(p);
    await shot(p, 'ledger');

    await p.getByRole('link', { name: 'Publication des politiques' }).click();
    await h1(p, 'Publication des politiques');
    const row = p.getByRole('row', { name: /Pass numérique Rhône/ });
    expect(await row.getByLabel('Adresse publique de « Pass numérique Rhône »').inputValue()).toBe('pass-numerique-rhone');
    await row.getByRole('button', { name: 'Publier' }).click();
    await row.getByRole('button', { name: 'Confirmer' }).click();
    expect(await statusText(p, 'publiée')).toBe(`« Pass numérique Rhône » est publiée : ${base}/transparence/pass-numerique-rhone`);
    const [policy] = await sql<{ slug: string; published: boolean }>(
      w.t,
      `SELECT slug, published_at IS NOT NULL AS published FROM policy WHERE id = $1`,
      [policyId],
    );
    expect(policy).toEqual({ slug: 'pass-numerique-rhone', published: true });
    await axe(p);
    await shot(p, 'policies');
    await p.getByRole('link', { name: '/transparence/pass-numerique-rhone' }).click();
    await h1(p, 'Transparence — Pass numérique Rhône');

    await p.goto(`${base}/app/queues`);
    await h1(p, 'Files de tâches');
    await p.getByRole('button', { name: 'Ouvrir le tableau de bord des files' }).click();
    await p.getByRole('link', { name: 'Aller au tableau de bord /admin/queues' }).waitFor();
    await axe(p);
    await shot(p, 'queues');
    const board = await p.context().request.get(`${base}/admin/queues`);
    expect(board.status()).toBe(200);
  });

  it('gives an operator viewer the lists without the admin actions', async () => {
    const viewer = await browserUser(w.t, w.operatorId, 'viewer');
    const p = await open(viewer, '/app/organisations');
    await h1(p, 'Structures');
    expect(await p.getByRole('heading', { name: 'Enregistrer une structure' }).count()).toBe(0);
    const nav = p.getByRole('navigation', { name: 'Menu principal' });
    expect(await nav.getByRole('link', { name: 'Utilisateurs' }).count()).toBe(0);
    expect(await nav.getByRole('link', { name: 'Comptes bancaires' }).count()).toBe(0);
    await p.getByRole('link', { name: 'Incidents' }).click();
    await h1(p, 'Incidents à résoudre');
    await p.getByLabel('État').selectOption('rejected');
    await p.getByRole('button', { name: 'Filtrer' }).click();
    await p.locator('article.panel').waitFor();
    expect(await p.getByRole('button', { name: 'Résoudre' }).count()).toBe(0);
    await axe(p);
    // In English too.
    await p.getByRole('button', { name: 'Switch to English' }).click();
    await h1(p, 'Incidents to resolve');
    expect(plain(await p.locator('article.panel').textContent())).toContain('Rejected (Late sync not justified)');
    await p.getByRole('link', { name: 'Site qualification' }).click();
    await h1(p, 'Site qualification');
    await axe(p);
  });
});

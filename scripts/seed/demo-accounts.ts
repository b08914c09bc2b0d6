import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Pool } from 'pg';
import { hashPassword } from '../../libs/identity/src/auth/password-hasher';
import type { Role } from '../../libs/identity/src/access/principal';

export interface DemoAccount {
  persona: string;
  organisation: string;
  role: Role;
  email: string;
  password: string;
}

/**
 * Sign-in accounts for the demo dataset (`seed:demo`, loaded by the first `npm start` on the embedded
 * database only), so someone trying Sillage can open every portal at once: the first demo funder's
 * admin and finance, its busiest distributor's agent, the site that redeemed most of its cheques
 * (agent and finance), and two operator finance users (a payout batch needs two people). Passwords
 * are random, printed once and kept in `<DATA_DIR>/demo-accounts.txt` on this machine only; admins and
 * finance enrol their second factor at their first login, as anyone.
 */
export async function createDemoAccounts(pool: Pool, dataDir: string): Promise<DemoAccount[]> {
  const one = async (label: string, query: string, params: unknown[] = []) => {
    const { rows } = await pool.query<{ id: string; name: string }>(query, params);
    if (!rows[0]) throw new Error(`the demo dataset has no ${label}`);
    return rows[0];
  };
  const funder = await one(
    'funder',
    `SELECT id, legal_name AS name FROM organisation WHERE 'funder' = ANY(kinds) ORDER BY legal_name LIMIT 1`,
  );
  const distributor = await one(
    'distributor with hand-overs',
    `SELECT h.distributor_id AS id, o.legal_name AS name FROM handover h JOIN booklet b ON b.id = h.booklet_id
       JOIN purchase_order po ON po.id = b.order_id JOIN organisation o ON o.id = h.distributor_id
      WHERE po.funder_id = $1 GROUP BY 1, 2 ORDER BY count(*) DESC, 1 LIMIT 1`,
    [funder.id],
  );
  const site = await one(
    'site with redemptions',
    `SELECT r.site_id AS id, o.legal_name AS name FROM redemption r JOIN purchase_order po ON po.id = r.order_id
       JOIN organisation o ON o.id = r.site_id WHERE po.funder_id = $1 GROUP BY 1, 2 ORDER BY count(*) DESC, 1 LIMIT 1`,
    [funder.id],
  );
  const operator = await one(
    'operator',
    `SELECT id, legal_name AS name FROM organisation WHERE 'operator' = ANY(kinds) ORDER BY created_at LIMIT 1`,
  );
  const wanted: [string, { id: string; name: string }, Role, string][] = [
    ['funder admin', funder, 'admin', 'financeur.admin'],
    ['funder finance', funder, 'finance', 'financeur.finances'],
    ['distributor agent', distributor, 'agent', 'distributeur.agent'],
    ['site agent (scanner)', site, 'agent', 'lieu.agent'],
    ['site finance', site, 'finance', 'lieu.finances'],
    ['operator finance 1', operator, 'finance', 'operateur.finances1'],
    ['operator finance 2', operator, 'finance', 'operateur.finances2'],
  ];
  const accounts: DemoAccount[] = [];
  for (const [persona, org, role, local] of wanted) {
    const password = `Demo-${randomBytes(5).toString('hex')}-Sillage`;
    const email = `${local}@demo.sillage.test`;
    await pool.query(
      `INSERT INTO app_user (organisation_id, email, display_name, role, status, password_hash, password_changed_at)
       VALUES ($1, $2, $3, $4, 'active', $5, now())`,
      [org.id, email, `Démo ${persona}`, role, await hashPassword(password)],
    );
    accounts.push({ persona, organisation: org.name, role, email, password });
  }
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(
    join(dataDir, 'demo-accounts.txt'),
    ['Demo accounts (embedded demo database only; sign in at /login)', ...accounts.map(describeAccount), ''].join('\n'),
    { mode: 0o600 },
  );
  return accounts;
}

export const describeAccount = (a: DemoAccount) => `${a.persona.padEnd(22)} ${a.email.padEnd(40)} ${a.password}  (${a.organisation})`;

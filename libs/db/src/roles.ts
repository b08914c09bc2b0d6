import { Client } from 'pg';
import { APP_ROLE } from './grants';

/**
 * Creates the two roles and the database (idempotent), connected as a superuser:
 * - the owner role owns the database and runs migrations;
 * - the application role owns nothing; migrations grant it table by table.
 * Passwords are optional (trust auth on a developer machine); docker-compose passes them.
 */
export interface RoleSetup {
  adminUrl: string;
  database: string;
  ownerRole?: string;
  ownerPassword?: string;
  appPassword?: string;
}

export async function setupRolesAndDatabase(s: RoleSetup): Promise<{ ownerUrl: string; appUrl: string }> {
  const owner = s.ownerRole ?? 'sillage_owner';
  const client = new Client({ connectionString: s.adminUrl });
  await client.connect();
  try {
    for (const [role, password] of [
      [owner, s.ownerPassword],
      [APP_ROLE, s.appPassword],
    ] as const) {
      const exists = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
      const pw = password ? ` PASSWORD ${quoteLiteral(password)}` : '';
      await client.query(`${exists.rowCount ? 'ALTER' : 'CREATE'} ROLE ${quoteIdent(role)} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE${pw}`);
    }
    const db = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [s.database]);
    if (!db.rowCount) await client.query(`CREATE DATABASE ${quoteIdent(s.database)} OWNER ${quoteIdent(owner)}`);
    // Test harness copies come from a template; the owner needs CREATEDB only there, never the app.
  } finally {
    await client.end();
  }
  const admin = new URL(s.adminUrl);
  const url = (role: string, password?: string) => {
    const u = new URL(admin.toString());
    u.username = role;
    u.password = password ?? '';
    u.pathname = `/${s.database}`;
    return u.toString();
  };
  return { ownerUrl: url(owner, s.ownerPassword), appUrl: url(APP_ROLE, s.appPassword) };
}

export function quoteIdent(s: string): string {
  return `"${s.replace(/"/g, '""')}"`;
}

function quoteLiteral(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

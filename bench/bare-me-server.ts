import 'reflect-metadata';
import { createPublicKey } from 'node:crypto';
import { createServer } from 'node:http';
import jwt from 'jsonwebtoken';
import { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { MeRepository } from '../libs/identity/src/auth/me.repository';

/**
 * The http benchmark's reference: a bare Node `http` server doing by hand the work of
 * `GET /v1/me` — verify the same ES256 access token with the same options, run the same SQL (the
 * real MeRepository over a plain pg pool of the same size), write the same JSON. Whatever the API
 * spends beyond this is the cost of the framework, guards, validation and logging.
 */
const publicKey = createPublicKey(process.env.JWT_PUBLIC_KEY!);
const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.DATABASE_POOL_SIZE ?? 10) });
const queryable = { query: async (sql: string, params: unknown[]) => (await pool.query(sql, params)).rows } as unknown as DataSource;
const profiles = new MeRepository(queryable);

interface Claims {
  sub: string;
}

const server = createServer((req, res) => {
  const send = (status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(body));
  };
  if (req.method !== 'GET' || req.url !== '/v1/me') return send(404, { code: 'ROUTE_NOT_FOUND' });
  const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  let claims: Claims;
  try {
    claims = jwt.verify(m?.[1] ?? '', publicKey, { algorithms: ['ES256'], audience: 'sillage:access', issuer: 'sillage' }) as Claims;
  } catch {
    return send(401, { code: 'UNAUTHENTICATED' });
  }
  profiles.activeUserProfile(claims.sub).then(
    (profile) => (profile ? send(200, { type: 'user', ...profile }) : send(401, { code: 'UNAUTHENTICATED' })),
    () => send(500, { code: 'INTERNAL' }),
  );
});

server.listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => server.close(() => void pool.end().then(() => process.exit(0))));

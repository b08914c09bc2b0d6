import { Pool } from 'pg';
import { redemptionPoolConfig } from './redemption-writer';

describe('the redemption writer’s connections', () => {
  it('keep the pool’s server, role, password and session options, with generic plans', async () => {
    const pool = new Pool({
      host: 'db.example.org',
      port: 5433,
      user: 'sillage_app',
      password: 's3cret',
      database: 'sillage',
      max: 10,
      idleTimeoutMillis: 300_000,
      options: '-c backend_flush_after=256kB',
    });
    // node-postgres hides the password from its copy of the options: a plain spread would lose it.
    expect({ ...pool.options }.password).toBeUndefined();

    const config = redemptionPoolConfig(pool.options, 4);
    expect(config).toMatchObject({
      host: 'db.example.org',
      port: 5433,
      user: 'sillage_app',
      password: 's3cret',
      database: 'sillage',
      max: 4,
      idleTimeoutMillis: 300_000,
      options: '-c backend_flush_after=256kB -c plan_cache_mode=force_generic_plan',
      application_name: 'sillage-redemptions',
    });
    expect(redemptionPoolConfig({ host: 'db' }, 2).options).toBe('-c plan_cache_mode=force_generic_plan');
    await pool.end();
  });
});

/**
 * The one typed configuration object. Every variable is read here and nowhere else, validated at
 * boot, and every problem is reported at once (a deploy should not fail one variable at a time).
 * Secrets come only from the environment; `.env.example` documents each variable.
 */
export type DatabaseMode = 'external' | 'embedded';
export type QueueMode = 'redis' | 'in-process';

export interface AppConfig {
  env: 'development' | 'test' | 'production';
  http: {
    host: string;
    port: number;
    publicBaseUrl: string;
    corsOrigins: string[];
    bodyLimitBytes: number;
    trustProxy: boolean;
    /** The browser app's build (`npm run build` writes it to dist/web), served at `/`. */
    webDir: string;
  };
  database: {
    mode: DatabaseMode;
    /** Application role: owns nothing, INSERT/SELECT only on append-only tables. */
    url?: string;
    /** Owner role: runs migrations. Equal to `url` in embedded mode. */
    ownerUrl?: string;
    poolSize: number;
    /** PostgreSQL's `backend_flush_after` for the application's sessions, e.g. `256kB` (undefined: the server's). */
    backendFlushAfter?: string;
    /** Connections that write redemptions, besides the pool (ADR 20); embedded mode uses its one connection. */
    redemptionConnections: number;
    embeddedDataDir: string;
  };
  redis: { mode: QueueMode; url?: string };
  auth: {
    jwtPrivateKeyPem?: string;
    jwtPublicKeyPem?: string;
    jwtKeyId: string;
    accessTokenTtlSeconds: number;
    refreshTokenTtlSeconds: number;
    cookieSecure: boolean;
    loginMaxFailures: number;
    loginWindowSeconds: number;
    setPasswordTokenTtlSeconds: number;
  };
  /** `niceness`: the worker's CPU priority below the API's (0 = the same; see apps/worker/src/cpu-priority.ts). */
  worker: { healthPort: number; niceness: number };
  /** Jobs: the outbox relay and BullMQ (or in-process execution when Redis is not configured). */
  queue: {
    /** BullMQ key prefix, so several deployments (or test files) can share one Redis. */
    prefix: string;
    /** How often the outbox relay looks for new rows. */
    pollMs: number;
    /** Cap of the backoff between attempts to publish a row while Redis is unreachable. */
    publishRetryMaxMs: number;
    /** Attempts per job (BullMQ `attempts`, and the in-process runner's). */
    attempts: number;
    /** Base of the exponential backoff between job attempts. */
    backoffMs: number;
    /** Published outbox rows are deleted after this many days (failed and pending rows are kept). */
    retentionDays: number;
  };
  mail: {
    /** `file` writes .eml files under `fileDir` (development, tests); `smtp` sends through SMTP_URL. */
    transport: 'file' | 'smtp';
    smtpUrl?: string;
    from: string;
    fileDir: string;
  };
  bootstrap: { operatorAdminEmail?: string; operatorAdminPassword?: string };
  /**
   * Voucher secrets, kept outside the database so that a copy of the tables reveals no redeemable
   * code. Unset outside production: development keys are generated once under DATA_DIR.
   */
  issuance: {
    /** HMAC key for voucher-code lookups (≥ 32 bytes). */
    lookupKey?: Buffer;
    /** AES-256 print keys, current first; older ones still decrypt what they encrypted. */
    printKeys: { id: number; key: Buffer }[];
    /** ES256 key signing voucher QR tokens, and its key id (published in the JWKS). */
    signingKeyPem?: string;
    signingKeyId: string;
    /** Public keys of retired signing keys, still published so printed vouchers keep verifying. */
    retiredPublicKeys: { kid: string; pem: string }[];
    /** Booklets per issuance transaction (progress is recorded after each). */
    chunkBooklets: number;
    /** Booklets per print-file part (a PDF of 1,000 booklets × 10 vouchers is ~35 MB). */
    printPartBooklets: number;
    printDir: string;
  };
  /** Personal data (libs/privacy). Keys unset outside production: development keys under DATA_DIR. */
  privacy: {
    /** AES-256 master keys wrapping each person's data key, `id:base64,…`, current first. */
    masterKeys: { id: number; key: Buffer }[];
    /** HMAC key turning a vault id into the pseudonym used everywhere else. */
    pseudonymKey?: Buffer;
    /** Personal data is erased this many months after the order's validity end date. */
    retentionMonths: number;
    /** Entries of the personal-data access log are purged after this many months. */
    accessLogRetentionMonths: number;
  };
  settlement: {
    /** When settlement runs start on their own: the 1st of each month, each Monday, or never (operator only). Cutoff: that day, 00:00 Paris. */
    schedule: 'monthly' | 'weekly' | 'off';
    /** A site is paid once its unpaid statements reach this total (cents); until then they wait. */
    payoutMinimumCents: number;
    /** Sites priced, and paid, per transaction of a run (docs/benchmarks.md, settlement). */
    chunkSites: number;
    /** The operator's account, the debtor of every payout file (structured address, as the EPC requires). */
    debtor: {
      name: string;
      iban: string;
      bic: string;
      streetName: string;
      buildingNumber?: string;
      postCode: string;
      townName: string;
      country: string;
    };
    /**
     * Fault injection for the crash-safety tests only: the worker kills itself (SIGKILL) at this named
     * point of a settlement run. Unset in every real deployment.
     */
    crashAt?: 'after_statements' | 'mid_batch' | 'after_payouts' | 'after_file';
  };
  /** Reports (libs/reporting). */
  reporting: {
    /** Above this many table rows, a report PDF is rendered by the worker (202 and an export to follow) instead of in the request. */
    pdfInlineRows: number;
    /** Where the worker writes report PDFs (a volume the API shares to serve them). */
    exportDir: string;
    /** Report PDFs older than this are deleted (file and row) when the worker renders another. */
    exportRetentionDays: number;
  };
  invoicing: {
    /** VAT on the upstream fee, in basis points (2000 = 20 %). */
    vatRateBp: number;
    paymentTermsDays: number;
  };
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  dataDir: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

/** A PostgreSQL size setting in kB; 0 leaves the server's value. */
const kilobytesOrUndefined = (kb: number): string | undefined => (kb > 0 ? `${kb}kB` : undefined);

class Reader {
  readonly problems: string[] = [];
  constructor(private readonly env: Env) {}

  str(name: string, fallback?: string): string | undefined {
    const v = this.env[name];
    return v === undefined || v === '' ? fallback : v;
  }

  int(name: string, fallback: number, min: number, max: number): number {
    const raw = this.str(name);
    if (raw === undefined) return fallback;
    if (!/^\d+$/.test(raw)) {
      this.problems.push(`${name} must be an integer between ${min} and ${max} (got "${raw}")`);
      return fallback;
    }
    const n = Number(raw);
    if (n < min || n > max) this.problems.push(`${name} must be between ${min} and ${max} (got ${n})`);
    return n;
  }

  bool(name: string, fallback: boolean): boolean {
    const raw = this.str(name);
    if (raw === undefined) return fallback;
    if (['true', '1', 'yes'].includes(raw.toLowerCase())) return true;
    if (['false', '0', 'no'].includes(raw.toLowerCase())) return false;
    this.problems.push(`${name} must be true or false (got "${raw}")`);
    return fallback;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const raw = this.str(name);
    if (raw === undefined) return fallback;
    if (!(allowed as readonly string[]).includes(raw)) {
      this.problems.push(`${name} must be one of ${allowed.join(', ')} (got "${raw}")`);
      return fallback;
    }
    return raw as T;
  }

  url(name: string, protocols: string[]): string | undefined {
    const raw = this.str(name);
    if (raw === undefined) return undefined;
    try {
      const u = new URL(raw);
      if (!protocols.includes(u.protocol)) {
        this.problems.push(`${name} must use ${protocols.join(' or ')} (got ${u.protocol})`);
      }
    } catch {
      this.problems.push(`${name} is not a valid URL`);
    }
    return raw;
  }

  /** A base64 secret of at least 32 bytes. */
  secretKey(name: string): Buffer | undefined {
    const raw = this.str(name);
    if (raw === undefined) return undefined;
    const key = Buffer.from(raw, 'base64');
    if (key.length < 32 || !/^[A-Za-z0-9+/]+={0,2}$/.test(raw)) {
      this.problems.push(`${name} must be at least 32 random bytes in base64 (openssl rand -base64 32)`);
    }
    return key;
  }

  /** `id:base64,id:base64`: AES-256 keys (32 bytes) with a one-byte id, the current key first. */
  printKeys(name: string): { id: number; key: Buffer }[] {
    const raw = this.str(name);
    if (raw === undefined) return [];
    const keys = raw.split(',').map((part) => {
      const m = /^(\d{1,3}):([A-Za-z0-9+/]+={0,2})$/.exec(part.trim());
      const key = m ? Buffer.from(m[2], 'base64') : Buffer.alloc(0);
      return { id: m ? Number(m[1]) : -1, key };
    });
    const ids = keys.map((k) => k.id);
    if (keys.some((k) => k.id < 0 || k.id > 255 || k.key.length !== 32) || new Set(ids).size !== ids.length) {
      this.problems.push(`${name} must be "id:base64" pairs separated by commas: distinct ids 0-255, 32-byte keys, current first`);
    }
    return keys;
  }

  /** `kid=PEM;kid=PEM` (PEM with literal \n allowed): public keys of retired voucher signing keys. */
  retiredKeys(name: string): { kid: string; pem: string }[] {
    const raw = this.str(name);
    if (raw === undefined) return [];
    return raw.split(';').map((part) => {
      const eq = part.indexOf('=');
      const kid = part.slice(0, eq).trim();
      const pem = part.slice(eq + 1).replace(/\\n/g, '\n');
      if (eq < 1 || !pem.includes('-----BEGIN PUBLIC KEY'))
        this.problems.push(`${name} must be "kid=PEM public key" pairs separated by ";"`);
      return { kid, pem };
    });
  }

  pem(name: string, kind: 'PRIVATE KEY' | 'PUBLIC KEY'): string | undefined {
    const raw = this.str(name);
    if (raw === undefined) return undefined;
    // Allow one-line values with literal \n, the usual way to pass PEM through env files.
    const pem = raw.includes('\\n') ? raw.replace(/\\n/g, '\n') : raw;
    if (!pem.includes(`-----BEGIN`) || !pem.includes(kind.split(' ')[0])) {
      this.problems.push(`${name} must be a PEM-encoded ${kind.toLowerCase()}`);
    }
    return pem;
  }
}

export function loadConfig(env: Env = process.env): AppConfig {
  const r = new Reader(env);
  const nodeEnv = r.oneOf('NODE_ENV', ['development', 'test', 'production'] as const, 'development');
  const port = r.int('PORT', 3000, 1, 65535);
  const host = r.str('HOST', '0.0.0.0')!;
  const databaseUrl = r.url('DATABASE_URL', ['postgres:', 'postgresql:']);
  const ownerUrl = r.url('DATABASE_OWNER_URL', ['postgres:', 'postgresql:']);
  const redisUrl = r.url('REDIS_URL', ['redis:', 'rediss:']);
  const dataDir = r.str('DATA_DIR', './var')!;
  const jwtPrivateKeyPem = r.pem('JWT_PRIVATE_KEY', 'PRIVATE KEY');
  const jwtPublicKeyPem = r.pem('JWT_PUBLIC_KEY', 'PUBLIC KEY');

  if (ownerUrl && !databaseUrl) r.problems.push('DATABASE_OWNER_URL is set but DATABASE_URL is not');
  if (nodeEnv === 'production') {
    if (!databaseUrl) r.problems.push('DATABASE_URL is required in production (embedded mode is for trying Sillage)');
    if (!jwtPrivateKeyPem) r.problems.push('JWT_PRIVATE_KEY is required in production');
    for (const name of ['VOUCHER_LOOKUP_KEY', 'VOUCHER_PRINT_KEYS', 'VOUCHER_SIGNING_KEY', 'PRIVACY_MASTER_KEYS', 'PRIVACY_PSEUDONYM_KEY'])
      if (!r.str(name)) r.problems.push(`${name} is required in production`);
    for (const name of ['SEPA_DEBTOR_NAME', 'SEPA_DEBTOR_IBAN', 'SEPA_DEBTOR_BIC', 'SEPA_DEBTOR_POSTCODE', 'SEPA_DEBTOR_TOWN'])
      if (!r.str(name)) r.problems.push(`${name} is required in production (payout files are sent from this account)`);
  }
  const queuePrefix = r.str('QUEUE_PREFIX', 'sillage')!;
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(queuePrefix)) r.problems.push('QUEUE_PREFIX must be 1 to 64 letters, digits, "_" or "-"');
  const smtpUrl = r.url('SMTP_URL', ['smtp:', 'smtps:']);
  const mailTransport = r.oneOf('MAIL_TRANSPORT', ['file', 'smtp'] as const, smtpUrl ? 'smtp' : 'file');
  if (mailTransport === 'smtp' && !smtpUrl)
    r.problems.push('MAIL_TRANSPORT=smtp needs SMTP_URL (smtp://user:pass@host:587 or smtps://…:465)');
  const mailFrom = r.str('MAIL_FROM', 'Sillage <no-reply@localhost>')!;
  if (/[\r\n]/.test(mailFrom) || !/@/.test(mailFrom))
    r.problems.push('MAIL_FROM must be one address, e.g. "Sillage <no-reply@example.org>"');

  if (Boolean(jwtPrivateKeyPem) !== Boolean(jwtPublicKeyPem)) {
    r.problems.push('JWT_PRIVATE_KEY and JWT_PUBLIC_KEY must be set together');
  }

  const config: AppConfig = {
    env: nodeEnv,
    http: {
      host,
      port,
      publicBaseUrl: r.url('PUBLIC_BASE_URL', ['http:', 'https:']) ?? `http://localhost:${port}`,
      corsOrigins: (r.str('CORS_ORIGINS', '') ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
      bodyLimitBytes: r.int('BODY_LIMIT_BYTES', 1_048_576, 1024, 100 * 1_048_576),
      webDir: r.str('WEB_DIR', 'dist/web')!,
      trustProxy: r.bool('TRUST_PROXY', false),
    },
    database: {
      // The launcher (`npm start`) serves embedded PostgreSQL on a local socket and passes its URL
      // to the api process with SILLAGE_EMBEDDED=1, so the api still knows it must use one connection.
      mode: databaseUrl && r.str('SILLAGE_EMBEDDED') !== '1' ? 'external' : 'embedded',
      url: databaseUrl,
      ownerUrl: ownerUrl ?? databaseUrl,
      poolSize: r.int('DATABASE_POOL_SIZE', 10, 1, 200),
      backendFlushAfter: kilobytesOrUndefined(r.int('DATABASE_BACKEND_FLUSH_AFTER_KB', 256, 0, 2048)),
      redemptionConnections: r.int('DATABASE_REDEMPTION_CONNECTIONS', 4, 1, 64),
      embeddedDataDir: `${dataDir}/pglite`,
    },
    // Jobs go through BullMQ only with a real database: the worker cannot reach embedded PostgreSQL
    // (one connection, held by the API), so there the API runs them in-process even with Redis.
    redis: { mode: redisUrl && databaseUrl && r.str('SILLAGE_EMBEDDED') !== '1' ? 'redis' : 'in-process', url: redisUrl },
    auth: {
      jwtPrivateKeyPem,
      jwtPublicKeyPem,
      jwtKeyId: r.str('JWT_KEY_ID', 'sillage-1')!,
      accessTokenTtlSeconds: r.int('ACCESS_TOKEN_TTL_SECONDS', 900, 30, 86_400),
      refreshTokenTtlSeconds: r.int('REFRESH_TOKEN_TTL_SECONDS', 30 * 86_400, 300, 365 * 86_400),
      cookieSecure: r.bool('COOKIE_SECURE', true),
      loginMaxFailures: r.int('LOGIN_MAX_FAILURES', 5, 1, 1000),
      loginWindowSeconds: r.int('LOGIN_WINDOW_SECONDS', 900, 1, 86_400),
      setPasswordTokenTtlSeconds: r.int('SET_PASSWORD_TOKEN_TTL_SECONDS', 72 * 3600, 60, 30 * 86_400),
    },
    worker: { healthPort: r.int('WORKER_HEALTH_PORT', 3001, 1, 65535), niceness: r.int('WORKER_NICENESS', 10, 0, 19) },
    queue: {
      prefix: queuePrefix,
      pollMs: r.int('OUTBOX_POLL_MS', 250, 10, 60_000),
      publishRetryMaxMs: r.int('OUTBOX_PUBLISH_RETRY_MAX_MS', 30_000, 100, 3_600_000),
      attempts: r.int('JOB_ATTEMPTS', 5, 1, 100),
      backoffMs: r.int('JOB_BACKOFF_MS', 1000, 1, 3_600_000),
      retentionDays: r.int('OUTBOX_RETENTION_DAYS', 30, 2, 3650),
    },
    mail: { transport: mailTransport, smtpUrl, from: mailFrom, fileDir: `${dataDir}/mail` },
    bootstrap: {
      operatorAdminEmail: r.str('OPERATOR_ADMIN_EMAIL'),
      operatorAdminPassword: r.str('OPERATOR_ADMIN_PASSWORD'),
    },
    issuance: {
      lookupKey: r.secretKey('VOUCHER_LOOKUP_KEY'),
      printKeys: r.printKeys('VOUCHER_PRINT_KEYS'),
      signingKeyPem: r.pem('VOUCHER_SIGNING_KEY', 'PRIVATE KEY'),
      signingKeyId: r.str('VOUCHER_SIGNING_KEY_ID', 'voucher-1')!,
      retiredPublicKeys: r.retiredKeys('VOUCHER_RETIRED_PUBLIC_KEYS'),
      chunkBooklets: r.int('ISSUANCE_CHUNK_BOOKLETS', 2000, 1, 100_000),
      printPartBooklets: r.int('PRINT_PART_BOOKLETS', 1000, 1, 100_000),
      printDir: `${dataDir}/print-files`,
    },
    privacy: {
      masterKeys: r.printKeys('PRIVACY_MASTER_KEYS'),
      pseudonymKey: r.secretKey('PRIVACY_PSEUDONYM_KEY'),
      retentionMonths: r.int('PERSONAL_DATA_RETENTION_MONTHS', 12, 1, 120),
      accessLogRetentionMonths: r.int('ACCESS_LOG_RETENTION_MONTHS', 12, 1, 120),
    },
    settlement: {
      schedule: r.oneOf('SETTLEMENT_SCHEDULE', ['monthly', 'weekly', 'off'] as const, 'monthly'),
      payoutMinimumCents: r.int('PAYOUT_MINIMUM_CENTS', 1000, 1, 100_000_000),
      chunkSites: r.int('SETTLEMENT_CHUNK_SITES', 300, 1, 10_000),
      // Defaults: a demonstration account (the IBAN of the French banking examples), for trying Sillage only.
      debtor: {
        name: r.str('SEPA_DEBTOR_NAME', 'Sillage (compte de démonstration)')!,
        iban: r.str('SEPA_DEBTOR_IBAN', 'FR7630006000011234567890189')!,
        bic: r.str('SEPA_DEBTOR_BIC', 'AGRIFRPPXXX')!,
        streetName: r.str('SEPA_DEBTOR_STREET', 'Rue de la Paix')!,
        buildingNumber: r.str('SEPA_DEBTOR_BUILDING', '1'),
        postCode: r.str('SEPA_DEBTOR_POSTCODE', '75002')!,
        townName: r.str('SEPA_DEBTOR_TOWN', 'Paris')!,
        country: r.str('SEPA_DEBTOR_COUNTRY', 'FR')!,
      },
      crashAt:
        r.str('SETTLEMENT_CRASH_AT') === undefined
          ? undefined
          : r.oneOf('SETTLEMENT_CRASH_AT', ['after_statements', 'mid_batch', 'after_payouts', 'after_file'] as const, 'after_statements'),
    },
    reporting: {
      pdfInlineRows: r.int('REPORT_PDF_INLINE_ROWS', 200, 0, 100_000),
      exportDir: `${dataDir}/report-exports`,
      exportRetentionDays: r.int('REPORT_EXPORT_RETENTION_DAYS', 7, 1, 365),
    },
    invoicing: {
      vatRateBp: r.int('INVOICE_VAT_RATE_BP', 2000, 0, 10_000),
      paymentTermsDays: r.int('INVOICE_PAYMENT_TERMS_DAYS', 30, 0, 60),
    },
    logLevel: r.oneOf('LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const, 'info'),
    dataDir,
  };
  if (r.problems.length > 0) throw new ConfigError(r.problems);
  return config;
}

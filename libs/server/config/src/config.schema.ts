import { z } from 'zod';

/**
 * The one configuration schema of the server side (API, worker, CLI).
 * Every variable has a development default except the secrets, which must be set in production.
 * Variables marked `secret` are never logged.
 */
const DEV_SECRET = 'dev-only-insecure-secret-change-me-0123456789';
const DEV_ENCRYPTION_KEY = 'ZGV2LW9ubHktZW5jcnlwdGlvbi1rZXktMzItYnl0ZXM='; // base64 of 32 bytes, dev only

export const SECRET_KEYS = ['SESSION_SECRET', 'ENCRYPTION_KEY', 'OPERATOR_TOKEN', 'SMTP_URL', 'DATABASE_URL', 'GOOGLE_CLIENT_SECRET', 'ENCRYPTION_KEYS_PREVIOUS', 'QBO_CLIENT_SECRET', 'XERO_CLIENT_SECRET', 'QBO_WEBHOOK_VERIFIER_TOKEN', 'XERO_WEBHOOK_KEY', 'S3_SECRET_ACCESS_KEY'] as const;

export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  DATABASE_URL: z
    .string()
    .url('DATABASE_URL must be a postgres:// URL, e.g. postgres://postgres@127.0.0.1:5432/ledgerport')
    .default('postgres://postgres@127.0.0.1:5432/ledgerport'),
  /** PostgreSQL connections each API or worker process keeps open. */
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  REDIS_URL: z
    .string()
    .url('REDIS_URL must be a redis:// URL, e.g. redis://127.0.0.1:6379')
    .default('redis://127.0.0.1:6379'),
  /** Prefix for every Redis key (queues, rate limits), so several installations or test runs can share one Redis. */
  REDIS_PREFIX: z.string().min(1).default('lp'),
  APP_URL: z.string().url('APP_URL must be the public URL of the app, e.g. https://ledgerport.example.com').default('http://localhost:3000'),
  SESSION_SECRET: z.string().min(32, 'SESSION_SECRET must be at least 32 characters (e.g. `openssl rand -base64 48`)').default(DEV_SECRET),
  ENCRYPTION_KEY: z
    .string()
    .refine((v) => Buffer.from(v, 'base64').length === 32, 'ENCRYPTION_KEY must be 32 random bytes in base64 (e.g. `openssl rand -base64 32`)')
    .default(DEV_ENCRYPTION_KEY),
  /** Keys that sealed older values, comma-separated (key rotation): they still open, new values use ENCRYPTION_KEY. */
  ENCRYPTION_KEYS_PREVIOUS: z
    .string()
    .refine(
      (v) => v.split(',').every((k) => Buffer.from(k.trim(), 'base64').length === 32),
      'ENCRYPTION_KEYS_PREVIOUS must be a comma-separated list of 32-byte base64 keys',
    )
    .optional(),
  SMTP_URL: z.string().url('SMTP_URL must look like smtp://user:pass@host:587').optional(),
  MAIL_FROM: z.string().min(3).default('Ledgerport <no-reply@ledgerport.local>'),
  OPERATOR_TOKEN: z.string().min(24, 'OPERATOR_TOKEN must be at least 24 characters').optional(),
  /** Behind a reverse proxy: take the client IP (used by sign-in throttling) from X-Forwarded-For. */
  TRUST_PROXY: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Where the built SPAs live; the API serves them when present. */
  WEB_DIST_DIR: z.string().default('dist/apps'),
  /** Sign-in throttling: failed attempts allowed per email and per IP in the window. */
  LOGIN_MAX_FAILURES_PER_EMAIL: z.coerce.number().int().min(1).default(5),
  LOGIN_MAX_FAILURES_PER_IP: z.coerce.number().int().min(1).default(50),
  LOGIN_THROTTLE_WINDOW_SECONDS: z.coerce.number().int().min(1).default(900),
  /** Portal sign-in links: requests allowed per email and per IP in the window (known or not). */
  LINK_REQUESTS_PER_EMAIL: z.coerce.number().int().min(1).default(5),
  LINK_REQUESTS_PER_IP: z.coerce.number().int().min(1).default(30),
  LINK_REQUEST_WINDOW_SECONDS: z.coerce.number().int().min(1).default(900),
  /** Sign in with Google (OpenID Connect). Shown only when the client id and secret are set. */
  GOOGLE_ISSUER_URL: z.string().url('GOOGLE_ISSUER_URL must be the OpenID issuer URL, e.g. https://accounts.google.com').default('https://accounts.google.com'),
  GOOGLE_CLIENT_ID: z.string().min(1).optional(),
  GOOGLE_CLIENT_SECRET: z.string().min(1).optional(),
  /**
   * The local ledger sandbox (apps/ledger-sandbox). Outside production it is the default for every
   * QBO_* and XERO_* endpoint below, so development, tests and benchmarks never reach the real
   * services; in production the defaults are Intuit's and Xero's own hosts.
   */
  LEDGER_SANDBOX_URL: z.string().url('LEDGER_SANDBOX_URL must be a URL such as http://127.0.0.1:3900').optional(),
  /** QuickBooks Online app (developer.intuit.com). Unset in production: connecting to QuickBooks is off. */
  QBO_CLIENT_ID: z.string().min(1).optional(),
  QBO_CLIENT_SECRET: z.string().min(1).optional(),
  QBO_AUTHORIZE_URL: z.string().url().optional(),
  QBO_TOKEN_URL: z.string().url().optional(),
  QBO_REVOKE_URL: z.string().url().optional(),
  QBO_API_BASE: z.string().url().optional(),
  /** Xero app (developer.xero.com). Unset in production: connecting to Xero is off. */
  XERO_CLIENT_ID: z.string().min(1).optional(),
  XERO_CLIENT_SECRET: z.string().min(1).optional(),
  XERO_IDENTITY_URL: z.string().url().optional(),
  XERO_API_BASE: z.string().url().optional(),
  /** Webhook signing keys: QuickBooks' verifier token and Xero's webhook key (outside production, the sandbox's). */
  QBO_WEBHOOK_VERIFIER_TOKEN: z.string().min(1).optional(),
  XERO_WEBHOOK_KEY: z.string().min(1).optional(),
  /** The sync worker (S1–S5): how far back a first sync reads, jobs at once per worker process, and the providers' rate limits. */
  SYNC_BACKFILL_MONTHS: z.coerce.number().int().min(1, 'SYNC_BACKFILL_MONTHS must be 1 to 120').max(120, 'SYNC_BACKFILL_MONTHS must be 1 to 120').default(24),
  SYNC_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  SYNC_RATE_LIMITS: z.enum(['on', 'off'], { message: 'SYNC_RATE_LIMITS must be on or off (off only for benchmarks against the sandbox)' }).default('on'),
  /** off: no scheduled syncs (tests that drive syncs themselves); Sync now, connecting and webhooks still sync. */
  SYNC_SCHEDULE: z.enum(['on', 'off'], { message: 'SYNC_SCHEDULE must be on or off' }).default('on'),
  /** Memory each API process may keep question lists in (the boards and the portal lists), in megabytes; 0 builds every list afresh. */
  QUESTION_CACHE_MB: z.coerce
    .number({ message: 'QUESTION_CACHE_MB must be a number of megabytes, e.g. 64' })
    .refine((n) => Number.isInteger(n) && n >= 0 && n <= 4096, 'QUESTION_CACHE_MB must be a whole number of megabytes from 0 (off) to 4096')
    .default(64),
  /** off: the worker sends no question digests, reminders or answer notices (tests that send them themselves). */
  QUESTION_EMAILS: z.enum(['on', 'off'], { message: 'QUESTION_EMAILS must be on or off' }).default('on'),
  /** Questions asked this close together go out in one digest email (the first never waits more than 10 minutes, or this if longer). Shorter only for tests. */
  QUESTION_DIGEST_QUIET_SECONDS: z.coerce
    .number({ message: 'QUESTION_DIGEST_QUIET_SECONDS must be a number of seconds, e.g. 120' })
    .refine((n) => Number.isInteger(n) && n >= 1 && n <= 86_400, 'QUESTION_DIGEST_QUIET_SECONDS must be a whole number of seconds from 1 to 86400 (a day)')
    .default(120),
  /** How often the worker looks for question emails to send (digests, reminders, answer notices). Shorter only for tests. */
  QUESTION_TICK_SECONDS: z.coerce
    .number({ message: 'QUESTION_TICK_SECONDS must be a number of seconds, e.g. 60' })
    .refine((n) => Number.isInteger(n) && n >= 1 && n <= 3600, 'QUESTION_TICK_SECONDS must be a whole number of seconds from 1 to 3600 (an hour)')
    .default(60),
  /** Transactions per page asked of the ledger; unset: the provider's page size (QuickBooks 1,000, Xero 100). Smaller only for tests and benchmarks. */
  SYNC_PAGE_SIZE: z.coerce.number().int().min(1).max(1000).optional(),
  /** Transaction types one sync reads at once (each with its own checkpoint). */
  SYNC_LANES: z.coerce.number().int().min(1).max(8).default(3),
  /** The longest one job works on one connection before it lets the next in; slices start at 250 ms and double (fairness). */
  SYNC_SLICE_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
  /** How long a killed worker's job stays locked before another worker takes it over. */
  SYNC_LOCK_MS: z.coerce.number().int().min(1000).max(600_000).default(30_000),
  /** Tests only: lets a test move the server's clock (PUT /api/v1/testing/clock). Refused in production. */
  TEST_CLOCK: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
  // ---- File storage (F2, libs/server/storage) -------------------------------------------------
  // Checks that span several variables (s3 needs a bucket, the directory must not be web-served)
  // run when StorageModule boots: resolveStorageSettings() in libs/server/storage.
  /** Where attachments are kept: local disk, or an S3-compatible object store. */
  STORAGE_DRIVER: z.enum(['local', 's3'], { message: 'STORAGE_DRIVER must be local or s3' }).default('local'),
  /** local: the directory for files (relative to the working directory); never inside WEB_DIST_DIR. */
  STORAGE_DIR: z.string().min(1).default('var/files'),
  /** s3: the bucket, its region, and for S3-compatible stores (MinIO, Ceph, R2) the endpoint URL. */
  S3_BUCKET: z.string().min(1).optional(),
  S3_REGION: z.string().min(1).optional(),
  S3_ENDPOINT: z
    .string()
    .url({
      protocol: /^https?$/,
      message: 'S3_ENDPOINT must be the http(s) URL of the S3-compatible service, e.g. http://127.0.0.1:9000',
    })
    .optional(),
  /** s3: static credentials, both or neither; unset: the AWS default chain (env, files, instance role). */
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  /** Secret: redactedConfig must hide it (SECRET_KEYS). */
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  /** s3: path-style URLs (host/bucket/key), which most self-hosted stores need. */
  S3_FORCE_PATH_STYLE: z
    .enum(['true', 'false'], { message: 'S3_FORCE_PATH_STYLE must be true or false' })
    .default('false')
    .transform((v) => v === 'true'),
  /** Largest attachment accepted, in bytes (default 10 MB). */
  UPLOAD_MAX_BYTES: z.coerce
    .number({ message: 'UPLOAD_MAX_BYTES must be a number of bytes, e.g. 10485760 for 10 MB' })
    .refine(
      (n) => Number.isInteger(n) && n >= 1 && n <= 1024 ** 3,
      'UPLOAD_MAX_BYTES must be a whole number of bytes from 1 to 1073741824 (1 GB)',
    )
    .default(10 * 1024 * 1024),
  // ---- end of file storage --------------------------------------------------------------------
});

export type AppConfig = z.infer<typeof configSchema> & {
  /** True when mail goes to the development outbox instead of SMTP. */
  mailToOutbox: boolean;
  /** True when Google sign-in is configured (client id and secret). */
  googleEnabled: boolean;
  isProduction: boolean;
};

export class ConfigError extends Error {}

/** Parses and validates the environment; throws ConfigError with one sentence per problem. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = configSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `- ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Ledgerport cannot start: the configuration is invalid.\n${lines.join('\n')}`);
  }
  const c = parsed.data;
  const isProduction = c.NODE_ENV === 'production';
  if (isProduction) {
    const missing: string[] = [];
    if (!env.DATABASE_URL) missing.push('DATABASE_URL (the PostgreSQL connection URL)');
    if (!env.REDIS_URL) missing.push('REDIS_URL (the Redis connection URL)');
    if (!env.APP_URL) missing.push('APP_URL (the public URL people open, used in email links)');
    if (!env.SESSION_SECRET || c.SESSION_SECRET === DEV_SECRET)
      missing.push('SESSION_SECRET (48 random bytes: `openssl rand -base64 48`)');
    if (!env.ENCRYPTION_KEY || c.ENCRYPTION_KEY === DEV_ENCRYPTION_KEY)
      missing.push('ENCRYPTION_KEY (32 random bytes in base64: `openssl rand -base64 32`)');
    if (!env.SMTP_URL) missing.push('SMTP_URL (mail server, e.g. smtp://user:pass@smtp.example.com:587)');
    if (c.SYNC_RATE_LIMITS === 'off') missing.push('SYNC_RATE_LIMITS=on (the providers\' rate limits may only be switched off against the sandbox)');
    if (c.TEST_CLOCK) missing.push('TEST_CLOCK=false (a movable clock is for tests only; remove TEST_CLOCK)');
    if (missing.length) {
      throw new ConfigError(
        `Ledgerport cannot start in production: set ${missing.length === 1 ? 'this variable' : 'these variables'}:\n${missing
          .map((m) => `- ${m}`)
          .join('\n')}`,
      );
    }
  }
  if (!!c.GOOGLE_CLIENT_ID !== !!c.GOOGLE_CLIENT_SECRET) {
    throw new ConfigError(
      'Ledgerport cannot start: Google sign-in needs both GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET (set both, or neither to hide the button).',
    );
  }
  for (const [id, secret, name] of [
    [c.QBO_CLIENT_ID, c.QBO_CLIENT_SECRET, 'QBO'],
    [c.XERO_CLIENT_ID, c.XERO_CLIENT_SECRET, 'XERO'],
  ] as const) {
    if (!!id !== !!secret) {
      throw new ConfigError(`Ledgerport cannot start: set both ${name}_CLIENT_ID and ${name}_CLIENT_SECRET, or neither.`);
    }
  }
  // Outside production the ledger sandbox stands in for both providers unless told otherwise.
  const sandbox = c.LEDGER_SANDBOX_URL ?? (isProduction ? undefined : 'http://127.0.0.1:3900');
  return {
    ...c,
    LEDGER_SANDBOX_URL: sandbox,
    // The sandbox signs its webhooks with these unless told otherwise (apps/ledger-sandbox/src/config.ts).
    QBO_WEBHOOK_VERIFIER_TOKEN: c.QBO_WEBHOOK_VERIFIER_TOKEN ?? (isProduction ? undefined : 'ledgerport-qbo-webhook-verifier'),
    XERO_WEBHOOK_KEY: c.XERO_WEBHOOK_KEY ?? (isProduction ? undefined : 'ledgerport-xero-webhook-key'),
    isProduction,
    mailToOutbox: !c.SMTP_URL && !isProduction,
    googleEnabled: !!(c.GOOGLE_CLIENT_ID && c.GOOGLE_CLIENT_SECRET),
  };
}

/** A copy of the configuration safe to log: secrets are replaced. */
export function redactedConfig(config: AppConfig): Record<string, unknown> {
  const out: Record<string, unknown> = { ...config };
  for (const key of SECRET_KEYS) if (out[key] !== undefined) out[key] = '[redacted]';
  return out;
}

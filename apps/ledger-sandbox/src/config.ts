import { z } from 'zod';

/** The sandbox's configuration: environment variables, validated at start with a sentence per problem. */
export const sandboxConfigSchema = z.object({
  SANDBOX_PORT: z.coerce.number().int().min(0).max(65535).default(3900),
  SANDBOX_HOST: z.string().default('127.0.0.1'),
  /** The URL the sandbox is reached at (issuer, redirects, links); defaults to http://127.0.0.1:<port>. */
  SANDBOX_URL: z.string().url('SANDBOX_URL must be a URL such as http://127.0.0.1:3900').optional(),
  /** Every generated value derives from this seed. */
  SANDBOX_SEED: z.string().min(1).default('ledgerport'),
  /** The day the generated 24 months end (YYYY-MM-DD, UTC); default today. */
  SANDBOX_TODAY: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'SANDBOX_TODAY must be a date such as 2026-11-23')
    .optional(),
  /** Transactions per default company (a benchmark creates bigger companies through the control API). */
  SANDBOX_TRANSACTIONS: z.coerce.number().int().min(0).max(1_000_000).default(1500),
  SANDBOX_UNCATEGORIZED_SHARE: z.coerce.number().min(0).max(1).default(0.12),
  /** OAuth clients the sandbox accepts (the product's QBO_* and XERO_* settings point here). */
  QBO_CLIENT_ID: z.string().min(1).default('ledgerport-qbo-sandbox'),
  QBO_CLIENT_SECRET: z.string().min(1).default('ledgerport-qbo-sandbox-secret'),
  XERO_CLIENT_ID: z.string().min(1).default('ledgerport-xero-sandbox'),
  XERO_CLIENT_SECRET: z.string().min(1).default('ledgerport-xero-sandbox-secret'),
  /** Where change notifications go (unset: none are sent), and the keys that sign them. */
  QBO_WEBHOOK_URL: z.string().url().optional(),
  QBO_WEBHOOK_VERIFIER_TOKEN: z.string().min(1).default('ledgerport-qbo-webhook-verifier'),
  XERO_WEBHOOK_URL: z.string().url().optional(),
  XERO_WEBHOOK_KEY: z.string().min(1).default('ledgerport-xero-webhook-key'),
  /** Which QuickBooks notification shapes are sent: the legacy eventNotifications, the CloudEvents array, or both (two POSTs). */
  QBO_WEBHOOK_FORMAT: z.enum(['legacy', 'cloudevents', 'both'], { message: 'QBO_WEBHOOK_FORMAT must be legacy, cloudevents or both' }).default('both'),
  /** Changes within this window (ms) go out as one notification. */
  SANDBOX_WEBHOOK_BATCH_MS: z.coerce.number().int().min(0).max(60_000).default(500),
  /** A failed delivery (non-2xx or network error) is retried this many times, after RETRY_MS, then twice that, … */
  SANDBOX_WEBHOOK_RETRIES: z.coerce.number().int().min(0).max(10).default(3),
  SANDBOX_WEBHOOK_RETRY_MS: z.coerce.number().int().min(0).max(600_000).default(1000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type SandboxConfig = z.infer<typeof sandboxConfigSchema> & { url: string; today: number };

export function loadSandboxConfig(env: NodeJS.ProcessEnv = process.env): SandboxConfig {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = sandboxConfigSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `- ${i.path.join('.')}: ${i.message}`);
    throw new Error(`The ledger sandbox cannot start: the configuration is invalid.\n${lines.join('\n')}`);
  }
  const c = parsed.data;
  const today = c.SANDBOX_TODAY ? Date.parse(`${c.SANDBOX_TODAY}T00:00:00Z`) : Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate());
  return { ...c, url: (c.SANDBOX_URL ?? `http://${c.SANDBOX_HOST}:${c.SANDBOX_PORT}`).replace(/\/$/, ''), today };
}

import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { APP_CONFIG, type AppConfig } from '@ledgerport/server/config';
import { REDIS } from '@ledgerport/server/jobs';
import { SyncRequests } from './sync-requests.service';

/** How long a delivery's signature is remembered, to ignore a replay of it. */
const REPLAY_TTL_SECONDS = 7 * 86_400;

export type WebhookOutcome =
  | { kind: 'bad_signature' }
  | { kind: 'not_configured' }
  | { kind: 'bad_body' }
  | { kind: 'replay' }
  | { kind: 'accepted'; companies: number; queued: number; unknown: number };

/**
 * S1's webhooks: QuickBooks (legacy `eventNotifications` and CloudEvents arrays) and Xero (events
 * and the intent-to-receive handshake). The signature is checked on the raw body; a delivery seen
 * before is ignored; a known company gets a sync queued (never run inline), so the answer is fast.
 */
@Injectable()
export class WebhooksService {
  private readonly logger = new Logger(WebhooksService.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(REDIS) private readonly redis: Redis,
    private readonly requests: SyncRequests,
  ) {}

  async quickbooks(raw: Buffer | string | undefined, signature: string | undefined): Promise<WebhookOutcome> {
    const key = this.config.QBO_WEBHOOK_VERIFIER_TOKEN;
    if (!key) return { kind: 'not_configured' };
    if (raw === undefined || !signatureMatches(key, raw, signature)) return { kind: 'bad_signature' };
    const body = parse(raw);
    const realms = new Set<string>();
    if (Array.isArray(body)) {
      for (const e of body) {
        const realm = (e as { intuitaccountid?: unknown })?.intuitaccountid;
        if (typeof realm === 'string' && realm) realms.add(realm);
      }
    } else if (body && typeof body === 'object' && Array.isArray((body as { eventNotifications?: unknown }).eventNotifications)) {
      for (const n of (body as { eventNotifications: { realmId?: unknown }[] }).eventNotifications) {
        if (typeof n?.realmId === 'string' && n.realmId) realms.add(n.realmId);
      }
    } else {
      return { kind: 'bad_body' };
    }
    if (await this.seen('qbo', signature as string)) return { kind: 'replay' };
    return this.queue('qbo', realms);
  }

  async xero(raw: Buffer | string | undefined, signature: string | undefined): Promise<WebhookOutcome> {
    const key = this.config.XERO_WEBHOOK_KEY;
    if (!key) return { kind: 'not_configured' };
    if (raw === undefined || !signatureMatches(key, raw, signature)) return { kind: 'bad_signature' };
    const body = parse(raw) as { events?: { tenantId?: unknown }[] } | undefined;
    if (!body || typeof body !== 'object' || !Array.isArray(body.events)) return { kind: 'bad_body' };
    if (await this.seen('xero', signature as string)) return { kind: 'replay' };
    // An empty batch is Xero's intent-to-receive: the 200 is the whole answer.
    const tenants = new Set(body.events.map((e) => e?.tenantId).filter((t): t is string => typeof t === 'string' && !!t));
    return this.queue('xero', tenants);
  }

  private async queue(provider: 'qbo' | 'xero', companies: Set<string>): Promise<WebhookOutcome> {
    if (!companies.size) return { kind: 'accepted', companies: 0, queued: 0, unknown: 0 };
    const conns: { id: string; external_id: string }[] = await this.db.query(
      `SELECT id, external_id FROM ledger_connections WHERE provider = $1 AND external_id = ANY($2::text[]) AND status = 'connected'`,
      [provider, [...companies]],
    );
    let queued = 0;
    for (const c of conns) if (await this.requests.request(c.id, 'webhook')) queued++;
    const known = new Set(conns.map((c) => c.external_id));
    const unknown = [...companies].filter((c) => !known.has(c)).length;
    if (unknown) this.logger.warn({ provider, unknown }, 'Webhook for companies no client is connected to');
    return { kind: 'accepted', companies: companies.size, queued, unknown };
  }

  /** True when this exact delivery (its signature) was accepted before. */
  private async seen(provider: string, signature: string): Promise<boolean> {
    const id = createHash('sha256').update(signature).digest('hex');
    const fresh = await this.redis.set(`${this.config.REDIS_PREFIX}:webhook:${provider}:${id}`, '1', 'EX', REPLAY_TTL_SECONDS, 'NX');
    return fresh === null;
  }
}

export function signatureMatches(key: string, raw: Buffer | string, signature: string | undefined): boolean {
  if (!signature) return false;
  const expected = createHmac('sha256', key).update(raw).digest();
  const given = Buffer.from(signature, 'base64');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function parse(raw: Buffer | string): unknown {
  try {
    return JSON.parse(typeof raw === 'string' ? raw : raw.toString('utf8'));
  } catch {
    return undefined;
  }
}

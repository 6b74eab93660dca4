import type { SandboxContext } from '../context';
import type { CompanyLedger } from '../model/company-ledger';
import type { ChangeRecord, Provider } from '../model/ledger';
import {
  qboCloudEventsPayload,
  qboEntityChange,
  qboEventSource,
  qboLegacyPayload,
  xeroContactEvent,
} from './payloads';
import { entropy, webhookSignature } from './signing';

export type DeliveryShape =
  'legacy' | 'cloudevents' | 'xero_events' | 'xero_intent' | 'xero_intent_bad_signature';

/** One HTTP attempt (or a dropped delivery), as GET /control/webhooks shows it. */
export interface DeliveryAttempt {
  /** The delivery this attempt belongs to: retries share it. */
  delivery: number;
  provider: Provider;
  companyId?: string;
  url: string;
  shape: DeliveryShape;
  /** 1 for the first try, 2 for the first retry, … */
  attempt: number;
  /** The receiver's HTTP status; null after a network error, a timeout or a dropped delivery. */
  status: number | null;
  error?: string;
  /** A drop_webhook fault swallowed this delivery: nothing was sent. */
  dropped?: boolean;
  /** How many entity changes (QuickBooks) or events (Xero) the body carries. */
  events: number;
  /** Sandbox time (the control API's clock) when the attempt started. */
  at: string;
  ms?: number;
}

/** The outcome of Xero's "intent to receive" handshake against the configured URL. */
export interface XeroIntentResult {
  at: string;
  url: string;
  /** Status for the correctly signed request: Xero wants 200. */
  goodStatus: number | null;
  /** Status for the mis-signed request: Xero wants 401. */
  badStatus: number | null;
  dropped?: boolean;
  ok: boolean;
  message: string;
}

const ATTEMPT_TIMEOUT_MS = 5000; // Xero gives a receiver 5 seconds; QuickBooks about as long.
const MAX_LOG = 1000;

/**
 * Sends the providers' change notifications to the configured URLs.
 *
 * QuickBooks: changes are gathered per company for SANDBOX_WEBHOOK_BATCH_MS, then POSTed in the
 * legacy `eventNotifications` shape and/or the CloudEvents array (QBO_WEBHOOK_FORMAT; "both" sends
 * two POSTs), each signed with `intuit-signature`. Xero: bank transactions and manual journals
 * raise no events (as at Xero), contact changes raise CONTACT events; the intent-to-receive
 * handshake runs at start and on demand. A drop_webhook fault swallows the next N deliveries (a
 * delivery is one notification in all its shapes); a non-2xx answer or a network error is retried
 * SANDBOX_WEBHOOK_RETRIES times with doubling delays.
 */
export class Webhooks {
  private readonly watched = new WeakSet<CompanyLedger>();
  private readonly pending = new Map<string, { ledger: CompanyLedger; changes: ChangeRecord[] }>();
  private timer?: NodeJS.Timeout;
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly chains = new Map<string, Promise<unknown>>();
  private readonly sleeps = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();
  private readonly abort = new AbortController();
  private readonly log: DeliveryAttempt[] = [];
  private deliverySeq = 0;
  private xeroSeq = 0;
  private closed = false;
  private readonly source: string;
  lastXeroIntent: XeroIntentResult | null = null;

  constructor(private readonly ctx: SandboxContext) {
    this.source = qboEventSource(ctx.config.QBO_CLIENT_ID);
  }

  /** Subscribes to a company's changes (once; keeps any callback already set). */
  watchCompany(ledger: CompanyLedger): void {
    if (this.watched.has(ledger)) return;
    this.watched.add(ledger);
    const previous = ledger.onChange;
    ledger.onChange = (change) => {
      previous?.(change);
      this.record(ledger, change);
    };
  }

  /** Attempts so far, oldest first (the last 1,000). */
  attempts(): DeliveryAttempt[] {
    return this.log.map((a) => ({ ...a }));
  }

  clearAttempts(): void {
    this.log.length = 0;
  }

  /** Changes waiting for the batch window to close. */
  pendingCount(): number {
    let n = 0;
    for (const p of this.pending.values()) n += p.changes.length;
    return n;
  }

  /** Sends what is pending now and resolves when every delivery under way has finished (retries included). */
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const batches = [...this.pending.values()];
    this.pending.clear();
    for (const b of batches) {
      // One company's notifications go out in order: a batch waits for the previous one (and its retries).
      const id = b.ledger.def.id;
      const next = (this.chains.get(id) ?? Promise.resolve()).then(() => this.notify(b.ledger, b.changes));
      const settled = next.catch(() => undefined);
      this.chains.set(id, settled);
      void settled.then(() => this.chains.get(id) === settled && this.chains.delete(id));
      this.track(next);
    }
    await this.idle();
  }

  /** Resolves when no delivery is under way. */
  async idle(): Promise<void> {
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
  }

  /**
   * Xero's intent to receive: a correctly signed empty event batch (the receiver must answer 200)
   * and a mis-signed one (it must answer 401). Undefined when XERO_WEBHOOK_URL is not set.
   */
  async xeroIntent(): Promise<XeroIntentResult | undefined> {
    const url = this.ctx.config.XERO_WEBHOOK_URL;
    if (!url || this.closed) return undefined;
    const at = this.now();
    const result = async (): Promise<XeroIntentResult> => {
      if (this.ctx.faults.take('xero', 'drop_webhook')) {
        const delivery = ++this.deliverySeq;
        this.push({
          delivery,
          provider: 'xero',
          url,
          shape: 'xero_intent',
          attempt: 1,
          status: null,
          dropped: true,
          events: 0,
          at,
        });
        return {
          at,
          url,
          goodStatus: null,
          badStatus: null,
          dropped: true,
          ok: false,
          message: 'A drop_webhook fault swallowed the intent-to-receive requests.',
        };
      }
      const key = this.ctx.config.XERO_WEBHOOK_KEY;
      const body = (): string =>
        JSON.stringify({ events: [], firstEventSequence: 0, lastEventSequence: 0, entropy: entropy() });
      const goodBody = body();
      const good = await this.deliver({
        provider: 'xero',
        url,
        shape: 'xero_intent',
        body: goodBody,
        headers: { 'x-xero-signature': webhookSignature(goodBody, key) },
        events: 0,
        retries: 0,
      });
      const badBody = body();
      const bad = await this.deliver({
        provider: 'xero',
        url,
        shape: 'xero_intent_bad_signature',
        body: badBody,
        headers: { 'x-xero-signature': webhookSignature(badBody, `${key}:not-the-key`) },
        events: 0,
        retries: 0,
      });
      const ok = good === 200 && bad === 401;
      const message = ok
        ? 'The receiver answered 200 to the signed request and 401 to the mis-signed one: intent to receive confirmed.'
        : `Xero expects 200 for a correctly signed request and 401 for a mis-signed one; the receiver answered ${good ?? 'no response'} and ${bad ?? 'no response'}.`;
      return { at, url, goodStatus: good, badStatus: bad, ok, message };
    };
    const p = result();
    this.track(p);
    this.lastXeroIntent = await p;
    if (!this.lastXeroIntent.ok)
      this.ctx.log.warn({ url, intent: this.lastXeroIntent }, 'Xero intent to receive not confirmed');
    return this.lastXeroIntent;
  }

  /** Stops timers and retries and aborts requests under way; pending changes are not sent. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.pending.clear();
    this.abort.abort();
    for (const s of this.sleeps) {
      clearTimeout(s.timer);
      s.resolve();
    }
    this.sleeps.clear();
    await this.idle();
  }

  private record(ledger: CompanyLedger, change: ChangeRecord): void {
    if (this.closed) return;
    const url =
      ledger.def.provider === 'qbo' ? this.ctx.config.QBO_WEBHOOK_URL : this.ctx.config.XERO_WEBHOOK_URL;
    if (!url) return;
    const relevant =
      ledger.def.provider === 'qbo' ? qboEntityChange(ledger, change) : xeroContactEvent(ledger, change);
    if (!relevant) return;
    let batch = this.pending.get(ledger.def.id);
    if (!batch) this.pending.set(ledger.def.id, (batch = { ledger, changes: [] }));
    batch.changes.push(change);
    if (!this.timer) {
      this.timer = setTimeout(() => void this.flush(), this.ctx.config.SANDBOX_WEBHOOK_BATCH_MS);
      this.timer.unref();
    }
  }

  /** One notification for one company's batch of changes, in every configured shape. */
  private async notify(ledger: CompanyLedger, changes: ChangeRecord[]): Promise<void> {
    const { config, faults } = this.ctx;
    const companyId = ledger.def.id;
    if (ledger.def.provider === 'qbo') {
      const url = config.QBO_WEBHOOK_URL;
      const entities = changes.map((c) => qboEntityChange(ledger, c)).filter((e) => e !== undefined);
      if (!url || !entities.length) return;
      const shapes: ('legacy' | 'cloudevents')[] =
        config.QBO_WEBHOOK_FORMAT === 'both' ? ['legacy', 'cloudevents'] : [config.QBO_WEBHOOK_FORMAT];
      const dropped = faults.take('qbo', 'drop_webhook', companyId);
      await Promise.all(
        shapes.map((shape) => {
          const body = JSON.stringify(
            shape === 'legacy'
              ? qboLegacyPayload(companyId, entities)
              : qboCloudEventsPayload(companyId, entities, this.source),
          );
          if (dropped) return this.drop('qbo', companyId, url, shape, entities.length);
          return this.deliver({
            provider: 'qbo',
            companyId,
            url,
            shape,
            body,
            headers: { 'intuit-signature': webhookSignature(body, config.QBO_WEBHOOK_VERIFIER_TOKEN) },
            events: entities.length,
          });
        }),
      );
      return;
    }
    const url = config.XERO_WEBHOOK_URL;
    const events = changes.map((c) => xeroContactEvent(ledger, c)).filter((e) => e !== undefined);
    if (!url || !events.length) return;
    if (faults.take('xero', 'drop_webhook', companyId))
      return this.drop('xero', companyId, url, 'xero_events', events.length);
    const first = this.xeroSeq + 1;
    this.xeroSeq += events.length;
    const body = JSON.stringify({
      events,
      firstEventSequence: first,
      lastEventSequence: this.xeroSeq,
      entropy: entropy(),
    });
    await this.deliver({
      provider: 'xero',
      companyId,
      url,
      shape: 'xero_events',
      body,
      headers: { 'x-xero-signature': webhookSignature(body, config.XERO_WEBHOOK_KEY) },
      events: events.length,
    });
  }

  private drop(
    provider: Provider,
    companyId: string,
    url: string,
    shape: DeliveryShape,
    events: number,
  ): void {
    this.push({
      delivery: ++this.deliverySeq,
      provider,
      companyId,
      url,
      shape,
      attempt: 1,
      status: null,
      dropped: true,
      events,
      at: this.now(),
    });
    this.ctx.log.info({ provider, companyId, shape }, 'webhook dropped by a drop_webhook fault');
  }

  /** POSTs a body, retrying a non-2xx answer or a network error; resolves with the last status (null: none). */
  private async deliver(d: {
    provider: Provider;
    companyId?: string;
    url: string;
    shape: DeliveryShape;
    body: string;
    headers: Record<string, string>;
    events: number;
    retries?: number;
  }): Promise<number | null> {
    const delivery = ++this.deliverySeq;
    const retries = d.retries ?? this.ctx.config.SANDBOX_WEBHOOK_RETRIES;
    let status: number | null = null;
    for (let attempt = 1; attempt <= retries + 1 && !this.closed; attempt++) {
      if (attempt > 1) await this.sleep(this.ctx.config.SANDBOX_WEBHOOK_RETRY_MS * 2 ** (attempt - 2));
      if (this.closed) break;
      const entry: DeliveryAttempt = {
        delivery,
        provider: d.provider,
        companyId: d.companyId,
        url: d.url,
        shape: d.shape,
        attempt,
        status: null,
        events: d.events,
        at: this.now(),
      };
      const started = Date.now();
      try {
        const res = await fetch(d.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'user-agent': `ledgerport-ledger-sandbox (${d.provider} webhooks)`,
            ...d.headers,
          },
          body: d.body,
          signal: AbortSignal.any([this.abort.signal, AbortSignal.timeout(ATTEMPT_TIMEOUT_MS)]),
        });
        await res.arrayBuffer().catch(() => undefined);
        status = entry.status = res.status;
      } catch (err) {
        status = null;
        const e = err as Error & { cause?: { code?: string; message?: string } };
        entry.error =
          e.name === 'TimeoutError'
            ? `no answer within ${ATTEMPT_TIMEOUT_MS} ms`
            : (e.cause?.code ?? e.cause?.message ?? e.message);
      }
      entry.ms = Date.now() - started;
      this.push(entry);
      if (status !== null && status >= 200 && status < 300) return status;
      if (d.shape === 'xero_intent' || d.shape === 'xero_intent_bad_signature') return status;
      this.ctx.log.warn(
        { url: d.url, shape: d.shape, attempt, status, error: entry.error },
        'webhook delivery failed',
      );
    }
    return status;
  }

  private push(a: DeliveryAttempt): void {
    this.log.push(a);
    if (this.log.length > MAX_LOG) this.log.splice(0, this.log.length - MAX_LOG);
  }

  private track<T>(p: Promise<T>): void {
    const tracked = p
      .catch((err: Error) => this.ctx.log.error({ err }, 'webhook delivery crashed'))
      .finally(() => this.inFlight.delete(tracked));
    this.inFlight.add(tracked);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const s = { timer: setTimeout(() => (this.sleeps.delete(s), resolve()), ms), resolve };
      s.timer.unref();
      this.sleeps.add(s);
    });
  }

  private now(): string {
    return new Date(this.ctx.clock()).toISOString();
  }
}

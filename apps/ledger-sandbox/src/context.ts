import type { FastifyBaseLogger } from 'fastify';
import type { SandboxConfig } from './config';
import { Companies } from './model/companies';
import type { Provider } from './model/ledger';

export type FaultKind = 'status' | 'latency' | 'drop_webhook' | 'stale_object';

/** Which API calls a fault affects: all of them, or only writes (QuickBooks updates, Xero POSTs). */
export type FaultCalls = 'all' | 'updates';
export type CallKind = 'read' | 'update';

export interface Fault {
  id: number;
  provider: Provider;
  /** Only calls for this company (realm / tenant); all when absent. */
  companyId?: string;
  kind: FaultKind;
  /** 'status': the HTTP status to answer (500, 429, 401). */
  status?: 500 | 429 | 401;
  /** 'latency': milliseconds added to each affected call. */
  latencyMs?: number;
  /**
   * 'updates': only write calls take this fault (for retry tests of write-back); reads pass. A
   * 'stale_object' fault (QuickBooks: the next updates answer 400, fault 5010, as if someone else
   * had saved the transaction first) only ever affects updates.
   */
  calls?: FaultCalls;
  /** How many calls (or webhooks) it still affects. */
  remaining: number;
}

/** Faults on demand (control API): the next N calls fail, are slow, or a webhook is dropped. */
export class Faults {
  private seq = 0;
  private readonly list: Fault[] = [];

  add(f: Omit<Fault, 'id'>): Fault {
    const fault = { ...f, id: ++this.seq };
    this.list.push(fault);
    return fault;
  }

  /** Consumes one matching fault of this kind, if any; `call` says whether the call is a write. */
  take(provider: Provider, kind: FaultKind, companyId?: string, call: CallKind = 'read'): Fault | undefined {
    const f = this.list.find(
      (x) =>
        x.provider === provider &&
        x.kind === kind &&
        x.remaining > 0 &&
        (!x.companyId || x.companyId === companyId) &&
        (x.calls !== 'updates' || call === 'update'),
    );
    if (!f) return undefined;
    f.remaining -= 1;
    if (f.remaining <= 0) this.list.splice(this.list.indexOf(f), 1);
    return { ...f };
  }

  all(): Fault[] {
    return this.list.map((f) => ({ ...f }));
  }

  clear(): void {
    this.list.length = 0;
  }
}

/** What each provider module offers the control API. */
export interface ProviderHooks {
  /** Revokes every grant that reaches this company; returns how many. */
  revokeGrants(companyId: string): number;
  /** Makes every access token expire now; returns how many. */
  expireAccessTokens(): number;
}

/** Everything the sandbox's routes share. State lives in memory: a restart is a fresh sandbox. */
export class SandboxContext {
  readonly companies: Companies;
  readonly faults = new Faults();
  readonly hooks = new Map<Provider, ProviderHooks>();
  log!: FastifyBaseLogger;
  /** Added to the base clock: the control API moves time forward (token expiry, CDC windows). */
  offsetMs = 0;
  /** The sandbox's time in ms: every expiry and timestamp uses it. */
  readonly clock: () => number;

  constructor(
    readonly config: SandboxConfig,
    baseClock: () => number = Date.now,
  ) {
    this.clock = () => baseClock() + this.offsetMs;
    this.companies = new Companies(config, this.clock);
  }
}

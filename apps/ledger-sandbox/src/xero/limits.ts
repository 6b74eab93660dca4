/**
 * Xero's API rate limits: per tenant 60 calls in any rolling minute, 5 at once and 5,000 in any
 * rolling 24 hours; per app 10,000 calls a minute across all tenants. Every answer carries the
 * remaining allowances; a refused call gets 429 with Retry-After and X-Rate-Limit-Problem.
 */
export interface XeroLimits {
  perMinute: number;
  perDay: number;
  concurrent: number;
  appPerMinute: number;
}

export const XERO_LIMITS: XeroLimits = { perMinute: 60, perDay: 5000, concurrent: 5, appPerMinute: 10_000 };

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

export type LimitProblem = 'minute' | 'day' | 'concurrent' | 'appminute';

export type Acquired =
  | { ok: true; headers: Record<string, string>; release: () => void }
  | { ok: false; headers: Record<string, string>; problem: LimitProblem; retryAfter: number };

/** A sliding window of call times (oldest first). */
class Window {
  private times: number[] = [];
  private head = 0;

  constructor(private readonly spanMs: number) {}

  count(now: number): number {
    while (this.head < this.times.length && this.times[this.head] <= now - this.spanMs) this.head++;
    if (this.head > 1024 && this.head * 2 > this.times.length) {
      this.times = this.times.slice(this.head);
      this.head = 0;
    }
    return this.times.length - this.head;
  }

  add(now: number): void {
    this.times.push(now);
  }

  /** Seconds until the oldest call leaves the window. */
  retryAfter(now: number): number {
    const oldest = this.times[this.head] ?? now;
    return Math.max(1, Math.ceil((oldest + this.spanMs - now) / 1000));
  }
}

export class RateLimiter {
  private readonly minute = new Map<string, Window>();
  private readonly day = new Map<string, Window>();
  private readonly inFlight = new Map<string, number>();
  private readonly app = new Window(MINUTE);

  constructor(
    private readonly clock: () => number,
    readonly limits: XeroLimits = XERO_LIMITS,
  ) {}

  private windowOf(map: Map<string, Window>, key: string, span: number): Window {
    let w = map.get(key);
    if (!w) map.set(key, (w = new Window(span)));
    return w;
  }

  /** Counts one call for the tenant, or refuses it. Call release() when the call has been answered. */
  acquire(tenantId: string): Acquired {
    const now = this.clock();
    const L = this.limits;
    const min = this.windowOf(this.minute, tenantId, MINUTE);
    const day = this.windowOf(this.day, tenantId, DAY);
    const usedMin = min.count(now);
    const usedDay = day.count(now);
    const usedApp = this.app.count(now);
    const busy = this.inFlight.get(tenantId) ?? 0;
    const headers = (m: number, d: number, a: number) => ({
      'x-minlimit-remaining': String(Math.max(0, L.perMinute - m)),
      'x-daylimit-remaining': String(Math.max(0, L.perDay - d)),
      'x-appminlimit-remaining': String(Math.max(0, L.appPerMinute - a)),
    });
    const refuse = (problem: LimitProblem, retryAfter: number): Acquired => ({
      ok: false,
      problem,
      retryAfter,
      headers: headers(usedMin, usedDay, usedApp),
    });
    if (usedDay >= L.perDay) return refuse('day', day.retryAfter(now));
    if (usedApp >= L.appPerMinute) return refuse('appminute', this.app.retryAfter(now));
    if (usedMin >= L.perMinute) return refuse('minute', min.retryAfter(now));
    if (busy >= L.concurrent) return refuse('concurrent', 1);
    min.add(now);
    day.add(now);
    this.app.add(now);
    this.inFlight.set(tenantId, busy + 1);
    let released = false;
    return {
      ok: true,
      headers: headers(usedMin + 1, usedDay + 1, usedApp + 1),
      release: () => {
        if (released) return;
        released = true;
        const n = (this.inFlight.get(tenantId) ?? 1) - 1;
        if (n <= 0) this.inFlight.delete(tenantId);
        else this.inFlight.set(tenantId, n);
      },
    };
  }
}

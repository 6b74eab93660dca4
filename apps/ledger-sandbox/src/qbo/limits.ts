/**
 * QuickBooks' per-company throttles: at most 500 requests in any rolling minute and 10 in flight
 * at once; past either the API answers 429 ThrottleExceeded (fault code 003001).
 */
export const MAX_PER_MINUTE = 500;
export const MAX_CONCURRENT = 10;

interface RealmUsage {
  /** Admission times (sandbox clock, ms), oldest first. */
  times: number[];
  head: number;
  inFlight: number;
}

export type Admission = { ok: true; release: () => void } | { ok: false; reason: 'rate' | 'concurrency' };

export class RealmLimits {
  private readonly usage = new Map<string, RealmUsage>();

  constructor(
    private readonly clock: () => number,
    private readonly perMinute = MAX_PER_MINUTE,
    private readonly concurrent = MAX_CONCURRENT,
  ) {}

  /** Admits one request for the realm, or says which limit it is past. Rejected requests do not count. */
  acquire(realmId: string): Admission {
    let u = this.usage.get(realmId);
    if (!u) this.usage.set(realmId, (u = { times: [], head: 0, inFlight: 0 }));
    const now = this.clock();
    while (u.head < u.times.length && u.times[u.head] <= now - 60_000) u.head++;
    if (u.head > 1024) {
      u.times = u.times.slice(u.head);
      u.head = 0;
    }
    if (u.inFlight >= this.concurrent) return { ok: false, reason: 'concurrency' };
    if (u.times.length - u.head >= this.perMinute) return { ok: false, reason: 'rate' };
    u.times.push(now);
    u.inFlight++;
    let released = false;
    const usage = u;
    return {
      ok: true,
      release: () => {
        if (released) return;
        released = true;
        usage.inFlight--;
      },
    };
  }
}

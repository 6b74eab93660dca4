import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import IORedis, { type Redis } from 'ioredis';
import { type Lease, LedgerRateLimiter, type LimitSpec, RateLimitWait } from './rate-limiter';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const MINUTE = 60_000;
const DAY = 86_400_000;

/** Three connections stand for three worker processes sharing the same keys. */
let procs: Redis[] = [];
const prefixes: string[] = [];

/** A fresh namespace per test (under the run's REDIS_PREFIX, which the global teardown deletes). */
function newPrefix(): string {
  const prefix = `${process.env.REDIS_PREFIX ?? 'lptest'}:rl-spec:${randomUUID()}`;
  prefixes.push(prefix);
  return prefix;
}

async function rejection(promise: Promise<unknown>): Promise<RateLimitWait> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof RateLimitWait) return err;
    throw err;
  }
  throw new Error('expected acquire() to reject with RateLimitWait');
}

function times<T>(n: number, fn: (i: number) => Promise<T>): Promise<T[]> {
  return Promise.all(Array.from({ length: n }, (_, i) => fn(i)));
}

beforeAll(() => {
  procs = [0, 1, 2].map(() => new IORedis(REDIS_URL));
});

afterAll(async () => {
  for (const prefix of prefixes) {
    const keys = await procs[0].keys(`${prefix}:*`);
    if (keys.length) await procs[0].del(...keys);
  }
  await Promise.all(procs.map((redis) => redis.quit()));
});

describe('LedgerRateLimiter', () => {
  it('never lets more than `concurrent` calls be in flight across processes, and all of them run', async () => {
    const prefix = newPrefix();
    const key = 'qbo:realm-1';
    const spec: LimitSpec = { perMinute: 1000, concurrent: 3 };
    const limiters = procs.map((redis) => new LedgerRateLimiter(redis, prefix));

    let held = 0;
    let maxHeld = 0;
    let completed = 0;
    let maxSeenByRedis = 0;
    let racing = true;
    // Independent observer: what Redis itself reports as in flight while the race runs.
    const observer = (async () => {
      while (racing) {
        maxSeenByRedis = Math.max(maxSeenByRedis, (await limiters[0].usage(key)).inFlight);
        await sleep(2);
      }
    })();

    await times(30, async (i) => {
      const lease = await limiters[i % 3].acquire(key, spec, { maxWaitMs: 30_000 });
      held += 1;
      maxHeld = Math.max(maxHeld, held);
      await sleep(5 + Math.random() * 15);
      held -= 1; // before release: once Redis drops the lease another process may start at once
      await lease.release();
      completed += 1;
    });
    racing = false;
    await observer;

    expect(completed).toBe(30);
    expect(maxHeld).toBeLessThanOrEqual(3);
    expect(maxHeld).toBe(3); // the allowance is actually used
    expect(maxSeenByRedis).toBeLessThanOrEqual(3);
    expect(await limiters[1].usage(key)).toEqual({ minute: 30, day: 0, inFlight: 0, pausedForMs: 0 });
  });

  it('wakes a waiter promptly when another process releases, without waiting for the lease to expire', async () => {
    const prefix = newPrefix();
    const a = new LedgerRateLimiter(procs[0], prefix); // default lease ttl: 60 s
    const b = new LedgerRateLimiter(procs[1], prefix);
    const spec: LimitSpec = { perMinute: 100, concurrent: 1 };
    const first = await a.acquire('xero:t', spec);

    const started = performance.now();
    const waiting = b.acquire('xero:t', spec, { maxWaitMs: 10_000 });
    await sleep(100);
    await first.release();
    const second = await waiting;
    const elapsed = performance.now() - started;

    expect(elapsed).toBeGreaterThanOrEqual(90);
    expect(elapsed).toBeLessThan(5_000); // far below the 60 s lease ttl
    await second.release();
  });

  it('allows perMinute calls at once, then reports a wait of about 60 s + safety', async () => {
    const prefix = newPrefix();
    const limiters = procs.map((redis) => new LedgerRateLimiter(redis, prefix, { safetyMs: 200 }));
    const spec: LimitSpec = { perMinute: 20, concurrent: 50 };

    const leases = await times(20, (i) => limiters[i % 3].acquire('qbo:r', spec, { maxWaitMs: 0 }));
    const err = await rejection(limiters[0].acquire('qbo:r', spec, { maxWaitMs: 100 }));

    expect(err.retryAfterMs).toBeLessThanOrEqual(MINUTE + 200);
    expect(err.retryAfterMs).toBeGreaterThan(MINUTE + 200 - 5_000);
    await Promise.all(leases.map((lease) => lease.release()));
    expect(await limiters[2].usage('qbo:r')).toEqual({ minute: 20, day: 0, inFlight: 0, pausedForMs: 0 });
  });

  it('frees minute slots exactly when the oldest calls leave the 60 s + safety window (injected clock)', async () => {
    const prefix = newPrefix();
    let t = 1_700_000_000_000;
    const limiter = new LedgerRateLimiter(procs[0], prefix, { safetyMs: 200, now: () => t });
    const spec: LimitSpec = { perMinute: 20, concurrent: 50 };
    const take = async (): Promise<void> => (await limiter.acquire('k', spec, { maxWaitMs: 0 })).release();

    for (let i = 0; i < 10; i++) await take();
    t += 30_000;
    for (let i = 0; i < 10; i++) await take();
    expect((await rejection(limiter.acquire('k', spec, { maxWaitMs: 0 }))).retryAfterMs).toBe(30_200);

    t += 30_199;
    expect((await rejection(limiter.acquire('k', spec, { maxWaitMs: 0 }))).retryAfterMs).toBe(1);
    t += 1;
    for (let i = 0; i < 10; i++) await take(); // the first ten left the window together
    expect((await rejection(limiter.acquire('k', spec, { maxWaitMs: 0 }))).retryAfterMs).toBe(30_000);
    expect((await limiter.usage('k')).minute).toBe(20);
  });

  it('caps calls per rolling day and reports a wait of about 24 h', async () => {
    const prefix = newPrefix();
    const limiter = new LedgerRateLimiter(procs[0], prefix);
    const spec: LimitSpec = { perMinute: 1000, concurrent: 10, perDay: 5 };

    for (let i = 0; i < 5; i++) await (await limiter.acquire('xero:t', spec, { maxWaitMs: 0 })).release();
    const err = await rejection(limiter.acquire('xero:t', spec, { maxWaitMs: 100 }));

    // A call counts for 24 h + safety (1 s), rounded up to the end of its minute bucket.
    expect(err.retryAfterMs).toBeGreaterThan(DAY - 5_000);
    expect(err.retryAfterMs).toBeLessThanOrEqual(DAY + MINUTE + 1000);
    expect(await limiter.usage('xero:t')).toMatchObject({ minute: 5, day: 5, inFlight: 0 });
  });

  it('frees day slots bucket by bucket as they leave the window (injected clock)', async () => {
    const prefix = newPrefix();
    const t0 = 1_700_000_000_000 + 12_345; // not on a minute boundary
    let t = t0;
    const limiter = new LedgerRateLimiter(procs[0], prefix, { safetyMs: 1000, now: () => t });
    const spec: LimitSpec = { perMinute: 1000, concurrent: 10, perDay: 5 };
    const take = async (): Promise<void> => (await limiter.acquire('k', spec, { maxWaitMs: 0 })).release();
    const bucketEnd = (time: number): number => (Math.floor(time / MINUTE) + 1) * MINUTE;

    await take();
    await take();
    t = t0 + 10 * MINUTE;
    await take();
    await take();
    await take();
    const firstFree = bucketEnd(t0) + DAY + 1000;
    expect((await rejection(limiter.acquire('k', spec, { maxWaitMs: 0 }))).retryAfterMs).toBe(firstFree - t);

    t = firstFree - 1;
    expect((await rejection(limiter.acquire('k', spec, { maxWaitMs: 0 }))).retryAfterMs).toBe(1);
    t = firstFree;
    await take(); // the first bucket's two calls left the window
    await take();
    const secondFree = bucketEnd(t0 + 10 * MINUTE) + DAY + 1000;
    expect((await rejection(limiter.acquire('k', spec, { maxWaitMs: 0 }))).retryAfterMs).toBe(secondFree - t);
    expect((await limiter.usage('k')).day).toBe(5);
  });

  it('after pause(), nobody starts a call on the key until the pause is over', async () => {
    const prefix = newPrefix();
    const a = new LedgerRateLimiter(procs[0], prefix);
    const b = new LedgerRateLimiter(procs[1], prefix);
    const spec: LimitSpec = { perMinute: 100, concurrent: 5 };

    const started = performance.now();
    await a.pause('qbo:r', 300);
    await a.pause('qbo:r', 50); // a shorter pause does not cut the longer one short
    expect((await b.usage('qbo:r')).pausedForMs).toBeGreaterThan(100);
    const err = await rejection(b.acquire('qbo:r', spec, { maxWaitMs: 50 }));
    expect(err.retryAfterMs).toBeGreaterThan(50);
    expect(err.retryAfterMs).toBeLessThanOrEqual(300);

    const lease = await b.acquire('qbo:r', spec, { maxWaitMs: 5_000 });
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    expect(await b.usage('qbo:r')).toMatchObject({ inFlight: 1, pausedForMs: 0 });
    await lease.release();
  });

  it('frees the slot of a lease that is never released after leaseTtlMs', async () => {
    const prefix = newPrefix();
    const crashed = new LedgerRateLimiter(procs[0], prefix, { leaseTtlMs: 300 });
    // The survivor's own leases live long, so the lease set itself stays alive: only the script's expiry
    // of the crashed lease can free its slot.
    const survivor = new LedgerRateLimiter(procs[1], prefix, { leaseTtlMs: 30_000 });
    const spec: LimitSpec = { perMinute: 100, concurrent: 2 };

    const started = performance.now();
    await crashed.acquire('xero:t', spec); // its process "dies": never released
    const held = await survivor.acquire('xero:t', spec);
    await rejection(survivor.acquire('xero:t', spec, { maxWaitMs: 50 }));
    const lease = await survivor.acquire('xero:t', spec, { maxWaitMs: 5_000 });
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    expect((await survivor.usage('xero:t')).inFlight).toBe(2);

    await lease.release();
    await lease.release(); // idempotent
    expect((await survivor.usage('xero:t')).inFlight).toBe(1);
    await held.release();
    expect((await survivor.usage('xero:t')).inFlight).toBe(0);
  });

  it('keeps limiters with different prefixes, and different keys, apart', async () => {
    const prefixA = newPrefix();
    const prefixB = newPrefix();
    const a = new LedgerRateLimiter(procs[0], prefixA);
    const b = new LedgerRateLimiter(procs[1], prefixB);
    const spec: LimitSpec = { perMinute: 2, concurrent: 2, perDay: 2 };
    const take = (limiter: LedgerRateLimiter, key: string): Promise<Lease> =>
      limiter.acquire(key, spec, { maxWaitMs: 0 });

    await take(a, 'qbo:1');
    await take(a, 'qbo:1');
    await a.pause('qbo:1', 10_000);
    await rejection(take(a, 'qbo:1'));

    await take(b, 'qbo:1');
    await take(b, 'qbo:1');
    await take(a, 'qbo:2');
    expect(await a.usage('qbo:1')).toMatchObject({ minute: 2, day: 2, inFlight: 2 });
    expect(await a.usage('qbo:2')).toMatchObject({ minute: 1, day: 1, inFlight: 1, pausedForMs: 0 });
    expect(await b.usage('qbo:1')).toMatchObject({ minute: 2, day: 2, inFlight: 2, pausedForMs: 0 });
    expect(await procs[2].keys(`${prefixA}:rl:*`)).toHaveLength(7); // 4 keys for qbo:1, 3 for qbo:2
  });

  it('takes all the slots of a multi-request call at once, or none of them', async () => {
    const limiter = new LedgerRateLimiter(procs[0], newPrefix(), { safetyMs: 200 });
    const spec: LimitSpec = { perMinute: 5, concurrent: 3 };
    const three = await limiter.acquire('qbo:9', spec, { slots: 3, maxWaitMs: 0 });
    expect(await limiter.usage('qbo:9')).toMatchObject({ minute: 3, inFlight: 3 });
    // No room for two more in flight: nothing is taken while it waits.
    await rejection(limiter.acquire('qbo:9', spec, { slots: 2, maxWaitMs: 0 }));
    expect(await limiter.usage('qbo:9')).toMatchObject({ minute: 3, inFlight: 3 });
    await three.release();
    expect(await limiter.usage('qbo:9')).toMatchObject({ minute: 3, inFlight: 0 });
    const two = await limiter.acquire('qbo:9', spec, { slots: 2, maxWaitMs: 0 });
    // The minute is now full (5): one more must wait for the oldest to leave the window.
    const wait = await rejection(limiter.acquire('qbo:9', spec, { maxWaitMs: 0 }));
    expect(wait.retryAfterMs).toBeGreaterThan(MINUTE);
    await two.release();
    await expect(limiter.acquire('qbo:9', spec, { slots: 4 })).rejects.toThrow(RangeError);
  });

  it('rejects a malformed spec', async () => {
    const limiter = new LedgerRateLimiter(procs[0], newPrefix());
    await expect(limiter.acquire('k', { perMinute: 0, concurrent: 1 })).rejects.toThrow(RangeError);
    await expect(limiter.acquire('k', { perMinute: 5, concurrent: 1.5 })).rejects.toThrow(RangeError);
  });
});

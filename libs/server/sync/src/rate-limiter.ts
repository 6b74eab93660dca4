import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';

/**
 * Published limits of one provider key (e.g. `qbo:<realmId>` or `xero:<tenantId>`).
 * QuickBooks Online: `{ perMinute: 500, concurrent: 10 }` per realm.
 * Xero: `{ perMinute: 60, concurrent: 5, perDay: 5000 }` per tenant.
 */
export interface LimitSpec {
  perMinute: number;
  concurrent: number;
  perDay?: number;
}

/** One in-flight call. Release it when the provider has answered (or the call failed). */
export interface Lease {
  release(): Promise<void>;
}

/** The next free slot is further away than the caller was willing to wait: delay the job by `retryAfterMs`. */
export class RateLimitWait extends Error {
  constructor(readonly retryAfterMs: number) {
    super(`Rate limited: next slot in ${retryAfterMs} ms`);
    this.name = 'RateLimitWait';
  }
}

export interface LedgerRateLimiterOptions {
  /** Extra time a call keeps counting against the rolling minute/day windows (default 1000 ms). */
  safetyMs?: number;
  /** An unreleased lease frees its in-flight slot after this long (default 60 000 ms). */
  leaseTtlMs?: number;
  /**
   * Test hook only: a clock in epoch ms used instead of the Redis server clock. Every process sharing
   * a key must then use the same clock; production code must leave it unset.
   */
  now?: () => number;
}

/** How soon a caller blocked only by the in-flight limit retries: a release can come at any moment. */
const IN_FLIGHT_RETRY_MS = 25;
const IN_FLIGHT_RETRY_JITTER_MS = 25;

/*
 * Redis layout, per limiter key K (all under one hash tag, so the script also runs on Redis Cluster):
 *   <prefix>:rl:{K}:m  ZSET  lease id -> start time (ms): calls started within the last 60 s + safety
 *   <prefix>:rl:{K}:l  ZSET  lease id -> lease expiry (ms): calls in flight
 *   <prefix>:rl:{K}:d  HASH  minute bucket (floor(t / 60 s)) -> calls started in that minute,
 *                            plus 't' (running total) and 'o' (oldest bucket present)
 *   <prefix>:rl:{K}:p  STRING, PX = remaining pause after a 429 with Retry-After
 *
 * Why buckets for the day and not a ZSET: a Xero tenant at its cap holds 5,000 calls per rolling day; as
 * ZSET members that is ~5,000 skiplist nodes (~0.5 MB) per tenant. Minute buckets hold at most 1,441
 * small hash fields whatever the call rate, and with the running total and the oldest-bucket pointer
 * each check is O(1) amortised (it only touches buckets as they expire; nothing sums 1,440 fields).
 * The cost is precision: a bucket counts until its *last* possible call leaves the day window, so a
 * call may count up to 60 s longer than 24 h + safety. That errs on the safe side (never a 429) and
 * loses at most one minute of the daily allowance's reuse. The minute window (≤ 500 members) stays an
 * exact log, where a bucket's error would be large compared with the window.
 */
const LUA_HELPERS = `
local function clock(arg)
  local n = tonumber(arg)
  if n and n >= 0 then return n end
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

-- Only ever lengthen a key's TTL (processes may be configured with different ttl/safety values).
local function extend(key, ttl)
  if redis.call('PTTL', key) < ttl then redis.call('PEXPIRE', key, ttl) end
end

-- Drops day buckets whose every call has left the window; returns the total still counted and the
-- oldest bucket present. Bucket b counts until (b + 1) * 60 s + dayWin.
local function trimDay(key, now, dayWin)
  local total = tonumber(redis.call('HGET', key, 't') or '0')
  if total <= 0 then return 0, nil end
  local o = tonumber(redis.call('HGET', key, 'o'))
  local cur = math.floor(now / 60000)
  local moved = false
  while total > 0 and o <= cur do
    local c = redis.call('HGET', key, o)
    if c then
      if (o + 1) * 60000 + dayWin > now then break end
      total = total - tonumber(c)
      redis.call('HDEL', key, o)
    end
    o = o + 1
    moved = true
  end
  if total <= 0 then
    redis.call('DEL', key)
    return 0, nil
  end
  if moved then redis.call('HSET', key, 't', total, 'o', o) end
  return total, o
end
`;

/*
 * KEYS: 1 minute log, 2 leases, 3 day buckets, 4 pause
 * ARGV: 1 lease id, 2 perMinute, 3 concurrent, 4 perDay (0 = none), 5 safetyMs, 6 leaseTtlMs, 7 now (-1 = TIME),
 *       8 slots (the requests the call makes at once; default 1)
 * Returns {1, 0, 0} when the call was recorded and the lease taken, otherwise {0, waitMs, leaseWaitMs}:
 * waitMs = time until the pause, minute and day limits all allow a call (0 if they already do);
 * leaseWaitMs = time until the in-flight limit frees by lease expiry (0 if not at the limit).
 */
const ACQUIRE_LUA = `${LUA_HELPERS}
local now = clock(ARGV[7])
local perMinute = tonumber(ARGV[2])
local concurrent = tonumber(ARGV[3])
local perDay = tonumber(ARGV[4])
local safety = tonumber(ARGV[5])
local leaseTtl = tonumber(ARGV[6])
local minWin = 60000 + safety
local dayWin = 86400000 + safety
-- How many requests this call makes at once: all its slots are taken together, or none.
local n = tonumber(ARGV[8] or '1')

redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - minWin)
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)

local wait = 0
local paused = redis.call('PTTL', KEYS[4])
if paused > 0 then wait = paused end

local m = redis.call('ZCARD', KEYS[1])
if m + n > perMinute then
  -- The (m + n - perMinute)-th oldest call must leave the window before n more may start.
  local e = redis.call('ZRANGE', KEYS[1], m + n - perMinute - 1, m + n - perMinute - 1, 'WITHSCORES')
  local w = tonumber(e[2]) + minWin - now
  if w > wait then wait = w end
end

local dayTotal, oldest = 0, nil
local cur = math.floor(now / 60000)
if perDay > 0 then
  dayTotal, oldest = trimDay(KEYS[3], now, dayWin)
  if dayTotal >= perDay then
    local need = dayTotal - perDay + n
    local b = oldest
    local acc = 0
    while b < cur do
      local c = redis.call('HGET', KEYS[3], b)
      if c then
        acc = acc + tonumber(c)
        if acc >= need then break end
      end
      b = b + 1
    end
    local w = (b + 1) * 60000 + dayWin - now
    if w > wait then wait = w end
  end
end

local leaseWait = 0
local inFlight = redis.call('ZCARD', KEYS[2])
if inFlight + n > concurrent then
  local e = redis.call('ZRANGE', KEYS[2], inFlight + n - concurrent - 1, inFlight + n - concurrent - 1, 'WITHSCORES')
  leaseWait = tonumber(e[2]) - now
  if leaseWait < 1 then leaseWait = 1 end
end

if wait > 0 or leaseWait > 0 then return {0, wait, leaseWait} end

for i = 1, n do
  local member = ARGV[1] .. ':' .. i
  redis.call('ZADD', KEYS[1], now, member)
  redis.call('ZADD', KEYS[2], now + leaseTtl, member)
end
extend(KEYS[1], minWin)
extend(KEYS[2], leaseTtl)
if perDay > 0 then
  redis.call('HINCRBY', KEYS[3], cur, n)
  redis.call('HSET', KEYS[3], 't', dayTotal + n, 'o', oldest or cur)
  extend(KEYS[3], (cur + 1) * 60000 + dayWin - now)
end
return {1, 0, 0}
`;

/* KEYS: 1 pause. ARGV: 1 ms. Never shortens a longer pause already in place. */
const PAUSE_LUA = `
local ms = tonumber(ARGV[1])
if redis.call('PTTL', KEYS[1]) < ms then redis.call('SET', KEYS[1], '1', 'PX', ms) end
return 1
`;

/*
 * KEYS: as for acquire. ARGV: 1 safetyMs, 2 now (-1 = TIME).
 * Returns {minute, day, inFlight, pausedForMs}: what currently counts against each limit.
 */
const USAGE_LUA = `${LUA_HELPERS}
local now = clock(ARGV[2])
local safety = tonumber(ARGV[1])
local minute = redis.call('ZCOUNT', KEYS[1], '(' .. (now - 60000 - safety), '+inf')
local inFlight = redis.call('ZCOUNT', KEYS[2], '(' .. now, '+inf')
local day = trimDay(KEYS[3], now, 86400000 + safety)
local paused = redis.call('PTTL', KEYS[4])
if paused < 0 then paused = 0 end
return {minute, day, inFlight, paused}
`;

type Keys = [string, string, string, string];

interface LimiterCommands {
  ledgerRlAcquire(...args: [...Keys, ...(string | number)[]]): Promise<[number, number, number]>;
  ledgerRlUsage(...args: [...Keys, ...(string | number)[]]): Promise<[number, number, number, number]>;
  ledgerRlPause(key: string, ms: number): Promise<number>;
}

/** Registers the scripts once per connection; ioredis then runs them by EVALSHA (EVAL on a cache miss). */
function withCommands(redis: Redis): Redis & LimiterCommands {
  if (!('ledgerRlAcquire' in redis)) {
    redis.defineCommand('ledgerRlAcquire', { numberOfKeys: 4, lua: ACQUIRE_LUA });
    redis.defineCommand('ledgerRlUsage', { numberOfKeys: 4, lua: USAGE_LUA });
    redis.defineCommand('ledgerRlPause', { numberOfKeys: 1, lua: PAUSE_LUA });
  }
  return redis as Redis & LimiterCommands;
}

function assertCount(name: string, value: number | undefined): void {
  if (value === undefined) return;
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new RangeError(`LimitSpec.${name} must be a positive integer, got ${value}`);
  }
}

/**
 * Keeps calls to a ledger provider inside its published limits, across every worker process, through
 * one atomic Redis script per attempt (see ACQUIRE_LUA). All processes use the Redis server clock, so
 * skewed host clocks do not matter; waits are sleeps of exactly the time the script computed, except
 * for the in-flight limit, which a release can lift at any time and is therefore retried every ~25-50 ms.
 */
export class LedgerRateLimiter {
  private readonly redis: Redis & LimiterCommands;
  private readonly safetyMs: number;
  private readonly leaseTtlMs: number;
  private readonly now?: () => number;
  private readonly idPrefix = randomBytes(6).toString('base64url');
  private seq = 0;

  constructor(
    redis: Redis,
    private readonly prefix: string,
    opts: LedgerRateLimiterOptions = {},
  ) {
    this.redis = withCommands(redis);
    this.safetyMs = Math.max(0, Math.ceil(opts.safetyMs ?? 1000));
    this.leaseTtlMs = Math.max(1, Math.ceil(opts.leaseTtlMs ?? 60_000));
    this.now = opts.now;
  }

  /**
   * Resolves with a lease when a call may start: under the per-minute, per-day and in-flight limits and
   * not paused. If the next slot is further away than `maxWaitMs` (default 5000), rejects with
   * RateLimitWait so the job can be delayed instead of holding a worker.
   */
  async acquire(key: string, spec: LimitSpec, opts: { maxWaitMs?: number; slots?: number } = {}): Promise<Lease> {
    assertCount('perMinute', spec.perMinute);
    assertCount('concurrent', spec.concurrent);
    assertCount('perDay', spec.perDay);
    const maxWaitMs = opts.maxWaitMs ?? 5000;
    const slots = opts.slots ?? 1;
    assertCount('slots', slots);
    if (slots > spec.concurrent || slots > spec.perMinute) throw new RangeError(`${slots} slots can never fit under ${JSON.stringify(spec)}`);
    const keys = this.keys(key);
    const id = `${this.idPrefix}${(this.seq++).toString(36)}`;
    const started = performance.now();
    for (;;) {
      const [ok, waitMs, leaseWaitMs] = await this.redis.ledgerRlAcquire(
        ...keys,
        id,
        spec.perMinute,
        spec.concurrent,
        spec.perDay ?? 0,
        this.safetyMs,
        this.leaseTtlMs,
        this.clock(),
        slots,
      );
      if (ok === 1) return this.lease(keys[1], id, slots);
      let sleepMs = waitMs;
      if (leaseWaitMs > 0) {
        const retry = IN_FLIGHT_RETRY_MS + Math.floor(Math.random() * IN_FLIGHT_RETRY_JITTER_MS);
        sleepMs = Math.max(sleepMs, Math.min(leaseWaitMs, retry));
      }
      if (performance.now() - started + sleepMs > maxWaitMs) throw new RateLimitWait(sleepMs);
      await sleep(sleepMs);
    }
  }

  /** The provider answered 429 with Retry-After: nobody starts a call on this key until then. */
  async pause(key: string, ms: number): Promise<void> {
    const pauseMs = Math.ceil(ms);
    if (!Number.isFinite(pauseMs) || pauseMs <= 0) return;
    await this.redis.ledgerRlPause(this.keys(key)[3], pauseMs);
  }

  /**
   * For dashboards/tests: calls counting against the rolling minute and day windows (each window is
   * extended by safetyMs, as in acquire), leases in flight now, and the remaining pause.
   */
  async usage(key: string): Promise<{ minute: number; day: number; inFlight: number; pausedForMs: number }> {
    const [minute, day, inFlight, pausedForMs] = await this.redis.ledgerRlUsage(
      ...this.keys(key),
      this.safetyMs,
      this.clock(),
    );
    return { minute, day, inFlight, pausedForMs };
  }

  private lease(leaseKey: string, id: string, slots: number): Lease {
    let done: Promise<void> | undefined;
    const members = Array.from({ length: slots }, (_, i) => `${id}:${i + 1}`);
    return {
      release: () => {
        done ??= this.redis.zrem(leaseKey, ...members).then(
          () => undefined,
          (err: unknown) => {
            done = undefined; // let the caller retry; otherwise the lease simply expires after leaseTtlMs
            throw err;
          },
        );
        return done;
      },
    };
  }

  private keys(key: string): Keys {
    const base = `${this.prefix}:rl:{${key}}`;
    return [`${base}:m`, `${base}:l`, `${base}:d`, `${base}:p`];
  }

  private clock(): number {
    return this.now ? Math.floor(this.now()) : -1;
  }
}

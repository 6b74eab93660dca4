import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { LedgerRateLimited, type ProviderName } from '@ledgerport/ledger';
import { APP_CONFIG, type AppConfig } from '@ledgerport/server/config';
import { AppException } from '@ledgerport/server/errors';
import { REDIS } from '@ledgerport/server/jobs';
import { LedgerRateLimiter, RateLimitWait, type Lease, type LimitSpec } from './rate-limiter';

/** The providers' published limits, per realm / tenant. */
export const PROVIDER_LIMITS: Record<ProviderName, LimitSpec> = {
  qbo: { perMinute: 500, concurrent: 10 },
  xero: { perMinute: 60, concurrent: 5, perDay: 5000 },
};

/**
 * Every call the product makes to a ledger company — from the worker or from the API (connecting,
 * Refresh) — goes through here, so the shared limiter knows all of them. A call reserves one slot
 * per request it makes at once; a 429 pauses the company for the time the provider names.
 */
@Injectable()
export class LedgerLimits {
  private readonly limiter: LedgerRateLimiter;

  constructor(
    @Inject(REDIS) redis: Redis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.limiter = new LedgerRateLimiter(redis, config.REDIS_PREFIX);
  }

  async run<T>(provider: ProviderName, externalId: string, requests: number, work: () => Promise<T>, maxWaitMs = 5000): Promise<T> {
    if (this.config.SYNC_RATE_LIMITS === 'off') return work();
    const key = `${provider}:${externalId}`;
    const leases = await this.leases(key, provider, requests, maxWaitMs);
    try {
      return await work();
    } catch (err) {
      if (err instanceof LedgerRateLimited) await this.limiter.pause(key, err.retryAfterMs);
      throw err;
    } finally {
      await Promise.all(leases.map((l) => l.release()));
    }
  }

  /** For the API: a wait longer than a person should hold on becomes 429 LEDGER_RATE_LIMITED. */
  async forRequest<T>(provider: ProviderName, externalId: string, requests: number, work: () => Promise<T>): Promise<T> {
    try {
      return await this.run(provider, externalId, requests, work);
    } catch (err) {
      if (!(err instanceof RateLimitWait)) throw err;
      throw new AppException(HttpStatus.TOO_MANY_REQUESTS, 'LEDGER_RATE_LIMITED', 'The ledger is busy with this company right now. Try again in a minute.', {
        retryAfterSeconds: Math.ceil(err.retryAfterMs / 1000),
      });
    }
  }

  /** `n` slots, or none: a call that cannot get them all gives back what it got. */
  private async leases(key: string, provider: ProviderName, n: number, maxWaitMs: number): Promise<Lease[]> {
    const got: Lease[] = [];
    try {
      for (let i = 0; i < n; i++) got.push(await this.limiter.acquire(key, PROVIDER_LIMITS[provider], { maxWaitMs }));
      return got;
    } catch (err) {
      await Promise.all(got.map((l) => l.release()));
      throw err;
    }
  }
}

/** Requests a call to each reads at once: company details (QuickBooks 3, Xero 4), payees 2, anything else 1. */
export const DETAILS_REQUESTS: Record<ProviderName, number> = { qbo: 3, xero: 4 };

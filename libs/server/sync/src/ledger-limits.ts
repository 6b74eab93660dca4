import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { LedgerRateLimited, type ProviderName } from '@ledgerport/ledger';
import { APP_CONFIG, type AppConfig } from '@ledgerport/server/config';
import { AppException } from '@ledgerport/server/errors';
import { REDIS } from '@ledgerport/server/jobs';
import { LedgerRateLimiter, RateLimitWait, type LimitSpec } from './rate-limiter';

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
    // All the call's slots at once: slots taken one by one could start counting long before the
    // requests leave, and the provider would count them later than we do.
    const lease = await this.limiter.acquire(key, PROVIDER_LIMITS[provider], { maxWaitMs, slots: requests });
    try {
      return await work();
    } catch (err) {
      if (err instanceof LedgerRateLimited) await this.limiter.pause(key, err.retryAfterMs);
      throw err;
    } finally {
      await lease.release();
    }
  }

  /**
   * Counts requests a call has already made without asking (QuickBooks' consent reads the company's
   * name before the product knows the realm): they take slots now, a little later than they were
   * made, which only errs on the safe side.
   */
  async note(provider: ProviderName, externalId: string, requests: number): Promise<void> {
    if (requests > 0) await this.run(provider, externalId, requests, async () => undefined, 30_000).catch(() => undefined);
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
}

/** Requests a call to each reads at once: company details (QuickBooks 3, Xero 4), payees 2, anything else 1. */
export const DETAILS_REQUESTS: Record<ProviderName, number> = { qbo: 3, xero: 4 };
/** Requests a consent's completion makes to the company itself (QuickBooks reads its name). */
export const CONSENT_REQUESTS: Record<ProviderName, number> = { qbo: 1, xero: 0 };

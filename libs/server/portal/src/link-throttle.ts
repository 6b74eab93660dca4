import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { APP_CONFIG, type AppConfig } from '@ledgerport/server/config';
import { AppException } from '@ledgerport/server/errors';
import { REDIS } from '@ledgerport/server/jobs';
import { PortalErrorCode } from './portal.errors';

/**
 * Emailed-link requests (sign-in links, password resets) counted in Redis per email and per IP,
 * whether or not the email is known, so the limit itself reveals nothing.
 */
@Injectable()
export class LinkThrottle {
  private readonly byEmail: RateLimiterRedis;
  private readonly byIp: RateLimiterRedis;

  constructor(@Inject(REDIS) redis: Redis, @Inject(APP_CONFIG) config: AppConfig) {
    const duration = config.LINK_REQUEST_WINDOW_SECONDS;
    this.byEmail = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: `${config.REDIS_PREFIX}:link-request:email`,
      points: config.LINK_REQUESTS_PER_EMAIL,
      duration,
    });
    this.byIp = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: `${config.REDIS_PREFIX}:link-request:ip`,
      points: config.LINK_REQUESTS_PER_IP,
      duration,
    });
  }

  /** Counts one request; throws 429 when this email or IP asked too often. */
  async consume(email: string, ip: string): Promise<void> {
    try {
      await this.byIp.consume(ip);
      await this.byEmail.consume(email);
    } catch (e) {
      if (!(e instanceof RateLimiterRes)) throw e;
      const retryAfterSeconds = Math.max(1, Math.ceil(e.msBeforeNext / 1000));
      const minutes = Math.ceil(retryAfterSeconds / 60);
      throw new AppException(
        HttpStatus.TOO_MANY_REQUESTS,
        PortalErrorCode.TOO_MANY_REQUESTS,
        `Too many links were asked for. Wait ${minutes} minute${minutes === 1 ? '' : 's'} and try again, or use the newest email you received.`,
        { retryAfterSeconds },
      );
    }
  }
}

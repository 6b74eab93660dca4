import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { APP_CONFIG, type AppConfig } from '@ledgerport/server/config';
import { AppException } from '@ledgerport/server/errors';
import { REDIS } from '@ledgerport/server/jobs';
import { AuthErrorCode } from './auth.errors';

/**
 * Failed sign-ins are counted in Redis per email and per IP address (so every API process shares
 * the count). Past the limit, sign-in is refused until the window passes, even with the right password.
 */
@Injectable()
export class LoginThrottle {
  private readonly byEmail: RateLimiterRedis;
  private readonly byIp: RateLimiterRedis;

  constructor(@Inject(REDIS) redis: Redis, @Inject(APP_CONFIG) config: AppConfig) {
    const duration = config.LOGIN_THROTTLE_WINDOW_SECONDS;
    this.byEmail = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: `${config.REDIS_PREFIX}:login-fail:email`,
      points: config.LOGIN_MAX_FAILURES_PER_EMAIL,
      duration,
      blockDuration: duration,
    });
    this.byIp = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: `${config.REDIS_PREFIX}:login-fail:ip`,
      points: config.LOGIN_MAX_FAILURES_PER_IP,
      duration,
      blockDuration: duration,
    });
  }

  /** Throws 429 when this email or IP is locked out. */
  async check(email: string, ip: string): Promise<void> {
    const [e, i] = await Promise.all([this.byEmail.get(email), this.byIp.get(ip)]);
    const blocked = [e, i].filter(
      (r, idx): r is RateLimiterRes =>
        !!r && r.consumedPoints >= (idx === 0 ? this.byEmail.points : this.byIp.points),
    );
    if (blocked.length) this.refuse(Math.max(...blocked.map((r) => r.msBeforeNext)));
  }

  async recordFailure(email: string, ip: string): Promise<void> {
    await Promise.all([this.byEmail.penalty(email, 1), this.byIp.penalty(ip, 1)]);
  }

  async recordSuccess(email: string): Promise<void> {
    await this.byEmail.delete(email);
  }

  private refuse(ms: number): never {
    const retryAfterSeconds = Math.max(1, Math.ceil(ms / 1000));
    const minutes = Math.ceil(retryAfterSeconds / 60);
    throw new AppException(
      HttpStatus.TOO_MANY_REQUESTS,
      AuthErrorCode.TOO_MANY_ATTEMPTS,
      `Too many failed sign-in attempts. Wait ${minutes} minute${minutes === 1 ? '' : 's'} and try again, or reset your password.`,
      { retryAfterSeconds },
    );
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@ledgerport/server/config';

/**
 * The time the portal's links and sessions are judged by. Normally the system clock; with
 * TEST_CLOCK=true (never in production) a test can move it forward, so "this link expired after
 * 6 hours" is tested without waiting 6 hours. SQL receives the time as a parameter, never now().
 */
@Injectable()
export class Clock {
  private offsetMs = 0;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  get movable(): boolean {
    return this.config.TEST_CLOCK;
  }

  /** Moves the clock to system time + offset (tests only). */
  setOffset(ms: number): void {
    if (!this.movable) throw new Error('The clock can only be moved when TEST_CLOCK=true');
    this.offsetMs = ms;
  }

  get offset(): number {
    return this.offsetMs;
  }
}

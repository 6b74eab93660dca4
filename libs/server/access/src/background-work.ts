import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';

/**
 * Work a request starts but does not wait for, so its answer takes the same time whatever the work
 * finds (e.g. a sign-in link request for a known or unknown email). Failures are logged; shutdown
 * waits for what is still running.
 */
@Injectable()
export class BackgroundWork implements OnApplicationShutdown {
  private readonly logger = new Logger(BackgroundWork.name);
  private readonly running = new Set<Promise<void>>();

  run(name: string, work: () => Promise<unknown>): void {
    // setImmediate: start only once the current request's answer has been written.
    const p: Promise<void> = new Promise<void>((resolve) => setImmediate(resolve))
      .then(work)
      .then(
        () => undefined,
        (err: unknown) => this.logger.error({ err: (err as Error)?.message, work: name }, 'Background work failed'),
      )
      .finally(() => this.running.delete(p));
    this.running.add(p);
  }

  /** Resolves when everything started so far has finished. */
  async idle(): Promise<void> {
    while (this.running.size) await Promise.all([...this.running]);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.idle();
  }
}

import type { Params } from 'nestjs-pino';
import type { AppConfig } from '@ledgerport/server/config';

/** Structured JSON logs; cookies, tokens and passwords never reach them. */
export function loggerOptions(config: AppConfig): Params {
  return {
    pinoHttp: {
      level: config.NODE_ENV === 'test' ? 'silent' : config.LOG_LEVEL,
      redact: {
        paths: [
          'req.headers.cookie',
          'req.headers.authorization',
          'req.headers["x-csrf-token"]',
          'res.headers["set-cookie"]',
          '*.password',
          '*.token',
        ],
        censor: '[redacted]',
      },
      // Paths and query strings may carry link tokens: log neither.
      serializers: {
        req: (req: { method: string; url: string; id: string }) => ({ id: req.id, method: req.method, url: redactUrl(req.url) }),
      },
      autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/readyz' },
      ...(config.NODE_ENV === 'development' && process.stdout.isTTY ? { transport: { target: 'pino-pretty', options: { singleLine: true } } } : {}),
    },
  };
}

/**
 * `/api/v1/auth/password-tokens/<token>?x=y` → `/api/v1/auth/password-tokens/[redacted]`; likewise the
 * portal's `sign-in-link/<token>` and `password-reset/<token>` (but not `sign-in-link/sign-in`).
 */
export function redactUrl(url: string): string {
  return url
    .split('?')[0]
    .replace(/(\/password-tokens\/)[^/]+/, '$1[redacted]')
    .replace(/(\/portal\/auth\/(?:sign-in-link|password-reset)\/)(?!sign-in$)[^/]+/, '$1[redacted]');
}

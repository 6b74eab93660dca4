import { loadConfig } from '@ledgerport/server/config';
import { loggerOptions, redactUrl } from './logger';

describe('request logging', () => {
  it('never logs a link token from the path or the query string', () => {
    expect(redactUrl('/api/v1/auth/password-tokens/abcDEF123_-xyz')).toBe('/api/v1/auth/password-tokens/[redacted]');
    expect(redactUrl('/set-password?token=secret')).toBe('/set-password');
    expect(redactUrl('/api/v1/clients')).toBe('/api/v1/clients');
  });

  it('redacts cookies, authorization and CSRF headers', () => {
    const opts = loggerOptions(loadConfig({})).pinoHttp as { redact: { paths: string[] } };
    expect(opts.redact.paths).toEqual(
      expect.arrayContaining(['req.headers.cookie', 'req.headers.authorization', 'req.headers["x-csrf-token"]', 'res.headers["set-cookie"]']),
    );
  });
});

import { loadConfig } from '@ledgerport/server/config';
import { loggerOptions, redactUrl } from './logger';

describe('request logging', () => {
  it('never logs a link token from the path or the query string', () => {
    expect(redactUrl('/api/v1/auth/password-tokens/abcDEF123_-xyz')).toBe('/api/v1/auth/password-tokens/[redacted]');
    expect(redactUrl('/set-password?token=secret')).toBe('/set-password');
    expect(redactUrl('/api/v1/clients')).toBe('/api/v1/clients');
    expect(redactUrl('/api/v1/portal/auth/sign-in-link/Dg3bUr7bYHL5kfGc')).toBe('/api/v1/portal/auth/sign-in-link/[redacted]');
    expect(redactUrl('/api/v1/portal/auth/password-reset/Dg3bUr7bYHL5kfGc')).toBe('/api/v1/portal/auth/password-reset/[redacted]');
    expect(redactUrl('/api/v1/portal/auth/sign-in-link/sign-in')).toBe('/api/v1/portal/auth/sign-in-link/sign-in');
    expect(redactUrl('/portal/northwind/sign-in-link?token=secret')).toBe('/portal/northwind/sign-in-link');
    expect(redactUrl('/api/v1/auth/google/callback?code=abc&state=def')).toBe('/api/v1/auth/google/callback');
  });

  it('redacts cookies, authorization and CSRF headers', () => {
    const opts = loggerOptions(loadConfig({})).pinoHttp as { redact: { paths: string[] } };
    expect(opts.redact.paths).toEqual(
      expect.arrayContaining(['req.headers.cookie', 'req.headers.authorization', 'req.headers["x-csrf-token"]', 'res.headers["set-cookie"]']),
    );
  });
});

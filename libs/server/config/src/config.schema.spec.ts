import { ConfigError, loadConfig, redactedConfig } from './config.schema';

describe('loadConfig', () => {
  it('gives development defaults and sends mail to the outbox without SMTP_URL', () => {
    const c = loadConfig({});
    expect(c.PORT).toBe(3000);
    expect(c.mailToOutbox).toBe(true);
    expect(c.isProduction).toBe(false);
  });

  it('reads the pool size and proxy trust from the environment, validated', () => {
    expect(loadConfig({ DATABASE_POOL_SIZE: '25', TRUST_PROXY: 'true' })).toMatchObject({ DATABASE_POOL_SIZE: 25, TRUST_PROXY: true });
    expect(loadConfig({}).TRUST_PROXY).toBe(false);
    expect(() => loadConfig({ TRUST_PROXY: 'yes' })).toThrow(/TRUST_PROXY/);
    expect(() => loadConfig({ DATABASE_POOL_SIZE: '0' })).toThrow(/DATABASE_POOL_SIZE/);
  });

  it('refuses a malformed value with a sentence naming the variable', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => loadConfig({ ENCRYPTION_KEY: 'short' })).toThrow(/ENCRYPTION_KEY must be 32 random bytes/);
  });

  it('fails in production until every secret and service is set', () => {
    let message = '';
    try {
      loadConfig({ NODE_ENV: 'production' });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/SESSION_SECRET/);
    expect(message).toMatch(/ENCRYPTION_KEY/);
    expect(message).toMatch(/SMTP_URL/);
    const ok = loadConfig({
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://u@db:5432/lp',
      REDIS_URL: 'redis://cache:6379',
      APP_URL: 'https://lp.example.com',
      SESSION_SECRET: 'x'.repeat(48),
      ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
      SMTP_URL: 'smtp://mail:25',
    });
    expect(ok.mailToOutbox).toBe(false);
  });

  it('never exposes secrets in its loggable form', () => {
    const c = loadConfig({ SESSION_SECRET: 's'.repeat(40), OPERATOR_TOKEN: 'o'.repeat(30) });
    const r = redactedConfig(c);
    expect(JSON.stringify(r)).not.toContain('s'.repeat(40));
    expect(r.OPERATOR_TOKEN).toBe('[redacted]');
  });
});

describe('loadConfig: portal sign-in options', () => {
  it('enables Google sign-in only with both the client id and secret', () => {
    expect(loadConfig({}).googleEnabled).toBe(false);
    expect(loadConfig({ GOOGLE_CLIENT_ID: 'id', GOOGLE_CLIENT_SECRET: 'secret' })).toMatchObject({
      googleEnabled: true,
      GOOGLE_ISSUER_URL: 'https://accounts.google.com',
    });
    expect(() => loadConfig({ GOOGLE_CLIENT_ID: 'id' })).toThrow(/GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET/);
    expect(() => loadConfig({ GOOGLE_ISSUER_URL: 'not a url' })).toThrow(/GOOGLE_ISSUER_URL/);
  });

  it('keeps the Google client secret out of logged configuration', () => {
    const c = loadConfig({ GOOGLE_CLIENT_ID: 'id', GOOGLE_CLIENT_SECRET: 'hunter2-secret' });
    expect(JSON.stringify(redactedConfig(c))).not.toContain('hunter2-secret');
  });

  it('refuses the test clock in production', () => {
    expect(loadConfig({ TEST_CLOCK: 'true' }).TEST_CLOCK).toBe(true);
    expect(() =>
      loadConfig({
        NODE_ENV: 'production',
        TEST_CLOCK: 'true',
        DATABASE_URL: 'postgres://x@db/x',
        REDIS_URL: 'redis://r:6379',
        APP_URL: 'https://lp.example.com',
        SESSION_SECRET: 'a'.repeat(48),
        ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
        SMTP_URL: 'smtp://mail.example.com:587',
      }),
    ).toThrow(/TEST_CLOCK/);
  });
});

describe('loadConfig: key rotation', () => {
  it('accepts previous encryption keys as a comma-separated list of 32-byte keys, and keeps them out of logs', () => {
    const k = Buffer.alloc(32, 3).toString('base64');
    const c = loadConfig({ ENCRYPTION_KEYS_PREVIOUS: `${k}, ${k}` });
    expect(JSON.stringify(redactedConfig(c))).not.toContain(k);
    expect(() => loadConfig({ ENCRYPTION_KEYS_PREVIOUS: 'short' })).toThrow(/ENCRYPTION_KEYS_PREVIOUS/);
  });
});

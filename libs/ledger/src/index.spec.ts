import {
  createLedgerProvider,
  QUICKBOOKS_DEFAULTS,
  QuickBooksProvider,
  retryAfterMs,
  sandboxSettings,
  XERO_DEFAULTS,
  XeroProvider,
} from './index';

describe('createLedgerProvider', () => {
  const s = sandboxSettings('http://127.0.0.1:3900/', {
    qbo: { redirectUri: 'http://127.0.0.1:3000/api/ledger/qbo/callback' },
    xero: { redirectUri: 'http://127.0.0.1:3000/api/ledger/xero/callback' },
  });

  it('builds the adapter each provider name stands for', () => {
    const qbo = createLedgerProvider('qbo', s.qbo);
    const xero = createLedgerProvider('xero', s.xero);
    expect(qbo).toBeInstanceOf(QuickBooksProvider);
    expect(qbo.name).toBe('qbo');
    expect(xero).toBeInstanceOf(XeroProvider);
    expect(xero.name).toBe('xero');
    expect(() => createLedgerProvider('sage' as 'qbo', s.qbo)).toThrow(/Unknown ledger provider/);
  });

  it('points the sandbox settings at the sandbox’s routes, with its default clients', () => {
    expect(s.qbo).toMatchObject({
      clientId: 'ledgerport-qbo-sandbox',
      authorizeUrl: 'http://127.0.0.1:3900/qbo/connect/oauth2',
      tokenUrl: 'http://127.0.0.1:3900/qbo/oauth2/v1/tokens/bearer',
      revokeUrl: 'http://127.0.0.1:3900/qbo/oauth2/v1/tokens/revoke',
      apiBase: 'http://127.0.0.1:3900',
      environment: 'sandbox',
    });
    expect(s.xero).toMatchObject({
      clientId: 'ledgerport-xero-sandbox',
      identityUrl: 'http://127.0.0.1:3900/xero/identity',
      apiBase: 'http://127.0.0.1:3900/xero/api',
      connectionsUrl: 'http://127.0.0.1:3900/xero/api/connections',
    });
    expect(s.xero.scopes).toContain('offline_access');
  });

  it('defaults to the real services', () => {
    expect(QUICKBOOKS_DEFAULTS).toMatchObject({
      authorizeUrl: 'https://appcenter.intuit.com/connect/oauth2',
      tokenUrl: 'https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer',
      revokeUrl: 'https://developer.api.intuit.com/v2/oauth2/tokens/revoke',
      apiBase: 'https://quickbooks.api.intuit.com',
    });
    expect(XERO_DEFAULTS).toMatchObject({
      identityUrl: 'https://identity.xero.com',
      apiBase: 'https://api.xero.com',
    });
  });
});

describe('retryAfterMs', () => {
  const now = Date.parse('2026-11-23T12:00:00Z');
  it('reads seconds, HTTP dates, and falls back to 60 s', () => {
    expect(retryAfterMs('5', now)).toBe(5000);
    expect(retryAfterMs(['2'], now)).toBe(2000);
    expect(retryAfterMs('Mon, 23 Nov 2026 12:00:30 GMT', now)).toBe(30_000);
    expect(retryAfterMs(undefined, now)).toBe(60_000);
    expect(retryAfterMs('soon', now)).toBe(60_000);
  });
});

import { createHash } from 'node:crypto';
import type { XeroSettings } from '../config';
import {
  LedgerConsentRefused,
  LedgerGrantRevoked,
  LedgerRateLimited,
  LedgerRequestFailed,
  LedgerTokenExpired,
  LedgerUnavailable,
} from '../ledger-provider';
import { formOf, HttpStub, type StubAnswer, type StubRequest } from '../testing/http-stub';
import { parseApiError, XeroProvider } from './xero.provider';

const TENANT = '3f2a7c1e-8d4b-4e6a-9b1c-2d3e4f5a6b7c';
const OTHER_TENANT = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';
const REDIRECT = 'http://app.test/xero/callback';
const NOW = Date.parse('2026-11-23T12:00:00Z');
const basic = `Basic ${Buffer.from('xid:xsecret').toString('base64')}`;
const ACCOUNTS = '/api/api.xro/2.0/Accounts';

const stub = new HttpStub();
let settings: XeroSettings;
let xero: XeroProvider;

/** An access token shaped like Xero's (a JWT; its signature is never checked by the client). */
const accessToken = (claims: Record<string, unknown>) =>
  ['{"alg":"RS256"}', JSON.stringify(claims), 'sig']
    .map((p) => Buffer.from(p).toString('base64url'))
    .join('.');
const AT = accessToken({ authentication_event_id: 'auth-1', sub: 'u' });
const tokenBody = {
  access_token: AT,
  refresh_token: 'rt-1',
  expires_in: 1800,
  token_type: 'Bearer',
  scope: 'offline_access accounting.settings.read',
};

async function failure(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a failure');
}

const problem = (status: number, detail: string, headers: Record<string, string> = {}): StubAnswer => ({
  status,
  body: { Type: null, Title: 'Unauthorized', Status: status, Detail: detail, Instance: 'x', Extensions: {} },
  headers,
});

beforeAll(async () => {
  await stub.start();
  const issuer = `${stub.url}/identity`;
  stub.on('GET', '/identity/.well-known/openid-configuration', {
    status: 200,
    body: {
      issuer,
      authorization_endpoint: `${issuer}/connect/authorize`,
      token_endpoint: `${issuer}/connect/token`,
      revocation_endpoint: `${issuer}/connect/revocation`,
      jwks_uri: `${issuer}/.well-known/openid-configuration/jwks`,
      code_challenge_methods_supported: ['S256'],
    },
  });
  settings = {
    clientId: 'xid',
    clientSecret: 'xsecret',
    redirectUri: REDIRECT,
    identityUrl: issuer,
    apiBase: `${stub.url}/api`,
    connectionsUrl: `${stub.url}/api/connections`,
    scopes: ['offline_access', 'accounting.settings.read', 'payroll.employees.read', 'assets.read'],
    dashboardUrl: 'http://go.xero.test',
  };
  xero = new XeroProvider(settings, { now: () => NOW });
  await xero.startConsent('warm-up'); // discovers the issuer once; the adapter caches it
});
afterEach(() => {
  expect(stub.reset()).toEqual({ pending: [], unexpected: [] });
});
afterAll(() => stub.stop());

describe('XeroProvider: consent', () => {
  it('builds the consent URL on the discovered endpoint with state, nonce and PKCE S256', async () => {
    const start = await xero.startConsent('s-1');
    const url = new URL(start.url);
    expect(`${url.origin}${url.pathname}`).toBe(`${stub.url}/identity/connect/authorize`);
    expect(url.searchParams.get('state')).toBe('s-1');
    expect(url.searchParams.get('nonce')).toBe(start.nonce);
    expect(url.searchParams.get('scope')).toBe(settings.scopes.join(' '));
    expect(url.searchParams.get('redirect_uri')).toBe(REDIRECT);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('code_challenge')).toBe(
      createHash('sha256').update(start.codeVerifier!).digest('base64url'),
    );
  });

  it('maps access_denied on the callback to LedgerConsentRefused', async () => {
    const e = await failure(
      xero.completeConsent(`${REDIRECT}?error=access_denied&state=s-1`, { state: 's-1' }),
    );
    expect(e).toBeInstanceOf(LedgerConsentRefused);
    expect(e.message).toMatch(/cancelled/);
  });

  it('refuses a callback of another flow', async () => {
    await expect(
      xero.completeConsent(`${REDIRECT}?code=c&state=forged`, { state: 's-1', codeVerifier: 'v'.repeat(43) }),
    ).rejects.toThrow(/state mismatch/);
  });

  it('exchanges the code with the PKCE verifier, then lists this consent’s organisations', async () => {
    const verifier = 'v'.repeat(43);
    stub
      .on('POST', '/identity/connect/token', (req: StubRequest) => {
        expect(req.headers.authorization).toBe(basic);
        expect(formOf(req)).toEqual({
          grant_type: 'authorization_code',
          code: 'c-1',
          redirect_uri: REDIRECT,
          code_verifier: verifier,
        });
        return { status: 200, body: tokenBody };
      })
      .on('GET', '/api/connections', (req) => {
        expect(req.headers.authorization).toBe(`Bearer ${AT}`);
        return {
          status: 200,
          body: [
            {
              id: 'c1',
              tenantId: TENANT,
              tenantType: 'ORGANISATION',
              tenantName: 'Birch Dental',
              authEventId: 'auth-1',
            },
            {
              id: 'c2',
              tenantId: 'p1',
              tenantType: 'PRACTICE',
              tenantName: 'A practice',
              authEventId: 'auth-1',
            },
            {
              id: 'c3',
              tenantId: OTHER_TENANT,
              tenantType: 'ORGANISATION',
              tenantName: 'Earlier',
              authEventId: 'auth-0',
            },
          ],
        };
      });
    const { tokens, companies } = await xero.completeConsent(`${REDIRECT}?code=c-1&state=s-1&scope=x`, {
      state: 's-1',
      codeVerifier: verifier,
    });
    expect(companies).toEqual([{ externalId: TENANT, name: 'Birch Dental' }]);
    expect(tokens.accessToken).toBe(AT);
    expect(tokens.refreshToken).toBe('rt-1');
    expect(tokens.refreshExpiresAt).toEqual(new Date(NOW + 60 * 86_400_000));
    expect(tokens.scope).toBe('offline_access accounting.settings.read');
  });

  it('maps a refused code (invalid_grant) to LedgerConsentRefused', async () => {
    stub.on('POST', '/identity/connect/token', { status: 400, body: { error: 'invalid_grant' } });
    await expect(
      xero.completeConsent(`${REDIRECT}?code=used&state=s-1`, { state: 's-1', codeVerifier: 'v'.repeat(43) }),
    ).rejects.toBeInstanceOf(LedgerConsentRefused);
  });
});

describe('XeroProvider: tokens', () => {
  const refreshWith = (answer: StubAnswer) => stub.on('POST', '/identity/connect/token', answer);

  it('refreshes through xero-node’s refreshToken()', async () => {
    stub.on('POST', '/identity/connect/token', (req) => {
      expect(formOf(req)).toEqual({ grant_type: 'refresh_token', refresh_token: 'rt-0' });
      return { status: 200, body: tokenBody };
    });
    const t = await xero.refresh('rt-0');
    expect(t).toMatchObject({ accessToken: AT, refreshToken: 'rt-1' });
    expect(t.accessExpiresAt.getTime() - Date.now()).toBeGreaterThan(1790_000);
  });

  it('maps invalid_grant on refresh to LedgerGrantRevoked', async () => {
    refreshWith({ status: 400, body: { error: 'invalid_grant' } });
    await expect(xero.refresh('rt-old')).rejects.toBeInstanceOf(LedgerGrantRevoked);
  });

  it('maps 429 with Retry-After on refresh to LedgerRateLimited', async () => {
    refreshWith({ status: 429, body: { error: 'rate_limit' }, headers: { 'Retry-After': '12' } });
    const e = await failure(xero.refresh('rt'));
    expect(e).toBeInstanceOf(LedgerRateLimited);
    expect((e as LedgerRateLimited).retryAfterMs).toBe(12_000);
  });

  it('maps 5xx and network failures on refresh to LedgerUnavailable', async () => {
    refreshWith({ status: 500, body: 'oops' });
    await expect(xero.refresh('rt')).rejects.toBeInstanceOf(LedgerUnavailable);
    refreshWith('reset');
    await expect(xero.refresh('rt')).rejects.toBeInstanceOf(LedgerUnavailable);
  });

  it('maps a refused client to LedgerRequestFailed', async () => {
    refreshWith({ status: 401, body: { error: 'invalid_client' } });
    const e = await failure(xero.refresh('rt'));
    expect(e).toBeInstanceOf(LedgerRequestFailed);
    expect(e).toMatchObject({ status: 401, code: 'invalid_client' });
  });

  it('revokes the refresh token at the revocation endpoint', async () => {
    stub.on('POST', '/identity/connect/revocation', (req) => {
      expect(req.headers.authorization).toBe(basic);
      expect(formOf(req)).toMatchObject({ token: 'rt-1' });
      return { status: 200 };
    });
    await xero.revoke({
      accessToken: AT,
      refreshToken: 'rt-1',
      accessExpiresAt: new Date(),
      refreshExpiresAt: null,
    });
  });
});

describe('XeroProvider: API errors', () => {
  const accounts = () => xero.accounts(AT, TENANT);

  it('maps 401 (expired token) to LedgerTokenExpired', async () => {
    stub.on(
      'GET',
      ACCOUNTS,
      problem(401, 'TokenExpired: token expired at 11/23/2026 12:00:00', {
        'WWW-Authenticate': 'Bearer error="invalid_token"',
      }),
    );
    await expect(accounts()).rejects.toBeInstanceOf(LedgerTokenExpired);
  });

  it('maps 429 with Retry-After to LedgerRateLimited', async () => {
    stub.on('GET', ACCOUNTS, {
      status: 429,
      body: '',
      headers: { 'Retry-After': '5', 'X-Rate-Limit-Problem': 'minute' },
    });
    const e = await failure(accounts());
    expect(e).toBeInstanceOf(LedgerRateLimited);
    expect((e as LedgerRateLimited).retryAfterMs).toBe(5000);
    expect(e.message).toContain('minute');
  });

  it('maps 5xx and network failures to LedgerUnavailable', async () => {
    stub.on('GET', ACCOUNTS, problem(500, 'An error occurred in Xero.'));
    await expect(accounts()).rejects.toBeInstanceOf(LedgerUnavailable);
    stub.on('GET', ACCOUNTS, { status: 503, body: 'down' });
    await expect(accounts()).rejects.toBeInstanceOf(LedgerUnavailable);
    stub.on('GET', ACCOUNTS, 'reset');
    await expect(accounts()).rejects.toBeInstanceOf(LedgerUnavailable);
  });

  it('maps 403 (organisation no longer connected) to LedgerGrantRevoked and a missing scope to LedgerRequestFailed', async () => {
    stub.on('GET', ACCOUNTS, problem(403, 'AuthenticationUnsuccessful'));
    await expect(accounts()).rejects.toBeInstanceOf(LedgerGrantRevoked);
    stub.on(
      'GET',
      ACCOUNTS,
      problem(401, 'AuthorizationUnsuccessful', { 'WWW-Authenticate': 'Bearer error="insufficient_scope"' }),
    );
    await expect(accounts()).rejects.toBeInstanceOf(LedgerRequestFailed);
  });

  it('reads a JSON-string rejection and an {response, body} one alike', () => {
    expect(
      parseApiError(
        JSON.stringify({ response: { statusCode: 429, body: {}, headers: { 'retry-after': '3' } } }),
      ),
    ).toEqual({ statusCode: 429, body: {}, headers: { 'retry-after': '3' } });
    expect(parseApiError({ response: { status: 404, data: 'x', headers: {} }, body: 'x' })).toEqual({
      statusCode: 404,
      body: 'x',
      headers: {},
    });
    expect(() => parseApiError(new TypeError('bug'))).toThrow('bug');
  });
});

describe('XeroProvider: data', () => {
  it('reads the organisation, tracking categories, and payroll / fixed-assets status', async () => {
    stub
      .on('GET', '/api/api.xro/2.0/Organisation', (req) => {
        expect(req.headers['xero-tenant-id']).toBe(TENANT);
        expect(req.headers.authorization).toBe(`Bearer ${AT}`);
        return {
          status: 200,
          body: {
            Organisations: [
              {
                OrganisationID: TENANT,
                Name: 'Birch Dental Studio',
                LegalName: 'Birch Dental Studio Ltd',
                Class: 'STANDARD',
                CountryCode: 'US',
                BaseCurrency: 'USD',
                ShortCode: '!aB3cD',
              },
            ],
          },
        };
      })
      .on('GET', '/api/api.xro/2.0/TrackingCategories', (req) => {
        expect(req.query.get('includeArchived')).toBe('true');
        return {
          status: 200,
          body: {
            TrackingCategories: [
              {
                TrackingCategoryID: 'tc1',
                Name: 'Department',
                Status: 'ACTIVE',
                Options: [
                  { TrackingOptionID: 'o1', Name: 'Hygiene', Status: 'ACTIVE' },
                  { TrackingOptionID: 'o2', Name: 'Old wing', Status: 'ARCHIVED' },
                ],
              },
            ],
          },
        };
      })
      .on(
        'GET',
        '/api/payroll.xro/2.0/Employees',
        problem(403, 'The organisation is not subscribed to Xero Payroll.'),
      )
      .on(
        'GET',
        '/api/assets.xro/1.0/Assets',
        problem(401, 'AuthorizationUnsuccessful', {
          'WWW-Authenticate': 'Bearer error="insufficient_scope"',
        }),
      );
    expect(await xero.companyDetails(AT, TENANT)).toEqual({
      externalId: TENANT,
      name: 'Birch Dental Studio',
      legalName: 'Birch Dental Studio Ltd',
      edition: 'STANDARD',
      country: 'US',
      currency: 'USD',
      classTracking: 'per_line',
      classes: [
        { id: 'o1', name: 'Department: Hygiene', active: true },
        { id: 'o2', name: 'Department: Old wing', active: false },
      ],
      payroll: 'not_connected',
      fixedAssets: 'unknown',
      dashboardUrl: 'http://go.xero.test/organisationlogin/default.aspx?shortcode=!aB3cD',
    });
  });

  it('fails the details with LedgerTokenExpired when a product call finds the token expired', async () => {
    stub
      .on('GET', '/api/api.xro/2.0/Organisation', {
        status: 200,
        body: { Organisations: [{ OrganisationID: TENANT, Name: 'Birch', CountryCode: 'US' }] },
      })
      .on('GET', '/api/api.xro/2.0/TrackingCategories', { status: 200, body: { TrackingCategories: [] } })
      .on('GET', '/api/payroll.xro/2.0/Employees', { status: 200, body: { employees: [] } })
      .on('GET', '/api/assets.xro/1.0/Assets', problem(401, 'TokenExpired: token expired'));
    await expect(xero.companyDetails(AT, TENANT)).rejects.toBeInstanceOf(LedgerTokenExpired);
  });

  it('maps accounts, archived ones inactive', async () => {
    stub.on('GET', ACCOUNTS, {
      status: 200,
      body: {
        Accounts: [
          { AccountID: 'a1', Code: '090', Name: 'Business Checking', Type: 'BANK', Status: 'ACTIVE' },
          { AccountID: 'a2', Name: 'Old', Type: 'EXPENSE', Status: 'ARCHIVED' },
        ],
      },
    });
    expect(await xero.accounts(AT, TENANT)).toEqual([
      { id: 'a1', code: '090', name: 'Business Checking', type: 'BANK', active: true },
      { id: 'a2', code: null, name: 'Old', type: 'EXPENSE', active: false },
    ]);
  });
});

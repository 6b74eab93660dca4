import { createHash } from 'node:crypto';
import type { XeroSettings } from '../config';
import {
  LedgerConflict,
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

describe('XeroProvider: transactions', () => {
  const BANK_TXNS = '/api/api.xro/2.0/BankTransactions';
  const bankTxn = (i: number, type = 'SPEND') => ({
    BankTransactionID: `bt-${i}`,
    Type: type,
    Contact: { ContactID: 'c-1', Name: 'Dental Supply Co' },
    BankAccount: { AccountID: 'acc-bank', Code: '090', Name: 'Business Checking' },
    LineItems: [
      { LineItemID: `li-${i}`, LineAmount: 10.1, AccountCode: '400', AccountID: 'acc-400', Tracking: [] },
    ],
    Date: '/Date(1795392000000+0000)/',
    Status: 'AUTHORISED',
    Total: 10.1,
    UpdatedDateUTC: '/Date(1795438800000+0000)/',
  });

  it('names the three entities', () => {
    expect(xero.transactionTypes()).toEqual(['BankTransaction', 'ManualJournal', 'BankTransfer']);
  });

  it('asks for one page in date-then-id order, with the date filter and If-Modified-Since; the cursor is the next page', async () => {
    const requests: StubRequest[] = [];
    stub.on(
      'GET',
      BANK_TXNS,
      (req) => {
        requests.push(req);
        const page = Number(req.query.get('page'));
        // The second page's transfer leg is left out, but the page still counts as full.
        const list = page === 1 ? [bankTxn(1), bankTxn(2, 'RECEIVE')] : [bankTxn(3, 'SPEND-TRANSFER')];
        return { status: 200, body: { BankTransactions: list } };
      },
      2,
    );
    const since = new Date('2026-11-20T10:11:12.000Z');
    const q = { type: 'BankTransaction', from: '2026-01-05', changedSince: since, pageSize: 2 };
    const first = await xero.transactions(AT, TENANT, q);
    expect(first.next).toBe('2');
    expect(first.items.map((t) => [t.id, t.amount])).toEqual([
      ['bt-1', '-10.10'],
      ['bt-2', '10.10'],
    ]);
    const second = await xero.transactions(AT, TENANT, { ...q, cursor: first.next });
    expect(second).toEqual({ items: [], next: null });
    expect(requests.map((r) => Object.fromEntries(r.query))).toEqual([
      {
        where: 'Date >= DateTime(2026,1,5)',
        order: 'Date ASC, BankTransactionID ASC',
        page: '1',
        pageSize: '2',
      },
      {
        where: 'Date >= DateTime(2026,1,5)',
        order: 'Date ASC, BankTransactionID ASC',
        page: '2',
        pageSize: '2',
      },
    ]);
    expect(new Date(String(requests[0].headers['if-modified-since'])).toISOString()).toBe(
      since.toISOString(),
    );
    expect(requests[0].headers['xero-tenant-id']).toBe(TENANT);
  });

  it('pages 100 by default and stops at the last page Xero’s pagination counts', async () => {
    stub.on('GET', '/api/api.xro/2.0/ManualJournals', (req) => {
      expect(req.query.get('pageSize')).toBe('100');
      expect(req.query.get('order')).toBe('Date ASC, ManualJournalID ASC');
      expect(req.headers['if-modified-since']).toBeUndefined();
      const journals = Array.from({ length: 100 }, (_, i) => ({
        ManualJournalID: `mj-${i}`,
        Narration: 'Accrual',
        Date: '/Date(1795392000000+0000)/',
        Status: 'POSTED',
        JournalLines: [
          { AccountID: 'a', AccountCode: '710', LineAmount: 5 },
          { AccountID: 'b', AccountCode: '800', LineAmount: -5 },
        ],
      }));
      return {
        status: 200,
        body: {
          pagination: { page: 3, pageSize: 100, pageCount: 3, itemCount: 300 },
          ManualJournals: journals,
        },
      };
    });
    const page = await xero.transactions(AT, TENANT, { type: 'ManualJournal', cursor: '3' });
    expect(page.next).toBeNull();
    expect(page.items).toHaveLength(100);
    expect(page.items[0]).toMatchObject({ type: 'ManualJournal', amount: '5.00', memo: 'Accrual' });
  });

  it('reads bank transfers in one unpaged call', async () => {
    stub.on('GET', '/api/api.xro/2.0/BankTransfers', (req) => {
      expect(req.query.get('page')).toBeNull();
      expect(req.query.get('order')).toBe('Date ASC, BankTransferID ASC');
      return {
        status: 200,
        body: {
          BankTransfers: [
            {
              BankTransferID: 'tr-1',
              FromBankAccount: { AccountID: 'acc-bank', Code: '090', Name: 'Business Checking' },
              ToBankAccount: { AccountID: 'acc-sav', Code: '091', Name: 'Savings' },
              Amount: 250,
              Date: '/Date(1795392000000+0000)/',
              CreatedDateUTC: '/Date(1795438800000+0000)/',
              Status: 'DELETED',
            },
          ],
        },
      };
    });
    const page = await xero.transactions(AT, TENANT, { type: 'BankTransfer', pageSize: 1 });
    expect(page.next).toBeNull();
    expect(page.items).toEqual([
      expect.objectContaining({
        id: 'tr-1',
        amount: '250.00',
        bankAccount: { id: 'acc-bank', name: 'Business Checking' },
        account: { id: 'acc-sav', name: 'Savings' },
        deleted: true,
      }),
    ]);
  });

  it('maps a 429 on a page to LedgerRateLimited, and refuses a bad type or cursor without a call', async () => {
    stub.on(
      'GET',
      BANK_TXNS,
      problem(429, 'Rate limit exceeded', { 'Retry-After': '5', 'X-Rate-Limit-Problem': 'minute' }),
    );
    const e = await failure(xero.transactions(AT, TENANT, { type: 'BankTransaction' }));
    expect(e).toBeInstanceOf(LedgerRateLimited);
    expect((e as LedgerRateLimited).retryAfterMs).toBe(5000);
    await expect(xero.transactions(AT, TENANT, { type: 'Invoice' })).rejects.toBeInstanceOf(
      LedgerRequestFailed,
    );
    await expect(
      xero.transactions(AT, TENANT, { type: 'BankTransaction', cursor: 'x' }),
    ).rejects.toBeInstanceOf(LedgerRequestFailed);
  });

  it('has no change feed: changes answers null', async () => {
    expect(await xero.changes(AT, TENANT, new Date(NOW - 60_000))).toBeNull();
  });

  it('lists contacts 1,000 a page, archived ones included: suppliers are vendors', async () => {
    stub.on(
      'GET',
      '/api/api.xro/2.0/Contacts',
      (req) => {
        expect(req.query.get('includeArchived')).toBe('true');
        expect(req.query.get('pageSize')).toBe('1000');
        const page = Number(req.query.get('page'));
        const contacts =
          page === 1
            ? Array.from({ length: 1000 }, (_, i) => ({
                ContactID: `c-${i}`,
                Name: `Contact ${i}`,
                ContactStatus: i === 1 ? 'ARCHIVED' : 'ACTIVE',
                IsSupplier: i % 3 === 0,
                IsCustomer: i % 3 === 1,
              }))
            : [
                {
                  ContactID: 'c-last',
                  Name: 'Last',
                  ContactStatus: 'ACTIVE',
                  IsSupplier: false,
                  IsCustomer: false,
                },
              ];
        return { status: 200, body: { Contacts: contacts } };
      },
      2,
    );
    const payees = await xero.payees(AT, TENANT);
    expect(payees).toHaveLength(1001);
    expect(payees.slice(0, 3)).toEqual([
      { id: 'c-0', name: 'Contact 0', kind: 'vendor', active: true },
      { id: 'c-1', name: 'Contact 1', kind: 'customer', active: false },
      { id: 'c-2', name: 'Contact 2', kind: 'contact', active: true },
    ]);
    expect(payees[1000]).toEqual({ id: 'c-last', name: 'Last', kind: 'contact', active: true });
  });
});

describe('XeroProvider: recategorize', () => {
  const BT = '/api/api.xro/2.0/BankTransactions/bt-1';
  const envelope = (body: Record<string, unknown>) => ({
    Id: 'e',
    Status: 'OK',
    ProviderName: 'p',
    DateTimeUTC: '/Date(1795438800000)/',
    ...body,
  });
  const line = {
    LineItemID: 'li-1',
    Description: 'Gloves',
    Quantity: 1,
    UnitAmount: 4,
    AccountCode: '9999',
    AccountID: 'acc-suspense',
    TaxType: 'NONE',
    TaxAmount: 0,
    LineAmount: 4,
    Tracking: [],
  };
  const bankTransaction = {
    BankTransactionID: 'bt-1',
    Type: 'SPEND',
    LineItems: [line],
    BankAccount: { AccountID: 'acc-bank', Code: '090', Name: 'Checking' },
    IsReconciled: false,
    Status: 'AUTHORISED',
    LineAmountTypes: 'NoTax',
    Total: 4,
    UpdatedDateUTC: '/Date(1795438800000+0000)/',
  };

  it('reads with unitdp=4, looks the account code up, and turns a reconciled refusal at write time into LedgerConflict', async () => {
    let posted: unknown;
    stub
      .on('GET', BT, (req) => {
        expect(req.query.get('unitdp')).toBe('4');
        expect(req.headers['xero-tenant-id']).toBe(TENANT);
        return { status: 200, body: envelope({ BankTransactions: [bankTransaction] }) };
      })
      .on('GET', '/api/api.xro/2.0/Accounts/acc-6070', {
        status: 200,
        body: envelope({ Accounts: [{ AccountID: 'acc-6070', Code: '6070', Name: 'Supplies' }] }),
      })
      // Reconciled in Xero between our read and our write.
      .on('POST', BT, (req) => {
        expect(req.query.get('unitdp')).toBe('4');
        posted = JSON.parse(req.body);
        return {
          status: 400,
          body: {
            ErrorNumber: 10,
            Type: 'ValidationException',
            Message: 'A validation exception occurred',
            Elements: [
              {
                BankTransactionID: 'bt-1',
                ValidationErrors: [
                  {
                    Message:
                      'This Bank Transaction cannot be edited as it has been reconciled with a Bank Statement.',
                  },
                ],
              },
            ],
          },
        };
      });
    const e = await failure(
      xero.recategorize(AT, TENANT, {
        type: 'BankTransaction',
        id: 'bt-1',
        lineId: null,
        accountId: 'acc-6070',
      }),
    );
    expect(e).toBeInstanceOf(LedgerConflict);
    expect(e).toMatchObject({ code: 'reconciled', status: 400 });
    expect(e.message).toBe('Xero does not allow changes to a reconciled bank transaction.');
    expect(posted).toEqual({
      BankTransactions: [
        {
          BankTransactionID: 'bt-1',
          Type: 'SPEND',
          BankAccount: { AccountID: 'acc-bank' },
          LineAmountTypes: 'NoTax',
          LineItems: [
            {
              LineItemID: 'li-1',
              Description: 'Gloves',
              Quantity: 1,
              UnitAmount: 4,
              AccountCode: '6070',
              TaxType: 'NONE',
              TaxAmount: 0,
              LineAmount: 4,
              Tracking: [],
            },
          ],
        },
      ],
    });
  });

  it('refuses an account without a code, and an unknown one, before writing', async () => {
    stub
      .on('GET', BT, { status: 200, body: envelope({ BankTransactions: [bankTransaction] }) }, 2)
      .on('GET', '/api/api.xro/2.0/Accounts/acc-nocode', {
        status: 200,
        body: envelope({ Accounts: [{ AccountID: 'acc-nocode', Name: 'Petty cash' }] }),
      })
      .on(
        'GET',
        '/api/api.xro/2.0/Accounts/acc-gone',
        problem(404, 'The resource you have specified cannot be found.'),
      );
    const noCode = await failure(
      xero.recategorize(AT, TENANT, {
        type: 'BankTransaction',
        id: 'bt-1',
        lineId: 'li-1',
        accountId: 'acc-nocode',
      }),
    );
    expect(noCode).toMatchObject({ code: 'account_has_no_code' });
    expect(noCode.message).toMatch(/Petty cash has no code/);
    const gone = await failure(
      xero.recategorize(AT, TENANT, {
        type: 'BankTransaction',
        id: 'bt-1',
        lineId: 'li-1',
        accountId: 'acc-gone',
      }),
    );
    expect(gone).toBeInstanceOf(LedgerRequestFailed);
    expect(gone).toMatchObject({ code: 'account_not_found' });
  });
});

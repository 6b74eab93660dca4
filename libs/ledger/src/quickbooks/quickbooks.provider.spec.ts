import OAuthClient from 'intuit-oauth';
import type { QuickBooksSettings } from '../config';
import {
  LedgerConflict,
  LedgerConsentRefused,
  LedgerGrantRevoked,
  LedgerRateLimited,
  LedgerRequestFailed,
  LedgerTokenExpired,
  LedgerUnavailable,
} from '../ledger-provider';
import { formOf, HttpStub, type StubRequest } from '../testing/http-stub';
import { QuickBooksProvider } from './quickbooks.provider';

const REALM = '9130350000000001';
const NOW = Date.parse('2026-11-23T12:00:00Z');
const REDIRECT = 'http://app.test/qbo/callback';
const TOKEN_PATH = '/oauth2/v1/tokens/bearer';
const REVOKE_PATH = '/oauth2/v1/tokens/revoke';
const QUERY_PATH = `/v3/company/${REALM}/query`;
const basic = `Basic ${Buffer.from('cid:secret').toString('base64')}`;

const stub = new HttpStub();
let settings: QuickBooksSettings;
let qbo: QuickBooksProvider;

const fault = (code: string, message: string, type = 'SERVICE') => ({
  Fault: { Error: [{ Message: message, Detail: message, code }], type },
  time: '2026-11-23T04:00:00.000-08:00',
});
const tokenBody = {
  token_type: 'bearer',
  access_token: 'at-1',
  refresh_token: 'rt-1',
  expires_in: 3600,
  x_refresh_token_expires_in: 8726400,
};

async function failure(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a failure');
}

function expectBasicAuth(req: StubRequest) {
  expect(req.headers.authorization).toBe(basic);
}

beforeAll(async () => {
  await stub.start();
  settings = {
    clientId: 'cid',
    clientSecret: 'secret',
    redirectUri: REDIRECT,
    authorizeUrl: `${stub.url}/connect/oauth2`,
    tokenUrl: `${stub.url}${TOKEN_PATH}`,
    revokeUrl: `${stub.url}${REVOKE_PATH}`,
    apiBase: stub.url,
    appCenterUrl: 'http://app.qbo.test',
    environment: 'production',
  };
  qbo = new QuickBooksProvider(settings, { retryTokenCalls: false, now: () => NOW });
});
afterEach(() => {
  expect(stub.reset()).toEqual({ pending: [], unexpected: [] });
});
afterAll(() => stub.stop());

describe('QuickBooksProvider: consent', () => {
  it('builds the authorize URL from its own settings, even with another configuration in the process', async () => {
    const other = new QuickBooksProvider({ ...settings, authorizeUrl: 'http://elsewhere.test/authorize' });
    const a = new URL((await qbo.startConsent('s-1')).url);
    const b = new URL((await other.startConsent('s-2')).url);
    expect(`${a.origin}${a.pathname}`).toBe(`${stub.url}/connect/oauth2`);
    expect(`${b.origin}${b.pathname}`).toBe('http://elsewhere.test/authorize');
    expect(Object.fromEntries(a.searchParams)).toEqual({
      client_id: 'cid',
      redirect_uri: REDIRECT,
      response_type: 'code',
      scope: 'com.intuit.quickbooks.accounting',
      state: 's-1',
    });
    // The adapter sets intuit-oauth's static endpoints right before each call.
    expect(OAuthClient.authorizeEndpoint).toBe('http://elsewhere.test/authorize');
  });

  it('maps access_denied on the callback to LedgerConsentRefused', async () => {
    const e = await failure(
      qbo.completeConsent(`${REDIRECT}?error=access_denied&state=s-1`, { state: 's-1' }),
    );
    expect(e).toBeInstanceOf(LedgerConsentRefused);
    expect(e.message).toMatch(/cancelled/);
  });

  it('refuses a callback whose state is not the flow’s', async () => {
    await expect(
      qbo.completeConsent(`${REDIRECT}?code=c&state=forged&realmId=${REALM}`, { state: 's-1' }),
    ).rejects.toBeInstanceOf(LedgerConsentRefused);
  });

  it('exchanges the code with client authentication and names the company from companyinfo', async () => {
    stub
      .on('POST', TOKEN_PATH, (req) => {
        expectBasicAuth(req);
        expect(formOf(req)).toEqual({
          grant_type: 'authorization_code',
          code: 'c-1',
          redirect_uri: REDIRECT,
        });
        return { status: 200, body: tokenBody };
      })
      .on('GET', `/v3/company/${REALM}/companyinfo/${REALM}`, (req) => {
        expect(req.query.get('minorversion')).toBe('75');
        expect(req.headers.authorization).toBe('Bearer at-1');
        return { status: 200, body: { CompanyInfo: { CompanyName: 'Acme Coffee Roasters' } } };
      });
    const { tokens, companies } = await qbo.completeConsent(
      `${REDIRECT}?code=c-1&state=s-1&realmId=${REALM}`,
      { state: 's-1' },
    );
    expect(companies).toEqual([{ externalId: REALM, name: 'Acme Coffee Roasters' }]);
    expect(tokens).toEqual({
      accessToken: 'at-1',
      refreshToken: 'rt-1',
      accessExpiresAt: new Date(NOW + 3600_000),
      refreshExpiresAt: new Date(NOW + 8726400_000),
      scope: 'com.intuit.quickbooks.accounting',
    });
  });

  it('keeps the tokens when companyinfo fails right after the consent', async () => {
    stub
      .on('POST', TOKEN_PATH, { status: 200, body: tokenBody })
      .on('GET', `/v3/company/${REALM}/companyinfo/${REALM}`, { status: 500, body: fault('10000', 'boom') });
    const { tokens, companies } = await qbo.completeConsent(
      `${REDIRECT}?code=c-1&state=s-1&realmId=${REALM}`,
      { state: 's-1' },
    );
    expect(tokens.refreshToken).toBe('rt-1');
    expect(companies).toEqual([{ externalId: REALM, name: `QuickBooks company ${REALM}` }]);
  });

  it('maps a refused authorization code (invalid_grant) to LedgerConsentRefused', async () => {
    stub.on('POST', TOKEN_PATH, { status: 400, body: { error: 'invalid_grant' } });
    await expect(
      qbo.completeConsent(`${REDIRECT}?code=used&state=s-1&realmId=${REALM}`, { state: 's-1' }),
    ).rejects.toBeInstanceOf(LedgerConsentRefused);
  });
});

describe('QuickBooksProvider: tokens', () => {
  it('refreshes with the refresh_token grant', async () => {
    stub.on('POST', TOKEN_PATH, (req) => {
      expectBasicAuth(req);
      expect(formOf(req)).toEqual({ grant_type: 'refresh_token', refresh_token: 'rt-0' });
      return { status: 200, body: tokenBody };
    });
    expect(await qbo.refresh('rt-0')).toMatchObject({ accessToken: 'at-1', refreshToken: 'rt-1' });
  });

  it('maps invalid_grant on refresh to LedgerGrantRevoked', async () => {
    stub.on('POST', TOKEN_PATH, { status: 400, body: { error: 'invalid_grant', error_description: 'used' } });
    await expect(qbo.refresh('rt-old')).rejects.toBeInstanceOf(LedgerGrantRevoked);
  });

  it('maps 429 with Retry-After on refresh to LedgerRateLimited', async () => {
    stub.on('POST', TOKEN_PATH, {
      status: 429,
      body: { error: 'too_many_requests' },
      headers: { 'Retry-After': '30' },
    });
    const e = await failure(qbo.refresh('rt'));
    expect(e).toBeInstanceOf(LedgerRateLimited);
    expect((e as LedgerRateLimited).retryAfterMs).toBe(30_000);
  });

  it('maps 5xx and network failures on refresh to LedgerUnavailable', async () => {
    stub.on('POST', TOKEN_PATH, { status: 503, body: 'Service Unavailable' });
    await expect(qbo.refresh('rt')).rejects.toBeInstanceOf(LedgerUnavailable);
    stub.on('POST', TOKEN_PATH, { status: 500, body: { error: 'server_error' } });
    await expect(qbo.refresh('rt')).rejects.toBeInstanceOf(LedgerUnavailable);
    stub.on('POST', TOKEN_PATH, 'reset');
    await expect(qbo.refresh('rt')).rejects.toBeInstanceOf(LedgerUnavailable);
    const offline = new QuickBooksProvider(
      { ...settings, tokenUrl: 'http://127.0.0.1:9/token' },
      { retryTokenCalls: false },
    );
    await expect(offline.refresh('rt')).rejects.toBeInstanceOf(LedgerUnavailable);
  });

  it('maps a refused client (invalid_client) to LedgerRequestFailed, not to a revoked grant', async () => {
    stub.on('POST', TOKEN_PATH, { status: 401, body: { error: 'invalid_client' } });
    const e = await failure(qbo.refresh('rt'));
    expect(e).toBeInstanceOf(LedgerRequestFailed);
    expect(e).toMatchObject({ status: 401, code: 'invalid_client' });
  });

  it('revokes the grant through its refresh token', async () => {
    stub.on('POST', REVOKE_PATH, (req) => {
      expectBasicAuth(req);
      expect(JSON.parse(req.body)).toEqual({ token: 'rt-1' });
      return { status: 200 };
    });
    await qbo.revoke({
      accessToken: 'at-1',
      refreshToken: 'rt-1',
      accessExpiresAt: new Date(),
      refreshExpiresAt: null,
    });
  });
});

describe('QuickBooksProvider: data API errors', () => {
  const accounts = () => qbo.accounts('at-1', REALM);
  const query = (answer: Parameters<HttpStub['on']>[2]) => stub.on('GET', QUERY_PATH, answer);

  it('maps 401 (Fault 3200) to LedgerTokenExpired', async () => {
    query({
      status: 401,
      body: fault(
        '3200',
        'message=AuthenticationFailed; errorCode=003200; statusCode=401',
        'AuthenticationFault',
      ),
    });
    const e = await failure(accounts());
    expect(e).toBeInstanceOf(LedgerTokenExpired);
    expect(e.message).toContain('3200');
  });

  it('maps 429 (003001 ThrottleExceeded) to LedgerRateLimited, honouring Retry-After or waiting 60 s', async () => {
    const throttled = fault('003001', 'message=ThrottleExceeded; errorCode=003001; statusCode=429');
    query({ status: 429, body: throttled, headers: { 'Retry-After': '7' } });
    const e = await failure(accounts());
    expect(e).toBeInstanceOf(LedgerRateLimited);
    expect((e as LedgerRateLimited).retryAfterMs).toBe(7000);
    query({ status: 429, body: throttled });
    expect(((await failure(accounts())) as LedgerRateLimited).retryAfterMs).toBe(60_000);
  });

  it('maps a 5xx Fault and a network failure to LedgerUnavailable', async () => {
    query({ status: 500, body: fault('10000', 'An application error has occurred') });
    await expect(accounts()).rejects.toBeInstanceOf(LedgerUnavailable);
    query({ status: 502, body: 'Bad Gateway' });
    await expect(accounts()).rejects.toBeInstanceOf(LedgerUnavailable);
    query('reset');
    await expect(accounts()).rejects.toBeInstanceOf(LedgerUnavailable);
  });

  it('maps a ValidationFault to LedgerRequestFailed with its code', async () => {
    query({ status: 400, body: fault('4000', 'Error parsing query', 'ValidationFault') });
    const e = await failure(accounts());
    expect(e).toBeInstanceOf(LedgerRequestFailed);
    expect(e).toMatchObject({ status: 400, code: '4000' });
  });
});

describe('QuickBooksProvider: data', () => {
  it('pages through accounts 1000 at a time, inactive ones included', async () => {
    const row = (i: number) => ({
      Id: String(i),
      Name: `Account ${i}`,
      FullyQualifiedName: `Parent:Account ${i}`,
      AcctNum: i % 2 ? String(6000 + i) : undefined,
      AccountType: 'Expense',
      Active: i !== 3,
    });
    const seen: string[] = [];
    stub.on(
      'GET',
      QUERY_PATH,
      (req) => {
        const q = req.query.get('query')!;
        seen.push(q);
        expect(req.query.get('minorversion')).toBe('75');
        const start = Number(/STARTPOSITION (\d+)/.exec(q)![1]);
        const n = start === 1 ? 1000 : 5;
        const rows = Array.from({ length: n }, (_, i) => row(start + i));
        return {
          status: 200,
          body: { QueryResponse: { Account: rows, startPosition: start, maxResults: n } },
        };
      },
      2,
    );
    const list = await qbo.accounts('at-1', REALM);
    expect(list).toHaveLength(1005);
    expect(seen).toEqual([
      'SELECT * FROM Account WHERE Active IN (true, false) STARTPOSITION 1 MAXRESULTS 1000',
      'SELECT * FROM Account WHERE Active IN (true, false) STARTPOSITION 1001 MAXRESULTS 1000',
    ]);
    expect(list[0]).toEqual({
      id: '1',
      code: '6001',
      name: 'Parent:Account 1',
      type: 'Expense',
      active: true,
    });
    expect(list[1].code).toBeNull();
    expect(list[2].active).toBe(false);
  });

  it('reads company details: edition from OfferingSku, class tracking, classes, products, dashboard link', async () => {
    stub
      .on('GET', `/v3/company/${REALM}/companyinfo/${REALM}`, {
        status: 200,
        body: {
          CompanyInfo: {
            CompanyName: 'Acme',
            LegalName: 'Acme LLC',
            Country: 'US',
            NameValue: [
              { Name: 'OfferingSku', Value: 'QuickBooks Online Plus' },
              { Name: 'PayrollFeature', Value: 'true' },
            ],
          },
        },
      })
      .on('GET', `/v3/company/${REALM}/preferences`, {
        status: 200,
        body: {
          Preferences: {
            AccountingInfoPrefs: { ClassTrackingPerTxn: true, ClassTrackingPerTxnLine: false },
            CurrencyPrefs: { HomeCurrency: { value: 'USD' } },
          },
        },
      })
      .on('GET', QUERY_PATH, {
        status: 200,
        body: {
          QueryResponse: {
            Class: [
              { Id: '10', Name: 'Retail', FullyQualifiedName: 'Retail', Active: true },
              { Id: '11', Name: 'Old', FullyQualifiedName: 'Old', Active: false },
            ],
          },
        },
      });
    expect(await qbo.companyDetails('at-1', REALM)).toEqual({
      externalId: REALM,
      name: 'Acme',
      legalName: 'Acme LLC',
      edition: 'QuickBooks Online Plus',
      country: 'US',
      currency: 'USD',
      classTracking: 'per_txn',
      classes: [
        { id: '10', name: 'Retail', active: true },
        { id: '11', name: 'Old', active: false },
      ],
      payroll: 'connected',
      fixedAssets: 'unknown',
      dashboardUrl: `http://app.qbo.test/app/homepage?deeplinkcompanyid=${REALM}`,
    });
  });
});

describe('QuickBooksProvider: transactions', () => {
  const purchase = (i: number) => ({
    Id: String(10000 + i),
    SyncToken: '0',
    MetaData: { CreateTime: '2026-11-01T09:00:00-07:00', LastUpdatedTime: '2026-11-01T09:00:00-07:00' },
    TxnDate: '2026-11-01',
    AccountRef: { value: '35', name: 'Business Checking' },
    EntityRef: { value: '101', name: 'Staples', type: 'Vendor' },
    TotalAmt: 12.5,
    Line: [
      {
        Id: '1',
        Amount: 12.5,
        DetailType: 'AccountBasedExpenseLineDetail',
        AccountBasedExpenseLineDetail: { AccountRef: { value: '20', name: 'Office Supplies' } },
      },
    ],
  });

  it('names the nine entities', () => {
    expect(qbo.transactionTypes()).toEqual([
      'Purchase',
      'Deposit',
      'JournalEntry',
      'Transfer',
      'Bill',
      'BillPayment',
      'Invoice',
      'Payment',
      'SalesReceipt',
    ]);
  });

  it('queries one page in Id order with the date and change filters; the cursor is the next STARTPOSITION', async () => {
    const seen: string[] = [];
    stub.on(
      'GET',
      QUERY_PATH,
      (req) => {
        const q = req.query.get('query')!;
        seen.push(q);
        const start = Number(/STARTPOSITION (\d+)/.exec(q)![1]);
        const n = start === 1 ? 3 : 1;
        return {
          status: 200,
          body: { QueryResponse: { Purchase: Array.from({ length: n }, (_, i) => purchase(start + i)) } },
        };
      },
      2,
    );
    const q = {
      type: 'Purchase',
      from: '2026-01-01',
      changedSince: new Date('2026-11-20T10:11:12.987Z'),
      pageSize: 3,
    };
    const first = await qbo.transactions('at-1', REALM, q);
    expect(first.next).toBe('4');
    expect(first.items.map((t) => t.id)).toEqual(['10001', '10002', '10003']);
    expect(first.items[0]).toMatchObject({
      type: 'Purchase',
      amount: '-12.50',
      payee: { id: '101', name: 'Staples' },
    });
    const second = await qbo.transactions('at-1', REALM, { ...q, cursor: first.next });
    expect(second).toMatchObject({ next: null, items: [{ id: '10004' }] });
    const where = "WHERE TxnDate >= '2026-01-01' AND MetaData.LastUpdatedTime >= '2026-11-20T10:11:12+00:00'";
    expect(seen).toEqual([
      `SELECT * FROM Purchase ${where} ORDERBY Id STARTPOSITION 1 MAXRESULTS 3`,
      `SELECT * FROM Purchase ${where} ORDERBY Id STARTPOSITION 4 MAXRESULTS 3`,
    ]);
  });

  it('reads 1,000 a page by default (at most 1,000), and an empty answer as the last page', async () => {
    stub.on('GET', QUERY_PATH, (req) => {
      expect(req.query.get('query')).toBe('SELECT * FROM Deposit ORDERBY Id STARTPOSITION 1 MAXRESULTS 1000');
      return { status: 200, body: { QueryResponse: {}, time: '2026-11-23T04:00:00.000-08:00' } };
    });
    expect(await qbo.transactions('at-1', REALM, { type: 'Deposit', pageSize: 5000 })).toEqual({
      items: [],
      next: null,
    });
  });

  it('refuses an unknown type, a bad cursor or a bad date without calling QuickBooks', async () => {
    for (const q of [
      { type: 'Estimate' },
      { type: 'Purchase', cursor: 'abc' },
      { type: 'Purchase', cursor: '0' },
      { type: 'Purchase', from: "2026-01-01' OR 1=1" },
    ]) {
      await expect(qbo.transactions('at-1', REALM, q)).rejects.toBeInstanceOf(LedgerRequestFailed);
    }
  });

  it('maps a throttled page to LedgerRateLimited', async () => {
    stub.on('GET', QUERY_PATH, {
      status: 429,
      body: fault('003001', 'message=ThrottleExceeded; errorCode=003001; statusCode=429'),
      headers: { 'Retry-After': '3' },
    });
    const e = await failure(qbo.transactions('at-1', REALM, { type: 'Invoice' }));
    expect(e).toBeInstanceOf(LedgerRateLimited);
    expect((e as LedgerRateLimited).retryAfterMs).toBe(3000);
  });

  it('reads CDC for every type at once; deleted objects come back deleted', async () => {
    stub.on('GET', `/v3/company/${REALM}/cdc`, (req) => {
      expect(req.query.get('entities')).toBe(
        'Purchase,Deposit,JournalEntry,Transfer,Bill,BillPayment,Invoice,Payment,SalesReceipt',
      );
      expect(req.query.get('changedSince')).toBe('2026-11-22T12:00:00+00:00');
      return {
        status: 200,
        body: {
          CDCResponse: [
            {
              QueryResponse: [
                { Purchase: [purchase(1)], startPosition: 1, maxResults: 1 },
                {
                  Deposit: [
                    {
                      domain: 'QBO',
                      status: 'Deleted',
                      Id: '10009',
                      MetaData: { LastUpdatedTime: '2026-11-23T03:00:00-08:00' },
                    },
                  ],
                },
                {},
              ],
            },
          ],
          time: '2026-11-23T04:00:00.000-08:00',
        },
      };
    });
    const changes = await qbo.changes('at-1', REALM, new Date(NOW - 86_400_000));
    expect(changes).toEqual({
      complete: true,
      items: [
        expect.objectContaining({ type: 'Purchase', id: '10001', deleted: false, amount: '-12.50' }),
        expect.objectContaining({
          type: 'Deposit',
          id: '10009',
          deleted: true,
          updatedAt: '2026-11-23T11:00:00.000Z',
        }),
      ],
    });
  });

  it('is not complete when CDC answered 1,000 objects', async () => {
    const purchases = Array.from({ length: 600 }, (_, i) => purchase(i));
    const deposits = Array.from({ length: 400 }, (_, i) => ({
      ...purchase(1000 + i),
      AccountRef: undefined,
    }));
    stub.on('GET', `/v3/company/${REALM}/cdc`, {
      status: 200,
      body: { CDCResponse: [{ QueryResponse: [{ Purchase: purchases }, { Deposit: deposits }] }] },
    });
    const changes = await qbo.changes('at-1', REALM, new Date(NOW - 3600_000));
    expect(changes!.items).toHaveLength(1000);
    expect(changes!.complete).toBe(false);
  });

  it('answers null for a `since` beyond CDC’s 30 days, without a call', async () => {
    expect(await qbo.changes('at-1', REALM, new Date(NOW - 30 * 86_400_000))).toBeNull();
    expect(await qbo.changes('at-1', REALM, new Date(NOW - 29.6 * 86_400_000))).toBeNull();
  });

  it('lists vendors and customers, inactive ones included', async () => {
    const seen: string[] = [];
    stub.on(
      'GET',
      QUERY_PATH,
      (req) => {
        const q = req.query.get('query')!;
        seen.push(q);
        const vendor = q.includes('FROM Vendor');
        return {
          status: 200,
          body: {
            QueryResponse: vendor
              ? {
                  Vendor: [
                    { Id: '101', DisplayName: 'Staples', Active: true },
                    { Id: '102', DisplayName: 'Old Vendor', Active: false },
                  ],
                }
              : {
                  Customer: [
                    {
                      Id: '160',
                      DisplayName: 'Harbor Cafe',
                      FullyQualifiedName: 'Harbor Cafe',
                      Active: true,
                    },
                  ],
                },
          },
        };
      },
      2,
    );
    expect(await qbo.payees('at-1', REALM)).toEqual([
      { id: '101', name: 'Staples', kind: 'vendor', active: true },
      { id: '102', name: 'Old Vendor', kind: 'vendor', active: false },
      { id: '160', name: 'Harbor Cafe', kind: 'customer', active: true },
    ]);
    expect(seen.sort()).toEqual([
      'SELECT * FROM Customer WHERE Active IN (true, false) STARTPOSITION 1 MAXRESULTS 1000',
      'SELECT * FROM Vendor WHERE Active IN (true, false) STARTPOSITION 1 MAXRESULTS 1000',
    ]);
  });
});

describe('QuickBooksProvider: recategorize', () => {
  const PURCHASE = `/v3/company/${REALM}/purchase`;
  const purchase = (syncToken: string, note?: string) => ({
    Id: '145',
    SyncToken: syncToken,
    TxnDate: '2026-11-20',
    TotalAmt: 12.5,
    ...(note ? { PrivateNote: note } : {}),
    MetaData: { LastUpdatedTime: '2026-11-23T04:00:00-08:00' },
    Line: [
      {
        Id: '1',
        Amount: 12.5,
        DetailType: 'AccountBasedExpenseLineDetail',
        AccountBasedExpenseLineDetail: { AccountRef: { value: '7', name: 'Uncategorized Expense' } },
      },
    ],
  });
  const stale = { status: 400, body: fault('5010', 'Stale Object Error', 'ValidationFault') };

  it('posts a sparse update to the entity endpoint; on a stale SyncToken reads again and writes with the new one', async () => {
    const posted: unknown[] = [];
    stub
      .on('GET', `${PURCHASE}/145`, (req) => {
        expect(req.query.get('minorversion')).toBe('75');
        return { status: 200, body: { Purchase: purchase('3'), time: 't' } };
      })
      .on('POST', PURCHASE, (req) => {
        expect(req.headers['content-type']).toMatch(/^application\/json/);
        posted.push(JSON.parse(req.body));
        return stale;
      })
      // Someone else saved it meanwhile (a memo): the retry must carry their version, and their memo stays.
      .on('GET', `${PURCHASE}/145`, {
        status: 200,
        body: { Purchase: purchase('4', 'Their memo'), time: 't' },
      })
      .on('POST', PURCHASE, (req) => {
        posted.push(JSON.parse(req.body));
        const body = JSON.parse(req.body) as { Line: unknown[] };
        return {
          status: 200,
          body: { Purchase: { ...purchase('5', 'Their memo'), Line: body.Line }, time: 't' },
        };
      });
    const got = await qbo.recategorize('at-1', REALM, {
      type: 'Purchase',
      id: '145',
      lineId: null,
      accountId: '12',
    });
    expect(posted).toEqual([
      {
        Id: '145',
        SyncToken: '3',
        sparse: true,
        Line: [{ ...purchase('3').Line[0], AccountBasedExpenseLineDetail: { AccountRef: { value: '12' } } }],
      },
      {
        Id: '145',
        SyncToken: '4',
        sparse: true,
        Line: [{ ...purchase('4').Line[0], AccountBasedExpenseLineDetail: { AccountRef: { value: '12' } } }],
      },
    ]);
    expect(got).toMatchObject({ type: 'Purchase', id: '145', amount: '-12.50', memo: 'Their memo' });
    expect(got.lines[0].account).toEqual({ id: '12', name: '' });
  });

  it('stops after three retries with LedgerConflict stale_object', async () => {
    stub.on('GET', `${PURCHASE}/145`, { status: 200, body: { Purchase: purchase('3') } }, 4);
    stub.on('POST', PURCHASE, stale, 4);
    const e = await failure(
      qbo.recategorize('at-1', REALM, { type: 'Purchase', id: '145', lineId: '1', accountId: '12' }),
    );
    expect(e).toBeInstanceOf(LedgerConflict);
    expect(e).toMatchObject({ code: 'stale_object', status: 400 });
  });

  it('maps Object Not Found (610) on the read to not_found, and other faults as the other calls do', async () => {
    stub.on('GET', `${PURCHASE}/999`, {
      status: 400,
      body: fault('610', 'Object Not Found', 'ValidationFault'),
    });
    const missing = await failure(
      qbo.recategorize('at-1', REALM, { type: 'Purchase', id: '999', lineId: null, accountId: '12' }),
    );
    expect(missing).toBeInstanceOf(LedgerRequestFailed);
    expect(missing).toMatchObject({ code: 'not_found', status: 400 });

    stub
      .on('GET', `${PURCHASE}/145`, { status: 200, body: { Purchase: purchase('3') } })
      .on('POST', PURCHASE, { status: 500, body: fault('10000', 'boom') });
    expect(
      await failure(
        qbo.recategorize('at-1', REALM, { type: 'Purchase', id: '145', lineId: null, accountId: '12' }),
      ),
    ).toBeInstanceOf(LedgerUnavailable);
  });
});

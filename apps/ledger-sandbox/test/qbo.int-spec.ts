import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import OAuthClient from 'intuit-oauth';
import { loadSandboxConfig } from '../src/config';
import type { SandboxContext } from '../src/context';
import type { CompanyLedger } from '../src/model/company-ledger';
import type { AccountKind, Txn } from '../src/model/ledger';
import { buildSandbox } from '../src/server';
import { consentAsBrowser } from '../src/testing';

/**
 * The sandbox's QuickBooks Online driven through the real intuit-oauth SDK, as the product will
 * drive it: consent page, token exchange, v3 calls, refresh rotation, expiry, revocation, limits.
 */
jest.setTimeout(60_000);

const CLIENT_ID = 'spec-qbo-client';
const CLIENT_SECRET = 'spec-qbo-secret';
const REDIRECT_URI = 'http://127.0.0.1:1/qbo/callback';
const START = Date.parse('2026-11-23T12:00:00Z');

let app: FastifyInstance;
let ctx: SandboxContext;
let base: string;
let big: CompanyLedger;
let realmId: string;
let client: OAuthClient;

interface Rejection {
  code?: string;
  error?: string;
  message?: string;
  fault?: { errors: { code: string; message: string; detail: string }[] };
}

async function rejection(p: Promise<unknown>): Promise<Rejection> {
  try {
    await p;
  } catch (e) {
    return e as Rejection;
  }
  throw new Error('expected the call to fail');
}

function newClient(): OAuthClient {
  return new OAuthClient({
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    environment: 'sandbox',
    redirectUri: REDIRECT_URI,
  });
}

/** Opens the consent page as a browser would and submits the company form; answers the callback URL. */
const consent = (
  c: OAuthClient,
  companyName: string,
  action: 'connect' | 'cancel' = 'connect',
  state = 'state-123',
) =>
  consentAsBrowser(
    c.authorizeUri({ scope: [OAuthClient.scopes.Accounting, OAuthClient.scopes.OpenId], state }),
    [companyName],
    action === 'connect' ? 'allow' : 'cancel',
  );

const api = (
  c: OAuthClient,
  path: string,
  init: { method?: 'GET' | 'POST'; body?: unknown; headers?: Record<string, string> } = {},
) =>
  c.makeApiCall({
    url: `${base}/v3/company/${c.getToken().realmId}/${path}`,
    method: init.method ?? 'GET',
    body: init.body,
    headers: init.headers,
  });

const query = async (c: OAuthClient, q: string) =>
  (await api(c, `query?query=${encodeURIComponent(q)}&minorversion=75`)).json;

beforeAll(async () => {
  const started = Date.now();
  const config = loadSandboxConfig({
    SANDBOX_PORT: '0',
    SANDBOX_TODAY: '2026-11-23',
    SANDBOX_SEED: 'qbo-int-spec',
    SANDBOX_TRANSACTIONS: '300',
    QBO_CLIENT_ID: CLIENT_ID,
    QBO_CLIENT_SECRET: CLIENT_SECRET,
    LOG_LEVEL: 'silent',
  });
  ({ app, ctx } = await buildSandbox(config, { logger: false, clock: () => START + (Date.now() - started) }));
  big = ctx.companies.add({
    provider: 'qbo',
    name: 'Paging Test Co',
    legalName: 'Paging Test Co LLC',
    country: 'US',
    currency: 'USD',
    edition: 'QuickBooks Online Advanced',
    classTracking: 'per_txn',
    classShare: 0.8,
    transactions: 5000,
    uncategorizedShare: 0.05,
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  OAuthClient.authorizeEndpoint = `${base}/qbo/connect/oauth2`;
  OAuthClient.tokenEndpoint = `${base}/qbo/oauth2/v1/tokens/bearer`;
  OAuthClient.revokeEndpoint = `${base}/qbo/oauth2/v1/tokens/revoke`;
  OAuthClient.userinfo_endpoint_sandbox = `${base}/qbo/v1/openid_connect/userinfo`;
  OAuthClient.userinfo_endpoint_production = `${base}/qbo/v1/openid_connect/userinfo`;
  OAuthClient.environment = { sandbox: `${base}/`, production: `${base}/` };
  client = newClient();
});

afterAll(async () => {
  await app?.close();
});

describe('QuickBooks Online sandbox through intuit-oauth', () => {
  it('shows an accessible consent page listing the QuickBooks companies, and Cancel answers access_denied', async () => {
    const html = await (
      await fetch(client.authorizeUri({ scope: [OAuthClient.scopes.Accounting], state: 's1' }))
    ).text();
    expect(html).toContain('<legend>Choose a company</legend>');
    for (const c of ctx.companies.list('qbo')) expect(html).toContain(`<label for="realm-${c.def.id}">`);
    expect(html).toContain('Acme Coffee Roasters');
    expect(html).not.toContain('Birch Dental Studio'); // a Xero organisation
    expect(html).toMatch(/<button type="submit" name="action" value="connect"[^>]*>Connect<\/button>/);

    const cancelled = new URL(await consent(client, 'Acme Coffee Roasters', 'cancel', 'cancel-state'));
    expect(cancelled.searchParams.get('error')).toBe('access_denied');
    expect(cancelled.searchParams.get('state')).toBe('cancel-state');
    expect(cancelled.searchParams.get('code')).toBeNull();
  });

  it('refuses a bad authorize request: unknown client on the page, missing scope back to the app', async () => {
    const unknown = await fetch(
      `${base}/qbo/connect/oauth2?client_id=nope&redirect_uri=${encodeURIComponent(REDIRECT_URI)}&response_type=code&scope=com.intuit.quickbooks.accounting&state=x`,
    );
    expect(unknown.status).toBe(400);
    const noScope = await fetch(
      `${base}/qbo/connect/oauth2?client_id=${CLIENT_ID}&redirect_uri=${encodeURIComponent(REDIRECT_URI)}&response_type=code&scope=openid&state=x`,
      { redirect: 'manual' },
    );
    expect(noScope.status).toBe(302);
    expect(new URL(noScope.headers.get('location')!).searchParams.get('error')).toBe('invalid_scope');
  });

  it('connects: the callback carries code, state and realmId, and createToken gets rotating tokens', async () => {
    const callback = await consent(client, 'Paging Test Co');
    const url = new URL(callback);
    expect(`${url.origin}${url.pathname}`).toBe(REDIRECT_URI);
    expect(url.searchParams.get('state')).toBe('state-123');
    expect(url.searchParams.get('realmId')).toBe(big.def.id);
    const res = await client.createToken(callback);
    const token = res.getToken();
    realmId = client.getToken().realmId!;
    expect(realmId).toBe(big.def.id);
    expect(token).toMatchObject({
      token_type: 'bearer',
      expires_in: 3600,
      x_refresh_token_expires_in: 8726400,
    });
    expect(token.access_token).toBeTruthy();
    expect(token.refresh_token).toBeTruthy();
  });

  it('answers companyinfo and preferences', async () => {
    const info = (await api(client, `companyinfo/${realmId}`)).json;
    expect(info.CompanyInfo).toMatchObject({
      CompanyName: 'Paging Test Co',
      LegalName: 'Paging Test Co LLC',
      Country: 'US',
      Id: '1',
      SyncToken: '0',
    });
    expect(info.CompanyInfo.NameValue).toContainEqual({
      Name: 'OfferingSku',
      Value: 'QuickBooks Online Advanced',
    });
    expect(info.time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}-0[78]:00$/);
    const prefs = (await api(client, 'preferences')).json;
    expect(prefs.Preferences.AccountingInfoPrefs).toMatchObject({
      ClassTrackingPerTxn: true,
      ClassTrackingPerTxnLine: false,
    });
    const user = await client.getUserInfo();
    expect(user.json).toMatchObject({ email: expect.any(String) });
  });

  it('pages through every Purchase with STARTPOSITION / MAXRESULTS 1000', async () => {
    const total = (await query(client, 'SELECT COUNT(*) FROM Purchase')).QueryResponse.totalCount;
    expect(total).toBeGreaterThan(2000);
    expect(total).toBeLessThanOrEqual(3000);
    const seen: string[] = [];
    for (let start = 1; start <= total; start += 1000) {
      const page = (await query(client, `SELECT * FROM Purchase STARTPOSITION ${start} MAXRESULTS 1000`))
        .QueryResponse;
      expect(page.startPosition).toBe(start);
      expect(page.maxResults).toBe(Math.min(1000, total - start + 1));
      seen.push(...page.Purchase.map((p: { Id: string }) => p.Id));
    }
    expect(new Set(seen).size).toBe(total);
    const first = (await query(client, 'SELECT * FROM Purchase MAXRESULTS 1')).QueryResponse.Purchase[0];
    expect(first).toMatchObject({
      domain: 'QBO',
      SyncToken: '0',
      TxnDate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      TotalAmt: expect.any(Number),
    });
    expect(first.Line[0]).toMatchObject({
      DetailType: 'AccountBasedExpenseLineDetail',
      AccountBasedExpenseLineDetail: { AccountRef: { value: expect.any(String), name: expect.any(String) } },
    });
    const after = (await query(client, `SELECT * FROM Purchase STARTPOSITION ${total + 1}`)).QueryResponse;
    expect(after).toEqual({});
    const posted = await api(client, 'query', {
      method: 'POST',
      body: 'SELECT COUNT(*) FROM Purchase',
      headers: { 'Content-Type': 'application/text' },
    });
    expect(posted.json.QueryResponse.totalCount).toBe(total);
    const accounts = (await query(client, "SELECT * FROM Account WHERE AccountType = 'Expense' ORDERBY Name"))
      .QueryResponse.Account;
    expect(accounts.map((a: { Name: string }) => a.Name)).toContain('Uncategorized Expense');
  });

  it('answers a bad query with a ValidationFault', async () => {
    const e = await rejection(query(client, 'SELECT * FROM Purchase MAXRESULTS 1001'));
    expect(e.code).toBe('4001');
    expect(e.fault!.errors[0].detail).toMatch(/Max allowed value is: 1000/);
    expect((await rejection(query(client, 'SELEKT * FROM Purchase'))).code).toBe('4000');
  });

  it('reports edits and deletions through CDC, and refuses to look back more than 30 days', async () => {
    const since = new Date(ctx.clock() - 1000).toISOString();
    const [a, b] = big
      .indicesOf(['spend'])
      .slice(-2)
      .map((i) => big.txn(i)!);
    big.update(a.id, { memo: 'Edited in the ledger' });
    big.remove(b.id);
    const cdc = (await api(client, `cdc?entities=Purchase,Deposit&changedSince=${encodeURIComponent(since)}`))
      .json;
    const [purchases, deposits] = cdc.CDCResponse[0].QueryResponse;
    expect(purchases.Purchase).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ Id: a.id, SyncToken: '1', PrivateNote: 'Edited in the ledger' }),
        { domain: 'QBO', status: 'Deleted', Id: b.id, MetaData: { LastUpdatedTime: expect.any(String) } },
      ]),
    );
    expect(deposits).toEqual({});
    // The deleted one is gone from queries.
    expect((await query(client, `SELECT * FROM Purchase WHERE Id = '${b.id}'`)).QueryResponse).toEqual({});
    // Generated history of the last 30 days counts as created then.
    const month = (
      await api(
        client,
        `cdc?entities=Purchase&changedSince=${encodeURIComponent(new Date(ctx.clock() - 29 * 86_400_000).toISOString())}`,
      )
    ).json;
    expect(month.CDCResponse[0].QueryResponse[0].Purchase.length).toBeGreaterThan(50);
    const old = await rejection(
      api(
        client,
        `cdc?entities=Purchase&changedSince=${encodeURIComponent(new Date(ctx.clock() - 31 * 86_400_000).toISOString())}`,
      ),
    );
    expect(old.code).toBe('4001');
  });

  it('updates Purchase lines sparsely, refusing a stale SyncToken', async () => {
    const id = big.txn(big.indicesOf(['spend'])[5])!.id;
    const current = (await api(client, `purchase/${id}`)).json.Purchase;
    const target = big.accounts.find((x) => x.name === 'Office Supplies & Software')!;
    const klass = big.classes[0];
    const body = {
      Id: id,
      SyncToken: current.SyncToken,
      sparse: true,
      Line: current.Line.map((l: { Id: string; Amount: number }) => ({
        Id: l.Id,
        Amount: l.Amount,
        DetailType: 'AccountBasedExpenseLineDetail',
        AccountBasedExpenseLineDetail: { AccountRef: { value: target.id }, ClassRef: { value: klass.id } },
      })),
    };
    const updated = (await api(client, 'purchase?operation=update&minorversion=75', { method: 'POST', body }))
      .json.Purchase;
    expect(updated.SyncToken).toBe(String(Number(current.SyncToken) + 1));
    expect(updated.TotalAmt).toBe(current.TotalAmt);
    for (const l of updated.Line) {
      expect(l.AccountBasedExpenseLineDetail.AccountRef).toEqual({ value: target.id, name: target.name });
      expect(l.AccountBasedExpenseLineDetail.ClassRef).toEqual({ value: klass.id, name: klass.name });
    }
    expect(big.txnById(id)!.lines.every((l) => l.accountId === target.id)).toBe(true);

    const stale = await rejection(api(client, 'purchase?operation=update', { method: 'POST', body }));
    expect(stale.code).toBe('5010');
    expect(stale.message).toBe('Stale Object Error');
    const badRef = await rejection(
      api(client, 'purchase?operation=update', {
        method: 'POST',
        body: {
          ...body,
          SyncToken: updated.SyncToken,
          Line: [{ ...body.Line[0], AccountBasedExpenseLineDetail: { AccountRef: { value: '999999' } } }],
        },
      }),
    );
    expect(badRef.code).toBe('2500');
  });

  it('updates JournalEntry and Bill lines: the Line array replaces the lines, Ids stay, journals must balance', async () => {
    const j = big.txn(big.indicesOf(['journal'])[3])!;
    const current = (await api(client, `journalentry/${j.id}`)).json.JournalEntry;
    const expense = big.accounts.find(
      (x) => x.kind === 'expense' && !j.lines.some((l) => l.accountId === x.id),
    )!;
    const [debit, credit] = current.Line;
    const moved = {
      ...debit,
      JournalEntryLineDetail: { ...debit.JournalEntryLineDetail, AccountRef: { value: expense.id } },
    };
    const updated = (
      await api(client, 'journalentry?minorversion=75', {
        method: 'POST',
        body: { Id: j.id, SyncToken: current.SyncToken, sparse: true, Line: [moved, credit] },
      })
    ).json.JournalEntry;
    expect(updated.SyncToken).toBe(String(Number(current.SyncToken) + 1));
    expect(Date.parse(updated.MetaData.LastUpdatedTime)).toBeGreaterThanOrEqual(
      Date.parse(current.MetaData.LastUpdatedTime),
    );
    expect(
      updated.Line.map((l: any) => [
        l.Id,
        l.JournalEntryLineDetail.PostingType,
        l.JournalEntryLineDetail.AccountRef.value,
      ]),
    ).toEqual([
      [debit.Id, 'Debit', expense.id],
      [credit.Id, 'Credit', credit.JournalEntryLineDetail.AccountRef.value],
    ]);
    expect(big.txnById(j.id)!.lines.map((l) => l.accountId)).toEqual([expense.id, j.lines[1].accountId]);

    const unbalanced = await rejection(
      api(client, 'journalentry', {
        method: 'POST',
        body: {
          Id: j.id,
          SyncToken: updated.SyncToken,
          sparse: true,
          Line: [{ ...moved, Amount: moved.Amount + 1 }, credit],
        },
      }),
    );
    expect(unbalanced.code).toBe('6000');
    const noSide = await rejection(
      api(client, 'journalentry', {
        method: 'POST',
        body: {
          Id: j.id,
          SyncToken: updated.SyncToken,
          sparse: true,
          Line: [{ ...moved, JournalEntryLineDetail: { AccountRef: { value: expense.id } } }, credit],
        },
      }),
    );
    expect(noSide.code).toBe('2020');

    // A Bill with two lines: the one left out is deleted; the one restated keeps its Id and loses
    // what it no longer states (its description and class).
    const bill = big
      .indicesOf(['bill'])
      .map((i) => big.txn(i)!)
      .find((t) => t.lines.length >= 2 && !t.deleted)!;
    const b = (await api(client, `bill/${bill.id}`)).json.Bill;
    const kept = b.Line[1];
    const rewritten = (
      await api(client, 'bill', {
        method: 'POST',
        body: {
          Id: bill.id,
          SyncToken: b.SyncToken,
          sparse: true,
          Line: [
            {
              Id: kept.Id,
              Amount: kept.Amount,
              DetailType: 'AccountBasedExpenseLineDetail',
              AccountBasedExpenseLineDetail: { AccountRef: { value: expense.id } },
            },
          ],
        },
      })
    ).json.Bill;
    expect(rewritten.Line).toHaveLength(1);
    expect(rewritten.Line[0]).toMatchObject({ Id: kept.Id, Amount: kept.Amount });
    expect(rewritten.Line[0].Description).toBeUndefined();
    expect(rewritten.Line[0].AccountBasedExpenseLineDetail.ClassRef).toBeUndefined();
    expect(rewritten.TotalAmt).toBe(kept.Amount);
    // The write shows up in CDC.
    const since = new Date(ctx.clock() - 60_000).toISOString();
    const cdc = (await api(client, `cdc?entities=Bill&changedSince=${encodeURIComponent(since)}`)).json;
    expect(cdc.CDCResponse[0].QueryResponse[0].Bill.map((x: any) => [x.Id, x.SyncToken])).toContainEqual([
      bill.id,
      rewritten.SyncToken,
    ]);

    // Invoices are read-only here.
    const invoice = big.txn(big.indicesOf(['invoice'])[0])!;
    const refused = await rejection(
      api(client, 'invoice', { method: 'POST', body: { Id: invoice.id, SyncToken: '0', sparse: true } }),
    );
    expect(refused.code).toBe('2010');
  });

  it('answers the next updates with a stale object (5010) on a stale_object fault; reads pass', async () => {
    const id = big.txn(big.indicesOf(['spend'])[9])!.id;
    const res = await fetch(`${base}/control/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ provider: 'qbo', companyId: big.def.id, kind: 'stale_object', count: 1 }),
    });
    expect(res.status).toBe(201);
    const current = (await api(client, `purchase/${id}`)).json.Purchase;
    const body = { Id: id, SyncToken: current.SyncToken, sparse: true, PrivateNote: 'After a conflict' };
    const stale = await rejection(api(client, 'purchase', { method: 'POST', body }));
    expect(stale.code).toBe('5010');
    expect((await api(client, `purchase/${id}`)).json.Purchase.SyncToken).toBe(current.SyncToken);
    const updated = (await api(client, 'purchase', { method: 'POST', body })).json.Purchase;
    expect(updated).toMatchObject({
      PrivateNote: 'After a conflict',
      SyncToken: String(Number(current.SyncToken) + 1),
    });
  });

  it('computes ProfitAndLoss and a balancing BalanceSheet from the transactions', async () => {
    const pl = (
      await api(
        client,
        'reports/ProfitAndLoss?start_date=2026-01-01&end_date=2026-06-30&accounting_method=Accrual',
      )
    ).json;
    expect(pl.Header).toMatchObject({
      ReportName: 'ProfitAndLoss',
      ReportBasis: 'Accrual',
      StartPeriod: '2026-01-01',
      EndPeriod: '2026-06-30',
      Currency: 'USD',
    });
    const section = (rows: { group?: string }[], group: string) =>
      rows.find((r) => r.group === group) as { Summary: { ColData: { value: string }[] } };
    const summary = (rows: { group?: string }[], group: string) =>
      Number(section(rows, group).Summary.ColData[1].value);

    // Independently: income accounts are credited, expense accounts debited.
    const kindOf = new Map(big.accounts.map((a) => [a.id, a.kind] as [string, AccountKind]));
    let income = 0;
    let expenses = 0;
    for (let i = 0; i < big.count; i++) {
      const t = big.txn(i) as Txn;
      if (t.deleted || t.date < '2026-01-01' || t.date > '2026-06-30') continue;
      for (const l of t.lines) {
        const kind = kindOf.get(l.accountId);
        const credit =
          t.kind === 'receive' ||
          t.kind === 'invoice' ||
          t.kind === 'sales_receipt' ||
          l.posting === 'credit';
        const signed = credit ? -l.amountMinor : l.amountMinor;
        if (kind === 'income' || kind === 'other_income') income -= signed;
        if (kind === 'expense' || kind === 'cost_of_sales' || kind === 'other_expense') expenses += signed;
      }
    }
    const rows = pl.Rows.Row;
    expect(Math.round(summary(rows, 'Income') * 100) + Math.round(summary(rows, 'OtherIncome') * 100)).toBe(
      income,
    );
    expect(
      Math.round(summary(rows, 'COGS') * 100) +
        Math.round(summary(rows, 'Expenses') * 100) +
        Math.round(summary(rows, 'OtherExpenses') * 100),
    ).toBe(expenses);
    expect(Math.round(summary(rows, 'NetIncome') * 100)).toBe(income - expenses);
    expect(pl.Rows.Row[0].Rows.Row[0]).toMatchObject({
      type: 'Data',
      ColData: [
        { value: expect.any(String), id: expect.any(String) },
        { value: expect.stringMatching(/^-?\d+\.\d{2}$/) },
      ],
    });

    const bs = (await api(client, 'reports/BalanceSheet?end_date=2026-10-31')).json;
    expect(bs.Header.ReportName).toBe('BalanceSheet');
    expect(summary(bs.Rows.Row, 'TotalAssets')).toBeCloseTo(
      summary(bs.Rows.Row, 'TotalLiabilitiesAndEquity'),
      2,
    );
  });

  it('throttles past 500 requests a minute and past 10 in flight (429, 003001)', async () => {
    ctx.offsetMs += 61_000; // a fresh minute
    for (let i = 0; i < 500; i++) await api(client, 'preferences');
    const throttled = await rejection(api(client, 'preferences'));
    expect(throttled.code).toBe('RATE_LIMIT_EXCEEDED');
    const raw = await fetch(`${base}/v3/company/${realmId}/preferences`, {
      headers: { Authorization: `Bearer ${client.getToken().access_token}`, Accept: 'application/json' },
    });
    expect(raw.status).toBe(429);
    expect(((await raw.json()) as { Fault: { Error: unknown[] } }).Fault.Error[0]).toMatchObject({
      code: '003001',
      Message: expect.stringContaining('ThrottleExceeded'),
    });

    ctx.offsetMs += 61_000;
    ctx.faults.add({ provider: 'qbo', kind: 'latency', latencyMs: 300, remaining: 10, companyId: realmId });
    const results = await Promise.allSettled(Array.from({ length: 11 }, () => api(client, 'preferences')));
    const rejected = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
    expect(rejected).toHaveLength(1);
    expect((rejected[0].reason as Rejection).code).toBe('RATE_LIMIT_EXCEEDED');
    ctx.faults.clear();
  });

  it('fails on demand: one 500, then fine', async () => {
    ctx.faults.add({ provider: 'qbo', kind: 'status', status: 500, remaining: 1, companyId: realmId });
    expect((await rejection(api(client, 'preferences'))).code).toBe('INTERNAL_SERVER_ERROR');
    expect((await api(client, 'preferences')).status).toBe(200);
  });

  it('expires access tokens after an hour (401, 3200); a refresh rotates the refresh token', async () => {
    const oldRefresh = client.getToken().refresh_token;
    ctx.offsetMs += 3601_000;
    expect((await rejection(api(client, 'preferences'))).code).toBe('401');
    const raw = await fetch(`${base}/v3/company/${realmId}/preferences`, {
      headers: { Authorization: `Bearer ${client.getToken().access_token}` },
    });
    expect(raw.status).toBe(401);
    expect(((await raw.json()) as { Fault: unknown }).Fault).toMatchObject({
      type: 'AuthenticationFault',
      Error: [{ code: '3200', Message: 'message=AuthenticationFailed; errorCode=003200; statusCode=401' }],
    });

    await client.refresh();
    expect(client.getToken().refresh_token).not.toBe(oldRefresh);
    expect((await api(client, 'preferences')).status).toBe(200);
    const replay = await rejection(newClient().refreshUsingToken(oldRefresh));
    expect(replay.error).toBe('invalid_grant');
    // The rotated one still works after the failed replay.
    await client.refresh();
    expect((await api(client, 'preferences')).status).toBe(200);
  });

  it('keeps realms apart: a token for one company is refused for another', async () => {
    const acmeClient = newClient();
    await acmeClient.createToken(await consent(acmeClient, 'Acme Coffee Roasters'));
    const acme = acmeClient.getToken().realmId!;
    expect(acme).not.toBe(realmId);
    const res = await fetch(`${base}/v3/company/${realmId}/preferences`, {
      headers: { Authorization: `Bearer ${acmeClient.getToken().access_token}` },
    });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { Fault: { type: string } }).Fault.type).toBe('AuthorizationFault');
  });

  it('refuses a replayed authorization code and revokes what it issued', async () => {
    const c = newClient();
    const callback = await consent(c, 'Cedar Yoga Collective');
    await c.createToken(callback);
    expect((await api(c, 'preferences')).status).toBe(200);
    const replay = await rejection(newClient().createToken(callback));
    expect(replay.error).toBe('invalid_grant');
    expect((await rejection(api(c, 'preferences'))).code).toBe('401');
  });

  it('refuses a bad client secret at the token endpoint', async () => {
    const res = await fetch(OAuthClient.tokenEndpoint, {
      method: 'POST',
      headers: {
        Authorization: `Basic ${Buffer.from(`${CLIENT_ID}:wrong`).toString('base64')}`,
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: client.getToken().refresh_token!,
      }),
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: 'invalid_client' });
  });

  it('offers the control hooks: expire all access tokens, revoke a realm', async () => {
    const hooks = ctx.hooks.get('qbo')!;
    expect(hooks.expireAccessTokens()).toBeGreaterThanOrEqual(1);
    expect((await rejection(api(client, 'preferences'))).code).toBe('401');
    await client.refresh();
    expect((await api(client, 'preferences')).status).toBe(200);

    const other = newClient();
    await other.createToken(await consent(other, 'Sandbox Company US'));
    expect(hooks.revokeGrants(other.getToken().realmId!)).toBe(1);
    expect((await rejection(other.refresh())).error).toBe('invalid_grant');
  });

  it('revokes the grant: refresh answers invalid_grant and calls 401', async () => {
    const refreshToken = client.getToken().refresh_token!;
    const accessToken = client.getToken().access_token!;
    await client.revoke();
    const again = newClient();
    expect((await rejection(again.refreshUsingToken(refreshToken))).error).toBe('invalid_grant');
    const res = await fetch(`${base}/v3/company/${realmId}/preferences`, {
      headers: { Authorization: `Bearer ${accessToken}` },
    });
    expect(res.status).toBe(401);
  });
});

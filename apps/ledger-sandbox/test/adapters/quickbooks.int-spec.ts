import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { loadSandboxConfig } from '../../src/config';
import type { SandboxContext } from '../../src/context';
import type { CompanyLedger } from '../../src/model/company-ledger';
import type { Payee, Txn, TxnKind } from '../../src/model/ledger';
import { buildSandbox } from '../../src/server';
import { consentAsBrowser, controlClient } from '../../src/testing';
import {
  createLedgerProvider,
  LedgerConsentRefused,
  LedgerGrantRevoked,
  type LedgerProvider,
  LedgerRateLimited,
  type LedgerTransaction,
  LedgerTokenExpired,
  LedgerUnavailable,
  sandboxSettings,
  type TokenSet,
} from '@ledgerport/ledger';

/**
 * The QuickBooks adapter against the real ledger sandbox, in-process: consent page, callback,
 * company details, accounts, refresh rotation, expiry, faults, revocation — all through intuit-oauth.
 */
jest.setTimeout(60_000);

const CLIENT_ID = 'ledger-lib-qbo-client';
const CLIENT_SECRET = 'ledger-lib-qbo-secret';
const REDIRECT_URI = 'http://127.0.0.1:1/ledger/qbo/callback';
const START = Date.parse('2026-11-23T12:00:00Z');

let app: FastifyInstance;
let ctx: SandboxContext;
let base: string;
let qbo: LedgerProvider;
let acme: CompanyLedger;
let tokens: TokenSet;

/** Opens the consent page like a browser, picks the company and submits; answers the callback URL. */
const consent = (url: string, companyName: string, action: 'connect' | 'cancel' = 'connect') =>
  consentAsBrowser(url, action === 'connect' ? [companyName] : [], action === 'connect' ? 'allow' : 'cancel');

async function connect(companyName: string, state: string) {
  const start = await qbo.startConsent(state);
  return qbo.completeConsent(await consent(start.url, companyName), { state });
}

const { send: control, get: controlGet } = controlClient(() => base);

beforeAll(async () => {
  const started = Date.now();
  const config = loadSandboxConfig({
    SANDBOX_PORT: '0',
    SANDBOX_TODAY: '2026-11-23',
    SANDBOX_SEED: 'ledger-lib-qbo',
    SANDBOX_TRANSACTIONS: '200',
    QBO_CLIENT_ID: CLIENT_ID,
    QBO_CLIENT_SECRET: CLIENT_SECRET,
    LOG_LEVEL: 'silent',
  });
  ({ app, ctx } = await buildSandbox(config, { logger: false, clock: () => START + (Date.now() - started) }));
  await app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  acme = ctx.companies.list('qbo').find((c) => c.def.name === 'Acme Coffee Roasters')!;
  const settings = sandboxSettings(base, {
    qbo: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUri: REDIRECT_URI },
    xero: { redirectUri: REDIRECT_URI },
  });
  // The provider reads the sandbox's clock, so CDC's 30-day limit is measured from the same "now" as the data.
  qbo = createLedgerProvider('qbo', settings.qbo, { retryTokenCalls: false, now: () => ctx.clock() });
});

afterAll(async () => {
  await app?.close();
});

describe('QuickBooks adapter against the ledger sandbox', () => {
  it('starts a consent on the sandbox authorize page with the accounting scope and the state', async () => {
    const start = await qbo.startConsent('state-1');
    const url = new URL(start.url);
    expect(`${url.origin}${url.pathname}`).toBe(`${base}/qbo/connect/oauth2`);
    expect(url.searchParams.get('state')).toBe('state-1');
    expect(url.searchParams.get('scope')).toBe('com.intuit.quickbooks.accounting');
    expect(url.searchParams.get('client_id')).toBe(CLIENT_ID);
    expect(url.searchParams.get('redirect_uri')).toBe(REDIRECT_URI);
    expect(start.codeVerifier).toBeUndefined();
  });

  it('turns Cancel into LedgerConsentRefused, and refuses a callback of another flow', async () => {
    const start = await qbo.startConsent('cancel-me');
    const cancelled = await consent(start.url, 'Acme Coffee Roasters', 'cancel');
    await expect(qbo.completeConsent(cancelled, { state: 'cancel-me' })).rejects.toBeInstanceOf(
      LedgerConsentRefused,
    );

    const other = await qbo.startConsent('flow-a');
    const callback = await consent(other.url, 'Acme Coffee Roasters');
    await expect(qbo.completeConsent(callback, { state: 'flow-b' })).rejects.toThrow(/state mismatch/);
  });

  it('connects: tokens and the company picked, named from companyinfo', async () => {
    const result = await connect('Acme Coffee Roasters', 'connect-acme');
    tokens = result.tokens;
    expect(result.companies).toEqual([{ externalId: acme.def.id, name: 'Acme Coffee Roasters' }]);
    expect(tokens.accessToken).toBeTruthy();
    expect(tokens.refreshToken).toBeTruthy();
    const hour = tokens.accessExpiresAt.getTime() - ctx.clock();
    expect(hour).toBeGreaterThan(3590_000);
    expect(hour).toBeLessThanOrEqual(3600_000);
    expect(tokens.refreshExpiresAt!.getTime() - ctx.clock()).toBeGreaterThan(100 * 86_400_000);
  });

  it('refuses a replayed callback (the code is single use)', async () => {
    const start = await qbo.startConsent('replay');
    const callback = await consent(start.url, 'Sandbox Company US');
    await qbo.completeConsent(callback, { state: 'replay' });
    await expect(qbo.completeConsent(callback, { state: 'replay' })).rejects.toThrow(/invalid_grant/);
  });

  it('reads the company details: edition, class tracking per transaction, classes, payroll', async () => {
    const d = await qbo.companyDetails(tokens.accessToken, acme.def.id);
    expect(d).toMatchObject({
      externalId: acme.def.id,
      name: 'Acme Coffee Roasters',
      legalName: 'Acme Coffee Roasters LLC',
      edition: 'QuickBooks Online Plus',
      country: 'US',
      currency: 'USD',
      classTracking: 'per_txn',
      payroll: 'not_connected',
      fixedAssets: 'unknown',
    });
    expect(d.classes.map((c) => c.id).sort()).toEqual(acme.classes.map((c) => c.id).sort());
    for (const c of acme.classes)
      expect(d.classes).toContainEqual({ id: c.id, name: c.name, active: c.active });
    expect(d.dashboardUrl).toBe(`${base}/qbo/app/homepage?deeplinkcompanyid=${acme.def.id}`);
  });

  it('reads class tracking per line and off from the other companies', async () => {
    const sandboxUs = await connect('Sandbox Company US', 'connect-us');
    const us = await qbo.companyDetails(sandboxUs.tokens.accessToken, sandboxUs.companies[0].externalId);
    expect(us).toMatchObject({ edition: 'QuickBooks Online Advanced', classTracking: 'per_line' });
    const cedar = await connect('Cedar Yoga Collective', 'connect-cedar');
    const c = await qbo.companyDetails(cedar.tokens.accessToken, cedar.companies[0].externalId);
    expect(c).toMatchObject({
      name: 'Cedar Yoga Collective',
      edition: 'QuickBooks Online Essentials',
      classTracking: 'off',
    });
  });

  it('reads the chart of accounts, inactive ones included', async () => {
    const retired = acme.accounts.find((a) => a.kind === 'expense' && !a.uncategorized)!;
    retired.active = false;
    const accounts = await qbo.accounts(tokens.accessToken, acme.def.id);
    retired.active = true;
    expect(accounts).toContainEqual(expect.objectContaining({ id: retired.id, active: false }));
    expect(accounts).toHaveLength(acme.accounts.length);
    const uncategorized = accounts.find((a) => a.name === 'Uncategorized Expense');
    expect(uncategorized).toMatchObject({ type: 'Expense', active: true });
    const sample = acme.accounts[0];
    expect(accounts).toContainEqual(
      expect.objectContaining({
        id: sample.id,
        name: sample.name,
        code: sample.code ?? null,
        active: sample.active,
      }),
    );
  });

  it('refreshes with rotation: the used refresh token then answers LedgerGrantRevoked', async () => {
    const old = tokens;
    tokens = await qbo.refresh(old.refreshToken);
    expect(tokens.refreshToken).not.toBe(old.refreshToken);
    expect(tokens.accessToken).not.toBe(old.accessToken);
    await expect(qbo.refresh(old.refreshToken)).rejects.toBeInstanceOf(LedgerGrantRevoked);
    expect((await qbo.companyDetails(tokens.accessToken, acme.def.id)).name).toBe('Acme Coffee Roasters');
  });

  it('maps an expired access token to LedgerTokenExpired; a refresh fixes it', async () => {
    expect(await control('/tokens/expire', { provider: 'qbo' })).toMatchObject({
      expired: expect.any(Number),
    });
    await expect(qbo.accounts(tokens.accessToken, acme.def.id)).rejects.toBeInstanceOf(LedgerTokenExpired);
    tokens = await qbo.refresh(tokens.refreshToken);
    expect((await qbo.accounts(tokens.accessToken, acme.def.id)).length).toBeGreaterThan(10);

    // An hour of the sandbox's clock later, the same.
    ctx.offsetMs += 3601_000;
    await expect(qbo.companyDetails(tokens.accessToken, acme.def.id)).rejects.toBeInstanceOf(
      LedgerTokenExpired,
    );
    tokens = await qbo.refresh(tokens.refreshToken);
    expect((await qbo.companyDetails(tokens.accessToken, acme.def.id)).edition).toBe(
      'QuickBooks Online Plus',
    );
  });

  it('maps throttling (429, 003001) to LedgerRateLimited and a 500 to LedgerUnavailable', async () => {
    await control('/faults', {
      provider: 'qbo',
      companyId: acme.def.id,
      kind: 'status',
      status: 429,
      count: 1,
    });
    const limited = await qbo.accounts(tokens.accessToken, acme.def.id).catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(LedgerRateLimited);
    expect((limited as LedgerRateLimited).retryAfterMs).toBe(60_000);

    await control('/faults', {
      provider: 'qbo',
      companyId: acme.def.id,
      kind: 'status',
      status: 500,
      count: 1,
    });
    await expect(qbo.accounts(tokens.accessToken, acme.def.id)).rejects.toBeInstanceOf(LedgerUnavailable);
    expect((await qbo.accounts(tokens.accessToken, acme.def.id)).length).toBeGreaterThan(10);
  });

  it('maps a grant revoked at the provider (control API) to LedgerGrantRevoked on refresh', async () => {
    const us = await connect('Sandbox Company US', 'connect-us-2');
    const { revoked } = (await control('/grants/revoke', {
      provider: 'qbo',
      companyId: us.companies[0].externalId,
    })) as { revoked: number };
    expect(revoked).toBeGreaterThanOrEqual(1);
    await expect(qbo.refresh(us.tokens.refreshToken)).rejects.toBeInstanceOf(LedgerGrantRevoked);
  });

  it('revokes the grant: refresh then throws LedgerGrantRevoked and calls LedgerTokenExpired', async () => {
    await qbo.revoke(tokens);
    await expect(qbo.refresh(tokens.refreshToken)).rejects.toBeInstanceOf(LedgerGrantRevoked);
    await expect(qbo.accounts(tokens.accessToken, acme.def.id)).rejects.toBeInstanceOf(LedgerTokenExpired);
  });

  it('maps an unreachable service to LedgerUnavailable', async () => {
    const dead = sandboxSettings('http://127.0.0.1:9', {
      qbo: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUri: REDIRECT_URI },
      xero: { redirectUri: REDIRECT_URI },
    });
    const offline = createLedgerProvider('qbo', dead.qbo, { retryTokenCalls: false });
    await expect(offline.refresh('whatever')).rejects.toBeInstanceOf(LedgerUnavailable);
    await expect(offline.accounts('token', acme.def.id)).rejects.toBeInstanceOf(LedgerUnavailable);
  });
});

// ------------------------------------------------------------------ reading transactions

/** The QuickBooks entity of each of the sandbox's neutral kinds. */
const ENTITY: Record<TxnKind, string> = {
  spend: 'Purchase',
  receive: 'Deposit',
  journal: 'JournalEntry',
  transfer: 'Transfer',
  bill: 'Bill',
  bill_payment: 'BillPayment',
  invoice: 'Invoice',
  payment: 'Payment',
  sales_receipt: 'SalesReceipt',
};
const MONEY_OUT: TxnKind[] = ['spend', 'bill', 'bill_payment'];

/** Cents → "-12.50", independently of the adapter's own formatting. */
const decimal = (cents: number) => `${cents < 0 ? '-' : ''}${(Math.abs(cents) / 100).toFixed(2)}`;

/** Every transaction of a sandbox company through the control API (its own paging), deleted ones included. */
async function sandboxTransactions(companyId: string): Promise<Txn[]> {
  const out: Txn[] = [];
  for (let offset = 0; ; offset += 1000) {
    const page = await controlGet<{ total: number; transactions: Txn[] }>(
      `/companies/${companyId}/transactions?offset=${offset}&limit=1000`,
    );
    out.push(...page.transactions);
    if (offset + 1000 >= page.total) return out;
  }
}

/** Every page of one type, checking that each page but the last is full. */
async function readAll(
  provider: LedgerProvider,
  token: string,
  companyId: string,
  q: { type: string; from?: string; changedSince?: Date; pageSize?: number },
): Promise<LedgerTransaction[]> {
  const out: LedgerTransaction[] = [];
  let cursor: string | null = null;
  for (let n = 0; n < 10_000; n++) {
    const page = await provider.transactions(token, companyId, { ...q, cursor });
    out.push(...page.items);
    if (page.next === null) return out;
    expect(page.items).toHaveLength(q.pageSize ?? 1000);
    cursor = page.next;
  }
  throw new Error('too many pages');
}

/** What the adapter must have made of one sandbox transaction (its neutral model). */
function expectMapped(got: LedgerTransaction, t: Txn) {
  const lineClass = t.lines.find((l) => l.classId)?.classId ?? null;
  expect({
    type: got.type,
    id: got.id,
    date: got.date,
    amount: got.amount,
    currency: got.currency,
    payee: got.payee?.id ?? null,
    bankAccount: got.bankAccount?.id ?? null,
    account: got.account?.id ?? null,
    class: got.class?.id ?? null,
    reference: got.reference,
    lines: got.lines.length,
    deleted: got.deleted,
  }).toEqual({
    type: ENTITY[t.kind],
    id: t.id,
    date: t.date,
    amount: decimal(MONEY_OUT.includes(t.kind) ? -t.totalMinor : t.totalMinor),
    currency: t.currency,
    payee: t.payeeId,
    bankAccount: ['bill', 'invoice', 'journal'].includes(t.kind) ? null : t.bankAccountId,
    account: t.toAccountId ?? t.lines[0].accountId,
    class: lineClass,
    reference: t.docNumber || null,
    lines: t.kind === 'transfer' ? 0 : t.lines.length,
    deleted: false,
  });
  if (t.memo) expect(got.memo).toBe(t.memo);
  // QuickBooks shows whole seconds.
  expect(got.updatedAt).toBe(new Date(Math.floor(Date.parse(t.updatedAt) / 1000) * 1000).toISOString());
  if (t.kind !== 'transfer') {
    const cents = (s: string) => Math.round(Number(s) * 100);
    expect(got.lines.map((l) => cents(l.amount))).toEqual(t.lines.map((l) => l.amountMinor));
  }
  if (t.kind === 'journal') {
    expect(got.lines.map((l) => l.posting)).toEqual(t.lines.map((l) => l.posting));
  }
  expect(() => JSON.stringify(got.raw)).not.toThrow();
  expect((got.raw as { Id?: string }).Id).toBe(t.id);
}

describe('QuickBooks adapter: reading transactions', () => {
  let token: string;
  let live: Txn[];

  beforeAll(async () => {
    token = (await connect('Acme Coffee Roasters', 'connect-acme-txns')).tokens.accessToken;
    live = (await sandboxTransactions(acme.def.id)).filter((t) => !t.deleted);
  });

  it('names the nine transaction entities, in backfill order', () => {
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

  it('pages through every type: exactly the sandbox’s transactions, each mapped from the ledger', async () => {
    expect(live.length).toBeGreaterThan(200);
    const byId = new Map(live.map((t) => [t.id, t]));
    const details = await qbo.companyDetails(token, acme.def.id);
    const classes = new Map(details.classes.map((c) => [c.id, c.name]));
    const seen = new Set<string>();
    for (const type of qbo.transactionTypes()) {
      const expected = live.filter((t) => ENTITY[t.kind] === type);
      expect(expected.length).toBeGreaterThan(0);
      // Small pages, so every type takes several (or at least one full and one short).
      const pageSize = Math.max(2, Math.ceil(expected.length / 3));
      const got = await readAll(qbo, token, acme.def.id, { type, pageSize });
      expect(got).toHaveLength(expected.length);
      expect(new Set(got.map((t) => t.id))).toEqual(new Set(expected.map((t) => t.id)));
      for (const t of got) {
        expect(seen.has(t.id)).toBe(false);
        seen.add(t.id);
        expectMapped(t, byId.get(t.id)!);
        for (const c of t.lines.flatMap((l) => l.classes)) expect(classes.get(c.id)).toBe(c.name);
      }
    }
    expect(seen.size).toBe(live.length);
  });

  it('reads 1,000 a page by default, and limits a backfill by date with `from`', async () => {
    const first = await qbo.transactions(token, acme.def.id, { type: 'Purchase' });
    const purchases = live.filter((t) => t.kind === 'spend');
    expect(purchases.length).toBeLessThan(1000);
    expect(first.next).toBeNull();
    expect(first.items).toHaveLength(purchases.length);

    const dates = purchases.map((t) => t.date).sort();
    const from = dates[Math.floor(dates.length / 2)];
    const got = await readAll(qbo, token, acme.def.id, { type: 'Purchase', from, pageSize: 20 });
    const expected = purchases.filter((t) => t.date >= from);
    expect(expected.length).toBeLessThan(purchases.length);
    expect(new Set(got.map((t) => t.id))).toEqual(new Set(expected.map((t) => t.id)));
    expect(got.every((t) => t.date >= from)).toBe(true);
  });

  it('sees an edit and a delete made through the control API: changes (CDC) and changedSince', async () => {
    const since = new Date(ctx.clock());
    await new Promise((r) => setTimeout(r, 5));
    const purchase = live.find((t) => t.kind === 'spend' && t.lines.length === 1)!;
    const deposit = live.find((t) => t.kind === 'receive')!;
    const edited = (await control(
      `/companies/${acme.def.id}/transactions/${purchase.id}`,
      {
        memo: 'Edited through the control API',
        lines: [{ ...purchase.lines[0], id: undefined, amountMinor: 30 }],
      },
      'PATCH',
    )) as Txn;
    expect(edited.totalMinor).toBe(30);
    await control(`/companies/${acme.def.id}/transactions/${deposit.id}`, undefined, 'DELETE');

    const changes = await qbo.changes(token, acme.def.id, since);
    expect(changes).not.toBeNull();
    expect(changes!.complete).toBe(true);
    const changedPurchase = changes!.items.find((t) => t.id === purchase.id);
    expect(changedPurchase).toMatchObject({
      type: 'Purchase',
      amount: '-0.30',
      memo: 'Edited through the control API',
      deleted: false,
    });
    expectMapped(changedPurchase!, edited);
    expect(changes!.items.find((t) => t.id === deposit.id)).toMatchObject({
      type: 'Deposit',
      id: deposit.id,
      deleted: true,
      lines: [],
      payee: null,
    });
    expect(Date.parse(changes!.items.find((t) => t.id === deposit.id)!.updatedAt)).toBeGreaterThanOrEqual(
      Math.floor(since.getTime() / 1000) * 1000,
    );
    // Nothing but those two changed since.
    expect(changes!.items.map((t) => t.id).sort()).toEqual([purchase.id, deposit.id].sort());

    // The query endpoint with changedSince: the edit; a deleted transaction is simply gone.
    const purchases = await readAll(qbo, token, acme.def.id, { type: 'Purchase', changedSince: since });
    expect(purchases.map((t) => t.id)).toEqual([purchase.id]);
    expect(purchases[0].amount).toBe('-0.30');
    const deposits = await readAll(qbo, token, acme.def.id, { type: 'Deposit', changedSince: since });
    expect(deposits).toEqual([]);
    const all = await readAll(qbo, token, acme.def.id, { type: 'Deposit' });
    expect(all.some((t) => t.id === deposit.id)).toBe(false);
    expect(all).toHaveLength(live.filter((t) => t.kind === 'receive').length - 1);
  });

  it('returns null from changes for a `since` more than 30 days back, without calling QuickBooks', async () => {
    const now = ctx.clock();
    const qboClock = createLedgerProvider(
      'qbo',
      sandboxSettings(base, {
        qbo: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUri: REDIRECT_URI },
        xero: { redirectUri: REDIRECT_URI },
      }).qbo,
      { retryTokenCalls: false, now: () => ctx.clock() },
    );
    expect(await qboClock.changes(token, acme.def.id, new Date(now - 31 * 86_400_000))).toBeNull();
    // 29 days back is within reach: an answer, with the generated transactions of those days.
    const recent = await qboClock.changes(token, acme.def.id, new Date(now - 29 * 86_400_000));
    expect(recent?.complete).toBe(true);
    expect(recent!.items.length).toBeGreaterThan(0);
    // An unreachable QuickBooks proves no call is made for an old `since`.
    const offline = createLedgerProvider(
      'qbo',
      sandboxSettings('http://127.0.0.1:9', {
        qbo: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUri: REDIRECT_URI },
        xero: { redirectUri: REDIRECT_URI },
      }).qbo,
      { retryTokenCalls: false, now: () => ctx.clock() },
    );
    expect(await offline.changes(token, acme.def.id, new Date(now - 31 * 86_400_000))).toBeNull();
    await expect(offline.changes(token, acme.def.id, new Date(now - 86_400_000))).rejects.toBeInstanceOf(
      LedgerUnavailable,
    );
  });

  it('reports complete: false when CDC cut the answer at 1,000 objects', async () => {
    const created = (await control('/companies', {
      provider: 'qbo',
      name: 'Busy Bakery',
      transactions: 30_000,
      seed: 'busy-bakery',
    })) as { id: string };
    const busy = await connect('Busy Bakery', 'connect-busy');
    expect(busy.companies[0].externalId).toBe(created.id);
    const since = new Date(ctx.clock() - 29 * 86_400_000);
    const inWindow = (await sandboxTransactions(created.id)).filter(
      (t) => Date.parse(t.updatedAt) > since.getTime() && Date.parse(t.updatedAt) <= ctx.clock(),
    );
    expect(inWindow.length).toBeGreaterThan(1000);
    const changes = await qbo.changes(busy.tokens.accessToken, created.id, since);
    expect(changes!.complete).toBe(false);
    expect(changes!.items).toHaveLength(1000);
    const ids = new Set(inWindow.map((t) => t.id));
    expect(changes!.items.every((t) => ids.has(t.id) && !t.deleted)).toBe(true);
  });

  it('maps a 429 on a transaction page to LedgerRateLimited with the retry delay', async () => {
    await control('/faults', {
      provider: 'qbo',
      companyId: acme.def.id,
      kind: 'status',
      status: 429,
      count: 1,
    });
    const limited = await qbo.transactions(token, acme.def.id, { type: 'Invoice' }).catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(LedgerRateLimited);
    expect((limited as LedgerRateLimited).retryAfterMs).toBeGreaterThan(0);
    await control('/faults', {
      provider: 'qbo',
      companyId: acme.def.id,
      kind: 'status',
      status: 429,
      count: 1,
    });
    await expect(qbo.changes(token, acme.def.id, new Date(ctx.clock() - 3600_000))).rejects.toBeInstanceOf(
      LedgerRateLimited,
    );
    // Then the same call works.
    expect((await qbo.transactions(token, acme.def.id, { type: 'Invoice' })).items.length).toBeGreaterThan(0);
  });

  it('lists the payees: every vendor and customer', async () => {
    const { payees: expected } = await controlGet<{ payees: Payee[] }>(`/companies/${acme.def.id}/payees`);
    const payees = await qbo.payees(token, acme.def.id);
    expect(payees).toHaveLength(expected.length);
    expect(payees.sort((a, b) => a.id.localeCompare(b.id))).toEqual(
      expected
        .map((p) => ({ id: p.id, name: p.name, kind: p.kind, active: true }))
        .sort((a, b) => a.id.localeCompare(b.id)),
    );
    expect(payees.filter((p) => p.kind === 'vendor').length).toBeGreaterThan(0);
    expect(payees.filter((p) => p.kind === 'customer').length).toBeGreaterThan(0);
  });
});

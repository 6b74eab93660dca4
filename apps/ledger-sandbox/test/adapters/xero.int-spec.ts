import type { FastifyInstance } from 'fastify';
import { loadSandboxConfig } from '../../src/config';
import type { SandboxContext } from '../../src/context';
import type { CompanyLedger } from '../../src/model/company-ledger';
import type { Payee, Txn, TxnKind } from '../../src/model/ledger';
import { buildSandbox } from '../../src/server';
import { consentAsBrowser, freePort, controlClient } from '../../src/testing';
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
  type XeroSettings,
} from '@ledgerport/ledger';

/**
 * The Xero adapter against the real ledger sandbox, in-process: OpenID Connect discovery, consent
 * with PKCE, connections, organisation details, accounts, refresh rotation, expiry, faults,
 * revocation — all through xero-node and openid-client.
 */
jest.setTimeout(60_000);

const CLIENT_ID = 'ledger-lib-xero-client';
const CLIENT_SECRET = 'ledger-lib-xero-secret';
const REDIRECT_URI = 'http://127.0.0.1:1/ledger/xero/callback';
const MINUTE = 60_000;

let app: FastifyInstance;
let ctx: SandboxContext;
let base: string;
let settings: XeroSettings;
let xero: LedgerProvider;
let birch: CompanyLedger;
let cedar: CompanyLedger;
let tokens: TokenSet;

/** Opens the organisation picker like a browser, ticks the organisations and submits; answers the callback URL. */
const consent = (url: string, pick: string[], action: 'allow' | 'cancel' = 'allow') =>
  consentAsBrowser(url, pick, action);

const { send: control, get: controlGet } = controlClient(() => base);

beforeAll(async () => {
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  const config = loadSandboxConfig({
    SANDBOX_URL: base,
    SANDBOX_PORT: String(port),
    SANDBOX_TODAY: '2026-11-23',
    SANDBOX_SEED: 'ledger-lib-xero',
    SANDBOX_TRANSACTIONS: '200',
    XERO_CLIENT_ID: CLIENT_ID,
    XERO_CLIENT_SECRET: CLIENT_SECRET,
    LOG_LEVEL: 'silent',
  });
  ({ app, ctx } = await buildSandbox(config, { logger: false }));
  await app.listen({ port, host: '127.0.0.1' });
  birch = ctx.companies.list('xero').find((c) => c.def.name === 'Birch Dental Studio')!;
  cedar = ctx.companies.list('xero').find((c) => c.def.name === 'Cedar Yoga Collective')!;
  settings = sandboxSettings(base, {
    qbo: { redirectUri: REDIRECT_URI },
    xero: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUri: REDIRECT_URI },
  }).xero;
  xero = createLedgerProvider('xero', settings);
});

afterAll(async () => {
  await app?.close();
});

describe('Xero adapter against the ledger sandbox', () => {
  it('starts a consent on the discovered authorize endpoint, with state, nonce and PKCE (S256)', async () => {
    const start = await xero.startConsent('state-1');
    const url = new URL(start.url);
    expect(`${url.origin}${url.pathname}`).toBe(`${base}/xero/identity/connect/authorize`);
    expect(url.searchParams.get('state')).toBe('state-1');
    expect(url.searchParams.get('client_id')).toBe(CLIENT_ID);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('code_challenge')).toBeTruthy();
    expect(url.searchParams.get('nonce')).toBe(start.nonce);
    expect(start.codeVerifier).toMatch(/^[\w-]{43,}$/);
    expect(url.searchParams.get('scope')!.split(' ')).toEqual(
      expect.arrayContaining(['offline_access', 'accounting.settings.read']),
    );
  });

  it('turns Cancel into LedgerConsentRefused, and refuses a callback of another flow or a wrong verifier', async () => {
    const start = await xero.startConsent('cancel-me');
    const cancelled = await consent(start.url, [], 'cancel');
    await expect(
      xero.completeConsent(cancelled, {
        state: 'cancel-me',
        codeVerifier: start.codeVerifier,
        nonce: start.nonce,
      }),
    ).rejects.toBeInstanceOf(LedgerConsentRefused);

    const other = await xero.startConsent('flow-a');
    const callback = await consent(other.url, ['Cedar Yoga Collective']);
    await expect(
      xero.completeConsent(callback, {
        state: 'flow-b',
        codeVerifier: other.codeVerifier,
        nonce: other.nonce,
      }),
    ).rejects.toThrow(/state mismatch/);
    await expect(
      xero.completeConsent(callback, { state: 'flow-a', codeVerifier: 'x'.repeat(43), nonce: other.nonce }),
    ).rejects.toBeInstanceOf(LedgerConsentRefused);
  });

  it('connects: tokens and the organisations picked (Connections API)', async () => {
    const start = await xero.startConsent('connect');
    const callback = await consent(start.url, ['Birch Dental Studio', 'Cedar Yoga Collective']);
    const result = await xero.completeConsent(callback, {
      state: 'connect',
      codeVerifier: start.codeVerifier,
      nonce: start.nonce,
    });
    tokens = result.tokens;
    expect(result.companies.sort((a, b) => a.name.localeCompare(b.name))).toEqual([
      { externalId: birch.def.id, name: 'Birch Dental Studio' },
      { externalId: cedar.def.id, name: 'Cedar Yoga Collective' },
    ]);
    const life = tokens.accessExpiresAt.getTime() - Date.now();
    expect(life).toBeGreaterThan(29 * MINUTE);
    expect(life).toBeLessThanOrEqual(30 * MINUTE);
    expect(tokens.refreshToken).toBeTruthy();
    expect(tokens.scope).toContain('accounting.settings.read');
  });

  it('connects without PKCE through xero-node’s buildConsentUrl / apiCallback when told to', async () => {
    const plain = createLedgerProvider('xero', { ...settings, pkce: false });
    const start = await plain.startConsent('plain');
    expect(new URL(start.url).searchParams.get('code_challenge')).toBeNull();
    expect(start.codeVerifier).toBeUndefined();
    const result = await plain.completeConsent(await consent(start.url, ['Cedar Yoga Collective']), {
      state: 'plain',
    });
    expect(result.companies).toEqual([{ externalId: cedar.def.id, name: 'Cedar Yoga Collective' }]);
  });

  it('reads the organisation: edition, tracking categories as classes, payroll and fixed assets', async () => {
    const d = await xero.companyDetails(tokens.accessToken, birch.def.id);
    expect(d).toMatchObject({
      externalId: birch.def.id,
      name: 'Birch Dental Studio',
      legalName: 'Birch Dental Studio Ltd',
      edition: 'STANDARD',
      country: 'US',
      currency: 'USD',
      classTracking: 'per_line',
      payroll: 'connected',
      fixedAssets: 'connected',
    });
    expect(d.classes.map((c) => c.id).sort()).toEqual(birch.classes.map((c) => c.id).sort());
    for (const c of d.classes) expect(c.name).toMatch(/^[^:]+: .+$/);
    expect(d.dashboardUrl).toMatch(
      new RegExp(`^${base}/xero/go/organisationlogin/default\\.aspx\\?shortcode=`),
    );

    const c = await xero.companyDetails(tokens.accessToken, cedar.def.id);
    expect(c).toMatchObject({
      name: 'Cedar Yoga Collective',
      edition: 'STARTER',
      classTracking: 'off',
      classes: [],
      payroll: 'not_connected',
      fixedAssets: 'not_connected',
    });
  });

  it('reads the chart of accounts, archived ones included', async () => {
    const retired = birch.accounts.find((a) => a.kind === 'expense' && !a.uncategorized)!;
    retired.active = false;
    const accounts = await xero.accounts(tokens.accessToken, birch.def.id);
    retired.active = true;
    expect(accounts).toHaveLength(birch.accounts.length);
    expect(accounts).toContainEqual(expect.objectContaining({ id: retired.id, active: false }));
    expect(accounts.find((a) => a.name === 'Suspense')).toMatchObject({ active: true });
    expect(accounts.some((a) => a.type === 'BANK')).toBe(true);
  });

  it('refreshes with rotation: the old refresh token dies 30 minutes later (LedgerGrantRevoked)', async () => {
    const old = tokens;
    tokens = await xero.refresh(old.refreshToken);
    expect(tokens.refreshToken).not.toBe(old.refreshToken);
    expect((await xero.companyDetails(tokens.accessToken, birch.def.id)).name).toBe('Birch Dental Studio');
    ctx.offsetMs += 31 * MINUTE;
    await expect(xero.refresh(old.refreshToken)).rejects.toBeInstanceOf(LedgerGrantRevoked);
    // Those 31 minutes expired the access token too.
    await expect(xero.accounts(tokens.accessToken, birch.def.id)).rejects.toBeInstanceOf(LedgerTokenExpired);
    tokens = await xero.refresh(tokens.refreshToken);
    expect((await xero.accounts(tokens.accessToken, birch.def.id)).length).toBeGreaterThan(10);
  });

  it('maps expired access tokens (control API) to LedgerTokenExpired; a refresh fixes it', async () => {
    expect(await control('/tokens/expire', { provider: 'xero' })).toMatchObject({
      expired: expect.any(Number),
    });
    await expect(xero.companyDetails(tokens.accessToken, birch.def.id)).rejects.toBeInstanceOf(
      LedgerTokenExpired,
    );
    tokens = await xero.refresh(tokens.refreshToken);
    expect((await xero.companyDetails(tokens.accessToken, birch.def.id)).edition).toBe('STANDARD');
  });

  it('maps 429 to LedgerRateLimited with Retry-After, 500 to LedgerUnavailable, 401 to LedgerTokenExpired', async () => {
    ctx.offsetMs += 61_000; // a fresh minute for the tenant
    await control('/faults', {
      provider: 'xero',
      companyId: birch.def.id,
      kind: 'status',
      status: 429,
      count: 1,
    });
    const limited = await xero.accounts(tokens.accessToken, birch.def.id).catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(LedgerRateLimited);
    expect((limited as LedgerRateLimited).retryAfterMs).toBe(2000);

    await control('/faults', {
      provider: 'xero',
      companyId: birch.def.id,
      kind: 'status',
      status: 500,
      count: 1,
    });
    await expect(xero.accounts(tokens.accessToken, birch.def.id)).rejects.toBeInstanceOf(LedgerUnavailable);

    await control('/faults', {
      provider: 'xero',
      companyId: birch.def.id,
      kind: 'status',
      status: 401,
      count: 1,
    });
    await expect(xero.accounts(tokens.accessToken, birch.def.id)).rejects.toBeInstanceOf(LedgerTokenExpired);
    expect((await xero.accounts(tokens.accessToken, birch.def.id)).length).toBeGreaterThan(10);
  });

  it('maps a grant revoked at the provider (control API) to LedgerGrantRevoked on refresh', async () => {
    const start = await xero.startConsent('to-revoke');
    const other = await xero.completeConsent(await consent(start.url, ['Cedar Yoga Collective']), {
      state: 'to-revoke',
      codeVerifier: start.codeVerifier,
      nonce: start.nonce,
    });
    const { revoked } = (await control('/grants/revoke', { provider: 'xero', companyId: cedar.def.id })) as {
      revoked: number;
    };
    expect(revoked).toBeGreaterThanOrEqual(1);
    await expect(xero.refresh(other.tokens.refreshToken)).rejects.toBeInstanceOf(LedgerGrantRevoked);
  });

  it('revokes the grant: refresh then throws LedgerGrantRevoked and calls LedgerTokenExpired', async () => {
    await xero.revoke(tokens);
    await expect(xero.refresh(tokens.refreshToken)).rejects.toBeInstanceOf(LedgerGrantRevoked);
    await expect(xero.accounts(tokens.accessToken, birch.def.id)).rejects.toBeInstanceOf(LedgerTokenExpired);
  });

  it('maps an unreachable identity service to LedgerUnavailable', async () => {
    const offline = createLedgerProvider('xero', {
      ...settings,
      identityUrl: 'http://127.0.0.1:9/xero/identity',
    });
    await expect(offline.startConsent('x')).rejects.toBeInstanceOf(LedgerUnavailable);
  });
});

// ------------------------------------------------------------------ reading transactions

/** The Xero entity of each of the sandbox's neutral kinds (Xero companies have only these four). */
const ENTITY: Partial<Record<TxnKind, string>> = {
  spend: 'BankTransaction',
  receive: 'BankTransaction',
  journal: 'ManualJournal',
  transfer: 'BankTransfer',
};

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
): Promise<{ items: LedgerTransaction[]; pages: number }> {
  const items: LedgerTransaction[] = [];
  let cursor: string | null = null;
  for (let pages = 1; pages < 1000; pages++) {
    const page = await provider.transactions(token, companyId, { ...q, cursor });
    items.push(...page.items);
    if (page.next === null) return { items, pages };
    expect(page.items).toHaveLength(q.pageSize ?? 100);
    cursor = page.next;
  }
  throw new Error('too many pages');
}

/** What the adapter must have made of one sandbox transaction (its neutral model). */
function expectMapped(got: LedgerTransaction, t: Txn) {
  const classed = t.lines.find((l) => l.classId || l.classId2);
  expect({
    type: got.type,
    id: got.id,
    date: got.date,
    amount: got.amount,
    payee: got.payee?.id ?? null,
    bankAccount: got.bankAccount?.id ?? null,
    account: got.account?.id ?? null,
    class: got.class?.id ?? null,
    memo: got.memo,
    lines: got.lines.length,
    deleted: got.deleted,
  }).toEqual({
    type: ENTITY[t.kind],
    id: t.id,
    date: t.date,
    amount: decimal(t.kind === 'spend' ? -t.totalMinor : t.totalMinor),
    payee: t.kind === 'spend' || t.kind === 'receive' ? t.payeeId : null,
    bankAccount: t.kind === 'journal' ? null : t.bankAccountId,
    account: t.toAccountId ?? t.lines[0].accountId,
    class: classed ? (classed.classId ?? classed.classId2) : null,
    memo: t.memo || (t.kind === 'journal' ? 'Journal' : null),
    lines: t.kind === 'transfer' ? 0 : t.lines.length,
    deleted: t.deleted,
  });
  expect(got.updatedAt).toBe(t.kind === 'transfer' ? t.createdAt : t.updatedAt);
  if (t.kind !== 'transfer') {
    const cents = (s: string) => Math.round(Number(s) * 100);
    expect(got.lines.map((l) => cents(l.amount))).toEqual(t.lines.map((l) => l.amountMinor));
    expect(got.lines.map((l) => l.account?.id)).toEqual(t.lines.map((l) => l.accountId));
  }
  if (t.kind === 'journal') expect(got.lines.map((l) => l.posting)).toEqual(t.lines.map((l) => l.posting));
  expect(JSON.parse(JSON.stringify(got.raw))).toEqual(got.raw);
}

describe('Xero adapter: reading transactions', () => {
  let token: string;
  let live: Txn[];

  beforeAll(async () => {
    const start = await xero.startConsent('txns');
    const result = await xero.completeConsent(await consent(start.url, ['Birch Dental Studio']), {
      state: 'txns',
      codeVerifier: start.codeVerifier,
      nonce: start.nonce,
    });
    token = result.tokens.accessToken;
    live = (await sandboxTransactions(birch.def.id)).filter((t) => !t.deleted);
  });

  // A fresh rate-limit minute for the organisation before each test (60 calls a minute).
  beforeEach(() => {
    ctx.offsetMs += 61_000;
  });

  it('names the three transaction entities, in backfill order', () => {
    expect(xero.transactionTypes()).toEqual(['BankTransaction', 'ManualJournal', 'BankTransfer']);
  });

  it('pages through every type: exactly the sandbox’s transactions, each mapped from the ledger', async () => {
    const byId = new Map(live.map((t) => [t.id, t]));
    const details = await xero.companyDetails(token, birch.def.id);
    const classes = new Map(details.classes.map((c) => [c.id, c.name]));
    const seen = new Set<string>();
    for (const type of xero.transactionTypes()) {
      const expected = live.filter((t) => ENTITY[t.kind] === type);
      expect(expected.length).toBeGreaterThan(0);
      const pageSize = type === 'BankTransaction' ? 40 : 100;
      const { items, pages } = await readAll(xero, token, birch.def.id, { type, pageSize });
      if (type === 'BankTransaction') expect(pages).toBeGreaterThan(2);
      if (type === 'BankTransfer') expect(pages).toBe(1);
      expect(items).toHaveLength(expected.length);
      expect(new Set(items.map((t) => t.id))).toEqual(new Set(expected.map((t) => t.id)));
      for (const t of items) {
        expect(seen.has(t.id)).toBe(false);
        seen.add(t.id);
        expectMapped(t, byId.get(t.id)!);
        for (const c of t.lines.flatMap((l) => l.classes)) expect(classes.get(c.id)).toBe(c.name);
      }
    }
    expect(seen.size).toBe(live.length);
    // Birch tracks on two categories: some lines carry both.
    const tracked = live.filter((t) => t.lines.some((l) => l.classId && l.classId2));
    expect(tracked.length).toBeGreaterThan(0);
  });

  it('limits a backfill by date with `from`, for every type', async () => {
    const dates = live.map((t) => t.date).sort();
    const from = dates[Math.floor(dates.length / 2)];
    for (const type of xero.transactionTypes()) {
      const { items } = await readAll(xero, token, birch.def.id, { type, from, pageSize: 50 });
      const all = live.filter((t) => ENTITY[t.kind] === type);
      const expected = all.filter((t) => t.date >= from);
      expect(expected.length).toBeLessThan(all.length);
      expect(new Set(items.map((t) => t.id))).toEqual(new Set(expected.map((t) => t.id)));
    }
  });

  it('sees an edit and deletions made through the control API with changedSince (deleted ones as deleted)', async () => {
    const since = new Date(ctx.clock() - 1);
    const spend = live.find((t) => t.kind === 'spend' && t.lines.length === 1)!;
    const receive = live.find((t) => t.kind === 'receive')!;
    const journal = live.find((t) => t.kind === 'journal')!;
    const edited = (await control(
      `/companies/${birch.def.id}/transactions/${spend.id}`,
      {
        memo: 'Edited through the control API',
        // The control API takes a line's first tracking option only (classId).
        lines: [{ ...spend.lines[0], id: undefined, classId2: undefined, amountMinor: 30 }],
      },
      'PATCH',
    )) as Txn;
    const deletedReceive = (await control(
      `/companies/${birch.def.id}/transactions/${receive.id}`,
      undefined,
      'DELETE',
    )) as Txn;
    const deletedJournal = (await control(
      `/companies/${birch.def.id}/transactions/${journal.id}`,
      undefined,
      'DELETE',
    )) as Txn;

    const bank = (await readAll(xero, token, birch.def.id, { type: 'BankTransaction', changedSince: since }))
      .items;
    expect(bank.map((t) => t.id).sort()).toEqual([spend.id, receive.id].sort());
    const changed = bank.find((t) => t.id === spend.id)!;
    expect(changed).toMatchObject({
      amount: '-0.30',
      memo: 'Edited through the control API',
      deleted: false,
    });
    expectMapped(changed, edited);
    const gone = bank.find((t) => t.id === receive.id)!;
    expect(gone.deleted).toBe(true);
    expectMapped(gone, deletedReceive);

    const journals = (
      await readAll(xero, token, birch.def.id, { type: 'ManualJournal', changedSince: since })
    ).items;
    expect(journals.map((t) => t.id)).toEqual([journal.id]);
    expect(journals[0].deleted).toBe(true);
    expectMapped(journals[0], deletedJournal);

    // Without changedSince, deleted documents are not listed at all.
    const all = (await readAll(xero, token, birch.def.id, { type: 'ManualJournal' })).items;
    expect(all.some((t) => t.id === journal.id)).toBe(false);
    expect(all).toHaveLength(live.filter((t) => t.kind === 'journal').length - 1);
    // Xero has no change feed across types.
    expect(await xero.changes(token, birch.def.id, since)).toBeNull();
  });

  it('maps a 429 on a transaction page to LedgerRateLimited with Retry-After', async () => {
    await control('/faults', {
      provider: 'xero',
      companyId: birch.def.id,
      kind: 'status',
      status: 429,
      count: 1,
    });
    const limited = await xero
      .transactions(token, birch.def.id, { type: 'BankTransaction' })
      .catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(LedgerRateLimited);
    expect((limited as LedgerRateLimited).retryAfterMs).toBe(2000);
    expect((await xero.transactions(token, birch.def.id, { type: 'BankTransaction' })).items).toHaveLength(
      100,
    );
  });

  it('lists the payees: suppliers as vendors, customers as customers', async () => {
    const { payees: expected } = await controlGet<{ payees: Payee[] }>(`/companies/${birch.def.id}/payees`);
    const payees = await xero.payees(token, birch.def.id);
    expect(payees.sort((a, b) => a.id.localeCompare(b.id))).toEqual(
      expected
        .map((p) => ({ id: p.id, name: p.name, kind: p.kind, active: true }))
        .sort((a, b) => a.id.localeCompare(b.id)),
    );
    expect(new Set(payees.map((p) => p.kind))).toEqual(new Set(['vendor', 'customer']));
  });
});

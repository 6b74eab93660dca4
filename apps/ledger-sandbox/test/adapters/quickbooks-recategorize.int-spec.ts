import type { FastifyInstance } from 'fastify';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadSandboxConfig } from '../../src/config';
import type { SandboxContext } from '../../src/context';
import type { CompanyLedger } from '../../src/model/company-ledger';
import { buildSandbox } from '../../src/server';
import { consentAsBrowser, controlClient, type ControlTxn } from '../../src/testing';
import {
  createLedgerProvider,
  LedgerConflict,
  type LedgerProvider,
  LedgerRateLimited,
  LedgerRequestFailed,
  type LedgerTransaction,
  LedgerUnavailable,
  QBO_TRANSACTION_TYPES,
  sandboxSettings,
} from '@ledgerport/ledger';

/**
 * Write-back of a categorization (S6) through the real QuickBooks adapter (intuit-oauth) against
 * the ledger sandbox in-process: the sparse update lands in the sandbox's ledger (read back through
 * the control API), comes back through CDC and the query endpoint, raises a webhook, and the
 * adapter retries stale SyncTokens and refuses what cannot be written.
 */
jest.setTimeout(60_000);

const CLIENT_ID = 'recategorize-qbo-client';
const CLIENT_SECRET = 'recategorize-qbo-secret';
const REDIRECT_URI = 'http://127.0.0.1:1/ledger/qbo/callback';
const START = Date.parse('2026-11-23T12:00:00Z');

let app: FastifyInstance;
let ctx: SandboxContext;
let base: string;
let qbo: LedgerProvider;
let acme: CompanyLedger;
let us: CompanyLedger;
let acmeToken: string;
let usToken: string;
let receiver: Server;
const notifications: unknown[] = [];

const control = controlClient(() => base);
const stored = (companyId: string, id: string) =>
  control.get<ControlTxn>(`/companies/${companyId}/transactions/${id}`);

/** Cents → "-12.50", independently of the adapter's own formatting. */
const decimal = (cents: number) => `${cents < 0 ? '-' : ''}${(Math.abs(cents) / 100).toFixed(2)}`;

async function failure(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a failure');
}

const used = new Set<string>();
/** A live transaction of the company that no other test has written to yet. */
async function pick(companyId: string, pred: (t: ControlTxn) => boolean): Promise<ControlTxn> {
  const t = (await control.transactions(companyId)).find((x) => !x.deleted && !used.has(x.id) && pred(x));
  if (!t) throw new Error('the sandbox has no such transaction');
  used.add(t.id);
  return t;
}

/** An active account of `kind` other than those given. */
const accountOf = (c: CompanyLedger, kind: string, ...not: string[]) =>
  c.accounts.find((a) => a.kind === kind && a.active && !a.uncategorized && !not.includes(a.id))!;

/** The QuickBooks entities named in the legacy webhook notifications received so far. */
const notified = () =>
  notifications.flatMap((n) => {
    const body = n as {
      eventNotifications?: {
        dataChangeEvent: { entities: { name: string; id: string; operation: string }[] };
      }[];
    };
    return (body.eventNotifications ?? []).flatMap((e) =>
      e.dataChangeEvent.entities.map((x) => `${x.name} ${x.id} ${x.operation}`),
    );
  });

async function connect(companyName: string, state: string): Promise<string> {
  const start = await qbo.startConsent(state);
  const callback = await consentAsBrowser(start.url, [companyName], 'allow');
  return (await qbo.completeConsent(callback, { state })).tokens.accessToken;
}

beforeAll(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      notifications.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const started = Date.now();
  const config = loadSandboxConfig({
    SANDBOX_PORT: '0',
    SANDBOX_TODAY: '2026-11-23',
    SANDBOX_SEED: 'ledger-lib-qbo-recategorize',
    SANDBOX_TRANSACTIONS: '300',
    QBO_CLIENT_ID: CLIENT_ID,
    QBO_CLIENT_SECRET: CLIENT_SECRET,
    QBO_WEBHOOK_URL: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/qbo`,
    QBO_WEBHOOK_FORMAT: 'legacy',
    SANDBOX_WEBHOOK_BATCH_MS: '10',
    LOG_LEVEL: 'silent',
  });
  ({ app, ctx } = await buildSandbox(config, { logger: false, clock: () => START + (Date.now() - started) }));
  await app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  acme = ctx.companies.list('qbo').find((c) => c.def.name === 'Acme Coffee Roasters')!;
  us = ctx.companies.list('qbo').find((c) => c.def.name === 'Sandbox Company US')!;
  qbo = createLedgerProvider(
    'qbo',
    sandboxSettings(base, {
      qbo: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUri: REDIRECT_URI },
      xero: { redirectUri: REDIRECT_URI },
    }).qbo,
    // The sandbox's clock, so CDC's 30-day limit is measured from the same "now" as the data.
    { retryTokenCalls: false, now: () => ctx.clock() },
  );
  acmeToken = await connect('Acme Coffee Roasters', 'recat-acme');
  usToken = await connect('Sandbox Company US', 'recat-us');
});

afterEach(async () => {
  await control.call('DELETE', '/faults');
});

afterAll(async () => {
  await app?.close();
  await new Promise((r) => receiver?.close(r));
});

describe('QuickBooks adapter: recategorize (write-back)', () => {
  it('puts a Purchase’s single line on another account: mapped as sync maps it, stored, and read back by changes() and transactions()', async () => {
    const uncategorized = acme.accounts.find((a) => a.uncategorized === 'expense')!;
    const t = await pick(
      acme.def.id,
      (x) => x.kind === 'spend' && x.lines.length === 1 && x.lines[0].accountId === uncategorized.id,
    );
    const target = acme.accounts.find((a) => a.name === 'Office Supplies & Software')!;
    const since = new Date(ctx.clock());
    await new Promise((r) => setTimeout(r, 5));

    const got = await qbo.recategorize(acmeToken, acme.def.id, {
      type: 'Purchase',
      id: t.id,
      lineId: null,
      accountId: target.id,
    });
    expect(got).toMatchObject({
      type: 'Purchase',
      id: t.id,
      amount: decimal(-t.totalMinor),
      account: { id: target.id, name: target.name },
      deleted: false,
    });
    expect(got.lines).toEqual([
      expect.objectContaining({
        id: t.lines[0].id,
        amount: decimal(t.lines[0].amountMinor),
        account: { id: target.id, name: target.name },
        // The class was not asked about: it stays.
        classes: t.lines[0].classId ? [expect.objectContaining({ id: t.lines[0].classId })] : [],
      }),
    ]);
    expect((got.raw as { SyncToken: string }).SyncToken).toBe(String(t.syncToken + 1));
    expect(Date.parse(got.updatedAt)).toBeGreaterThanOrEqual(Math.floor(since.getTime() / 1000) * 1000);

    // The sandbox's ledger has the new account, a new version, and nothing else changed.
    const after = await stored(acme.def.id, t.id);
    expect(after.lines).toEqual([{ ...t.lines[0], accountId: target.id }]);
    expect(after.syncToken).toBe(t.syncToken + 1);
    expect(after.totalMinor).toBe(t.totalMinor);
    expect(Date.parse(after.updatedAt)).toBeGreaterThan(Date.parse(t.updatedAt));

    // The next sync sees exactly what recategorize answered.
    const changes = await qbo.changes(acmeToken, acme.def.id, since);
    expect(changes!.items.filter((x) => x.id === t.id)).toEqual([got]);
    const page = await qbo.transactions(acmeToken, acme.def.id, { type: 'Purchase', changedSince: since });
    expect(page.items.filter((x) => x.id === t.id)).toEqual([got]);
  });

  it('changes only the named line of a multi-line Purchase, and refuses to guess which line', async () => {
    const t = await pick(acme.def.id, (x) => x.kind === 'spend' && x.lines.length >= 2);
    const guess = await failure(
      qbo.recategorize(acmeToken, acme.def.id, {
        type: 'Purchase',
        id: t.id,
        lineId: null,
        accountId: t.lines[0].accountId,
      }),
    );
    expect(guess).toBeInstanceOf(LedgerRequestFailed);
    expect(guess).toMatchObject({ code: 'ambiguous_line', status: 0 });
    expect(guess.message).toMatch(/lines that take an account: say which one/);

    const second = t.lines[1];
    const target = accountOf(acme, 'expense', ...t.lines.map((l) => l.accountId));
    const got = await qbo.recategorize(acmeToken, acme.def.id, {
      type: 'Purchase',
      id: t.id,
      lineId: second.id,
      accountId: target.id,
    });
    expect(got.lines.map((l) => [l.id, l.account?.id, l.amount])).toEqual(
      t.lines.map((l) => [l.id, l === second ? target.id : l.accountId, decimal(l.amountMinor)]),
    );
    const after = await stored(acme.def.id, t.id);
    expect(after.lines).toEqual(t.lines.map((l) => (l === second ? { ...l, accountId: target.id } : l)));
    expect(after.syncToken).toBe(t.syncToken + 1);
  });

  it('puts one JournalEntry line on another account, keeping its side and the balance, and notifies by webhook', async () => {
    const j = await pick(acme.def.id, (x) => x.kind === 'journal');
    const debit = j.lines.find((l) => l.posting === 'debit')!;
    const target = accountOf(acme, 'expense', ...j.lines.map((l) => l.accountId));
    const got = await qbo.recategorize(acmeToken, acme.def.id, {
      type: 'JournalEntry',
      id: j.id,
      lineId: debit.id,
      accountId: target.id,
    });
    expect(got).toMatchObject({ type: 'JournalEntry', id: j.id, amount: decimal(j.totalMinor) });
    expect(got.lines.map((l) => [l.id, l.posting, l.account?.id, l.amount])).toEqual(
      j.lines.map((l) => [l.id, l.posting, l === debit ? target.id : l.accountId, decimal(l.amountMinor)]),
    );
    const after = await stored(acme.def.id, j.id);
    expect(after.lines).toEqual(j.lines.map((l) => (l === debit ? { ...l, accountId: target.id } : l)));

    await control.call('POST', '/webhooks/flush');
    for (let waited = 0; !notified().includes(`JournalEntry ${j.id} Update`) && waited < 3000; waited += 20)
      await new Promise((r) => setTimeout(r, 20));
    expect(notified()).toContain(`JournalEntry ${j.id} Update`);
  });

  it('writes Deposit and Bill lines too', async () => {
    for (const [kind, type, accountKind] of [
      ['receive', 'Deposit', 'income'],
      ['bill', 'Bill', 'expense'],
    ] as const) {
      const t = await pick(acme.def.id, (x) => x.kind === kind && x.lines.length === 1);
      const target = accountOf(acme, accountKind, t.lines[0].accountId);
      const got = await qbo.recategorize(acmeToken, acme.def.id, {
        type,
        id: t.id,
        lineId: null,
        accountId: target.id,
      });
      expect(got).toMatchObject({ type, id: t.id, account: { id: target.id } });
      expect((await stored(acme.def.id, t.id)).lines[0].accountId).toBe(target.id);
    }
  });

  it('sets, keeps and removes a line’s class (class tracking per line)', async () => {
    const t = await pick(us.def.id, (x) => x.kind === 'spend' && x.lines.length === 1);
    const line = t.lines[0];
    const klass = us.classes.find((c) => c.id !== line.classId)!;
    const req = { type: 'Purchase', id: t.id, lineId: line.id };

    const classed = await qbo.recategorize(usToken, us.def.id, {
      ...req,
      accountId: line.accountId,
      classId: klass.id,
    });
    expect(classed.lines[0].classes).toEqual([{ id: klass.id, name: klass.name }]);
    expect(classed.lines[0].account?.id).toBe(line.accountId);
    expect((await stored(us.def.id, t.id)).lines[0].classId).toBe(klass.id);

    // classId left out: the class stays while the account changes.
    const target = accountOf(us, 'expense', line.accountId);
    const moved = await qbo.recategorize(usToken, us.def.id, { ...req, accountId: target.id });
    expect(moved.lines[0]).toMatchObject({
      account: { id: target.id },
      classes: [{ id: klass.id, name: klass.name }],
    });

    // The same account and class again: nothing to write, no new version.
    const before = await stored(us.def.id, t.id);
    const again = await qbo.recategorize(usToken, us.def.id, {
      ...req,
      accountId: target.id,
      classId: klass.id,
    });
    expect(again).toEqual(moved);
    expect((await stored(us.def.id, t.id)).syncToken).toBe(before.syncToken);

    // null removes the class.
    const unclassed = await qbo.recategorize(usToken, us.def.id, {
      ...req,
      accountId: target.id,
      classId: null,
    });
    expect(unclassed.lines[0].classes).toEqual([]);
    const after = await stored(us.def.id, t.id);
    expect(after.lines[0]).toMatchObject({
      accountId: target.id,
      classId: null,
      amountMinor: line.amountMinor,
    });
    expect(after.syncToken).toBe(before.syncToken + 1);
  });

  it('reads again and retries when someone else saved the transaction first (stale SyncToken)', async () => {
    const t = await pick(acme.def.id, (x) => x.kind === 'spend' && x.lines.length === 1);
    const target = accountOf(acme, 'expense', t.lines[0].accountId);
    // The next two updates find the transaction changed under them; the third goes through.
    await control.send('/faults', {
      provider: 'qbo',
      companyId: acme.def.id,
      kind: 'stale_object',
      count: 2,
    });
    const got = await qbo.recategorize(acmeToken, acme.def.id, {
      type: 'Purchase',
      id: t.id,
      lineId: t.lines[0].id,
      accountId: target.id,
    });
    expect(got.lines[0].account?.id).toBe(target.id);
    expect((await control.get<{ faults: unknown[] }>('/faults')).faults).toEqual([]);
    const after = await stored(acme.def.id, t.id);
    expect(after.lines[0].accountId).toBe(target.id);
    expect(after.syncToken).toBe(t.syncToken + 1);
  });

  it('gives up with LedgerConflict after three retries when the transaction stays stale', async () => {
    const t = await pick(acme.def.id, (x) => x.kind === 'spend' && x.lines.length === 1);
    const target = accountOf(acme, 'expense', t.lines[0].accountId);
    await control.send('/faults', {
      provider: 'qbo',
      companyId: acme.def.id,
      kind: 'stale_object',
      count: 10,
    });
    const e = await failure(
      qbo.recategorize(acmeToken, acme.def.id, {
        type: 'Purchase',
        id: t.id,
        lineId: null,
        accountId: target.id,
      }),
    );
    expect(e).toBeInstanceOf(LedgerConflict);
    expect(e).toMatchObject({ kind: 'conflict', code: 'stale_object', status: 400 });
    expect(e.message).toMatch(/someone else saved it each time we tried \(4 tries/);
    // One try and three retries, each a fresh read and an update.
    const { faults } = await control.get<{ faults: { remaining: number }[] }>('/faults');
    expect(faults.map((f) => f.remaining)).toEqual([6]);
    const after = await stored(acme.def.id, t.id);
    expect(after).toEqual(t);
  });

  it('maps a failed update (500, 429) to LedgerUnavailable / LedgerRateLimited; a retry then lands once', async () => {
    const t = await pick(acme.def.id, (x) => x.kind === 'spend' && x.lines.length === 1);
    const target = accountOf(acme, 'expense', t.lines[0].accountId);
    const req = { type: 'Purchase', id: t.id, lineId: null, accountId: target.id };
    // Only the update fails: the read before it passes.
    await control.send('/faults', {
      provider: 'qbo',
      companyId: acme.def.id,
      kind: 'status',
      status: 500,
      calls: 'updates',
    });
    expect(await failure(qbo.recategorize(acmeToken, acme.def.id, req))).toBeInstanceOf(LedgerUnavailable);
    await control.send('/faults', {
      provider: 'qbo',
      companyId: acme.def.id,
      kind: 'status',
      status: 429,
      calls: 'updates',
    });
    const limited = await failure(qbo.recategorize(acmeToken, acme.def.id, req));
    expect(limited).toBeInstanceOf(LedgerRateLimited);
    expect((limited as LedgerRateLimited).retryAfterMs).toBeGreaterThan(0);
    expect(await stored(acme.def.id, t.id)).toEqual(t);

    const got = await qbo.recategorize(acmeToken, acme.def.id, req);
    expect(got.lines[0].account?.id).toBe(target.id);
    // The caller retrying once more (say its own write failed after ours landed) changes nothing.
    expect(await qbo.recategorize(acmeToken, acme.def.id, req)).toEqual(got);
    expect((await stored(acme.def.id, t.id)).syncToken).toBe(t.syncToken + 1);
  });

  it('refuses unknown or deleted transactions, unknown lines and accounts, and types without categories', async () => {
    const expense = accountOf(acme, 'expense');
    const refusal = async (req: Parameters<LedgerProvider['recategorize']>[2]) =>
      (await failure(qbo.recategorize(acmeToken, acme.def.id, req))) as LedgerRequestFailed;

    const unknown = await refusal({ type: 'Purchase', id: '99999999', lineId: null, accountId: expense.id });
    expect(unknown).toBeInstanceOf(LedgerRequestFailed);
    expect(unknown).toMatchObject({ code: 'not_found', status: 400 });
    expect(unknown.message).toBe('QuickBooks has no Purchase 99999999: it was deleted or never existed.');

    const gone = await pick(acme.def.id, (x) => x.kind === 'spend');
    await control.send(`/companies/${acme.def.id}/transactions/${gone.id}`, undefined, 'DELETE');
    expect(
      await refusal({ type: 'Purchase', id: gone.id, lineId: null, accountId: expense.id }),
    ).toMatchObject({
      code: 'not_found',
    });
    // A Deposit's id asked for as a Purchase is not found either.
    const deposit = await pick(acme.def.id, (x) => x.kind === 'receive');
    expect(
      await refusal({ type: 'Purchase', id: deposit.id, lineId: null, accountId: expense.id }),
    ).toMatchObject({
      code: 'not_found',
    });

    const t = await pick(acme.def.id, (x) => x.kind === 'spend' && x.lines.length === 1);
    const noLine = await refusal({ type: 'Purchase', id: t.id, lineId: '77', accountId: expense.id });
    expect(noLine).toMatchObject({ code: 'line_not_found', status: 0 });
    expect(noLine.message).toBe(`QuickBooks Purchase ${t.id} has no line 77.`);

    const badAccount = await refusal({ type: 'Purchase', id: t.id, lineId: null, accountId: '424242' });
    expect(badAccount).toMatchObject({ code: '2500', status: 400 });
    expect(await stored(acme.def.id, t.id)).toEqual(t);

    for (const type of QBO_TRANSACTION_TYPES.filter(
      (x) => !['Purchase', 'Deposit', 'Bill', 'JournalEntry'].includes(x),
    )) {
      const e = await refusal({ type, id: '10000', lineId: null, accountId: expense.id });
      expect(e).toMatchObject({ code: 'not_categorizable', status: 0 });
    }
    expect(await refusal({ type: 'Estimate', id: '1', lineId: null, accountId: expense.id })).toMatchObject({
      code: 'unknown_type',
    });
  });

  it('answers recategorized transactions that a full read maps the same way', async () => {
    // Everything written above reads back, through the query endpoint, as recategorize answered it.
    const purchases: LedgerTransaction[] = [];
    for (let cursor: string | null = null; ;) {
      const page = await qbo.transactions(acmeToken, acme.def.id, { type: 'Purchase', cursor });
      purchases.push(...page.items);
      if (!page.next) break;
      cursor = page.next;
    }
    for (const id of used) {
      const t = await stored(acme.def.id, id).catch(() => undefined);
      if (!t || t.deleted || t.kind !== 'spend') continue;
      const got = purchases.find((p) => p.id === id)!;
      expect(got.lines.map((l) => l.account?.id)).toEqual(t.lines.map((l) => l.accountId));
    }
  });
});

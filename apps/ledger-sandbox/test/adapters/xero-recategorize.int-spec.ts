import type { FastifyInstance } from 'fastify';
import { loadSandboxConfig } from '../../src/config';
import type { SandboxContext } from '../../src/context';
import type { CompanyLedger } from '../../src/model/company-ledger';
import { buildSandbox } from '../../src/server';
import { consentAsBrowser, controlClient, type ControlTxn, freePort } from '../../src/testing';
import { accountingDoc, expectAccounting } from '../support/xero-openapi';
import {
  createLedgerProvider,
  LedgerConflict,
  type LedgerProvider,
  LedgerRequestFailed,
  LedgerUnavailable,
  type RecategorizeRequest,
  sandboxSettings,
} from '@ledgerport/ledger';

/**
 * Write-back of a categorization (S6) through the real Xero adapter (xero-node) against the
 * ledger sandbox in-process: account codes and tracking on bank transactions and manual journals,
 * read back through the control API and If-Modified-Since, and Xero's refusals (reconciled,
 * deleted) as typed errors in plain words.
 */
jest.setTimeout(60_000);

const CLIENT_ID = 'recategorize-xero-client';
const CLIENT_SECRET = 'recategorize-xero-secret';
const REDIRECT_URI = 'http://127.0.0.1:1/ledger/xero/callback';

let app: FastifyInstance;
let ctx: SandboxContext;
let base: string;
let xero: LedgerProvider;
let birch: CompanyLedger;
let token: string;
/** Every write the adapter sent to the Accounting API, with the sandbox's answer. */
const writes: { url: string; body: unknown; status: number; answer: unknown }[] = [];

const control = controlClient(() => base);
const stored = (id: string) => control.get<ControlTxn>(`/companies/${birch.def.id}/transactions/${id}`);

async function failure(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a failure');
}

const used = new Set<string>();
/** A live transaction of Birch that no other test has written to yet. */
async function pick(pred: (t: ControlTxn) => boolean): Promise<ControlTxn> {
  const t = (await control.transactions(birch.def.id)).find((x) => !x.deleted && !used.has(x.id) && pred(x));
  if (!t) throw new Error('the sandbox has no such transaction');
  used.add(t.id);
  return t;
}

const expenseAccount = (...not: string[]) =>
  birch.accounts.find((a) => a.kind === 'expense' && a.active && !a.uncategorized && !not.includes(a.id))!;
/** Birch's tracking options: Department's (classId) and Location's (classId2). */
const options = (category: 'Department' | 'Location') => birch.classes.filter((c) => c.category === category);

beforeAll(async () => {
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  const config = loadSandboxConfig({
    SANDBOX_URL: base,
    SANDBOX_PORT: String(port),
    SANDBOX_TODAY: '2026-11-23',
    SANDBOX_SEED: 'ledger-lib-xero-recategorize',
    SANDBOX_TRANSACTIONS: '200',
    XERO_CLIENT_ID: CLIENT_ID,
    XERO_CLIENT_SECRET: CLIENT_SECRET,
    LOG_LEVEL: 'silent',
  });
  ({ app, ctx } = await buildSandbox(config, { logger: false }));
  app.addHook('onSend', async (req, reply, payload) => {
    if (req.method === 'POST' && req.url.includes('/api.xro/2.0/') && typeof payload === 'string')
      writes.push({ url: req.url, body: req.body, status: reply.statusCode, answer: JSON.parse(payload) });
    return payload;
  });
  await app.listen({ port, host: '127.0.0.1' });
  birch = ctx.companies.list('xero').find((c) => c.def.name === 'Birch Dental Studio')!;
  xero = createLedgerProvider(
    'xero',
    sandboxSettings(base, {
      qbo: { redirectUri: REDIRECT_URI },
      xero: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUri: REDIRECT_URI },
    }).xero,
  );
  const start = await xero.startConsent('recat');
  const callback = await consentAsBrowser(start.url, ['Birch Dental Studio'], 'allow');
  token = (
    await xero.completeConsent(callback, {
      state: 'recat',
      codeVerifier: start.codeVerifier,
      nonce: start.nonce,
    })
  ).tokens.accessToken;
});

// A fresh rate-limit minute for the organisation before each test (60 calls a minute).
beforeEach(() => {
  ctx.offsetMs += 61_000;
});

afterEach(async () => {
  await control.call('DELETE', '/faults');
});

afterAll(async () => {
  await app?.close();
});

describe('Xero adapter: recategorize (write-back)', () => {
  it('puts a spend money line on another account code and tracking option: stored, and read back with If-Modified-Since', async () => {
    const suspense = birch.accounts.find((a) => a.uncategorized === 'suspense')!;
    const t = await pick(
      (x) =>
        x.kind === 'spend' &&
        x.lines.length === 1 &&
        x.lines[0].accountId === suspense.id &&
        !!x.lines[0].classId2,
    );
    const line = t.lines[0];
    const target = expenseAccount();
    const option = options('Department').find((o) => o.id !== line.classId)!;
    const location = birch.classes.find((c) => c.id === line.classId2)!;
    const since = new Date(ctx.clock());

    const got = await xero.recategorize(token, birch.def.id, {
      type: 'BankTransaction',
      id: t.id,
      lineId: null,
      accountId: target.id,
      classId: option.id,
    });
    expect(got).toMatchObject({
      type: 'BankTransaction',
      id: t.id,
      amount: `-${(t.totalMinor / 100).toFixed(2)}`,
      account: { id: target.id, name: target.code },
      deleted: false,
    });
    expect(got.lines).toHaveLength(1);
    expect(got.lines[0]).toMatchObject({
      account: { id: target.id, name: target.code },
      amount: (line.amountMinor / 100).toFixed(2),
      description: line.description || null,
    });
    // The Department option is replaced; the Location option stays.
    expect(got.lines[0].classes).toEqual([
      { id: option.id, name: `Department: ${option.name}` },
      { id: location.id, name: `Location: ${location.name}` },
    ]);

    const after = await stored(t.id);
    expect(after.lines).toEqual([{ ...line, accountId: target.id, classId: option.id }]);
    expect(after.totalMinor).toBe(t.totalMinor);
    expect(Date.parse(after.updatedAt)).toBeGreaterThan(Date.parse(t.updatedAt));
    expect(got.updatedAt).toBe(after.updatedAt);

    // The next sync (If-Modified-Since) reads exactly what recategorize answered.
    const page = await xero.transactions(token, birch.def.id, {
      type: 'BankTransaction',
      changedSince: since,
    });
    expect(page.items.filter((x) => x.id === t.id)).toEqual([got]);
  });

  it('changes one line of a multi-line bank transaction by its LineItemID, and refuses to guess', async () => {
    const t = await pick((x) => x.kind === 'spend' && x.lines.length >= 2);
    const before = await xero.transactions(token, birch.def.id, {
      type: 'BankTransaction',
      changedSince: new Date(Date.parse(t.updatedAt) - 1),
      pageSize: 1000,
    });
    const mapped = before.items.find((x) => x.id === t.id)!;
    const guess = await failure(
      xero.recategorize(token, birch.def.id, {
        type: 'BankTransaction',
        id: t.id,
        lineId: null,
        accountId: t.lines[0].accountId,
      }),
    );
    expect(guess).toMatchObject({ code: 'ambiguous_line', status: 0 });

    const target = expenseAccount(...t.lines.map((l) => l.accountId));
    const got = await xero.recategorize(token, birch.def.id, {
      type: 'BankTransaction',
      id: t.id,
      lineId: mapped.lines[1].id,
      accountId: target.id,
    });
    // Every line is still there, with its LineItemID and amount; only the second moved.
    expect(got.lines.map((l) => [l.id, l.account?.id, l.amount, l.classes])).toEqual(
      mapped.lines.map((l, i) => [l.id, i === 1 ? target.id : l.account?.id, l.amount, l.classes]),
    );
    expect((await stored(t.id)).lines).toEqual(
      t.lines.map((l, i) => (i === 1 ? { ...l, accountId: target.id } : l)),
    );
  });

  it('sets a Location option without touching Department, and null clears the tracking', async () => {
    const t = await pick((x) => x.kind === 'receive' && x.lines.length === 1 && !!x.lines[0].classId);
    const line = t.lines[0];
    const uptown = options('Location').find((o) => o.id !== line.classId2)!;
    const req: RecategorizeRequest = {
      type: 'BankTransaction',
      id: t.id,
      lineId: null,
      accountId: line.accountId,
    };

    const located = await xero.recategorize(token, birch.def.id, { ...req, classId: uptown.id });
    expect(located.lines[0].classes.map((c) => c.id)).toEqual([line.classId, uptown.id]);
    expect(located.lines[0].account?.id).toBe(line.accountId);
    expect((await stored(t.id)).lines[0]).toMatchObject({ classId: line.classId, classId2: uptown.id });

    // Asking for what the line already has writes nothing.
    const again = await xero.recategorize(token, birch.def.id, { ...req, classId: uptown.id });
    expect(again).toEqual(located);

    const cleared = await xero.recategorize(token, birch.def.id, { ...req, classId: null });
    expect(cleared.lines[0].classes).toEqual([]);
    expect((await stored(t.id)).lines[0]).toMatchObject({
      accountId: line.accountId,
      classId: null,
      classId2: null,
    });
  });

  it('recategorizes a manual journal line named by its position, keeping the journal balanced', async () => {
    const j = await pick((x) => x.kind === 'journal');
    const target = expenseAccount(...j.lines.map((l) => l.accountId));
    const got = await xero.recategorize(token, birch.def.id, {
      type: 'ManualJournal',
      id: j.id,
      lineId: '2',
      accountId: target.id,
    });
    expect(got).toMatchObject({ type: 'ManualJournal', id: j.id, amount: (j.totalMinor / 100).toFixed(2) });
    expect(got.lines.map((l) => [l.id, l.posting, l.account?.id, l.amount])).toEqual(
      j.lines.map((l, i) => [
        String(i + 1),
        l.posting,
        i === 1 ? target.id : l.accountId,
        (l.amountMinor / 100).toFixed(2),
      ]),
    );
    expect((await stored(j.id)).lines).toEqual(
      j.lines.map((l, i) => (i === 1 ? { ...l, accountId: target.id } : l)),
    );

    const guess = await failure(
      xero.recategorize(token, birch.def.id, {
        type: 'ManualJournal',
        id: j.id,
        lineId: null,
        accountId: target.id,
      }),
    );
    expect(guess).toMatchObject({ code: 'ambiguous_line' });
    expect(
      await failure(
        xero.recategorize(token, birch.def.id, {
          type: 'ManualJournal',
          id: j.id,
          lineId: '3',
          accountId: target.id,
        }),
      ),
    ).toMatchObject({ code: 'line_not_found' });
  });

  it('refuses a reconciled bank transaction in plain words (LedgerConflict), and writes it once unreconciled', async () => {
    const t = await pick((x) => x.kind === 'spend' && x.lines.length === 1);
    const reconciled = await control.send<ControlTxn>(
      `/companies/${birch.def.id}/transactions/${t.id}/reconcile`,
      {
        reconciled: true,
      },
    );
    expect(reconciled.reconciled).toBe(true);
    const target = expenseAccount(t.lines[0].accountId);
    const req: RecategorizeRequest = {
      type: 'BankTransaction',
      id: t.id,
      lineId: null,
      accountId: target.id,
    };

    const e = await failure(xero.recategorize(token, birch.def.id, req));
    expect(e).toBeInstanceOf(LedgerConflict);
    expect(e).toMatchObject({ kind: 'conflict', code: 'reconciled' });
    expect(e.message).toBe('Xero does not allow changes to a reconciled bank transaction.');
    expect((await stored(t.id)).lines[0].accountId).toBe(t.lines[0].accountId);

    await control.send(`/companies/${birch.def.id}/transactions/${t.id}/reconcile`, { reconciled: false });
    const got = await xero.recategorize(token, birch.def.id, req);
    expect(got.lines[0].account?.id).toBe(target.id);
  });

  it('refuses a deleted bank transaction (LedgerConflict locked)', async () => {
    const t = await pick((x) => x.kind === 'spend');
    await control.send(`/companies/${birch.def.id}/transactions/${t.id}`, undefined, 'DELETE');
    const e = await failure(
      xero.recategorize(token, birch.def.id, {
        type: 'BankTransaction',
        id: t.id,
        lineId: null,
        accountId: expenseAccount().id,
      }),
    );
    expect(e).toBeInstanceOf(LedgerConflict);
    expect(e).toMatchObject({ code: 'locked' });
    expect(e.message).toBe('Xero does not allow changes to a deleted bank transaction.');
  });

  it('maps a failed update to LedgerUnavailable without a change; the retry lands once', async () => {
    const t = await pick((x) => x.kind === 'spend' && x.lines.length === 1);
    const target = expenseAccount(t.lines[0].accountId);
    const req: RecategorizeRequest = {
      type: 'BankTransaction',
      id: t.id,
      lineId: null,
      accountId: target.id,
    };
    await control.send('/faults', {
      provider: 'xero',
      companyId: birch.def.id,
      kind: 'status',
      status: 500,
      calls: 'updates',
    });
    expect(await failure(xero.recategorize(token, birch.def.id, req))).toBeInstanceOf(LedgerUnavailable);
    expect(await stored(t.id)).toEqual(t);

    const got = await xero.recategorize(token, birch.def.id, req);
    expect(got.lines[0].account?.id).toBe(target.id);
    const once = await stored(t.id);
    expect(await xero.recategorize(token, birch.def.id, req)).toEqual(got);
    expect((await stored(t.id)).updatedAt).toBe(once.updatedAt);
  });

  it('refuses unknown documents, lines, accounts and options, Xero’s own validation, and bank transfers', async () => {
    const t = await pick((x) => x.kind === 'spend' && x.lines.length === 1);
    const req: RecategorizeRequest = {
      type: 'BankTransaction',
      id: t.id,
      lineId: null,
      accountId: expenseAccount(t.lines[0].accountId).id,
    };
    const refusal = async (r: RecategorizeRequest) =>
      (await failure(xero.recategorize(token, birch.def.id, r))) as LedgerRequestFailed;

    const unknown = await refusal({ ...req, id: '00000000-0000-4000-8000-000000000000' });
    expect(unknown).toBeInstanceOf(LedgerRequestFailed);
    expect(unknown).toMatchObject({ code: 'not_found', status: 404 });
    expect(unknown.message).toBe(
      'Xero has no bank transaction 00000000-0000-4000-8000-000000000000: it was deleted or never existed.',
    );
    expect(await refusal({ ...req, lineId: '00000000-0000-4000-8000-00000000abcd' })).toMatchObject({
      code: 'line_not_found',
    });
    expect(await refusal({ ...req, accountId: '00000000-0000-4000-8000-000000000001' })).toMatchObject({
      code: 'account_not_found',
    });
    expect(await refusal({ ...req, classId: '00000000-0000-4000-8000-000000000002' })).toMatchObject({
      code: 'class_not_found',
    });
    // Xero refuses a bank account on a spend money line: its message comes through.
    const bank = birch.accounts.find((a) => a.kind === 'bank')!;
    const invalid = await refusal({ ...req, accountId: bank.id });
    expect(invalid).toMatchObject({ code: 'validation', status: 400 });
    expect(invalid.message).toBe(
      `Xero refused the change: Account code '${bank.code}' is not a valid code for this document.`,
    );
    expect(await stored(t.id)).toEqual(t);

    const transfer = await pick((x) => x.kind === 'transfer');
    expect(await refusal({ ...req, type: 'BankTransfer', id: transfer.id })).toMatchObject({
      code: 'not_categorizable',
    });
    expect(await refusal({ ...req, type: 'Invoice' })).toMatchObject({ code: 'unknown_type' });
  });

  it('sent only documents of Xero’s published model, and got answers of it (OpenAPI)', () => {
    expect(writes.length).toBeGreaterThan(8);
    for (const w of writes) {
      const schema = w.url.includes('/ManualJournals') ? 'ManualJournals' : 'BankTransactions';
      // What the adapter posts: the document, every line restated, no read-only totals.
      expect(accountingDoc(schema, w.body)).toEqual([]);
      const docs = (w.body as Record<string, Record<string, unknown>[]>)[schema];
      expect(docs).toHaveLength(1);
      for (const k of ['SubTotal', 'TotalTax', 'Total', 'UpdatedDateUTC', 'Status', 'IsReconciled', 'Date'])
        expect(docs[0]).not.toHaveProperty(k);
      if (schema === 'BankTransactions') expect(w.url).toContain('unitdp=4');
      // What the sandbox answers (the injected 500 aside).
      if (w.status === 200) expectAccounting(schema, w.answer);
      else if (w.status !== 500) {
        expect(w.status).toBe(400);
        expect(accountingDoc('Error', w.answer)).toEqual([]);
        expect(w.answer).toMatchObject({ Type: 'ValidationException' });
      }
    }
    expect(writes.some((w) => w.url.includes('/ManualJournals/'))).toBe(true);
    expect(writes.some((w) => w.status === 400)).toBe(true);
  });
});

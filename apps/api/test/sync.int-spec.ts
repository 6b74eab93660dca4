import { createHmac } from 'node:crypto';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { controlClient, startSandbox, type ControlTxn, type RunningSandbox } from '../../ledger-sandbox/src/testing';
// The worker is its own app; these tests run its real module against the API's database and Redis.
import { WorkerModule } from '../../worker/src/worker.module';
import { connectLedger, expectError, inviteContact, portalSignIn, TestContext, type Agent, type TestFirm } from './harness';

/**
 * The sync worker (S1–S5) end to end: the real API and the real worker module against the real
 * ledger sandbox, PostgreSQL and Redis. What the worker stores is compared with the sandbox's own
 * data, id by id.
 */
jest.setTimeout(180_000);

const OPERATOR_TOKEN = 'operator-token-for-sync-int-spec-0123456789';

describe('sync worker: backfill, incremental, webhooks, limits, explorer (S1–S5)', () => {
  let sandbox: RunningSandbox;
  let ctx: TestContext;
  let worker: INestApplicationContext;
  let firm: TestFirm;
  let admin: Agent;
  const companies = new Map<string, string>();

  const sandboxApi = controlClient(() => sandbox.url);
  const control = sandboxApi.call;
  const sandboxTxns = sandboxApi.transactions;

  const S = (clientId: string) => `/api/v1/clients/${clientId}/sync`;

  /** Waits until the client's connection has no run queued or running, and returns the last run. */
  async function settled(clientId: string, after?: string): Promise<any> {
    const until = Date.now() + 150_000;
    for (;;) {
      const res = await admin.get(S(clientId));
      expect(res.status).toBe(200);
      if (!res.body.current && res.body.last && res.body.last.id !== after) return res.body;
      if (Date.now() > until) throw new Error(`no sync finished: ${JSON.stringify(res.body)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  const stored = async (clientId: string) =>
    ctx.db.query(
      `SELECT t.provider_type, t.provider_id, t.amount::text AS amount, t.memo, t.deleted, t.uncategorized, t.missing_class
         FROM ledger_transactions t JOIN ledger_connections l ON l.id = t.connection_id
        WHERE t.client_id = $1 AND l.status <> 'disconnected'`,
      [clientId],
    ) as Promise<{ provider_type: string; provider_id: string; amount: string; memo: string | null; deleted: boolean; uncategorized: boolean; missing_class: boolean }[]>;

  const cents = (amount: string) => Math.abs(Math.round(Number(amount) * 100));

  beforeAll(async () => {
    sandbox = await startSandbox();
    ctx = await TestContext.start({ LEDGER_SANDBOX_URL: sandbox.url, SYNC_SLICE_MS: '1500', SYNC_CONCURRENCY: '4', OPERATOR_TOKEN });
    worker = await NestFactory.createApplicationContext(WorkerModule, { logger: false, abortOnError: false });
    firm = await ctx.newFirm({ clients: ['Acme Coffee', 'Birch Dental', 'Storm Co', 'Xero Storm'] });
    admin = await ctx.signIn(firm.admin.email);
    for (const c of (await control<{ companies: { id: string; name: string; provider: string }[] }>('GET', '/companies')).companies) {
      companies.set(`${c.provider}:${c.name}`, c.id);
    }
  });
  afterAll(async () => {
    await worker?.close();
    await ctx?.close();
    await sandbox?.close();
  });

  it('a first sync, started by connecting, stores exactly the QuickBooks company: every id, every amount, the review flags', async () => {
    const acme = firm.clients[0];
    const { callback } = await connectLedger(admin, sandbox.url, acme.id, 'qbo', 'Acme Coffee Roasters');
    expect(callback.status).toBe(200);
    const status = await settled(acme.id);
    expect(status.last).toMatchObject({ kind: 'backfill', trigger: 'connect', status: 'succeeded', error: null });
    expect(status.last.progress.percent).toBe(100);

    const truth = (await sandboxTxns(companies.get('qbo:Acme Coffee Roasters') as string)).filter((t) => !t.deleted);
    const mine = (await stored(acme.id)).filter((t) => !t.deleted);
    expect(mine.length).toBe(truth.length);
    expect(new Set(mine.map((t) => t.provider_id))).toEqual(new Set(truth.map((t) => t.id)));
    const byId = new Map(mine.map((t) => [t.provider_id, t]));
    // A checksum of amounts: every transaction's total, in cents, as the sandbox keeps it.
    expect(truth.reduce((s, t) => s + cents(byId.get(t.id)!.amount) - t.totalMinor, 0)).toBe(0);
    for (const t of truth) expect({ id: t.id, cents: cents(byId.get(t.id)!.amount) }).toEqual({ id: t.id, cents: t.totalMinor });
    expect(status.last.added).toBe(truth.length);
    expect(status.transactionCount).toBe(truth.length);

    // Uncategorized: any line on Uncategorized Expense / Income or Ask My Accountant.
    const accounts = await control<{ accounts: { id: string; name: string }[] }>('GET', `/companies/${companies.get('qbo:Acme Coffee Roasters')}/accounts`);
    const review = new Set(accounts.accounts.filter((a) => /^(Uncategorized (Expense|Income|Asset)|Ask My Accountant)$/.test(a.name)).map((a) => a.id));
    const expected = truth.filter((t) => t.lines.some((l) => review.has(l.accountId))).length;
    expect(expected).toBeGreaterThan(0);
    expect(mine.filter((t) => t.uncategorized).length).toBe(expected);
    expect(status.uncategorizedCount).toBe(expected);
  });

  it('an incremental sync picks up an added, an edited and a deleted transaction (QuickBooks CDC)', async () => {
    const acme = firm.clients[0];
    const companyId = companies.get('qbo:Acme Coffee Roasters') as string;
    const before = await settled(acme.id);
    const all = await sandboxTxns(companyId);
    const spend = all.filter((t) => t.kind === 'spend' && !t.deleted);
    const [edit, remove] = [spend[3], spend[4]];
    const full = await control<ControlTxn>('GET', `/companies/${companyId}/transactions/${spend[5].id}`);
    const added = await control<{ id: string }>('POST', `/companies/${companyId}/transactions`, {
      kind: 'spend',
      date: '2026-11-20',
      payeeId: full.payeeId,
      bankAccountId: full.bankAccountId,
      lines: [{ accountId: full.lines[0].accountId, amountMinor: 12345, classId: full.lines[0].classId }],
      memo: 'Espresso machine service',
    });
    await control('PATCH', `/companies/${companyId}/transactions/${edit.id}`, { memo: 'Edited in the ledger' });
    await control('DELETE', `/companies/${companyId}/transactions/${remove.id}`);

    const now = await admin.post(S(acme.id));
    expect(now.status).toBe(202);
    expect(now.body).toMatchObject({ kind: 'incremental', trigger: 'manual' });
    const after = await settled(acme.id, before.last.id);
    expect(after.last).toMatchObject({ kind: 'incremental', status: 'succeeded', added: 1, changed: 1, removed: 1 });

    const rows = new Map((await stored(acme.id)).map((t) => [t.provider_id, t]));
    expect(rows.get(added.id)).toMatchObject({ amount: '-123.4500', memo: 'Espresso machine service', deleted: false });
    expect(rows.get(edit.id)?.memo).toBe('Edited in the ledger');
    expect(rows.get(remove.id)?.deleted).toBe(true);
    expect(after.transactionCount).toBe(before.transactionCount);
  });

  it('after more than 30 days without a sync, QuickBooks (no CDC that far back) is re-read and deletions are still applied', async () => {
    const acme = firm.clients[0];
    const companyId = companies.get('qbo:Acme Coffee Roasters') as string;
    const before = await settled(acme.id);
    // The last sync reached 40 days ago: CDC cannot answer, and a query by change time never returns a deleted transaction.
    await ctx.db.query(`UPDATE ledger_connections SET synced_through = now() - interval '40 days' WHERE client_id = $1 AND status = 'connected'`, [acme.id]);
    const spend = (await sandboxTxns(companyId)).filter((t) => t.kind === 'spend' && !t.deleted);
    const [edit, remove] = [spend[20], spend[21]];
    await control('PATCH', `/companies/${companyId}/transactions/${edit.id}`, { memo: 'Edited while we were away' });
    await control('DELETE', `/companies/${companyId}/transactions/${remove.id}`);

    expect((await admin.post(S(acme.id))).body.kind).toBe('incremental');
    const after = await settled(acme.id, before.last.id);
    expect(after.last).toMatchObject({ kind: 'incremental', status: 'succeeded', changed: 1, removed: 1 });
    // Exactly the sandbox's set again.
    const truth = (await sandboxTxns(companyId)).filter((t) => !t.deleted);
    const mine = (await stored(acme.id)).filter((t) => !t.deleted);
    expect(new Set(mine.map((t) => t.provider_id))).toEqual(new Set(truth.map((t) => t.id)));
    const rows = new Map((await stored(acme.id)).map((t) => [t.provider_id, t]));
    expect(rows.get(edit.id)?.memo).toBe('Edited while we were away');
    expect(rows.get(remove.id)?.deleted).toBe(true);
    expect(after.transactionCount).toBe(truth.length);
    // The notes of what was seen are gone with the run.
    expect((await ctx.db.query(`SELECT count(*)::int AS n FROM sync_seen`))[0].n).toBe(0);
  });

  it('a deletion during a QuickBooks backfill makes the next run re-read the window, so a row the paging skipped is found', async () => {
    const acme = firm.clients[0];
    const companyId = companies.get('qbo:Acme Coffee Roasters') as string;
    const before = await settled(acme.id);
    const spend = (await sandboxTxns(companyId)).filter((t) => t.kind === 'spend' && !t.deleted);
    // As if the backfill had just ended: the next run reads changes from before it finished…
    await ctx.db.query(
      `UPDATE ledger_connections SET backfilled_at = now(), synced_through = now() - interval '5 minutes' WHERE client_id = $1 AND status = 'connected'`,
      [acme.id],
    );
    // …a transaction was deleted while it paged, and the row after it was skipped (gone from our copy).
    const skipped = spend[30];
    await ctx.db.query(`DELETE FROM ledger_transactions WHERE client_id = $1 AND provider_id = $2`, [acme.id, skipped.id]);
    await control('DELETE', `/companies/${companyId}/transactions/${spend[31].id}`);

    await admin.post(S(acme.id));
    const after = await settled(acme.id, before.last.id);
    expect(after.last).toMatchObject({ kind: 'incremental', status: 'succeeded', added: 1, removed: 1 });
    const truth = (await sandboxTxns(companyId)).filter((t) => !t.deleted);
    const mine = (await stored(acme.id)).filter((t) => !t.deleted);
    expect(new Set(mine.map((t) => t.provider_id))).toEqual(new Set(truth.map((t) => t.id)));
    expect(mine.some((t) => t.provider_id === skipped.id)).toBe(true);
  });

  it('a first sync of a Xero organisation stores every bank transaction, journal and transfer', async () => {
    const birch = firm.clients[1];
    await connectLedger(admin, sandbox.url, birch.id, 'xero', 'Birch Dental Studio');
    const status = await settled(birch.id);
    expect(status.last).toMatchObject({ kind: 'backfill', status: 'succeeded' });
    const truth = (await sandboxTxns(companies.get('xero:Birch Dental Studio') as string)).filter((t) => !t.deleted);
    const mine = (await stored(birch.id)).filter((t) => !t.deleted);
    expect(new Set(mine.map((t) => t.provider_id))).toEqual(new Set(truth.map((t) => t.id)));
    const byId = new Map(mine.map((t) => [t.provider_id, t]));
    for (const t of truth) expect({ id: t.id, cents: cents(byId.get(t.id)!.amount) }).toEqual({ id: t.id, cents: t.totalMinor });
    expect(new Set(mine.map((t) => t.provider_type))).toEqual(new Set(['BankTransaction', 'ManualJournal', 'BankTransfer']));
    expect(status.uncategorizedCount).toBeGreaterThan(0);

    // Xero states only an account's code on a transaction; the explorer names it from the chart.
    const chart = new Map(
      ((await admin.get(`/api/v1/clients/${birch.id}/review-accounts`)).body.items as { id: string; name: string }[]).map((a) => [a.id, a.name]),
    );
    const page = (await admin.get(`/api/v1/clients/${birch.id}/transactions?limit=50`)).body.items as { id: string; account: { id: string; name: string } | null }[];
    const withAccount = page.filter((t) => t.account && chart.has(t.account.id));
    expect(withAccount.length).toBeGreaterThan(10);
    for (const t of withAccount) expect(t.account).toEqual({ id: t.account!.id, name: chart.get(t.account!.id) });
    const detail = (await admin.get(`/api/v1/clients/${birch.id}/transactions/${withAccount[0].id}`)).body;
    for (const l of detail.lines.filter((x: { account: { id: string } | null }) => x.account && chart.has(x.account.id))) {
      expect(l.account.name).toBe(chart.get(l.account.id));
    }
  });

  it('an incremental sync of Xero picks up an edit and a deletion by their change time', async () => {
    const birch = firm.clients[1];
    const companyId = companies.get('xero:Birch Dental Studio') as string;
    const before = await settled(birch.id);
    const spend = (await sandboxTxns(companyId)).filter((t) => t.kind === 'spend' && !t.deleted);
    await control('PATCH', `/companies/${companyId}/transactions/${spend[10].id}`, { memo: 'Edited in Xero' });
    await control('DELETE', `/companies/${companyId}/transactions/${spend[11].id}`);
    expect((await admin.post(S(birch.id))).body.kind).toBe('incremental');
    const after = await settled(birch.id, before.last.id);
    expect(after.last).toMatchObject({ kind: 'incremental', status: 'succeeded', changed: 1, removed: 1 });
    const rows = new Map((await stored(birch.id)).map((t) => [t.provider_id, t]));
    expect(rows.get(spend[10].id)?.memo).toBe('Edited in Xero');
    expect(rows.get(spend[11].id)?.deleted).toBe(true);
  });

  it('webhooks: a signed QuickBooks notification queues a sync; bad signatures, replays and unknown realms do not', async () => {
    const acme = firm.clients[0];
    const realm = companies.get('qbo:Acme Coffee Roasters') as string;
    const before = await settled(acme.id);
    const sign = (body: string, key = 'ledgerport-qbo-webhook-verifier') => createHmac('sha256', key).update(body).digest('base64');
    const post = (body: string, signature: string) =>
      ctx.agent().request('POST', '/api/v1/webhooks/quickbooks', { rawBody: body, headers: { 'content-type': 'application/json', 'intuit-signature': signature } });

    const legacy = JSON.stringify({ eventNotifications: [{ realmId: realm, dataChangeEvent: { entities: [{ name: 'Purchase', id: '1', operation: 'Update', lastUpdated: new Date().toISOString() }] } }] });
    expectError(await post(legacy, sign(legacy, 'wrong-key')), 401, 'WEBHOOK_SIGNATURE_INVALID');
    expectError(await post(legacy, 'not base64 at all'), 401, 'WEBHOOK_SIGNATURE_INVALID');
    const ok = await post(legacy, sign(legacy));
    expect(ok.status).toBe(200);
    const after = await settled(acme.id, before.last.id);
    expect(after.last).toMatchObject({ trigger: 'webhook', status: 'succeeded' });

    // The same delivery again: acknowledged, ignored.
    expect((await post(legacy, sign(legacy))).status).toBe(200);
    // CloudEvents for a realm nobody is connected to: acknowledged, nothing queued.
    const cloud = JSON.stringify([{ specversion: '1.0', id: 'e1', type: 'qbo.purchase.updated.v1', intuitaccountid: '999999999', intuitentityid: '1' }]);
    expect((await post(cloud, sign(cloud))).status).toBe(200);
    const runs = await admin.get(`${S(acme.id)}/runs`);
    expect(runs.body.items.filter((r: { trigger: string }) => r.trigger === 'webhook')).toHaveLength(1);
    const garbage = JSON.stringify({ hello: 'world' });
    expectError(await post(garbage, sign(garbage)), 400, 'WEBHOOK_BODY_INVALID');
  });

  it("webhooks: Xero's intent to receive gets 200 signed and 401 mis-signed", async () => {
    const body = JSON.stringify({ events: [], firstEventSequence: 0, lastEventSequence: 0, entropy: 'ABCDEF' });
    const sign = (key: string) => createHmac('sha256', key).update(body).digest('base64');
    const post = (signature: string) =>
      ctx.agent().request('POST', '/api/v1/webhooks/xero', { rawBody: body, headers: { 'content-type': 'application/json', 'x-xero-signature': signature } });
    expect((await post(sign('ledgerport-xero-webhook-key'))).status).toBe(200);
    expect((await post(sign('not-the-key'))).status).toBe(401);
  });

  /** Connects, syncs, then starts over: the next run is a full read again, under the faults given. */
  async function backfillUnder(clientId: string, provider: 'qbo' | 'xero', company: string, faults: object[]) {
    const companyId = companies.get(`${provider}:${company}`) as string;
    await connectLedger(admin, sandbox.url, clientId, provider, company);
    const first = await settled(clientId);
    await ctx.db.query(`UPDATE ledger_connections SET backfilled_at = NULL, synced_through = NULL WHERE client_id = $1`, [clientId]);
    await ctx.db.query(`DELETE FROM ledger_transactions WHERE client_id = $1`, [clientId]);
    for (const f of faults) await control('POST', '/faults', { provider, companyId, ...f });
    expect((await admin.post(S(clientId))).body.kind).toBe('backfill');
    const status = await settled(clientId, first.last.id);
    expect(status.last).toMatchObject({ kind: 'backfill', status: 'succeeded', error: null });
    const truth = (await sandboxTxns(companyId)).filter((t) => !t.deleted);
    const mine = (await stored(clientId)).filter((t) => !t.deleted);
    expect(new Set(mine.map((t) => t.provider_id))).toEqual(new Set(truth.map((t) => t.id)));
    expect((await control<{ faults: unknown[] }>('GET', '/faults')).faults).toEqual([]);
  }

  it('a 500 storm from QuickBooks still ends with complete data', async () => {
    await backfillUnder(firm.clients[2].id, 'qbo', 'Cedar Yoga Collective', [{ kind: 'status', status: 500, count: 5 }]);
  });

  it('a 429 storm from Xero (honouring Retry-After) still ends with complete data', async () => {
    await backfillUnder(firm.clients[3].id, 'xero', 'Cedar Yoga Collective', [{ kind: 'status', status: 429, count: 4 }]);
    const [{ throttled }] = await ctx.db.query(`SELECT throttled FROM sync_runs WHERE client_id = $1 ORDER BY queued_at DESC LIMIT 1`, [firm.clients[3].id]);
    expect(throttled).toBeGreaterThan(0);
  });

  it('a revoked grant stops the sync cleanly: the run says why, the connection needs reconnecting', async () => {
    const storm = firm.clients[2];
    const before = await settled(storm.id);
    await control('POST', '/grants/revoke', { provider: 'qbo', companyId: companies.get('qbo:Cedar Yoga Collective') });
    await control('POST', '/tokens/expire', { provider: 'qbo' });
    expect((await admin.post(S(storm.id))).status).toBe(202);
    const after = await settled(storm.id, before.last.id);
    expect(after.last).toMatchObject({ status: 'failed', error: { code: 'NEEDS_RECONNECT' } });
    expect(after.last.error.message).toMatch(/Reconnect/);
    expect((await admin.get(`/api/v1/clients/${storm.id}/connection`)).body.connection.status).toBe('needs_reconnect');
    expectError(await admin.post(S(storm.id)), 409, 'NEEDS_RECONNECT');
  });

  it('the explorer: keyset pages cover every transaction once; filters and search narrow them', async () => {
    const acme = firm.clients[0];
    const T = `/api/v1/clients/${acme.id}/transactions`;
    const seen = new Set<string>();
    let cursor: string | null = null;
    let previous: { date: string; id: number } | null = null;
    do {
      const res: { status: number; body: { items: { id: string; date: string }[]; nextCursor: string | null } } = await admin.get(`${T}?limit=200${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      for (const t of res.body.items) {
        expect(seen.has(t.id)).toBe(false);
        seen.add(t.id);
        if (previous) expect(t.date <= previous.date).toBe(true);
        previous = { date: t.date, id: Number(t.id) };
      }
      cursor = res.body.nextCursor;
    } while (cursor);
    const status = (await admin.get(S(acme.id))).body;
    expect(seen.size).toBe(status.transactionCount);

    const unc = (await admin.get(`${T}?flag=uncategorized&limit=200`)).body.items;
    expect(unc.length).toBe(Math.min(200, status.uncategorizedCount));
    expect(unc.every((t: { uncategorized: boolean }) => t.uncategorized)).toBe(true);

    const first = (await admin.get(`${T}?limit=1`)).body.items[0];
    const byPayee = (await admin.get(`${T}?payeeId=${encodeURIComponent(first.payee.id)}&limit=200`)).body.items;
    expect(byPayee.length).toBeGreaterThan(0);
    expect(byPayee.every((t: { payee: { id: string } }) => t.payee.id === first.payee.id)).toBe(true);
    const word = first.payee.name.split(' ')[0].toLowerCase();
    const found = (await admin.get(`${T}?q=${encodeURIComponent(word)}&limit=200`)).body.items;
    expect(found.length).toBeGreaterThan(0);
    for (const t of found) expect(`${t.payee?.name ?? ''} ${t.memo ?? ''} ${t.reference ?? ''}`.toLowerCase()).toContain(word);
    const small = (await admin.get(`${T}?minAmount=-10&maxAmount=10&limit=200`)).body.items;
    expect(small.every((t: { amount: string }) => Number(t.amount) >= -10 && Number(t.amount) <= 10)).toBe(true);
    const ranged = (await admin.get(`${T}?from=2026-01-01&to=2026-01-31&limit=200`)).body.items;
    expect(ranged.length).toBeGreaterThan(0);
    expect(ranged.every((t: { date: string }) => t.date >= '2026-01-01' && t.date <= '2026-01-31')).toBe(true);

    const detail = await admin.get(`${T}/${first.id}`);
    expect(detail.status).toBe(200);
    expect(detail.body.lines.length).toBeGreaterThan(0);
    expect(detail.body.id).toBe(first.id);
  });

  it('marking an account as needing review flags its transactions at once', async () => {
    const acme = firm.clients[0];
    const R = `/api/v1/clients/${acme.id}/review-accounts`;
    const accounts = (await admin.get(R)).body.items;
    expect(accounts.filter((a: { needsReview: boolean }) => a.needsReview).map((a: { name: string }) => a.name).sort()).toEqual(
      ['Ask My Accountant', 'Uncategorized Expense', 'Uncategorized Income'].filter((n) => accounts.some((a: { name: string }) => a.name === n)).sort(),
    );
    const before = (await admin.get(S(acme.id))).body.uncategorizedCount;
    const supplies = accounts.find((a: { name: string }) => a.name === 'Office Supplies & Software');
    const res = await admin.put(`${R}/${encodeURIComponent(supplies.id)}`, { needsReview: true });
    expect(res.status).toBe(200);
    const marked = (await admin.get(S(acme.id))).body.uncategorizedCount;
    expect(marked).toBeGreaterThan(before);
    await admin.put(`${R}/${encodeURIComponent(supplies.id)}`, { needsReview: false });
    expect((await admin.get(S(acme.id))).body.uncategorizedCount).toBe(before);
  });

  it('refuses bad input on every sync endpoint', async () => {
    const acme = firm.clients[0];
    const T = `/api/v1/clients/${acme.id}/transactions`;
    for (const q of ['from=2026-13', 'to=yesterday', 'minAmount=abc', 'flag=maybe', 'limit=0', 'limit=201', `q=${'x'.repeat(101)}`]) {
      expectError(await admin.get(`${T}?${q}`), 400, 'VALIDATION_FAILED');
    }
    expectError(await admin.get(`${T}?cursor=bm9wZQ`), 400, 'CURSOR_INVALID');
    expectError(await admin.get(`${T}?minAmount=10&maxAmount=1`), 400, 'AMOUNT_RANGE_INVALID');
    expectError(await admin.get(`${T}?from=2026-02-01&to=2026-01-01`), 400, 'DATE_RANGE_INVALID');
    expectError(await admin.get(`${T}/not-a-number`), 404, 'TRANSACTION_NOT_FOUND');
    expectError(await admin.get(`${T}/999999999999`), 404, 'TRANSACTION_NOT_FOUND');
    expectError(await admin.put(`/api/v1/clients/${acme.id}/review-accounts/1`, { needsReview: 'yes' }), 400, 'VALIDATION_FAILED');
    expectError(await admin.put(`/api/v1/clients/${acme.id}/review-accounts/no-such`, { needsReview: true }), 404, 'ACCOUNT_NOT_FOUND');
    for (const minutes of [1, 5000, 'often']) expectError(await admin.put('/api/v1/firm/sync-settings', { intervalMinutes: minutes }), 400, 'VALIDATION_FAILED');
    expect((await admin.put('/api/v1/firm/sync-settings', { intervalMinutes: 15 })).body).toEqual({ intervalMinutes: 15 });
    expect((await admin.get(S(acme.id))).body.intervalMinutes).toBe(15);
    const staff = await ctx.signIn((await ctx.newStaff(firm, [acme.id])).email);
    expectError(await staff.put('/api/v1/firm/sync-settings', { intervalMinutes: 20 }), 403, 'ADMIN_ONLY');
    expectError(await admin.get(S(firm.clients[2].id).replace(firm.clients[2].id, 'nope')), 404, 'NOT_FOUND');
  });

  it('keeps every sync endpoint to the firm and the assigned staff', async () => {
    const acme = firm.clients[0];
    const other = await ctx.newFirm({ clients: ['Elsewhere'] });
    const outsider = await ctx.signIn(other.admin.email);
    const unassigned = await ctx.signIn((await ctx.newStaff(firm, [])).email);
    const inv = await inviteContact(ctx, admin, acme.id, { name: 'Sam Sync', email: `sam-${Date.now()}@client.test` });
    const { agent: contact } = await portalSignIn(ctx, inv.token);
    const anonymous = ctx.agent();
    const txn = (await admin.get(`/api/v1/clients/${acme.id}/transactions?limit=1`)).body.items[0];
    const calls: [string, string, unknown?][] = [
      ['GET', S(acme.id)],
      ['POST', S(acme.id)],
      ['GET', `${S(acme.id)}/runs`],
      ['GET', `/api/v1/clients/${acme.id}/transactions`],
      ['GET', `/api/v1/clients/${acme.id}/transactions/${txn.id}`],
      ['GET', `/api/v1/clients/${acme.id}/payees?q=a`],
      ['GET', `/api/v1/clients/${acme.id}/review-accounts`],
      ['PUT', `/api/v1/clients/${acme.id}/review-accounts/1`, { needsReview: true }],
    ];
    const before = await ctx.db.query(`SELECT count(*)::int AS n FROM sync_runs WHERE client_id = $1`, [acme.id]);
    for (const [method, url, body] of calls) {
      for (const who of [outsider, unassigned]) {
        const res = await who.request(method, url, { body });
        expect({ url, method, status: res.status }).toEqual({ url, method, status: 404 });
      }
      for (const who of [contact, anonymous]) {
        const res = await who.request(method, url, { body });
        expect({ url, method, status: res.status }).toEqual({ url, method, status: 401 });
      }
    }
    expect(await ctx.db.query(`SELECT count(*)::int AS n FROM sync_runs WHERE client_id = $1`, [acme.id])).toEqual(before);
    for (const who of [contact, anonymous]) expect((await who.get('/api/v1/firm/sync-settings')).status).toBe(401);
  });

  it('the queue dashboard is the platform operator’s: Basic auth with OPERATOR_TOKEN, nobody else', async () => {
    const basic = (password: string) => ({ headers: { authorization: `Basic ${Buffer.from(`operator:${password}`).toString('base64')}` } });
    const anonymous = await ctx.agent().get('/admin/queues');
    expect(anonymous.status).toBe(401);
    expect(String(anonymous.headers['www-authenticate'])).toContain('Basic');
    expect(anonymous.body.code).toBe('OPERATOR_UNAUTHORIZED');
    expect((await ctx.agent().get('/admin/queues', basic('wrong-token'))).status).toBe(401);
    // A firm admin's session is not enough: every firm's jobs are in these queues.
    expect((await admin.get('/admin/queues')).status).toBe(401);
    const page = await ctx.agent().get('/admin/queues', basic(OPERATOR_TOKEN));
    expect(page.status).toBe(200);
    expect(String(page.headers['content-type'])).toContain('text/html');
    const queues = await ctx.agent().get('/admin/queues/api/queues', basic(OPERATOR_TOKEN));
    expect(queues.status).toBe(200);
    expect(queues.body.queues.map((q: { name: string }) => q.name).sort()).toEqual(['mail', 'questions', 'sync']);
  });
});

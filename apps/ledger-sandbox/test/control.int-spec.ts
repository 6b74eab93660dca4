import type { FastifyInstance } from 'fastify';
import { loadSandboxConfig } from '../src/config';
import type { SandboxContext } from '../src/context';
import { buildSandbox } from '../src/server';

/** The control API: companies, transactions, faults, grants, tokens and the clock, over real HTTP. */
describe('ledger sandbox control API', () => {
  let app: FastifyInstance;
  let ctx: SandboxContext;
  let base: string;

  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };

  beforeAll(async () => {
    ({ app, ctx } = await buildSandbox(
      loadSandboxConfig({
        SANDBOX_TODAY: '2026-11-23',
        SANDBOX_SEED: 'control-spec',
        SANDBOX_TRANSACTIONS: '300',
      }),
      { logger: false },
    ));
    await app.listen({ port: 0, host: '127.0.0.1' });
    const addr = app.server.address();
    base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  });
  afterAll(() => app.close());

  const qboCompany = () => ctx.companies.list('qbo')[0];
  const xeroCompany = () => ctx.companies.list('xero')[0];

  it('lists the default companies with their counts and settings', async () => {
    const res = await call('GET', '/control/companies');
    expect(res.status).toBe(200);
    const acme = res.body.companies.find(
      (c: { name: string; provider: string }) => c.name === 'Acme Coffee Roasters' && c.provider === 'qbo',
    );
    expect(acme).toMatchObject({
      id: qboCompany().def.id,
      edition: 'QuickBooks Online Plus',
      classTracking: 'per_txn',
      transactions: 400, // SANDBOX_TRANSACTIONS × 4/3: Acme is the bigger company
    });
    expect(res.body.companies.some((c: { provider: string }) => c.provider === 'xero')).toBe(true);
  });

  it('creates a 200,000-transaction company within the request and lists it with that count', async () => {
    const res = await call('POST', '/control/companies', {
      provider: 'xero',
      name: 'Benchmark Org',
      transactions: 200_000,
      classTracking: 'per_line',
      payroll: true,
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      provider: 'xero',
      name: 'Benchmark Org',
      transactions: 200_000,
      edition: 'STANDARD',
      payroll: true,
      fixedAssets: false,
    });
    const list = await call('GET', '/control/companies');
    expect(list.body.companies).toContainEqual(
      expect.objectContaining({ id: res.body.id, transactions: 200_000 }),
    );
    const page = await call('GET', `/control/companies/${res.body.id}/transactions?offset=199990&limit=50`);
    expect(page.status).toBe(200);
    expect(page.body).toMatchObject({ total: 200_000, offset: 199_990 });
    expect(page.body.transactions).toHaveLength(10);
  });

  it('pages transactions and reads accounts, classes, payees and one transaction', async () => {
    const id = qboCompany().def.id;
    const page = await call('GET', `/control/companies/${id}/transactions?offset=10&limit=5`);
    expect(page.status).toBe(200);
    expect(page.body.transactions.map((t: { index: number }) => t.index)).toEqual([10, 11, 12, 13, 14]);
    const one = await call('GET', `/control/companies/${id}/transactions/${page.body.transactions[0].id}`);
    expect(one.body).toEqual(page.body.transactions[0]);
    for (const what of ['accounts', 'classes', 'payees']) {
      const res = await call('GET', `/control/companies/${id}/${what}`);
      expect(res.status).toBe(200);
      expect(res.body[what].length).toBeGreaterThan(0);
    }
  });

  it('adds, edits and deletes a transaction', async () => {
    const c = qboCompany();
    const expense = c.accounts.find((a) => a.kind === 'expense' && !a.uncategorized)!;
    const vendor = c.payees.find((p) => p.kind === 'vendor')!;
    const made = await call('POST', `/control/companies/${c.def.id}/transactions`, {
      kind: 'spend',
      date: '2026-11-20',
      payeeId: vendor.id,
      lines: [{ accountId: expense.id, classId: c.classes[0].id, amountMinor: 12_345, description: 'Beans' }],
      memo: 'added by the spec',
    });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({
      kind: 'spend',
      totalMinor: 12_345,
      syncToken: 0,
      deleted: false,
      payeeId: vendor.id,
    });
    expect(made.body.bankAccountId).toBe(c.accounts.find((a) => a.kind === 'bank')!.id);
    expect(
      (await call('GET', '/control/companies')).body.companies.find((x: { id: string }) => x.id === c.def.id)
        .transactions,
    ).toBe(c.def.transactions + 1);

    const edited = await call('PATCH', `/control/companies/${c.def.id}/transactions/${made.body.id}`, {
      memo: 'edited',
      lines: [
        { accountId: expense.id, amountMinor: 500 },
        { accountId: expense.id, amountMinor: 250 },
      ],
    });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({
      memo: 'edited',
      totalMinor: 750,
      syncToken: 1,
      payeeId: vendor.id,
      date: '2026-11-20',
    });

    // A generated (base) transaction can be edited too.
    const base0 = c.txn(3)!;
    const editedBase = await call('PATCH', `/control/companies/${c.def.id}/transactions/${base0.id}`, {
      date: '2026-01-02',
    });
    expect(editedBase.body).toMatchObject({
      id: base0.id,
      date: '2026-01-02',
      syncToken: 1,
      lines: base0.lines,
    });

    const deleted = await call('DELETE', `/control/companies/${c.def.id}/transactions/${made.body.id}`);
    expect(deleted.status).toBe(200);
    expect(deleted.body).toMatchObject({ id: made.body.id, deleted: true, syncToken: 2 });
    expect(
      (await call('GET', `/control/companies/${c.def.id}/transactions/${made.body.id}`)).body.deleted,
    ).toBe(true);
    expect((await call('DELETE', `/control/companies/${c.def.id}/transactions/${made.body.id}`)).status).toBe(
      409,
    );
    expect(
      (await call('PATCH', `/control/companies/${c.def.id}/transactions/${made.body.id}`, { memo: 'x' }))
        .status,
    ).toBe(409);
    expect(c.changesSince('2000-01-01T00:00:00Z').map((x) => x.operation)).toEqual([
      'Create',
      'Update',
      'Update',
      'Delete',
    ]);
  });

  it('checks journals and Xero kinds against the company', async () => {
    const x = xeroCompany();
    const [debit, credit] = x.accounts.filter((a) => a.kind === 'expense');
    const journal = {
      kind: 'journal',
      date: '2026-10-31',
      lines: [
        { accountId: debit.id, amountMinor: 100, posting: 'debit' },
        { accountId: credit.id, amountMinor: 100, posting: 'credit' },
      ],
    };
    expect((await call('POST', `/control/companies/${x.def.id}/transactions`, journal)).status).toBe(201);
    const unbalanced = await call('POST', `/control/companies/${x.def.id}/transactions`, {
      ...journal,
      lines: [journal.lines[0], { ...journal.lines[1], amountMinor: 99 }],
    });
    expect(unbalanced).toMatchObject({
      status: 400,
      body: { error: 'bad_request', message: expect.stringContaining('balance') },
    });
    const invoice = await call('POST', `/control/companies/${x.def.id}/transactions`, {
      kind: 'invoice',
      date: '2026-10-31',
      lines: [{ accountId: debit.id, amountMinor: 100 }],
    });
    expect(invoice.status).toBe(400);
    expect(invoice.body.message).toMatch(/Xero company/);
  });

  it('answers 400 {error, message} to bad input', async () => {
    const c = qboCompany();
    const acc = c.accounts.find((a) => a.kind === 'expense')!.id;
    const bad: [string, string, unknown][] = [
      ['POST', '/control/companies', { provider: 'sage', name: 'X', transactions: 1 }],
      ['POST', '/control/companies', { provider: 'qbo', name: 'X', transactions: 1_000_001 }],
      ['POST', '/control/companies', { provider: 'qbo', name: '', transactions: 5 }],
      ['POST', '/control/companies', { provider: 'qbo', name: 'X', transactions: 5, surprise: true }],
      ['POST', '/control/companies', '{"provider":'],
      [
        'POST',
        `/control/companies/${c.def.id}/transactions`,
        { kind: 'spend', date: '2026-02-30', lines: [{ accountId: acc, amountMinor: 1 }] },
      ],
      [
        'POST',
        `/control/companies/${c.def.id}/transactions`,
        { kind: 'spend', date: '2026-02-03', lines: [] },
      ],
      [
        'POST',
        `/control/companies/${c.def.id}/transactions`,
        { kind: 'spend', date: '2026-02-03', lines: [{ accountId: 'nope', amountMinor: 1 }] },
      ],
      [
        'POST',
        `/control/companies/${c.def.id}/transactions`,
        { kind: 'spend', date: '2026-02-03', lines: [{ accountId: acc, amountMinor: 1.5 }] },
      ],
      [
        'POST',
        `/control/companies/${c.def.id}/transactions`,
        { kind: 'spend', date: '2026-02-03', payeeId: 'nobody', lines: [{ accountId: acc, amountMinor: 1 }] },
      ],
      [
        'POST',
        `/control/companies/${c.def.id}/transactions`,
        { kind: 'transfer', date: '2026-02-03', lines: [{ accountId: acc, amountMinor: 1 }] },
      ],
      ['PATCH', `/control/companies/${c.def.id}/transactions/${c.txn(1)!.id}`, {}],
      [
        'PATCH',
        `/control/companies/${c.def.id}/transactions/${c.txn(1)!.id}`,
        { kind: c.txn(1)!.kind === 'spend' ? 'receive' : 'spend' },
      ],
      ['GET', `/control/companies/${c.def.id}/transactions?limit=5000`, undefined],
      ['POST', '/control/faults', { provider: 'qbo', kind: 'status', status: 418, count: 1 }],
      ['POST', '/control/faults', { provider: 'qbo', kind: 'latency', count: 1 }],
      ['POST', '/control/faults', { provider: 'qbo', kind: 'drop_webhook', count: 0 }],
      ['POST', '/control/grants/revoke', { provider: 'qbo' }],
      ['POST', '/control/tokens/expire', { provider: 'sage' }],
      ['POST', '/control/clock', { advanceMs: 1, offsetMs: 2 }],
      ['POST', '/control/clock', { advanceMs: -5 }],
    ];
    for (const [method, path, body] of bad) {
      const res = await call(method, path, body);
      if (res.status !== 400)
        throw new Error(
          `${method} ${path} ${JSON.stringify(body)} answered ${res.status}: ${JSON.stringify(res.body)}`,
        );
      expect(res.body).toEqual({ error: 'bad_request', message: expect.any(String) });
    }
  });

  it('answers 404 to unknown companies, transactions and routes', async () => {
    const c = qboCompany();
    const xeroTxnId = xeroCompany().txn(0)!.id;
    const missing: [string, string, unknown][] = [
      ['GET', '/control/companies/123/transactions', undefined],
      ['GET', '/control/companies/123/accounts', undefined],
      [
        'POST',
        '/control/companies/123/transactions',
        { kind: 'spend', date: '2026-02-03', lines: [{ accountId: 'a', amountMinor: 1 }] },
      ],
      ['GET', `/control/companies/${c.def.id}/transactions/99999999`, undefined],
      ['GET', `/control/companies/${c.def.id}/transactions/${xeroTxnId}`, undefined],
      ['PATCH', `/control/companies/${c.def.id}/transactions/abc`, { memo: 'x' }],
      ['DELETE', `/control/companies/${c.def.id}/transactions/abc`, undefined],
      ['POST', '/control/faults', { provider: 'qbo', companyId: 'nope', kind: 'drop_webhook', count: 1 }],
      ['POST', '/control/faults', { provider: 'xero', companyId: c.def.id, kind: 'drop_webhook', count: 1 }],
      ['POST', '/control/grants/revoke', { provider: 'qbo', companyId: 'nope' }],
      ['GET', '/control/nothing-here', undefined],
    ];
    for (const [method, path, body] of missing) {
      const res = await call(method, path, body);
      if (res.status !== 404)
        throw new Error(`${method} ${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
      expect(res.body).toEqual({ error: 'not_found', message: expect.any(String) });
    }
  });

  it('adds, lists and clears faults', async () => {
    const c = qboCompany();
    const made = await call('POST', '/control/faults', {
      provider: 'qbo',
      companyId: c.def.id,
      kind: 'status',
      status: 429,
      count: 2,
    });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({
      id: expect.any(Number),
      provider: 'qbo',
      companyId: c.def.id,
      kind: 'status',
      status: 429,
      remaining: 2,
    });
    await call('POST', '/control/faults', { provider: 'xero', kind: 'latency', latencyMs: 250, count: 1 });
    expect((await call('GET', '/control/faults')).body.faults).toHaveLength(2);
    expect(ctx.faults.take('qbo', 'status', c.def.id)).toMatchObject({ status: 429 });
    expect((await call('GET', '/control/faults')).body.faults[0].remaining).toBe(1);
    expect((await call('DELETE', '/control/faults')).body).toEqual({ cleared: 2 });
    expect((await call('GET', '/control/faults')).body.faults).toEqual([]);
  });

  it('adds faults for updates only, and QuickBooks stale-object conflicts', async () => {
    const c = qboCompany();
    const updates = await call('POST', '/control/faults', {
      provider: 'qbo',
      companyId: c.def.id,
      kind: 'status',
      status: 500,
      calls: 'updates',
    });
    expect(updates.status).toBe(201);
    expect(updates.body).toMatchObject({ kind: 'status', status: 500, calls: 'updates', remaining: 1 });
    // A read does not take it; an update does.
    expect(ctx.faults.take('qbo', 'status', c.def.id, 'read')).toBeUndefined();
    expect(ctx.faults.take('qbo', 'status', c.def.id, 'update')).toMatchObject({ status: 500 });
    const stale = await call('POST', '/control/faults', { provider: 'qbo', kind: 'stale_object', count: 3 });
    expect(stale.status).toBe(201);
    expect(stale.body).toMatchObject({ kind: 'stale_object', remaining: 3 });
    await call('DELETE', '/control/faults');

    for (const [body, message] of [
      [
        { provider: 'xero', kind: 'stale_object' },
        'body.kind: stale_object is a QuickBooks fault (Xero has no SyncToken)',
      ],
      [
        { provider: 'qbo', kind: 'drop_webhook', calls: 'updates' },
        'body.calls: calls applies to API calls, not to webhooks',
      ],
      [
        { provider: 'qbo', kind: 'stale_object', status: 500 },
        'body.status: only a status fault takes status',
      ],
      [{ provider: 'qbo', kind: 'status', status: 500, calls: 'writes' }, 'body.calls:'],
    ] as const) {
      const res = await call('POST', '/control/faults', body);
      expect(res.status).toBe(400);
      expect(res.body.message).toContain(message);
    }
  });

  it('reconciles and unreconciles a Xero bank transaction', async () => {
    const x = xeroCompany();
    const spend = x
      .indicesOf(['spend'])
      .map((i) => x.txn(i)!)
      .find((t) => !t.deleted)!;
    const path = `/control/companies/${x.def.id}/transactions/${spend.id}/reconcile`;
    const done = await call('POST', path, {});
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ id: spend.id, reconciled: true });
    expect(Date.parse(done.body.updatedAt)).toBeGreaterThanOrEqual(Date.parse(spend.updatedAt));
    expect(
      (await call('GET', `/control/companies/${x.def.id}/transactions/${spend.id}`)).body.reconciled,
    ).toBe(true);
    const undone = await call('POST', path, { reconciled: false });
    expect(undone.body.reconciled).toBeUndefined();

    const journal = x.indicesOf(['journal']).map((i) => x.txn(i)!)[0];
    const q = qboCompany();
    for (const [p, body, status, message] of [
      [
        `/control/companies/${x.def.id}/transactions/${journal.id}/reconcile`,
        {},
        400,
        'Only bank transactions',
      ],
      [
        `/control/companies/${q.def.id}/transactions/${q.txn(0)!.id}/reconcile`,
        {},
        400,
        'Only Xero bank transactions',
      ],
      [path, { reconciled: 'yes' }, 400, 'body.reconciled'],
      [path, { reconciled: true, note: 1 }, 400, 'note'],
      [`/control/companies/${x.def.id}/transactions/nope/reconcile`, {}, 404, 'No transaction nope'],
    ] as const) {
      const res = await call('POST', p, body);
      expect(res.status).toBe(status);
      expect(res.body.message).toContain(message);
    }
  });

  it('revokes grants and expires tokens through the provider hooks, and moves the clock', async () => {
    const c = qboCompany();
    const calls: string[] = [];
    ctx.hooks.set('qbo', {
      revokeGrants: (id) => (calls.push(`revoke:${id}`), 2),
      expireAccessTokens: () => (calls.push('expire:qbo'), 3),
    });
    ctx.hooks.set('xero', {
      revokeGrants: () => 0,
      expireAccessTokens: () => (calls.push('expire:xero'), 4),
    });
    expect(
      (await call('POST', '/control/grants/revoke', { provider: 'qbo', companyId: c.def.id })).body,
    ).toEqual({ revoked: 2 });
    expect((await call('POST', '/control/tokens/expire', { provider: 'xero' })).body).toEqual({ expired: 4 });
    expect((await call('POST', '/control/tokens/expire')).body).toEqual({ expired: 7 });
    expect(calls).toEqual([`revoke:${c.def.id}`, 'expire:xero', 'expire:qbo', 'expire:xero']);

    const before = ctx.clock();
    const moved = await call('POST', '/control/clock', { advanceMs: 3_600_000 });
    expect(moved.status).toBe(200);
    expect(Date.parse(moved.body.now) - before).toBeGreaterThanOrEqual(3_600_000);
    expect(moved.body.offsetMs).toBe(3_600_000);
    expect((await call('POST', '/control/clock', { offsetMs: 0 })).body.offsetMs).toBe(0);
    expect(Math.abs(ctx.clock() - Date.now())).toBeLessThan(5_000);
  });
});

import { inviteContact, portalSignIn, TestContext, type Agent, type TestFirm } from './harness';

/**
 * The question boards and portal lists are kept as JSON per version (QuestionListCache and
 * migration 1765000000000). Each test reads a list first, so it is kept, then changes something the
 * list shows through the API (or, for what has no endpoint yet, in the database, as the triggers
 * see it), and reads again: the list must show the change at once, for every kind of change.
 */
jest.setTimeout(60_000);

describe('question lists kept per version: never stale, never shared', () => {
  let ctx: TestContext;
  let firm: TestFirm;
  let admin: Agent;
  let staff: Agent;
  let staffId: string;
  let maria: { agent: Agent; contactId: string };
  let acme: { id: string; name: string };
  let birch: { id: string; name: string };
  let questionId: string;
  /** A contact of Birch alone. */
  let bo: Agent;

  const board = async (who: Agent, query = '') => {
    const res = await who.get(`/api/v1/questions${query}`);
    expect(res.status).toBe(200);
    return res.body;
  };
  const portal = async () => {
    const res = await maria.agent.get(`/api/v1/portal/businesses/${acme.id}/questions`);
    expect(res.status).toBe(200);
    return res.body;
  };
  const version = async (scopeId: string) =>
    Number((await ctx.db.query(`SELECT version FROM question_versions WHERE scope_id = $1`, [scopeId]))[0]?.version ?? 0);

  beforeAll(async () => {
    ctx = await TestContext.start();
    firm = await ctx.newFirm({ clients: ['Acme Lists', 'Birch Lists'] });
    [acme, birch] = firm.clients;
    admin = await ctx.signIn(firm.admin.email);
    const s = await ctx.newStaff(firm, [acme.id]);
    staffId = s.id;
    staff = await ctx.signIn(s.email);
    const m = await inviteContact(ctx, admin, acme.id, { name: 'Maria Lists', email: `maria-${Date.now()}@lists.test`, role: 'owner' });
    const signedIn = await portalSignIn(ctx, m.token);
    maria = { agent: signedIn.agent, contactId: signedIn.session.contact.id };
    const b = await inviteContact(ctx, admin, birch.id, { name: 'Bo Birch', email: `bo-${Date.now()}@lists.test` });
    bo = (await portalSignIn(ctx, b.token)).agent;
    for (const [client, text] of [
      [acme, 'Which bank account is the loan paid from?'],
      [birch, 'Birch only: who signs the lease?'],
    ] as const) {
      const res = await admin.post(`/api/v1/clients/${client.id}/questions`, { kind: 'other', text, assigneeUserId: client === acme ? staffId : undefined });
      expect(res.status).toBe(201);
      if (client === acme) questionId = res.body.id;
    }
  });

  afterAll(async () => {
    await ctx?.close();
  });

  it('answers JSON, the same whether built or kept, and each reader gets their own', async () => {
    const res = await admin.get('/api/v1/questions');
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    const first = res.body;
    expect(first.items.map((q: { text: string }) => q.text).sort()).toEqual(['Birch only: who signs the lease?', 'Which bank account is the loan paid from?']);
    expect(await board(admin)).toEqual(first);

    // The admin's board is kept; the staff member, assigned to Acme alone, still sees Acme alone.
    const mine = await board(staff);
    expect(mine.items.map((q: { client: { id: string } }) => q.client.id)).toEqual([acme.id]);
    expect(mine.counts).toEqual({ open: 1, answered: 0, resolved: 0 });

    // Another business's contact is refused even though Acme's list is kept.
    await portal();
    expect((await bo.get(`/api/v1/portal/businesses/${acme.id}/questions`)).status).toBe(404);
    // A signed-out caller too.
    expect((await ctx.agent().get(`/api/v1/portal/businesses/${acme.id}/questions`)).status).toBe(401);
    expect((await ctx.agent().get('/api/v1/questions')).status).toBe(401);
  });

  it('shows an answer, a new question and a resolve at once, on the board and in the portal', async () => {
    await board(staff);
    await portal();
    const answer = await maria.agent.post(`/api/v1/portal/businesses/${acme.id}/questions/${questionId}/answer`, { body: 'From the checking account.' });
    expect(answer.status).toBe(201);
    expect((await board(staff)).items[0]).toMatchObject({ id: questionId, status: 'answered', messageCount: 1 });
    expect((await portal()).waiting.map((q: { id: string }) => q.id)).toEqual([questionId]);

    const asked = await staff.post(`/api/v1/clients/${acme.id}/questions`, { kind: 'other', text: 'And the savings account?' });
    expect(asked.status).toBe(201);
    expect((await board(staff)).counts).toEqual({ open: 1, answered: 1, resolved: 0 });
    expect((await portal()).needsAnswer.map((q: { text: string }) => q.text)).toEqual(['And the savings account?']);

    expect((await staff.post(`/api/v1/questions/${questionId}/resolve`, {})).status).toBe(200);
    expect((await portal()).waiting).toEqual([]);
    expect((await board(staff, '?status=resolved')).items.map((q: { id: string }) => q.id)).toEqual([questionId]);
  });

  it('shows a renamed client, staff member, contact and firm, and Questions for Us turned on', async () => {
    await board(admin);
    await portal();
    expect((await admin.patch(`/api/v1/clients/${acme.id}`, { name: 'Acme Lists Renamed' })).status).toBe(200);
    expect((await board(admin)).items.filter((q: { client: { id: string } }) => q.client.id === acme.id).map((q: { client: { name: string } }) => q.client.name)).toContain(
      'Acme Lists Renamed',
    );

    await ctx.db.query(`UPDATE users SET name = 'Sam Renamed' WHERE id = $1`, [staffId]);
    expect((await board(admin)).items.find((q: { assignee: { id: string } | null }) => q.assignee?.id === staffId).assignee.name).toBe('Sam Renamed');
    expect((await portal()).needsAnswer[0].askedBy.name).toBe('Sam Renamed');

    await ctx.db.query(`UPDATE client_contacts SET name = 'Maria Renamed' WHERE client_id = $1 AND contact_id = $2`, [acme.id, maria.contactId]);
    expect((await portal()).needsAnswer[0].contact.name).toBe('Maria Renamed');
    expect((await board(staff)).items.find((q: { contact: { id: string } | null }) => q.contact?.id === maria.contactId).contact.name).toBe('Maria Renamed');

    const before = await version(birch.id);
    await ctx.db.query(`UPDATE firms SET name = name || ' Renamed' WHERE id = $1`, [firm.id]);
    expect(await version(birch.id)).toBe(before + 1);

    expect((await portal()).canAsk).toBe(false);
    expect((await admin.patch(`/api/v1/clients/${acme.id}`, { questionsForUs: true })).status).toBe(200);
    expect((await portal()).canAsk).toBe(true);
  });

  it('takes a client off the board of staff no longer assigned to it', async () => {
    expect((await board(staff)).total).toBeGreaterThan(0);
    expect((await admin.put(`/api/v1/clients/${acme.id}/staff`, { userIds: [] })).status).toBe(200);
    expect(await board(staff)).toMatchObject({ items: [], total: 0, counts: { open: 0, answered: 0, resolved: 0 } });
    expect((await admin.put(`/api/v1/clients/${acme.id}/staff`, { userIds: [staffId] })).status).toBe(200);
    expect((await board(staff)).total).toBeGreaterThan(0);
  });

  it('raises each version once for a bulk change, and only the versions it touches', async () => {
    const [firmBefore, acmeBefore, birchBefore] = [await version(firm.id), await version(acme.id), await version(birch.id)];
    await ctx.db.query(`UPDATE questions SET last_activity_at = now() WHERE client_id = $1`, [acme.id]);
    expect([await version(firm.id), await version(acme.id), await version(birch.id)]).toEqual([firmBefore + 1, acmeBefore + 1, birchBefore]);
  });

  it('shows the client, and the explorer, the line that needs review of a split, not the first line', async () => {
    // A split purchase: Meals on the first line, the second still in Uncategorized Expense.
    const [conn] = await ctx.db.query(
      `INSERT INTO ledger_connections (firm_id, client_id, provider, external_id, company_name, access_token, refresh_token, backfilled_at, last_synced_at)
       VALUES ($1, $2, 'qbo', $3, 'Birch Books', 'x', 'x', now(), now()) RETURNING id`,
      [firm.id, birch.id, ctx.unique('realm')],
    );
    await ctx.db.query(
      `INSERT INTO ledger_accounts (connection_id, firm_id, external_id, name, type, active, needs_review)
       VALUES ($1, $2, '7', 'Meals', 'Expense', true, false), ($1, $2, '90', 'Uncategorized Expense', 'Expense', true, true)`,
      [conn.id, firm.id],
    );
    const lines = [
      { id: '1', amount: '30.00', account: { id: '7', name: 'Meals' }, classes: [], description: 'Lunch' },
      { id: '2', amount: '70.00', account: { id: '90', name: 'Uncategorized Expense' }, classes: [], description: null },
    ];
    const [txn] = await ctx.db.query(
      `INSERT INTO ledger_transactions (firm_id, client_id, connection_id, provider, provider_type, provider_id, txn_date, amount, currency,
                                        payee_name, account_id, account_name, lines, raw, provider_updated_at, uncategorized)
       VALUES ($1, $2, $3, 'qbo', 'Purchase', '501', '2026-11-02', -100, 'USD', 'Corner Store', '7', 'Meals', $4, '{}', now(), true) RETURNING id::text AS id`,
      [firm.id, birch.id, conn.id, JSON.stringify(lines)],
    );
    // The explorer says it is a split, and which account needs review, in the list and the detail.
    const listed = (await admin.get(`/api/v1/clients/${birch.id}/transactions?flag=uncategorized`)).body.items.find((t: { id: string }) => t.id === txn.id);
    const detail = (await admin.get(`/api/v1/clients/${birch.id}/transactions/${txn.id}`)).body;
    for (const t of [listed, detail]) {
      expect(t).toMatchObject({ account: { id: '7', name: 'Meals' }, lineCount: 2, reviewAccount: { id: '90', name: 'Uncategorized Expense' } });
    }
    // A transaction no longer flagged for review names no review account, split or not.
    await ctx.db.query(`UPDATE ledger_transactions SET uncategorized = false WHERE id = $1`, [txn.id]);
    expect((await admin.get(`/api/v1/clients/${birch.id}/transactions/${txn.id}`)).body).toMatchObject({ lineCount: 2, reviewAccount: null });
    await ctx.db.query(`UPDATE ledger_transactions SET uncategorized = true WHERE id = $1`, [txn.id]);

    const res = await admin.post(`/api/v1/clients/${birch.id}/questions`, { kind: 'transaction', transactionId: txn.id, text: 'What was the rest of this?' });
    expect(res.status).toBe(201);
    expect(res.body.transaction).toMatchObject({ payee: 'Corner Store', account: { id: '90', name: 'Uncategorized Expense' } });
  });
});

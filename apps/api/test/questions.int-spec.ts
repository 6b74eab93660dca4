import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { controlClient, startSandbox, type RunningSandbox } from '../../ledger-sandbox/src/testing';
import { QuestionNotices } from '@ledgerport/server/questions';
import { WorkerModule } from '../../worker/src/worker.module';
import { connectLedger, expectError, inviteContact, portalSignIn, requestBytes, TestContext, tokenFrom, type Agent, type TestFirm } from './harness';

/** A tiny real JPEG: SOI, a JFIF header, then the rest of a minimal image. */
const JPEG = Buffer.from('/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQABPxA=', 'base64');

/** One file as multipart/form-data in the field `field`. */
function multipart(filename: string, type: string, bytes: Buffer, field = 'file'): { payload: Buffer; contentType: string } {
  const boundary = `----ledgerport${Date.now()}`;
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n`);
  return { payload: Buffer.concat([head, bytes, Buffer.from(`\r\n--${boundary}--\r\n`)]), contentType: `multipart/form-data; boundary=${boundary}` };
}

/**
 * Questions (Q1–Q10) through the real API: asked about transactions the real worker synced from
 * the real sandbox, answered through the portal's real sessions, against PostgreSQL and Redis.
 */
jest.setTimeout(180_000);

describe('questions: asking, threads, answering, reassigning, resolving (Q1–Q10)', () => {
  let sandbox: RunningSandbox;
  let ctx: TestContext;
  let worker: INestApplicationContext;
  let firm: TestFirm;
  let admin: Agent;
  let bookkeeper: Agent;
  let bookkeeperId: string;
  let maria: { agent: Agent; contactId: string; email: string };
  let pat: { agent: Agent; contactId: string; email: string };
  let acme: { id: string; name: string };
  let txns: { id: string; payee: { name: string } | null; amount: string; account: { id: string; name: string } | null }[];
  let accounts: { id: string; name: string }[];

  const control = controlClient(() => sandbox.url).call;
  const Q = (clientId: string) => `/api/v1/clients/${clientId}/questions`;
  /** Polls a question until its write-back is no longer pending. */
  async function applied(id: string): Promise<any> {
    for (const until = Date.now() + 30_000; ; ) {
      const q = (await admin.get(`/api/v1/questions/${id}`)).body;
      if (q.apply?.status !== 'pending') return q;
      if (Date.now() > until) throw new Error(`the write-back did not finish: ${JSON.stringify(q.apply)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const P = (clientId: string) => `/api/v1/portal/businesses/${clientId}/questions`;
  const outbox = async (subjectId: string) =>
    (await ctx.db.query(`SELECT type FROM outbox_events WHERE subject_id = $1 ORDER BY id`, [subjectId])).map((r: { type: string }) => r.type);

  beforeAll(async () => {
    sandbox = await startSandbox();
    ctx = await TestContext.start({ LEDGER_SANDBOX_URL: sandbox.url });
    worker = await NestFactory.createApplicationContext(WorkerModule, { logger: false, abortOnError: false });
    firm = await ctx.newFirm({ clients: ['Acme Coffee', 'Nobody Here'] });
    acme = firm.clients[0];
    admin = await ctx.signIn(firm.admin.email);
    const staff = await ctx.newStaff(firm, [acme.id]);
    bookkeeperId = staff.id;
    bookkeeper = await ctx.signIn(staff.email);
    await connectLedger(admin, sandbox.url, acme.id, 'qbo', 'Acme Coffee Roasters');
    for (let until = Date.now() + 120_000; ; ) {
      const s = await admin.get(`/api/v1/clients/${acme.id}/sync`);
      if (s.body.last?.status === 'succeeded') break;
      if (Date.now() > until) throw new Error(`the sync did not finish: ${JSON.stringify(s.body)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    txns = (await admin.get(`/api/v1/clients/${acme.id}/transactions?flag=uncategorized&limit=20`)).body.items;
    accounts = (await admin.get(`/api/v1/clients/${acme.id}/review-accounts`)).body.items
      .filter((a: { needsReview: boolean; active?: boolean }) => !a.needsReview)
      .map((a: { id: string; name: string }) => ({ id: a.id, name: a.name }));
    const m = await inviteContact(ctx, admin, acme.id, { name: 'Maria Lopez', email: `maria-${Date.now()}@acme.test`, role: 'owner' });
    const p = await inviteContact(ctx, admin, acme.id, { name: 'Pat Birch', email: `pat-${Date.now()}@acme.test` });
    const ms = await portalSignIn(ctx, m.token);
    const ps = await portalSignIn(ctx, p.token);
    maria = { agent: ms.agent, contactId: ms.session.contact.id, email: ms.session.contact.email };
    pat = { agent: ps.agent, contactId: ps.session.contact.id, email: ps.session.contact.email };
  });

  afterAll(async () => {
    await worker?.close();
    await ctx?.close();
    await sandbox?.close();
  });

  it('asks about one transaction, with categories to pick from; the primary contact gets it; a second ask is refused', async () => {
    const t = txns[0];
    const res = await bookkeeper.post(Q(acme.id), {
      kind: 'transaction',
      transactionId: t.id,
      text: 'What was this purchase for?',
      categoryOptionIds: [accounts[0].id, accounts[1].id],
      dueOn: '2026-12-01',
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      reference: 'Q-1',
      kind: 'transaction',
      status: 'open',
      text: 'What was this purchase for?',
      client: { id: acme.id, name: acme.name },
      contact: { id: maria.contactId, name: 'Maria Lopez' },
      assignee: { id: bookkeeperId },
      askedBy: { side: 'firm', id: bookkeeperId },
      dueOn: '2026-12-01',
      categoryOptions: [accounts[0], accounts[1]],
      messageCount: 0,
      apply: null,
    });
    expect(res.body.transaction).toMatchObject({ id: t.id, payee: t.payee?.name ?? null, account: t.account });
    expect(Number(res.body.transaction.amount)).toBe(Number(t.amount));

    const again = await admin.post(Q(acme.id), { kind: 'transaction', transactionId: t.id, text: 'Again?' });
    expectError(again, 409, 'DUPLICATE_QUESTION');
    expect(again.body.message).toContain('Q-1');

    const log = (await admin.get(`/api/v1/activity?clientId=${acme.id}&limit=5`)).body.items;
    expect(log.find((e: { action: string }) => e.action === 'question.created').summary).toContain('as Q-1');
    expect(await outbox(res.body.id)).toEqual(['question.created']);
    // The explorer shows which transactions were asked about.
    const page = (await admin.get(`/api/v1/clients/${acme.id}/transactions?flag=uncategorized&limit=20`)).body.items;
    expect(page.find((x: { id: string }) => x.id === t.id).question).toEqual({ id: res.body.id, reference: 'Q-1', status: 'open' });
    expect(page.find((x: { id: string }) => x.id === txns[1].id).question).toBeNull();
  });

  it('asks about many transactions at once, all or none', async () => {
    const before = (await admin.get(`/api/v1/questions?clientId=${acme.id}&status=all`)).body.total;
    // One of them already has a question: nothing is asked, and the details say which.
    const refused = await bookkeeper.post(`${Q(acme.id)}/bulk`, {
      text: 'What was this for?',
      items: [{ transactionId: txns[1].id }, { transactionId: txns[0].id }],
    });
    expectError(refused, 409, 'DUPLICATE_QUESTION');
    expect(refused.body.details).toEqual([{ field: 'items[1].transactionId', message: 'Q-1, open' }]);
    expect((await admin.get(`/api/v1/questions?clientId=${acme.id}&status=all`)).body.total).toBe(before);

    const res = await bookkeeper.post(`${Q(acme.id)}/bulk`, {
      text: 'What was this for?',
      items: [{ transactionId: txns[1].id }, { transactionId: txns[2].id, text: 'Was this the team lunch?' }, { transactionId: txns[3].id }],
      categoryOptionIds: [accounts[2].id],
    });
    expect(res.status).toBe(201);
    expect(res.body.items.map((q: { reference: string; text: string }) => [q.reference, q.text])).toEqual([
      ['Q-2', 'What was this for?'],
      ['Q-3', 'Was this the team lunch?'],
      ['Q-4', 'What was this for?'],
    ]);
    expect(res.body.items.every((q: { categoryOptions: unknown[] }) => q.categoryOptions.length === 1)).toBe(true);
  });

  it('asks a question not about a transaction; a client with nobody in the portal cannot be asked', async () => {
    const res = await bookkeeper.post(Q(acme.id), { kind: 'other', text: 'Please send the December bank statement.' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ reference: 'Q-5', kind: 'other', transaction: null });
    expectError(await admin.post(Q(firm.clients[1].id), { kind: 'other', text: 'Hello?' }), 409, 'NO_CONTACTS');
  });

  it('threads: the firm writes and keeps internal notes; the client sees the messages, never the notes, and answers with a category', async () => {
    const q1 = (await admin.get(`/api/v1/questions?clientId=${acme.id}&q=Q-1`)).body.items[0];
    expect(q1.reference).toBe('Q-1');
    const note = await bookkeeper.post(`/api/v1/questions/${q1.id}/messages`, { body: 'Probably the espresso machine lease.', internal: true });
    expect(note.status).toBe(201);
    expect(note.body.messages.at(-1)).toMatchObject({ internal: true, author: { side: 'firm', id: bookkeeperId } });
    expect(note.body.messageCount).toBe(0);
    await bookkeeper.post(`/api/v1/questions/${q1.id}/messages`, { body: 'A receipt would help too.' });

    // The portal: the count, the groups, the thread without the note.
    const list = await maria.agent.get(P(acme.id));
    expect(list.status).toBe(200);
    expect(list.body.openCount).toBe(5);
    expect(list.body.needsAnswer.map((q: { reference: string }) => q.reference).sort()).toEqual(['Q-1', 'Q-2', 'Q-3', 'Q-4', 'Q-5']);
    expect(list.body.withOthers).toEqual([]);
    expect((await maria.agent.get('/api/v1/portal/auth/session')).body.businesses.find((b: { id: string }) => b.id === acme.id).openItems).toBe(5);
    const seen = await maria.agent.get(`${P(acme.id)}/${q1.id}`);
    expect(seen.body.messages.map((x: { body: string }) => x.body)).toEqual(['A receipt would help too.']);
    expect(JSON.stringify(seen.body)).not.toContain('espresso machine lease');
    expect(seen.body.teammates).toEqual([{ id: pat.contactId, name: 'Pat Birch' }]);

    const answered = await maria.agent.post(`${P(acme.id)}/${q1.id}/answer`, { body: 'Coffee for the open day.', categoryId: accounts[1].id });
    expect(answered.status).toBe(201);
    expect(answered.body).toMatchObject({ status: 'answered', answerCategory: accounts[1] });
    expect(answered.body.messages.at(-1)).toMatchObject({ author: { side: 'client', name: 'Maria Lopez' }, category: accounts[1] });
    const firmView = (await bookkeeper.get(`/api/v1/questions/${q1.id}`)).body;
    expect(firmView).toMatchObject({ status: 'answered', answerCategory: accounts[1], messageCount: 2 });
    expect(firmView.messages.map((x: { internal: boolean }) => x.internal)).toEqual([true, false, false]);
    expect((await maria.agent.get(P(acme.id))).body.waiting.map((q: { reference: string }) => q.reference)).toEqual(['Q-1']);
    expect(await outbox(q1.id)).toEqual(['question.created', 'question.answered']);

    // A follow-up from the firm hands it back to the client.
    expect((await bookkeeper.post(`/api/v1/questions/${q1.id}/messages`, { body: 'Thanks! Which event?' })).body.status).toBe('open');
  });

  it('receipts: uploaded by their bytes, unseen until sent with an answer, downloadable only by those allowed', async () => {
    const q4 = (await admin.get(`/api/v1/questions?clientId=${acme.id}&q=Q-4`)).body.items[0];
    const A = `${P(acme.id)}/${q4.id}/attachments`;
    const up = await requestBytes(ctx, maria.agent, 'POST', A, multipart('lunch receipt.jpeg', 'image/jpeg', JPEG));
    expect(up.status).toBe(201);
    expect(up.body).toMatchObject({ filename: 'lunch receipt.jpeg', contentType: 'image/jpeg', size: JPEG.length });
    // A text file named like a photo, an empty file, a form without a file, and a file over the limit.
    const text = await requestBytes(ctx, maria.agent, 'POST', A, multipart('receipt.jpg', 'image/jpeg', Buffer.from('not a picture at all')));
    expect({ status: text.status, code: text.body.code }).toEqual({ status: 415, code: 'FILE_TYPE_NOT_ALLOWED' });
    const empty = await requestBytes(ctx, maria.agent, 'POST', A, multipart('empty.jpg', 'image/jpeg', Buffer.alloc(0)));
    expect({ status: empty.status, code: empty.body.code }).toEqual({ status: 400, code: 'FILE_EMPTY' });
    const none = await requestBytes(ctx, maria.agent, 'POST', A, { payload: Buffer.from('{}'), contentType: 'application/json' });
    expect({ status: none.status, code: none.body.code }).toEqual({ status: 400, code: 'FILE_EMPTY' });
    const big = await requestBytes(ctx, maria.agent, 'POST', A, multipart('big.jpg', 'image/jpeg', Buffer.concat([JPEG, Buffer.alloc(11 * 1024 * 1024)])));
    expect({ status: big.status, code: big.body.code }).toEqual({ status: 413, code: 'FILE_TOO_LARGE' });
    expect((await ctx.db.query(`SELECT count(*)::int AS n FROM question_attachments WHERE question_id = $1`, [q4.id]))[0].n).toBe(1);

    // Unsent: the uploader can fetch it; a teammate and the firm cannot yet.
    const mine = await requestBytes(ctx, maria.agent, 'GET', `${A}/${up.body.id}`);
    expect(mine.status).toBe(200);
    expect(Buffer.compare(mine.bytes, JPEG)).toBe(0);
    expect(mine.headers['content-type']).toBe('image/jpeg');
    expect(String(mine.headers['content-disposition'])).toContain('attachment');
    expect(mine.headers['x-content-type-options']).toBe('nosniff');
    expect((await requestBytes(ctx, pat.agent, 'GET', `${A}/${up.body.id}`)).status).toBe(404);
    expect((await requestBytes(ctx, admin, 'GET', `/api/v1/questions/${q4.id}/attachments/${up.body.id}`)).status).toBe(404);
    // Pat cannot send Maria's upload as his own.
    expectError(await pat.agent.post(`${P(acme.id)}/${q4.id}/answer`, { body: 'mine', attachmentIds: [up.body.id] }), 400, 'ATTACHMENT_NOT_FOUND');

    // A second upload, discarded before sending.
    const extra = await requestBytes(ctx, maria.agent, 'POST', A, multipart('second.jpg', 'image/jpeg', JPEG));
    expect((await requestBytes(ctx, pat.agent, 'DELETE', `${A}/${extra.body.id}`)).status).toBe(404);
    expect((await requestBytes(ctx, maria.agent, 'DELETE', `${A}/${extra.body.id}`)).status).toBe(204);
    expect((await requestBytes(ctx, maria.agent, 'GET', `${A}/${extra.body.id}`)).status).toBe(404);

    const sent = await maria.agent.post(`${P(acme.id)}/${q4.id}/answer`, { body: 'Receipt attached.', attachmentIds: [up.body.id] });
    expect(sent.status).toBe(201);
    expect(sent.body.messages.at(-1).attachments).toEqual([expect.objectContaining({ id: up.body.id, filename: 'lunch receipt.jpeg' })]);
    expect((await admin.get(`/api/v1/questions/${q4.id}`)).body.attachmentCount).toBe(1);
    // Sent: the firm and the teammate can fetch it; another firm and a signed-out caller cannot.
    const firmCopy = await requestBytes(ctx, bookkeeper, 'GET', `/api/v1/questions/${q4.id}/attachments/${up.body.id}`);
    expect(firmCopy.status).toBe(200);
    expect(Buffer.compare(firmCopy.bytes, JPEG)).toBe(0);
    expect((await requestBytes(ctx, pat.agent, 'GET', `${A}/${up.body.id}`)).status).toBe(200);
    expect((await requestBytes(ctx, ctx.agent(), 'GET', `${A}/${up.body.id}`)).status).toBe(401);
    expect((await requestBytes(ctx, ctx.agent(), 'GET', `/api/v1/questions/${q4.id}/attachments/${up.body.id}`)).status).toBe(401);
    const other = await ctx.newFirm({ clients: ['Far Away'] });
    expect((await requestBytes(ctx, await ctx.signIn(other.admin.email), 'GET', `/api/v1/questions/${q4.id}/attachments/${up.body.id}`)).status).toBe(404);
    // Sent files stay: the upload is no longer the uploader's to discard.
    expect((await requestBytes(ctx, maria.agent, 'DELETE', `${A}/${up.body.id}`)).status).toBe(404);
  });

  it("applying the client's category writes it to QuickBooks, updates our copy at once, and says when the ledger refuses", async () => {
    const q1 = (await admin.get(`/api/v1/questions?clientId=${acme.id}&q=Q-1`)).body.items[0];
    expect(q1.answerCategory).toEqual(accounts[1]);
    const realm = (await control<{ companies: { id: string; name: string }[] }>('GET', '/companies')).companies.find((c) => c.name === 'Acme Coffee Roasters')!.id;
    const before = (await admin.get(`/api/v1/clients/${acme.id}/sync`)).body.uncategorizedCount;

    const res = await bookkeeper.post(`/api/v1/questions/${q1.id}/apply`, {});
    expect(res.status).toBe(202);
    expect(res.body.apply).toMatchObject({ status: 'pending', category: accounts[1], error: null });
    expectError(await bookkeeper.post(`/api/v1/questions/${q1.id}/apply`, {}), 409, 'APPLY_IN_PROGRESS');
    const done = await applied(q1.id);
    expect(done.apply).toMatchObject({ status: 'applied', category: accounts[1], error: null });
    // The question's copy of the transaction shows where it is posted now, on the board and in the portal.
    expect(done.transaction.account).toEqual(accounts[1]);
    // The ledger has it…
    const providerId = (await admin.get(`/api/v1/clients/${acme.id}/transactions/${q1.transaction.id}`)).body.providerId;
    const inLedger = await control<{ lines: { accountId: string }[] }>('GET', `/companies/${realm}/transactions/${providerId}`);
    expect(inLedger.lines.map((l) => l.accountId)).toContain(accounts[1].id);
    // …and so does our copy, without waiting for a sync: no longer uncategorized, one fewer on the count.
    const txn = (await admin.get(`/api/v1/clients/${acme.id}/transactions/${q1.transaction.id}`)).body;
    expect(txn).toMatchObject({ uncategorized: false, account: accounts[1] });
    expect((await admin.get(`/api/v1/clients/${acme.id}/sync`)).body.uncategorizedCount).toBe(before - 1);
    const log = (await admin.get(`/api/v1/activity?clientId=${acme.id}&limit=5`)).body.items;
    expect(log[0]).toMatchObject({ action: 'question.applied' });
    expect(log[0].summary).toContain(`to ${accounts[1].name} in QuickBooks Online`);

    // Someone keeps editing it in QuickBooks at the same moment: the adapter retries, then the question says so.
    const q2 = (await admin.get(`/api/v1/questions?clientId=${acme.id}&q=Q-2`)).body.items[0];
    await control('POST', '/faults', { provider: 'qbo', companyId: realm, kind: 'stale_object', calls: 'updates', count: 50 });
    try {
      expect((await admin.post(`/api/v1/questions/${q2.id}/apply`, { accountId: accounts[2].id })).status).toBe(202);
      const failed = await applied(q2.id);
      expect(failed.apply.status).toBe('failed');
      expect(failed.apply.error).toContain('changed this transaction in QuickBooks Online');
    } finally {
      await control('DELETE', '/faults');
    }
    // Trying again once the ledger is free works.
    expect((await admin.post(`/api/v1/questions/${q2.id}/apply`, { accountId: accounts[2].id })).status).toBe(202);
    expect((await applied(q2.id)).apply.status).toBe('applied');

    // Refusals that need no ledger call.
    const q5 = (await admin.get(`/api/v1/questions?clientId=${acme.id}&q=Q-5`)).body.items[0];
    expectError(await admin.post(`/api/v1/questions/${q5.id}/apply`, { accountId: accounts[0].id }), 409, 'NOT_A_TRANSACTION_QUESTION');
    const q3 = (await admin.get(`/api/v1/questions?clientId=${acme.id}&q=Q-3`)).body.items[0];
    expectError(await admin.post(`/api/v1/questions/${q3.id}/apply`, {}), 409, 'NOTHING_TO_APPLY');
    expectError(await admin.post(`/api/v1/questions/${q3.id}/apply`, { accountId: 'no-such-account' }), 400, 'CATEGORY_NOT_FOUND');
    expectError(await admin.post(`/api/v1/questions/${q3.id}/apply`, { accountId: '' }), 400, 'VALIDATION_FAILED');
    expectError(await admin.post(`/api/v1/questions/${q3.id}/apply`, { classId: 5 }), 400, 'VALIDATION_FAILED');
  });

  it('the client hands a question to a teammate, who then sees it as theirs', async () => {
    const q2 = (await admin.get(`/api/v1/questions?clientId=${acme.id}&q=Q-2`)).body.items[0];
    const res = await maria.agent.post(`${P(acme.id)}/${q2.id}/reassign`, { contactId: pat.contactId });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ contact: { id: pat.contactId, name: 'Pat Birch' }, mine: false });
    expectError(await maria.agent.post(`${P(acme.id)}/${q2.id}/reassign`, { contactId: pat.contactId }), 409, 'SAME_CONTACT');
    expect((await pat.agent.get(P(acme.id))).body.needsAnswer.map((q: { reference: string }) => q.reference)).toEqual(['Q-2']);
    expect((await maria.agent.get(P(acme.id))).body.withOthers.map((q: { reference: string }) => q.reference)).toEqual(['Q-2']);
    expect((await admin.get(`/api/v1/questions/${q2.id}`)).body.contact).toEqual({ id: pat.contactId, name: 'Pat Birch' });
    const log = (await admin.get(`/api/v1/activity?clientId=${acme.id}&limit=3`)).body.items;
    expect(log[0]).toMatchObject({ action: 'question.reassigned', summary: 'Handed Q-2 to Pat Birch', actorName: 'Maria Lopez (client)' });
  });

  it('resolving takes a question out of the portal; reopening brings it back', async () => {
    const q3 = (await admin.get(`/api/v1/questions?clientId=${acme.id}&q=Q-3`)).body.items[0];
    const resolved = await admin.post(`/api/v1/questions/${q3.id}/resolve`);
    expect(resolved.status).toBe(200);
    expect(resolved.body.status).toBe('resolved');
    expectError(await admin.post(`/api/v1/questions/${q3.id}/resolve`), 409, 'QUESTION_RESOLVED');
    expectError(await maria.agent.get(`${P(acme.id)}/${q3.id}`), 404, 'QUESTION_NOT_FOUND');
    expectError(await maria.agent.post(`${P(acme.id)}/${q3.id}/answer`, { body: 'late' }), 404, 'QUESTION_NOT_FOUND');
    expect(JSON.stringify((await maria.agent.get(P(acme.id))).body)).not.toContain(q3.id);
    expectError(await admin.post(`/api/v1/questions/${q3.id}/messages`, { body: 'Hello?' }), 409, 'QUESTION_RESOLVED');
    expect((await admin.post(`/api/v1/questions/${q3.id}/messages`, { body: 'Filed.', internal: true })).status).toBe(201);
    expect(await outbox(q3.id)).toEqual(['question.created', 'question.resolved']);

    expect((await admin.post(`/api/v1/questions/${q3.id}/reopen`)).body.status).toBe('open');
    expectError(await admin.post(`/api/v1/questions/${q3.id}/reopen`), 409, 'NOT_RESOLVED');
    expect((await maria.agent.get(`${P(acme.id)}/${q3.id}`)).status).toBe(200);
  });

  it('the board filters by status, client, assignee, age, kind and words, with counts per status', async () => {
    const all = (await admin.get('/api/v1/questions?status=all')).body;
    expect(all.total).toBe(5);
    expect(all.counts).toEqual({ open: 4, answered: 0, resolved: 0, ...all.counts });
    expect(all.counts.open + all.counts.answered + all.counts.resolved).toBe(5);
    expect((await admin.get('/api/v1/questions?kind=other')).body.items.map((q: { reference: string }) => q.reference)).toEqual(['Q-5']);
    expect((await bookkeeper.get('/api/v1/questions?assignee=me')).body.total).toBe(5);
    expect((await admin.get('/api/v1/questions?assignee=me')).body.total).toBe(0);
    expect((await admin.get(`/api/v1/questions?assignee=${bookkeeperId}`)).body.total).toBe(5);
    await ctx.db.query(`UPDATE questions SET created_at = now() - interval '10 days' WHERE client_id = $1 AND number = 4`, [acme.id]);
    expect((await admin.get('/api/v1/questions?olderThanDays=7')).body.items.map((q: { reference: string }) => q.reference)).toEqual(['Q-4']);
    expect((await admin.get('/api/v1/questions?q=bank%20statement')).body.items.map((q: { reference: string }) => q.reference)).toEqual(['Q-5']);
    const page = (await admin.get('/api/v1/questions?status=unresolved&limit=2')).body;
    expect(page.items).toHaveLength(2);
    expect(page.total).toBe(5);

    const patched = await admin.patch(`/api/v1/questions/${page.items[0].id}`, { dueOn: null, text: 'Edited question', assigneeUserId: null });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ dueOn: null, text: 'Edited question', assignee: null });
    expect((await admin.get('/api/v1/questions?assignee=none')).body.total).toBe(1);
  });

  it('Questions for Us: only where the firm turned it on', async () => {
    expectError(await maria.agent.post(P(acme.id), { text: 'Can we expense the new laptop?' }), 403, 'QUESTIONS_FOR_US_OFF');
    expect((await maria.agent.get(P(acme.id))).body.canAsk).toBe(false);
    expect((await admin.patch(`/api/v1/clients/${acme.id}`, { questionsForUs: true })).status).toBe(200);
    expect((await maria.agent.get(P(acme.id))).body.canAsk).toBe(true);
    const res = await maria.agent.post(P(acme.id), { text: 'Can we expense the new laptop?' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ kind: 'for_us', status: 'answered', askedBy: { side: 'client', name: 'Maria Lopez' }, mine: true });
    const board = (await admin.get('/api/v1/questions?kind=for_us')).body.items;
    expect(board.map((q: { id: string; status: string }) => [q.id, q.status])).toEqual([[res.body.id, 'answered']]);
    expect(await outbox(res.body.id)).toEqual(['question.created']);
    // The firm's reply goes back to the person who asked.
    expect((await admin.post(`/api/v1/questions/${res.body.id}/messages`, { body: 'Yes, as equipment.' })).body.status).toBe('open');
    expect((await maria.agent.get(P(acme.id))).body.needsAnswer.map((q: { id: string }) => q.id)).toContain(res.body.id);
  });

  it('emails: one digest for questions asked close together, reminders that stop with one click, answer notices to the bookkeeper', async () => {
    const notices = worker.get(QuestionNotices);
    const mails = async (to: string) =>
      (await ctx.db.query(`SELECT subject, text_body FROM outbound_emails WHERE to_address = $1 ORDER BY created_at`, [to])) as { subject: string; text_body: string }[];
    const soon = (ms: number) => new Date(Date.now() + ms);

    // Within the quiet period no digest goes (answer notices do: Maria answered questions Ben follows up).
    const initial = await notices.tick(soon(0));
    expect(initial).toMatchObject({ digests: 0, answerNotices: 1 });
    // A sign-in link Maria asked for herself just before stays good: the digest's own link supersedes nothing.
    expect((await ctx.agent().post('/api/v1/portal/auth/sign-in-link', { email: maria.email, firmSlug: firm.slug })).status).toBe(202);
    await ctx.settle();
    const asked = (await ctx.lastEmail(maria.email)).link as string;
    expect(asked).toContain('sign-in-link?token=');
    const before = (await mails(maria.email)).length;
    const first = await notices.tick(soon(3 * 60_000));
    expect(first.digests).toBeGreaterThanOrEqual(2); // Maria's, and Pat's for the one handed to him
    const mariaMails = (await mails(maria.email)).slice(before);
    expect(mariaMails).toHaveLength(1);
    const [digest] = mariaMails;
    expect(digest.subject).toMatch(/^[^]+ has \d+ questions about Acme Coffee$/);
    const open = (await maria.agent.get(P(acme.id))).body.needsAnswer as { reference: string }[];
    for (const q of open) expect(digest.text_body).toContain(`${q.reference}`);
    expect(digest.text_body).not.toContain('Q-2:'); // Pat's now
    // Each transaction reads as a person would say it: "Q-3 · Lyft · -$42.50 · Nov 2, 2026: …".
    expect(digest.text_body).toMatch(/Q-\d+ · [^·\n]+ · -?\$[\d,]+\.\d\d · [A-Z][a-z]{2} \d{1,2}, \d{4}: /);
    const patDigest = await ctx.lastEmail(pat.email);
    expect(patDigest.text).toContain('Q-2');
    // One question: its button opens that question, not the list.
    const q2 = (await admin.get(`/api/v1/questions?clientId=${acme.id}&q=Q-2`)).body.items[0];
    const patLink = /https?:\/\/\S+sign-in-link\?token=\S+/.exec(patDigest.text)![0];
    expect(new URL(patLink).searchParams.get('next')).toBe(`questions/${q2.id}`);
    // Its button signs Maria in and says where to go.
    const link = /https?:\/\/\S+sign-in-link\?token=\S+/.exec(digest.text_body)![0];
    expect(new URL(link).searchParams.get('next')).toBe('questions');
    expect((await portalSignIn(ctx, tokenFrom(link))).session.contact.id).toBe(maria.contactId);
    expect((await portalSignIn(ctx, tokenFrom(asked))).session.contact.id).toBe(maria.contactId);
    // Told once: the next tick sends nothing new.
    expect((await notices.tick(soon(4 * 60_000))).digests).toBe(0);

    // Ben heard about Maria's answers in one email.
    expect(first.answerNotices).toBe(0);
    const bookkeeperEmail = (await ctx.db.query(`SELECT email FROM users WHERE id = $1`, [bookkeeperId]))[0].email;
    const notice = await ctx.lastEmail(bookkeeperEmail);
    expect(notice.subject).toMatch(/answer/);
    expect(notice.text).toContain('Coffee for the open day.');
    expect(notice.text).toMatch(/\/questions\/[0-9a-f-]{36}/);

    // Reminders on the firm's schedule (3 and 7 days), at least a day after the email that asked.
    await ctx.db.query(
      `UPDATE questions SET created_at = now() - interval '4 days', notified_at = now() - interval '2 days' WHERE client_id = $1 AND contact_id = $2 AND status = 'open'`,
      [acme.id, maria.contactId],
    );
    expect((await notices.tick(soon(0))).reminders).toBe(1);
    const reminder = await ctx.lastEmail(maria.email);
    expect(reminder.subject).toMatch(/^Reminder: /);
    expect((await notices.tick(soon(0))).reminders).toBe(0); // the 3-day one is sent; the 7-day one is not due
    const stop = /https?:\/\/\S+\/api\/v1\/email\/question-reminders\/stop\?t=\S+/.exec(reminder.text)![0];
    const page = await ctx.agent().get(new URL(stop).pathname + new URL(stop).search);
    expect(page.status).toBe(200);
    expect(String(page.headers['content-type'])).toContain('text/html');
    expect(String(page.body)).toContain('No more reminders');
    await ctx.db.query(`UPDATE questions SET created_at = now() - interval '8 days' WHERE client_id = $1 AND contact_id = $2 AND status = 'open'`, [acme.id, maria.contactId]);
    expect((await notices.tick(soon(0))).reminders).toBe(0);
    expect((await maria.agent.get('/api/v1/portal/notification-settings')).body).toEqual({ questionEmails: 'immediately', reminders: false });
    // A forged link changes nothing; the page's button turns them back on.
    const forged = await ctx.agent().get(`/api/v1/email/question-reminders/stop?t=${maria.contactId}.forged`);
    expect(String(forged.body)).toContain('not valid');
    const on = await ctx.agent().request('POST', '/api/v1/email/question-reminders/start', {
      rawBody: `t=${encodeURIComponent(new URL(stop).searchParams.get('t') as string)}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(String(on.body)).toContain('Reminders are on again');
    expect((await notices.tick(soon(0))).reminders).toBe(1);

    // Settings: a daily summary instead; a staff member who turned answer emails off hears nothing.
    expect((await maria.agent.put('/api/v1/portal/notification-settings', { questionEmails: 'daily', reminders: true })).body).toEqual({ questionEmails: 'daily', reminders: true });
    expectError(await maria.agent.put('/api/v1/portal/notification-settings', { questionEmails: 'hourly', reminders: true }), 400, 'VALIDATION_FAILED');
    expectError(await maria.agent.put('/api/v1/portal/notification-settings', { questionEmails: 'daily', reminders: 'yes' }), 400, 'VALIDATION_FAILED');
    expect((await bookkeeper.put('/api/v1/account/notification-settings', { answerEmails: 'off' })).body).toEqual({ answerEmails: 'off' });
    expectError(await bookkeeper.put('/api/v1/account/notification-settings', { answerEmails: 'sometimes' }), 400, 'VALIDATION_FAILED');
    const q4 = (await admin.get(`/api/v1/questions?clientId=${acme.id}&q=Q-4`)).body.items[0];
    await bookkeeper.post(`/api/v1/questions/${q4.id}/messages`, { body: 'One more thing?' });
    await maria.agent.post(`${P(acme.id)}/${q4.id}/answer`, { body: 'Sure.' });
    const quiet = (await mails(bookkeeperEmail)).length;
    expect((await notices.tick(soon(3 * 60_000))).answerNotices).toBe(0);
    expect(await mails(bookkeeperEmail)).toHaveLength(quiet);
    await bookkeeper.put('/api/v1/account/notification-settings', { answerEmails: 'immediately' });
    // Who may change which settings.
    for (const [who, url] of [
      [ctx.agent(), '/api/v1/portal/notification-settings'],
      [admin, '/api/v1/portal/notification-settings'],
      [ctx.agent(), '/api/v1/account/notification-settings'],
      [maria.agent, '/api/v1/account/notification-settings'],
    ] as [Agent, string][]) {
      expect((await who.get(url)).status).toBe(401);
    }
  });

  it('refuses bad input on every question endpoint, with a code and nothing half-written', async () => {
    const q = (await admin.get(`/api/v1/questions?clientId=${acme.id}&q=Q-5`)).body.items[0];
    expect(q.messageCount).toBe(0);
    const count = async () => (await ctx.db.query(`SELECT count(*)::int AS n FROM questions`))[0].n;
    const before = await count();
    const bad: [string, string, unknown, number, string][] = [
      ['POST', Q(acme.id), { kind: 'memo', text: 'x' }, 400, 'VALIDATION_FAILED'],
      ['POST', Q(acme.id), { kind: 'transaction', text: 'x' }, 400, 'VALIDATION_FAILED'],
      ['POST', Q(acme.id), { kind: 'transaction', transactionId: 'abc', text: 'x' }, 400, 'VALIDATION_FAILED'],
      ['POST', Q(acme.id), { kind: 'other', text: '   ' }, 400, 'VALIDATION_FAILED'],
      ['POST', Q(acme.id), { kind: 'other', text: 'x'.repeat(2001) }, 400, 'VALIDATION_FAILED'],
      ['POST', Q(acme.id), { kind: 'other', text: 'x', contactId: 'bob' }, 400, 'VALIDATION_FAILED'],
      ['POST', Q(acme.id), { kind: 'other', text: 'x', dueOn: 'tomorrow' }, 400, 'VALIDATION_FAILED'],
      ['POST', Q(acme.id), { kind: 'other', text: 'x', categoryOptionIds: ['no-such-account'] }, 400, 'CATEGORY_NOT_FOUND'],
      ['POST', Q(acme.id), { kind: 'other', text: 'x', contactId: '00000000-0000-4000-8000-000000000000' }, 404, 'CONTACT_NOT_FOUND'],
      ['POST', Q(acme.id), { kind: 'other', text: 'x', assigneeUserId: '00000000-0000-4000-8000-000000000001' }, 400, 'ASSIGNEE_NOT_FOUND'],
      ['POST', Q(acme.id), { kind: 'transaction', transactionId: '999999999', text: 'x' }, 404, 'TRANSACTION_NOT_FOUND'],
      ['POST', `${Q(acme.id)}/bulk`, { text: 'x', items: [] }, 400, 'VALIDATION_FAILED'],
      ['POST', `${Q(acme.id)}/bulk`, { text: 'x', items: Array.from({ length: 101 }, (_, i) => ({ transactionId: String(i + 1) })) }, 400, 'VALIDATION_FAILED'],
      ['POST', `${Q(acme.id)}/bulk`, { text: 'x', items: [{ transactionId: txns[5].id }, { transactionId: txns[5].id }] }, 400, 'VALIDATION_FAILED'],
      ['POST', `${Q(acme.id)}/bulk`, { text: 'x', items: [{ transactionId: txns[5].id }, { transactionId: '999999999' }] }, 404, 'TRANSACTION_NOT_FOUND'],
      ['GET', '/api/v1/questions?status=lost', undefined, 400, 'VALIDATION_FAILED'],
      ['GET', '/api/v1/questions?assignee=bob', undefined, 400, 'VALIDATION_FAILED'],
      ['GET', '/api/v1/questions?olderThanDays=-1', undefined, 400, 'VALIDATION_FAILED'],
      ['GET', '/api/v1/questions?clientId=nope', undefined, 400, 'VALIDATION_FAILED'],
      ['GET', '/api/v1/questions/not-a-uuid', undefined, 404, 'NOT_FOUND'],
      ['PATCH', `/api/v1/questions/${q.id}`, { dueOn: '1 Dec' }, 400, 'VALIDATION_FAILED'],
      ['PATCH', `/api/v1/questions/${q.id}`, { text: '' }, 400, 'VALIDATION_FAILED'],
      ['POST', `/api/v1/questions/${q.id}/messages`, { body: '' }, 400, 'VALIDATION_FAILED'],
      ['POST', `/api/v1/questions/${q.id}/messages`, { body: 'x', internal: 'yes' }, 400, 'VALIDATION_FAILED'],
      ['POST', `/api/v1/questions/${q.id}/messages`, { body: 'x'.repeat(5001) }, 400, 'VALIDATION_FAILED'],
    ];
    for (const [method, url, body, status, code] of bad) {
      const res = await admin.request(method, url, { body });
      expect({ method, url, status: res.status, code: res.body?.code }).toEqual({ method, url, status, code });
    }
    const portalBad: [string, string, unknown, number, string][] = [
      ['POST', `${P(acme.id)}/${q.id}/answer`, {}, 400, 'ANSWER_EMPTY'],
      ['POST', `${P(acme.id)}/${q.id}/answer`, { body: 'x', categoryId: accounts[5].id }, 400, 'CATEGORY_NOT_OFFERED'],
      ['POST', `${P(acme.id)}/${q.id}/answer`, { body: 'x', attachmentIds: ['x'] }, 400, 'VALIDATION_FAILED'],
      ['POST', `${P(acme.id)}/${q.id}/answer`, { body: 'x', attachmentIds: ['00000000-0000-4000-8000-000000000000'] }, 400, 'ATTACHMENT_NOT_FOUND'],
      ['POST', `${P(acme.id)}/${q.id}/answer`, { body: 5 }, 400, 'VALIDATION_FAILED'],
      ['POST', `${P(acme.id)}/${q.id}/reassign`, { contactId: 'pat' }, 400, 'VALIDATION_FAILED'],
      ['POST', `${P(acme.id)}/${q.id}/reassign`, { contactId: '00000000-0000-4000-8000-000000000000' }, 404, 'CONTACT_NOT_FOUND'],
      ['POST', P(acme.id), { text: '' }, 400, 'VALIDATION_FAILED'],
      ['GET', `${P(acme.id)}/not-a-uuid`, undefined, 404, 'NOT_FOUND'],
    ];
    for (const [method, url, body, status, code] of portalBad) {
      const res = await maria.agent.request(method, url, { body });
      expect({ method, url, status: res.status, code: res.body?.code }).toEqual({ method, url, status, code });
    }
    expect(await count()).toBe(before);
    // The refused answer wrote no message either.
    expect((await admin.get(`/api/v1/questions/${q.id}`)).body.messages).toEqual([]);
  });

  it('keeps questions to the firm and its assigned staff, and to the business’s own people', async () => {
    const q = (await admin.get(`/api/v1/questions?clientId=${acme.id}&q=Q-4`)).body.items[0];
    const other = await ctx.newFirm({ clients: ['Elsewhere'] });
    const outsider = await ctx.signIn(other.admin.email);
    const unassigned = await ctx.signIn((await ctx.newStaff(firm, [])).email);
    const elsewhere = await inviteContact(ctx, outsider, other.clients[0].id, { name: 'Eve Else', email: `eve-${Date.now()}@else.test` });
    const { agent: stranger } = await portalSignIn(ctx, elsewhere.token);
    const anonymous = ctx.agent();

    const firmCalls: [string, string, unknown?][] = [
      ['POST', Q(acme.id), { kind: 'other', text: 'x' }],
      ['POST', `${Q(acme.id)}/bulk`, { text: 'x', items: [{ transactionId: txns[6].id }] }],
      ['GET', `/api/v1/questions/${q.id}`],
      ['PATCH', `/api/v1/questions/${q.id}`, { text: 'mine now' }],
      ['POST', `/api/v1/questions/${q.id}/messages`, { body: 'hi' }],
      ['POST', `/api/v1/questions/${q.id}/resolve`],
      ['POST', `/api/v1/questions/${q.id}/reopen`],
      ['POST', `/api/v1/questions/${q.id}/apply`, { accountId: accounts[0].id }],
    ];
    for (const [method, url, body] of firmCalls) {
      for (const who of [outsider, unassigned]) {
        const res = await who.request(method, url, { body });
        expect({ method, url, status: res.status }).toEqual({ method, url, status: 404 });
      }
      for (const who of [maria.agent, anonymous]) {
        const res = await who.request(method, url, { body });
        expect({ method, url, status: res.status }).toEqual({ method, url, status: 401 });
      }
    }
    // Boards: an outsider's and an unassigned member's show none of Acme's questions.
    for (const who of [outsider, unassigned]) {
      const board = (await who.get(`/api/v1/questions?status=all&clientId=${acme.id}`)).body;
      expect({ total: board.total, counts: board.counts }).toEqual({ total: 0, counts: { open: 0, answered: 0, resolved: 0 } });
    }
    expect((await anonymous.get('/api/v1/questions')).status).toBe(401);

    const portalCalls: [string, string, unknown?][] = [
      ['GET', P(acme.id)],
      ['POST', P(acme.id), { text: 'x' }],
      ['GET', `${P(acme.id)}/${q.id}`],
      ['POST', `${P(acme.id)}/${q.id}/answer`, { body: 'x' }],
      ['POST', `${P(acme.id)}/${q.id}/reassign`, { contactId: pat.contactId }],
    ];
    for (const [method, url, body] of portalCalls) {
      const res = await stranger.request(method, url, { body });
      expect({ method, url, status: res.status, code: res.body?.code }).toEqual({ method, url, status: 404, code: 'BUSINESS_NOT_FOUND' });
      for (const who of [admin, anonymous]) {
        const r = await who.request(method, url, { body });
        expect({ method, url, status: r.status }).toEqual({ method, url, status: 401 });
      }
    }
    // A question of another business, through this business's path, is not found either.
    const theirs = await outsider.post(Q(other.clients[0].id), { kind: 'other', text: 'Theirs' });
    expect(theirs.status).toBe(201);
    expectError(await maria.agent.get(`${P(acme.id)}/${theirs.body.id}`), 404, 'QUESTION_NOT_FOUND');
    expect((await admin.get(`/api/v1/questions/${q.id}`)).body.text).not.toBe('mine now');
  });
  it('keeps the board’s counts equal to a count of the questions, whatever changed them', async () => {
    // Deleting a client takes its questions and their counts with it.
    const gone = await ctx.newFirm({ clients: ['Closing Down'] });
    const goneAdmin = await ctx.signIn(gone.admin.email);
    await inviteContact(ctx, goneAdmin, gone.clients[0].id, { name: 'Last Person', email: `last-${Date.now()}@closing.test` });
    expect((await goneAdmin.post(Q(gone.clients[0].id), { kind: 'other', text: 'Anything else?' })).status).toBe(201);
    expect((await goneAdmin.request('DELETE', `/api/v1/clients/${gone.clients[0].id}?confirmName=${encodeURIComponent(gone.clients[0].name)}`)).status).toBe(204);
    expect(await ctx.db.query(`SELECT * FROM question_counts WHERE client_id = $1`, [gone.clients[0].id])).toEqual([]);
    const kept = await ctx.db.query(
      `SELECT client_id, assignee_key, status, n FROM question_counts WHERE n <> 0 ORDER BY 1, 2, 3`,
    );
    const live = await ctx.db.query(
      `SELECT client_id, coalesce(assignee_user_id, '00000000-0000-0000-0000-000000000000'::uuid) AS assignee_key, status, count(*)::int AS n
         FROM questions GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
    );
    expect(live.length).toBeGreaterThan(3);
    expect(kept).toEqual(live);
  });
});

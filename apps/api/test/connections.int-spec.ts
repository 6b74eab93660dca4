import { ActivityService } from '@ledgerport/server/audit';
import { APP_CONFIG } from '@ledgerport/server/config';
import { ConnectionTokens, LedgerRegistry } from '@ledgerport/server/connections';
import { createDataSource } from '@ledgerport/server/db';
import { MailService } from '@ledgerport/server/notifications';
import { consentAsBrowser, startSandbox, type RunningSandbox } from '../../ledger-sandbox/src/testing';
import { connectLedger, expectError, inviteContact, pathOf, portalSignIn, TestContext, type Agent, type TestFirm } from './harness';

/**
 * Ledger connections (L1–L5) end to end: the real API against the real ledger sandbox, through the
 * real intuit-oauth and xero-node adapters. The browser's part (the consent page) is driven like a
 * browser would: open it, pick the company, submit.
 */
jest.setTimeout(60_000);

describe('ledger connections: connect, tile, refresh, tokens, disconnect, board (L1–L5)', () => {
  let sandbox: RunningSandbox;
  let ctx: TestContext;
  let firm: TestFirm;
  let admin: Agent;

  beforeAll(async () => {
    sandbox = await startSandbox();
    ctx = await TestContext.start({ LEDGER_SANDBOX_URL: sandbox.url });
    firm = await ctx.newFirm({ clients: ['Cedar Yoga', 'Birch Dental', 'Idle Co'] });
    admin = await ctx.signIn(firm.admin.email);
  });
  afterAll(async () => {
    await ctx.close();
    await sandbox.close();
  });

  const C = (clientId: string) => `/api/v1/clients/${clientId}/connection`;
  const path = pathOf;

  /** Starts in the console, consents at the sandbox, returns to the callback: the whole popup journey. */
  async function connect(agent: Agent, clientId: string, provider: 'qbo' | 'xero', company: string) {
    const out = await connectLedger(agent, sandbox.url, clientId, provider, company);
    expect(out.back.startsWith(`http://localhost:3000/api/v1/connections/callback/${provider}?`)).toBe(true);
    return out;
  }

  const row = async (clientId: string) =>
    (await ctx.db.query(`SELECT * FROM ledger_connections WHERE client_id = $1 AND status <> 'disconnected'`, [clientId]))[0];

  it('lists both ledgers as configured before anything is connected', async () => {
    const res = await admin.get(C(firm.clients[0].id));
    expect(res.status).toBe(200);
    expect(res.body.connection).toBeNull();
    expect(res.body.providers).toEqual([
      { name: 'qbo', label: 'QuickBooks Online', logoUrl: '/api/v1/public/providers/qbo/logo.svg', configured: true },
      { name: 'xero', label: 'Xero', logoUrl: '/api/v1/public/providers/xero/logo.svg', configured: true },
    ]);
  });

  it('connects QuickBooks through the consent popup: the callback page tells the console, the tile has the company', async () => {
    const cedar = firm.clients[0];
    const { callback } = await connect(admin, cedar.id, 'qbo', 'Cedar Yoga Collective');
    expect(callback.status).toBe(200);
    expect(String(callback.headers['content-type'])).toContain('text/html');
    expect(callback.body).toContain('"type":"ledgerport:connection"');
    expect(callback.body).toContain('"status":"connected"');
    expect(callback.body).toContain('window.opener.postMessage(data, window.location.origin)');

    const res = await admin.get(C(cedar.id));
    expect(res.body.connection).toMatchObject({
      provider: 'qbo',
      status: 'connected',
      companyName: 'Cedar Yoga Collective',
      edition: 'QuickBooks Online Essentials',
      classTracking: 'off',
      connectedBy: { id: firm.admin.id, name: 'Admin Person' },
      defaultAccounts: { expense: null, income: null },
      lastError: null,
    });
    expect(res.body.connection.dashboardUrl).toMatch(/^http/);

    // Tokens are sealed at rest, bound to the connection.
    const r = await row(cedar.id);
    expect(r.access_token).toMatch(/^v1\.[0-9a-f]{8}\./);
    expect(r.refresh_token).toMatch(/^v1\.[0-9a-f]{8}\./);
    expect(r.access_expires_at.getTime()).toBeGreaterThan(Date.now() + 50 * 60_000);
    const log = await ctx.db.query(`SELECT action, summary FROM activity_log WHERE firm_id = $1 AND action LIKE 'connection.%'`, [firm.id]);
    expect(log).toEqual([{ action: 'connection.connected', summary: 'Connected Cedar Yoga to QuickBooks Online (Cedar Yoga Collective)' }]);
  });

  it('reads the chart of accounts, and keeps default accounts only from it', async () => {
    const cedar = firm.clients[0];
    const accounts = await admin.get(`${C(cedar.id)}/accounts`);
    expect(accounts.status).toBe(200);
    const names = accounts.body.items.map((a: { name: string }) => a.name);
    expect(names).toEqual(expect.arrayContaining(['Business Checking', 'Uncategorized Expense', 'Ask My Accountant', 'Sales']));
    const expense = accounts.body.items.find((a: { name: string }) => a.name === 'Office Supplies & Software');
    const income = accounts.body.items.find((a: { name: string }) => a.name === 'Sales');
    const saved = await admin.put(`${C(cedar.id)}/default-accounts`, { expense: expense.id, income: income.id });
    expect(saved.status).toBe(200);
    expect(saved.body.defaultAccounts).toEqual({ expense: { id: expense.id, name: expense.name }, income: { id: income.id, name: income.name } });
    expectError(await admin.put(`${C(cedar.id)}/default-accounts`, { expense: 'no-such-account', income: null }), 400, 'ACCOUNT_NOT_FOUND');
    expectError(await admin.put(`${C(cedar.id)}/default-accounts`, { expense: 7 }), 400, 'VALIDATION_FAILED');
    expect((await admin.get(C(cedar.id))).body.connection.defaultAccounts.expense.id).toBe(expense.id);
  });

  it('refuses a second connection while one is live, with a page the popup can show', async () => {
    const res = await admin.get(`${C(firm.clients[0].id)}/connect?provider=xero`);
    expect(res.status).toBe(409);
    expect(res.body).toContain('already connected to QuickBooks Online');
    expect(res.body).toContain('"status":"failed"');
  });

  it('connects Xero too: tracking categories, payroll and fixed assets', async () => {
    const birch = firm.clients[1];
    const { callback } = await connect(admin, birch.id, 'xero', 'Birch Dental Studio');
    expect(callback.status).toBe(200);
    const c = (await admin.get(C(birch.id))).body.connection;
    expect(c).toMatchObject({ provider: 'xero', companyName: 'Birch Dental Studio', edition: 'STANDARD', classTracking: 'per_line', payroll: 'connected', fixedAssets: 'connected' });
    expect(c.classes.length).toBeGreaterThan(0);
  });

  it('refreshes an expired access token invisibly, and Refresh re-reads the details', async () => {
    const cedar = firm.clients[0];
    sandbox.ctx.hooks.get('qbo')!.expireAccessTokens();
    const before = await row(cedar.id);
    const res = await admin.post(`${C(cedar.id)}/refresh`);
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('connected');
    const after = await row(cedar.id);
    expect(after.refresh_token).not.toBe(before.refresh_token);
    expect(after.last_refreshed_at.getTime()).toBeGreaterThanOrEqual(before.last_refreshed_at.getTime());
  });

  it('two processes refreshing the same connection at once never lose the rotated refresh token', async () => {
    const cedar = firm.clients[0];
    // A second process: its own database pool (and so its own connections and locks), the same code.
    const otherDb = createDataSource(process.env.DATABASE_URL as string);
    await otherDb.initialize();
    try {
      const here = ctx.app.get(ConnectionTokens);
      const there = new ConnectionTokens(otherDb, ctx.app.get(APP_CONFIG), ctx.app.get(LedgerRegistry), ctx.app.get(MailService), ctx.app.get(ActivityService));
      const { id } = await row(cedar.id);
      const used: string[] = [];
      for (let round = 0; round < 3; round++) {
        await ctx.db.query(`UPDATE ledger_connections SET access_expires_at = now() - interval '1 minute' WHERE id = $1`, [id]);
        const results = await Promise.allSettled([here.refresh(id, false), there.refresh(id, false), there.refresh(id, false), here.refresh(id, false)]);
        expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled']);
        used.push((await row(cedar.id)).refresh_token);
      }
      // One refresh per round happened (the others found a fresh token under the lock), and the
      // stored refresh token is always the newest: a forced refresh with it still works.
      expect(new Set(used).size).toBe(3);
      await here.refresh(id, true);
      expect((await row(cedar.id)).status).toBe('connected');
    } finally {
      await otherDb.destroy();
    }
  });

  it('a revoked grant turns the connection to needs reconnect and emails the admins and the assigned staff', async () => {
    const birch = firm.clients[1];
    const staff = await ctx.newStaff(firm, [birch.id]);
    const bystander = await ctx.newStaff(firm, []);
    const r = await row(birch.id);
    sandbox.ctx.hooks.get('xero')!.revokeGrants(r.external_id);
    sandbox.ctx.hooks.get('xero')!.expireAccessTokens();
    expectError(await admin.post(`${C(birch.id)}/refresh`), 409, 'NEEDS_RECONNECT');
    const c = (await admin.get(C(birch.id))).body.connection;
    expect(c.status).toBe('needs_reconnect');
    expect(c.lastError).toMatch(/revoked|no longer/);
    for (const to of [firm.admin.email, staff.email]) expect((await ctx.lastEmail(to)).subject).toBe('Birch Dental: reconnect Xero');
    await expect(ctx.lastEmail(bystander.email)).rejects.toThrow(/no email/);
    const log = await ctx.db.query(`SELECT count(*)::int AS n FROM activity_log WHERE firm_id = $1 AND action = 'connection.needs_reconnect'`, [firm.id]);
    expect(log[0].n).toBe(1);
    // Reconnecting replaces it.
    const { callback } = await connect(admin, birch.id, 'xero', 'Birch Dental Studio');
    expect(callback.status).toBe(200);
    expect((await admin.get(C(birch.id))).body.connection.status).toBe('connected');
  });

  it('refuses a forged state, a callback from another browser, and a replayed callback', async () => {
    const idle = firm.clients[2];
    const start = await admin.get(`${C(idle.id)}/connect?provider=qbo`);
    const back = path(await consentAsBrowser(String(start.headers.location), ['Sandbox Company US']));
    const forged = back.replace(/state=[^&]+/, 'state=forged');
    const f = await admin.get(forged);
    expect(f.status).toBe(400);
    expect(f.body).toContain('did not start in this browser');
    const elsewhere = await ctx.agent().get(back);
    expect(elsewhere.status).toBe(400);
    const ok = await admin.get(back);
    expect(ok.status).toBe(200);
    const replay = await admin.get(back);
    expect(replay.status).toBe(400);
    expect((await admin.get(C(idle.id))).body.connection.companyName).toBe('Sandbox Company US');
  });

  it('a cancelled consent changes nothing and says so', async () => {
    const client = await ctx.newClient(firm.id, 'Cancel Co');
    const start = await admin.get(`${C(client.id)}/connect?provider=qbo`);
    const back = path(await consentAsBrowser(String(start.headers.location), [], 'cancel'));
    const res = await admin.get(back);
    expect(res.status).toBe(400);
    expect(res.body).toContain('cancelled');
    expect((await admin.get(C(client.id))).body.connection).toBeNull();
  });

  it('disconnects: revokes at the ledger, removes the tokens, keeps the history', async () => {
    const idle = firm.clients[2];
    const before = await row(idle.id);
    const res = await admin.delete(C(idle.id));
    expect(res.status).toBe(204);
    expect((await admin.get(C(idle.id))).body.connection).toBeNull();
    const [hist] = await ctx.db.query(`SELECT status, access_token, refresh_token, disconnected_at FROM ledger_connections WHERE id = $1`, [before.id]);
    expect(hist).toMatchObject({ status: 'disconnected', access_token: null, refresh_token: null });
    expect(hist.disconnected_at).not.toBeNull();
    expectError(await admin.delete(C(idle.id)), 404, 'NO_CONNECTION');
    expectError(await admin.post(`${C(idle.id)}/refresh`), 404, 'NO_CONNECTION');
  });

  it('shows the board: every visible client, filtered, sorted and counted', async () => {
    const all = await admin.get('/api/v1/connections?limit=200');
    expect(all.status).toBe(200);
    const byName = Object.fromEntries(all.body.items.map((i: any) => [i.client.name, i.connection]));
    expect(byName['Cedar Yoga']).toMatchObject({ provider: 'qbo', status: 'connected', companyName: 'Cedar Yoga Collective' });
    expect(byName['Birch Dental']).toMatchObject({ provider: 'xero', status: 'connected', payroll: 'connected' });
    expect(byName['Idle Co']).toBeNull();
    expect(all.body.counts).toEqual({ connected: 2, needsReconnect: 0, notConnected: all.body.total - 2 });
    const xero = await admin.get('/api/v1/connections?provider=xero');
    expect(xero.body.items.map((i: any) => i.client.name)).toEqual(['Birch Dental']);
    const none = await admin.get('/api/v1/connections?status=not_connected&sort=client&direction=desc');
    expect(none.body.items.every((i: any) => i.connection === null)).toBe(true);
    const names = none.body.items.map((i: any) => i.client.name);
    expect(names).toEqual([...names].sort((a: string, b: string) => b.toLowerCase().localeCompare(a.toLowerCase())));
    expect((await admin.get('/api/v1/connections?q=ced')).body.items.map((i: any) => i.client.name)).toEqual(['Cedar Yoga']);
    for (const q of ['status=maybe', 'provider=sage', 'sort=color', 'limit=0', 'limit=500', 'offset=-1']) {
      expectError(await admin.get(`/api/v1/connections?${q}`), 400, 'VALIDATION_FAILED');
    }
    // Staff see only their clients.
    const staff = await ctx.newStaff(firm, [firm.clients[0].id]);
    const mine = await (await ctx.signIn(staff.email)).get('/api/v1/connections');
    expect(mine.body.items.map((i: any) => i.client.name)).toEqual(['Cedar Yoga']);
  });

  it('refuses bad input on connect', async () => {
    expectError(await admin.get(`${C(firm.clients[2].id)}/connect?provider=sage`), 400, 'VALIDATION_FAILED');
    expectError(await admin.get(`${C(firm.clients[2].id)}/connect`), 400, 'VALIDATION_FAILED');
    expectError(await admin.get(`/api/v1/clients/not-a-uuid/connection`), 404, 'NOT_FOUND');
  });

  it('keeps every connection endpoint to the firm and the assigned staff', async () => {
    const cedar = firm.clients[0];
    const other = await ctx.newFirm({ clients: ['Elsewhere'] });
    const outsider = await ctx.signIn(other.admin.email);
    const unassigned = await ctx.signIn((await ctx.newStaff(firm, [])).email);
    const inv = await inviteContact(ctx, admin, cedar.id, { name: 'Connie Contact', email: `connie-${Date.now()}@client.test` });
    const { agent: contact } = await portalSignIn(ctx, inv.token);
    const anonymous = ctx.agent();
    const before = await ctx.db.query(`SELECT id, status, refresh_token, default_expense_account_id FROM ledger_connections WHERE firm_id = $1 ORDER BY id`, [firm.id]);
    const calls: [string, string, unknown?][] = [
      ['GET', C(cedar.id)],
      ['GET', `${C(cedar.id)}/connect?provider=xero`],
      ['POST', `${C(cedar.id)}/refresh`],
      ['GET', `${C(cedar.id)}/accounts`],
      ['PUT', `${C(cedar.id)}/default-accounts`, { expense: null, income: null }],
      ['DELETE', C(cedar.id)],
    ];
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
    for (const who of [contact, anonymous]) expect((await who.get('/api/v1/connections')).status).toBe(401);
    expect((await outsider.get('/api/v1/connections')).body.items.map((i: any) => i.client.name)).toEqual(['Elsewhere']);
    // A write without the CSRF header is refused too.
    expectError(await admin.post(`${C(cedar.id)}/refresh`, undefined, { noCsrf: true }), 403, 'CSRF_TOKEN_INVALID');
    const after = await ctx.db.query(`SELECT id, status, refresh_token, default_expense_account_id FROM ledger_connections WHERE firm_id = $1 ORDER BY id`, [firm.id]);
    expect(after).toEqual(before);
  });

  describe('from the client portal, where the firm allows it', () => {
    const P = (businessId: string) => `/api/v1/portal/businesses/${businessId}/connection`;

    /** A firm with two businesses, a contact of the first signed in to the portal. */
    async function portalWorld() {
      const f = await ctx.newFirm({ clients: ['Juniper Bakery', 'Other Biz'] });
      const a = await ctx.signIn(f.admin.email);
      const inv = await inviteContact(ctx, a, f.clients[0].id, { name: 'June Baker', email: `june-${Date.now()}@juniper.test` });
      const { agent: contact, session } = await portalSignIn(ctx, inv.token);
      return { f, a, contact, contactId: session.contact.id as string, business: f.clients[0] };
    }

    /** The popup journey from the portal: start, consent at the sandbox, back to the callback. */
    async function connectFromPortal(contact: Agent, businessId: string, provider: 'qbo' | 'xero', company: string) {
      const start = await contact.get(`${P(businessId)}/connect?provider=${provider}`);
      expect(start.status).toBe(302);
      return contact.get(path(await consentAsBrowser(String(start.headers.location), [company])));
    }

    it('is off until the firm turns it on; then a contact connects, and the firm sees who did it and is told', async () => {
      const { f, a, contact, contactId, business } = await portalWorld();
      const first = await contact.get(P(business.id));
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({ connection: null, canConnect: false });
      expect(first.body.providers.map((p: { name: string }) => p.name)).toEqual(['qbo', 'xero']);
      const off = await contact.get(`${P(business.id)}/connect?provider=qbo`);
      expect(off.status).toBe(403);
      expect(off.body).toContain('connects Juniper Bakery');
      expect(off.body).toContain('"status":"failed"');
      expect(off.body).toContain(`/portal/${f.slug}/home`);

      expect((await a.patch(`/api/v1/clients/${business.id}`, { ledgerConnect: true })).status).toBe(200);
      const session = await contact.get('/api/v1/portal/auth/session');
      expect(session.body.businesses[0].features.ledgerConnect).toBe(true);
      expect((await contact.get(P(business.id))).body.canConnect).toBe(true);

      const callback = await connectFromPortal(contact, business.id, 'qbo', 'Cedar Yoga Collective');
      expect(callback.status).toBe(200);
      expect(callback.body).toContain('"status":"connected"');
      expect(callback.body).toContain(`/portal/${f.slug}/home`);
      const mine = (await contact.get(P(business.id))).body;
      expect(mine.connection).toEqual({
        provider: 'qbo',
        providerLabel: 'QuickBooks Online',
        companyName: 'Cedar Yoga Collective',
        status: 'connected',
        connectedAt: expect.any(String),
      });

      const tile = (await a.get(C(business.id))).body.connection;
      expect(tile.connectedBy).toEqual({ id: contactId, name: 'June Baker (client)' });
      const [r] = await ctx.db.query(`SELECT connected_by, connected_by_contact FROM ledger_connections WHERE client_id = $1`, [business.id]);
      expect(r.connected_by).toBeNull();
      expect(r.connected_by_contact).toBe(tile.connectedBy.id);
      const log = await ctx.db.query(`SELECT actor_user_id, actor_name, action, summary FROM activity_log WHERE firm_id = $1 AND action LIKE 'connection.%'`, [f.id]);
      expect(log).toEqual([
        { actor_user_id: null, actor_name: 'June Baker (client)', action: 'connection.connected', summary: 'Connected Juniper Bakery to QuickBooks Online (Cedar Yoga Collective)' },
      ]);
      const mail = await ctx.lastEmail(f.admin.email);
      expect(mail.subject).toBe('Juniper Bakery connected QuickBooks Online');
      expect(mail.text).toContain('June Baker connected Juniper Bakery to Cedar Yoga Collective in QuickBooks Online from the client portal.');

      // Connected: the portal cannot replace it.
      const again = await contact.get(`${P(business.id)}/connect?provider=xero`);
      expect(again.status).toBe(409);
      expect(again.body).toContain('already connected to QuickBooks Online');
    });

    it('reconnects a connection that needs it', async () => {
      const { f, a, contact, business } = await portalWorld();
      await a.patch(`/api/v1/clients/${business.id}`, { ledgerConnect: true });
      expect((await connectFromPortal(contact, business.id, 'xero', 'Birch Dental Studio')).status).toBe(200);
      const r = await row(business.id);
      sandbox.ctx.hooks.get('xero')!.revokeGrants(r.external_id);
      sandbox.ctx.hooks.get('xero')!.expireAccessTokens();
      expectError(await a.post(`${C(business.id)}/refresh`), 409, 'NEEDS_RECONNECT');
      expect((await contact.get(P(business.id))).body.connection.status).toBe('needs_reconnect');

      expect((await connectFromPortal(contact, business.id, 'xero', 'Birch Dental Studio')).status).toBe(200);
      expect((await contact.get(P(business.id))).body.connection.status).toBe('connected');
      expect((await ctx.lastEmail(f.admin.email)).subject).toBe('Juniper Bakery reconnected Xero');
      const actions = await ctx.db.query(`SELECT action FROM activity_log WHERE firm_id = $1 AND action LIKE 'connection.%' ORDER BY id`, [f.id]);
      expect(actions.map((x: { action: string }) => x.action)).toEqual(['connection.connected', 'connection.needs_reconnect', 'connection.reconnected']);
    });

    it('checks again when the ledger sends the contact back: a firm that turned it off meanwhile wins', async () => {
      const { a, contact, business } = await portalWorld();
      await a.patch(`/api/v1/clients/${business.id}`, { ledgerConnect: true });
      const start = await contact.get(`${P(business.id)}/connect?provider=qbo`);
      const back = path(await consentAsBrowser(String(start.headers.location), ['Sandbox Company US']));
      await a.patch(`/api/v1/clients/${business.id}`, { ledgerConnect: false });
      const res = await contact.get(back);
      expect(res.status).toBe(400);
      expect(res.body).toContain('no longer have access');
      expect(await row(business.id)).toBeUndefined();
    });

    it('keeps a business’s connection to its own contacts', async () => {
      const { f, a, business } = await portalWorld();
      await a.patch(`/api/v1/clients/${business.id}`, { ledgerConnect: true });
      await a.patch(`/api/v1/clients/${f.clients[1].id}`, { ledgerConnect: true });
      const otherBiz = await inviteContact(ctx, a, f.clients[1].id, { name: 'Otto Other', email: `otto-${Date.now()}@other.test` });
      const { agent: neighbour } = await portalSignIn(ctx, otherBiz.token);
      const g = await ctx.newFirm({ clients: ['Far Away'] });
      const ga = await ctx.signIn(g.admin.email);
      const far = await inviteContact(ctx, ga, g.clients[0].id, { name: 'Fay Far', email: `fay-${Date.now()}@far.test` });
      const { agent: stranger } = await portalSignIn(ctx, far.token);
      for (const url of [P(business.id), `${P(business.id)}/connect?provider=qbo`]) {
        for (const who of [neighbour, stranger]) {
          const res = await who.get(url);
          expect({ url, status: res.status }).toEqual({ url, status: 404 });
        }
        // Staff are not contacts: the portal's endpoints need the portal's session.
        for (const who of [ctx.agent(), a]) {
          const res = await who.get(url);
          expect({ url, status: res.status }).toEqual({ url, status: 401 });
        }
      }
      expectError(await neighbour.get(P(business.id)), 404, 'BUSINESS_NOT_FOUND');
      expect(await row(business.id)).toBeUndefined();
    });

    it('refuses bad input', async () => {
      const { contact, business } = await portalWorld();
      expectError(await contact.get(`${P(business.id)}/connect?provider=sage`), 400, 'VALIDATION_FAILED');
      expectError(await contact.get(`${P(business.id)}/connect`), 400, 'VALIDATION_FAILED');
      expectError(await contact.get(P('not-a-uuid')), 404, 'NOT_FOUND');
    });
  });

  it('serves each ledger’s mark', async () => {
    const res = await ctx.agent().get('/api/v1/public/providers/qbo/logo.svg');
    expect(res.status).toBe(200);
    expect(String(res.headers['content-type'])).toContain('image/svg+xml');
    expectError(await ctx.agent().get('/api/v1/public/providers/toString/logo.svg'), 404, 'NOT_FOUND');
  });
});

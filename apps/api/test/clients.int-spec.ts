import { randomUUID } from 'node:crypto';
import { expectError, TestContext, type Agent, type Res, type TestFirm } from './harness';

const C = '/api/v1/clients';

describe('clients: list, create, change, archive, delete and assign (C1–C4)', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await TestContext.start();
  });
  afterAll(() => ctx.close());

  /** Everything a client request could change in a firm: compared before and after refused requests. */
  const firmState = async (firmId: string) => ({
    clients: await ctx.db.query(
      `SELECT id, name, status, questions_for_us, financials_access, files_access, practice_manager_ref, archived_at, updated_at
         FROM clients WHERE firm_id = $1 ORDER BY id`,
      [firmId],
    ),
    assignments: await ctx.db.query(
      `SELECT client_id, user_id FROM client_assignments WHERE firm_id = $1 ORDER BY client_id, user_id`,
      [firmId],
    ),
    log: await ctx.db.query(`SELECT id, action FROM activity_log WHERE firm_id = $1 ORDER BY id`, [firmId]),
  });

  const activity = (firmId: string) =>
    ctx.db.query(
      `SELECT action, summary, actor_user_id, actor_name, client_id, client_name, target_type, target_id, details
         FROM activity_log WHERE firm_id = $1 ORDER BY id`,
      [firmId],
    );

  const clientRow = async (id: string) =>
    (await ctx.db.query(`SELECT * FROM clients WHERE id = $1`, [id]))[0];

  interface World {
    firm: TestFirm;
    other: TestFirm;
    admin: Agent;
    staff: Agent;
    staffId: string;
    outsider: Agent;
    outsiderId: string;
    otherAdmin: Agent;
    anon: Agent;
    /** assigned to `staff` */
    mine: { id: string; name: string };
    /** assigned to nobody */
    notMine: { id: string; name: string };
    archived: { id: string; name: string };
  }

  /** Firm A (admin, a staff member assigned to one client, a staff member assigned to none), firm B, and a signed-out caller. */
  const world = async (): Promise<World> => {
    const firm = await ctx.newFirm({ clients: ['Alpha Bakery', 'Beta Builders', 'Gamma Garage'] });
    const other = await ctx.newFirm({ clients: ['Alpha Bakery'] });
    const [mine, notMine, archived] = firm.clients;
    await ctx.db.query(`UPDATE clients SET status = 'archived', archived_at = now() WHERE id = $1`, [
      archived.id,
    ]);
    const s = await ctx.newStaff(firm, [mine.id, archived.id]);
    const o = await ctx.newStaff(firm, []);
    return {
      firm,
      other,
      admin: await ctx.signIn(firm.admin.email),
      staff: await ctx.signIn(s.email),
      staffId: s.id,
      outsider: await ctx.signIn(o.email),
      outsiderId: o.id,
      otherAdmin: await ctx.signIn(other.admin.email),
      anon: ctx.agent(),
      mine,
      notMine,
      archived,
    };
  };

  describe('GET /clients', () => {
    it('gives an admin every active client of the firm, ordered by name, with pagination totals', async () => {
      const firm = await ctx.newFirm({ clients: ['Charlie Cafe', 'Alpha Accounts', 'Bravo Bikes'] });
      await ctx.newFirm({ clients: ['Alpha Accounts', 'Delta Dental'] });
      const admin = await ctx.signIn(firm.admin.email);
      const res = await admin.get(C);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ total: 3, limit: 50, offset: 0 });
      expect(res.body.items.map((c: { name: string }) => c.name)).toEqual([
        'Alpha Accounts',
        'Bravo Bikes',
        'Charlie Cafe',
      ]);
      const alpha = firm.clients.find((c) => c.name === 'Alpha Accounts') as { id: string };
      expect(res.body.items[0]).toEqual({
        id: alpha.id,
        name: 'Alpha Accounts',
        status: 'active',
        settings: {
          questionsForUs: false,
          financialsAccess: false,
          filesAccess: false,
          ledgerConnect: false,
          practiceManagerRef: null,
        },
        assignedStaff: [],
        createdAt: expect.any(String),
        archivedAt: null,
      });
    });

    it('filters by status: active by default, archived, or all', async () => {
      const firm = await ctx.newFirm({ clients: ['Active One', 'Archived One', 'Active Two'] });
      await ctx.db.query(`UPDATE clients SET status = 'archived', archived_at = now() WHERE id = $1`, [
        firm.clients[1].id,
      ]);
      const admin = await ctx.signIn(firm.admin.email);
      const names = async (query: string) => {
        const r = await admin.get(`${C}${query}`);
        expect(r.status).toBe(200);
        expect(r.body.total).toBe(r.body.items.length);
        return r.body.items.map((c: { name: string }) => c.name);
      };
      expect(await names('')).toEqual(['Active One', 'Active Two']);
      expect(await names('?status=active')).toEqual(['Active One', 'Active Two']);
      expect(await names('?status=archived')).toEqual(['Archived One']);
      expect(await names('?status=all')).toEqual(['Active One', 'Active Two', 'Archived One']);
    });

    it('searches names case-insensitively with q, trims it, and treats % and _ literally', async () => {
      const firm = await ctx.newFirm({
        clients: ['Acme Coffee', 'ACME Hardware', 'Zenith Tea', '100% Juice', 'Under_score Ltd'],
      });
      const admin = await ctx.signIn(firm.admin.email);
      const search = async (q: string, extra = '') => {
        const r = await admin.get(`${C}?q=${encodeURIComponent(q)}${extra}`);
        expect(r.status).toBe(200);
        return { names: r.body.items.map((c: { name: string }) => c.name), total: r.body.total };
      };
      expect(await search('acme')).toEqual({ names: ['ACME Hardware', 'Acme Coffee'].sort(), total: 2 });
      expect(await search('  tea  ')).toEqual({ names: ['Zenith Tea'], total: 1 });
      expect(await search('%')).toEqual({ names: ['100% Juice'], total: 1 });
      expect(await search('_')).toEqual({ names: ['Under_score Ltd'], total: 1 });
      expect(await search('nothing-like-this')).toEqual({ names: [], total: 0 });
      expect((await search('acme', '&limit=1')).total).toBe(2);
    });

    it('pages with limit and offset; total counts every match, not the page', async () => {
      const firm = await ctx.newFirm({ clients: ['Echo', 'Delta', 'Charlie', 'Bravo', 'Alpha'] });
      const admin = await ctx.signIn(firm.admin.email);
      const page = async (limit: number, offset: number) => {
        const r = await admin.get(`${C}?limit=${limit}&offset=${offset}`);
        expect(r.status).toBe(200);
        expect(r.body).toMatchObject({ total: 5, limit, offset });
        return r.body.items.map((c: { name: string }) => c.name);
      };
      expect(await page(2, 0)).toEqual(['Alpha', 'Bravo']);
      expect(await page(2, 2)).toEqual(['Charlie', 'Delta']);
      expect(await page(2, 4)).toEqual(['Echo']);
      expect(await page(2, 10)).toEqual([]);
      expect(await page(200, 0)).toHaveLength(5);
      expect(await page(1, 0)).toEqual(['Alpha']);
    });

    it('gives staff only the clients assigned to them, in every filter and in the total', async () => {
      const w = await world();
      const active = await w.staff.get(C);
      expect(active.status).toBe(200);
      expect(active.body.items.map((c: { id: string }) => c.id)).toEqual([w.mine.id]);
      expect(active.body.total).toBe(1);
      const all = await w.staff.get(`${C}?status=all`);
      expect(all.body.items.map((c: { id: string }) => c.id).sort()).toEqual(
        [w.mine.id, w.archived.id].sort(),
      );
      expect(all.body.total).toBe(2);
      const searched = await w.staff.get(`${C}?q=beta`);
      expect(searched.body).toMatchObject({ items: [], total: 0 });
      const none = await w.outsider.get(`${C}?status=all`);
      expect(none.status).toBe(200);
      expect(none.body).toMatchObject({ items: [], total: 0 });
    });

    it("never lists another firm's clients, even searched by name, and refuses a signed-out caller", async () => {
      const w = await world();
      const theirs = await w.otherAdmin.get(`${C}?status=all&q=a`);
      expect(theirs.status).toBe(200);
      expect(theirs.body.items.map((c: { id: string }) => c.id)).toEqual([w.other.clients[0].id]);
      expect(theirs.body.total).toBe(1);
      const anon = await w.anon.get(C);
      expectError(anon, 401, 'UNAUTHENTICATED');
    });

    it('shows an admin a client created after the admin joined, on their next request', async () => {
      const firm = await ctx.newFirm({ clients: [] });
      const second = await ctx.newStaff(firm, [], 'admin');
      const secondAdmin = await ctx.signIn(second.email);
      const staff = await ctx.signIn((await ctx.newStaff(firm, [])).email);
      expect((await secondAdmin.get(C)).body.total).toBe(0);
      const created = await (await ctx.signIn(firm.admin.email)).post(C, { name: 'Brand New Ltd' });
      expect(created.status).toBe(201);
      const direct = await ctx.newClient(firm.id, 'Added Later Ltd');
      const list = await secondAdmin.get(C);
      expect(list.body.items.map((c: { name: string }) => c.name)).toEqual([
        'Added Later Ltd',
        'Brand New Ltd',
      ]);
      expect((await secondAdmin.get(`${C}/${created.body.id}`)).status).toBe(200);
      expect((await secondAdmin.get(`${C}/${direct.id}`)).status).toBe(200);
      expect((await staff.get(C)).body.total).toBe(0);
    });

    it('refuses bad query values with 400 VALIDATION_FAILED naming the field', async () => {
      const firm = await ctx.newFirm();
      const admin = await ctx.signIn(firm.admin.email);
      const cases: [string, string][] = [
        ['status=deleted', 'status'],
        ['status=', 'status'],
        ['status=ACTIVE', 'status'],
        ['limit=0', 'limit'],
        ['limit=201', 'limit'],
        ['limit=abc', 'limit'],
        ['limit=1.5', 'limit'],
        ['limit=-3', 'limit'],
        ['offset=-1', 'offset'],
        ['offset=x', 'offset'],
        ['offset=1000001', 'offset'],
        [`q=${'a'.repeat(121)}`, 'q'],
        ['q=a&q=b', 'q'],
        ['sort=name', 'sort'],
        ['firmId=' + randomUUID(), 'firmId'],
      ];
      for (const [query, field] of cases) {
        const r = await admin.get(`${C}?${query}`);
        expect({ query, status: r.status, code: r.body.code }).toEqual({
          query,
          status: 400,
          code: 'VALIDATION_FAILED',
        });
        expect(r.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
      }
      expect((await admin.get(`${C}?q=${'a'.repeat(120)}`)).status).toBe(200);
    });
  });

  describe('POST /clients', () => {
    it('creates a client with default settings, stores it trimmed and logs client.created', async () => {
      const firm = await ctx.newFirm({ clients: [] });
      const admin = await ctx.signIn(firm.admin.email);
      const res = await admin.post(C, {
        name: '  Acme Coffee Roasters  ',
        practiceManagerRef: ' https://pm.example/clients/42 ',
      });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        name: 'Acme Coffee Roasters',
        status: 'active',
        settings: {
          questionsForUs: false,
          financialsAccess: false,
          filesAccess: false,
          ledgerConnect: false,
          practiceManagerRef: 'https://pm.example/clients/42',
        },
        assignedStaff: [],
        createdAt: expect.any(String),
        archivedAt: null,
      });
      const row = await clientRow(res.body.id);
      expect(row).toMatchObject({
        firm_id: firm.id,
        name: 'Acme Coffee Roasters',
        status: 'active',
        practice_manager_ref: 'https://pm.example/clients/42',
      });
      expect((await admin.get(`${C}/${res.body.id}`)).body).toEqual(res.body);
      expect(await activity(firm.id)).toEqual([
        {
          action: 'client.created',
          summary: 'Created client Acme Coffee Roasters',
          actor_user_id: firm.admin.id,
          actor_name: firm.admin.name,
          client_id: res.body.id,
          client_name: 'Acme Coffee Roasters',
          target_type: 'client',
          target_id: res.body.id,
          details: {},
        },
      ]);
    });

    it('stores a blank or null practiceManagerRef as null, and accepts a 120-character name', async () => {
      const firm = await ctx.newFirm({ clients: [] });
      const admin = await ctx.signIn(firm.admin.email);
      const blank = await admin.post(C, { name: 'Blank Ref', practiceManagerRef: '   ' });
      const nul = await admin.post(C, { name: 'Null Ref', practiceManagerRef: null });
      const long = await admin.post(C, { name: 'L'.repeat(120), practiceManagerRef: 'r'.repeat(500) });
      expect([blank.status, nul.status, long.status]).toEqual([201, 201, 201]);
      expect((await clientRow(blank.body.id)).practice_manager_ref).toBeNull();
      expect((await clientRow(nul.body.id)).practice_manager_ref).toBeNull();
      expect((await clientRow(long.body.id)).name).toHaveLength(120);
    });

    it('refuses a name the firm already uses, whatever its case, with 409 CLIENT_NAME_TAKEN and writes nothing', async () => {
      const firm = await ctx.newFirm({ clients: ['Acme Coffee'] });
      const admin = await ctx.signIn(firm.admin.email);
      const before = await firmState(firm.id);
      for (const name of ['Acme Coffee', 'acme coffee', '  ACME COFFEE ']) {
        const r = await admin.post(C, { name });
        expectError(r, 409, 'CLIENT_NAME_TAKEN');
      }
      expect(await firmState(firm.id)).toEqual(before);
      const archivedToo = await ctx.newClient(firm.id, 'Old Archived');
      await ctx.db.query(`UPDATE clients SET status = 'archived' WHERE id = $1`, [archivedToo.id]);
      expectError(await admin.post(C, { name: 'old archived' }), 409, 'CLIENT_NAME_TAKEN');
    });

    it('lets another firm use the same name', async () => {
      const firm = await ctx.newFirm({ clients: ['Shared Name Ltd'] });
      const other = await ctx.newFirm({ clients: [] });
      const r = await (await ctx.signIn(other.admin.email)).post(C, { name: 'Shared Name Ltd' });
      expect(r.status).toBe(201);
      const rows = await ctx.db.query(
        `SELECT firm_id FROM clients WHERE name = 'Shared Name Ltd' AND firm_id IN ($1, $2)`,
        [firm.id, other.id],
      );
      expect(rows).toHaveLength(2);
    });

    it('answers 409, not 500, when a concurrent create takes the name between the check and the insert', async () => {
      const firm = await ctx.newFirm({ clients: [] });
      const admin = await ctx.signIn(firm.admin.email);
      const [r] = await ctx.whileHeld(
        `INSERT INTO clients (firm_id, name) VALUES ($1, 'Racing Ltd')`,
        [firm.id],
        1,
        () => [admin.post(C, { name: 'racing ltd' })],
      );
      expectError(r, 409, 'CLIENT_NAME_TAKEN');
      const rows = await ctx.db.query(`SELECT name FROM clients WHERE firm_id = $1`, [firm.id]);
      expect(rows).toEqual([{ name: 'Racing Ltd' }]);
      expect(await activity(firm.id)).toEqual([]);
    });

    it('refuses malformed input with 400 and a code, writing nothing', async () => {
      const firm = await ctx.newFirm();
      const admin = await ctx.signIn(firm.admin.email);
      const before = await firmState(firm.id);
      const cases: [unknown, string | null][] = [
        [{}, 'name'],
        [{ name: null }, 'name'],
        [{ name: 42 }, 'name'],
        [{ name: ['Acme'] }, 'name'],
        [{ name: '' }, 'name'],
        [{ name: '    ' }, 'name'],
        [{ name: 'x'.repeat(121) }, 'name'],
        [{ name: 'Fine Ltd', practiceManagerRef: 7 }, 'practiceManagerRef'],
        [{ name: 'Fine Ltd', practiceManagerRef: 'r'.repeat(501) }, 'practiceManagerRef'],
        [{ name: 'Fine Ltd', status: 'archived' }, 'status'],
        [{ name: 'Fine Ltd', firmId: randomUUID() }, 'firmId'],
        [{ name: 'Fine Ltd', filesAccess: true }, 'filesAccess'],
        [[{ name: 'Fine Ltd' }], null],
        ['Fine Ltd', null],
      ];
      for (const [body, field] of cases) {
        const r = await admin.post(C, body);
        expect({ body, status: r.status, code: r.body.code }).toEqual({
          body,
          status: 400,
          code: 'VALIDATION_FAILED',
        });
        if (field)
          expect(r.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
      }
      expectError(await admin.post(C, undefined), 400, 'VALIDATION_FAILED');
      expectError(
        await admin.request('POST', C, {
          rawBody: '{"name":',
          headers: { 'content-type': 'application/json' },
        }),
        400,
        'INVALID_JSON',
      );
      expectError(await admin.post(C, { name: 'x'.repeat(2 * 1024 * 1024) }), 413, 'PAYLOAD_TOO_LARGE');
      expect(await firmState(firm.id)).toEqual(before);
    });

    it('is for admins: staff get 403 ADMIN_ONLY, a signed-out caller 401, and nothing is created', async () => {
      const w = await world();
      const before = await firmState(w.firm.id);
      expectError(await w.staff.post(C, { name: 'Staff Made Ltd' }), 403, 'ADMIN_ONLY');
      expectError(await w.outsider.post(C, { name: 'Staff Made Ltd' }), 403, 'ADMIN_ONLY');
      expectError(await w.anon.post(C, { name: 'Staff Made Ltd' }), 401, 'UNAUTHENTICATED');
      expect(await firmState(w.firm.id)).toEqual(before);
      const theirs = await w.otherAdmin.post(C, { name: 'Other Firm Made Ltd' });
      expect(theirs.status).toBe(201);
      expect((await clientRow(theirs.body.id)).firm_id).toBe(w.other.id);
      expect(await firmState(w.firm.id)).toEqual(before);
    });
  });

  describe('GET /clients/:id', () => {
    it('gives an admin any client of the firm, and staff their assigned ones, with the assigned staff', async () => {
      const w = await world();
      const byAdmin = await w.admin.get(`${C}/${w.mine.id}`);
      expect(byAdmin.status).toBe(200);
      expect(byAdmin.body).toMatchObject({ id: w.mine.id, name: w.mine.name, status: 'active' });
      expect(byAdmin.body.assignedStaff).toEqual([{ id: w.staffId, name: expect.any(String) }]);
      const byStaff = await w.staff.get(`${C}/${w.mine.id}`);
      expect(byStaff.status).toBe(200);
      expect(byStaff.body).toEqual(byAdmin.body);
      const archived = await w.staff.get(`${C}/${w.archived.id}`);
      expect(archived.body).toMatchObject({ status: 'archived', archivedAt: expect.any(String) });
      expect((await w.admin.get(`${C}/${w.notMine.id}`)).status).toBe(200);
      expect((await w.admin.get(`${C}/${w.mine.id.toUpperCase()}`)).body.id).toBe(w.mine.id);
    });

    it('answers 404 for an unknown id and for a malformed one', async () => {
      const w = await world();
      expectError(await w.admin.get(`${C}/${randomUUID()}`), 404, 'CLIENT_NOT_FOUND');
      for (const bad of ['not-a-uuid', '123', `${w.mine.id}x`, "' OR 1=1 --"]) {
        const r = await w.admin.get(`${C}/${encodeURIComponent(bad)}`);
        expect({ bad, status: r.status }).toEqual({ bad, status: 404 });
        expect(r.body.code).toBe('NOT_FOUND');
      }
    });
  });

  describe('PATCH /clients/:id', () => {
    it('renames a client and logs client.renamed with the old and new name', async () => {
      const w = await world();
      const r = await w.admin.patch(`${C}/${w.notMine.id}`, { name: '  Beta Builders Group ' });
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ id: w.notMine.id, name: 'Beta Builders Group' });
      expect((await clientRow(w.notMine.id)).name).toBe('Beta Builders Group');
      expect((await w.admin.get(`${C}/${w.notMine.id}`)).body.name).toBe('Beta Builders Group');
      const log = await activity(w.firm.id);
      expect(log).toEqual([
        expect.objectContaining({
          action: 'client.renamed',
          summary: 'Renamed client Beta Builders to Beta Builders Group',
          actor_user_id: w.firm.admin.id,
          client_id: w.notMine.id,
          client_name: 'Beta Builders Group',
          details: { from: 'Beta Builders', to: 'Beta Builders Group' },
        }),
      ]);
    });

    it('turns each portal toggle on and off, sets and clears practiceManagerRef, and logs client.settings_changed', async () => {
      const w = await world();
      const url = `${C}/${w.notMine.id}`;
      const on = await w.admin.patch(url, {
        questionsForUs: true,
        financialsAccess: true,
        filesAccess: true,
        ledgerConnect: true,
        practiceManagerRef: 'PM-17',
      });
      expect(on.status).toBe(200);
      expect(on.body.settings).toEqual({
        questionsForUs: true,
        financialsAccess: true,
        filesAccess: true,
        ledgerConnect: true,
        practiceManagerRef: 'PM-17',
      });
      expect(await clientRow(w.notMine.id)).toMatchObject({
        questions_for_us: true,
        financials_access: true,
        files_access: true,
        ledger_connect: true,
        practice_manager_ref: 'PM-17',
      });
      const one = await w.admin.patch(url, { financialsAccess: false });
      expect(one.body.settings).toEqual({
        questionsForUs: true,
        financialsAccess: false,
        filesAccess: true,
        ledgerConnect: true,
        practiceManagerRef: 'PM-17',
      });
      const cleared = await w.admin.patch(url, { practiceManagerRef: null });
      expect(cleared.body.settings.practiceManagerRef).toBeNull();
      await w.admin.patch(url, { practiceManagerRef: 'PM-18' });
      const blanked = await w.admin.patch(url, { practiceManagerRef: '  ' });
      expect(blanked.body.settings.practiceManagerRef).toBeNull();
      expect(await clientRow(w.notMine.id)).toMatchObject({
        questions_for_us: true,
        financials_access: false,
        files_access: true,
        practice_manager_ref: null,
      });
      const log = await activity(w.firm.id);
      expect(log.map((l: { action: string }) => l.action)).toEqual(Array(5).fill('client.settings_changed'));
      expect(log.map((l: { details: { changes: string[] } }) => l.details.changes)).toEqual([
        [
          'Questions for Us on',
          'Financials access on',
          'Files access on',
          'Client connects their ledger on',
          'practice-manager reference changed',
        ],
        ['Financials access off'],
        ['practice-manager reference changed'],
        ['practice-manager reference changed'],
        ['practice-manager reference changed'],
      ]);
      expect(log[0]).toMatchObject({
        actor_user_id: w.firm.admin.id,
        client_id: w.notMine.id,
        target_type: 'client',
        target_id: w.notMine.id,
      });
    });

    it('writes one log row per kind of change, and none when nothing changes', async () => {
      const w = await world();
      const url = `${C}/${w.notMine.id}`;
      const both = await w.admin.patch(url, { name: 'Beta Two', filesAccess: true });
      expect(both.status).toBe(200);
      expect((await activity(w.firm.id)).map((l: { action: string }) => l.action)).toEqual([
        'client.renamed',
        'client.settings_changed',
      ]);
      const before = await activity(w.firm.id);
      for (const body of [
        {},
        { name: 'Beta Two' },
        { filesAccess: true },
        { questionsForUs: false, practiceManagerRef: null },
      ]) {
        const r = await w.admin.patch(url, body);
        expect(r.status).toBe(200);
        expect(r.body).toMatchObject({
          name: 'Beta Two',
          settings: { filesAccess: true, questionsForUs: false, practiceManagerRef: null },
        });
      }
      expect(await activity(w.firm.id)).toEqual(before);
    });

    it('lets a client be renamed to a different case of its own name, but not to another client’s name (409, nothing changed)', async () => {
      const w = await world();
      const recase = await w.admin.patch(`${C}/${w.notMine.id}`, { name: 'BETA BUILDERS' });
      expect(recase.status).toBe(200);
      expect(recase.body.name).toBe('BETA BUILDERS');
      const before = await firmState(w.firm.id);
      for (const name of ['Alpha Bakery', 'alpha bakery', ' GAMMA GARAGE ']) {
        expectError(
          await w.admin.patch(`${C}/${w.notMine.id}`, { name, filesAccess: true }),
          409,
          'CLIENT_NAME_TAKEN',
        );
      }
      expect(await firmState(w.firm.id)).toEqual(before);
    });

    it('answers 409, not 500, when a concurrent change takes the name between the check and the update', async () => {
      const w = await world();
      const [r] = await ctx.whileHeld(
        `INSERT INTO clients (firm_id, name) VALUES ($1, 'Just Taken Ltd')`,
        [w.firm.id],
        1,
        () => [w.admin.patch(`${C}/${w.notMine.id}`, { name: 'just taken ltd', filesAccess: true })],
      );
      expectError(r, 409, 'CLIENT_NAME_TAKEN');
      expect(await clientRow(w.notMine.id)).toMatchObject({ name: 'Beta Builders', files_access: false });
      expect(await activity(w.firm.id)).toEqual([]);
    });

    it('lets assigned staff change their client (logged as them), but not one they are not assigned to (404)', async () => {
      const w = await world();
      const r = await w.staff.patch(`${C}/${w.mine.id}`, {
        questionsForUs: true,
        name: 'Alpha Bakery & Sons',
      });
      expect(r.status).toBe(200);
      expect(await clientRow(w.mine.id)).toMatchObject({
        name: 'Alpha Bakery & Sons',
        questions_for_us: true,
      });
      const log = await activity(w.firm.id);
      expect(log.map((l: { actor_user_id: string }) => l.actor_user_id)).toEqual([w.staffId, w.staffId]);
      const before = await firmState(w.firm.id);
      expectError(
        await w.staff.patch(`${C}/${w.notMine.id}`, { questionsForUs: true }),
        404,
        'CLIENT_NOT_FOUND',
      );
      expect(await firmState(w.firm.id)).toEqual(before);
    });

    it('refuses malformed input with 400 and a code, changing nothing', async () => {
      const w = await world();
      const url = `${C}/${w.mine.id}`;
      const before = await firmState(w.firm.id);
      const cases: [unknown, string | null][] = [
        [{ name: '' }, 'name'],
        [{ name: '   ' }, 'name'],
        [{ name: null }, 'name'],
        [{ name: 12 }, 'name'],
        [{ name: 'x'.repeat(121) }, 'name'],
        [{ questionsForUs: 'yes' }, 'questionsForUs'],
        [{ questionsForUs: null }, 'questionsForUs'],
        [{ financialsAccess: 1 }, 'financialsAccess'],
        [{ financialsAccess: null }, 'financialsAccess'],
        [{ filesAccess: 'true' }, 'filesAccess'],
        [{ filesAccess: null }, 'filesAccess'],
        [{ ledgerConnect: 'on' }, 'ledgerConnect'],
        [{ ledgerConnect: null }, 'ledgerConnect'],
        [{ practiceManagerRef: 5 }, 'practiceManagerRef'],
        [{ practiceManagerRef: 'r'.repeat(501) }, 'practiceManagerRef'],
        [{ status: 'archived' }, 'status'],
        [{ id: randomUUID(), name: 'Sneaky' }, 'id'],
        [{ filesAccess: true, assignedStaff: [] }, 'assignedStaff'],
        [[{ name: 'Array Body' }], null],
      ];
      for (const [body, field] of cases) {
        const r = await w.admin.patch(url, body);
        expect({ body, status: r.status, code: r.body.code }).toEqual({
          body,
          status: 400,
          code: 'VALIDATION_FAILED',
        });
        if (field)
          expect(r.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
      }
      expectError(
        await w.admin.request('PATCH', url, {
          rawBody: '{"name": nope}',
          headers: { 'content-type': 'application/json' },
        }),
        400,
        'INVALID_JSON',
      );
      expectError(await w.admin.patch(url, { name: 'x'.repeat(2 * 1024 * 1024) }), 413, 'PAYLOAD_TOO_LARGE');
      expect(await firmState(w.firm.id)).toEqual(before);
    });

    it('answers 404 for a malformed or unknown id', async () => {
      const w = await world();
      const before = await firmState(w.firm.id);
      expectError(await w.admin.patch(`${C}/not-a-uuid`, { filesAccess: true }), 404, 'NOT_FOUND');
      expectError(
        await w.admin.patch(`${C}/${randomUUID()}`, { filesAccess: true }),
        404,
        'CLIENT_NOT_FOUND',
      );
      expect(await firmState(w.firm.id)).toEqual(before);
    });
  });

  describe('POST /clients/:id/archive and /restore', () => {
    it('archives: the client leaves the active list, keeps its data, and client.archived is logged; twice is 409', async () => {
      const w = await world();
      await w.admin.patch(`${C}/${w.mine.id}`, { filesAccess: true });
      const r = await w.admin.post(`${C}/${w.mine.id}/archive`);
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({
        id: w.mine.id,
        status: 'archived',
        archivedAt: expect.any(String),
        settings: { filesAccess: true },
      });
      expect(r.body.assignedStaff).toEqual([{ id: w.staffId, name: expect.any(String) }]);
      expect(await clientRow(w.mine.id)).toMatchObject({
        status: 'archived',
        archived_at: expect.any(Date),
        files_access: true,
      });
      expect((await w.admin.get(C)).body.items.map((c: { id: string }) => c.id)).not.toContain(w.mine.id);
      expect(
        (await w.admin.get(`${C}?status=archived`)).body.items.map((c: { id: string }) => c.id),
      ).toContain(w.mine.id);
      expect((await w.staff.get(`${C}/${w.mine.id}`)).body.status).toBe('archived');
      const last = (await activity(w.firm.id)).at(-1);
      expect(last).toMatchObject({
        action: 'client.archived',
        summary: 'Archived client Alpha Bakery',
        actor_user_id: w.firm.admin.id,
        client_id: w.mine.id,
        target_id: w.mine.id,
      });
      const before = await firmState(w.firm.id);
      expectError(await w.admin.post(`${C}/${w.mine.id}/archive`), 409, 'CLIENT_ALREADY_ARCHIVED');
      expect(await firmState(w.firm.id)).toEqual(before);
    });

    it('restores: the client is active again, archivedAt is cleared, client.restored is logged; restoring an active one is 409', async () => {
      const w = await world();
      const r = await w.admin.post(`${C}/${w.archived.id}/restore`);
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ id: w.archived.id, status: 'active', archivedAt: null });
      expect(await clientRow(w.archived.id)).toMatchObject({ status: 'active', archived_at: null });
      expect((await w.admin.get(C)).body.items.map((c: { id: string }) => c.id)).toContain(w.archived.id);
      expect(await activity(w.firm.id)).toEqual([
        expect.objectContaining({
          action: 'client.restored',
          summary: 'Restored client Gamma Garage',
          client_id: w.archived.id,
        }),
      ]);
      const before = await firmState(w.firm.id);
      expectError(await w.admin.post(`${C}/${w.archived.id}/restore`), 409, 'CLIENT_NOT_ARCHIVED');
      expectError(await w.admin.post(`${C}/${w.notMine.id}/restore`), 409, 'CLIENT_NOT_ARCHIVED');
      expect(await firmState(w.firm.id)).toEqual(before);
    });

    it('answers 404 for a malformed or unknown id', async () => {
      const w = await world();
      const before = await firmState(w.firm.id);
      for (const action of ['archive', 'restore']) {
        expectError(await w.admin.post(`${C}/nope/${action}`), 404, 'NOT_FOUND');
        expectError(await w.admin.post(`${C}/${randomUUID()}/${action}`), 404, 'CLIENT_NOT_FOUND');
      }
      expect(await firmState(w.firm.id)).toEqual(before);
    });
  });

  describe('DELETE /clients/:id', () => {
    it('deletes a client and its assignments when confirmName is its exact name, and logs client.deleted', async () => {
      const w = await world();
      const r = await w.admin.delete(`${C}/${w.mine.id}?confirmName=${encodeURIComponent('Alpha Bakery')}`);
      expect(r.status).toBe(204);
      expect(r.body).toBe('');
      expect(await clientRow(w.mine.id)).toBeUndefined();
      expect(
        await ctx.db.query(`SELECT 1 FROM client_assignments WHERE client_id = $1`, [w.mine.id]),
      ).toEqual([]);
      expectError(await w.admin.get(`${C}/${w.mine.id}`), 404, 'CLIENT_NOT_FOUND');
      expectError(await w.staff.get(`${C}/${w.mine.id}`), 404, 'CLIENT_NOT_FOUND');
      expect(await activity(w.firm.id)).toEqual([
        expect.objectContaining({
          action: 'client.deleted',
          summary: 'Deleted client Alpha Bakery',
          actor_user_id: w.firm.admin.id,
          client_id: null,
          target_type: 'client',
          target_id: w.mine.id,
          details: { clientId: w.mine.id, name: 'Alpha Bakery' },
        }),
      ]);
      expect(await ctx.db.query(`SELECT 1 FROM clients WHERE id = $1`, [w.other.clients[0].id])).toHaveLength(
        1,
      );
      expectError(
        await w.admin.delete(`${C}/${w.mine.id}?confirmName=Alpha%20Bakery`),
        404,
        'CLIENT_NOT_FOUND',
      );
    });

    it('refuses a confirmation that is not the exact name with 400 CONFIRMATION_MISMATCH, deleting nothing', async () => {
      const w = await world();
      const before = await firmState(w.firm.id);
      for (const confirmName of ['alpha bakery', 'Alpha', 'Beta Builders', '']) {
        const r = await w.admin.delete(`${C}/${w.mine.id}?confirmName=${encodeURIComponent(confirmName)}`);
        expect({ confirmName, status: r.status, code: r.body.code }).toEqual({
          confirmName,
          status: 400,
          code: 'CONFIRMATION_MISMATCH',
        });
      }
      expect(await firmState(w.firm.id)).toEqual(before);
    });

    it('refuses a missing or malformed confirmation, or unknown query fields, with 400 VALIDATION_FAILED', async () => {
      const w = await world();
      const before = await firmState(w.firm.id);
      const url = `${C}/${w.mine.id}`;
      for (const query of [
        '',
        '?confirmName=Alpha%20Bakery&confirmName=Alpha%20Bakery',
        `?confirmName=${'x'.repeat(121)}`,
        '?confirmName=Alpha%20Bakery&force=true',
      ]) {
        const r = await w.admin.delete(`${url}${query}`);
        expect({ query, status: r.status, code: r.body.code }).toEqual({
          query,
          status: 400,
          code: 'VALIDATION_FAILED',
        });
      }
      expectError(await w.admin.delete(`${C}/nope?confirmName=Alpha%20Bakery`), 404, 'NOT_FOUND');
      expectError(
        await w.admin.delete(`${C}/${randomUUID()}?confirmName=Alpha%20Bakery`),
        404,
        'CLIENT_NOT_FOUND',
      );
      expect(await firmState(w.firm.id)).toEqual(before);
    });
  });

  describe('PUT /clients/:id/staff', () => {
    it('replaces the assignment set, answers the client with it, and logs client.assigned / client.unassigned per person', async () => {
      const w = await world();
      const url = `${C}/${w.notMine.id}/staff`;
      const first = await w.admin.put(url, { userIds: [w.staffId, w.outsiderId, w.staffId] });
      expect(first.status).toBe(200);
      expect(first.body.id).toBe(w.notMine.id);
      expect(first.body.assignedStaff.map((s: { id: string }) => s.id).sort()).toEqual(
        [w.staffId, w.outsiderId].sort(),
      );
      const names = first.body.assignedStaff.map((s: { name: string }) => s.name);
      expect(names).toEqual([...names].sort());
      const assigned = async () =>
        (
          await ctx.db.query(`SELECT user_id FROM client_assignments WHERE client_id = $1 ORDER BY user_id`, [
            w.notMine.id,
          ])
        ).map((r: { user_id: string }) => r.user_id);
      expect(await assigned()).toEqual([w.staffId, w.outsiderId].sort());
      let log = await activity(w.firm.id);
      expect(log.map((l: { action: string }) => l.action)).toEqual(['client.assigned', 'client.assigned']);
      expect(log.map((l: { details: { userId: string } }) => l.details.userId).sort()).toEqual(
        [w.staffId, w.outsiderId].sort(),
      );
      expect(log[0]).toMatchObject({
        actor_user_id: w.firm.admin.id,
        client_id: w.notMine.id,
        target_id: w.notMine.id,
      });

      const second = await w.admin.put(url, { userIds: [w.outsiderId] });
      expect(second.body.assignedStaff.map((s: { id: string }) => s.id)).toEqual([w.outsiderId]);
      expect(await assigned()).toEqual([w.outsiderId]);
      log = await activity(w.firm.id);
      expect(log.slice(2)).toEqual([
        expect.objectContaining({ action: 'client.unassigned', details: { userId: w.staffId } }),
      ]);

      const same = await w.admin.put(url, { userIds: [w.outsiderId] });
      expect(same.status).toBe(200);
      expect(await activity(w.firm.id)).toHaveLength(3);

      const none = await w.admin.put(url, { userIds: [] });
      expect(none.body.assignedStaff).toEqual([]);
      expect(await assigned()).toEqual([]);
      expect((await activity(w.firm.id)).slice(3)).toEqual([
        expect.objectContaining({ action: 'client.unassigned', details: { userId: w.outsiderId } }),
      ]);
      // other clients' assignments are untouched
      expect(
        await ctx.db.query(`SELECT 1 FROM client_assignments WHERE client_id = $1 AND user_id = $2`, [
          w.mine.id,
          w.staffId,
        ]),
      ).toHaveLength(1);
    });

    it('treats an upper-case UUID as the same person: no spurious log rows, no false refusal', async () => {
      const w = await world();
      const url = `${C}/${w.mine.id}/staff`;
      const r = await w.admin.put(url, { userIds: [w.staffId.toUpperCase()] });
      expect(r.status).toBe(200);
      expect(r.body.assignedStaff.map((s: { id: string }) => s.id)).toEqual([w.staffId]);
      expect(await activity(w.firm.id)).toEqual([]);
      const both = await w.admin.put(url, {
        userIds: [w.staffId, w.staffId.toUpperCase(), w.outsiderId.toUpperCase()],
      });
      expect(both.status).toBe(200);
      expect(both.body.assignedStaff.map((s: { id: string }) => s.id).sort()).toEqual(
        [w.staffId, w.outsiderId].sort(),
      );
      expect(
        (await activity(w.firm.id)).map((l: { action: string; details: unknown }) => [l.action, l.details]),
      ).toEqual([['client.assigned', { userId: w.outsiderId }]]);
    });

    it("refuses another firm's person or an unknown id with 400 UNKNOWN_STAFF, changing nothing", async () => {
      const w = await world();
      const before = await firmState(w.firm.id);
      const stranger = randomUUID();
      const r = await w.admin.put(`${C}/${w.mine.id}/staff`, {
        userIds: [w.outsiderId, w.other.admin.id, stranger],
      });
      expectError(r, 400, 'UNKNOWN_STAFF');
      expect(r.body.details.unknownUserIds.sort()).toEqual([w.other.admin.id, stranger].sort());
      expect(await firmState(w.firm.id)).toEqual(before);
      expect(
        await ctx.db.query(`SELECT 1 FROM client_assignments WHERE user_id = $1`, [w.other.admin.id]),
      ).toEqual([]);
    });

    it('refuses malformed input with 400 VALIDATION_FAILED, changing nothing', async () => {
      const w = await world();
      const url = `${C}/${w.mine.id}/staff`;
      const before = await firmState(w.firm.id);
      const cases: [unknown, string | null][] = [
        [{}, 'userIds'],
        [{ userIds: null }, 'userIds'],
        [{ userIds: w.staffId }, 'userIds'],
        [{ userIds: { 0: w.staffId } }, 'userIds'],
        [{ userIds: ['not-a-uuid'] }, 'userIds'],
        [{ userIds: [w.staffId, 42] }, 'userIds'],
        [{ userIds: [null] }, 'userIds'],
        [{ userIds: Array.from({ length: 501 }, () => randomUUID()) }, 'userIds'],
        [{ userIds: [], clientId: w.notMine.id }, 'clientId'],
        [[w.staffId], null],
      ];
      for (const [body, field] of cases) {
        const r = await w.admin.put(url, body);
        expect({ body: JSON.stringify(body).slice(0, 80), status: r.status, code: r.body.code }).toEqual({
          body: JSON.stringify(body).slice(0, 80),
          status: 400,
          code: 'VALIDATION_FAILED',
        });
        if (field)
          expect(r.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
      }
      expectError(await w.admin.put(url, undefined), 400, 'VALIDATION_FAILED');
      expectError(
        await w.admin.request('PUT', url, {
          rawBody: '{"userIds":[',
          headers: { 'content-type': 'application/json' },
        }),
        400,
        'INVALID_JSON',
      );
      expectError(await w.admin.put(`${C}/nope/staff`, { userIds: [] }), 404, 'NOT_FOUND');
      expectError(
        await w.admin.put(`${C}/${randomUUID()}/staff`, { userIds: [w.staffId] }),
        404,
        'CLIENT_NOT_FOUND',
      );
      expect(await firmState(w.firm.id)).toEqual(before);
    });

    it("applies to the staff member's very next request, without signing in again", async () => {
      const w = await world();
      const url = `${C}/${w.notMine.id}`;
      expectError(await w.outsider.get(url), 404, 'CLIENT_NOT_FOUND');
      expect((await w.admin.put(`${url}/staff`, { userIds: [w.outsiderId] })).status).toBe(200);
      expect((await w.outsider.get(url)).status).toBe(200);
      expect((await w.outsider.get(C)).body.items.map((c: { id: string }) => c.id)).toEqual([w.notMine.id]);
      expect((await w.outsider.patch(url, { filesAccess: true })).status).toBe(200);
      expect((await w.admin.put(`${url}/staff`, { userIds: [] })).status).toBe(200);
      expectError(await w.outsider.get(url), 404, 'CLIENT_NOT_FOUND');
      expectError(await w.outsider.patch(url, { filesAccess: false }), 404, 'CLIENT_NOT_FOUND');
      expect((await w.outsider.get(C)).body).toMatchObject({ items: [], total: 0 });
    });
  });

  describe('roles', () => {
    it("applies a role change to the person's very next request: promoted staff see every client, demoted admins only theirs", async () => {
      const w = await world();
      const team = `/api/v1/team/${w.staffId}`;
      expect((await w.staff.get(C)).body.total).toBe(1);
      expect((await w.admin.patch(team, { role: 'admin' })).status).toBe(200);
      const all = await w.staff.get(C);
      expect(all.body.total).toBe(2);
      expect((await w.staff.get(`${C}/${w.notMine.id}`)).status).toBe(200);
      const created = await w.staff.post(C, { name: 'Made By Promoted Ltd' });
      expect(created.status).toBe(201);
      expect((await w.staff.post(`${C}/${w.notMine.id}/archive`)).status).toBe(200);
      expect((await w.admin.patch(team, { role: 'staff' })).status).toBe(200);
      expect((await w.staff.get(C)).body.total).toBe(1);
      expectError(await w.staff.get(`${C}/${created.body.id}`), 404, 'CLIENT_NOT_FOUND');
      expectError(await w.staff.post(`${C}/${w.notMine.id}/restore`), 403, 'ADMIN_ONLY');
      expectError(await w.staff.post(C, { name: 'Made By Demoted Ltd' }), 403, 'ADMIN_ONLY');
    });
  });

  describe('tenant isolation', () => {
    let w: World;
    beforeAll(async () => {
      w = await world();
    });

    type Endpoint = {
      name: string;
      adminOnly: boolean;
      call: (a: Agent, c: { id: string; name: string }) => Promise<Res>;
    };
    const endpoints: Endpoint[] = [
      { name: 'GET /clients/:id', adminOnly: false, call: (a, c) => a.get(`${C}/${c.id}`) },
      {
        name: 'PATCH /clients/:id',
        adminOnly: false,
        call: (a, c) => a.patch(`${C}/${c.id}`, { name: 'Hijacked Ltd', filesAccess: true }),
      },
      { name: 'POST /clients/:id/archive', adminOnly: true, call: (a, c) => a.post(`${C}/${c.id}/archive`) },
      { name: 'POST /clients/:id/restore', adminOnly: true, call: (a, c) => a.post(`${C}/${c.id}/restore`) },
      {
        name: 'DELETE /clients/:id',
        adminOnly: true,
        call: (a, c) => a.delete(`${C}/${c.id}?confirmName=${encodeURIComponent(c.name)}`),
      },
      {
        name: 'PUT /clients/:id/staff',
        adminOnly: true,
        call: (a, c) => a.put(`${C}/${c.id}/staff`, { userIds: [] }),
      },
    ];
    /** restore needs an archived client to be meaningful; everything else the active unassigned one */
    const target = (e: Endpoint) => (e.name.includes('restore') ? w.archived : w.notMine);

    it.each(endpoints)("$name: another firm's admin gets 404, and nothing changes", async (e) => {
      const before = await firmState(w.firm.id);
      expectError(await e.call(w.otherAdmin, target(e)), 404, 'CLIENT_NOT_FOUND');
      expectError(await e.call(w.otherAdmin, w.mine), 404, 'CLIENT_NOT_FOUND');
      expect(await firmState(w.firm.id)).toEqual(before);
    });

    it.each(endpoints)(
      '$name: staff not assigned to the client get 404 (403 ADMIN_ONLY on admin-only endpoints), and nothing changes',
      async (e) => {
        const before = await firmState(w.firm.id);
        const r = await e.call(w.outsider, target(e));
        if (e.adminOnly) expectError(r, 403, 'ADMIN_ONLY');
        else expectError(r, 404, 'CLIENT_NOT_FOUND');
        // the archived client is assigned to `staff`: restore by them is still admin-only
        if (e.adminOnly) expectError(await e.call(w.staff, w.archived), 403, 'ADMIN_ONLY');
        expect(await firmState(w.firm.id)).toEqual(before);
      },
    );

    it.each(endpoints)('$name: a signed-out caller gets 401, and nothing changes', async (e) => {
      const before = await firmState(w.firm.id);
      expectError(await e.call(w.anon, target(e)), 401, 'UNAUTHENTICATED');
      expectError(await e.call(w.anon, { id: 'not-a-uuid', name: 'x' }), 401, 'UNAUTHENTICATED');
      expect(await firmState(w.firm.id)).toEqual(before);
    });

    it.each(endpoints.filter((e) => e.adminOnly))(
      '$name: staff get the very same 403 for their client, an unassigned one, another firm’s, an unknown and a malformed id (no existence oracle)',
      async (e) => {
        const answers = [];
        for (const c of [
          w.mine,
          w.notMine,
          w.other.clients[0],
          { id: randomUUID(), name: 'Nobody' },
          { id: 'not-a-uuid', name: 'x' },
        ]) {
          const r = await e.call(w.outsider, c);
          answers.push({ status: r.status, body: r.body });
        }
        expect(answers[0]).toEqual({
          status: 403,
          body: { statusCode: 403, code: 'ADMIN_ONLY', message: expect.any(String) },
        });
        for (const a of answers) expect(a).toEqual(answers[0]);
      },
    );

    it('staff probing another firm’s client id or an unknown id through the staff endpoints get the same 404 as for an unassigned one', async () => {
      const ids = [w.notMine.id, w.other.clients[0].id, randomUUID()];
      for (const id of ids) {
        expect((await w.staff.get(`${C}/${id}`)).body).toEqual({
          statusCode: 404,
          code: 'CLIENT_NOT_FOUND',
          message: expect.any(String),
        });
        expect((await w.staff.patch(`${C}/${id}`, { filesAccess: true })).body).toEqual({
          statusCode: 404,
          code: 'CLIENT_NOT_FOUND',
          message: expect.any(String),
        });
      }
      const otherRow = await clientRow(w.other.clients[0].id);
      expect(otherRow.files_access).toBe(false);
    });
  });
});

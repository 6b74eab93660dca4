import { TestContext, type Agent, type TestFirm } from './harness';

interface Item {
  id: string;
  action: string;
  summary: string;
  actor: { id: string; name: string } | null;
  client: { id: string; name: string; deleted: boolean } | null;
  details: Record<string, unknown>;
  createdAt: string;
}

describe('activity log (admins only)', () => {
  let ctx: TestContext;
  let firm: TestFirm;
  let admin: Agent;
  let acme: { id: string; name: string };
  let birch: { id: string; name: string };

  beforeAll(async () => {
    ctx = await TestContext.start();
    // A firm whose whole history is made through the API, so every entry has a real actor.
    firm = await ctx.newFirm({ clients: [] });
    admin = await ctx.signIn(firm.admin.email);
    acme = (await admin.post('/api/v1/clients', { name: 'Acme Coffee Roasters' })).body;
    birch = (await admin.post('/api/v1/clients', { name: 'Birch & Co' })).body;
    expect((await admin.patch(`/api/v1/clients/${acme.id}`, { filesAccess: true })).status).toBe(200);
    expect((await admin.post(`/api/v1/clients/${birch.id}/archive`)).status).toBe(200);
    expect((await admin.patch(`/api/v1/clients/${acme.id}`, { name: 'Acme Roasters' })).status).toBe(200);
  });
  afterAll(() => ctx.close());

  /** A page on success; on errors the body is the error shape instead. */
  type Page = { items: Item[]; total: number; limit: number; offset: number } & {
    code?: string;
    details?: unknown;
  };
  const list = (a: Agent, query = '') => a.get<Page>(`/api/v1/activity${query}`);

  it("shows the admin the firm's entries newest first, with actor, summary, client and details", async () => {
    const res = await list(admin);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ total: 5, limit: 50, offset: 0 });
    const actor = { id: firm.admin.id, name: 'Admin Person' };
    expect(res.body.items.map((i) => [i.action, i.summary])).toEqual([
      ['client.renamed', 'Renamed client Acme Coffee Roasters to Acme Roasters'],
      ['client.archived', 'Archived client Birch & Co'],
      ['client.settings_changed', 'Changed settings of Acme Coffee Roasters: Files access on'],
      ['client.created', 'Created client Birch & Co'],
      ['client.created', 'Created client Acme Coffee Roasters'],
    ]);
    for (const item of res.body.items) {
      expect(item).toEqual(
        expect.objectContaining({
          id: expect.any(String),
          action: expect.any(String),
          summary: expect.any(String),
          actor,
          client: expect.objectContaining({ id: expect.any(String), name: expect.any(String) }),
          details: expect.any(Object),
          createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/),
        }),
      );
    }
    // The client is shown under its current name, even on entries written before the rename.
    expect(res.body.items[0].client).toEqual({ id: acme.id, name: 'Acme Roasters', deleted: false });
    expect(res.body.items[4].client).toEqual({ id: acme.id, name: 'Acme Roasters', deleted: false });
    expect(res.body.items[0].details).toEqual({ from: 'Acme Coffee Roasters', to: 'Acme Roasters' });
    expect(res.body.items[2].details).toEqual({ changes: ['Files access on'] });
    const ids = res.body.items.map((i) => Number(i.id));
    expect([...ids].sort((a, b) => b - a)).toEqual(ids);
    const times = res.body.items.map((i) => Date.parse(i.createdAt));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
  });

  it('filters by client', async () => {
    const res = await list(admin, `?clientId=${birch.id}`);
    expect(res.status).toBe(200);
    expect(res.body.total).toBe(2);
    expect(res.body.items.map((i) => i.action)).toEqual(['client.archived', 'client.created']);
    expect(res.body.items.every((i) => i.client?.id === birch.id && i.client.name === 'Birch & Co')).toBe(
      true,
    );
  });

  it('keeps showing a deleted client by the name it had, marked deleted so nobody follows a dead link', async () => {
    const gone = (await admin.post('/api/v1/clients', { name: 'Gone Gardening' })).body;
    expect(
      (await admin.delete(`/api/v1/clients/${gone.id}?confirmName=${encodeURIComponent('Gone Gardening')}`))
        .status,
    ).toBe(204);
    const res = await list(admin, `?clientId=${gone.id}`);
    expect(res.body.items).toEqual([
      expect.objectContaining({ action: 'client.created', client: { id: gone.id, name: 'Gone Gardening', deleted: true } }),
    ]);
    const all = await list(admin, '?limit=1');
    expect(all.body.items[0]).toMatchObject({
      action: 'client.deleted',
      summary: 'Deleted client Gone Gardening',
    });
  });

  it('pages with limit and offset, and reports the total on every page', async () => {
    const everything = (await list(admin, '?limit=200')).body;
    const total = everything.total;
    expect(everything.items).toHaveLength(total);
    const seen: string[] = [];
    for (let offset = 0; offset < total; offset += 2) {
      const page = await list(admin, `?limit=2&offset=${offset}`);
      expect(page.status).toBe(200);
      expect(page.body).toMatchObject({ total, limit: 2, offset });
      expect(page.body.items.length).toBe(Math.min(2, total - offset));
      seen.push(...page.body.items.map((i) => i.id));
    }
    expect(seen).toEqual(everything.items.map((i) => i.id));
    const past = await list(admin, `?limit=2&offset=${total + 10}`);
    expect(past.status).toBe(200);
    expect(past.body).toEqual({ items: [], total, limit: 2, offset: total + 10 });
    const filteredPast = await list(admin, `?clientId=${birch.id}&offset=5`);
    expect(filteredPast.body).toEqual({ items: [], total: 2, limit: 50, offset: 5 });
  });

  it('answers staff with 403 ADMIN_ONLY, even for clients they are assigned to', async () => {
    const staff = await ctx.newStaff(firm, [acme.id]);
    const a = await ctx.signIn(staff.email);
    for (const q of ['', `?clientId=${acme.id}`]) {
      const res = await list(a, q);
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('ADMIN_ONLY');
    }
  });

  it("never shows one firm's entries to another firm's admin", async () => {
    const other = await ctx.newFirm({ clients: [] });
    const otherAdmin = await ctx.signIn(other.admin.email);
    expect((await otherAdmin.post('/api/v1/clients', { name: 'Acme Coffee Roasters' })).status).toBe(201);
    const mine = await list(admin, '?limit=200');
    const theirs = await list(otherAdmin, '?limit=200');
    expect(theirs.status).toBe(200);
    expect(theirs.body.total).toBe(1);
    expect(theirs.body.items[0].actor?.id).toBe(other.admin.id);
    const mineIds = new Set(mine.body.items.map((i) => i.id));
    expect(theirs.body.items.some((i) => mineIds.has(i.id))).toBe(false);

    const probe = await list(otherAdmin, `?clientId=${acme.id}`);
    expect(probe.status).toBe(200);
    expect(probe.body).toEqual({ items: [], total: 0, limit: 50, offset: 0 });
    const probePast = await list(otherAdmin, `?clientId=${acme.id}&offset=3`);
    expect(probePast.body.total).toBe(0);
  });

  it('answers 401 UNAUTHENTICATED when signed out', async () => {
    const res = await list(ctx.agent());
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('UNAUTHENTICATED');
  });

  it('refuses malformed queries with 400 VALIDATION_FAILED naming the field', async () => {
    const cases: [string, string][] = [
      ['?limit=0', 'limit'],
      ['?limit=201', 'limit'],
      ['?limit=abc', 'limit'],
      ['?limit=1.5', 'limit'],
      ['?offset=-1', 'offset'],
      ['?offset=abc', 'offset'],
      ['?clientId=not-a-uuid', 'clientId'],
      ['?clientId=', 'clientId'],
      ['?firmId=00000000-0000-4000-8000-000000000000', 'firmId'],
      ['?sort=asc', 'sort'],
    ];
    for (const [q, field] of cases) {
      const res = await list(admin, q);
      expect({ q, status: res.status, code: res.body.code }).toEqual({
        q,
        status: 400,
        code: 'VALIDATION_FAILED',
      });
      expect(res.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    }
  });
});

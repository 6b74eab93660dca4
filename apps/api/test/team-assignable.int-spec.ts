import { randomUUID } from 'node:crypto';
import { expectError, inviteContact, portalSignIn, TestContext, type Agent, type TestFirm } from './harness';

const A = '/api/v1/team/assignable';

/**
 * GET /team/assignable: the people any staff member may pick as a question's follow-up. Only
 * teammates who have set up their login, only who they are (never how they sign in), and with a
 * client only those who can see it; a client the caller cannot see is not found.
 */
describe('team: who a question can be assigned to', () => {
  let ctx: TestContext;
  let firm: TestFirm;
  let other: TestFirm;
  let alpha: { id: string; name: string };
  let beta: { id: string; name: string };
  let admin: Agent;
  let ann: Agent;
  let annId: string;
  let bobId: string;
  let secondAdminId: string;
  let invitedId: string;

  const ids = (res: { body: { items: { id: string }[] } }) => res.body.items.map((m) => m.id);
  const sortedIds = (...xs: string[]) => [...xs].sort();

  beforeAll(async () => {
    ctx = await TestContext.start();
    firm = await ctx.newFirm({ clients: ['Alpha Bakery', 'Beta Builders'] });
    [alpha, beta] = firm.clients as [typeof alpha, typeof beta];
    other = await ctx.newFirm({ clients: ['Omega Oils'] });
    admin = await ctx.signIn(firm.admin.email);
    const a = await ctx.newStaff(firm, [alpha.id]);
    annId = a.id;
    ann = await ctx.signIn(a.email);
    bobId = (await ctx.newStaff(firm, [beta.id])).id;
    secondAdminId = (await ctx.newStaff(firm, [], 'admin')).id;
    // Invited to Alpha, but has not set up a login yet: not offered.
    const invited = await admin.post('/api/v1/team/invitations', {
      name: 'Ivy Invited',
      email: `${ctx.unique('ivy')}@firm.test`,
      role: 'staff',
    });
    expect(invited.status).toBe(201);
    invitedId = invited.body.id;
    expect((await admin.put(`/api/v1/team/${invitedId}/clients`, { clientIds: [alpha.id] })).status).toBe(
      200,
    );
  });

  afterAll(() => ctx?.close());

  it("lists every active teammate of the caller's firm to a staff member, by name, with only id, name and role", async () => {
    const res = await ann.get(A);
    expect(res.status).toBe(200);
    expect(sortedIds(...ids(res))).toEqual(sortedIds(firm.admin.id, secondAdminId, annId, bobId));
    const names = res.body.items.map((m: { name: string }) => m.name);
    expect(names).toEqual([...names].sort());
    for (const m of res.body.items) expect(Object.keys(m).sort()).toEqual(['id', 'name', 'role']);
    expect(res.body.items.find((m: { id: string }) => m.id === firm.admin.id)).toEqual({
      id: firm.admin.id,
      name: 'Admin Person',
      role: 'admin',
    });
    expect(JSON.stringify(res.body)).not.toMatch(/@|password|activated|lastSignIn|assignedClients/);
  });

  it("with a client, offers only those who can see it: the firm's admins and the client's assigned staff", async () => {
    const forAlpha = await ann.get(`${A}?clientId=${alpha.id}`);
    expect(forAlpha.status).toBe(200);
    expect(sortedIds(...ids(forAlpha))).toEqual(sortedIds(firm.admin.id, secondAdminId, annId));

    const forBeta = await admin.get(`${A}?clientId=${beta.id}`);
    expect(forBeta.status).toBe(200);
    expect(sortedIds(...ids(forBeta))).toEqual(sortedIds(firm.admin.id, secondAdminId, bobId));

    // A UUID is the same UUID in capitals.
    const upper = await ann.get(`${A}?clientId=${alpha.id.toUpperCase()}`);
    expect(upper.status).toBe(200);
    expect(sortedIds(...ids(upper))).toEqual(sortedIds(...ids(forAlpha)));
  });

  it('agrees with the questions API: whoever is offered can be assigned, whoever is not is refused', async () => {
    await inviteContact(ctx, admin, alpha.id, {
      name: 'Maria Lopez',
      email: `${ctx.unique('maria')}@alpha.test`,
    });
    const offered = ids(await ann.get(`${A}?clientId=${alpha.id}`));
    for (const assigneeUserId of offered) {
      const res = await ann.post(`/api/v1/clients/${alpha.id}/questions`, {
        kind: 'other',
        text: 'Can you send the lease?',
        assigneeUserId,
      });
      expect(res.status).toBe(201);
      expect(res.body.assignee.id).toBe(assigneeUserId);
    }
    const refused = await ann.post(`/api/v1/clients/${alpha.id}/questions`, {
      kind: 'other',
      text: 'Can you send the lease?',
      assigneeUserId: bobId,
    });
    expectError(refused, 400, 'ASSIGNEE_NOT_FOUND');
  });

  it("answers 404 CLIENT_NOT_FOUND for a client the caller cannot see: not assigned, another firm's, unknown, or revoked", async () => {
    expectError(await ann.get(`${A}?clientId=${beta.id}`), 404, 'CLIENT_NOT_FOUND');
    const omega = other.clients[0]!.id;
    expectError(await ann.get(`${A}?clientId=${omega}`), 404, 'CLIENT_NOT_FOUND');
    expectError(await admin.get(`${A}?clientId=${omega}`), 404, 'CLIENT_NOT_FOUND');
    expectError(await admin.get(`${A}?clientId=${randomUUID()}`), 404, 'CLIENT_NOT_FOUND');

    const gone = await ctx.newClient(firm.id, ctx.unique('Gone'));
    await ctx.db.query(`UPDATE clients SET status = 'revoked' WHERE id = $1`, [gone.id]);
    expectError(await admin.get(`${A}?clientId=${gone.id}`), 404, 'CLIENT_NOT_FOUND');
  });

  it("never lists another firm's people", async () => {
    const theirs = await ctx.signIn(other.admin.email);
    const res = await theirs.get(A);
    expect(res.status).toBe(200);
    expect(ids(res)).toEqual([other.admin.id]);
    expectError(await theirs.get(`${A}?clientId=${alpha.id}`), 404, 'CLIENT_NOT_FOUND');
  });

  it('refuses malformed input with 400 VALIDATION_FAILED, naming the field', async () => {
    for (const query of [
      'clientId=not-a-uuid',
      `clientId=${alpha.id}x`,
      'clientId=',
      `clientId=${alpha.id}&clientId=${beta.id}`,
    ]) {
      const res = await ann.get(`${A}?${query}`);
      expectError(res, 400, 'VALIDATION_FAILED');
      expect(res.body.details).toEqual(
        expect.arrayContaining([expect.objectContaining({ field: 'clientId' })]),
      );
    }
    const unknown = await ann.get(`${A}?role=admin`);
    expectError(unknown, 400, 'VALIDATION_FAILED');
    expect(unknown.body.message).toContain('role');
  });

  it('is for signed-in staff: 401 when signed out, and 401 for a client portal session', async () => {
    expectError(await ctx.agent().get(A), 401, 'UNAUTHENTICATED');
    expectError(await ctx.agent().get(`${A}?clientId=${alpha.id}`), 401, 'UNAUTHENTICATED');

    const { token } = await inviteContact(ctx, admin, alpha.id, {
      name: 'Pat Portal',
      email: `${ctx.unique('pat')}@alpha.test`,
    });
    const { agent: portal } = await portalSignIn(ctx, token);
    expect((await portal.get('/api/v1/portal/auth/session')).status).toBe(200);
    expectError(await portal.get(A), 401, 'UNAUTHENTICATED');
    expectError(await portal.get(`${A}?clientId=${alpha.id}`), 401, 'UNAUTHENTICATED');
  });

  it('leaves the rest of the team API to admins', async () => {
    expectError(await ann.get('/api/v1/team'), 403, 'ADMIN_ONLY');
    expectError(
      await ann.put(`/api/v1/team/${annId}/clients`, { clientIds: [alpha.id, beta.id] }),
      403,
      'ADMIN_ONLY',
    );
    expect((await admin.get('/api/v1/team')).status).toBe(200);
  });
});

import { randomUUID } from 'node:crypto';
import {
  expectError,
  TEST_PASSWORD,
  TestContext,
  tokenFrom,
  type Agent,
  type Res,
  type TestFirm,
} from './harness';

const T = '/api/v1/team';

describe('team: invitations, roles, removal and assignments (T2)', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await TestContext.start();
  });
  afterAll(() => ctx.close());

  /** Everything a team request could change in a firm: compared before and after refused requests. */
  const firmState = async (firmId: string) => ({
    users: await ctx.db.query(
      `SELECT id, email, name, role, password_hash, activated_at, updated_at FROM users WHERE firm_id = $1 ORDER BY id`,
      [firmId],
    ),
    sessions: await ctx.db.query(`SELECT id FROM sessions WHERE firm_id = $1 ORDER BY id`, [firmId]),
    assignments: await ctx.db.query(
      `SELECT client_id, user_id FROM client_assignments WHERE firm_id = $1 ORDER BY client_id, user_id`,
      [firmId],
    ),
    tokens: await ctx.db.query(
      `SELECT id, used_at, superseded_at FROM password_tokens WHERE firm_id = $1 ORDER BY id`,
      [firmId],
    ),
    emails: await ctx.db.query(`SELECT id FROM outbound_emails WHERE firm_id = $1 ORDER BY id`, [firmId]),
    log: await ctx.db.query(`SELECT id, action FROM activity_log WHERE firm_id = $1 ORDER BY id`, [firmId]),
  });

  const activity = (firmId: string) =>
    ctx.db.query(
      `SELECT action, summary, actor_user_id, client_id, client_name, target_type, target_id, details
         FROM activity_log WHERE firm_id = $1 ORDER BY id`,
      [firmId],
    );
  const userRow = async (id: string) => (await ctx.db.query(`SELECT * FROM users WHERE id = $1`, [id]))[0];
  const emailsTo = async (to: string): Promise<number> =>
    (await ctx.db.query(`SELECT count(*)::int AS n FROM outbound_emails WHERE to_address = $1`, [to]))[0].n;
  const assignedTo = async (userId: string): Promise<string[]> =>
    (
      await ctx.db.query(`SELECT client_id FROM client_assignments WHERE user_id = $1 ORDER BY client_id`, [
        userId,
      ])
    ).map((r: { client_id: string }) => r.client_id);

  /** Invites through the API and returns the member and the token from the emailed link. */
  const invite = async (admin: Agent, body: { name: string; email: string; role: 'admin' | 'staff' }) => {
    const res = await admin.post(`${T}/invitations`, body);
    expect(res.status).toBe(201);
    const mail = await ctx.lastEmail(body.email);
    return { member: res.body, token: tokenFrom(mail.link as string), mail };
  };
  const newEmail = (p = 'invitee') => `${ctx.unique(p)}@firm.test`;

  interface World {
    firm: TestFirm;
    other: TestFirm;
    admin: Agent;
    staff: Agent;
    staffId: string;
    staffEmail: string;
    otherAdmin: Agent;
    anon: Agent;
    /** an invited, not yet active member of `firm` */
    invitedId: string;
    invitedEmail: string;
  }

  const world = async (): Promise<World> => {
    const firm = await ctx.newFirm({ clients: ['Alpha Bakery', 'Beta Builders'] });
    const other = await ctx.newFirm({ clients: ['Omega Oils'] });
    const s = await ctx.newStaff(firm, [firm.clients[0].id]);
    const admin = await ctx.signIn(firm.admin.email);
    const invitedEmail = newEmail();
    const { member } = await invite(admin, { name: 'Ivy Invited', email: invitedEmail, role: 'staff' });
    return {
      firm,
      other,
      admin,
      staff: await ctx.signIn(s.email),
      staffId: s.id,
      staffEmail: s.email,
      otherAdmin: await ctx.signIn(other.admin.email),
      anon: ctx.agent(),
      invitedId: member.id,
      invitedEmail,
    };
  };

  describe('GET /team', () => {
    it("lists the firm's people by name with role, status and assigned clients, and nobody from another firm", async () => {
      const w = await world();
      const res = await w.admin.get(T);
      expect(res.status).toBe(200);
      const items = res.body.items as { id: string; name: string }[];
      expect(items.map((m) => m.id).sort()).toEqual([w.firm.admin.id, w.staffId, w.invitedId].sort());
      expect(items.map((m) => m.name)).toEqual(items.map((m) => m.name).sort());
      expect(items.find((m) => m.id === w.firm.admin.id)).toMatchObject({
        name: 'Admin Person',
        email: w.firm.admin.email,
        role: 'admin',
        status: 'active',
        assignedClients: [],
        createdAt: expect.any(String),
      });
      expect(items.find((m) => m.id === w.staffId)).toMatchObject({
        email: w.staffEmail,
        role: 'staff',
        status: 'active',
        assignedClients: [{ id: w.firm.clients[0].id, name: 'Alpha Bakery' }],
      });
      expect(items.find((m) => m.id === w.invitedId)).toMatchObject({
        name: 'Ivy Invited',
        email: w.invitedEmail,
        role: 'staff',
        status: 'invited',
      });
      const theirs = await w.otherAdmin.get(T);
      expect(theirs.body.items.map((m: { id: string }) => m.id)).toEqual([w.other.admin.id]);
    });

    it('is for admins: staff get 403 ADMIN_ONLY, a signed-out caller 401', async () => {
      const w = await world();
      expectError(await w.staff.get(T), 403, 'ADMIN_ONLY');
      expectError(await w.anon.get(T), 401, 'UNAUTHENTICATED');
    });
  });

  describe('POST /team/invitations', () => {
    it('invites by email; the person sets a password from the link, is signed in, can sign in again, and turns active', async () => {
      const firm = await ctx.newFirm({ clients: ['Alpha Bakery'] });
      const admin = await ctx.signIn(firm.admin.email);
      const email = newEmail('ben');
      const res = await admin.post(`${T}/invitations`, {
        name: '  Ben Ortiz ',
        email: `  ${email.toUpperCase()} `,
        role: 'staff',
      });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        name: 'Ben Ortiz',
        email,
        role: 'staff',
        status: 'invited',
        assignedClients: [],
        createdAt: expect.any(String),
      });
      const row = await userRow(res.body.id);
      expect(row).toMatchObject({
        firm_id: firm.id,
        email,
        name: 'Ben Ortiz',
        role: 'staff',
        password_hash: null,
        activated_at: null,
      });

      const mail = await ctx.lastEmail(email);
      expect(mail.subject).toBe(`Admin Person invited you to ${firm.name} on Ledgerport`);
      expect(mail.text).toContain('Ben Ortiz');
      expect(mail.link).toMatch(/^https?:\/\/[^/]+\/set-password\?token=[A-Za-z0-9_-]+$/);
      const token = tokenFrom(mail.link as string);

      const early = await ctx.agent().post('/api/v1/auth/login', { email, password: 'any-password-at-all' });
      expectError(early, 401, 'INVALID_CREDENTIALS');

      const info = await ctx.agent().get(`/api/v1/auth/password-tokens/${token}`);
      expect(info.status).toBe(200);
      expect(info.body).toEqual({ purpose: 'invite', email, name: 'Ben Ortiz', firmName: firm.name });

      const ben = ctx.agent();
      const set = await ben.post('/api/v1/auth/password', { token, password: 'bens-own-password' });
      expect(set.status).toBe(200);
      expect(set.body.user).toEqual({ id: res.body.id, name: 'Ben Ortiz', email, role: 'staff' });
      expect(set.body.firm).toMatchObject({ id: firm.id });
      expect((await ben.get('/api/v1/auth/session')).status).toBe(200);
      expect((await ben.get('/api/v1/clients')).body).toMatchObject({ items: [], total: 0 });

      const login = await ctx.agent().post('/api/v1/auth/login', { email, password: 'bens-own-password' });
      expect(login.status).toBe(200);
      expect((await userRow(res.body.id)).activated_at).toBeInstanceOf(Date);
      const list = await admin.get(T);
      expect(list.body.items.find((m: { id: string }) => m.id === res.body.id)).toMatchObject({
        status: 'active',
      });

      expect(
        (await activity(firm.id)).map((l: { action: string; actor_user_id: string; target_id: string }) => [
          l.action,
          l.actor_user_id,
          l.target_id,
        ]),
      ).toEqual([
        ['team.invited', firm.admin.id, res.body.id],
        ['user.activated', res.body.id, res.body.id],
      ]);
      expect((await activity(firm.id))[0]).toMatchObject({
        summary: `Invited Ben Ortiz (${email}) as staff`,
        details: { role: 'staff' },
      });
    });

    it('invites an admin, who can manage the team once their password is set', async () => {
      const firm = await ctx.newFirm();
      const admin = await ctx.signIn(firm.admin.email);
      const email = newEmail('co-admin');
      const { member, token } = await invite(admin, { name: 'Cora Admin', email, role: 'admin' });
      expect(member).toMatchObject({ role: 'admin', status: 'invited' });
      const cora = ctx.agent();
      const set = await cora.post('/api/v1/auth/password', { token, password: 'coras-own-password' });
      expect(set.body.user.role).toBe('admin');
      cora.csrf = set.body.csrfToken;
      expect((await cora.get(T)).status).toBe(200);
      expect((await cora.get('/api/v1/clients')).body.total).toBe(2);
    });

    it('refuses an email that already has a login, in this firm or any other, whatever its case: 409 EMAIL_ALREADY_REGISTERED, nothing written', async () => {
      const w = await world();
      const before = await firmState(w.firm.id);
      const emailsBefore = await Promise.all(
        [w.staffEmail, w.other.admin.email, w.invitedEmail, w.firm.admin.email].map(emailsTo),
      );
      for (const email of [
        w.staffEmail,
        w.other.admin.email.toUpperCase(),
        ` ${w.invitedEmail} `,
        w.firm.admin.email,
      ]) {
        const r = await w.admin.post(`${T}/invitations`, { name: 'Somebody', email, role: 'staff' });
        expectError(r, 409, 'EMAIL_ALREADY_REGISTERED');
      }
      expect(await firmState(w.firm.id)).toEqual(before);
      expect(
        await Promise.all(
          [w.staffEmail, w.other.admin.email, w.invitedEmail, w.firm.admin.email].map(emailsTo),
        ),
      ).toEqual(emailsBefore);
      expect(
        (await ctx.db.query(`SELECT firm_id FROM users WHERE email = $1`, [w.other.admin.email]))[0].firm_id,
      ).toBe(w.other.id);
    });

    it('answers 409, not 500, when the same email is registered concurrently between the check and the insert', async () => {
      const w = await world();
      const email = newEmail('racer');
      const before = await firmState(w.firm.id);
      const [r] = await ctx.whileHeld(
        `INSERT INTO users (firm_id, email, name, role) VALUES ($1, $2, 'Racer Elsewhere', 'staff')`,
        [w.other.id, email],
        1,
        () => [w.admin.post(`${T}/invitations`, { name: 'Racer', email, role: 'staff' })],
      );
      expectError(r, 409, 'EMAIL_ALREADY_REGISTERED');
      expect(await firmState(w.firm.id)).toEqual(before);
      expect(await emailsTo(email)).toBe(0);
    });

    it('refuses malformed input with 400 and a code, writing nothing and mailing nobody', async () => {
      const w = await world();
      const before = await firmState(w.firm.id);
      const email = newEmail('bad');
      const ok = { name: 'Dee Valid', email, role: 'staff' };
      const cases: [unknown, string | null][] = [
        [{}, 'name'],
        [{ email, role: 'staff' }, 'name'],
        [{ ...ok, name: '' }, 'name'],
        [{ ...ok, name: '   ' }, 'name'],
        [{ ...ok, name: 'n'.repeat(121) }, 'name'],
        [{ ...ok, name: 7 }, 'name'],
        [{ ...ok, name: null }, 'name'],
        [{ name: 'Dee', role: 'staff' }, 'email'],
        [{ ...ok, email: 'not-an-email' }, 'email'],
        [{ ...ok, email: `${'e'.repeat(250)}@firm.test` }, 'email'],
        [{ ...ok, email: 12 }, 'email'],
        [{ ...ok, email: [email] }, 'email'],
        [{ name: 'Dee', email }, 'role'],
        [{ ...ok, role: 'owner' }, 'role'],
        [{ ...ok, role: 'Admin' }, 'role'],
        [{ ...ok, role: null }, 'role'],
        [{ ...ok, password: 'pre-set-password' }, 'password'],
        [{ ...ok, firmId: w.other.id }, 'firmId'],
        [{ ...ok, status: 'active' }, 'status'],
        [[ok], null],
        ['Dee Valid', null],
      ];
      for (const [body, field] of cases) {
        const r = await w.admin.post(`${T}/invitations`, body);
        const shown = JSON.stringify(body).slice(0, 80);
        expect({ shown, status: r.status, code: r.body.code }).toEqual({
          shown,
          status: 400,
          code: 'VALIDATION_FAILED',
        });
        if (field)
          expect(r.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
      }
      expectError(await w.admin.post(`${T}/invitations`, undefined), 400, 'VALIDATION_FAILED');
      expectError(
        await w.admin.request('POST', `${T}/invitations`, {
          rawBody: '{"name":"Dee",',
          headers: { 'content-type': 'application/json' },
        }),
        400,
        'INVALID_JSON',
      );
      expectError(
        await w.admin.post(`${T}/invitations`, { ...ok, name: 'n'.repeat(2 * 1024 * 1024) }),
        413,
        'PAYLOAD_TOO_LARGE',
      );
      expect(await firmState(w.firm.id)).toEqual(before);
      expect(await emailsTo(email)).toBe(0);
      expect(await ctx.db.query(`SELECT 1 FROM users WHERE email = $1`, [email])).toEqual([]);
    });

    it('is for admins: staff get 403, a signed-out caller 401, and nobody is invited', async () => {
      const w = await world();
      const before = await firmState(w.firm.id);
      const email = newEmail('sneaky');
      expectError(
        await w.staff.post(`${T}/invitations`, { name: 'Sneaky', email, role: 'admin' }),
        403,
        'ADMIN_ONLY',
      );
      expectError(
        await w.anon.post(`${T}/invitations`, { name: 'Sneaky', email, role: 'admin' }),
        401,
        'UNAUTHENTICATED',
      );
      expect(await firmState(w.firm.id)).toEqual(before);
      expect(await emailsTo(email)).toBe(0);
      // another firm's admin can only invite into their own firm
      const theirs = await w.otherAdmin.post(`${T}/invitations`, { name: 'Theirs', email, role: 'staff' });
      expect(theirs.status).toBe(201);
      expect((await userRow(theirs.body.id)).firm_id).toBe(w.other.id);
      expect(await firmState(w.firm.id)).toEqual(before);
    });
  });

  describe('POST /team/:userId/invitation', () => {
    it('sends a new link; the older one answers 410 TOKEN_SUPERSEDED, the new one works; then 409 ALREADY_ACTIVE', async () => {
      const firm = await ctx.newFirm();
      const admin = await ctx.signIn(firm.admin.email);
      const email = newEmail('resend');
      const { member, token: first } = await invite(admin, { name: 'Rita Resend', email, role: 'staff' });
      const r = await admin.post(`${T}/${member.id}/invitation`);
      expect(r.status).toBe(204);
      expect(r.body).toBe('');
      expect(await emailsTo(email)).toBe(2);
      const mail = await ctx.lastEmail(email);
      expect(mail.subject).toBe(`Admin Person invited you to ${firm.name} on Ledgerport`);
      const second = tokenFrom(mail.link as string);
      expect(second).not.toBe(first);
      expectError(await ctx.agent().get(`/api/v1/auth/password-tokens/${first}`), 410, 'TOKEN_SUPERSEDED');
      expectError(
        await ctx.agent().post('/api/v1/auth/password', { token: first, password: 'ritas-old-link-pw' }),
        410,
        'TOKEN_SUPERSEDED',
      );
      expect((await userRow(member.id)).activated_at).toBeNull();
      expect((await activity(firm.id)).at(-1)).toMatchObject({
        action: 'team.invitation_resent',
        summary: 'Sent Rita Resend a new invitation',
        actor_user_id: firm.admin.id,
        target_type: 'user',
        target_id: member.id,
      });

      const set = await ctx
        .agent()
        .post('/api/v1/auth/password', { token: second, password: 'ritas-new-password' });
      expect(set.status).toBe(200);
      const before = await firmState(firm.id);
      expectError(await admin.post(`${T}/${member.id}/invitation`), 409, 'ALREADY_ACTIVE');
      expectError(await admin.post(`${T}/${firm.admin.id}/invitation`), 409, 'ALREADY_ACTIVE');
      expect(await firmState(firm.id)).toEqual(before);
      expect(await emailsTo(email)).toBe(2);
    });

    it('answers 404 for a malformed or unknown id, and for a person of another firm (who is not mailed)', async () => {
      const w = await world();
      const theirEmail = newEmail('theirs');
      const { member: theirs, token } = await invite(w.otherAdmin, {
        name: 'Their Invitee',
        email: theirEmail,
        role: 'staff',
      });
      const before = await firmState(w.firm.id);
      const otherBefore = await firmState(w.other.id);
      expectError(await w.admin.post(`${T}/not-a-uuid/invitation`), 404, 'NOT_FOUND');
      expectError(await w.admin.post(`${T}/${randomUUID()}/invitation`), 404, 'MEMBER_NOT_FOUND');
      expectError(await w.admin.post(`${T}/${theirs.id}/invitation`), 404, 'MEMBER_NOT_FOUND');
      expect(await firmState(w.firm.id)).toEqual(before);
      expect(await firmState(w.other.id)).toEqual(otherBefore);
      expect(await emailsTo(theirEmail)).toBe(1);
      expect((await ctx.agent().get(`/api/v1/auth/password-tokens/${token}`)).status).toBe(200);
    });
  });

  describe('PATCH /team/:userId', () => {
    it('promotes staff to admin; on their very next request they see every client and manage the team', async () => {
      const w = await world();
      expect((await w.staff.get('/api/v1/clients')).body.total).toBe(1);
      expectError(await w.staff.get(T), 403, 'ADMIN_ONLY');
      const r = await w.admin.patch(`${T}/${w.staffId}`, { role: 'admin' });
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ id: w.staffId, role: 'admin', status: 'active', email: w.staffEmail });
      expect((await userRow(w.staffId)).role).toBe('admin');
      expect((await w.staff.get('/api/v1/auth/session')).body.user.role).toBe('admin');
      expect((await w.staff.get('/api/v1/clients')).body.total).toBe(2);
      expect((await w.staff.get(T)).status).toBe(200);
      expect((await activity(w.firm.id)).at(-1)).toMatchObject({
        action: 'team.role_changed',
        actor_user_id: w.firm.admin.id,
        target_id: w.staffId,
        details: { from: 'staff', to: 'admin' },
      });
    });

    it('demotes an admin when another remains; the demoted admin is refused admin work on their next request', async () => {
      const w = await world();
      await w.admin.patch(`${T}/${w.staffId}`, { role: 'admin' });
      const r = await w.staff.patch(`${T}/${w.firm.admin.id}`, { role: 'staff' });
      expect(r.status).toBe(200);
      expect(r.body.role).toBe('staff');
      expectError(await w.admin.get(T), 403, 'ADMIN_ONLY');
      expect((await w.admin.get('/api/v1/clients')).body.total).toBe(0);
      // and an admin may demote themselves while another admin remains
      await w.staff.patch(`${T}/${w.firm.admin.id}`, { role: 'admin' });
      const self = await w.staff.patch(`${T}/${w.staffId}`, { role: 'staff' });
      expect(self.status).toBe(200);
      expectError(await w.staff.get(T), 403, 'ADMIN_ONLY');
    });

    it('refuses to demote the only admin with 409 LAST_ADMIN, changing nothing', async () => {
      const w = await world();
      const before = await firmState(w.firm.id);
      expectError(await w.admin.patch(`${T}/${w.firm.admin.id}`, { role: 'staff' }), 409, 'LAST_ADMIN');
      expect(await firmState(w.firm.id)).toEqual(before);
      expect((await w.admin.get(T)).status).toBe(200);
    });

    it('does not count an admin who has not accepted the invitation: the only active admin stays admin', async () => {
      const w = await world();
      const invited = await w.admin.post(`${T}/invitations`, {
        name: 'Pending Admin',
        email: `${ctx.unique('pending')}@firm.test`,
        role: 'admin',
      });
      expect(invited.status).toBe(201);
      expectError(await w.admin.patch(`${T}/${w.firm.admin.id}`, { role: 'staff' }), 409, 'LAST_ADMIN');
      // the invited admin can still be demoted or removed: they cannot sign in yet
      expect((await w.admin.patch(`${T}/${invited.body.id}`, { role: 'staff' })).status).toBe(200);
    });

    it('keeps one admin when two admins demote each other at the same moment: one 200, the other 409 LAST_ADMIN', async () => {
      const w = await world();
      await w.admin.patch(`${T}/${w.staffId}`, { role: 'admin' });
      const results = await ctx.whileHeld(
        `SELECT id FROM users WHERE firm_id = $1 AND role = 'admin' FOR UPDATE`,
        [w.firm.id],
        2,
        () => [
          w.admin.patch(`${T}/${w.staffId}`, { role: 'staff' }),
          w.staff.patch(`${T}/${w.firm.admin.id}`, { role: 'staff' }),
        ],
      );
      expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
      expect(results.find((r) => r.status === 409)?.body.code).toBe('LAST_ADMIN');
      const admins = await ctx.db.query(`SELECT id FROM users WHERE firm_id = $1 AND role = 'admin'`, [
        w.firm.id,
      ]);
      expect(admins).toHaveLength(1);
    });

    it('answers an unchanged role with the member and logs nothing', async () => {
      const w = await world();
      const before = await firmState(w.firm.id);
      const r = await w.admin.patch(`${T}/${w.staffId}`, { role: 'staff' });
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ id: w.staffId, role: 'staff' });
      expect(await firmState(w.firm.id)).toEqual(before);
    });

    it('changes the role of an invited person too', async () => {
      const w = await world();
      const r = await w.admin.patch(`${T}/${w.invitedId}`, { role: 'admin' });
      expect(r.body).toMatchObject({ id: w.invitedId, role: 'admin', status: 'invited' });
      expect((await userRow(w.invitedId)).role).toBe('admin');
    });

    it('refuses malformed input with 400, and a malformed or unknown id with 404, changing nothing', async () => {
      const w = await world();
      const url = `${T}/${w.staffId}`;
      const before = await firmState(w.firm.id);
      const cases: [unknown, string | null][] = [
        [{}, 'role'],
        [{ role: 'owner' }, 'role'],
        [{ role: 'ADMIN' }, 'role'],
        [{ role: null }, 'role'],
        [{ role: 1 }, 'role'],
        [{ role: ['admin'] }, 'role'],
        [{ role: 'admin', name: 'Renamed' }, 'name'],
        [{ role: 'admin', email: 'new@firm.test' }, 'email'],
        [[{ role: 'admin' }], null],
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
      expectError(await w.admin.patch(url, undefined), 400, 'VALIDATION_FAILED');
      expectError(
        await w.admin.request('PATCH', url, {
          rawBody: '{"role":',
          headers: { 'content-type': 'application/json' },
        }),
        400,
        'INVALID_JSON',
      );
      expectError(await w.admin.patch(`${T}/not-a-uuid`, { role: 'admin' }), 404, 'NOT_FOUND');
      expectError(await w.admin.patch(`${T}/${randomUUID()}`, { role: 'admin' }), 404, 'MEMBER_NOT_FOUND');
      expect(await firmState(w.firm.id)).toEqual(before);
    });
  });

  describe('DELETE /team/:userId', () => {
    it('removes a person: their login, sessions and assignments go, their open session gets 401 on its next request', async () => {
      const w = await world();
      expect((await w.staff.get('/api/v1/clients')).status).toBe(200);
      const r = await w.admin.delete(`${T}/${w.staffId}`);
      expect(r.status).toBe(204);
      expect(r.body).toBe('');
      expect(await userRow(w.staffId)).toBeUndefined();
      expect(await ctx.db.query(`SELECT 1 FROM sessions WHERE user_id = $1`, [w.staffId])).toEqual([]);
      expect(await assignedTo(w.staffId)).toEqual([]);
      expectError(await w.staff.get('/api/v1/clients'), 401, 'UNAUTHENTICATED');
      expectError(await w.staff.get('/api/v1/auth/session'), 401, 'UNAUTHENTICATED');
      expectError(
        await ctx.agent().post('/api/v1/auth/login', { email: w.staffEmail, password: TEST_PASSWORD }),
        401,
        'INVALID_CREDENTIALS',
      );
      expect((await w.admin.get(T)).body.items.map((m: { id: string }) => m.id)).not.toContain(w.staffId);
      expect((await activity(w.firm.id)).at(-1)).toMatchObject({
        action: 'team.removed',
        summary: expect.stringContaining(w.staffEmail),
        actor_user_id: w.firm.admin.id,
        target_id: w.staffId,
      });
      // the address is free again
      expect(
        (await w.admin.post(`${T}/invitations`, { name: 'Back Again', email: w.staffEmail, role: 'staff' }))
          .status,
      ).toBe(201);
    });

    it('removes an invited person, whose invitation link then stops working', async () => {
      const w = await world();
      const token = tokenFrom((await ctx.lastEmail(w.invitedEmail)).link as string);
      expect((await w.admin.delete(`${T}/${w.invitedId}`)).status).toBe(204);
      expectError(await ctx.agent().get(`/api/v1/auth/password-tokens/${token}`), 404, 'TOKEN_INVALID');
      expectError(
        await ctx.agent().post('/api/v1/auth/password', { token, password: 'too-late-password' }),
        404,
        'TOKEN_INVALID',
      );
    });

    it('refuses to remove yourself with 409 CANNOT_REMOVE_SELF, even when another admin remains', async () => {
      const w = await world();
      await w.admin.patch(`${T}/${w.staffId}`, { role: 'admin' });
      const before = await firmState(w.firm.id);
      expectError(await w.admin.delete(`${T}/${w.firm.admin.id}`), 409, 'CANNOT_REMOVE_SELF');
      expectError(await w.staff.delete(`${T}/${w.staffId}`), 409, 'CANNOT_REMOVE_SELF');
      expect(await firmState(w.firm.id)).toEqual(before);
      // removing the other admin is fine
      expect((await w.staff.delete(`${T}/${w.firm.admin.id}`)).status).toBe(204);
      expectError(await w.admin.get(T), 401, 'UNAUTHENTICATED');
    });

    it('keeps one admin when two admins remove each other at the same moment: one 204, the other 409 LAST_ADMIN', async () => {
      const w = await world();
      await w.admin.patch(`${T}/${w.staffId}`, { role: 'admin' });
      const results = await ctx.whileHeld(
        `SELECT id FROM users WHERE firm_id = $1 AND role = 'admin' FOR UPDATE`,
        [w.firm.id],
        2,
        () => [w.admin.delete(`${T}/${w.staffId}`), w.staff.delete(`${T}/${w.firm.admin.id}`)],
      );
      expect(results.map((r) => r.status).sort()).toEqual([204, 409]);
      expect(results.find((r) => r.status === 409)?.body.code).toBe('LAST_ADMIN');
      const admins = await ctx.db.query(`SELECT id FROM users WHERE firm_id = $1 AND role = 'admin'`, [
        w.firm.id,
      ]);
      expect(admins).toHaveLength(1);
    });

    it('answers 404 for a malformed or unknown id, removing nobody', async () => {
      const w = await world();
      const before = await firmState(w.firm.id);
      expectError(await w.admin.delete(`${T}/not-a-uuid`), 404, 'NOT_FOUND');
      expectError(await w.admin.delete(`${T}/${randomUUID()}`), 404, 'MEMBER_NOT_FOUND');
      expect(await firmState(w.firm.id)).toEqual(before);
    });
  });

  describe('PUT /team/:userId/clients', () => {
    it('replaces the clients a person is assigned to, logs each change, and applies on their very next request', async () => {
      const w = await world();
      const [alpha, beta] = w.firm.clients;
      const url = `${T}/${w.staffId}/clients`;
      expectError(await w.staff.get(`/api/v1/clients/${beta.id}`), 404, 'CLIENT_NOT_FOUND');
      const both = await w.admin.put(url, { clientIds: [beta.id, alpha.id, beta.id] });
      expect(both.status).toBe(200);
      expect(both.body).toMatchObject({
        id: w.staffId,
        assignedClients: [
          { id: alpha.id, name: 'Alpha Bakery' },
          { id: beta.id, name: 'Beta Builders' },
        ],
      });
      expect(await assignedTo(w.staffId)).toEqual([alpha.id, beta.id].sort());
      expect((await w.staff.get(`/api/v1/clients/${beta.id}`)).status).toBe(200);
      expect((await w.staff.get('/api/v1/clients')).body.total).toBe(2);
      expect(await activity(w.firm.id)).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            action: 'client.assigned',
            client_id: beta.id,
            target_type: 'user',
            target_id: w.staffId,
            actor_user_id: w.firm.admin.id,
          }),
        ]),
      );
      const assignedBefore = (await activity(w.firm.id)).filter((l: { action: string }) =>
        l.action.startsWith('client.'),
      );
      expect(assignedBefore).toHaveLength(1);

      const onlyBeta = await w.admin.put(url, { clientIds: [beta.id] });
      expect(onlyBeta.body.assignedClients).toEqual([{ id: beta.id, name: 'Beta Builders' }]);
      expectError(await w.staff.get(`/api/v1/clients/${alpha.id}`), 404, 'CLIENT_NOT_FOUND');
      expect((await activity(w.firm.id)).at(-1)).toMatchObject({
        action: 'client.unassigned',
        summary: expect.stringContaining('Alpha Bakery'),
        client_id: alpha.id,
        target_id: w.staffId,
      });

      const none = await w.admin.put(url, { clientIds: [] });
      expect(none.body.assignedClients).toEqual([]);
      expect(await assignedTo(w.staffId)).toEqual([]);
      expect((await w.staff.get('/api/v1/clients')).body).toMatchObject({ items: [], total: 0 });
      const actions = (await activity(w.firm.id))
        .map((l: { action: string }) => l.action)
        .filter((a: string) => a.startsWith('client.'));
      expect(actions).toEqual(['client.assigned', 'client.unassigned', 'client.unassigned']);
    });

    it('treats an upper-case UUID as the same client: no spurious log rows', async () => {
      const w = await world();
      const [alpha] = w.firm.clients;
      const r = await w.admin.put(`${T}/${w.staffId}/clients`, { clientIds: [alpha.id.toUpperCase()] });
      expect(r.status).toBe(200);
      expect(r.body.assignedClients).toEqual([{ id: alpha.id, name: 'Alpha Bakery' }]);
      const actions = (await activity(w.firm.id))
        .map((l: { action: string }) => l.action)
        .filter((a: string) => a.startsWith('client.'));
      expect(actions).toEqual([]);
    });

    it("refuses another firm's client or an unknown id with 400 UNKNOWN_CLIENTS, changing nothing", async () => {
      const w = await world();
      const before = await firmState(w.firm.id);
      const stranger = randomUUID();
      const r = await w.admin.put(`${T}/${w.staffId}/clients`, {
        clientIds: [w.firm.clients[1].id, w.other.clients[0].id, stranger],
      });
      expectError(r, 400, 'UNKNOWN_CLIENTS');
      expect(r.body.details.unknownClientIds.sort()).toEqual([w.other.clients[0].id, stranger].sort());
      expect(await firmState(w.firm.id)).toEqual(before);
      expect(await assignedTo(w.staffId)).toEqual([w.firm.clients[0].id]);
      expect(
        await ctx.db.query(`SELECT 1 FROM client_assignments WHERE client_id = $1`, [w.other.clients[0].id]),
      ).toEqual([]);
    });

    it('refuses malformed input with 400, and a malformed or unknown id with 404, changing nothing', async () => {
      const w = await world();
      const url = `${T}/${w.staffId}/clients`;
      const before = await firmState(w.firm.id);
      const cases: [unknown, string | null][] = [
        [{}, 'clientIds'],
        [{ clientIds: null }, 'clientIds'],
        [{ clientIds: w.firm.clients[1].id }, 'clientIds'],
        [{ clientIds: ['not-a-uuid'] }, 'clientIds'],
        [{ clientIds: [w.firm.clients[1].id, 3] }, 'clientIds'],
        [{ clientIds: Array.from({ length: 5001 }, () => randomUUID()) }, 'clientIds'],
        [{ clientIds: [], userIds: [] }, 'userIds'],
        [[w.firm.clients[1].id], null],
      ];
      for (const [body, field] of cases) {
        const r = await w.admin.put(url, body);
        const shown = JSON.stringify(body).slice(0, 80);
        expect({ shown, status: r.status, code: r.body.code }).toEqual({
          shown,
          status: 400,
          code: 'VALIDATION_FAILED',
        });
        if (field)
          expect(r.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
      }
      expectError(await w.admin.put(url, undefined), 400, 'VALIDATION_FAILED');
      expectError(
        await w.admin.request('PUT', url, {
          rawBody: '{"clientIds":[',
          headers: { 'content-type': 'application/json' },
        }),
        400,
        'INVALID_JSON',
      );
      expectError(await w.admin.put(`${T}/not-a-uuid/clients`, { clientIds: [] }), 404, 'NOT_FOUND');
      expectError(
        await w.admin.put(`${T}/${randomUUID()}/clients`, { clientIds: [] }),
        404,
        'MEMBER_NOT_FOUND',
      );
      expect(await firmState(w.firm.id)).toEqual(before);
    });
  });

  describe('tenant isolation', () => {
    let w: World;
    beforeAll(async () => {
      w = await world();
    });

    type Endpoint = { name: string; call: (a: Agent, userId: string) => Promise<Res> };
    const endpoints: Endpoint[] = [
      { name: 'POST /team/:userId/invitation', call: (a, id) => a.post(`${T}/${id}/invitation`) },
      { name: 'PATCH /team/:userId', call: (a, id) => a.patch(`${T}/${id}`, { role: 'admin' }) },
      { name: 'DELETE /team/:userId', call: (a, id) => a.delete(`${T}/${id}`) },
      { name: 'PUT /team/:userId/clients', call: (a, id) => a.put(`${T}/${id}/clients`, { clientIds: [] }) },
    ];
    const both = async () => ({ firm: await firmState(w.firm.id), other: await firmState(w.other.id) });

    it.each(endpoints)(
      "$name: another firm's admin gets 404 MEMBER_NOT_FOUND for this firm's people, and nothing changes",
      async (e) => {
        const before = await both();
        for (const id of [w.invitedId, w.staffId, w.firm.admin.id])
          expectError(await e.call(w.otherAdmin, id), 404, 'MEMBER_NOT_FOUND');
        expect(await both()).toEqual(before);
      },
    );

    it.each(endpoints)(
      '$name: staff get 403 ADMIN_ONLY whatever the id (no existence oracle), and nothing changes',
      async (e) => {
        const before = await both();
        const answers = [];
        for (const id of [
          w.invitedId,
          w.staffId,
          w.firm.admin.id,
          w.other.admin.id,
          randomUUID(),
          'not-a-uuid',
        ]) {
          const r = await e.call(w.staff, id);
          answers.push({ status: r.status, body: r.body });
        }
        expect(answers[0]).toEqual({
          status: 403,
          body: { statusCode: 403, code: 'ADMIN_ONLY', message: expect.any(String) },
        });
        for (const a of answers) expect(a).toEqual(answers[0]);
        expect(await both()).toEqual(before);
      },
    );

    it.each(endpoints)('$name: a signed-out caller gets 401, and nothing changes', async (e) => {
      const before = await both();
      expectError(await e.call(w.anon, w.staffId), 401, 'UNAUTHENTICATED');
      expectError(await e.call(w.anon, 'not-a-uuid'), 401, 'UNAUTHENTICATED');
      expect(await both()).toEqual(before);
    });
  });
});

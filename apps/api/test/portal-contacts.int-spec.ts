import { randomUUID } from 'node:crypto';
import {
  expectError,
  inviteContact,
  portalSignIn,
  TestContext,
  type Agent,
  type Res,
  type TestFirm,
} from './harness';

const cc = (clientId: string) => `/api/v1/clients/${clientId}/contacts`;
const SESSION = '/api/v1/portal/auth/session';
const INSPECT = (token: string) => `/api/v1/portal/auth/sign-in-link/${token}`;

interface ContactDto {
  id: string;
  name: string;
  email: string;
  title: string | null;
  role: 'owner' | 'member';
  primary: boolean;
  status: 'invited' | 'active' | 'deactivated';
  invitedAt: string;
  lastInvitedAt: string;
  lastSignInAt: string | null;
  deactivatedAt: string | null;
}

describe('portal contacts in the console: invite, list, edit, deactivate, reactivate, resend (T7)', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    // Link requests are counted per IP in Redis, shared by every test file of the run.
    ctx = await TestContext.start({ LINK_REQUESTS_PER_IP: '100000' });
  });
  afterAll(() => ctx.close());

  const newEmail = (p = 'contact') => `${ctx.unique(p)}@business.test`;

  /** Everything a contacts request could change for a firm: compared before and after refused requests. */
  const firmState = async (firmId: string) => ({
    memberships: await ctx.db.query(
      `SELECT id, contact_id, client_id, name, title, role, is_primary, status, last_invited_at, activated_at, deactivated_at, updated_at
         FROM client_contacts WHERE firm_id = $1 ORDER BY id`,
      [firmId],
    ),
    people: (await ctx.db.query(`SELECT count(*)::int AS n FROM contacts`))[0].n,
    tokens: await ctx.db.query(
      `SELECT t.id, t.used_at, t.superseded_at FROM contact_tokens t JOIN clients c ON c.id = t.client_id
        WHERE c.firm_id = $1 ORDER BY t.id`,
      [firmId],
    ),
    sessions: await ctx.db.query(
      `SELECT s.id FROM contact_sessions s
        WHERE s.contact_id IN (SELECT contact_id FROM client_contacts WHERE firm_id = $1) ORDER BY s.id`,
      [firmId],
    ),
    emails: await ctx.db.query(`SELECT id FROM outbound_emails WHERE firm_id = $1 ORDER BY id`, [firmId]),
    log: await ctx.db.query(`SELECT id, action FROM activity_log WHERE firm_id = $1 ORDER BY id`, [firmId]),
  });

  const activity = (firmId: string) =>
    ctx.db.query(
      `SELECT action, summary, actor_user_id, actor_name, client_id, client_name, target_type, target_id
         FROM activity_log WHERE firm_id = $1 ORDER BY id`,
      [firmId],
    );
  const membership = async (id: string) =>
    (await ctx.db.query(`SELECT * FROM client_contacts WHERE id = $1`, [id]))[0];
  const personByEmail = async (email: string) =>
    (await ctx.db.query(`SELECT * FROM contacts WHERE email = $1`, [email]))[0];
  const emailsTo = async (to: string): Promise<number> =>
    (await ctx.db.query(`SELECT count(*)::int AS n FROM outbound_emails WHERE to_address = $1`, [to]))[0].n;
  const names = (r: Res) => (r.body.items as ContactDto[]).map((c) => c.name);

  interface World {
    firm: TestFirm;
    other: TestFirm;
    admin: Agent;
    /** staff assigned to alpha */
    staff: Agent;
    /** staff assigned to nothing */
    outsider: Agent;
    otherAdmin: Agent;
    /** a contact of beta (another client of the same firm), holding only the lp_portal cookie */
    portal: Agent;
    anon: Agent;
    alpha: { id: string; name: string };
    beta: { id: string; name: string };
    archived: { id: string; name: string };
    /** invited at alpha (the primary contact) */
    maria: ContactDto;
    /** invited at alpha, then deactivated */
    gone: ContactDto;
  }

  const world = async (): Promise<World> => {
    const firm = await ctx.newFirm({ clients: ['Alpha Bakery', 'Beta Builders', 'Gamma Garage'] });
    const other = await ctx.newFirm({ clients: ['Omega Oils'] });
    const [alpha, beta, archived] = firm.clients;
    await ctx.db.query(`UPDATE clients SET status = 'archived', archived_at = now() WHERE id = $1`, [
      archived.id,
    ]);
    const admin = await ctx.signIn(firm.admin.email);
    const s = await ctx.newStaff(firm, [alpha.id, archived.id]);
    const o = await ctx.newStaff(firm, []);
    const maria = (
      await inviteContact(ctx, admin, alpha.id, { name: 'Maria Lopez', email: newEmail('maria') })
    ).contact;
    const gone = (await inviteContact(ctx, admin, alpha.id, { name: 'Gus Gone', email: newEmail('gus') }))
      .contact;
    expect((await admin.post(`${cc(alpha.id)}/${gone.id}/deactivate`)).status).toBe(200);
    const betaInvite = await inviteContact(ctx, admin, beta.id, { name: 'Bea Beta', email: newEmail('bea') });
    const { agent: portal } = await portalSignIn(ctx, betaInvite.token);
    expect(Object.keys(portal.cookies)).toEqual(['lp_portal']);
    return {
      firm,
      other,
      admin,
      staff: await ctx.signIn(s.email),
      outsider: await ctx.signIn(o.email),
      otherAdmin: await ctx.signIn(other.admin.email),
      portal,
      anon: ctx.agent(),
      alpha,
      beta,
      archived,
      maria,
      gone,
    };
  };

  describe('POST /clients/:clientId/contacts (invite)', () => {
    it('invites a person: 201, email normalised to lower case, the first contact primary, an email with the portal name, business and sign-in link, and contact.invited logged', async () => {
      const firm = await ctx.newFirm({ clients: ['Alpha Bakery'] });
      const [alpha] = firm.clients;
      await ctx.db.query(`UPDATE firms SET portal_name = 'Alpha Client Hub' WHERE id = $1`, [firm.id]);
      const admin = await ctx.signIn(firm.admin.email);
      const local = ctx.unique('Maria.Lopez');
      const typed = `  ${local}@Acme.TEST `;
      const email = `${local}@acme.test`.toLowerCase();

      const res = await admin.post(cc(alpha.id), {
        name: '  Maria Lopez ',
        email: typed,
        title: ' Owner ',
        role: 'owner',
      });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        contactId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        name: 'Maria Lopez',
        email,
        title: 'Owner',
        role: 'owner',
        primary: true,
        status: 'invited',
        invitedAt: expect.any(String),
        lastInvitedAt: expect.any(String),
        lastSignInAt: null,
        deactivatedAt: null,
      });
      const person = await personByEmail(email);
      expect(person).toMatchObject({ email, password_hash: null });
      expect(res.body.contactId).toBe(person.id);
      expect(await membership(res.body.id)).toMatchObject({
        firm_id: firm.id,
        client_id: alpha.id,
        contact_id: person.id,
        name: 'Maria Lopez',
        title: 'Owner',
        role: 'owner',
        is_primary: true,
        status: 'invited',
        invited_by: firm.admin.id,
      });

      expect(await emailsTo(email)).toBe(1);
      const mail = await ctx.lastEmail(email);
      expect(mail.subject).toBe('Alpha Client Hub: your client portal for Alpha Bakery');
      expect(mail.text).toContain('Hello Maria Lopez,');
      expect(mail.text).toContain('Admin Person invited you to Alpha Client Hub');
      expect(mail.text).toContain("Alpha Bakery's books");
      expect(mail.link).toMatch(
        new RegExp(`^https?://[^/]+/portal/${firm.slug}/sign-in-link\\?token=[A-Za-z0-9_-]+$`),
      );
      const token = new URL(mail.link as string).searchParams.get('token') as string;
      const info = await ctx.agent().get(INSPECT(token));
      expect(info.status).toBe(200);
      expect(info.body).toEqual({
        email,
        businessName: 'Alpha Bakery',
        firmName: 'Alpha Client Hub',
        firmSlug: firm.slug,
      });
      const { session } = await portalSignIn(ctx, token);
      expect(session.businesses.map((b: { id: string }) => b.id)).toEqual([alpha.id]);

      expect((await activity(firm.id))[0]).toEqual({
        action: 'contact.invited',
        summary: `Invited Maria Lopez (${email}) to Alpha Bakery's portal`,
        actor_user_id: firm.admin.id,
        actor_name: 'Admin Person',
        client_id: alpha.id,
        client_name: 'Alpha Bakery',
        target_type: 'contact',
        target_id: person.id,
      });
    });

    it('uses the firm name when there is no portal name; later contacts are members, not primary, and a blank title is stored as null', async () => {
      const firm = await ctx.newFirm({ clients: ['Alpha Bakery'] });
      const [alpha] = firm.clients;
      const admin = await ctx.signIn(firm.admin.email);
      const first = await inviteContact(ctx, admin, alpha.id, {
        name: 'First Person',
        email: newEmail('first'),
      });
      expect(first.contact).toMatchObject({ primary: true, role: 'member', title: null });
      const emailB = newEmail('second');
      const second = await admin.post(cc(alpha.id), { name: 'Second Person', email: emailB, title: '   ' });
      expect(second.status).toBe(201);
      expect(second.body).toMatchObject({ primary: false, role: 'member', title: null, status: 'invited' });
      expect((await ctx.lastEmail(emailB)).subject).toBe(`${firm.name}: your client portal for Alpha Bakery`);
      const primaries = await ctx.db.query(
        `SELECT name FROM client_contacts WHERE client_id = $1 AND is_primary`,
        [alpha.id],
      );
      expect(primaries).toEqual([{ name: 'First Person' }]);
    });

    it('lets staff assigned to the client invite, and shares one person across clients and firms', async () => {
      const w = await world();
      const email = newEmail('shared');
      const byStaff = await w.staff.post(cc(w.alpha.id), { name: 'Sam Shared', email });
      expect(byStaff.status).toBe(201);
      const atBeta = await w.admin.post(cc(w.beta.id), { name: 'Samuel Shared', email: email.toUpperCase() });
      expect(atBeta.status).toBe(201);
      expect(atBeta.body).toMatchObject({ name: 'Samuel Shared', email, primary: false });
      const atOther = await w.otherAdmin.post(cc(w.other.clients[0].id), { name: 'S. Shared', email });
      expect(atOther.status).toBe(201);
      const people = await ctx.db.query(`SELECT id FROM contacts WHERE email = $1`, [email]);
      expect(people).toHaveLength(1);
      const rows = await ctx.db.query(
        `SELECT firm_id, name FROM client_contacts WHERE contact_id = $1 ORDER BY name`,
        [people[0].id],
      );
      expect(rows).toEqual([
        { firm_id: w.other.id, name: 'S. Shared' },
        { firm_id: w.firm.id, name: 'Sam Shared' },
        { firm_id: w.firm.id, name: 'Samuel Shared' },
      ]);
      expect(await emailsTo(email)).toBe(3);
    });

    it('refuses a person already added, in any letter case and also when deactivated: 409 CONTACT_ALREADY_ADDED, nothing written, nobody mailed', async () => {
      const w = await world();
      const before = await firmState(w.firm.id);
      const mails = [await emailsTo(w.maria.email), await emailsTo(w.gone.email)];
      for (const email of [w.maria.email, ` ${w.maria.email.toUpperCase()} `, w.gone.email]) {
        const r = await w.admin.post(cc(w.alpha.id), { name: 'Again', email });
        expectError(r, 409, 'CONTACT_ALREADY_ADDED');
        expect(r.body.details).toEqual([expect.objectContaining({ field: 'email' })]);
      }
      const deactivated = await w.admin.post(cc(w.alpha.id), { name: 'Again', email: w.gone.email });
      expect(deactivated.body.message).toMatch(/deactivated/i);
      expect(await firmState(w.firm.id)).toEqual(before);
      expect([await emailsTo(w.maria.email), await emailsTo(w.gone.email)]).toEqual(mails);
    });

    it('refuses an archived client with 409 CLIENT_NOT_ACTIVE, creating no person and sending nothing', async () => {
      const w = await world();
      const email = newEmail('archived');
      const before = await firmState(w.firm.id);
      expectError(
        await w.admin.post(cc(w.archived.id), { name: 'Arch Ive', email }),
        409,
        'CLIENT_NOT_ACTIVE',
      );
      expectError(
        await w.staff.post(cc(w.archived.id), { name: 'Arch Ive', email }),
        409,
        'CLIENT_NOT_ACTIVE',
      );
      expect(await firmState(w.firm.id)).toEqual(before);
      expect(await personByEmail(email)).toBeUndefined();
      expect(await emailsTo(email)).toBe(0);
    });

    it('refuses malformed input with 400 VALIDATION_FAILED naming the field, writing nothing and mailing nobody', async () => {
      const w = await world();
      const email = newEmail('bad');
      const ok = { name: 'Dee Valid', email };
      const before = await firmState(w.firm.id);
      const cases: [unknown, string | null][] = [
        [{}, 'name'],
        [{ email }, 'name'],
        [{ ...ok, name: '' }, 'name'],
        [{ ...ok, name: '   ' }, 'name'],
        [{ ...ok, name: 'n'.repeat(121) }, 'name'],
        [{ ...ok, name: 7 }, 'name'],
        [{ ...ok, name: null }, 'name'],
        [{ name: 'Dee' }, 'email'],
        [{ ...ok, email: 'not-an-email' }, 'email'],
        [{ ...ok, email: 'dee@' }, 'email'],
        [{ ...ok, email: `${'e'.repeat(250)}@business.test` }, 'email'],
        [{ ...ok, email: 12 }, 'email'],
        [{ ...ok, email: [email] }, 'email'],
        [{ ...ok, role: 'boss' }, 'role'],
        [{ ...ok, role: 'Owner' }, 'role'],
        [{ ...ok, title: 't'.repeat(81) }, 'title'],
        [{ ...ok, title: 42 }, 'title'],
        [{ ...ok, primary: true }, 'primary'],
        [{ ...ok, status: 'active' }, 'status'],
        [{ ...ok, firmId: w.other.id }, 'firmId'],
        [{ ...ok, password: 'pre-set-password' }, 'password'],
        [[ok], null],
        ['Dee Valid', null],
      ];
      for (const [body, field] of cases) {
        const r = await w.admin.post(cc(w.alpha.id), body);
        const shown = JSON.stringify(body).slice(0, 80);
        expect({ shown, status: r.status, code: r.body.code }).toEqual({
          shown,
          status: 400,
          code: 'VALIDATION_FAILED',
        });
        if (field)
          expect(r.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
      }
      expectError(await w.admin.post(cc(w.alpha.id), undefined), 400, 'VALIDATION_FAILED');
      expect(await firmState(w.firm.id)).toEqual(before);
      expect(await emailsTo(email)).toBe(0);
      expect(await personByEmail(email)).toBeUndefined();
      // the limits themselves are fine
      const atLimits = await w.admin.post(cc(w.beta.id), {
        name: 'N'.repeat(120),
        email: newEmail('long'),
        title: 't'.repeat(80),
      });
      expect(atLimits.status).toBe(201);
    });

    it('answers 404 for a malformed or unknown client id, writing nothing', async () => {
      const w = await world();
      const before = await firmState(w.firm.id);
      for (const bad of ['not-a-uuid', '123', `${w.alpha.id}x`]) {
        const r = await w.admin.post(cc(encodeURIComponent(bad)), { name: 'Dee', email: newEmail() });
        expectError(r, 404, 'NOT_FOUND');
      }
      expectError(
        await w.admin.post(cc(randomUUID()), { name: 'Dee', email: newEmail() }),
        404,
        'CLIENT_NOT_FOUND',
      );
      expect(await firmState(w.firm.id)).toEqual(before);
    });
  });

  describe('GET /clients/:clientId/contacts', () => {
    it('lists the primary contact first, then by name regardless of case, deactivated people last, with every field', async () => {
      const firm = await ctx.newFirm({ clients: ['Alpha Bakery', 'Beta Builders'] });
      const [alpha, beta] = firm.clients;
      const admin = await ctx.signIn(firm.admin.email);
      const ids: Record<string, string> = {};
      for (const name of ['zoe Zimmer', 'Dan Dale', 'bea Brown', 'Adam Ames', 'Carl Cole']) {
        ids[name] = (await inviteContact(ctx, admin, alpha.id, { name, email: newEmail('l') })).contact.id;
      }
      await inviteContact(ctx, admin, beta.id, { name: 'Elsewhere Eve', email: newEmail('eve') });
      await admin.post(`${cc(alpha.id)}/${ids['bea Brown']}/deactivate`);
      const res = await admin.get(cc(alpha.id));
      expect(res.status).toBe(200);
      expect(names(res)).toEqual(['zoe Zimmer', 'Adam Ames', 'Carl Cole', 'Dan Dale', 'bea Brown']);
      expect(res.body.items[0]).toEqual({
        id: ids['zoe Zimmer'],
        contactId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        name: 'zoe Zimmer',
        email: expect.stringMatching(/@business\.test$/),
        title: null,
        role: 'member',
        primary: true,
        status: 'invited',
        invitedAt: expect.any(String),
        lastInvitedAt: expect.any(String),
        lastSignInAt: null,
        deactivatedAt: null,
      });
      expect(res.body.items[4]).toMatchObject({
        status: 'deactivated',
        deactivatedAt: expect.any(String),
        primary: false,
      });

      await admin.patch(`${cc(alpha.id)}/${ids['Carl Cole']}`, { primary: true });
      expect(names(await admin.get(cc(alpha.id)))).toEqual([
        'Carl Cole',
        'Adam Ames',
        'Dan Dale',
        'zoe Zimmer',
        'bea Brown',
      ]);
      expect(names(await admin.get(cc(beta.id)))).toEqual(['Elsewhere Eve']);
    });

    it('gives staff assigned to the client the same list, and an empty list for a client with no contacts', async () => {
      const w = await world();
      const byAdmin = await w.admin.get(cc(w.alpha.id));
      const byStaff = await w.staff.get(cc(w.alpha.id));
      expect(byStaff.status).toBe(200);
      expect(byStaff.body).toEqual(byAdmin.body);
      expect(names(byStaff)).toEqual(['Maria Lopez', 'Gus Gone']);
      const empty = await w.staff.get(cc(w.archived.id));
      expect(empty.status).toBe(200);
      expect(empty.body).toEqual({ items: [] });
      expectError(await w.admin.get(cc('nope')), 404, 'NOT_FOUND');
      expectError(await w.admin.get(cc(randomUUID())), 404, 'CLIENT_NOT_FOUND');
    });
  });

  describe('PATCH /clients/:clientId/contacts/:contactId', () => {
    it('changes name, title and role, logs contact.updated once with what changed, and nothing when nothing changes', async () => {
      const w = await world();
      const url = `${cc(w.alpha.id)}/${w.maria.id}`;
      const logBefore = (await activity(w.firm.id)).length;
      const r = await w.staff.patch(url, { name: ' Maria L. Lopez ', title: 'CFO', role: 'owner' });
      expect(r.status).toBe(200);
      expect(r.body).toEqual({ ...w.maria, name: 'Maria L. Lopez', title: 'CFO', role: 'owner' });
      expect(await membership(w.maria.id)).toMatchObject({
        name: 'Maria L. Lopez',
        title: 'CFO',
        role: 'owner',
      });
      const log = await activity(w.firm.id);
      expect(log.slice(logBefore)).toEqual([
        expect.objectContaining({
          action: 'contact.updated',
          summary:
            'Updated Maria L. Lopez of Alpha Bakery: name to Maria L. Lopez, title to CFO, made them an owner',
          client_id: w.alpha.id,
          target_type: 'contact',
          target_id: (await membership(w.maria.id)).contact_id,
        }),
      ]);

      const cleared = await w.admin.patch(url, { title: null, role: 'member' });
      expect(cleared.body).toMatchObject({ title: null, role: 'member' });
      expect((await activity(w.firm.id)).at(-1).summary).toBe(
        'Updated Maria L. Lopez of Alpha Bakery: cleared the title, made them a member (not an owner)',
      );
      const n = (await activity(w.firm.id)).length;
      for (const body of [
        {},
        { name: 'Maria L. Lopez' },
        { title: '' },
        { role: 'member' },
        { primary: true },
      ]) {
        const same = await w.admin.patch(url, body);
        expect(same.status).toBe(200);
        expect(same.body).toMatchObject({
          name: 'Maria L. Lopez',
          title: null,
          role: 'member',
          primary: true,
        });
      }
      expect(await activity(w.firm.id)).toHaveLength(n);
    });

    it('makes another contact primary and unmarks the previous one', async () => {
      const w = await world();
      const ned = (
        await inviteContact(ctx, w.admin, w.alpha.id, { name: 'Ned North', email: newEmail('ned') })
      ).contact;
      expect(ned.primary).toBe(false);
      const r = await w.admin.patch(`${cc(w.alpha.id)}/${ned.id}`, { primary: true });
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ id: ned.id, primary: true });
      const list = (await w.admin.get(cc(w.alpha.id))).body.items as ContactDto[];
      expect(list.map((c) => [c.name, c.primary])).toEqual([
        ['Ned North', true],
        ['Maria Lopez', false],
        ['Gus Gone', false],
      ]);
      const primaries = await ctx.db.query(
        `SELECT id FROM client_contacts WHERE client_id = $1 AND is_primary`,
        [w.alpha.id],
      );
      expect(primaries).toEqual([{ id: ned.id }]);
      expect((await activity(w.firm.id)).at(-1)).toMatchObject({
        action: 'contact.updated',
        summary: 'Updated Ned North of Alpha Bakery: made them the primary contact',
      });
      const back = await w.admin.patch(`${cc(w.alpha.id)}/${w.maria.id}`, { primary: true });
      expect(back.body.primary).toBe(true);
      expect((await membership(ned.id)).is_primary).toBe(false);
    });

    it('keeps a deactivated person from becoming the primary contact (409 CONTACT_DEACTIVATED), changing nothing', async () => {
      // Deactivating clears "primary"; making a deactivated person primary again would leave the
      // client with nobody active to send questions to.
      const w = await world();
      const before = await firmState(w.firm.id);
      expectError(
        await w.admin.patch(`${cc(w.alpha.id)}/${w.gone.id}`, { primary: true }),
        409,
        'CONTACT_DEACTIVATED',
      );
      expect(await firmState(w.firm.id)).toEqual(before);
      expect((await membership(w.maria.id)).is_primary).toBe(true);
    });

    it('refuses malformed input with 400 VALIDATION_FAILED naming the field, changing nothing', async () => {
      const w = await world();
      const url = `${cc(w.alpha.id)}/${w.maria.id}`;
      const before = await firmState(w.firm.id);
      const cases: [unknown, string | null][] = [
        [{ name: '' }, 'name'],
        [{ name: '   ' }, 'name'],
        [{ name: 'n'.repeat(121) }, 'name'],
        [{ name: 5 }, 'name'],
        [{ title: 't'.repeat(81) }, 'title'],
        [{ title: 3 }, 'title'],
        [{ role: 'boss' }, 'role'],
        [{ role: 'OWNER' }, 'role'],
        [{ primary: false }, 'primary'],
        [{ primary: 'true' }, 'primary'],
        [{ primary: 1 }, 'primary'],
        [{ email: 'new@business.test' }, 'email'],
        [{ status: 'active' }, 'status'],
        [{ clientId: w.beta.id }, 'clientId'],
        [[{ name: 'x' }], null],
      ];
      for (const [body, field] of cases) {
        const r = await w.admin.patch(url, body);
        const shown = JSON.stringify(body).slice(0, 80);
        expect({ shown, status: r.status, code: r.body.code }).toEqual({
          shown,
          status: 400,
          code: 'VALIDATION_FAILED',
        });
        if (field)
          expect(r.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
      }
      expect(await firmState(w.firm.id)).toEqual(before);
    });

    it('answers 404 for a malformed id, an unknown contact, and a contact of another client of the firm, changing nothing', async () => {
      const w = await world();
      const bea = (await w.admin.get(cc(w.beta.id))).body.items[0] as ContactDto;
      const before = await firmState(w.firm.id);
      expectError(await w.admin.patch(`${cc(w.alpha.id)}/not-a-uuid`, { name: 'X' }), 404, 'NOT_FOUND');
      expectError(await w.admin.patch(`${cc('not-a-uuid')}/${w.maria.id}`, { name: 'X' }), 404, 'NOT_FOUND');
      expectError(
        await w.admin.patch(`${cc(w.alpha.id)}/${randomUUID()}`, { name: 'X' }),
        404,
        'CONTACT_NOT_FOUND',
      );
      expectError(
        await w.admin.patch(`${cc(w.alpha.id)}/${bea.id}`, { name: 'X', primary: true }),
        404,
        'CONTACT_NOT_FOUND',
      );
      expectError(
        await w.admin.patch(`${cc(randomUUID())}/${w.maria.id}`, { name: 'X' }),
        404,
        'CLIENT_NOT_FOUND',
      );
      expect(await firmState(w.firm.id)).toEqual(before);
    });
  });

  describe('POST .../deactivate and .../reactivate', () => {
    it('deactivates: status, date, no longer primary, contact.deactivated logged; a signed-in contact with no other business is signed out', async () => {
      const firm = await ctx.newFirm({ clients: ['Alpha Bakery'] });
      const [alpha] = firm.clients;
      const admin = await ctx.signIn(firm.admin.email);
      const email = newEmail('tom');
      const tom = await inviteContact(ctx, admin, alpha.id, { name: 'Tom Tanner', email });
      const { agent } = await portalSignIn(ctx, tom.token);
      expect((await agent.get(SESSION)).status).toBe(200);
      const contactId = (await personByEmail(email)).id;

      const r = await admin.post(`${cc(alpha.id)}/${tom.contact.id}/deactivate`);
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({
        id: tom.contact.id,
        status: 'deactivated',
        primary: false,
        deactivatedAt: expect.any(String),
        lastSignInAt: expect.any(String),
      });
      expect(await membership(tom.contact.id)).toMatchObject({ status: 'deactivated', is_primary: false });
      expectError(await agent.get(SESSION), 401, 'UNAUTHENTICATED');
      expect(
        await ctx.db.query(`SELECT id FROM contact_sessions WHERE contact_id = $1`, [contactId]),
      ).toEqual([]);
      expect((await activity(firm.id)).at(-1)).toEqual({
        action: 'contact.deactivated',
        summary: "Deactivated Tom Tanner's portal access to Alpha Bakery and signed them out",
        actor_user_id: firm.admin.id,
        actor_name: 'Admin Person',
        client_id: alpha.id,
        client_name: 'Alpha Bakery',
        target_type: 'contact',
        target_id: contactId,
      });

      const n = (await activity(firm.id)).length;
      const again = await admin.post(`${cc(alpha.id)}/${tom.contact.id}/deactivate`);
      expect(again.status).toBe(200);
      expect(again.body).toEqual(r.body);
      expect(await activity(firm.id)).toHaveLength(n);
    });

    it('a person also at another business keeps their session but loses the deactivated business (the current one falls back)', async () => {
      const w = await world();
      const email = newEmail('una');
      const atAlpha = await inviteContact(ctx, w.admin, w.alpha.id, { name: 'Una Alpha', email });
      const { agent } = await portalSignIn(ctx, atAlpha.token);
      await inviteContact(ctx, w.otherAdmin, w.other.clients[0].id, { name: 'Una Omega', email });
      await inviteContact(ctx, w.admin, w.beta.id, { name: 'Una Beta', email });
      const before = await agent.get(SESSION);
      expect(before.body.currentBusinessId).toBe(w.alpha.id);
      expect(before.body.businesses.map((b: { id: string }) => b.id)).toEqual([
        w.alpha.id,
        w.beta.id,
        w.other.clients[0].id,
      ]);

      const r = await w.admin.post(`${cc(w.alpha.id)}/${atAlpha.contact.id}/deactivate`);
      expect(r.status).toBe(200);
      const after = await agent.get(SESSION);
      expect(after.status).toBe(200);
      expect(after.body.businesses.map((b: { id: string }) => b.id)).toEqual([
        w.beta.id,
        w.other.clients[0].id,
      ]);
      expect(after.body.currentBusinessId).toBe(w.beta.id);
      expect(after.body.contact.name).toBe('Una Beta');
      expect((await activity(w.firm.id)).at(-1).summary).toBe(
        "Deactivated Una Alpha's portal access to Alpha Bakery",
      );
      const contactId = (await personByEmail(email)).id;
      expect(
        await ctx.db.query(`SELECT id FROM contact_sessions WHERE contact_id = $1`, [contactId]),
      ).toHaveLength(1);
      expectError(
        await agent.put(`${SESSION}/business`, { businessId: w.alpha.id }),
        404,
        'BUSINESS_NOT_FOUND',
      );
    });

    it('makes the invitation link of a deactivated person stop working', async () => {
      const w = await world();
      const vic = await inviteContact(ctx, w.admin, w.alpha.id, { name: 'Vic Void', email: newEmail('vic') });
      await w.admin.post(`${cc(w.alpha.id)}/${vic.contact.id}/deactivate`);
      expectError(await ctx.agent().get(INSPECT(vic.token)), 404, 'LINK_INVALID');
      expectError(
        await ctx.agent().post('/api/v1/portal/auth/sign-in-link/sign-in', { token: vic.token }),
        404,
        'LINK_INVALID',
      );
    });

    it('reactivates: invited again if never signed in, active if they had; contact.reactivated logged; an active contact answers 409 CONTACT_ALREADY_ACTIVE', async () => {
      const w = await world();
      const r = await w.staff.post(`${cc(w.alpha.id)}/${w.gone.id}/reactivate`);
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ id: w.gone.id, status: 'invited', deactivatedAt: null, primary: false });
      expect(await membership(w.gone.id)).toMatchObject({ status: 'invited', deactivated_at: null });
      expect((await activity(w.firm.id)).at(-1)).toMatchObject({
        action: 'contact.reactivated',
        summary: "Reactivated Gus Gone's portal access to Alpha Bakery",
        client_id: w.alpha.id,
        target_type: 'contact',
      });

      const ida = await inviteContact(ctx, w.admin, w.alpha.id, {
        name: 'Ida Active',
        email: newEmail('ida'),
      });
      await portalSignIn(ctx, ida.token);
      await w.admin.post(`${cc(w.alpha.id)}/${ida.contact.id}/deactivate`);
      const back = await w.admin.post(`${cc(w.alpha.id)}/${ida.contact.id}/reactivate`);
      expect(back.body).toMatchObject({ status: 'active', deactivatedAt: null });

      const before = await firmState(w.firm.id);
      expectError(
        await w.admin.post(`${cc(w.alpha.id)}/${w.maria.id}/reactivate`),
        409,
        'CONTACT_ALREADY_ACTIVE',
      );
      expectError(
        await w.admin.post(`${cc(w.alpha.id)}/${ida.contact.id}/reactivate`),
        409,
        'CONTACT_ALREADY_ACTIVE',
      );
      expect(await firmState(w.firm.id)).toEqual(before);
    });

    it('answers 404 for malformed and unknown ids', async () => {
      const w = await world();
      const before = await firmState(w.firm.id);
      for (const action of ['deactivate', 'reactivate']) {
        expectError(await w.admin.post(`${cc(w.alpha.id)}/nope/${action}`), 404, 'NOT_FOUND');
        expectError(
          await w.admin.post(`${cc(w.alpha.id)}/${randomUUID()}/${action}`),
          404,
          'CONTACT_NOT_FOUND',
        );
        expectError(await w.admin.post(`${cc(w.beta.id)}/${w.maria.id}/${action}`), 404, 'CONTACT_NOT_FOUND');
      }
      expect(await firmState(w.firm.id)).toEqual(before);
    });
  });

  describe('POST .../resend-invitation', () => {
    it('sends a new link that works; the older link answers 410 LINK_SUPERSEDED; lastInvitedAt moves; logged', async () => {
      const w = await world();
      const email = newEmail('rita');
      const first = await inviteContact(ctx, w.admin, w.alpha.id, { name: 'Rita Resend', email });
      const r = await w.staff.post(`${cc(w.alpha.id)}/${first.contact.id}/resend-invitation`);
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({
        id: first.contact.id,
        status: 'invited',
        invitedAt: first.contact.invitedAt,
      });
      expect(new Date(r.body.lastInvitedAt).getTime()).toBeGreaterThan(
        new Date(first.contact.lastInvitedAt).getTime(),
      );
      expect(await emailsTo(email)).toBe(2);
      const mail = await ctx.lastEmail(email);
      expect(mail.subject).toBe(`${w.firm.name}: your client portal for Alpha Bakery`);
      const token = new URL(mail.link as string).searchParams.get('token') as string;
      expect(token).not.toBe(first.token);

      const old = await ctx.agent().get(INSPECT(first.token));
      expectError(old, 410, 'LINK_SUPERSEDED');
      expect(old.body.details).toEqual({ firmSlug: w.firm.slug, email });
      expectError(
        await ctx.agent().post('/api/v1/portal/auth/sign-in-link/sign-in', { token: first.token }),
        410,
        'LINK_SUPERSEDED',
      );
      expect((await activity(w.firm.id)).at(-1)).toMatchObject({
        action: 'contact.invitation_resent',
        summary: "Sent Rita Resend a new invitation to Alpha Bakery's portal",
        actor_user_id: expect.any(String),
        client_id: w.alpha.id,
        target_type: 'contact',
        target_id: (await personByEmail(email)).id,
      });
      const { session } = await portalSignIn(ctx, token);
      expect(session.currentBusinessId).toBe(w.alpha.id);
    });

    it('refuses a deactivated contact with 409 CONTACT_DEACTIVATED, sending nothing', async () => {
      const w = await world();
      const before = await firmState(w.firm.id);
      const mails = await emailsTo(w.gone.email);
      expectError(
        await w.admin.post(`${cc(w.alpha.id)}/${w.gone.id}/resend-invitation`),
        409,
        'CONTACT_DEACTIVATED',
      );
      expect(await firmState(w.firm.id)).toEqual(before);
      expect(await emailsTo(w.gone.email)).toBe(mails);
      expectError(await w.admin.post(`${cc(w.alpha.id)}/not-a-uuid/resend-invitation`), 404, 'NOT_FOUND');
      expectError(
        await w.admin.post(`${cc(w.alpha.id)}/${randomUUID()}/resend-invitation`),
        404,
        'CONTACT_NOT_FOUND',
      );
    });
  });

  describe('tenant isolation and CSRF', () => {
    let w: World;
    beforeAll(async () => {
      w = await world();
    });

    type Endpoint = {
      name: string;
      write: boolean;
      call: (a: Agent, clientId: string, contactId: string, o?: { noCsrf?: boolean }) => Promise<Res>;
      /** the contact it is aimed at (reactivate needs a deactivated one) */
      target: (w: World) => ContactDto;
    };
    const endpoints: Endpoint[] = [
      { name: 'GET contacts', write: false, target: (x) => x.maria, call: (a, c) => a.get(cc(c)) },
      {
        name: 'POST contacts',
        write: true,
        target: (x) => x.maria,
        call: (a, c, _id, o) =>
          a.post(cc(c), { name: 'Intruder', email: 'intruder-isolation@evil.test', role: 'owner' }, o),
      },
      {
        name: 'PATCH contact',
        write: true,
        target: (x) => x.gone,
        call: (a, c, id, o) =>
          a.patch(`${cc(c)}/${id}`, { name: 'Hijacked', role: 'owner', primary: true }, o),
      },
      {
        name: 'POST deactivate',
        write: true,
        target: (x) => x.maria,
        call: (a, c, id, o) => a.post(`${cc(c)}/${id}/deactivate`, undefined, o),
      },
      {
        name: 'POST reactivate',
        write: true,
        target: (x) => x.gone,
        call: (a, c, id, o) => a.post(`${cc(c)}/${id}/reactivate`, undefined, o),
      },
      {
        name: 'POST resend-invitation',
        write: true,
        target: (x) => x.maria,
        call: (a, c, id, o) => a.post(`${cc(c)}/${id}/resend-invitation`, undefined, o),
      },
    ];
    const both = async () => ({ ours: await firmState(w.firm.id), theirs: await firmState(w.other.id) });

    it.each(endpoints)(
      "$name: another firm's admin gets 404, through our client or their own, and nothing changes",
      async (e) => {
        const before = await both();
        expectError(await e.call(w.otherAdmin, w.alpha.id, e.target(w).id), 404, 'CLIENT_NOT_FOUND');
        if (e.name !== 'GET contacts' && e.name !== 'POST contacts') {
          expectError(
            await e.call(w.otherAdmin, w.other.clients[0].id, e.target(w).id),
            404,
            'CONTACT_NOT_FOUND',
          );
        }
        expect(await both()).toEqual(before);
      },
    );

    it.each(endpoints)('$name: staff not assigned to the client get 404, and nothing changes', async (e) => {
      const before = await both();
      expectError(await e.call(w.outsider, w.alpha.id, e.target(w).id), 404, 'CLIENT_NOT_FOUND');
      expectError(await e.call(w.staff, w.beta.id, e.target(w).id), 404, 'CLIENT_NOT_FOUND');
      expect(await both()).toEqual(before);
    });

    it.each(endpoints)(
      '$name: a signed-in portal contact of another client (portal cookie only) gets 401, and nothing changes',
      async (e) => {
        const before = await both();
        expectError(await e.call(w.portal, w.alpha.id, e.target(w).id), 401, 'UNAUTHENTICATED');
        expectError(await e.call(w.portal, w.beta.id, e.target(w).id), 401, 'UNAUTHENTICATED');
        expect(await both()).toEqual(before);
        expect((await w.portal.get(SESSION)).status).toBe(200);
      },
    );

    it.each(endpoints)('$name: a signed-out caller gets 401, and nothing changes', async (e) => {
      const before = await both();
      expectError(await e.call(w.anon, w.alpha.id, e.target(w).id), 401, 'UNAUTHENTICATED');
      expectError(await e.call(w.anon, 'not-a-uuid', 'not-a-uuid'), 401, 'UNAUTHENTICATED');
      expect(await both()).toEqual(before);
    });

    it.each(endpoints.filter((e) => e.write))(
      '$name: without the x-csrf-token header gets 403 CSRF_TOKEN_INVALID, and nothing changes',
      async (e) => {
        const before = await both();
        expectError(
          await e.call(w.admin, w.alpha.id, e.target(w).id, { noCsrf: true }),
          403,
          'CSRF_TOKEN_INVALID',
        );
        expectError(
          await e.call(w.staff, w.alpha.id, e.target(w).id, { noCsrf: true }),
          403,
          'CSRF_TOKEN_INVALID',
        );
        const wrong = ctx.agent();
        wrong.cookies = { ...w.admin.cookies };
        wrong.csrf = w.portal.csrf;
        expectError(await e.call(wrong, w.alpha.id, e.target(w).id), 403, 'CSRF_TOKEN_INVALID');
        expect(await both()).toEqual(before);
      },
    );
  });

  it('has no movable clock without TEST_CLOCK', async () => {
    expectError(await ctx.agent().get('/api/v1/testing/clock'), 404, 'CLOCK_NOT_MOVABLE');
    expectError(await ctx.agent().put('/api/v1/testing/clock', { offsetMs: 1000 }), 404, 'CLOCK_NOT_MOVABLE');
  });
});

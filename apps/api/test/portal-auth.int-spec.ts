import { randomUUID } from 'node:crypto';
import {
  expectError,
  inviteContact,
  portalSignIn,
  setClock,
  TestContext,
  tokenFrom,
  type Agent,
  type Res,
  type TestFirm,
} from './harness';

const A = '/api/v1/portal/auth';
const SESSION = `${A}/session`;
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const LINK_LIMIT = 3;

describe('client portal sign-in: emailed links, passwords, sessions, several businesses (A1, A3, A5, T6)', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await TestContext.start({
      TEST_CLOCK: 'true',
      LINK_REQUESTS_PER_EMAIL: String(LINK_LIMIT),
      LINK_REQUESTS_PER_IP: '100000',
      LOGIN_MAX_FAILURES_PER_EMAIL: '5',
    });
  });
  afterEach(async () => {
    await setClock(ctx, 0);
  });
  afterAll(() => ctx.close());

  const newEmail = (p = 'contact') => `${ctx.unique(p)}@business.test`;
  const emailsTo = async (to: string): Promise<number> =>
    (
      await ctx.db.query(`SELECT count(*)::int AS n FROM outbound_emails WHERE to_address = $1`, [
        to.toLowerCase(),
      ])
    )[0].n;
  const personByEmail = async (email: string) =>
    (await ctx.db.query(`SELECT * FROM contacts WHERE email = $1`, [email]))[0];
  const activity = (firmId: string) =>
    ctx.db.query(
      `SELECT action, summary, actor_user_id, actor_name, client_id, client_name, target_type, target_id
         FROM activity_log WHERE firm_id = $1 ORDER BY id`,
      [firmId],
    );
  const requestLink = (email: string, firmSlug: string, a: Agent = ctx.agent()) =>
    a.post(`${A}/sign-in-link`, { email, firmSlug });
  const requestReset = (email: string, firmSlug: string) =>
    ctx.agent().post(`${A}/password-reset`, { email, firmSlug });
  const inspect = (token: string) => ctx.agent().get(`${A}/sign-in-link/${encodeURIComponent(token)}`);
  const useLink = (token: string, a: Agent = ctx.agent()) => a.post(`${A}/sign-in-link/sign-in`, { token });
  const inspectReset = (token: string) => ctx.agent().get(`${A}/password-reset/${encodeURIComponent(token)}`);
  const login = (email: string, password: string, firmSlug: string, a: Agent = ctx.agent()) =>
    a.post(`${A}/login`, { email, password, firmSlug });
  /** Asks for a sign-in link and returns the token of the email that arrives. */
  const linkToken = async (email: string, slug: string): Promise<string> => {
    const r = await requestLink(email, slug);
    expect(r.status).toBe(202);
    return tokenFrom((await ctx.lastEmail(email)).link as string);
  };
  const cookieHeader = (r: Res): string => {
    const c = r.headers['set-cookie'];
    return (Array.isArray(c) ? c : [String(c ?? '')]).find((x) => x.startsWith('lp_portal=')) ?? '';
  };

  interface World {
    firm: TestFirm;
    admin: Agent;
    alpha: { id: string; name: string };
    beta: { id: string; name: string };
    email: string;
    contactId: string;
    membershipId: string;
    inviteToken: string;
  }

  /** A firm with two clients and one person (Maria Lopez) invited to Alpha Bakery. */
  const world = async (): Promise<World> => {
    const firm = await ctx.newFirm({ clients: ['Alpha Bakery', 'Beta Builders'] });
    const admin = await ctx.signIn(firm.admin.email);
    const email = newEmail('maria');
    const inv = await inviteContact(ctx, admin, firm.clients[0].id, { name: 'Maria Lopez', email });
    return {
      firm,
      admin,
      alpha: firm.clients[0],
      beta: firm.clients[1],
      email,
      contactId: (await personByEmail(email)).id,
      membershipId: inv.contact.id,
      inviteToken: inv.token,
    };
  };

  describe('sign-in links (A1)', () => {
    it('answers 202 with the same words for a known, an unknown and a deactivated email; only the known active person gets a mail', async () => {
      const w = await world();
      const gus = await inviteContact(ctx, w.admin, w.alpha.id, { name: 'Gus Gone', email: newEmail('gus') });
      await w.admin.post(`/api/v1/clients/${w.alpha.id}/contacts/${gus.contact.id}/deactivate`);
      const unknown = newEmail('nobody');
      const counts = async () => [
        await emailsTo(w.email),
        await emailsTo(unknown),
        await emailsTo(gus.contact.email),
      ];
      const before = await counts();

      const asked = [
        [` ${w.email.toUpperCase()} `, w.email],
        [unknown, unknown],
        [gus.contact.email, gus.contact.email],
      ];
      const bodies = [];
      for (const [typed, normal] of asked) {
        const r = await requestLink(typed, ` ${w.firm.slug.toUpperCase()} `);
        expect(r.status).toBe(202);
        expect(Object.keys(r.body)).toEqual(['message']);
        bodies.push(r.body.message.replace(normal, '<email>'));
      }
      expect(bodies[0]).toMatch(/6 hours/);
      expect(bodies[1]).toBe(bodies[0]);
      expect(bodies[2]).toBe(bodies[0]);
      expect(await counts()).toEqual([before[0] + 1, before[1], before[2]]);

      const mail = await ctx.lastEmail(w.email);
      expect(mail.subject).toBe(`Your sign-in link for ${w.firm.name}`);
      expect(mail.text).toContain('Hello Maria Lopez,');
      expect(mail.text).toContain("Alpha Bakery's portal");
      expect(mail.link).toMatch(
        new RegExp(`^https?://[^/]+/portal/${w.firm.slug}/sign-in-link\\?token=[A-Za-z0-9_-]+$`),
      );
    });

    it('a link asked for with a `next` page opens that page once signed in; the link itself is the same kind of link', async () => {
      const w = await world();
      const page = 'questions/0b7c6a8e-3f51-4c1e-9d1a-2f8e4b6c7d90';
      const r = await ctx.agent().post(`${A}/sign-in-link`, { email: w.email, firmSlug: w.firm.slug, next: page });
      expect(r.status).toBe(202);
      const mail = await ctx.lastEmail(w.email);
      expect(mail.link).toMatch(
        new RegExp(`^https?://[^/]+/portal/${w.firm.slug}/sign-in-link\\?token=[A-Za-z0-9_-]+&next=questions%2F0b7c6a8e-3f51-4c1e-9d1a-2f8e4b6c7d90$`),
      );
      const token = new URL(mail.link!).searchParams.get('token');
      const a = ctx.agent();
      expect((await a.post(`${A}/sign-in-link/sign-in`, { token })).status).toBe(200);
      expect((await a.get(`${A}/session`)).body.contact.email).toBe(w.email);
    });

    it('answers before looking the email up, so a known email does not answer more slowly than an unknown one', async () => {
      const w = await world();
      const qr = ctx.db.createQueryRunner();
      await qr.connect();
      try {
        // Hold every write to contact_tokens: the link for a known email cannot be issued meanwhile.
        await qr.startTransaction();
        await qr.query(`LOCK TABLE contact_tokens IN EXCLUSIVE MODE`);
        const before = await emailsTo(w.email);
        // Straight through Fastify (the agent would wait for background work, which is blocked).
        const res = await ctx.app.inject({
          method: 'POST',
          url: '/api/v1/portal/auth/sign-in-link',
          payload: { email: w.email, firmSlug: w.firm.slug },
        });
        expect(res.statusCode).toBe(202);
        expect(await emailsTo(w.email)).toBe(before);
        await qr.commitTransaction();
        await ctx.settle();
        expect(await emailsTo(w.email)).toBe(before + 1);
      } finally {
        if (qr.isTransactionActive) await qr.rollbackTransaction();
        await qr.release();
      }
    });

    it('checking a link does not use it; signing in does: httpOnly cookie and the session; using it again answers 410 LINK_USED', async () => {
      const w = await world();
      const token = await linkToken(w.email, w.firm.slug);
      const info = {
        email: w.email,
        businessName: 'Alpha Bakery',
        firmName: w.firm.name,
        firmSlug: w.firm.slug,
      };
      for (let i = 0; i < 2; i++) {
        const r = await inspect(token);
        expect(r.status).toBe(200);
        expect(r.body).toEqual(info);
      }
      expect(
        await ctx.db.query(
          `SELECT used_at FROM contact_tokens WHERE contact_id = $1 AND purpose = 'sign_in'`,
          [w.contactId],
        ),
      ).toEqual([{ used_at: null }]);

      const a = ctx.agent();
      const res = await useLink(token, a);
      expect(res.status).toBe(200);
      const cookie = cookieHeader(res);
      expect(cookie).toMatch(/^lp_portal=[^;]+;/);
      expect(cookie).toMatch(/HttpOnly/i);
      expect(cookie).toMatch(/SameSite=Lax/i);
      expect(cookie).toMatch(/Path=\//i);
      const expires = new Date(/Expires=([^;]+)/i.exec(cookie)?.[1] as string).getTime();
      expect(Math.abs(expires - (Date.now() + 30 * DAY))).toBeLessThan(5 * MIN);
      expect(res.body).toEqual({
        contact: { id: w.contactId, name: 'Maria Lopez', email: w.email },
        currentBusinessId: w.alpha.id,
        businesses: [
          {
            id: w.alpha.id,
            name: 'Alpha Bakery',
            role: 'member',
            firm: {
              name: w.firm.name,
              slug: w.firm.slug,
              portalName: null,
              accentColor: null,
              logoUrl: null,
            },
            openItems: 0,
            features: { questions: true, financials: false, files: false, ledgerConnect: false },
          },
        ],
        csrfToken: expect.any(String),
      });
      const session = await a.get(SESSION);
      expect(session.status).toBe(200);
      expect(session.body).toEqual(res.body);

      for (const again of [await useLink(token), await inspect(token)]) {
        expectError(again, 410, 'LINK_USED');
        expect(again.body.details).toEqual({ firmSlug: w.firm.slug, email: w.email });
      }
    });

    it('a newer link makes the older one, and the invitation link, answer 410 LINK_SUPERSEDED (a password link does not)', async () => {
      const w = await world();
      const t1 = await linkToken(w.email, w.firm.slug);
      const t2 = await linkToken(w.email, w.firm.slug);
      expect(t2).not.toBe(t1);
      for (const old of [w.inviteToken, t1]) {
        const r = await inspect(old);
        expectError(r, 410, 'LINK_SUPERSEDED');
        expect(r.body.details).toEqual({ firmSlug: w.firm.slug, email: w.email });
        expectError(await useLink(old), 410, 'LINK_SUPERSEDED');
      }
      expect((await requestReset(w.email, w.firm.slug)).status).toBe(202);
      expect((await inspect(t2)).status).toBe(200);
      expect((await useLink(t2)).status).toBe(200);
    });

    it('a sign-in link works for 6 hours and an invitation link for 7 days, judged by the clock', async () => {
      const w = await world();
      const token = await linkToken(w.email, w.firm.slug);
      await setClock(ctx, 6 * HOUR - MIN);
      expect((await inspect(token)).status).toBe(200);
      await setClock(ctx, 6 * HOUR + MIN);
      const late = await inspect(token);
      expectError(late, 410, 'LINK_EXPIRED');
      expect(late.body.details).toEqual({ firmSlug: w.firm.slug, email: w.email });
      expect(late.body.message).toMatch(/6 hours/);
      expectError(await useLink(token), 410, 'LINK_EXPIRED');

      await setClock(ctx, 0);
      const ivy = await inviteContact(ctx, w.admin, w.beta.id, {
        name: 'Ivy Invite',
        email: newEmail('ivy'),
      });
      await setClock(ctx, 7 * DAY - MIN);
      expect((await inspect(ivy.token)).status).toBe(200);
      await setClock(ctx, 7 * DAY + MIN);
      const old = await inspect(ivy.token);
      expectError(old, 410, 'LINK_EXPIRED');
      expect(old.body.message).toMatch(/7 days/);
      expectError(await useLink(ivy.token), 410, 'LINK_EXPIRED');
      expect(await personByEmail(ivy.contact.email)).toMatchObject({ last_sign_in_at: null });
    });

    it('answers 404 LINK_INVALID for garbage, truncated and over-long tokens, and for a password link', async () => {
      const w = await world();
      const reset = await requestReset(w.email, w.firm.slug);
      expect(reset.status).toBe(202);
      const resetToken = tokenFrom((await ctx.lastEmail(w.email)).link as string);
      for (const bad of [
        'garbage',
        w.inviteToken.slice(0, -1),
        `${w.inviteToken}x`,
        'x'.repeat(100),
        resetToken,
      ]) {
        const r = await inspect(bad);
        expectError(r, 404, 'LINK_INVALID');
        expect(r.body.details?.email).toBeUndefined();
        expectError(await useLink(bad), 404, 'LINK_INVALID');
      }
      expectError(await inspectReset(w.inviteToken), 404, 'TOKEN_INVALID');
      expectError(await inspectReset('x'.repeat(100)), 404, 'TOKEN_INVALID');
      expect((await inspect(w.inviteToken)).status).toBe(200);
    });

    it('answers a link whose token is longer than 100 characters with the same 404 LINK_INVALID / TOKEN_INVALID, not a route 404', async () => {
      // A mangled or padded link in an email client must still get the explained "not valid" answer.
      const long = 'x'.repeat(101);
      expectError(await inspect(long), 404, 'LINK_INVALID');
      expectError(await inspectReset(long), 404, 'TOKEN_INVALID');
    });

    it('a link is single use even when two clicks race: the one that waits answers 410 LINK_USED and opens no session', async () => {
      const w = await world();
      const token = await linkToken(w.email, w.firm.slug);
      const [r] = await ctx.whileHeld(
        `UPDATE contact_tokens SET used_at = now() WHERE contact_id = $1 AND purpose = 'sign_in' AND used_at IS NULL`,
        [w.contactId],
        1,
        () => [useLink(token)],
      );
      expectError(r, 410, 'LINK_USED');
      expect(r.headers['set-cookie']).toBeUndefined();
      expect(
        await ctx.db.query(`SELECT id FROM contact_sessions WHERE contact_id = $1`, [w.contactId]),
      ).toEqual([]);
    });

    it('stores only hashes: no link or session token appears in contact_tokens or contact_sessions', async () => {
      const w = await world();
      const token = await linkToken(w.email, w.firm.slug);
      const a = ctx.agent();
      expect((await useLink(token, a)).status).toBe(200);
      const sessionToken = a.cookies.lp_portal;
      expect(sessionToken).toEqual(expect.any(String));
      const tokens = await ctx.db.query(
        `SELECT encode(token_hash, 'hex') AS h, row_to_json(t)::text AS j FROM contact_tokens t WHERE contact_id = $1`,
        [w.contactId],
      );
      const sessions = await ctx.db.query(
        `SELECT encode(token_hash, 'hex') AS h, row_to_json(s)::text AS j FROM contact_sessions s WHERE contact_id = $1`,
        [w.contactId],
      );
      expect(tokens).toHaveLength(2);
      expect(sessions).toHaveLength(1);
      for (const raw of [token, w.inviteToken, sessionToken]) {
        const hex = Buffer.from(raw).toString('hex');
        for (const row of [...tokens, ...sessions]) {
          expect(row.h).toHaveLength(64);
          expect(row.h).not.toBe(raw);
          expect(row.h).not.toContain(hex);
          expect(row.j).not.toContain(raw);
          expect(row.j).not.toContain(hex);
        }
        const [{ n }] = await ctx.db.query(
          `SELECT (SELECT count(*) FROM contact_tokens t WHERE strpos(row_to_json(t)::text, $1) > 0)
                + (SELECT count(*) FROM contact_sessions s WHERE strpos(row_to_json(s)::text, $1) > 0) AS n`,
          [raw],
        );
        expect(Number(n)).toBe(0);
      }
    });

    it(`throttles link requests per email (${LINK_LIMIT}): 429 TOO_MANY_REQUESTS with retryAfterSeconds, the same for an unknown email, and no mail`, async () => {
      const w = await world();
      const unknown = newEmail('ghost');
      const answers: Res[] = [];
      for (const email of [w.email, unknown]) {
        for (let i = 0; i < LINK_LIMIT; i++) expect((await requestLink(email, w.firm.slug)).status).toBe(202);
        const r = await requestLink(email, w.firm.slug);
        expectError(r, 429, 'TOO_MANY_REQUESTS');
        expect(Number.isInteger(r.body.details.retryAfterSeconds)).toBe(true);
        expect(r.body.details.retryAfterSeconds).toBeGreaterThan(0);
        expect(r.body.details.retryAfterSeconds).toBeLessThanOrEqual(900);
        answers.push(r);
        // a password link counts against the same limit
        expectError(await requestReset(email, w.firm.slug), 429, 'TOO_MANY_REQUESTS');
      }
      expect(answers[1].body).toEqual({
        ...answers[0].body,
        details: { retryAfterSeconds: expect.any(Number) },
      });
      expect(await emailsTo(w.email)).toBe(1 + LINK_LIMIT);
      expect(await emailsTo(unknown)).toBe(0);
      const fresh = await requestLink(newEmail('fresh'), w.firm.slug);
      expect(fresh.status).toBe(202);
    });

    it('answers 202 and sends nothing for a link asked at a firm where the person is not a contact, an unknown firm, or an archived client', async () => {
      const w = await world();
      const other = await ctx.newFirm({ clients: ['Omega Oils'] });
      const before = await emailsTo(w.email);
      const atB = await requestLink(w.email, other.slug);
      expect(atB.status).toBe(202);
      const nowhere = await requestLink(w.email, 'no-such-firm-here');
      expect(nowhere.status).toBe(202);
      expect(nowhere.body).toEqual(atB.body);
      expect(await emailsTo(w.email)).toBe(before);

      const arch = await inviteContact(ctx, w.admin, w.beta.id, {
        name: 'Archie',
        email: newEmail('archie'),
      });
      await ctx.db.query(`UPDATE clients SET status = 'archived', archived_at = now() WHERE id = $1`, [
        w.beta.id,
      ]);
      const n = await emailsTo(arch.contact.email);
      expect((await requestLink(arch.contact.email, w.firm.slug)).status).toBe(202);
      expect(await emailsTo(arch.contact.email)).toBe(n);
      expectError(await inspect(arch.token), 404, 'LINK_INVALID');
    });
  });

  describe('passwords (A3)', () => {
    it('a reset link lets the person choose a password: signed in, their other sessions ended; then email and password sign in at that firm only', async () => {
      const w = await world();
      const first = (await portalSignIn(ctx, w.inviteToken)).agent;
      const second = (await portalSignIn(ctx, await linkToken(w.email, w.firm.slug))).agent;
      const other = await ctx.newFirm({ clients: ['Omega Oils'] });

      const req = await requestReset(w.email, w.firm.slug);
      expect(req.status).toBe(202);
      expect(req.body.message).toMatch(/1 hour/);
      const mail = await ctx.lastEmail(w.email);
      expect(mail.subject).toBe(`Reset your ${w.firm.name} password`);
      expect(mail.link).toMatch(
        new RegExp(`^https?://[^/]+/portal/${w.firm.slug}/reset-password\\?token=[A-Za-z0-9_-]+$`),
      );
      const token = tokenFrom(mail.link as string);
      const info = await inspectReset(token);
      expect(info.status).toBe(200);
      expect(info.body).toEqual({ email: w.email, name: 'Maria Lopez', firmSlug: w.firm.slug });

      const third = ctx.agent();
      const set = await third.post(`${A}/password`, { token, password: 'marias-new-password' });
      expect(set.status).toBe(200);
      expect(cookieHeader(set)).toMatch(/^lp_portal=[^;]+;.*HttpOnly/i);
      expect(set.body).toMatchObject({
        contact: { id: w.contactId, email: w.email },
        currentBusinessId: w.alpha.id,
      });
      expectError(await first.get(SESSION), 401, 'UNAUTHENTICATED');
      expectError(await second.get(SESSION), 401, 'UNAUTHENTICATED');
      expect((await third.get(SESSION)).status).toBe(200);
      const hash = (await personByEmail(w.email)).password_hash as string;
      expect(hash).toEqual(expect.any(String));
      expect(hash).not.toContain('marias-new-password');

      const ok = await login(` ${w.email.toUpperCase()} `, 'marias-new-password', w.firm.slug);
      expect(ok.status).toBe(200);
      expect(ok.body).toMatchObject({ contact: { id: w.contactId }, currentBusinessId: w.alpha.id });
      expect(cookieHeader(ok)).toMatch(/^lp_portal=/);
      expect((await third.get(SESSION)).status).toBe(200);

      const wrong = await login(w.email, 'not-her-password', w.firm.slug);
      expectError(wrong, 401, 'INVALID_CREDENTIALS');
      expect(wrong.headers['set-cookie']).toBeUndefined();
      const unknown = await login(newEmail('nobody'), 'marias-new-password', w.firm.slug);
      expect(unknown.status).toBe(401);
      expect(unknown.body).toEqual(wrong.body);
      const elsewhere = await login(w.email, 'marias-new-password', other.slug);
      expect(elsewhere.status).toBe(401);
      expect(elsewhere.body).toEqual(wrong.body);

      for (const again of [
        await inspectReset(token),
        await ctx.agent().post(`${A}/password`, { token, password: 'another-password-1' }),
      ]) {
        expectError(again, 410, 'TOKEN_USED');
        expect(again.body.details).toEqual({ firmSlug: w.firm.slug, email: w.email });
      }
      expect((await login(w.email, 'marias-new-password', w.firm.slug)).status).toBe(200);
    });

    it('a reset link lasts 1 hour; a too-short password leaves it unused; a newer link supersedes it', async () => {
      const w = await world();
      expect((await requestReset(w.email, w.firm.slug)).status).toBe(202);
      const r1 = tokenFrom((await ctx.lastEmail(w.email)).link as string);
      const short = await ctx.agent().post(`${A}/password`, { token: r1, password: 'x'.repeat(9) });
      expectError(short, 400, 'VALIDATION_FAILED');
      expect(short.body.details).toEqual([expect.objectContaining({ field: 'password' })]);
      expect((await inspectReset(r1)).status).toBe(200);

      await setClock(ctx, HOUR - MIN);
      expect((await inspectReset(r1)).status).toBe(200);
      await setClock(ctx, HOUR + MIN);
      const late = await inspectReset(r1);
      expectError(late, 410, 'TOKEN_EXPIRED');
      expect(late.body.details).toEqual({ firmSlug: w.firm.slug, email: w.email });
      expectError(
        await ctx.agent().post(`${A}/password`, { token: r1, password: 'long-enough-password' }),
        410,
        'TOKEN_EXPIRED',
      );
      expect((await personByEmail(w.email)).password_hash).toBeNull();

      await setClock(ctx, 0);
      expect((await requestReset(w.email, w.firm.slug)).status).toBe(202);
      const r2 = tokenFrom((await ctx.lastEmail(w.email)).link as string);
      expectError(await inspectReset(r1), 410, 'TOKEN_SUPERSEDED');
      expectError(await inspectReset('garbage'), 404, 'TOKEN_INVALID');
      const ok = await ctx.agent().post(`${A}/password`, { token: r2, password: 'x'.repeat(10) });
      expect(ok.status).toBe(200);
    });

    it('a person deactivated everywhere can no longer sign in with their password, nor get links', async () => {
      const w = await world();
      expect((await requestReset(w.email, w.firm.slug)).status).toBe(202);
      const token = tokenFrom((await ctx.lastEmail(w.email)).link as string);
      expect(
        (await ctx.agent().post(`${A}/password`, { token, password: 'the-right-password' })).status,
      ).toBe(200);
      expect((await login(w.email, 'the-right-password', w.firm.slug)).status).toBe(200);
      await w.admin.post(`/api/v1/clients/${w.alpha.id}/contacts/${w.membershipId}/deactivate`);
      const wrong = await login(w.email, 'not-the-password', w.firm.slug);
      const refused = await login(w.email, 'the-right-password', w.firm.slug);
      expectError(refused, 401, 'INVALID_CREDENTIALS');
      expect(refused.body).toEqual(wrong.body);
      const n = await emailsTo(w.email);
      expect((await requestReset(w.email, w.firm.slug)).status).toBe(202);
      expect(await emailsTo(w.email)).toBe(n);
    });

    it('throttles repeated wrong passwords per email with 429 TOO_MANY_ATTEMPTS, even when the right one follows', async () => {
      const w = await world();
      expect((await requestReset(w.email, w.firm.slug)).status).toBe(202);
      const token = tokenFrom((await ctx.lastEmail(w.email)).link as string);
      expect(
        (await ctx.agent().post(`${A}/password`, { token, password: 'the-right-password' })).status,
      ).toBe(200);
      for (let i = 0; i < 5; i++)
        expectError(await login(w.email, `wrong-${i}-password`, w.firm.slug), 401, 'INVALID_CREDENTIALS');
      const blocked = await login(w.email, 'the-right-password', w.firm.slug);
      expectError(blocked, 429, 'TOO_MANY_ATTEMPTS');
      expect(blocked.body.details.retryAfterSeconds).toBeGreaterThan(0);
    });
  });

  describe('the test clock (TEST_CLOCK=true)', () => {
    it('moves forward on request and refuses bad input with 400', async () => {
      const a = ctx.agent();
      const moved = await a.put('/api/v1/testing/clock', { offsetMs: 60_000 });
      expect(moved.status).toBe(200);
      expect(moved.body.offsetMs).toBe(60_000);
      expect(Date.parse(moved.body.now) - Date.now()).toBeGreaterThan(50_000);
      for (const body of [{ offsetMs: -1 }, { offsetMs: 1.5 }, { offsetMs: 'soon' }, {}, { offsetMs: 0, extra: 1 }]) {
        expectError(await a.put('/api/v1/testing/clock', body), 400, 'VALIDATION_FAILED');
      }
      expect((await a.put('/api/v1/testing/clock', { offsetMs: 0 })).body.offsetMs).toBe(0);
    });
  });

  describe('sessions (A5)', () => {
    it('lasts 30 days from the last request, rolling forward with use', async () => {
      const w = await world();
      const { agent } = await portalSignIn(ctx, w.inviteToken);
      await setClock(ctx, 29 * DAY);
      expect((await agent.get(SESSION)).status).toBe(200);
      await setClock(ctx, 58 * DAY);
      expect((await agent.get(SESSION)).status).toBe(200);
      await setClock(ctx, 58 * DAY + 31 * DAY);
      expectError(await agent.get(SESSION), 401, 'UNAUTHENTICATED');

      await setClock(ctx, 0);
      const idle = (await portalSignIn(ctx, await linkToken(w.email, w.firm.slug))).agent;
      await setClock(ctx, 31 * DAY);
      expectError(await idle.get(SESSION), 401, 'UNAUTHENTICATED');
    });

    it('rolls the cookie forward too: a request that extends the session re-sends lp_portal with the new expiry', async () => {
      // Otherwise the browser drops the cookie 30 days after sign-in however active the person is.
      const w = await world();
      const { agent } = await portalSignIn(ctx, w.inviteToken);
      await setClock(ctx, 29 * DAY);
      const later = await agent.get(SESSION);
      expect(later.status).toBe(200);
      const [{ expires_at }] = await ctx.db.query(
        `SELECT expires_at FROM contact_sessions WHERE contact_id = $1`,
        [w.contactId],
      );
      expect((expires_at as Date).getTime()).toBeGreaterThan(Date.now() + 58 * DAY);
      const cookie = cookieHeader(later);
      expect(cookie).toMatch(/^lp_portal=[^;]+;/);
      const expires = new Date(/Expires=([^;]+)/i.exec(cookie)?.[1] as string).getTime();
      expect(Math.abs(expires - (expires_at as Date).getTime())).toBeLessThan(5 * MIN);
    });

    it('logout ends the session on the server and clears the cookie; it needs the CSRF token', async () => {
      const w = await world();
      const { agent } = await portalSignIn(ctx, w.inviteToken);
      const kept = agent.cookies.lp_portal;
      expectError(await agent.post(`${A}/logout`, undefined, { noCsrf: true }), 403, 'CSRF_TOKEN_INVALID');
      expect((await agent.get(SESSION)).status).toBe(200);
      const out = await agent.post(`${A}/logout`);
      expect(out.status).toBe(204);
      expect(cookieHeader(out)).toMatch(/^lp_portal=;/);
      expect(cookieHeader(out)).toMatch(/Expires=Thu, 01 Jan 1970/i);
      expect(agent.cookies.lp_portal).toBeUndefined();
      const replay = ctx.agent();
      replay.cookies = { lp_portal: kept };
      expectError(await replay.get(SESSION), 401, 'UNAUTHENTICATED');
      expect(
        await ctx.db.query(`SELECT id FROM contact_sessions WHERE contact_id = $1`, [w.contactId]),
      ).toEqual([]);
      expectError(await ctx.agent().post(`${A}/logout`), 401, 'UNAUTHENTICATED');
    });

    it('keeps staff and portal sessions apart: each cookie alone is refused by the other side; one browser can hold both', async () => {
      const w = await world();
      const { agent: portal } = await portalSignIn(ctx, w.inviteToken);
      expectError(await w.admin.get(SESSION), 401, 'UNAUTHENTICATED');
      expectError(
        await w.admin.put(`${SESSION}/business`, { businessId: w.alpha.id }),
        401,
        'UNAUTHENTICATED',
      );
      expectError(await w.admin.post(`${A}/logout`), 401, 'UNAUTHENTICATED');
      expectError(await portal.get('/api/v1/clients'), 401, 'UNAUTHENTICATED');
      expectError(await portal.get('/api/v1/auth/session'), 401, 'UNAUTHENTICATED');
      const forged = ctx.agent();
      forged.cookies = { lp_session: portal.cookies.lp_portal };
      expectError(await forged.get('/api/v1/clients'), 401, 'UNAUTHENTICATED');
      const swapped = ctx.agent();
      swapped.cookies = { lp_portal: w.admin.cookies.lp_session };
      expectError(await swapped.get(SESSION), 401, 'UNAUTHENTICATED');

      const both = ctx.agent();
      both.cookies = { ...w.admin.cookies, ...portal.cookies };
      expect((await both.get('/api/v1/clients')).status).toBe(200);
      expect((await both.get(SESSION)).body.contact.id).toBe(w.contactId);
    });

    it("the first sign-in turns an invited membership active and logs contact.activated once in the firm's activity", async () => {
      const w = await world();
      const contacts = `/api/v1/clients/${w.alpha.id}/contacts`;
      expect((await w.admin.get(contacts)).body.items[0]).toMatchObject({
        status: 'invited',
        lastSignInAt: null,
      });
      const logBefore = (await activity(w.firm.id)).length;
      await portalSignIn(ctx, w.inviteToken);
      const row = (await ctx.db.query(`SELECT * FROM client_contacts WHERE id = $1`, [w.membershipId]))[0];
      expect(row).toMatchObject({
        status: 'active',
        activated_at: expect.any(Date),
        last_sign_in_at: expect.any(Date),
      });
      const log = await activity(w.firm.id);
      expect(log.slice(logBefore)).toEqual([
        {
          action: 'contact.activated',
          summary: 'Maria Lopez signed in to the portal for the first time from their invitation',
          actor_user_id: null,
          actor_name: 'Maria Lopez (client)',
          client_id: w.alpha.id,
          client_name: 'Alpha Bakery',
          target_type: 'contact',
          target_id: w.contactId,
        },
      ]);
      expect((await w.admin.get(contacts)).body.items[0]).toMatchObject({
        status: 'active',
        lastSignInAt: expect.any(String),
      });

      await portalSignIn(ctx, await linkToken(w.email, w.firm.slug));
      expect(await activity(w.firm.id)).toHaveLength(log.length);

      const ned = await inviteContact(ctx, w.admin, w.beta.id, { name: 'Ned New', email: newEmail('ned') });
      await portalSignIn(ctx, await linkToken(ned.contact.email, w.firm.slug));
      expect((await activity(w.firm.id)).at(-1)).toMatchObject({
        action: 'contact.activated',
        summary: 'Ned New signed in to the portal for the first time',
        client_id: w.beta.id,
      });
    });
  });

  describe('one person at several businesses and firms (T6)', () => {
    it('lists every business by name with its firm branding, switches the current one, and remembers it for the next sign-in', async () => {
      const a = await ctx.newFirm({ clients: ['Mango Mills', 'Apple Acres', 'Not Hers Ltd'] });
      const b = await ctx.newFirm({ clients: ['Kiwi Kitchens'] });
      await ctx.db.query(
        `UPDATE firms SET portal_name = 'B Client Hub', portal_accent = '#123456' WHERE id = $1`,
        [b.id],
      );
      const [mango, apple, notHers] = a.clients;
      const [kiwi] = b.clients;
      const adminA = await ctx.signIn(a.admin.email);
      const adminB = await ctx.signIn(b.admin.email);
      const email = newEmail('multi');
      await inviteContact(ctx, adminA, mango.id, { name: 'Maria Mango', email, role: 'owner' });
      await inviteContact(ctx, adminA, apple.id, { name: 'Maria Apple', email });
      const last = await inviteContact(ctx, adminB, kiwi.id, { name: 'Maria Kiwi', email });
      const contactId = (await personByEmail(email)).id;

      const { agent, session } = await portalSignIn(ctx, last.token);
      const firmA = { name: a.name, slug: a.slug, portalName: null, accentColor: null, logoUrl: null };
      const firmB = {
        name: b.name,
        slug: b.slug,
        portalName: 'B Client Hub',
        accentColor: '#123456',
        logoUrl: null,
      };
      const features = { questions: true, financials: false, files: false, ledgerConnect: false };
      expect(session).toEqual({
        contact: { id: contactId, name: 'Maria Kiwi', email },
        currentBusinessId: kiwi.id,
        businesses: [
          { id: apple.id, name: 'Apple Acres', role: 'member', firm: firmA, openItems: 0, features },
          { id: kiwi.id, name: 'Kiwi Kitchens', role: 'member', firm: firmB, openItems: 0, features },
          { id: mango.id, name: 'Mango Mills', role: 'owner', firm: firmA, openItems: 0, features },
        ],
        csrfToken: expect.any(String),
      });

      const switched = await agent.put(`${SESSION}/business`, { businessId: mango.id });
      expect(switched.status).toBe(200);
      expect(switched.body).toEqual({
        ...session,
        contact: { ...session.contact, name: 'Maria Mango' },
        currentBusinessId: mango.id,
      });
      expect((await agent.get(SESSION)).body).toEqual(switched.body);

      const elsewhere = await ctx.newFirm({ clients: ['Elsewhere Ltd'] });
      for (const businessId of [notHers.id, elsewhere.clients[0].id, randomUUID()]) {
        expectError(await agent.put(`${SESSION}/business`, { businessId }), 404, 'BUSINESS_NOT_FOUND');
      }
      expect((await agent.get(SESSION)).body.currentBusinessId).toBe(mango.id);
      expectError(
        await agent.put(`${SESSION}/business`, { businessId: apple.id }, { noCsrf: true }),
        403,
        'CSRF_TOKEN_INVALID',
      );

      expect((await agent.post(`${A}/logout`)).status).toBe(204);
      const token = await linkToken(email, a.slug);
      expect((await inspect(token)).body.businessName).toBe('Mango Mills');
      const again = await portalSignIn(ctx, token);
      expect(again.session.currentBusinessId).toBe(mango.id);
      expect(again.session.contact.name).toBe('Maria Mango');
      expect(again.session.businesses.map((x: { id: string }) => x.id)).toEqual([
        apple.id,
        kiwi.id,
        mango.id,
      ]);
    });

    it('refuses malformed switch requests with 400 and signed-out callers with 401', async () => {
      const w = await world();
      const { agent } = await portalSignIn(ctx, w.inviteToken);
      for (const body of [
        {},
        { businessId: 'not-a-uuid' },
        { businessId: 7 },
        { businessId: w.alpha.id, firmId: w.firm.id },
      ]) {
        expectError(await agent.put(`${SESSION}/business`, body), 400, 'VALIDATION_FAILED');
      }
      expectError(
        await ctx.agent().put(`${SESSION}/business`, { businessId: w.alpha.id }),
        401,
        'UNAUTHENTICATED',
      );
      expectError(await ctx.agent().get(SESSION), 401, 'UNAUTHENTICATED');
    });
  });

  describe('bad input', () => {
    it('refuses malformed bodies on every sign-in endpoint with 400 VALIDATION_FAILED naming the field, sending nothing', async () => {
      const w = await world();
      const mails = await emailsTo(w.email);
      const slug = w.firm.slug;
      const cases: [string, unknown, string | null][] = [
        ['sign-in-link', { email: w.email }, 'firmSlug'],
        ['sign-in-link', { email: w.email, firmSlug: '' }, 'firmSlug'],
        ['sign-in-link', { email: w.email, firmSlug: 'Not A Slug!' }, 'firmSlug'],
        ['sign-in-link', { email: w.email, firmSlug: 's'.repeat(65) }, 'firmSlug'],
        ['sign-in-link', { firmSlug: slug }, 'email'],
        ['sign-in-link', { email: 'not-an-email', firmSlug: slug }, 'email'],
        ['sign-in-link', { email: 7, firmSlug: slug }, 'email'],
        ['sign-in-link', { email: w.email, firmSlug: slug, redirect: 'https://evil.test' }, 'redirect'],
        ['sign-in-link', { email: w.email, firmSlug: slug, next: 'https://evil.test' }, 'next'],
        ['sign-in-link', { email: w.email, firmSlug: slug, next: '//evil.test/x' }, 'next'],
        ['sign-in-link', { email: w.email, firmSlug: slug, next: '/questions' }, 'next'],
        ['sign-in-link', { email: w.email, firmSlug: slug, next: 'questions/../../admin' }, 'next'],
        ['sign-in-link', { email: w.email, firmSlug: slug, next: 'questions//x' }, 'next'],
        ['sign-in-link', { email: w.email, firmSlug: slug, next: 'q'.repeat(201) }, 'next'],
        ['sign-in-link', { email: w.email, firmSlug: slug, next: 7 }, 'next'],
        ['password-reset', { email: w.email, firmSlug: slug, next: 'questions' }, 'next'],
        ['login', { email: w.email, password: 'whatever-password', firmSlug: slug, next: 'questions' }, 'next'],
        ['sign-in-link/sign-in', {}, 'token'],
        ['sign-in-link/sign-in', { token: '' }, 'token'],
        ['sign-in-link/sign-in', { token: 'x'.repeat(101) }, 'token'],
        ['sign-in-link/sign-in', { token: 42 }, 'token'],
        ['sign-in-link/sign-in', { token: w.inviteToken, email: w.email }, 'email'],
        ['login', { email: w.email, password: 'whatever-password' }, 'firmSlug'],
        ['login', { email: 'nope', password: 'whatever-password', firmSlug: slug }, 'email'],
        ['login', { email: w.email, firmSlug: slug }, 'password'],
        ['login', { email: w.email, password: '', firmSlug: slug }, 'password'],
        ['login', { email: w.email, password: 'p'.repeat(201), firmSlug: slug }, 'password'],
        [
          'login',
          { email: w.email, password: 'whatever-password', firmSlug: slug, remember: true },
          'remember',
        ],
        ['password-reset', { email: w.email }, 'firmSlug'],
        ['password-reset', { email: 'nope@', firmSlug: slug }, 'email'],
        ['password-reset', { email: w.email, firmSlug: slug, name: 'x' }, 'name'],
        ['password', { token: w.inviteToken }, 'password'],
        ['password', { token: w.inviteToken, password: 'short' }, 'password'],
        ['password', { token: w.inviteToken, password: 'p'.repeat(201) }, 'password'],
        ['password', { token: 'x'.repeat(101), password: 'long-enough-password' }, 'token'],
        ['password', { password: 'long-enough-password' }, 'token'],
        ['password', { token: w.inviteToken, password: 'long-enough-password', email: w.email }, 'email'],
      ];
      for (const [path, body, field] of cases) {
        const r = await ctx.agent().post(`${A}/${path}`, body);
        const shown = `${path} ${JSON.stringify(body).slice(0, 60)}`;
        expect({ shown, status: r.status, code: r.body.code }).toEqual({
          shown,
          status: 400,
          code: 'VALIDATION_FAILED',
        });
        if (field)
          expect(r.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
      }
      for (const path of ['sign-in-link', 'sign-in-link/sign-in', 'login', 'password-reset', 'password']) {
        expectError(await ctx.agent().post(`${A}/${path}`, [{}]), 400, 'VALIDATION_FAILED');
      }
      expect(await emailsTo(w.email)).toBe(mails);
      expect((await inspect(w.inviteToken)).status).toBe(200);
    });
  });
});

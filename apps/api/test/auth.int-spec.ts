import { TEST_PASSWORD, TestContext, tokenFrom } from './harness';

describe('staff sign-in (A3, A4)', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await TestContext.start();
  });
  afterAll(() => ctx.close());

  it('signs in with email and password, sets an httpOnly SameSite=Lax cookie, and knows who is signed in', async () => {
    const firm = await ctx.newFirm();
    const a = ctx.agent();
    const res = await a.post('/api/v1/auth/login', { email: firm.admin.email.toUpperCase(), password: TEST_PASSWORD });
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({ email: firm.admin.email, role: 'admin' });
    expect(res.body.firm).toMatchObject({ id: firm.id, slug: firm.slug });
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/lp_session=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    const session = await a.get('/api/v1/auth/session');
    expect(session.status).toBe(200);
    expect(session.body.csrfToken).toBe(res.body.csrfToken);
  });

  it('stores only a hash of the session token', async () => {
    const firm = await ctx.newFirm();
    const a = await ctx.signIn(firm.admin.email);
    const token = (a.cookie as string).split('=')[1];
    const rows = await ctx.db.query(`SELECT encode(token_hash, 'hex') AS h FROM sessions WHERE user_id = $1`, [firm.admin.id]);
    expect(rows).toHaveLength(1);
    expect(rows[0].h).not.toContain(Buffer.from(token).toString('hex'));
    expect(rows[0].h).toHaveLength(64);
  });

  it('answers a wrong password and an unknown email with the same words', async () => {
    const firm = await ctx.newFirm();
    const wrong = await ctx.agent().post('/api/v1/auth/login', { email: firm.admin.email, password: 'not-the-password' });
    const unknown = await ctx.agent().post('/api/v1/auth/login', { email: 'nobody@nowhere.test', password: 'whatever-123' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body.code).toBe('INVALID_CREDENTIALS');
    expect(unknown.body).toEqual(wrong.body);
  });

  it('throttles repeated failures per email, even when the right password follows, with a clear message', async () => {
    const firm = await ctx.newFirm();
    for (let i = 0; i < 5; i++) {
      const r = await ctx.agent().post('/api/v1/auth/login', { email: firm.admin.email, password: `wrong-${i}-password` });
      expect(r.status).toBe(401);
    }
    const blocked = await ctx.agent().post('/api/v1/auth/login', { email: firm.admin.email, password: TEST_PASSWORD });
    expect(blocked.status).toBe(429);
    expect(blocked.body.code).toBe('TOO_MANY_ATTEMPTS');
    expect(blocked.body.message).toMatch(/Too many failed sign-in attempts/);
    expect(blocked.body.details.retryAfterSeconds).toBeGreaterThan(0);
  });

  it('throttles failures per IP address across different emails', async () => {
    await ctx.app.close();
    ctx = await TestContext.start({ LOGIN_MAX_FAILURES_PER_IP: '3' });
    const ip = '203.0.113.7';
    for (let i = 0; i < 3; i++) {
      const r = await ctx.agent().post('/api/v1/auth/login', { email: `x${i}@nowhere.test`, password: 'wrong-password' }, { remoteAddress: ip });
      expect(r.status).toBe(401);
    }
    const firm = await ctx.newFirm();
    const blocked = await ctx.agent().post('/api/v1/auth/login', { email: firm.admin.email, password: TEST_PASSWORD }, { remoteAddress: ip });
    expect(blocked.status).toBe(429);
    const elsewhere = await ctx.agent().post('/api/v1/auth/login', { email: firm.admin.email, password: TEST_PASSWORD }, { remoteAddress: '198.51.100.1' });
    expect(elsewhere.status).toBe(200);
    await ctx.app.close();
    ctx = await TestContext.start();
  });

  it('refuses malformed sign-in input with 400 and a code, never 500', async () => {
    const a = ctx.agent();
    const cases = [
      await a.post('/api/v1/auth/login', { email: 'not-an-email', password: 'x' }),
      await a.post('/api/v1/auth/login', { email: 'a@b.test', password: 42 }),
      await a.post('/api/v1/auth/login', { email: 'a@b.test', password: 'x', admin: true }),
      await a.post('/api/v1/auth/login', undefined),
    ];
    for (const r of cases) {
      expect(r.status).toBe(400);
      expect(r.body.code).toBe('VALIDATION_FAILED');
      expect(typeof r.body.message).toBe('string');
    }
    const unknownField = cases[2];
    expect(unknownField.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'admin' })]));
    const badJson = await a.request('POST', '/api/v1/auth/login', { rawBody: '{"email":', headers: { 'content-type': 'application/json' } });
    expect(badJson.status).toBe(400);
    expect(badJson.body.code).toBe('INVALID_JSON');
    const huge = await a.post('/api/v1/auth/login', { email: 'a@b.test', password: 'x'.repeat(2 * 1024 * 1024) });
    expect(huge.status).toBe(413);
    expect(huge.body.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('requires the CSRF token on cookie-authenticated writes', async () => {
    const firm = await ctx.newFirm();
    const a = await ctx.signIn(firm.admin.email);
    const without = await a.post('/api/v1/clients', { name: 'No Token Ltd' }, { noCsrf: true });
    expect(without.status).toBe(403);
    expect(without.body.code).toBe('CSRF_TOKEN_INVALID');
    const wrong = await a.post('/api/v1/clients', { name: 'No Token Ltd' }, { noCsrf: true, headers: { 'x-csrf-token': 'forged' } });
    expect(wrong.status).toBe(403);
    const rows = await ctx.db.query(`SELECT 1 FROM clients WHERE firm_id = $1 AND name = 'No Token Ltd'`, [firm.id]);
    expect(rows).toHaveLength(0);
  });

  it('signs out: the session ends on the server, so the old cookie no longer works', async () => {
    const firm = await ctx.newFirm();
    const a = await ctx.signIn(firm.admin.email);
    const stolen = a.cookie;
    const out = await a.post('/api/v1/auth/logout');
    expect(out.status).toBe(204);
    const replay = ctx.agent();
    replay.cookie = stolen;
    const res = await replay.get('/api/v1/auth/session');
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('UNAUTHENTICATED');
  });

  describe('forgot password', () => {
    it('answers the same for known and unknown emails, and mails a link only to the known one', async () => {
      const firm = await ctx.newFirm();
      const known = await ctx.agent().post('/api/v1/auth/password-reset', { email: firm.admin.email });
      const unknown = await ctx.agent().post('/api/v1/auth/password-reset', { email: 'ghost@nowhere.test' });
      expect(known.status).toBe(202);
      expect(unknown.status).toBe(202);
      expect(unknown.body).toEqual(known.body);
      const mail = await ctx.lastEmail(firm.admin.email);
      expect(mail.subject).toMatch(/Reset your Ledgerport password/);
      expect(mail.link).toMatch(/\/set-password\?token=/);
      await expect(ctx.lastEmail('ghost@nowhere.test')).rejects.toThrow();
    });

    it('resets with a single-use link, ends other sessions and signs in with the new password', async () => {
      const firm = await ctx.newFirm();
      const other = await ctx.signIn(firm.admin.email);
      await ctx.agent().post('/api/v1/auth/password-reset', { email: firm.admin.email });
      const token = tokenFrom((await ctx.lastEmail(firm.admin.email)).link as string);
      const info = await ctx.agent().get(`/api/v1/auth/password-tokens/${token}`);
      expect(info.body).toMatchObject({ purpose: 'reset', email: firm.admin.email, firmName: firm.name });
      const a = ctx.agent();
      const set = await a.post('/api/v1/auth/password', { token, password: 'a-brand-new-password' });
      expect(set.status).toBe(200);
      expect((await a.get('/api/v1/auth/session')).status).toBe(200);
      expect((await other.get('/api/v1/auth/session')).status).toBe(401);
      const again = await ctx.agent().post('/api/v1/auth/password', { token, password: 'yet-another-password' });
      expect(again.status).toBe(410);
      expect(again.body.code).toBe('TOKEN_USED');
      expect((await ctx.agent().post('/api/v1/auth/login', { email: firm.admin.email, password: TEST_PASSWORD })).status).toBe(401);
      expect((await ctx.agent().post('/api/v1/auth/login', { email: firm.admin.email, password: 'a-brand-new-password' })).status).toBe(200);
    });

    it('says precisely why a link cannot be used: superseded, expired, invalid', async () => {
      const firm = await ctx.newFirm();
      await ctx.agent().post('/api/v1/auth/password-reset', { email: firm.admin.email });
      const first = tokenFrom((await ctx.lastEmail(firm.admin.email)).link as string);
      await ctx.agent().post('/api/v1/auth/password-reset', { email: firm.admin.email });
      const second = tokenFrom((await ctx.lastEmail(firm.admin.email)).link as string);
      expect(second).not.toBe(first);
      const superseded = await ctx.agent().get(`/api/v1/auth/password-tokens/${first}`);
      expect(superseded.status).toBe(410);
      expect(superseded.body.code).toBe('TOKEN_SUPERSEDED');
      await ctx.db.query(`UPDATE password_tokens SET expires_at = now() - interval '1 minute' WHERE user_id = $1 AND superseded_at IS NULL`, [
        firm.admin.id,
      ]);
      const expired = await ctx.agent().post('/api/v1/auth/password', { token: second, password: 'long-enough-password' });
      expect(expired.status).toBe(410);
      expect(expired.body.code).toBe('TOKEN_EXPIRED');
      const invalid = await ctx.agent().get('/api/v1/auth/password-tokens/not-a-real-token');
      expect(invalid.status).toBe(404);
      expect(invalid.body.code).toBe('TOKEN_INVALID');
    });

    it('refuses a short password without using up the link', async () => {
      const firm = await ctx.newFirm();
      await ctx.agent().post('/api/v1/auth/password-reset', { email: firm.admin.email });
      const token = tokenFrom((await ctx.lastEmail(firm.admin.email)).link as string);
      const short = await ctx.agent().post('/api/v1/auth/password', { token, password: 'short' });
      expect(short.status).toBe(400);
      expect(short.body.message).toMatch(/at least 10 characters/);
      expect((await ctx.agent().get(`/api/v1/auth/password-tokens/${token}`)).status).toBe(200);
      const bad = await ctx.agent().post('/api/v1/auth/password-reset', { email: 12 });
      expect(bad.status).toBe(400);
    });
  });
});

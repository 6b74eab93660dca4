import { FirmsService } from '@ledgerport/server/firms';
import { TEST_PASSWORD, TestContext, tokenFrom, type Agent } from './harness';

const OPERATOR_TOKEN = 'operator-token-for-firms-int-spec-0123456789';

describe('firms: applications, approval and the public face (T1)', () => {
  let ctx: TestContext;
  let operator: Agent;

  beforeAll(async () => {
    ctx = await TestContext.start({ OPERATOR_TOKEN });
    operator = ctx.agent();
  });
  afterAll(() => ctx.close());

  const asOperator = { headers: { authorization: `Bearer ${OPERATOR_TOKEN}` } };
  const newApplication = (over: Record<string, unknown> = {}) => ({
    firmName: ctx.unique('Northwind Bookkeeping'),
    contactName: 'Nora Winters',
    email: `${ctx.unique('nora')}@northwind.test`,
    phone: '+1 (555) 010-0100',
    size: '6-20',
    ...over,
  });
  const apply = (body: unknown) => ctx.agent().post('/api/v1/firm-applications', body);
  const approve = (idOrEmail: string) =>
    operator.post(`/api/v1/operator/firms/${encodeURIComponent(idOrEmail)}/approve`, undefined, asOperator);
  const firmRow = async (id: string) => (await ctx.db.query(`SELECT * FROM firms WHERE id = $1`, [id]))[0];
  const activityOf = (firmId: string) =>
    ctx.db.query(
      `SELECT action, summary, actor_user_id, actor_name, target_type, target_id FROM activity_log WHERE firm_id = $1 ORDER BY id`,
      [firmId],
    );

  describe('POST /api/v1/firm-applications', () => {
    it('creates a pending firm, logs firm.applied and emails the applicant that the application arrived', async () => {
      const body = newApplication({ email: `  ${ctx.unique('Nora.Case')}@NorthWind.test ` });
      const res = await apply(body);
      expect(res.status).toBe(201);
      expect(res.body).toEqual({ id: expect.any(String), firmName: body.firmName, status: 'pending' });

      const email = (body.email as string).trim().toLowerCase();
      const row = await firmRow(res.body.id);
      expect(row).toMatchObject({
        name: body.firmName,
        status: 'pending',
        contact_name: 'Nora Winters',
        contact_email: email,
        phone: '+1 (555) 010-0100',
        size: '6-20',
        approved_at: null,
      });
      // No login exists until the operator approves the firm.
      expect(await ctx.db.query(`SELECT 1 FROM users WHERE firm_id = $1`, [res.body.id])).toHaveLength(0);

      const mail = await ctx.lastEmail(email);
      expect(mail.subject).toBe(`We received ${body.firmName}'s application`);
      expect(mail.text).toContain('Hello Nora Winters,');
      expect(mail.text).toMatch(/When it is approved you will get an email/);
      expect(mail.link).toBeUndefined();

      expect(await activityOf(res.body.id)).toEqual([
        {
          action: 'firm.applied',
          summary: `Nora Winters applied for ${body.firmName}`,
          actor_user_id: null,
          actor_name: 'Nora Winters',
          target_type: 'firm',
          target_id: res.body.id,
        },
      ]);
    });

    it('does not let the applicant of a pending firm sign in', async () => {
      const body = newApplication();
      expect((await apply(body)).status).toBe(201);
      const login = await ctx
        .agent()
        .post('/api/v1/auth/login', { email: body.email, password: TEST_PASSWORD });
      expect(login.status).toBe(401);
      expect(login.body.code).toBe('INVALID_CREDENTIALS');
      const reset = await ctx.agent().post('/api/v1/auth/password-reset', { email: body.email });
      expect(reset.status).toBe(202);
      expect((await ctx.lastEmail(body.email as string)).subject).toMatch(/We received/);
    });

    it('refuses an email that already has a login or a pending application, in any letter case', async () => {
      const firm = await ctx.newFirm();
      const hasLogin = await apply(newApplication({ email: firm.admin.email.toUpperCase() }));
      expect(hasLogin.status).toBe(409);
      expect(hasLogin.body.code).toBe('EMAIL_ALREADY_REGISTERED');
      expect(hasLogin.body.message).toMatch(/already has a Ledgerport login or a pending application/);

      const first = newApplication();
      expect((await apply(first)).status).toBe(201);
      const again = await apply(newApplication({ email: (first.email as string).toUpperCase() }));
      expect(again.status).toBe(409);
      expect(again.body.code).toBe('EMAIL_ALREADY_REGISTERED');
      const rows = await ctx.db.query(`SELECT 1 FROM firms WHERE contact_email = $1`, [first.email]);
      expect(rows).toHaveLength(1);
    });

    it('refuses malformed applications field by field with 400 VALIDATION_FAILED and writes nothing', async () => {
      const marker = ctx.unique('Invalid Firm');
      const cases: [string, Record<string, unknown>][] = [
        ['firmName', { firmName: undefined }],
        ['firmName', { firmName: 42 }],
        ['firmName', { firmName: ' A ' }],
        ['firmName', { firmName: 'x'.repeat(121) }],
        ['contactName', { contactName: undefined }],
        ['contactName', { contactName: ['Nora'] }],
        ['contactName', { contactName: 'N' }],
        ['contactName', { contactName: 'n'.repeat(121) }],
        ['email', { email: undefined }],
        ['email', { email: 'not-an-email' }],
        ['email', { email: 12345 }],
        ['email', { email: `${'a'.repeat(250)}@x.test` }],
        ['phone', { phone: undefined }],
        ['phone', { phone: 5550100 }],
        ['phone', { phone: 'call me maybe' }],
        ['phone', { phone: '12345' }],
        ['phone', { phone: '1'.repeat(31) }],
        ['size', { size: undefined }],
        ['size', { size: 'huge' }],
        ['size', { size: 3 }],
        ['size', { size: '100+' }],
        ['isApproved', { isApproved: true }],
      ];
      for (const [field, over] of cases) {
        const body = newApplication({ firmName: `${marker} ${field}`, ...over });
        const res = await apply(body);
        expect({ over, status: res.status, code: res.body.code }).toEqual({
          over,
          status: 400,
          code: 'VALIDATION_FAILED',
        });
        expect(typeof res.body.message).toBe('string');
        expect(res.body.details).toEqual(
          expect.arrayContaining([expect.objectContaining({ field, message: expect.any(String) })]),
        );
      }
      const bad = await apply(newApplication({ size: 'huge' }));
      expect(bad.body.message).toMatch(/size must be one of 1, 2-5, 6-20, 21-50, 51\+/);
      const phone = await apply(newApplication({ phone: 'call me maybe' }));
      expect(phone.body.message).toMatch(/phone must be a phone number/);

      for (const body of [undefined, [], 'a string', null]) {
        const res = await ctx.agent().request('POST', '/api/v1/firm-applications', {
          rawBody: body === undefined ? undefined : JSON.stringify(body),
          headers: { 'content-type': 'application/json' },
        });
        expect(res.status).toBe(400);
      }
      const written = await ctx.db.query(`SELECT 1 FROM firms WHERE name LIKE $1`, [`${marker}%`]);
      expect(written).toHaveLength(0);
    });

    it('answers an oversized body with 413 PAYLOAD_TOO_LARGE and invalid JSON with 400', async () => {
      const huge = await apply(newApplication({ firmName: 'x'.repeat(2 * 1024 * 1024) }));
      expect(huge.status).toBe(413);
      expect(huge.body.code).toBe('PAYLOAD_TOO_LARGE');
      const broken = await ctx.agent().request('POST', '/api/v1/firm-applications', {
        rawBody: '{"firmName":',
        headers: { 'content-type': 'application/json' },
      });
      expect(broken.status).toBe(400);
      expect(broken.body.code).toBe('INVALID_JSON');
    });
  });

  describe('slugs', () => {
    it('gives two firms with the same name distinct slugs, each resolving to its own firm once approved', async () => {
      const name = ctx.unique('Smith & Jones, LLC');
      const a = await apply(newApplication({ firmName: name }));
      const b = await apply(newApplication({ firmName: name }));
      expect([a.status, b.status]).toEqual([201, 201]);
      const [ra, rb] = [await firmRow(a.body.id), await firmRow(b.body.id)];
      const base = name.toLowerCase().replace(' & ', '-and-').replace(', ', '-');
      expect(ra.slug).toBe(base);
      expect(rb.slug).toBe(`${base}-2`);

      expect((await approve(a.body.id)).status).toBe(200);
      expect((await approve(b.body.id)).status).toBe(200);
      const pa = await ctx.agent().get(`/api/v1/public/firms/${ra.slug}`);
      const pb = await ctx.agent().get(`/api/v1/public/firms/${rb.slug}`);
      expect(pa.body).toEqual({ name, slug: ra.slug, portalName: name, accentColor: null, logoUrl: null, googleSignIn: false });
      expect(pb.body).toEqual({ name, slug: rb.slug, portalName: name, accentColor: null, logoUrl: null, googleSignIn: false });
    });

    it('gives distinct slugs to same-named firms applying at the same moment', async () => {
      const name = ctx.unique('Simultaneous Books');
      const results = await Promise.all([0, 1, 2, 3].map(() => apply(newApplication({ firmName: name }))));
      expect(results.map((r) => r.status)).toEqual([201, 201, 201, 201]);
      const slugs = (await ctx.db.query(`SELECT slug FROM firms WHERE name = $1`, [name])).map(
        (r: { slug: string }) => r.slug,
      );
      expect(new Set(slugs).size).toBe(4);
    });

    it('accepts only one of several simultaneous applications with the same email', async () => {
      const email = `${ctx.unique('twice')}@northwind.test`;
      const results = await Promise.all([0, 1, 2, 3].map(() => apply(newApplication({ email }))));
      expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409]);
      expect(await ctx.db.query(`SELECT 1 FROM firms WHERE contact_email = $1`, [email])).toHaveLength(1);
    });
  });

  describe('GET /api/v1/public/firms/:slug', () => {
    it('shows an approved firm and hides a pending or unknown one behind the same 404', async () => {
      const firm = await ctx.newFirm();
      const ok = await ctx.agent().get(`/api/v1/public/firms/${firm.slug}`);
      expect(ok.status).toBe(200);
      expect(ok.body).toEqual({ name: firm.name, slug: firm.slug, portalName: firm.name, accentColor: null, logoUrl: null, googleSignIn: false });

      await ctx.db.query(`UPDATE firms SET portal_name = 'The Portal' WHERE id = $1`, [firm.id]);
      expect((await ctx.agent().get(`/api/v1/public/firms/${firm.slug}`)).body.portalName).toBe('The Portal');

      const pending = await apply(newApplication());
      const slug = (await firmRow(pending.body.id)).slug;
      const hidden = await ctx.agent().get(`/api/v1/public/firms/${slug}`);
      const unknown = await ctx.agent().get(`/api/v1/public/firms/${ctx.unique('no-such-firm')}`);
      for (const r of [hidden, unknown]) {
        expect(r.status).toBe(404);
        expect(r.body.code).toBe('FIRM_NOT_FOUND');
      }
      expect(hidden.body).toEqual(unknown.body);
    });
  });

  describe('platform operator', () => {
    it('lists applications by status with the applicant details', async () => {
      const body = newApplication({ size: '51+' });
      const created = await apply(body);
      const pending = await operator.get('/api/v1/operator/firms?status=pending', asOperator);
      expect(pending.status).toBe(200);
      const item = pending.body.items.find((f: { id: string }) => f.id === created.body.id);
      expect(item).toEqual({
        id: created.body.id,
        name: body.firmName,
        slug: expect.any(String),
        status: 'pending',
        contactName: 'Nora Winters',
        contactEmail: body.email,
        phone: body.phone,
        size: '51+',
        createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        approvedAt: null,
      });
      expect(pending.body.items.every((f: { status: string }) => f.status === 'pending')).toBe(true);

      const approved = await operator.get('/api/v1/operator/firms?status=approved', asOperator);
      expect(approved.body.items.some((f: { id: string }) => f.id === created.body.id)).toBe(false);
      expect(approved.body.items.every((f: { status: string }) => f.status === 'approved')).toBe(true);

      const all = await operator.get('/api/v1/operator/firms', asOperator);
      expect(all.status).toBe(200);
      expect(all.body.items.some((f: { id: string }) => f.id === created.body.id)).toBe(true);

      const bad = await operator.get('/api/v1/operator/firms?status=rejected', asOperator);
      expect(bad.status).toBe(400);
      expect(bad.body.code).toBe('VALIDATION_FAILED');
    });

    it('approves by id: creates the admin, logs firm.approved, and the invitation lets the admin set a password and sign in', async () => {
      const body = newApplication();
      const { body: created } = await apply(body);
      const res = await approve(created.id);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        id: created.id,
        name: body.firmName,
        status: 'approved',
        contactEmail: body.email,
        approvedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      });

      const users = await ctx.db.query(
        `SELECT id, email, name, role, password_hash, activated_at FROM users WHERE firm_id = $1`,
        [created.id],
      );
      expect(users).toEqual([
        {
          id: expect.any(String),
          email: body.email,
          name: 'Nora Winters',
          role: 'admin',
          password_hash: null,
          activated_at: null,
        },
      ]);
      const logged = await activityOf(created.id);
      expect(logged.map((a: { action: string }) => a.action)).toEqual(['firm.applied', 'firm.approved']);
      expect(logged[1]).toMatchObject({
        actor_user_id: null,
        actor_name: 'Platform operator',
        summary: `${body.firmName} was approved; Nora Winters invited as admin`,
        target_id: created.id,
      });

      const mail = await ctx.lastEmail(body.email as string);
      expect(mail.subject).toBe(`${body.firmName} is approved on Ledgerport`);
      expect(mail.link).toMatch(/\/set-password\?token=/);
      const token = tokenFrom(mail.link as string);
      const info = await ctx.agent().get(`/api/v1/auth/password-tokens/${token}`);
      expect(info.body).toEqual({
        purpose: 'invite',
        email: body.email,
        name: 'Nora Winters',
        firmName: body.firmName,
      });

      const admin = ctx.agent();
      const set = await admin.post('/api/v1/auth/password', { token, password: 'the-first-admin-password' });
      expect(set.status).toBe(200);
      expect(set.body.user).toMatchObject({ email: body.email, role: 'admin' });
      expect(set.body.firm).toMatchObject({ id: created.id, name: body.firmName });
      const firm = await admin.get('/api/v1/firm');
      expect(firm.status).toBe(200);
      expect(firm.body).toEqual({
        id: created.id,
        name: body.firmName,
        slug: res.body.slug,
        status: 'approved',
        portalName: body.firmName,
      });

      const signedIn = await ctx.signIn(body.email as string, 'the-first-admin-password');
      expect((await signedIn.get('/api/v1/firm')).body.id).toBe(created.id);
      expect((await ctx.agent().get(`/api/v1/public/firms/${res.body.slug}`)).status).toBe(200);

      const activity = await signedIn.get('/api/v1/activity');
      expect(activity.body.items.map((a: { action: string }) => a.action)).toEqual([
        'user.activated',
        'firm.approved',
        'firm.applied',
      ]);
      expect(activity.body.items[1]).toMatchObject({ actor: null, client: null });
    });

    it("approves by the applicant's email, in any case and with stray spaces", async () => {
      const body = newApplication();
      const { body: created } = await apply(body);
      const res = await approve(` ${(body.email as string).toUpperCase()} `);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: created.id, status: 'approved' });
      expect((await ctx.lastEmail(body.email as string)).subject).toMatch(/is approved on Ledgerport/);
    });

    it('approves a firm once when approvals by id and by email race', async () => {
      const body = newApplication();
      const { body: created } = await apply(body);
      const results = await Promise.all([
        approve(created.id),
        approve(body.email as string),
        approve(created.id),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409]);
      expect(
        results.filter((r) => r.status === 409).every((r) => r.body.code === 'FIRM_ALREADY_APPROVED'),
      ).toBe(true);
      expect(await ctx.db.query(`SELECT 1 FROM users WHERE firm_id = $1`, [created.id])).toHaveLength(1);
      const invites = await ctx.db.query(
        `SELECT 1 FROM outbound_emails WHERE to_address = $1 AND subject LIKE '%is approved%'`,
        [body.email],
      );
      expect(invites).toHaveLength(1);
    });

    it('refuses to approve twice, and answers 404 for an unknown id or email', async () => {
      const body = newApplication();
      const { body: created } = await apply(body);
      expect((await approve(created.id)).status).toBe(200);
      const mailsBefore = await ctx.db.query(
        `SELECT count(*) AS n FROM outbound_emails WHERE to_address = $1`,
        [body.email],
      );
      for (const key of [created.id, body.email as string]) {
        const twice = await approve(key);
        expect(twice.status).toBe(409);
        expect(twice.body.code).toBe('FIRM_ALREADY_APPROVED');
      }
      const mailsAfter = await ctx.db.query(
        `SELECT count(*) AS n FROM outbound_emails WHERE to_address = $1`,
        [body.email],
      );
      expect(mailsAfter[0].n).toBe(mailsBefore[0].n);
      expect(await ctx.db.query(`SELECT 1 FROM users WHERE firm_id = $1`, [created.id])).toHaveLength(1);

      for (const key of ['00000000-0000-4000-8000-000000000000', 'nobody@nowhere.test', 'not-a-firm']) {
        const missing = await approve(key);
        expect(missing.status).toBe(404);
        expect(missing.body.code).toBe('FIRM_NOT_FOUND');
      }
    });

    it('refuses to approve a firm whose applicant has meanwhile got a login elsewhere, and leaves it pending', async () => {
      const body = newApplication();
      const { body: created } = await apply(body);
      const other = await ctx.newFirm();
      await ctx.db.query(
        `INSERT INTO users (firm_id, email, name, role) VALUES ($1, $2, 'Nora Winters', 'staff')`,
        [other.id, body.email],
      );
      const res = await approve(created.id);
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('EMAIL_ALREADY_REGISTERED');
      expect((await firmRow(created.id)).status).toBe('pending');
      expect((await activityOf(created.id)).map((a: { action: string }) => a.action)).toEqual([
        'firm.applied',
      ]);
    });

    it('answers 401 OPERATOR_UNAUTHORIZED without the right bearer token, and changes nothing', async () => {
      const { body: created } = await apply(newApplication());
      const attempts: Record<string, string>[] = [
        {},
        { authorization: 'Bearer wrong-token-wrong-token-wrong-token' },
        { authorization: `Bearer ${OPERATOR_TOKEN}x` },
        { authorization: `Bearer ${OPERATOR_TOKEN.slice(0, -1)}` },
        { authorization: OPERATOR_TOKEN },
        { authorization: `Basic ${Buffer.from(`operator:${OPERATOR_TOKEN}`).toString('base64')}` },
        { authorization: 'Bearer ' },
      ];
      for (const headers of attempts) {
        const list = await ctx.agent().get('/api/v1/operator/firms?status=pending', { headers });
        const post = await ctx
          .agent()
          .post(`/api/v1/operator/firms/${created.id}/approve`, undefined, { headers });
        for (const r of [list, post]) {
          expect({ headers, status: r.status, code: r.body.code }).toEqual({
            headers,
            status: 401,
            code: 'OPERATOR_UNAUTHORIZED',
          });
        }
      }
      const staff = await ctx.signIn((await ctx.newFirm()).admin.email);
      expect((await staff.get('/api/v1/operator/firms')).status).toBe(401);
      expect((await firmRow(created.id)).status).toBe('pending');
    });
  });

  describe('the CLI approval path (FirmsService.approve)', () => {
    it('approves by email with the CLI label, and refuses unknown or already approved firms', async () => {
      const firms = ctx.app.get(FirmsService);
      const body = newApplication();
      const { body: created } = await apply(body);
      const firm = await firms.approve(
        `  ${(body.email as string).toUpperCase()}`,
        'Platform operator (CLI)',
      );
      expect(firm).toMatchObject({ id: created.id, status: 'approved', contact_email: body.email });
      expect((await activityOf(created.id)).at(-1)).toMatchObject({
        action: 'firm.approved',
        actor_name: 'Platform operator (CLI)',
      });
      expect((await ctx.lastEmail(body.email as string)).link).toMatch(/\/set-password\?token=/);

      await expect(firms.approve(created.id, 'Platform operator (CLI)')).rejects.toMatchObject({
        code: 'FIRM_ALREADY_APPROVED',
      });
      await expect(firms.approve('ghost@nowhere.test', 'Platform operator (CLI)')).rejects.toMatchObject({
        code: 'FIRM_NOT_FOUND',
        message: expect.stringContaining('ghost@nowhere.test'),
      });

      const listed = await firms.listForOperator('approved');
      expect(listed.find((f) => f.id === created.id)).toMatchObject({
        status: 'approved',
        contactEmail: body.email,
      });
    });
  });

  describe('GET /api/v1/firm', () => {
    it("answers the signed-in person's own firm, for admins and staff, and 401 when signed out", async () => {
      const firm = await ctx.newFirm();
      const staff = await ctx.newStaff(firm);
      const expected = {
        id: firm.id,
        name: firm.name,
        slug: firm.slug,
        status: 'approved',
        portalName: firm.name,
      };
      for (const email of [firm.admin.email, staff.email]) {
        const res = await (await ctx.signIn(email)).get('/api/v1/firm');
        expect(res.status).toBe(200);
        expect(res.body).toEqual(expected);
      }
      const out = await ctx.agent().get('/api/v1/firm');
      expect(out.status).toBe(401);
      expect(out.body.code).toBe('UNAUTHENTICATED');
    });
  });
});

describe('firms: operator endpoints when OPERATOR_TOKEN is not configured', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    delete process.env.OPERATOR_TOKEN;
    ctx = await TestContext.start();
  });
  afterAll(() => ctx.close());

  it('answers 401 OPERATOR_UNAUTHORIZED to every caller, even with a bearer token, and approves nothing', async () => {
    const created = await ctx.agent().post('/api/v1/firm-applications', {
      firmName: ctx.unique('Off Books'),
      contactName: 'Olive Off',
      email: `${ctx.unique('olive')}@off.test`,
      phone: '+44 20 7946 0000',
      size: '1',
    });
    expect(created.status).toBe(201);
    const asOperator = { headers: { authorization: `Bearer ${OPERATOR_TOKEN}` } };
    const list = await ctx.agent().get('/api/v1/operator/firms', asOperator);
    const post = await ctx
      .agent()
      .post(`/api/v1/operator/firms/${created.body.id}/approve`, undefined, asOperator);
    const bare = await ctx.agent().get('/api/v1/operator/firms');
    for (const r of [list, post, bare]) {
      expect(r.status).toBe(401);
      expect(r.body.code).toBe('OPERATOR_UNAUTHORIZED');
      expect(r.body.message).toMatch(/set OPERATOR_TOKEN/);
    }
    const [row] = await ctx.db.query(`SELECT status FROM firms WHERE id = $1`, [created.body.id]);
    expect(row.status).toBe('pending');
  });
});

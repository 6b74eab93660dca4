import { randomUUID } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import {
  expectError,
  inviteContact,
  portalSignIn,
  requestBytes,
  TestContext,
  tokenFrom,
  type Agent,
  type BytesRes,
  type Res,
  type TestFirm,
} from './harness';

const B = '/api/v1/firm/branding';
const LOGO = `${B}/logo`;
const SESSION = '/api/v1/portal/auth/session';
const DIRECTORY = '/api/v1/portal/firm-directory';
const access = (businessId: string) => `/api/v1/portal/businesses/${businessId}/firm-access`;

/* ---------- tiny images built in the test ---------- */

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (b: Buffer): number => {
  let c = 0xffffffff;
  for (const byte of b) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** A valid 1×1 RGB PNG of the given colour. */
function png(rgb: [number, number, number] = [0x0f, 0x5f, 0x6b]): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const typed = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(typed));
    return Buffer.concat([len, typed, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(1, 0); // width
  ihdr.writeUInt32BE(1, 4); // height
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type: RGB
  return Buffer.concat([
    PNG_SIGNATURE,
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.from([0, ...rgb]))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
/** Starts like a JPEG (SOI + APP0); enough for a signature check. */
const jpeg = (): Buffer =>
  Buffer.concat([
    Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]),
    Buffer.from('JFIF\0fake-jpeg-body', 'latin1'),
    Buffer.from([0xff, 0xd9]),
  ]);
const SVG = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');

describe('portal branding (T8) and business owners giving firms access (T2)', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    // Link requests are counted per IP in Redis, shared by every test file of the run.
    ctx = await TestContext.start({ LINK_REQUESTS_PER_IP: '100000' });
  });
  afterAll(() => ctx.close());

  const newEmail = (p = 'contact') => `${ctx.unique(p)}@business.test`;
  const emailsTo = async (to: string): Promise<number> =>
    (
      await ctx.db.query(`SELECT count(*)::int AS n FROM outbound_emails WHERE to_address = $1`, [
        to.toLowerCase(),
      ])
    )[0].n;
  const lastHtml = async (to: string): Promise<{ subject: string; html: string; text: string }> => {
    const [row] = await ctx.db.query(
      `SELECT subject, html_body AS html, text_body AS text FROM outbound_emails WHERE to_address = $1 ORDER BY created_at DESC LIMIT 1`,
      [to.toLowerCase()],
    );
    return row;
  };
  const activity = (firmId: string) =>
    ctx.db.query(
      `SELECT action, summary, actor_user_id, actor_name, client_id, client_name, target_type, target_id
         FROM activity_log WHERE firm_id = $1 ORDER BY id`,
      [firmId],
    );
  const brandingRow = async (firmId: string) =>
    (
      await ctx.db.query(
        `SELECT portal_name, portal_accent, portal_logo, portal_logo_type, portal_logo_updated_at, updated_at FROM firms WHERE id = $1`,
        [firmId],
      )
    )[0];
  const brandingState = async (firmId: string) => ({
    row: await brandingRow(firmId),
    log: await ctx.db.query(`SELECT id, action FROM activity_log WHERE firm_id = $1 ORDER BY id`, [firmId]),
  });
  const putLogo = (
    a: Agent | undefined,
    bytes: Buffer,
    contentType: string,
    o: { noCsrf?: boolean } = {},
  ): Promise<BytesRes> => requestBytes(ctx, a, 'PUT', LOGO, { payload: bytes, contentType, ...o });
  const getBytes = (url: string): Promise<BytesRes> => requestBytes(ctx, undefined, 'GET', url);
  const defaults = (firm: TestFirm) => ({ portalName: firm.name, accentColor: '#1f7469' });

  describe('branding (T8)', () => {
    it('shows any staff member the branding and its defaults; a signed-out caller gets 401', async () => {
      const firm = await ctx.newFirm();
      const staff = await ctx.signIn((await ctx.newStaff(firm, [])).email);
      const r = await staff.get(B);
      expect(r.status).toBe(200);
      expect(r.body).toEqual({
        portalName: null,
        accentColor: null,
        logoUrl: null,
        defaults: defaults(firm),
      });
      expectError(await ctx.agent().get(B), 401, 'UNAUTHENTICATED');
    });

    it('lets an admin set the portal name and accent (trimmed, lower-cased), logs it, and the public firm page shows it; null restores the defaults', async () => {
      const firm = await ctx.newFirm();
      const admin = await ctx.signIn(firm.admin.email);
      const staff = await ctx.signIn((await ctx.newStaff(firm, [])).email);
      const r = await admin.put(B, { portalName: '  Northwind Client Hub ', accentColor: ' #1A2B3C ' });
      expect(r.status).toBe(200);
      expect(r.body).toEqual({
        portalName: 'Northwind Client Hub',
        accentColor: '#1a2b3c',
        logoUrl: null,
        defaults: defaults(firm),
      });
      expect(await brandingRow(firm.id)).toMatchObject({
        portal_name: 'Northwind Client Hub',
        portal_accent: '#1a2b3c',
      });
      expect((await staff.get(B)).body).toEqual(r.body);
      const pub = await ctx.agent().get(`/api/v1/public/firms/${firm.slug}`);
      expect(pub.status).toBe(200);
      expect(pub.body).toEqual({
        name: firm.name,
        slug: firm.slug,
        portalName: 'Northwind Client Hub',
        accentColor: '#1a2b3c',
        logoUrl: null,
        googleSignIn: false,
      });
      expect((await activity(firm.id)).at(-1)).toEqual({
        action: 'firm.branding_updated',
        summary: 'Changed the portal branding (name: Northwind Client Hub, colour: #1a2b3c)',
        actor_user_id: firm.admin.id,
        actor_name: 'Admin Person',
        client_id: null,
        client_name: null,
        target_type: 'firm',
        target_id: firm.id,
      });

      const reset = await admin.put(B, { portalName: null, accentColor: null });
      expect(reset.status).toBe(200);
      expect(reset.body).toEqual({
        portalName: null,
        accentColor: null,
        logoUrl: null,
        defaults: defaults(firm),
      });
      expect(await brandingRow(firm.id)).toMatchObject({ portal_name: null, portal_accent: null });
      expect((await ctx.agent().get(`/api/v1/public/firms/${firm.slug}`)).body).toMatchObject({
        portalName: firm.name,
        accentColor: null,
      });
      const blank = await admin.put(B, { portalName: '   ', accentColor: '' });
      expect(blank.body).toMatchObject({ portalName: null, accentColor: null });
      expect((await activity(firm.id)).at(-1).summary).toBe(
        'Changed the portal branding (name: firm name, colour: default)',
      );
    });

    it('refuses an accent white text is unreadable on with 400 ACCENT_COLOR_UNREADABLE and the contrast, changing nothing', async () => {
      const firm = await ctx.newFirm();
      const admin = await ctx.signIn(firm.admin.email);
      await admin.put(B, { portalName: 'Kept Name', accentColor: '#123456' });
      const before = await brandingState(firm.id);
      for (const accentColor of ['#ffcc00', '#FFFFFF', '#777777']) {
        const r = await admin.put(B, { portalName: 'Changed Name', accentColor });
        expectError(r, 400, 'ACCENT_COLOR_UNREADABLE');
        expect(r.body.details.minimum).toBe(4.5);
        expect(r.body.details.contrast).toBeLessThan(4.5);
        expect(r.body.details.contrast).toBeGreaterThanOrEqual(1);
      }
      const yellow = await admin.put(B, { portalName: 'Changed Name', accentColor: '#ffcc00' });
      expect(yellow.body.details.contrast).toBeCloseTo(1.51, 2);
      expect(await brandingState(firm.id)).toEqual(before);
      const edge = await admin.put(B, { portalName: 'Kept Name', accentColor: '#767676' });
      expect(edge.status).toBe(200);
    });

    it('refuses malformed branding with 400 VALIDATION_FAILED naming the field, changing nothing', async () => {
      const firm = await ctx.newFirm();
      const admin = await ctx.signIn(firm.admin.email);
      const before = await brandingState(firm.id);
      const ok = { portalName: 'Fine Name', accentColor: '#123456' };
      const cases: [unknown, string | null][] = [
        [{ ...ok, accentColor: 'red' }, 'accentColor'],
        [{ ...ok, accentColor: '#fff' }, 'accentColor'],
        [{ ...ok, accentColor: '#12345g' }, 'accentColor'],
        [{ ...ok, accentColor: 'rgb(0,0,0)' }, 'accentColor'],
        [{ ...ok, accentColor: '123456' }, 'accentColor'],
        [{ ...ok, accentColor: 123456 }, 'accentColor'],
        [{ portalName: 'Fine Name' }, 'accentColor'],
        [{ ...ok, portalName: 'x' }, 'portalName'],
        [{ ...ok, portalName: 'n'.repeat(81) }, 'portalName'],
        [{ ...ok, portalName: 5 }, 'portalName'],
        [{ accentColor: '#123456' }, 'portalName'],
        [{ ...ok, logoUrl: 'https://evil.test/logo.png' }, 'logoUrl'],
        [{ ...ok, firmId: randomUUID() }, 'firmId'],
        [[ok], null],
      ];
      for (const [body, field] of cases) {
        const r = await admin.put(B, body);
        const shown = JSON.stringify(body).slice(0, 80);
        expect({ shown, status: r.status, code: r.body.code }).toEqual({
          shown,
          status: 400,
          code: 'VALIDATION_FAILED',
        });
        if (field)
          expect(r.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
      }
      expect(await brandingState(firm.id)).toEqual(before);
    });

    it('is for admins: staff get 403 ADMIN_ONLY, signed-out callers 401, writes without CSRF 403; nothing changes', async () => {
      const firm = await ctx.newFirm();
      const admin = await ctx.signIn(firm.admin.email);
      const staff = await ctx.signIn(
        (
          await ctx.newStaff(
            firm,
            firm.clients.map((c) => c.id),
          )
        ).email,
      );
      const before = await brandingState(firm.id);
      const body = { portalName: 'Staff Made', accentColor: '#123456' };
      expectError(await staff.put(B, body), 403, 'ADMIN_ONLY');
      expectError(await putLogo(staff, png(), 'image/png'), 403, 'ADMIN_ONLY');
      expectError(await staff.delete(LOGO), 403, 'ADMIN_ONLY');
      expectError(await ctx.agent().put(B, body), 401, 'UNAUTHENTICATED');
      expectError(await putLogo(undefined, png(), 'image/png'), 401, 'UNAUTHENTICATED');
      expectError(await ctx.agent().delete(LOGO), 401, 'UNAUTHENTICATED');
      expectError(await admin.put(B, body, { noCsrf: true }), 403, 'CSRF_TOKEN_INVALID');
      expectError(await putLogo(admin, png(), 'image/png', { noCsrf: true }), 403, 'CSRF_TOKEN_INVALID');
      expectError(await admin.delete(LOGO, { noCsrf: true }), 403, 'CSRF_TOKEN_INVALID');
      expect(await brandingState(firm.id)).toEqual(before);
    });

    it("shows the branding in a signed-in contact's session and in the next sign-in email", async () => {
      const firm = await ctx.newFirm({ clients: ['Alpha Bakery'] });
      const admin = await ctx.signIn(firm.admin.email);
      const email = newEmail('maria');
      const inv = await inviteContact(ctx, admin, firm.clients[0].id, { name: 'Maria Lopez', email });
      const { agent, session } = await portalSignIn(ctx, inv.token);
      expect(session.businesses[0].firm).toEqual({
        name: firm.name,
        slug: firm.slug,
        portalName: null,
        accentColor: null,
        logoUrl: null,
      });

      expect((await admin.put(B, { portalName: 'Alpha Hub Portal', accentColor: '#5b2a86' })).status).toBe(
        200,
      );
      expect((await agent.get(SESSION)).body.businesses[0].firm).toEqual({
        name: firm.name,
        slug: firm.slug,
        portalName: 'Alpha Hub Portal',
        accentColor: '#5b2a86',
        logoUrl: null,
      });
      const link = await ctx.agent().post('/api/v1/portal/auth/sign-in-link', { email, firmSlug: firm.slug });
      expect(link.status).toBe(202);
      const mail = await lastHtml(email);
      expect(mail.subject).toBe('Your sign-in link for Alpha Hub Portal');
      expect(mail.text.split('\n')[0]).toBe('Alpha Hub Portal');
      expect(mail.html).toContain('Alpha Hub Portal');
      expect(mail.html).toContain('background:#5b2a86');
      expect(mail.html).not.toContain('#1f7469');
      expect(
        (
          await ctx
            .agent()
            .get(`/api/v1/portal/auth/sign-in-link/${tokenFrom((await ctx.lastEmail(email)).link as string)}`)
        ).body,
      ).toMatchObject({
        firmName: 'Alpha Hub Portal',
      });

      const up = await putLogo(admin, png(), 'image/png');
      expect(up.status).toBe(200);
      expect((await agent.get(SESSION)).body.businesses[0].firm.logoUrl).toBe(up.body.logoUrl);
      await ctx.agent().post('/api/v1/portal/auth/sign-in-link', { email, firmSlug: firm.slug });
      const withLogo = await lastHtml(email);
      expect(withLogo.html).toMatch(
        new RegExp(
          `<img src="https?://[^"]+${up.body.logoUrl.replace(/[?]/g, '\\?')}" alt="Alpha Hub Portal"`,
        ),
      );
      expect(withLogo.html).toContain('background:#5b2a86');
    });

    describe('logo', () => {
      it('takes a PNG as the raw body and serves the same bytes publicly with safe headers; a JPEG replaces it under a new URL', async () => {
        const firm = await ctx.newFirm();
        const admin = await ctx.signIn(firm.admin.email);
        const image = png();
        const r = await putLogo(admin, image, 'image/png');
        expect(r.status).toBe(200);
        expect(r.body).toEqual({
          portalName: null,
          accentColor: null,
          logoUrl: expect.stringMatching(new RegExp(`^/api/v1/public/firms/${firm.slug}/logo\\?v=\\d+$`)),
          defaults: defaults(firm),
        });
        expect((await admin.get(B)).body.logoUrl).toBe(r.body.logoUrl);
        expect((await ctx.agent().get(`/api/v1/public/firms/${firm.slug}`)).body.logoUrl).toBe(
          r.body.logoUrl,
        );
        const served = await getBytes(r.body.logoUrl);
        expect(served.status).toBe(200);
        expect(served.bytes.equals(image)).toBe(true);
        expect(served.headers['content-type']).toBe('image/png');
        expect(served.headers['cache-control']).toMatch(/max-age=\d+/);
        expect(served.headers['x-content-type-options']).toBe('nosniff');
        expect((await activity(firm.id)).at(-1)).toMatchObject({
          action: 'firm.logo_updated',
          actor_user_id: firm.admin.id,
          target_type: 'firm',
          target_id: firm.id,
        });

        const j = jpeg();
        const replaced = await putLogo(admin, j, 'image/jpeg');
        expect(replaced.status).toBe(200);
        expect(replaced.body.logoUrl).not.toBe(r.body.logoUrl);
        const served2 = await getBytes(replaced.body.logoUrl);
        expect(served2.bytes.equals(j)).toBe(true);
        expect(served2.headers['content-type']).toBe('image/jpeg');
      });

      it('refuses SVG and bytes that are not the declared type with 415 LOGO_TYPE_NOT_ALLOWED, changing nothing', async () => {
        const firm = await ctx.newFirm();
        const admin = await ctx.signIn(firm.admin.email);
        expect((await putLogo(admin, png(), 'image/png')).status).toBe(200);
        const before = await brandingState(firm.id);
        const cases: [Buffer, string][] = [
          [SVG, 'image/svg+xml'],
          [jpeg(), 'image/png'],
          [Buffer.from('definitely not an image at all'), 'image/png'],
          [png(), 'image/jpeg'],
          [png(), 'image/gif'],
          [Buffer.from('RIFF0000WEBX-not-webp'), 'image/webp'],
          [Buffer.from('just some text'), 'text/plain'],
        ];
        for (const [bytes, type] of cases) {
          const r = await putLogo(admin, bytes, type);
          expect({ type, status: r.status, code: r.body?.code }).toEqual({
            type,
            status: 415,
            code: 'LOGO_TYPE_NOT_ALLOWED',
          });
        }
        expect((await putLogo(admin, png(), 'application/octet-stream')).status).toBe(415);
        expectError(await putLogo(admin, Buffer.alloc(0), 'image/png'), 400, 'LOGO_EMPTY');
        expect(await brandingState(firm.id)).toEqual(before);
      });

      it('refuses a logo over 512 KB with 413 LOGO_TOO_LARGE (512 KB itself is fine), changing nothing', async () => {
        const firm = await ctx.newFirm();
        const admin = await ctx.signIn(firm.admin.email);
        const before = await brandingState(firm.id);
        const padded = (size: number) => Buffer.concat([png(), Buffer.alloc(size - png().length, 0)]);
        const big = await putLogo(admin, padded(512 * 1024 + 1), 'image/png');
        expectError(big, 413, 'LOGO_TOO_LARGE');
        expect(big.body.details).toEqual({ maxBytes: 512 * 1024 });
        const huge = await putLogo(admin, padded(2 * 1024 * 1024), 'image/png');
        expect(huge.status).toBe(413);
        expect(await brandingState(firm.id)).toEqual(before);
        const exact = await putLogo(admin, padded(512 * 1024), 'image/png');
        expect(exact.status).toBe(200);
        expect((await getBytes(exact.body.logoUrl)).bytes.length).toBe(512 * 1024);
      });

      it('removes the logo: the URL then answers 404 LOGO_NOT_FOUND, and it is logged', async () => {
        const firm = await ctx.newFirm();
        const admin = await ctx.signIn(firm.admin.email);
        const up = await putLogo(admin, png(), 'image/png');
        const r = await admin.delete(LOGO);
        expect(r.status).toBe(200);
        expect(r.body).toEqual({
          portalName: null,
          accentColor: null,
          logoUrl: null,
          defaults: defaults(firm),
        });
        expect(await brandingRow(firm.id)).toMatchObject({ portal_logo: null, portal_logo_type: null });
        expectError(await getBytes(up.body.logoUrl), 404, 'LOGO_NOT_FOUND');
        expect((await ctx.agent().get(`/api/v1/public/firms/${firm.slug}`)).body.logoUrl).toBeNull();
        expect((await activity(firm.id)).at(-1)).toMatchObject({
          action: 'firm.logo_removed',
          target_id: firm.id,
        });
        expectError(await getBytes('/api/v1/public/firms/no-such-firm-anywhere/logo'), 404, 'LOGO_NOT_FOUND');
      });

      it("never serves a pending firm's logo", async () => {
        const [p] = await ctx.db.query(
          `INSERT INTO firms (name, slug, status, contact_name, contact_email, phone, size, portal_logo, portal_logo_type, portal_logo_updated_at)
           VALUES ($1, $2, 'pending', 'P', $3, '1', '1', $4, 'image/png', now()) RETURNING slug`,
          [ctx.unique('Pending'), ctx.unique('pending'), newEmail('pending'), png()],
        );
        expectError(await getBytes(`/api/v1/public/firms/${p.slug}/logo`), 404, 'LOGO_NOT_FOUND');
      });
    });

    it("lets another firm's admin change only their own branding and logo", async () => {
      const firm = await ctx.newFirm();
      const other = await ctx.newFirm();
      const admin = await ctx.signIn(firm.admin.email);
      const otherAdmin = await ctx.signIn(other.admin.email);
      await admin.put(B, { portalName: 'Ours Hub', accentColor: '#123456' });
      const ourLogo = await putLogo(admin, png([1, 2, 3]), 'image/png');
      const before = await brandingState(firm.id);
      const theirs = await otherAdmin.put(B, { portalName: 'Theirs Hub', accentColor: '#654321' });
      expect(theirs.body).toMatchObject({ portalName: 'Theirs Hub', accentColor: '#654321' });
      expect((await putLogo(otherAdmin, png([9, 9, 9]), 'image/png')).status).toBe(200);
      expect((await otherAdmin.delete(LOGO)).status).toBe(200);
      expect(await brandingState(firm.id)).toEqual(before);
      expect((await admin.get(B)).body).toMatchObject({
        portalName: 'Ours Hub',
        accentColor: '#123456',
        logoUrl: ourLogo.body.logoUrl,
      });
      expect((await getBytes(ourLogo.body.logoUrl)).bytes.equals(png([1, 2, 3]))).toBe(true);
      expect(await brandingRow(other.id)).toMatchObject({ portal_name: 'Theirs Hub', portal_logo: null });
    });

    it('GET /public/sign-in-options says Google sign-in is off unless configured', async () => {
      const r = await ctx.agent().get('/api/v1/public/sign-in-options');
      expect(r.status).toBe(200);
      expect(r.body).toEqual({ googleSignIn: false });
      expect(r.headers['cache-control']).toBe('no-store');
    });
  });

  describe('firm access (T2)', () => {
    interface World {
      a: TestFirm;
      b: TestFirm;
      /** a second admin of B, and a staff member of B (not emailed) */
      b2: { id: string; email: string };
      bStaff: { id: string; email: string };
      pending: { id: string; name: string };
      acme: { id: string; name: string };
      otherBiz: { id: string; name: string };
      owner: Agent;
      ownerEmail: string;
      ownerContactId: string;
      member: Agent;
      otherOwner: Agent;
      bAdmin: Agent;
    }

    const world = async (): Promise<World> => {
      const a = await ctx.newFirm({ clients: ['Acme Shop', 'Other Biz'] });
      const b = await ctx.newFirm({ clients: ['Unrelated Ltd'] });
      const b2 = await ctx.newStaff(b, [], 'admin');
      const bStaff = await ctx.newStaff(b, []);
      const [pending] = await ctx.db.query(
        `INSERT INTO firms (name, slug, status, contact_name, contact_email, phone, size)
         VALUES ($1, $2, 'pending', 'Pen Ding', $3, '1', '1') RETURNING id, name`,
        [ctx.unique('Pending Firm'), ctx.unique('pending'), newEmail('pending')],
      );
      const [acme, otherBiz] = a.clients;
      const adminA = await ctx.signIn(a.admin.email);
      const ownerEmail = newEmail('owner');
      const o = await inviteContact(ctx, adminA, acme.id, {
        name: 'Olivia Owner',
        email: ownerEmail,
        role: 'owner',
      });
      const m = await inviteContact(ctx, adminA, acme.id, { name: 'Mo Member', email: newEmail('member') });
      const x = await inviteContact(ctx, adminA, otherBiz.id, {
        name: 'Xena Other',
        email: newEmail('xena'),
        role: 'owner',
      });
      return {
        a,
        b,
        b2,
        bStaff,
        pending,
        acme,
        otherBiz,
        owner: (await portalSignIn(ctx, o.token)).agent,
        ownerEmail,
        ownerContactId: (await ctx.db.query(`SELECT id FROM contacts WHERE email = $1`, [ownerEmail]))[0].id,
        member: (await portalSignIn(ctx, m.token)).agent,
        otherOwner: (await portalSignIn(ctx, x.token)).agent,
        bAdmin: await ctx.signIn(b.admin.email),
      };
    };

    /** Everything a firm-access request could change: compared before and after refused requests. */
    const accessState = async (w: World) => ({
      clients: await ctx.db.query(
        `SELECT id, firm_id, name, status, revoked_at, updated_at FROM clients
          WHERE business_id IN (SELECT business_id FROM clients WHERE id IN ($1, $2)) OR firm_id IN ($3, $4) ORDER BY id`,
        [w.acme.id, w.otherBiz.id, w.b.id, w.pending.id],
      ),
      memberships: await ctx.db.query(
        `SELECT id, client_id, status, role FROM client_contacts WHERE firm_id IN ($1, $2) ORDER BY id`,
        [w.a.id, w.b.id],
      ),
      emails: await ctx.db.query(`SELECT id FROM outbound_emails WHERE firm_id IN ($1, $2) ORDER BY id`, [
        w.a.id,
        w.b.id,
      ]),
      log: await ctx.db.query(`SELECT id, action FROM activity_log WHERE firm_id IN ($1, $2) ORDER BY id`, [
        w.a.id,
        w.b.id,
      ]),
    });
    const clientIds = async (staff: Agent): Promise<string[]> => {
      const r = await staff.get('/api/v1/clients?status=all&limit=200');
      expect(r.status).toBe(200);
      return r.body.items.map((c: { id: string }) => c.id);
    };

    it('lets an owner list the firms with access: their own firm, marked current', async () => {
      const w = await world();
      const r = await w.owner.get(access(w.acme.id));
      expect(r.status).toBe(200);
      expect(r.body).toEqual({
        items: [
          {
            firmId: w.a.id,
            firmName: w.a.name,
            firmSlug: w.a.slug,
            businessId: w.acme.id,
            grantedAt: expect.any(String),
            current: true,
          },
        ],
      });
      expect(new Date(r.body.items[0].grantedAt).toISOString()).toBe(r.body.items[0].grantedAt);
    });

    it('refuses a member (not an owner) with 403 OWNER_ONLY on list, grant and revoke, changing nothing', async () => {
      const w = await world();
      const before = await accessState(w);
      expectError(await w.member.get(access(w.acme.id)), 403, 'OWNER_ONLY');
      expectError(await w.member.post(access(w.acme.id), { firmId: w.b.id }), 403, 'OWNER_ONLY');
      expectError(await w.member.delete(`${access(w.acme.id)}/${w.a.id}`), 403, 'OWNER_ONLY');
      expect(await accessState(w)).toEqual(before);
      expect(await clientIds(w.bAdmin)).not.toContain(w.acme.id);
    });

    it('searches the directory of approved firms by name or slug (at least 2 characters), never listing pending firms, at most 10', async () => {
      const w = await world();
      const marker = ctx.unique('zq').replace('-', '');
      const insert = (name: string, status: 'approved' | 'pending') =>
        ctx.db.query(
          `INSERT INTO firms (name, slug, status, contact_name, contact_email, phone, size, approved_at)
           VALUES ($1, $2, $3, 'X', $4, '1', '1', CASE WHEN $3 = 'approved' THEN now() END) RETURNING id, name, slug`,
          [name, ctx.unique('dir'), status, newEmail('dir')],
        );
      const [approved] = await insert(`Bright ${marker} Books`, 'approved');
      await insert(`Pending ${marker} Books`, 'pending');
      const r = await w.owner.get(`${DIRECTORY}?q=${encodeURIComponent(marker.toUpperCase())}`);
      expect(r.status).toBe(200);
      expect(r.body).toEqual({ items: [{ id: approved.id, name: approved.name, slug: approved.slug }] });
      const bySlug = await w.owner.get(`${DIRECTORY}?q=${encodeURIComponent(w.b.slug)}`);
      expect(bySlug.body.items.map((f: { id: string }) => f.id)).toEqual([w.b.id]);
      const byPendingName = await w.owner.get(`${DIRECTORY}?q=${encodeURIComponent(w.pending.name)}`);
      expect(byPendingName.body).toEqual({ items: [] });
      expect((await w.owner.get(`${DIRECTORY}?q=%25%25`)).body.items).toEqual([]);

      for (let i = 0; i < 11; i++)
        await insert(`Many ${marker} Firm ${String(i).padStart(2, '0')}`, 'approved');
      const many = await w.owner.get(`${DIRECTORY}?q=Many%20${marker}`);
      expect(many.body.items.map((f: { name: string }) => f.name)).toEqual(
        Array.from({ length: 10 }, (_, i) => `Many ${marker} Firm ${String(i).padStart(2, '0')}`),
      );
      expect((await w.member.get(`${DIRECTORY}?q=${marker}`)).status).toBe(200);

      for (const q of ['', 'x', '  x  ', 'q'.repeat(101)]) {
        const bad = await w.owner.get(`${DIRECTORY}?q=${encodeURIComponent(q)}`);
        expectError(bad, 400, 'VALIDATION_FAILED');
        expect(bad.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'q' })]));
      }
      expectError(await w.owner.get(DIRECTORY), 400, 'VALIDATION_FAILED');
      expectError(await ctx.agent().get(`${DIRECTORY}?q=${marker}`), 401, 'UNAUTHENTICATED');
      expectError(await w.bAdmin.get(`${DIRECTORY}?q=${marker}`), 401, 'UNAUTHENTICATED');
    });

    it("grants another approved firm access: 201, the firm's admins see the client at once and are emailed, and its activity log says so", async () => {
      const w = await world();
      const mails = [
        await emailsTo(w.b.admin.email),
        await emailsTo(w.b2.email),
        await emailsTo(w.bStaff.email),
      ];
      const aLog = (await activity(w.a.id)).length;
      const r = await w.owner.post(access(w.acme.id), { firmId: w.b.id });
      expect(r.status).toBe(201);
      expect(r.body).toEqual({
        firmId: w.b.id,
        firmName: w.b.name,
        firmSlug: w.b.slug,
        businessId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        grantedAt: expect.any(String),
        current: false,
      });
      const newId = r.body.businessId as string;
      expect(newId).not.toBe(w.acme.id);
      const row = (await ctx.db.query(`SELECT * FROM clients WHERE id = $1`, [newId]))[0];
      const src = (await ctx.db.query(`SELECT business_id FROM clients WHERE id = $1`, [w.acme.id]))[0];
      expect(row).toMatchObject({
        firm_id: w.b.id,
        name: 'Acme Shop',
        status: 'active',
        business_id: src.business_id,
      });

      expect(await clientIds(w.bAdmin)).toContain(newId);
      const seen = await w.bAdmin.get(`/api/v1/clients/${newId}`);
      expect(seen.status).toBe(200);
      expect(seen.body).toMatchObject({ id: newId, name: 'Acme Shop', status: 'active' });
      expect(await clientIds(await ctx.signIn(w.b2.email))).toContain(newId);

      expect([
        await emailsTo(w.b.admin.email),
        await emailsTo(w.b2.email),
        await emailsTo(w.bStaff.email),
      ]).toEqual([mails[0] + 1, mails[1] + 1, mails[2]]);
      const mail = await ctx.lastEmail(w.b.admin.email);
      expect(mail.subject).toBe(`Acme Shop gave ${w.b.name} access on Ledgerport`);
      expect(mail.text).toContain('Olivia Owner, an owner of Acme Shop');
      expect(mail.link).toMatch(new RegExp(`/clients/${newId}$`));

      expect((await activity(w.b.id)).at(-1)).toEqual({
        action: 'client.access_granted',
        summary: `Olivia Owner, an owner of Acme Shop, gave ${w.b.name} access through the client portal`,
        actor_user_id: null,
        actor_name: 'Olivia Owner (client)',
        client_id: newId,
        client_name: 'Acme Shop',
        target_type: 'client',
        target_id: newId,
      });
      expect(await activity(w.a.id)).toHaveLength(aLog);

      const list = await w.owner.get(access(w.acme.id));
      const expected = [
        { name: w.a.name, row: [w.a.id, w.acme.id, true] },
        { name: w.b.name, row: [w.b.id, newId, false] },
      ].sort((x, y) => (x.name < y.name ? -1 : 1));
      expect(
        list.body.items.map((i: { firmId: string; current: boolean; businessId: string }) => [
          i.firmId,
          i.businessId,
          i.current,
        ]),
      ).toEqual(expected.map((e) => e.row));
      const session = await w.owner.get(SESSION);
      expect(session.body.businesses.map((x: { id: string }) => x.id)).toContain(newId);
      expect(session.body.businesses.find((x: { id: string }) => x.id === newId)).toMatchObject({
        role: 'owner',
        firm: { slug: w.b.slug },
      });
    });

    it('answers a grant, and a grant again after a revoke, with the very item the list then shows (same grantedAt)', async () => {
      const w = await world();
      const listed = async () =>
        (await w.owner.get(access(w.acme.id))).body.items.find(
          (i: { firmId: string }) => i.firmId === w.b.id,
        );
      const first = await w.owner.post(access(w.acme.id), { firmId: w.b.id });
      expect(first.status).toBe(201);
      const firstListed = await listed();
      expect(await w.owner.delete(`${access(w.acme.id)}/${w.b.id}`)).toMatchObject({ status: 204 });
      const again = await w.owner.post(access(w.acme.id), { firmId: w.b.id });
      expect(again.status).toBe(201);
      const againListed = await listed();
      expect({ first: firstListed, again: againListed }).toEqual({ first: first.body, again: again.body });
      expect(new Date(againListed.grantedAt).getTime()).toBeGreaterThan(
        new Date(firstListed.grantedAt).getTime(),
      );
    });

    it('refuses a firm that already has access (409 FIRM_ALREADY_HAS_ACCESS) and a pending or unknown firm (404 FIRM_NOT_FOUND), changing nothing', async () => {
      const w = await world();
      expect((await w.owner.post(access(w.acme.id), { firmId: w.b.id })).status).toBe(201);
      const before = await accessState(w);
      expectError(await w.owner.post(access(w.acme.id), { firmId: w.b.id }), 409, 'FIRM_ALREADY_HAS_ACCESS');
      expectError(await w.owner.post(access(w.acme.id), { firmId: w.a.id }), 409, 'FIRM_ALREADY_HAS_ACCESS');
      expectError(await w.owner.post(access(w.acme.id), { firmId: w.pending.id }), 404, 'FIRM_NOT_FOUND');
      expectError(await w.owner.post(access(w.acme.id), { firmId: randomUUID() }), 404, 'FIRM_NOT_FOUND');
      for (const body of [
        {},
        { firmId: 'not-a-uuid' },
        { firmId: 5 },
        { firmId: w.b.id, role: 'owner' },
        [{ firmId: w.b.id }],
      ]) {
        expectError(await w.owner.post(access(w.acme.id), body), 400, 'VALIDATION_FAILED');
      }
      expect(await accessState(w)).toEqual(before);
    });

    it("revokes: 204, the client leaves the firm's lists at once, its admins are emailed and it is logged; a new grant brings back the same client row", async () => {
      const w = await world();
      const granted = await w.owner.post(access(w.acme.id), { firmId: w.b.id });
      const newId = granted.body.businessId as string;
      const mails = [await emailsTo(w.b.admin.email), await emailsTo(w.b2.email)];

      const r = await w.owner.delete(`${access(w.acme.id)}/${w.b.id}`);
      expect(r.status).toBe(204);
      expect(await clientIds(w.bAdmin)).not.toContain(newId);
      expectError(await w.bAdmin.get(`/api/v1/clients/${newId}`), 404, 'CLIENT_NOT_FOUND');
      expectError(await w.bAdmin.get(`/api/v1/clients/${newId}/contacts`), 404, 'CLIENT_NOT_FOUND');
      expect((await ctx.db.query(`SELECT status FROM clients WHERE id = $1`, [newId]))[0].status).toBe(
        'revoked',
      );
      expect([await emailsTo(w.b.admin.email), await emailsTo(w.b2.email)]).toEqual([
        mails[0] + 1,
        mails[1] + 1,
      ]);
      expect((await ctx.lastEmail(w.b2.email)).subject).toBe(`Acme Shop removed ${w.b.name}'s access`);
      expect((await activity(w.b.id)).at(-1)).toEqual({
        action: 'client.access_revoked',
        summary: `Olivia Owner, an owner of Acme Shop, removed ${w.b.name}'s access through the client portal`,
        actor_user_id: null,
        actor_name: 'Olivia Owner (client)',
        client_id: newId,
        client_name: 'Acme Shop',
        target_type: 'client',
        target_id: newId,
      });
      expect(
        (await w.owner.get(access(w.acme.id))).body.items.map((i: { firmId: string }) => i.firmId),
      ).toEqual([w.a.id]);
      expect((await w.owner.get(SESSION)).body.businesses.map((x: { id: string }) => x.id)).not.toContain(
        newId,
      );

      const before = await accessState(w);
      expectError(await w.owner.delete(`${access(w.acme.id)}/${w.b.id}`), 404, 'ACCESS_NOT_FOUND');
      expect(await accessState(w)).toEqual(before);

      const again = await w.owner.post(access(w.acme.id), { firmId: w.b.id });
      expect(again.status).toBe(201);
      expect(again.body.businessId).toBe(newId);
      expect(await clientIds(w.bAdmin)).toContain(newId);
      expect((await w.bAdmin.get(`/api/v1/clients/${newId}`)).body).toMatchObject({
        id: newId,
        status: 'active',
      });
      expect(
        await ctx.db.query(`SELECT id FROM clients WHERE firm_id = $1 AND name LIKE 'Acme Shop%'`, [w.b.id]),
      ).toEqual([{ id: newId }]);
    });

    it('answers 409 FIRM_ALREADY_HAS_ACCESS, not 500, when the same firm is granted concurrently from another firm’s client row of the business', async () => {
      // The business is a client of A and B; its owner(s) grant C from both portals at once.
      const w = await world();
      const atB = await w.owner.post(access(w.acme.id), { firmId: w.b.id });
      expect(atB.status).toBe(201);
      const c = await ctx.newFirm({ clients: [] });
      const [r] = await ctx.whileHeld(
        `INSERT INTO clients (firm_id, name, business_id) SELECT $1, 'Acme Shop', business_id FROM clients WHERE id = $2`,
        [c.id, atB.body.businessId],
        1,
        () => [w.owner.post(access(w.acme.id), { firmId: c.id })],
      );
      expectError(r, 409, 'FIRM_ALREADY_HAS_ACCESS');
      expect(await ctx.db.query(`SELECT name FROM clients WHERE firm_id = $1`, [c.id])).toEqual([
        { name: 'Acme Shop' },
      ]);
    });

    it('grants access, not 500, when the firm creates a client of the same name at the same moment', async () => {
      const w = await world();
      const [r] = await ctx.whileHeld(
        `INSERT INTO clients (firm_id, name) VALUES ($1, 'ACME SHOP')`,
        [w.b.id],
        1,
        () => [w.owner.post(access(w.acme.id), { firmId: w.b.id })],
      );
      expect(r.status).toBe(201);
      const names = (
        await ctx.db.query(`SELECT name FROM clients WHERE firm_id = $1 ORDER BY name`, [w.b.id])
      ).map((x: { name: string }) => x.name);
      expect(names).toHaveLength(3);
      expect(names).toContain('ACME SHOP');
    });

    it('answers 404 ACCESS_NOT_FOUND when revoking a firm without access, and 404 for malformed ids, changing nothing', async () => {
      const w = await world();
      const before = await accessState(w);
      for (const firmId of [w.b.id, w.pending.id, randomUUID()]) {
        expectError(await w.owner.delete(`${access(w.acme.id)}/${firmId}`), 404, 'ACCESS_NOT_FOUND');
      }
      expectError(await w.owner.delete(`${access(w.acme.id)}/not-a-uuid`), 404, 'NOT_FOUND');
      expectError(await w.owner.get(access('not-a-uuid')), 404, 'NOT_FOUND');
      expect(await accessState(w)).toEqual(before);
    });

    it('names the new client after the business, with the owner’s email when the firm already has a client of that name', async () => {
      const w = await world();
      await ctx.newClient(w.b.id, 'acme shop');
      const r = await w.owner.post(access(w.acme.id), { firmId: w.b.id });
      expect(r.status).toBe(201);
      expect((await w.bAdmin.get(`/api/v1/clients/${r.body.businessId}`)).body.name).toBe(
        `Acme Shop (${w.ownerEmail})`,
      );
    });

    it('gives a contact of another business 404 BUSINESS_NOT_FOUND on list, grant and revoke, changing nothing', async () => {
      const w = await world();
      const before = await accessState(w);
      for (const businessId of [w.acme.id, randomUUID(), w.b.clients[0].id]) {
        expectError(await w.otherOwner.get(access(businessId)), 404, 'BUSINESS_NOT_FOUND');
        expectError(
          await w.otherOwner.post(access(businessId), { firmId: w.b.id }),
          404,
          'BUSINESS_NOT_FOUND',
        );
        expectError(await w.otherOwner.delete(`${access(businessId)}/${w.a.id}`), 404, 'BUSINESS_NOT_FOUND');
      }
      expect(await accessState(w)).toEqual(before);
      expect((await w.otherOwner.get(access(w.otherBiz.id))).status).toBe(200);
    });

    it('refuses signed-out callers and staff sessions with 401, and writes without CSRF with 403, changing nothing', async () => {
      const w = await world();
      const before = await accessState(w);
      const calls = (a: Agent, o?: { noCsrf?: boolean }): Promise<Res>[] => [
        a.get(access(w.acme.id)),
        a.post(access(w.acme.id), { firmId: w.b.id }, o),
        a.delete(`${access(w.acme.id)}/${w.a.id}`, o),
      ];
      for (const r of await Promise.all(calls(ctx.agent()))) expectError(r, 401, 'UNAUTHENTICATED');
      for (const r of await Promise.all(calls(w.bAdmin))) expectError(r, 401, 'UNAUTHENTICATED');
      const [, grant, revoke] = await Promise.all(calls(w.owner, { noCsrf: true }));
      expectError(grant, 403, 'CSRF_TOKEN_INVALID');
      expectError(revoke, 403, 'CSRF_TOKEN_INVALID');
      expect(await accessState(w)).toEqual(before);
    });
  });
});

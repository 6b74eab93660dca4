import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { loginWithoutBrowser } from '../../../tools/oidc-test-provider.mjs';
import { expectError, TestContext, type Agent, type TestFirm } from './harness';

const CLIENT_ID = 'ledgerport-int';
const CLIENT_SECRET = 'ledgerport-int-google-client-secret';
const APP_URL = 'http://localhost:3000';

/** The local OpenID provider (oidc-provider, ESM) in its own process, as Google would be. */
async function startProvider(): Promise<{ issuer: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [join(__dirname, '../../../tools/oidc-test-provider.mjs')], {
    env: {
      ...process.env,
      OIDC_PORT: '0',
      OIDC_CLIENT_ID: CLIENT_ID,
      OIDC_CLIENT_SECRET: CLIENT_SECRET,
      OIDC_REDIRECT_URIS: `${APP_URL}/api/v1/auth/google/callback`,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  for await (const chunk of child.stdout!) {
    out += String(chunk);
    const m = /listening on (\S+)/.exec(out);
    if (m) return { issuer: m[1], child };
  }
  throw new Error(`the OpenID provider did not start: ${out}`);
}

describe('Sign in with Google (A2) against a local OpenID provider', () => {
  let ctx: TestContext;
  let provider: { issuer: string; child: ChildProcess };
  let firm: TestFirm;
  let admin: Agent;

  beforeAll(async () => {
    provider = await startProvider();
    ctx = await TestContext.start({
      APP_URL,
      GOOGLE_ISSUER_URL: provider.issuer,
      GOOGLE_CLIENT_ID: CLIENT_ID,
      GOOGLE_CLIENT_SECRET: CLIENT_SECRET,
    });
    firm = await ctx.newFirm({ clients: ['Google Coffee'] });
    admin = await ctx.signIn(firm.admin.email);
  });
  afterAll(async () => {
    await ctx.close();
    provider.child.kill();
    await once(provider.child, 'exit');
  });

  const invite = async (email: string) => {
    const res = await admin.post(`/api/v1/clients/${firm.clients[0].id}/contacts`, { name: 'Gina Google', email });
    expect(res.status).toBe(201);
  };

  /** Start → provider login → callback, in one browser-like agent. */
  const googleSignIn = async (a: Agent, start: string, email: string, opts: { emailVerified?: boolean; cancel?: boolean } = {}) => {
    const started = await a.get(start);
    expect(started.status).toBe(302);
    const back = new URL(await loginWithoutBrowser(String(started.headers.location), email, opts));
    expect(back.origin + back.pathname).toBe(`${APP_URL}/api/v1/auth/google/callback`);
    return a.get(back.pathname + back.search);
  };

  it('advertises Google on the public firm and the sign-in options once configured', async () => {
    expect((await ctx.agent().get(`/api/v1/public/firms/${firm.slug}`)).body.googleSignIn).toBe(true);
    expect((await ctx.agent().get('/api/v1/public/sign-in-options')).body).toEqual({ googleSignIn: true });
  });

  it('redirects to the provider with PKCE (S256), state, nonce and the exact callback', async () => {
    const a = ctx.agent();
    const res = await a.get(`/api/v1/auth/google/start?for=portal&slug=${firm.slug}`);
    expect(res.status).toBe(302);
    const url = new URL(String(res.headers.location));
    expect(url.origin).toBe(new URL(provider.issuer).origin);
    expect(url.searchParams.get('client_id')).toBe(CLIENT_ID);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(url.searchParams.get('nonce')).toBeTruthy();
    expect(url.searchParams.get('redirect_uri')).toBe(`${APP_URL}/api/v1/auth/google/callback`);
    expect(url.searchParams.get('scope')).toBe('openid email profile');
    // The state is bound to this browser by an httpOnly cookie scoped to the callback.
    expect(a.cookies.lp_oidc_state).toBe(url.searchParams.get('state'));
    expect(String(res.headers['set-cookie'])).toMatch(/lp_oidc_state=.*Path=\/api\/v1\/auth\/google\/callback.*HttpOnly/i);
  });

  it('signs an invited contact in to the portal of the firm they started from, and links the Google account', async () => {
    const email = `gina-${Date.now()}@google.test`;
    await invite(email);
    const a = ctx.agent();
    const res = await googleSignIn(a, `/api/v1/auth/google/start?for=portal&slug=${firm.slug}`, email.toUpperCase());
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe(`/portal/${firm.slug}/home`);
    expect(a.cookies.lp_portal).toBeTruthy();
    const session = await a.get('/api/v1/portal/auth/session');
    expect(session.status).toBe(200);
    expect(session.body.contact.email).toBe(email);
    expect(session.body.businesses.map((b: { name: string }) => b.name)).toEqual(['Google Coffee']);
    const [row] = await ctx.db.query(`SELECT google_subject FROM contacts WHERE email = $1`, [email]);
    expect(row.google_subject).toBe(email.toUpperCase()); // the test provider's subject is the login as typed
    const [m] = await ctx.db.query(`SELECT status FROM client_contacts cc JOIN contacts k ON k.id = cc.contact_id WHERE k.email = $1`, [email]);
    expect(m.status).toBe('active');
  });

  it('opens the portal page the person set out for (`next`), and keeps it when sending them back to try again', async () => {
    const email = `gina-next-${Date.now()}@google.test`;
    await invite(email);
    const page = 'questions/0b7c6a8e-3f51-4c1e-9d1a-2f8e4b6c7d90';
    const a = ctx.agent();
    const res = await googleSignIn(a, `/api/v1/auth/google/start?for=portal&slug=${firm.slug}&next=${encodeURIComponent(page)}`, email);
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe(`/portal/${firm.slug}/${page}`);
    expect(a.cookies.lp_portal).toBeTruthy();

    const stranger = await googleSignIn(ctx.agent(), `/api/v1/auth/google/start?for=portal&slug=${firm.slug}&next=settings/email`, `nobody-${Date.now()}@google.test`);
    expect(stranger.headers.location).toBe(`/portal/${firm.slug}?signInError=GOOGLE_NOT_INVITED&next=settings%2Femail`);
  });

  it('refuses a Google account whose email nobody invited, with a message code for the sign-in page', async () => {
    const a = ctx.agent();
    const res = await googleSignIn(a, `/api/v1/auth/google/start?for=portal&slug=${firm.slug}`, `stranger-${Date.now()}@google.test`);
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe(`/portal/${firm.slug}?signInError=GOOGLE_NOT_INVITED`);
    expect(a.cookies.lp_portal).toBeUndefined();
  });

  it('refuses an unverified email even when it was invited', async () => {
    const email = `unverified-${Date.now()}@google.test`;
    await invite(email);
    const a = ctx.agent();
    const res = await googleSignIn(a, `/api/v1/auth/google/start?for=portal&slug=${firm.slug}`, email, { emailVerified: false });
    expect(res.headers.location).toBe(`/portal/${firm.slug}?signInError=GOOGLE_EMAIL_UNVERIFIED`);
    expect(a.cookies.lp_portal).toBeUndefined();
  });

  it('refuses a callback from another browser (no state cookie) and a replayed one', async () => {
    const email = `replay-${Date.now()}@google.test`;
    await invite(email);
    const a = ctx.agent();
    const started = await a.get(`/api/v1/auth/google/start?for=portal&slug=${firm.slug}`);
    const back = new URL(await loginWithoutBrowser(String(started.headers.location), email));
    const elsewhere = await ctx.agent().get(back.pathname + back.search);
    expect(elsewhere.headers.location).toBe('/sign-in?signInError=GOOGLE_FAILED');
    // The browser that started the flow still finishes it; replaying the same callback then fails.
    const own = await a.get(back.pathname + back.search);
    expect(own.headers.location).toBe(`/portal/${firm.slug}/home`);
    const b = ctx.agent();
    b.cookies.lp_oidc_state = a.cookies.lp_oidc_state ?? new URL(String(started.headers.location)).searchParams.get('state')!;
    const replay = await b.get(back.pathname + back.search);
    expect(replay.headers.location).toBe('/sign-in?signInError=GOOGLE_FAILED');
    expect(b.cookies.lp_portal).toBeUndefined();
  });

  it('goes back to the sign-in page when the person cancels at the provider', async () => {
    const res = await googleSignIn(ctx.agent(), `/api/v1/auth/google/start?for=portal&slug=${firm.slug}`, 'x@google.test', { cancel: true });
    expect(res.headers.location).toBe(`/portal/${firm.slug}?signInError=GOOGLE_FAILED`);
  });

  it('signs firm staff in to the console with the same Google sign-in, and refuses strangers', async () => {
    const a = ctx.agent();
    const res = await googleSignIn(a, '/api/v1/auth/google/start?for=console', firm.admin.email);
    expect(res.headers.location).toBe('/');
    expect(a.cookies.lp_session).toBeTruthy();
    const session = await a.get('/api/v1/auth/session');
    expect(session.body.user.email).toBe(firm.admin.email);

    const b = ctx.agent();
    const refused = await googleSignIn(b, '/api/v1/auth/google/start?for=console', `nobody-${Date.now()}@google.test`);
    expect(refused.headers.location).toBe('/sign-in?signInError=GOOGLE_NOT_INVITED');
    expect(b.cookies.lp_session).toBeUndefined();

    // The page a signed-out visit was for: opened after signing in, and kept through a refusal.
    const deep = await googleSignIn(ctx.agent(), '/api/v1/auth/google/start?for=console&next=clients/some-id/transactions', firm.admin.email);
    expect(deep.headers.location).toBe('/clients/some-id/transactions');
    const refusedDeep = await googleSignIn(ctx.agent(), '/api/v1/auth/google/start?for=console&next=questions', `nobody-${Date.now()}@google.test`);
    expect(refusedDeep.headers.location).toBe('/sign-in?signInError=GOOGLE_NOT_INVITED&next=%2Fquestions');
  });

  it('activates an invited staff member who has not chosen a password yet', async () => {
    const invited = await admin.post('/api/v1/team/invitations', { name: 'New Person', email: `new-${Date.now()}@firm.test`, role: 'staff' });
    expect(invited.status).toBe(201);
    const email = invited.body.email as string;
    const a = ctx.agent();
    const res = await googleSignIn(a, '/api/v1/auth/google/start?for=console', email);
    expect(res.headers.location).toBe('/');
    const [u] = await ctx.db.query(`SELECT activated_at, password_hash FROM users WHERE email = $1`, [email]);
    expect(u.activated_at).not.toBeNull();
    expect(u.password_hash).toBeNull();
  });

  it('refuses bad input on start', async () => {
    expectError(await ctx.agent().get('/api/v1/auth/google/start?for=elsewhere'), 400, 'VALIDATION_FAILED');
    expectError(await ctx.agent().get('/api/v1/auth/google/start'), 400, 'VALIDATION_FAILED');
    expectError(await ctx.agent().get('/api/v1/auth/google/start?for=portal'), 400, 'VALIDATION_FAILED');
    expectError(await ctx.agent().get('/api/v1/auth/google/start?for=portal&slug=no-such-firm'), 404, 'FIRM_NOT_FOUND');
    expectError(await ctx.agent().get('/api/v1/auth/google/start?for=portal&slug=Bad%20Slug!'), 400, 'VALIDATION_FAILED');
    for (const next of ['https://evil.test', '//evil.test', '/questions', 'a/../b', 'x'.repeat(201)]) {
      for (const start of [`for=portal&slug=${firm.slug}`, 'for=console']) {
        expectError(await ctx.agent().get(`/api/v1/auth/google/start?${start}&next=${encodeURIComponent(next)}`), 400, 'VALIDATION_FAILED');
      }
    }
  });
});

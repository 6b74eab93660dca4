#!/usr/bin/env node
// A local OpenID Connect provider standing in for Google in tests (oidc-provider), on 127.0.0.1.
//
//   issuer     http://127.0.0.1:<port>      discovery at /.well-known/openid-configuration
//   flow       authorization code, PKCE (S256) required for every client, confidential client
//              (client_secret_basic by default), scopes `openid email profile`
//   id_token   RS256, carries sub, email, email_verified, name, given_name, family_name (like Google's)
//   prompts    login, consent, select_account (Google's usual one; accepted and shown as the login form)
//
// Nobody has a password: whoever types an email address on the login form is that account
// (sub = the email as typed, unless "Account ID" is filled in). Consent is automatic (every requested
// scope and claim is granted), so the login form is the only page a user sees, and it is shown on
// every authorization request (no single sign-on between tests in one browser).
//
// HOW A TEST SIGNS IN
// The API redirects the browser to <issuer>/auth?…, which redirects to <issuer>/interaction/<uid>,
// the login form (heading "Sign in with Google (test provider)"):
//   field                                   name attribute   Playwright
//   "Email" (required)                      email            page.getByLabel('Email', { exact: true })
//   "Name" (optional; default from email)   name             page.getByLabel('Name', { exact: true })
//   "Mark the address as not verified"      unverified=1     page.getByLabel('Mark the address as not verified')
//     (checkbox: the id_token then says email_verified=false)
//   "Account ID (sub)" (optional)           sub              page.getByLabel('Account ID (sub)')
//   button "Continue"                       action=login     page.getByRole('button', { name: 'Continue' })
//   button "Cancel"                         action=cancel    → redirect_uri?error=access_denied&state=…
// After "Continue" the browser lands on the client's redirect_uri with ?code=…&state=…
// (iss=… too). From Node (Jest), `loginWithoutBrowser(authorizationUrl, email)` below does the same
// with fetch and returns that final redirect URL.
//
// Standalone (e.g. for `npm start` with Google sign-in):
//   OIDC_PORT=3027 OIDC_CLIENT_ID=ledgerport-dev OIDC_CLIENT_SECRET=dev-secret \
//   OIDC_REDIRECT_URIS=http://localhost:3000/api/v1/auth/google/callback node tools/oidc-test-provider.mjs
// It prints the GOOGLE_* variables to give the API.
//
// The oidc-provider package is ESM-only and imported lazily inside startOidcProvider, and this file
// has no top-level await or import.meta, so Jest (which compiles .mjs to CommonJS) can import
// loginWithoutBrowser from it; Jest tests run the provider itself as a child process
// (`node tools/oidc-test-provider.mjs`, waiting for its "listening" line), or in a plain Node script.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import http from 'node:http';

const DEFAULTS = {
  port: 3027,
  clientId: 'ledgerport-dev',
  clientSecret: 'ledgerport-dev-google-secret',
  redirectUris: ['http://localhost:3000/api/v1/auth/google/callback'],
};

const escapeHtml = (s) =>
  String(s ?? '').replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c],
  );

/** "zoe.smith-jones@x.test" → "Zoe Smith-jones": a plausible display name when none is typed. */
function nameFromEmail(email) {
  const local = String(email).split('@')[0] || 'Test';
  return local
    .split(/[._+]+/)
    .filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join(' ');
}

function loginPage({ action, clientId, loginHint }) {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Sign in with Google (test provider)</title>
<style>body{font:16px system-ui,sans-serif;max-width:26rem;margin:3rem auto}label{display:block;margin:.8rem 0 .2rem}
input[type=email],input[type=text]{width:100%;padding:.4rem;box-sizing:border-box}button{margin:1rem .5rem 0 0;padding:.5rem 1rem}</style>
</head>
<body><main>
<h1>Sign in with Google (test provider)</h1>
<p>Signing in to <code>${escapeHtml(clientId)}</code>. Any email address works; there is no password.</p>
<form method="post" action="${escapeHtml(action)}" autocomplete="off">
  <label for="email">Email</label>
  <input id="email" name="email" type="email" required autofocus value="${escapeHtml(loginHint)}">
  <label for="name">Name</label>
  <input id="name" name="name" type="text" placeholder="from the email address if empty">
  <label for="sub">Account ID (sub)</label>
  <input id="sub" name="sub" type="text" placeholder="the email address if empty">
  <label><input id="unverified" name="unverified" type="checkbox" value="1"> Mark the address as not verified</label>
  <button type="submit" name="action" value="login">Continue</button>
  <button type="submit" name="action" value="cancel" formnovalidate>Cancel</button>
</form>
</main></body>
</html>`;
}

/** oidc-provider's storage, in memory (its own default says "development only" on every start). */
function memoryAdapter() {
  const store = new Map();
  const timers = new Map();
  const grants = new Map();
  return class MemoryAdapter {
    constructor(model) {
      this.model = model;
    }
    key(id) {
      return `${this.model}:${id}`;
    }
    async upsert(id, payload, expiresIn) {
      const key = this.key(id);
      store.set(key, payload);
      clearTimeout(timers.get(key));
      if (expiresIn) timers.set(key, setTimeout(() => store.delete(key), expiresIn * 1000).unref());
      if (payload.grantId) {
        if (!grants.has(payload.grantId)) grants.set(payload.grantId, new Set());
        grants.get(payload.grantId).add(key);
      }
    }
    async find(id) {
      return store.get(this.key(id));
    }
    async findByUid(uid) {
      for (const [key, payload] of store)
        if (key.startsWith(`${this.model}:`) && payload.uid === uid) return payload;
      return undefined;
    }
    async findByUserCode(userCode) {
      for (const [key, payload] of store)
        if (key.startsWith(`${this.model}:`) && payload.userCode === userCode) return payload;
      return undefined;
    }
    async consume(id) {
      const payload = store.get(this.key(id));
      if (payload) payload.consumed = Math.floor(Date.now() / 1000);
    }
    async destroy(id) {
      store.delete(this.key(id));
    }
    async revokeByGrantId(grantId) {
      for (const key of grants.get(grantId) ?? []) store.delete(key);
      grants.delete(grantId);
    }
  };
}

function readForm(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (c) => {
      size += c.length;
      if (size > 64 * 1024) reject(new Error('form too large'));
      else chunks.push(c);
    });
    req.on('end', () => resolve(new URLSearchParams(Buffer.concat(chunks).toString('utf8'))));
    req.on('error', reject);
  });
}

/**
 * Starts the provider on 127.0.0.1:<port> (0 picks a free port; the issuer then uses the real one).
 * @param {{ port?: number, clientId?: string, clientSecret?: string, redirectUris?: string[],
 *   tokenEndpointAuthMethod?: 'client_secret_basic' | 'client_secret_post', quiet?: boolean }} [opts]
 * @returns {Promise<{ issuer: string, port: number, clientId: string, clientSecret: string,
 *   accounts: Map<string, {email: string, emailVerified: boolean, name: string}>, close: () => Promise<void> }>}
 */
export async function startOidcProvider({
  port = DEFAULTS.port,
  clientId = DEFAULTS.clientId,
  clientSecret = DEFAULTS.clientSecret,
  redirectUris = DEFAULTS.redirectUris,
  tokenEndpointAuthMethod = 'client_secret_basic',
  quiet = true,
} = {}) {
  // oidc-provider 9 prefers Node 22 and says so on every import; on Node 20 it works all the same.
  const warn = console.warn;
  console.warn = (...args) => {
    if (quiet && /^oidc-provider (WARNING|NOTICE)/.test(String(args[0]))) return;
    warn(...args);
  };
  let oidc;
  try {
    oidc = await import('oidc-provider');
  } finally {
    console.warn = warn;
  }
  const { default: Provider, interactionPolicy } = oidc;

  // The HTTP server first, so port 0 can be resolved before the issuer is fixed.
  let handler = (_req, res) => res.writeHead(503).end();
  const server = http.createServer((req, res) => handler(req, res));
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const actualPort = server.address().port;
  const issuer = `http://127.0.0.1:${actualPort}`;

  /** Accounts as last signed in through the form: sub → what the id_token says. */
  const accounts = new Map();

  const policy = interactionPolicy.base();
  // Always show the login form (no silent sign-in from an earlier session in the same browser).
  policy
    .get('login')
    .checks.add(
      new interactionPolicy.Check(
        'always_ask',
        'the test provider asks who you are on every request',
        'login_required',
        (ctx) => !ctx.oidc.result?.login,
      ),
    );
  // Google's prompt=select_account: accepted, answered by the same login form.
  policy.add(new interactionPolicy.Prompt({ name: 'select_account', requestable: true }), 0);

  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = {
    ...privateKey.export({ format: 'jwk' }),
    kid: `test-${randomBytes(4).toString('hex')}`,
    alg: 'RS256',
    use: 'sig',
  };

  const provider = new Provider(issuer, {
    adapter: memoryAdapter(),
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: redirectUris,
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: tokenEndpointAuthMethod,
        id_token_signed_response_alg: 'RS256',
      },
    ],
    jwks: { keys: [jwk] },
    cookies: {
      keys: [randomBytes(32).toString('hex')],
      // Cookies ignore ports: names of our own, so nothing collides with the app on the same host.
      names: {
        session: 'oidc_test_session',
        interaction: 'oidc_test_interaction',
        resume: 'oidc_test_resume',
      },
    },
    pkce: { required: () => true },
    scopes: ['openid', 'email', 'profile'],
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name', 'given_name', 'family_name'],
    },
    // Google puts the email claims in the id_token even with a code flow; so do we.
    conformIdTokenClaims: false,
    features: {
      devInteractions: { enabled: false },
      userinfo: { enabled: true },
      rpInitiatedLogout: { enabled: false },
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}`, policy },
    async findAccount(_ctx, sub) {
      const account = accounts.get(sub) ?? { email: sub, emailVerified: true, name: nameFromEmail(sub) };
      const [given, ...family] = account.name.split(' ');
      return {
        accountId: sub,
        async claims() {
          return {
            sub,
            email: account.email,
            email_verified: account.emailVerified,
            name: account.name,
            given_name: given,
            family_name: family.join(' ') || undefined,
          };
        },
      };
    },
    // Automatic consent: grant whatever this request asks for.
    async loadExistingGrant(ctx) {
      const { Grant } = ctx.oidc.provider;
      const grantId =
        ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
      const grant =
        (grantId && (await Grant.find(grantId))) ||
        new Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
      const scope = [...ctx.oidc.requestParamOIDCScopes].join(' ');
      if (scope) grant.addOIDCScope(scope);
      const claims = [...ctx.oidc.requestParamClaims];
      if (claims.length) grant.addOIDCClaims(claims);
      await grant.save();
      return grant;
    },
    ttl: {
      Interaction: 600,
      Session: 600,
      Grant: 600,
      AuthorizationCode: 60,
      AccessToken: 600,
      IdToken: 600,
    },
    async renderError(ctx, out) {
      ctx.type = 'html';
      ctx.body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign-in error</title></head><body><main><h1>Sign-in error</h1><pre>${escapeHtml(JSON.stringify(out, null, 2))}</pre></main></body></html>`;
    },
  });
  if (!quiet) provider.on('server_error', (_ctx, err) => console.error('oidc-test-provider:', err));
  const oidcCallback = provider.callback();

  async function interaction(req, res, uid) {
    const details = await provider.interactionDetails(req, res);
    if (details.uid !== uid) throw new Error('interaction mismatch');
    const { prompt, params } = details;
    if (prompt.name === 'consent') {
      // Only when the client asked for prompt=consent: agree at once.
      const grant = details.grantId
        ? await provider.Grant.find(details.grantId)
        : new provider.Grant({ accountId: details.session.accountId, clientId: params.client_id });
      if (prompt.details.missingOIDCScope) grant.addOIDCScope(prompt.details.missingOIDCScope.join(' '));
      if (prompt.details.missingOIDCClaims) grant.addOIDCClaims(prompt.details.missingOIDCClaims);
      return provider.interactionFinished(
        req,
        res,
        { consent: { grantId: await grant.save() } },
        { mergeWithLastSubmission: true },
      );
    }
    if (req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(
        loginPage({
          action: `/interaction/${uid}`,
          clientId: params.client_id,
          loginHint: params.login_hint,
        }),
      );
      return;
    }
    if (req.method !== 'POST') return res.writeHead(405).end();
    const form = await readForm(req);
    if (form.get('action') === 'cancel') {
      return provider.interactionFinished(
        req,
        res,
        { error: 'access_denied', error_description: 'The user cancelled the sign-in' },
        { mergeWithLastSubmission: false },
      );
    }
    const email = (form.get('email') ?? '').trim();
    if (!email) {
      res.writeHead(400, { 'content-type': 'text/plain' }).end('email is required');
      return;
    }
    const sub = (form.get('sub') ?? '').trim() || email;
    accounts.set(sub, {
      email,
      emailVerified: form.get('unverified') !== '1',
      name: (form.get('name') ?? '').trim() || nameFromEmail(email),
    });
    return provider.interactionFinished(
      req,
      res,
      { select_account: {}, login: { accountId: sub } },
      { mergeWithLastSubmission: false },
    );
  }

  handler = (req, res) => {
    const match = /^\/interaction\/([A-Za-z0-9_-]+)\/?(?:\?.*)?$/.exec(req.url ?? '');
    if (!match) return oidcCallback(req, res);
    interaction(req, res, match[1]).catch((err) => {
      if (!res.headersSent) res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(`oidc-test-provider: ${err.message}`);
    });
  };

  return {
    issuer,
    port: actualPort,
    clientId,
    clientSecret,
    accounts,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

/** A tiny cookie jar for one host: name → value (the provider's cookies have distinct names). */
function cookieJar() {
  const jar = new Map();
  return {
    store(res) {
      for (const line of res.headers.getSetCookie?.() ?? []) {
        const [pair, ...attrs] = line.split(';');
        const i = pair.indexOf('=');
        const name = pair.slice(0, i).trim();
        const value = pair.slice(i + 1).trim();
        const expired = attrs.some(
          (a) => /^\s*max-age=0\s*$/i.test(a) || /^\s*expires=thu, 01 jan 1970/i.test(a),
        );
        if (expired || value === '') jar.delete(name);
        else jar.set(name, value);
      }
    },
    header: () => [...jar].map(([k, v]) => `${k}=${v}`).join('; '),
  };
}

/**
 * Signs in at the test provider without a browser: opens `authorizationUrl` (the provider URL the
 * client redirected to), fills the login form as `email`, follows the redirects, and returns the
 * final redirect to the client's redirect_uri (with `code` and `state`, or `error` when cancelled)
 * as an absolute URL string. The client's own cookies (e.g. its state cookie) are not involved:
 * the caller then requests the returned URL with its own agent.
 * @param {string} authorizationUrl
 * @param {string} email
 * @param {{ name?: string, sub?: string, emailVerified?: boolean, cancel?: boolean }} [opts]
 * @returns {Promise<string>}
 */
export async function loginWithoutBrowser(authorizationUrl, email, opts = {}) {
  const origin = new URL(authorizationUrl).origin;
  const jar = cookieJar();
  let url = authorizationUrl;
  let method = 'GET';
  let body;
  for (let hop = 0; hop < 12; hop++) {
    const res = await fetch(url, {
      method,
      redirect: 'manual',
      headers: {
        cookie: jar.header(),
        ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      body,
    });
    jar.store(res);
    if (res.status >= 300 && res.status < 400) {
      await res.arrayBuffer();
      const next = new URL(res.headers.get('location'), url);
      if (next.origin !== origin) return next.toString();
      url = next.toString();
      method = 'GET';
      body = undefined;
      continue;
    }
    const html = await res.text();
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
    if (res.status !== 200 || !action || !/name="email"/.test(html)) {
      throw new Error(
        `oidc-test-provider: unexpected ${res.status} at ${url}: ${html.replace(/<[^>]+>/g, ' ').slice(0, 500)}`,
      );
    }
    const form = new URLSearchParams({ email, action: opts.cancel ? 'cancel' : 'login' });
    if (opts.name) form.set('name', opts.name);
    if (opts.sub) form.set('sub', opts.sub);
    if (opts.emailVerified === false) form.set('unverified', '1');
    url = new URL(action.replace(/&amp;/g, '&'), url).toString();
    method = 'POST';
    body = form.toString();
  }
  throw new Error(`oidc-test-provider: too many redirects from ${authorizationUrl}`);
}

// Standalone: `node tools/oidc-test-provider.mjs` (OIDC_PORT, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET,
// OIDC_REDIRECT_URIS comma-separated, OIDC_TOKEN_AUTH_METHOD).
if (/oidc-test-provider\.mjs$/.test(process.argv[1] ?? '')) {
  startOidcProvider({
    port: Number(process.env.OIDC_PORT ?? DEFAULTS.port),
    clientId: process.env.OIDC_CLIENT_ID ?? DEFAULTS.clientId,
    clientSecret: process.env.OIDC_CLIENT_SECRET ?? DEFAULTS.clientSecret,
    redirectUris: (process.env.OIDC_REDIRECT_URIS ?? DEFAULTS.redirectUris.join(','))
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    tokenEndpointAuthMethod: process.env.OIDC_TOKEN_AUTH_METHOD ?? 'client_secret_basic',
    quiet: !process.env.OIDC_VERBOSE,
  }).then(
    (p) => {
      console.log(`oidc-test-provider: listening on ${p.issuer}`);
      console.log(
        `GOOGLE_ISSUER_URL=${p.issuer} GOOGLE_CLIENT_ID=${p.clientId} GOOGLE_CLIENT_SECRET=${p.clientSecret}`,
      );
      const stop = () => p.close().then(() => process.exit(0));
      process.on('SIGTERM', stop);
      process.on('SIGINT', stop);
    },
    (err) => {
      console.error(`oidc-test-provider: ${err.stack ?? err.message}`);
      process.exit(1);
    },
  );
}

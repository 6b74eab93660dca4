import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import type { SandboxContext } from '../context';
import { stableUuid } from '../model/random';
import { atHash, JwtSigner, opaqueToken } from './jwt';
import { sendProblem, xeroTimestamp } from './problem';

export const IDENTITY_PREFIX = '/xero/identity';
export const API_PREFIX = '/xero/api';

const MINUTE = 60_000;
export const ACCESS_TOKEN_TTL_S = 1800;
const CODE_TTL_MS = 5 * MINUTE;
/** An old refresh token keeps working this long after it was used to refresh. */
export const REFRESH_GRACE_MS = 30 * MINUTE;
const REFRESH_TTL_MS = 60 * 24 * 60 * MINUTE;

/** The one person who signs in to the sandbox's Xero. */
export interface SandboxUser {
  xeroUserId: string;
  sub: string;
  email: string;
  givenName: string;
  familyName: string;
}

export interface Connection {
  id: string;
  tenantId: string;
  authEventId: string;
  createdAt: number;
  updatedAt: number;
}

/** One authorisation: the organisations picked, and the chain of refresh tokens that grew from it. */
export interface Grant {
  id: string;
  clientId: string;
  scope: string[];
  authEventId: string;
  connections: Connection[];
  revoked: boolean;
  createdAt: number;
}

interface CodeRecord {
  clientId: string;
  redirectUri: string;
  scope: string[];
  nonce?: string;
  codeChallenge?: string;
  tenantIds: string[];
  expiresAt: number;
  used: boolean;
  grantId?: string;
}

interface RefreshRecord {
  grantId: string;
  expiresAt: number;
  /** When this token was used to refresh (it keeps working for REFRESH_GRACE_MS after that). */
  supersededAt?: number;
}

interface AccessRecord {
  grantId: string;
  expiresAt: number;
}

export type AuthResult = { ok: true; grant: Grant } | { ok: false };

/** Scopes a Xero app may ask for (broad scopes, and the granular ones of apps made after 2 March 2026). */
const SCOPE_RE =
  /^(openid|profile|email|offline_access|accounting\.[a-z]+(\.[a-z]+)*|payroll\.[a-z]+(\.read)?|assets(\.read)?|files(\.read)?|projects(\.read)?|bankfeeds|paymentservices|finance\.[a-z.]+|app\.connections|marketplace\.billing)$/;

/** Scopes that reach an organisation's data: asking for any of them means an organisation must be picked. */
const isTenantScope = (s: string) => !['openid', 'profile', 'email', 'offline_access'].includes(s);

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Connections API timestamps: "2019-12-07T18:46:19.5165400" (UTC, seven fractional digits, no zone). */
export const connectionTime = (ms: number) => new Date(ms).toISOString().replace('Z', '0000');

/**
 * Xero's identity service (OpenID Connect) and the Connections API.
 * All state is in memory; every time comes from ctx.clock().
 */
export class XeroIdentity {
  readonly signer = new JwtSigner();
  readonly user: SandboxUser;
  private readonly grants = new Map<string, Grant>();
  private readonly codes = new Map<string, CodeRecord>();
  private readonly refreshTokens = new Map<string, RefreshRecord>();
  private readonly accessTokens = new Map<string, AccessRecord>();
  /** Connection ids and first-connected times survive reconnection (per app and organisation). */
  private readonly firstConnected = new Map<string, number>();

  constructor(private readonly ctx: SandboxContext) {
    const xeroUserId = stableUuid(`${ctx.config.SANDBOX_SEED}:xero:user`);
    this.user = {
      xeroUserId,
      sub: xeroUserId.replace(/-/g, ''),
      email: 'sam.sandbox@example.com',
      givenName: 'Sam',
      familyName: 'Sandbox',
    };
  }

  get issuer(): string {
    return `${this.ctx.config.url}${IDENTITY_PREFIX}`;
  }

  register(app: FastifyInstance): void {
    const base = IDENTITY_PREFIX;
    app.get(`${base}/.well-known/openid-configuration`, async () => this.discovery());
    app.get(`${base}/.well-known/openid-configuration/jwks`, async () => this.signer.jwks());
    app.get(`${base}/connect/authorize`, (req, reply) => this.authorizePage(req, reply));
    app.post(`${base}/connect/authorize`, (req, reply) => this.authorizeDecision(req, reply));
    app.post(`${base}/connect/token`, (req, reply) => this.token(req, reply));
    app.post(`${base}/connect/revocation`, (req, reply) => this.revocation(req, reply));
    app.get(`${base}/connect/userinfo`, (req, reply) => this.userinfo(req, reply));
  }

  discovery(): Record<string, unknown> {
    const b = this.issuer;
    return {
      issuer: b,
      authorization_endpoint: `${b}/connect/authorize`,
      token_endpoint: `${b}/connect/token`,
      userinfo_endpoint: `${b}/connect/userinfo`,
      revocation_endpoint: `${b}/connect/revocation`,
      jwks_uri: `${b}/.well-known/openid-configuration/jwks`,
      scopes_supported: [
        'openid',
        'profile',
        'email',
        'offline_access',
        'accounting.transactions',
        'accounting.transactions.read',
        'accounting.settings',
        'accounting.settings.read',
        'accounting.contacts',
        'accounting.contacts.read',
        'accounting.reports.read',
        'accounting.banktransactions',
        'accounting.banktransactions.read',
        'accounting.manualjournals.read',
        'accounting.reports.profitandloss.read',
        'accounting.reports.balancesheet.read',
        'payroll.employees.read',
        'assets.read',
      ],
      claims_supported: [
        'sub',
        'xero_userid',
        'email',
        'given_name',
        'family_name',
        'name',
        'preferred_username',
        'global_session_id',
        'nonce',
        'auth_time',
        'at_hash',
      ],
      grant_types_supported: ['authorization_code', 'refresh_token', 'client_credentials'],
      response_types_supported: ['code'],
      response_modes_supported: ['query'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      revocation_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      id_token_signing_alg_values_supported: ['RS256'],
      subject_types_supported: ['public'],
      code_challenge_methods_supported: ['S256'],
      request_parameter_supported: false,
    };
  }

  // ------------------------------------------------------------------ authorize

  private authorizePage(req: FastifyRequest, reply: FastifyReply) {
    const q = req.query as Record<string, string | undefined>;
    const checked = this.checkAuthorizeRequest(q);
    if ('page' in checked) return reply.code(400).type('text/html; charset=utf-8').send(checked.page);
    if ('redirect' in checked) return reply.redirect(checked.redirect, 302);
    return reply.type('text/html; charset=utf-8').send(this.pickerHtml(q, checked.scope));
  }

  private authorizeDecision(req: FastifyRequest, reply: FastifyReply) {
    const f = (req.body ?? {}) as Record<string, string | undefined>;
    const checked = this.checkAuthorizeRequest(f);
    if ('page' in checked) return reply.code(400).type('text/html; charset=utf-8').send(checked.page);
    if ('redirect' in checked) return reply.redirect(checked.redirect, 302);
    const redirect = new URL(f.redirect_uri!);
    if (f.action !== 'allow') {
      redirect.searchParams.set('error', 'access_denied');
      redirect.searchParams.set('error_description', 'The user cancelled the authorisation');
      if (f.state !== undefined) redirect.searchParams.set('state', f.state);
      return reply.redirect(redirect.toString(), 302);
    }
    const known = new Set(this.ctx.companies.list('xero').map((c) => c.def.id));
    const tenantIds = Object.keys(f)
      .filter((k) => k.startsWith('tenant.') && f[k])
      .map((k) => k.slice('tenant.'.length))
      .filter((id) => known.has(id));
    if (!tenantIds.length && checked.scope.some(isTenantScope)) {
      return reply
        .code(400)
        .type('text/html; charset=utf-8')
        .send(this.pickerHtml(f, checked.scope, 'Select at least one organisation to allow access to.'));
    }
    const code = opaqueToken();
    this.codes.set(code, {
      clientId: f.client_id!,
      redirectUri: f.redirect_uri!,
      scope: checked.scope,
      nonce: f.nonce || undefined,
      codeChallenge: f.code_challenge || undefined,
      tenantIds,
      expiresAt: this.ctx.clock() + CODE_TTL_MS,
      used: false,
    });
    redirect.searchParams.set('code', code);
    redirect.searchParams.set('scope', checked.scope.join(' '));
    if (f.state !== undefined) redirect.searchParams.set('state', f.state);
    redirect.searchParams.set('session_state', opaqueToken(16));
    return reply.redirect(redirect.toString(), 302);
  }

  /** Validates an authorize request: an error page (bad client or redirect), an error redirect, or the scopes. */
  private checkAuthorizeRequest(
    q: Record<string, string | undefined>,
  ): { page: string } | { redirect: string } | { scope: string[] } {
    if (q.client_id !== this.ctx.config.XERO_CLIENT_ID)
      return {
        page: this.errorHtml('unauthorized_client', 'Unknown client or client not enabled (client_id).'),
      };
    let redirect: URL;
    try {
      redirect = new URL(q.redirect_uri ?? '');
      if (!/^https?:$/.test(redirect.protocol)) throw new Error('scheme');
    } catch {
      return { page: this.errorHtml('invalid_request', 'Invalid redirect_uri.') };
    }
    const fail = (error: string, description: string) => {
      redirect.searchParams.set('error', error);
      redirect.searchParams.set('error_description', description);
      if (q.state !== undefined) redirect.searchParams.set('state', q.state);
      return { redirect: redirect.toString() };
    };
    if (q.response_type !== 'code') return fail('unsupported_response_type', 'response_type must be code');
    const scope = (q.scope ?? '').split(/[\s+]+/).filter(Boolean);
    if (!scope.length) return fail('invalid_scope', 'scope is required');
    const bad = scope.filter((s) => !SCOPE_RE.test(s));
    if (bad.length) return fail('invalid_scope', `Invalid scope: ${bad.join(' ')}`);
    if (q.code_challenge && (q.code_challenge_method ?? 'plain') !== 'S256')
      return fail('invalid_request', 'code_challenge_method must be S256');
    return { scope };
  }

  private pickerHtml(q: Record<string, string | undefined>, scope: string[], error?: string): string {
    const hidden = [
      'client_id',
      'redirect_uri',
      'response_type',
      'scope',
      'state',
      'nonce',
      'code_challenge',
      'code_challenge_method',
    ]
      .filter((k) => q[k] !== undefined)
      .map((k) => `<input type="hidden" name="${k}" value="${esc(q[k]!)}">`)
      .join('\n      ');
    const orgs = this.ctx.companies
      .list('xero')
      .map((c, i) => {
        const id = `org-${i}`;
        return `<li><input type="checkbox" id="${id}" name="tenant.${esc(c.def.id)}" value="on"${i === 0 && this.ctx.companies.list('xero').length === 1 ? ' checked' : ''}>
          <label for="${id}">${esc(c.def.name)}</label> <span class="edition">(${esc(c.def.edition)})</span></li>`;
      })
      .join('\n        ');
    const needsOrg = scope.some(isTenantScope);
    return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Xero (sandbox) — Allow access</title>
  <style>
    body { font-family: system-ui, sans-serif; max-width: 32rem; margin: 3rem auto; color: #1e3240; }
    h1 { font-size: 1.4rem; } ul { list-style: none; padding: 0; } li { margin: .5rem 0; }
    .error { color: #b00020; } .edition { color: #566; font-size: .9em; }
    button { font-size: 1rem; padding: .5rem 1rem; margin-right: .5rem; }
    button[value=allow] { background: #13b5ea; color: white; border: 0; border-radius: 4px; }
  </style>
</head>
<body>
  <main>
    <h1>Ledgerport wants access to your Xero data</h1>
    <p>Signed in as ${esc(this.user.givenName)} ${esc(this.user.familyName)} (${esc(this.user.email)}).</p>
    <p>Requested permissions: <code>${esc(scope.join(' '))}</code></p>
    ${error ? `<p class="error" role="alert">${esc(error)}</p>` : ''}
    <form method="post" action="${IDENTITY_PREFIX}/connect/authorize">
      ${hidden}
      ${
        needsOrg
          ? `<fieldset>
        <legend>Select the organisations to connect</legend>
        <ul>
        ${orgs}
        </ul>
      </fieldset>`
          : ''
      }
      <button type="submit" name="action" value="allow">Allow access</button>
      <button type="submit" name="action" value="cancel">Cancel</button>
    </form>
  </main>
</body>
</html>`;
  }

  private errorHtml(error: string, description: string): string {
    return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Xero (sandbox) — Error</title></head><body><main><h1>Sorry, something went wrong</h1><p role="alert">${esc(error)}: ${esc(description)}</p></main></body></html>`;
  }

  // ------------------------------------------------------------------ token

  /** client_secret_basic or client_secret_post; returns the client id, or undefined if the client is not authenticated. */
  private clientOf(req: FastifyRequest): string | undefined {
    const body = (req.body ?? {}) as Record<string, string | undefined>;
    let id = body.client_id;
    let secret = body.client_secret;
    const auth = req.headers.authorization;
    if (auth?.startsWith('Basic ')) {
      const decoded = Buffer.from(auth.slice(6), 'base64').toString('utf8');
      const i = decoded.indexOf(':');
      const dec = (s: string) => decodeURIComponent(s.replace(/\+/g, ' '));
      try {
        id = dec(decoded.slice(0, i));
        secret = dec(decoded.slice(i + 1));
      } catch {
        return undefined;
      }
    }
    const c = this.ctx.config;
    return id === c.XERO_CLIENT_ID && secret !== undefined && safeEqual(secret, c.XERO_CLIENT_SECRET)
      ? id
      : undefined;
  }

  private token(req: FastifyRequest, reply: FastifyReply) {
    const body = (req.body ?? {}) as Record<string, string | undefined>;
    const err = (status: number, error: string, description?: string) =>
      reply
        .code(status)
        .header('cache-control', 'no-store')
        .send({ error, ...(description ? { error_description: description } : {}) });
    const clientId = this.clientOf(req);
    if (!clientId) return err(401, 'invalid_client');
    const now = this.ctx.clock();

    if (body.grant_type === 'authorization_code') {
      const rec = body.code ? this.codes.get(body.code) : undefined;
      if (!rec || rec.clientId !== clientId || rec.expiresAt <= now) return err(400, 'invalid_grant');
      if (rec.used) {
        // A replayed code: refuse it, and revoke what it issued (RFC 6749 §4.1.2).
        if (rec.grantId) this.revokeGrant(rec.grantId);
        return err(400, 'invalid_grant');
      }
      if (body.redirect_uri !== rec.redirectUri) return err(400, 'invalid_grant');
      if (rec.codeChallenge) {
        const verifier = body.code_verifier ?? '';
        const computed = createHash('sha256').update(verifier).digest('base64url');
        if (!verifier || computed !== rec.codeChallenge) return err(400, 'invalid_grant');
      }
      rec.used = true;
      const authEventId = randomUUID();
      const grant: Grant = {
        id: opaqueToken(16),
        clientId,
        scope: rec.scope,
        authEventId,
        connections: rec.tenantIds.map((tenantId) => this.connect(clientId, tenantId, authEventId, now)),
        revoked: false,
        createdAt: now,
      };
      this.grants.set(grant.id, grant);
      rec.grantId = grant.id;
      return reply.header('cache-control', 'no-store').send(this.issue(grant, rec.nonce));
    }

    if (body.grant_type === 'refresh_token') {
      const token = body.refresh_token ?? '';
      const rec = this.refreshTokens.get(token);
      const grant = rec ? this.grants.get(rec.grantId) : undefined;
      if (!rec || !grant || grant.revoked || grant.clientId !== clientId || rec.expiresAt <= now)
        return err(400, 'invalid_grant');
      if (rec.supersededAt !== undefined && now > rec.supersededAt + REFRESH_GRACE_MS)
        return err(400, 'invalid_grant');
      rec.supersededAt ??= now;
      return reply.header('cache-control', 'no-store').send(this.issue(grant));
    }

    return err(400, 'unsupported_grant_type');
  }

  private connect(clientId: string, tenantId: string, authEventId: string, now: number): Connection {
    const key = `${clientId}:${tenantId}`;
    const createdAt = this.firstConnected.get(key) ?? now;
    this.firstConnected.set(key, createdAt);
    return {
      id: stableUuid(`${this.ctx.config.SANDBOX_SEED}:xero:connection:${key}`),
      tenantId,
      authEventId,
      createdAt,
      updatedAt: now,
    };
  }

  private issue(grant: Grant, nonce?: string): Record<string, unknown> {
    const now = this.ctx.clock();
    const iat = Math.floor(now / 1000);
    const exp = iat + ACCESS_TOKEN_TTL_S;
    const u = this.user;
    const accessToken = this.signer.sign(
      {
        nbf: iat,
        exp,
        iss: this.issuer,
        aud: `${this.issuer}/resources`,
        client_id: grant.clientId,
        sub: u.sub,
        auth_time: Math.floor(grant.createdAt / 1000),
        xero_userid: u.xeroUserId,
        global_session_id: grant.id,
        sid: grant.id,
        jti: opaqueToken(16),
        authentication_event_id: grant.authEventId,
        scope: grant.scope,
        amr: ['pwd'],
      },
      'at+jwt',
    );
    this.accessTokens.set(accessToken, { grantId: grant.id, expiresAt: now + ACCESS_TOKEN_TTL_S * 1000 });
    const out: Record<string, unknown> = {};
    if (grant.scope.includes('openid')) {
      // No nbf: relying parties check it against their own clock, and the sandbox's clock can run ahead.
      out.id_token = this.signer.sign({
        exp: iat + 300,
        iss: this.issuer,
        aud: grant.clientId,
        iat,
        at_hash: atHash(accessToken),
        sid: grant.id,
        sub: u.sub,
        auth_time: Math.floor(grant.createdAt / 1000),
        xero_userid: u.xeroUserId,
        global_session_id: grant.id,
        ...(grant.scope.includes('email') ? { email: u.email } : {}),
        ...(grant.scope.includes('profile')
          ? {
              preferred_username: u.email,
              given_name: u.givenName,
              family_name: u.familyName,
              name: `${u.givenName} ${u.familyName}`,
            }
          : {}),
        ...(nonce ? { nonce } : {}),
      });
    }
    out.access_token = accessToken;
    out.expires_in = ACCESS_TOKEN_TTL_S;
    out.token_type = 'Bearer';
    if (grant.scope.includes('offline_access')) {
      const refresh = opaqueToken();
      this.refreshTokens.set(refresh, { grantId: grant.id, expiresAt: now + REFRESH_TTL_MS });
      out.refresh_token = refresh;
    }
    out.scope = grant.scope.join(' ');
    return out;
  }

  private revocation(req: FastifyRequest, reply: FastifyReply) {
    if (!this.clientOf(req)) return reply.code(401).send({ error: 'invalid_client' });
    const token = ((req.body ?? {}) as Record<string, string | undefined>).token;
    if (!token)
      return reply.code(400).send({ error: 'invalid_request', error_description: 'token is required' });
    const grantId = this.refreshTokens.get(token)?.grantId ?? this.accessTokens.get(token)?.grantId;
    if (grantId) this.revokeGrant(grantId);
    return reply.code(200).send();
  }

  private userinfo(req: FastifyRequest, reply: FastifyReply) {
    const auth = this.authenticate(req, reply);
    if (!auth.ok) return reply;
    const u = this.user;
    return {
      sub: u.sub,
      xero_userid: u.xeroUserId,
      email: u.email,
      given_name: u.givenName,
      family_name: u.familyName,
      name: `${u.givenName} ${u.familyName}`,
    };
  }

  // ------------------------------------------------------------------ grants

  /** Revokes a grant: its refresh tokens and access tokens stop working and its connections go. */
  revokeGrant(grantId: string): boolean {
    const grant = this.grants.get(grantId);
    if (!grant || grant.revoked) return false;
    grant.revoked = true;
    grant.connections = [];
    for (const [t, r] of this.accessTokens) if (r.grantId === grantId) this.accessTokens.delete(t);
    for (const [t, r] of this.refreshTokens) if (r.grantId === grantId) this.refreshTokens.delete(t);
    return true;
  }

  /** Control API: what a user disconnecting the app from an organisation in Xero does. */
  revokeGrantsFor(tenantId: string): number {
    let n = 0;
    for (const g of this.grants.values())
      if (!g.revoked && g.connections.some((c) => c.tenantId === tenantId) && this.revokeGrant(g.id)) n++;
    return n;
  }

  expireAccessTokens(): number {
    const now = this.ctx.clock();
    let n = 0;
    for (const r of this.accessTokens.values()) {
      if (r.expiresAt > now) {
        r.expiresAt = now;
        n++;
      }
    }
    return n;
  }

  /**
   * Checks the bearer token of an API call. On failure the 401 (Xero's problem JSON with a
   * WWW-Authenticate header) has been sent.
   */
  authenticate(req: FastifyRequest, reply: FastifyReply): AuthResult {
    const auth = req.headers.authorization ?? '';
    const token = /^Bearer\s+(.+)$/i.exec(auth)?.[1]?.trim();
    const rec = token ? this.accessTokens.get(token) : undefined;
    const grant = rec ? this.grants.get(rec.grantId) : undefined;
    if (!token || !rec || !grant || grant.revoked) {
      sendProblem(reply, 401, 'AuthenticationUnsuccessful', {
        'www-authenticate': 'Bearer error="invalid_token"',
      });
      return { ok: false };
    }
    const now = this.ctx.clock();
    if (rec.expiresAt <= now) {
      const at = xeroTimestamp(rec.expiresAt);
      sendProblem(reply, 401, `TokenExpired: token expired at ${at}`, {
        'www-authenticate': `Bearer error="invalid_token", error_description="The token expired at '${at}'"`,
      });
      return { ok: false };
    }
    return { ok: true, grant };
  }

  /** Connections API: GET /connections, DELETE /connections/:id. */
  registerConnections(
    app: FastifyInstance,
    wrap: (req: FastifyRequest, reply: FastifyReply) => Promise<Grant | undefined>,
  ): void {
    const list = async (req: FastifyRequest, reply: FastifyReply) => {
      const grant = await wrap(req, reply);
      if (!grant) return reply;
      const q = req.query as { authEventId?: string };
      const tenants = new Map(this.ctx.companies.list('xero').map((c) => [c.def.id, c.def.name]));
      return grant.connections
        .filter((c) => !q.authEventId || c.authEventId === q.authEventId)
        .filter((c) => tenants.has(c.tenantId))
        .map((c) => ({
          id: c.id,
          authEventId: c.authEventId,
          tenantId: c.tenantId,
          tenantType: 'ORGANISATION',
          tenantName: tenants.get(c.tenantId)!,
          createdDateUtc: connectionTime(c.createdAt),
          updatedDateUtc: connectionTime(c.updatedAt),
        }));
    };
    const remove = async (req: FastifyRequest, reply: FastifyReply) => {
      const grant = await wrap(req, reply);
      if (!grant) return reply;
      const { id } = req.params as { id: string };
      const i = grant.connections.findIndex((c) => c.id.toLowerCase() === id.toLowerCase());
      if (i < 0) return sendProblem(reply, 404, 'Connection not found');
      grant.connections.splice(i, 1);
      return reply.code(204).send();
    };
    for (const path of ['/connections', '/Connections']) {
      app.get(`${API_PREFIX}${path}`, list);
      app.delete(`${API_PREFIX}${path}/:id`, remove);
    }
  }
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

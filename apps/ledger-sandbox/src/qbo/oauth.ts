import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SandboxContext } from '../context';
import { QBO_PATHS } from './paths';

/**
 * Intuit OAuth 2.0 as the sandbox plays it: an authorize page with a company picker, the token
 * endpoint (authorization_code and refresh_token grants, HTTP Basic client authentication),
 * revocation and userinfo. Access tokens live one hour of the sandbox clock; refresh tokens
 * rotate on every refresh (the used one answers invalid_grant afterwards) and live ~101 days.
 */

export const ACCESS_TOKEN_TTL_S = 3600;
export const REFRESH_TOKEN_TTL_S = 8_726_400;
const CODE_TTL_MS = 10 * 60_000;
export const ACCOUNTING_SCOPE = 'com.intuit.quickbooks.accounting';

interface Grant {
  id: string;
  clientId: string;
  realmId: string;
  scope: string;
  createdAt: number;
  revoked: boolean;
}

interface AuthCode {
  grantSeed: { clientId: string; realmId: string; scope: string };
  redirectUri: string;
  expiresAt: number;
  used: boolean;
  /** The grant issued for it, so a replayed code can revoke it (RFC 6749 §4.1.2). */
  grantId?: string;
}

interface AccessToken {
  grantId: string;
  expiresAt: number;
}

interface RefreshToken {
  grantId: string;
  expiresAt: number;
  used: boolean;
}

export type Authentication =
  { ok: true; grant: Grant } | { ok: false; reason: 'missing' | 'unknown' | 'expired' | 'revoked' };

export class QboOAuth {
  private readonly grants = new Map<string, Grant>();
  private readonly codes = new Map<string, AuthCode>();
  private readonly accessTokens = new Map<string, AccessToken>();
  private readonly refreshTokens = new Map<string, RefreshToken>();

  constructor(private readonly ctx: SandboxContext) {}

  private now(): number {
    return this.ctx.clock();
  }

  /** Checks an `Authorization: Bearer …` header. */
  authenticate(header: string | undefined): Authentication {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
    if (!m) return { ok: false, reason: 'missing' };
    const token = this.accessTokens.get(m[1]);
    if (!token) return { ok: false, reason: 'unknown' };
    const grant = this.grants.get(token.grantId);
    if (!grant || grant.revoked) return { ok: false, reason: 'revoked' };
    if (token.expiresAt <= this.now()) return { ok: false, reason: 'expired' };
    return { ok: true, grant };
  }

  issueCode(clientId: string, realmId: string, scope: string, redirectUri: string): string {
    this.sweep();
    const code = `AB11${randomBytes(24).toString('base64url')}`;
    this.codes.set(code, {
      grantSeed: { clientId, realmId, scope },
      redirectUri,
      expiresAt: this.now() + CODE_TTL_MS,
      used: false,
    });
    return code;
  }

  /** The authorization_code grant; undefined → invalid_grant. */
  exchangeCode(clientId: string, code: string, redirectUri: string): TokenResponse | undefined {
    const entry = this.codes.get(code);
    if (!entry || entry.grantSeed.clientId !== clientId) return undefined;
    if (entry.used) {
      // A replayed code: revoke what the first exchange issued.
      if (entry.grantId) this.revokeGrant(entry.grantId);
      return undefined;
    }
    if (entry.expiresAt <= this.now() || entry.redirectUri !== redirectUri) return undefined;
    entry.used = true;
    const grant: Grant = { id: randomUUID(), ...entry.grantSeed, createdAt: this.now(), revoked: false };
    this.grants.set(grant.id, grant);
    entry.grantId = grant.id;
    return this.issueTokens(grant);
  }

  /** The refresh_token grant with rotation; undefined → invalid_grant. */
  refresh(clientId: string, refreshToken: string): TokenResponse | undefined {
    const entry = this.refreshTokens.get(refreshToken);
    if (!entry || entry.used || entry.expiresAt <= this.now()) return undefined;
    const grant = this.grants.get(entry.grantId);
    if (!grant || grant.revoked || grant.clientId !== clientId) return undefined;
    entry.used = true;
    return this.issueTokens(grant);
  }

  /** Revokes the grant an access or refresh token belongs to; false when the token is unknown. */
  revokeToken(clientId: string, token: string): boolean {
    const grantId = this.accessTokens.get(token)?.grantId ?? this.refreshTokens.get(token)?.grantId;
    const grant = grantId ? this.grants.get(grantId) : undefined;
    if (!grant || grant.clientId !== clientId) return false;
    this.revokeGrant(grant.id);
    return true;
  }

  /** Control API: revokes every grant that reaches this realm. */
  revokeRealm(realmId: string): number {
    let n = 0;
    for (const g of this.grants.values()) {
      if (g.realmId === realmId && !g.revoked) {
        this.revokeGrant(g.id);
        n++;
      }
    }
    return n;
  }

  /** Control API: every access token expires now. */
  expireAll(): number {
    const now = this.now();
    let n = 0;
    for (const t of this.accessTokens.values()) {
      if (t.expiresAt > now) {
        t.expiresAt = now;
        n++;
      }
    }
    return n;
  }

  private revokeGrant(id: string): void {
    const g = this.grants.get(id);
    if (g) g.revoked = true;
    for (const [k, t] of this.accessTokens) if (t.grantId === id) this.accessTokens.delete(k);
    for (const [k, t] of this.refreshTokens) if (t.grantId === id) this.refreshTokens.delete(k);
  }

  private issueTokens(grant: Grant): TokenResponse {
    this.sweep();
    const now = this.now();
    // Intuit's tokens are long opaque strings; ours say which realm they belong to, for debugging.
    const access = `eyJlbmMiOiJBMTI4Q0JDLUhTMjU2IiwiYWxnIjoiZGlyIn0.qbo-${grant.realmId}.${randomBytes(32).toString('base64url')}`;
    const refresh = `RT1-${randomBytes(4).toString('hex')}-H0-${randomBytes(24).toString('base64url')}`;
    this.accessTokens.set(access, { grantId: grant.id, expiresAt: now + ACCESS_TOKEN_TTL_S * 1000 });
    this.refreshTokens.set(refresh, {
      grantId: grant.id,
      expiresAt: now + REFRESH_TOKEN_TTL_S * 1000,
      used: false,
    });
    return {
      token_type: 'bearer',
      access_token: access,
      expires_in: ACCESS_TOKEN_TTL_S,
      refresh_token: refresh,
      x_refresh_token_expires_in: REFRESH_TOKEN_TTL_S,
    };
  }

  private lastSweep = 0;

  /** Forgets expired codes and tokens now and then (a benchmark may issue many). */
  private sweep(): void {
    const now = this.now();
    if (now - this.lastSweep < 60_000) return;
    this.lastSweep = now;
    for (const [k, c] of this.codes) if (c.expiresAt + CODE_TTL_MS < now) this.codes.delete(k);
    // Expired access tokens are kept a day so callers get "expired" rather than "unknown".
    for (const [k, t] of this.accessTokens) if (t.expiresAt + 86_400_000 < now) this.accessTokens.delete(k);
    for (const [k, t] of this.refreshTokens) if (t.expiresAt < now) this.refreshTokens.delete(k);
  }
}

export interface TokenResponse {
  token_type: 'bearer';
  access_token: string;
  expires_in: number;
  refresh_token: string;
  x_refresh_token_expires_in: number;
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
  body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; background: #f4f5f8; color: #1f2430; margin: 0; }
  main { max-width: 30rem; margin: 3rem auto; background: #fff; border-radius: 8px; box-shadow: 0 1px 4px rgba(0,0,0,.15); padding: 2rem; }
  h1 { font-size: 1.4rem; margin-top: 0; }
  .brand { color: #108000; font-weight: 700; letter-spacing: .02em; }
  fieldset { border: 1px solid #c9ccd3; border-radius: 6px; padding: .75rem 1rem; margin: 1rem 0; }
  legend { font-weight: 600; padding: 0 .25rem; }
  label { display: flex; gap: .6rem; align-items: center; padding: .45rem 0; cursor: pointer; }
  .edition { color: #5c6270; font-size: .85rem; }
  .actions { display: flex; gap: .75rem; justify-content: flex-end; }
  button { font: inherit; padding: .55rem 1.3rem; border-radius: 4px; border: 1px solid #8d9096; background: #fff; cursor: pointer; }
  button.primary { background: #2ca01c; border-color: #2ca01c; color: #fff; font-weight: 600; }
  button:focus-visible, input:focus-visible { outline: 3px solid #0077c5; outline-offset: 2px; }
  .note { color: #5c6270; font-size: .85rem; }
</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>`;
}

interface AuthorizeParams {
  client_id?: string;
  redirect_uri?: string;
  response_type?: string;
  scope?: string;
  state?: string;
}

function errorPage(reply: FastifyReply, status: number, message: string): FastifyReply {
  return reply
    .code(status)
    .type('text/html; charset=utf-8')
    .send(
      page(
        'Connection problem',
        `<h1><span class="brand">intuit</span> quickbooks</h1><p role="alert">${escapeHtml(message)}</p>`,
      ),
    );
}

function redirectWith(
  reply: FastifyReply,
  redirectUri: string,
  params: Record<string, string>,
): FastifyReply {
  const url = new URL(redirectUri);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return reply.redirect(url.toString(), 302);
}

function basicClient(req: FastifyRequest): { id: string; secret: string } | undefined {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(req.headers.authorization ?? '');
  if (!m) return undefined;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const i = decoded.indexOf(':');
  return i < 0
    ? undefined
    : { id: decodeURIComponent(decoded.slice(0, i)), secret: decodeURIComponent(decoded.slice(i + 1)) };
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function registerQboOAuth(app: FastifyInstance, ctx: SandboxContext, oauth: QboOAuth): void {
  const { config } = ctx;

  /** Checks what must hold before anything may be sent back to redirect_uri; answers the problem or undefined. */
  const checkClient = (p: AuthorizeParams): string | undefined => {
    if (!p.client_id) return 'The request has no client_id.';
    if (p.client_id !== config.QBO_CLIENT_ID)
      return `The app (client_id ${p.client_id}) is not known to this sandbox.`;
    if (!p.redirect_uri) return 'The request has no redirect_uri.';
    try {
      const u = new URL(p.redirect_uri);
      if (u.protocol !== 'http:' && u.protocol !== 'https:')
        return 'The redirect_uri must be an http(s) URL.';
    } catch {
      return 'The redirect_uri is not a valid URL.';
    }
    return undefined;
  };
  /** Problems reported to the app through the redirect, as Intuit does. */
  const checkRequest = (p: AuthorizeParams): { error: string; description: string } | undefined => {
    if (p.response_type !== 'code')
      return { error: 'unsupported_response_type', description: 'response_type must be code' };
    const scopes = (p.scope ?? '').split(/\s+/).filter(Boolean);
    if (!scopes.includes(ACCOUNTING_SCOPE))
      return { error: 'invalid_scope', description: `scope must include ${ACCOUNTING_SCOPE}` };
    if (!p.state) return { error: 'invalid_request', description: 'state is required' };
    return undefined;
  };

  app.get(QBO_PATHS.authorize, async (req, reply) => {
    const p = req.query as AuthorizeParams;
    const clientProblem = checkClient(p);
    if (clientProblem) return errorPage(reply, 400, clientProblem);
    const problem = checkRequest(p);
    if (problem)
      return redirectWith(reply, p.redirect_uri!, {
        error: problem.error,
        error_description: problem.description,
        ...(p.state ? { state: p.state } : {}),
      });
    const companies = ctx.companies.list('qbo');
    const hidden = (['client_id', 'redirect_uri', 'response_type', 'scope', 'state'] as const)
      .map((k) => `<input type="hidden" name="${k}" value="${escapeHtml(p[k] ?? '')}">`)
      .join('\n');
    const options = companies
      .map(
        (c, i) => `<label for="realm-${escapeHtml(c.def.id)}">
  <input type="radio" id="realm-${escapeHtml(c.def.id)}" name="realmId" value="${escapeHtml(c.def.id)}"${i === 0 ? ' checked' : ''} required>
  <span><span class="company">${escapeHtml(c.def.name)}</span><br><span class="edition">${escapeHtml(c.def.edition)} · Realm ID ${escapeHtml(c.def.id)}</span></span>
</label>`,
      )
      .join('\n');
    const body = `<h1><span class="brand">intuit</span> quickbooks</h1>
<p>The app <strong>${escapeHtml(p.client_id!)}</strong> wants to connect to your QuickBooks Online company and read and change its accounting data.</p>
<form method="post" action="${escapeHtml(QBO_PATHS.authorize)}">
${hidden}
<fieldset>
<legend>Choose a company</legend>
${companies.length ? options : '<p>This sandbox has no QuickBooks companies.</p>'}
</fieldset>
<p class="note">Sandbox: no real QuickBooks account is involved.</p>
<div class="actions">
  <button type="submit" name="action" value="cancel" formnovalidate>Cancel</button>
  <button type="submit" name="action" value="connect" class="primary"${companies.length ? '' : ' disabled'}>Connect</button>
</div>
</form>`;
    return reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(page('Connect to QuickBooks', body));
  });

  app.post(QBO_PATHS.authorize, async (req, reply) => {
    const p = (req.body ?? {}) as AuthorizeParams & { realmId?: string; action?: string };
    const clientProblem = checkClient(p);
    if (clientProblem) return errorPage(reply, 400, clientProblem);
    const problem = checkRequest(p);
    if (problem)
      return redirectWith(reply, p.redirect_uri!, {
        error: problem.error,
        error_description: problem.description,
        ...(p.state ? { state: p.state } : {}),
      });
    if (p.action !== 'connect')
      return redirectWith(reply, p.redirect_uri!, { error: 'access_denied', state: p.state! });
    const company = p.realmId ? ctx.companies.get(p.realmId) : undefined;
    if (!company || company.def.provider !== 'qbo')
      return errorPage(reply, 400, 'Choose one of the companies, then press Connect.');
    const code = oauth.issueCode(p.client_id!, company.def.id, p.scope!, p.redirect_uri!);
    return redirectWith(reply, p.redirect_uri!, { code, state: p.state!, realmId: company.def.id });
  });

  const tokenError = (reply: FastifyReply, status: number, error: string, description?: string) =>
    reply
      .code(status)
      .header('cache-control', 'no-store')
      .send({ error, ...(description ? { error_description: description } : {}) });

  const authenticateClient = (req: FastifyRequest): boolean => {
    const c = basicClient(req);
    return !!c && c.id === config.QBO_CLIENT_ID && sameSecret(c.secret, config.QBO_CLIENT_SECRET);
  };

  app.post(QBO_PATHS.token, async (req, reply) => {
    if (!authenticateClient(req)) return tokenError(reply, 401, 'invalid_client');
    const body = (req.body ?? {}) as Record<string, string | undefined>;
    let result: TokenResponse | undefined;
    if (body.grant_type === 'authorization_code') {
      if (!body.code || !body.redirect_uri)
        return tokenError(reply, 400, 'invalid_request', 'code and redirect_uri are required');
      result = oauth.exchangeCode(config.QBO_CLIENT_ID, body.code, body.redirect_uri);
    } else if (body.grant_type === 'refresh_token') {
      if (!body.refresh_token) return tokenError(reply, 400, 'invalid_request', 'refresh_token is required');
      result = oauth.refresh(config.QBO_CLIENT_ID, body.refresh_token);
    } else {
      return tokenError(reply, 400, 'unsupported_grant_type');
    }
    if (!result) return tokenError(reply, 400, 'invalid_grant');
    return reply.header('cache-control', 'no-store').header('pragma', 'no-cache').send(result);
  });

  app.post(QBO_PATHS.revoke, async (req, reply) => {
    if (!authenticateClient(req)) return tokenError(reply, 401, 'invalid_client');
    const body = (req.body ?? {}) as { token?: string };
    if (!body.token) return tokenError(reply, 400, 'invalid_request', 'token is required');
    // RFC 7009: an unknown token is not an error.
    oauth.revokeToken(config.QBO_CLIENT_ID, body.token);
    return reply.code(200).send();
  });

  app.get(QBO_PATHS.userinfo, async (req, reply) => {
    const auth = oauth.authenticate(req.headers.authorization);
    if (!auth.ok) return reply.code(401).send({ error: 'invalid_token' });
    return {
      sub: `sandbox-user-${auth.grant.realmId}`,
      email: 'owner@sandbox.example',
      emailVerified: true,
      givenName: 'Sandbox',
      familyName: 'Owner',
    };
  });
}

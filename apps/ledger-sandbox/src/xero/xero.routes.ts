/**
 * The sandbox's Xero: OpenID Connect identity, the Connections API, the Accounting API and just
 * enough of Payroll and Assets. The product reaches it through the real xero-node SDK.
 *
 * Identity — issuer `${SANDBOX_URL}/xero/identity` (point openid-client v5's Issuer.discover here):
 *   GET  /xero/identity/.well-known/openid-configuration        discovery document
 *   GET  /xero/identity/.well-known/openid-configuration/jwks   JWKS (RS256 key generated at start)
 *   GET  /xero/identity/connect/authorize                        consent page with the organisation picker
 *   POST /xero/identity/connect/authorize                        the picker's "Allow access" / "Cancel"
 *   POST /xero/identity/connect/token                            authorization_code (PKCE S256 optional), refresh_token
 *   POST /xero/identity/connect/revocation                       revoke a refresh token (and its grant)
 *   GET  /xero/identity/connect/userinfo
 *
 * APIs — base `${SANDBOX_URL}/xero/api` (the real https://api.xero.com):
 *   GET/DELETE /xero/api/connections[/:id]                       Connections API (bearer token, no tenant)
 *   /xero/api/api.xro/2.0/…          Accounting: Organisation, Accounts, TrackingCategories, Contacts,
 *                                    BankTransactions (GET list / GET one / POST update), ManualJournals
 *                                    (GET list / GET one / POST update),
 *                                    BankTransfers, Reports/ProfitAndLoss, Reports/BalanceSheet
 *   /xero/api/payroll.xro/2.0/Employees    (200 when the organisation has payroll, else 403)
 *   /xero/api/assets.xro/1.0/Assets        (200 when it has fixed assets, else 403)
 *   Set xero.accountingApi.basePath = `${SANDBOX_URL}/xero/api/api.xro/2.0` (likewise payrollUKApi, assetApi).
 *
 * Every tenant API call: bearer token (401 problem JSON + WWW-Authenticate when missing, invalid or
 * expired — access tokens live 30 minutes of ctx.clock()), `xero-tenant-id` of an organisation the
 * grant reaches (else 403), a scope of the operation (else 401 AuthorizationUnsuccessful), rate
 * limits (60/rolling minute, 5 concurrent, 5,000/rolling day per tenant; X-MinLimit-Remaining,
 * X-DayLimit-Remaining, X-AppMinLimit-Remaining on every answer; 429 + Retry-After +
 * X-Rate-Limit-Problem), then the control API's faults (latency, then status 500/429/401).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { CallKind, SandboxContext } from '../context';
import { registerAccounting, type ApiRoute } from './accounting';
import { API_PREFIX, XeroIdentity, type Grant } from './identity';
import { RateLimiter } from './limits';
import { sendProblem, xeroTimestamp } from './problem';
import { registerProducts } from './products';

export { API_PREFIX, IDENTITY_PREFIX } from './identity';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface XeroSandbox {
  identity: XeroIdentity;
  limiter: RateLimiter;
}

export async function registerXero(app: FastifyInstance, ctx: SandboxContext): Promise<XeroSandbox> {
  const identity = new XeroIdentity(ctx);
  const limiter = new RateLimiter(ctx.clock);
  identity.register(app);
  ctx.hooks.set('xero', {
    revokeGrants: (tenantId) => identity.revokeGrantsFor(tenantId),
    expireAccessTokens: () => identity.expireAccessTokens(),
  });

  /** Faults on demand; true when one answered the call. */
  const faulted = async (
    reply: FastifyReply,
    tenantId: string | undefined,
    call: CallKind = 'read',
  ): Promise<boolean> => {
    const latency = ctx.faults.take('xero', 'latency', tenantId, call);
    if (latency?.latencyMs) await sleep(latency.latencyMs);
    const fault = ctx.faults.take('xero', 'status', tenantId, call);
    if (!fault) return false;
    if (fault.status === 429) {
      sendProblem(reply, 429, 'Rate limit exceeded', {
        'retry-after': '2',
        'x-rate-limit-problem': 'minute',
      });
    } else if (fault.status === 401) {
      const at = xeroTimestamp(ctx.clock());
      sendProblem(reply, 401, `TokenExpired: token expired at ${at}`, {
        'www-authenticate': `Bearer error="invalid_token", error_description="The token expired at '${at}'"`,
      });
    } else {
      sendProblem(
        reply,
        fault.status ?? 500,
        'An error occurred in Xero. Check the API Status page http://status.developer.xero.com for current service status.',
      );
    }
    return true;
  };

  identity.registerConnections(
    app,
    async (req: FastifyRequest, reply: FastifyReply): Promise<Grant | undefined> => {
      const auth = identity.authenticate(req, reply);
      if (!auth.ok) return undefined;
      if (await faulted(reply, undefined)) return undefined;
      return auth.grant;
    },
  );

  const route: ApiRoute = (method, path, scopes, handler) => {
    app.route({
      method,
      url: `${API_PREFIX}${path}`,
      handler: async (req, reply) => {
        const auth = identity.authenticate(req, reply);
        if (!auth.ok) return reply;
        const header = req.headers['xero-tenant-id'];
        const tenantId = (typeof header === 'string' ? header : '').trim().toLowerCase();
        const ledger = tenantId ? ctx.companies.get(tenantId) : undefined;
        if (
          !ledger ||
          ledger.def.provider !== 'xero' ||
          !auth.grant.connections.some((c) => c.tenantId === ledger.def.id)
        ) {
          return sendProblem(reply, 403, 'AuthenticationUnsuccessful');
        }
        if (!scopes.some((s) => auth.grant.scope.includes(s))) {
          return sendProblem(reply, 401, 'AuthorizationUnsuccessful', {
            'www-authenticate': 'Bearer error="insufficient_scope"',
          });
        }
        const slot = limiter.acquire(ledger.def.id);
        reply.headers(slot.headers);
        if (!slot.ok) {
          return sendProblem(reply, 429, `Rate limit exceeded: ${slot.problem} limit`, {
            'retry-after': String(slot.retryAfter),
            'x-rate-limit-problem': slot.problem,
          });
        }
        try {
          // Every POST and PUT of these APIs writes (updates); GETs read.
          if (await faulted(reply, ledger.def.id, method === 'GET' ? 'read' : 'update')) return reply;
          return await handler(req, reply, {
            ledger,
            tenantId: ledger.def.id,
            grant: auth.grant,
            now: ctx.clock(),
          });
        } finally {
          slot.release();
        }
      },
    });
  };

  registerAccounting(route);
  registerProducts(route);
  return { identity, limiter };
}

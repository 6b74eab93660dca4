import type { FastifyInstance } from 'fastify';
import type { SandboxContext } from '../context';
import { registerQboApi } from './api';
import { RealmLimits } from './limits';
import { QboOAuth, registerQboOAuth } from './oauth';
import { QBO_PATHS } from './paths';

/**
 * The sandbox's QuickBooks Online: Intuit OAuth 2.0 and the v3 accounting API, reached by the
 * product through the real intuit-oauth SDK. With SANDBOX_URL = http://127.0.0.1:3900:
 *
 *   OAuthClient.authorizeEndpoint        = SANDBOX_URL + '/qbo/connect/oauth2'            (GET page, POST form)
 *   OAuthClient.tokenEndpoint            = SANDBOX_URL + '/qbo/oauth2/v1/tokens/bearer'   (Basic client auth, form body)
 *   OAuthClient.revokeEndpoint           = SANDBOX_URL + '/qbo/oauth2/v1/tokens/revoke'   (Basic client auth, JSON {token})
 *   OAuthClient.userinfo_endpoint_sandbox / _production = SANDBOX_URL + '/qbo/v1/openid_connect/userinfo'
 *   QBO_API_BASE                         = SANDBOX_URL   (data URLs: QBO_API_BASE + '/v3/company/<realmId>/…')
 *   OAuthClient.environment              = { sandbox: SANDBOX_URL + '/', production: SANDBOX_URL + '/' }
 *
 * Client id and secret: QBO_CLIENT_ID / QBO_CLIENT_SECRET of the sandbox's configuration.
 * The authorize page lists the sandbox's QuickBooks companies; Connect redirects to
 * redirect_uri?code=…&state=…&realmId=…, Cancel to redirect_uri?error=access_denied&state=….
 *
 * v3 (JSON; `minorversion` is accepted and ignored):
 *   GET  /v3/company/:realmId/companyinfo/:realmId   CompanyInfo (edition in NameValue OfferingSku)
 *   GET  /v3/company/:realmId/preferences            Preferences (AccountingInfoPrefs.ClassTrackingPerTxn / …PerTxnLine)
 *   GET  /v3/company/:realmId/query?query=…          (POST with an application/text body too) Account, Class, Vendor,
 *                                                    Customer, Purchase, Deposit, JournalEntry, Transfer, Bill,
 *                                                    BillPayment, Invoice, Payment, SalesReceipt
 *   GET  /v3/company/:realmId/cdc?entities=…&changedSince=…
 *   GET  /v3/company/:realmId/reports/ProfitAndLoss | BalanceSheet  (start_date, end_date, date_macro, accounting_method)
 *   GET  /v3/company/:realmId/<entity>/:id           one object (deleted → 400 Object Not Found)
 *   POST /v3/company/:realmId/purchase|bill|deposit|journalentry[?operation=update]
 *                                                    sparse update {Id, SyncToken, sparse: true, Line: […]}
 *
 * Limits per realm: 500 requests per rolling minute and 10 in flight (429, Fault code 003001).
 * Access tokens last 1 hour of the sandbox clock (then 401, Fault code 3200); refresh tokens rotate.
 * Control hooks: ctx.hooks.get('qbo') → revokeGrants(realmId), expireAccessTokens().
 */
export async function registerQbo(app: FastifyInstance, ctx: SandboxContext): Promise<void> {
  const oauth = new QboOAuth(ctx);
  const limits = new RealmLimits(ctx.clock);
  ctx.hooks.set('qbo', {
    revokeGrants: (realmId) => oauth.revokeRealm(realmId),
    expireAccessTokens: () => oauth.expireAll(),
  });
  await app.register(async (scope) => {
    // QuickBooks takes queries posted as plain text.
    scope.addContentTypeParser(
      ['application/text', 'text/plain'],
      { parseAs: 'string' },
      (_req, body, done) => done(null, body),
    );
    registerQboOAuth(scope, ctx, oauth);
    registerQboApi(scope, ctx, oauth, limits);
  });
}

export { QBO_PATHS };

/**
 * The sandbox's Xero, driven by the real xero-node SDK and openid-client v5 exactly as the product
 * drives it, with every Accounting API answer validated against Xero's official OpenAPI document
 * (apps/ledger-sandbox/reference/xero/xero_accounting.yaml) by a JSON-schema validator.
 */
import type { FastifyInstance } from 'fastify';
import { createHash, randomBytes } from 'node:crypto';
import { Issuer, type TokenSet } from 'openid-client';
import { XeroClient } from 'xero-node';
import { AssetStatusQueryParam } from 'xero-node/dist/gen/model/assets/assetStatusQueryParam';
import { loadSandboxConfig } from '../src/config';
import type { SandboxContext } from '../src/context';
import type { CompanyLedger } from '../src/model/company-ledger';
import { buildSandbox } from '../src/server';
import { consentAsBrowser, freePort } from '../src/testing';
import { accountingDoc, assetsDoc, expectAccounting, identityDoc, payrollDoc } from './support/xero-openapi';

const CLIENT_ID = 'ledgerport-xero-test';
const CLIENT_SECRET = 'ledgerport xero test secret+/=';
const SCOPES = [
  'openid',
  'profile',
  'email',
  'offline_access',
  'accounting.transactions',
  'accounting.settings.read',
  'accounting.contacts.read',
  'accounting.reports.read',
  'payroll.employees.read',
  'assets.read',
];
const MINUTE = 60_000;

// ------------------------------------------------------------------ helpers

/** A rejection of a generated xero-node API call: a JSON string with response.statusCode/body/headers. */
async function apiError(
  p: Promise<unknown>,
): Promise<{ statusCode: number; body: any; headers: Record<string, string> }> {
  try {
    await p;
  } catch (e) {
    return (
      JSON.parse(e as string) as {
        response: { statusCode: number; body: any; headers: Record<string, string> };
      }
    ).response;
  }
  throw new Error('expected the call to fail');
}

async function oauthError(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return (e as { error?: string }).error ?? String(e);
  }
  throw new Error('expected the call to fail');
}

describe('the schema validator', () => {
  it('rejects members and values outside Xero’s published model', () => {
    expect(
      accountingDoc('Account', { AccountID: '6f7594f2-f059-4d56-9e67-47ac9733bfe9', Code: '200' }),
    ).toEqual([]);
    expect(
      accountingDoc('Account', { AccountID: '6f7594f2-f059-4d56-9e67-47ac9733bfe9', Colour: 'red' }),
    ).not.toEqual([]);
    expect(accountingDoc('Account', { AccountID: 'not-a-uuid' })).not.toEqual([]);
    expect(
      accountingDoc('BankTransaction', { Type: 'SPEND', LineItems: [], BankAccount: {}, Status: 'PAID' }),
    ).not.toEqual([]);
    expect(
      accountingDoc('BankTransaction', {
        Type: 'SPEND',
        LineItems: [{ LineAmount: '12.00' }],
        BankAccount: {},
      }),
    ).not.toEqual([]);
  });
});

describe('ledger sandbox: Xero through xero-node', () => {
  let app: FastifyInstance;
  let ctx: SandboxContext;
  let url: string;
  let xero: XeroClient;
  let issuer: Issuer;
  let birch: CompanyLedger;
  let cedar: CompanyLedger;
  let big: CompanyLedger;
  let tokenSet: TokenSet;
  const redirectUri = 'http://127.0.0.1:5173/xero/callback';

  const client = () =>
    new issuer.Client({ client_id: CLIENT_ID, client_secret: CLIENT_SECRET, redirect_uris: [redirectUri] });

  /** Reads the consent page's form and submits it as a browser would. */
  const consent = (consentUrl: string, pick: string[], action: 'allow' | 'cancel' = 'allow') =>
    consentAsBrowser(consentUrl, pick, action);

  const bearer = () => ({ authorization: `Bearer ${xero.readTokenSet().access_token}` });
  const api = (path: string, tenantId: string, headers: Record<string, string> = {}) =>
    fetch(`${url}/xero/api/api.xro/2.0${path}`, {
      headers: { ...bearer(), 'xero-tenant-id': tenantId, accept: 'application/json', ...headers },
    });

  beforeAll(async () => {
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    const config = loadSandboxConfig({
      SANDBOX_URL: url,
      SANDBOX_PORT: String(port),
      SANDBOX_TODAY: '2026-11-23',
      XERO_CLIENT_ID: CLIENT_ID,
      XERO_CLIENT_SECRET: CLIENT_SECRET,
      LOG_LEVEL: 'silent',
    });
    ({ app, ctx } = await buildSandbox(config, { logger: false }));
    await app.listen({ port, host: '127.0.0.1' });
    const xeroCompanies = ctx.companies.list('xero');
    birch = xeroCompanies.find((c) => c.def.name === 'Birch Dental Studio')!;
    cedar = xeroCompanies.find((c) => c.def.name === 'Cedar Yoga Collective')!;
    big = ctx.companies.add({
      provider: 'xero',
      name: 'Big Bank Feed Ltd',
      legalName: 'Big Bank Feed Limited',
      country: 'US',
      currency: 'USD',
      edition: 'PREMIUM',
      classTracking: 'per_line',
      classShare: 0.4,
      transactions: 5000,
      uncategorizedShare: 0.1,
      payroll: false,
      fixedAssets: false,
    });

    issuer = await Issuer.discover(`${url}/xero/identity`);
    xero = new XeroClient({
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      redirectUris: [redirectUri],
      scopes: SCOPES,
      state: 'state-123',
    });
    xero.openIdClient = client();
    xero.accountingApi.basePath = `${url}/xero/api/api.xro/2.0`;
    xero.payrollUKApi.basePath = `${url}/xero/api/payroll.xro/2.0`;
    xero.assetApi.basePath = `${url}/xero/api/assets.xro/1.0`;
  });

  afterAll(async () => {
    await app?.close();
  });

  describe('identity', () => {
    it('publishes an OpenID Connect discovery document and its JWKS', async () => {
      expect(issuer.metadata.issuer).toBe(`${url}/xero/identity`);
      expect(issuer.metadata.id_token_signing_alg_values_supported).toEqual(['RS256']);
      expect(issuer.metadata.code_challenge_methods_supported).toContain('S256');
      for (const k of [
        'authorization_endpoint',
        'token_endpoint',
        'revocation_endpoint',
        'jwks_uri',
      ] as const)
        expect(issuer.metadata[k]).toMatch(new RegExp(`^${url}/xero/identity/`));
      const jwks = (await (await fetch(issuer.metadata.jwks_uri!)).json()) as {
        keys: { kty: string; alg: string; kid: string; n: string; e: string }[];
      };
      expect(jwks.keys).toHaveLength(1);
      expect(jwks.keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig', e: 'AQAB' });
    });

    it('shows an organisation picker with accessible labels, Allow access and Cancel', async () => {
      const html = await (await fetch(await xero.buildConsentUrl())).text();
      for (const c of ctx.companies.list('xero')) expect(html).toContain(`>${c.def.name}</label>`);
      expect(html).toMatch(/<legend>Select the organisations to connect<\/legend>/);
      expect(html).toContain('>Allow access</button>');
      expect(html).toContain('>Cancel</button>');
      // Every checkbox has its label.
      const ids = [...html.matchAll(/<input type="checkbox" id="([^"]+)"/g)].map((m) => m[1]);
      expect(ids.length).toBe(ctx.companies.list('xero').length);
      for (const id of ids) expect(html).toContain(`<label for="${id}">`);
    });

    it('refuses an unknown client without redirecting, and a bad scope by redirecting', async () => {
      const bad = await fetch(
        `${url}/xero/identity/connect/authorize?client_id=nope&redirect_uri=${encodeURIComponent(redirectUri)}&response_type=code&scope=openid`,
        { redirect: 'manual' },
      );
      expect(bad.status).toBe(400);
      const scope = await fetch(
        `${url}/xero/identity/connect/authorize?client_id=${CLIENT_ID}&redirect_uri=${encodeURIComponent(redirectUri)}&response_type=code&scope=openid%20superpowers&state=s1`,
        { redirect: 'manual' },
      );
      expect(scope.status).toBe(302);
      const loc = new URL(scope.headers.get('location')!);
      expect(loc.searchParams.get('error')).toBe('invalid_scope');
      expect(loc.searchParams.get('state')).toBe('s1');
    });

    it('Cancel redirects back with error=access_denied and the state', async () => {
      const location = await consent(await xero.buildConsentUrl(), [], 'cancel');
      const cb = new URL(location);
      expect(`${cb.origin}${cb.pathname}`).toBe(redirectUri);
      expect(cb.searchParams.get('error')).toBe('access_denied');
      expect(cb.searchParams.get('state')).toBe('state-123');
      await expect(xero.apiCallback(location)).rejects.toMatchObject({ error: 'access_denied' });
    });

    it('Allow access → code → apiCallback gives a token set with a verified RS256 id_token', async () => {
      const location = await consent(await xero.buildConsentUrl(), [
        'Birch Dental Studio',
        'Cedar Yoga Collective',
        'Big Bank Feed Ltd',
      ]);
      expect(new URL(location).searchParams.get('state')).toBe('state-123');
      tokenSet = await xero.apiCallback(location);
      expect(tokenSet.token_type).toBe('Bearer');
      expect(tokenSet.expires_in).toBeGreaterThan(1790);
      expect(tokenSet.refresh_token).toMatch(/^[0-9a-f]{64}$/);
      expect(tokenSet.access_token!.split('.')).toHaveLength(3);
      const claims = tokenSet.claims();
      expect(claims).toMatchObject({
        iss: `${url}/xero/identity`,
        aud: CLIENT_ID,
        email: 'sam.sandbox@example.com',
        given_name: 'Sam',
        family_name: 'Sandbox',
      });
      expect(claims.xero_userid).toMatch(/^[0-9a-f-]{36}$/);
      expect(claims.exp).toBeGreaterThan(claims.iat);
    });

    it('supports PKCE (S256) and a nonce, and refuses a wrong code_verifier', async () => {
      const c = client();
      const verifier = randomBytes(32).toString('base64url');
      const challenge = createHash('sha256').update(verifier).digest('base64url');
      const authUrl = c.authorizationUrl({
        redirect_uri: redirectUri,
        scope: 'openid email profile accounting.settings.read',
        state: 'pk1',
        nonce: 'n-1',
        code_challenge: challenge,
        code_challenge_method: 'S256',
      });
      const loc1 = await consent(authUrl, ['Cedar Yoga Collective']);
      const ts = await c.callback(redirectUri, c.callbackParams(loc1), {
        state: 'pk1',
        nonce: 'n-1',
        code_verifier: verifier,
      });
      expect(ts.claims().nonce).toBe('n-1');
      expect(ts.refresh_token).toBeUndefined(); // no offline_access
      const cedarOnly = { authorization: `Bearer ${ts.access_token}`, 'xero-tenant-id': cedar.def.id };
      expect((await fetch(`${url}/xero/api/api.xro/2.0/Organisation`, { headers: cedarOnly })).status).toBe(
        200,
      );
      // A code is single use; replaying it also revokes what it issued.
      expect(
        await oauthError(
          c.callback(redirectUri, c.callbackParams(loc1), {
            state: 'pk1',
            nonce: 'n-1',
            code_verifier: verifier,
          }),
        ),
      ).toBe('invalid_grant');
      expect((await fetch(`${url}/xero/api/api.xro/2.0/Organisation`, { headers: cedarOnly })).status).toBe(
        401,
      );
      const loc2 = await consent(authUrl, ['Cedar Yoga Collective']);
      expect(
        await oauthError(
          c.callback(redirectUri, c.callbackParams(loc2), {
            state: 'pk1',
            nonce: 'n-1',
            code_verifier: 'wrong',
          }),
        ),
      ).toBe('invalid_grant');
    });

    it('lists the connections of the grant (Connections API) and validates them against xero-identity.yaml', async () => {
      const res = await fetch(`${url}/xero/api/connections`, { headers: bearer() });
      expect(res.status).toBe(200);
      const list = (await res.json()) as Record<string, string>[];
      expect(list.map((c) => c.tenantName).sort()).toEqual([
        'Big Bank Feed Ltd',
        'Birch Dental Studio',
        'Cedar Yoga Collective',
      ]);
      for (const c of list) {
        expect(identityDoc('Connection', c)).toEqual([]);
        expect(c.tenantType).toBe('ORGANISATION');
        expect(c.authEventId).toBe(list[0].authEventId);
      }
      expect(list.find((c) => c.tenantName === 'Birch Dental Studio')!.tenantId).toBe(birch.def.id);
      const noToken = await fetch(`${url}/xero/api/connections`);
      expect(noToken.status).toBe(401);
      expect(noToken.headers.get('www-authenticate')).toMatch(/^Bearer/);
    });
  });

  describe('accounting API', () => {
    it('getOrganisations', async () => {
      const { response, body } = await xero.accountingApi.getOrganisations(birch.def.id);
      expectAccounting('Organisations', response.data);
      expect(body.organisations![0]).toMatchObject({
        organisationID: birch.def.id,
        name: 'Birch Dental Studio',
        baseCurrency: 'USD',
      });
      expect(response.data.Organisations[0].Class).toBe('STANDARD');
      expect(response.headers['x-minlimit-remaining']).toMatch(/^\d+$/);
      expect(response.headers['x-daylimit-remaining']).toMatch(/^\d+$/);
      expect(response.headers['x-appminlimit-remaining']).toMatch(/^\d+$/);
    });

    it('getAccounts, with a where filter', async () => {
      const all = await xero.accountingApi.getAccounts(birch.def.id);
      expectAccounting('Accounts', all.response.data);
      expect(all.body.accounts!.some((a) => a.name === 'Suspense')).toBe(true);
      const banks = await xero.accountingApi.getAccounts(
        birch.def.id,
        undefined,
        'Type=="BANK" AND Status=="ACTIVE"',
        'Name ASC',
      );
      expectAccounting('Accounts', banks.response.data);
      const names = banks.body.accounts!.map((a) => a.name);
      expect(names).toEqual(['Amex Business Card', 'Business Checking', 'Business Savings']);
      const expenses = await xero.accountingApi.getAccounts(birch.def.id, undefined, 'Class=="EXPENSE"');
      expect(expenses.body.accounts!.length).toBeGreaterThan(5);
      const bad = await apiError(
        xero.accountingApi.getAccounts(birch.def.id, undefined, 'Type=="BANK" AND ('),
      );
      expect(bad.statusCode).toBe(400);
      expect(accountingDoc('Error', bad.body)).toEqual([]);
    });

    it('getTrackingCategories: the classes as options; none when tracking is off', async () => {
      const { response, body } = await xero.accountingApi.getTrackingCategories(birch.def.id);
      expectAccounting('TrackingCategories', response.data);
      // Birch has two categories; together their options are its classes.
      expect(body.trackingCategories!.map((c) => c.name)).toEqual(['Department', 'Location']);
      expect(body.trackingCategories!.flatMap((c) => c.options!.map((o) => o.name))).toEqual(
        birch.classes.map((c) => c.name),
      );
      const single = await xero.accountingApi.getTrackingCategories(big.def.id);
      expectAccounting('TrackingCategories', single.response.data);
      expect(single.body.trackingCategories!.map((c) => c.name)).toEqual(['Department']);
      const off = await xero.accountingApi.getTrackingCategories(cedar.def.id);
      expectAccounting('TrackingCategories', off.response.data);
      expect(off.body.trackingCategories).toEqual([]);
    });

    it('getContacts, paged', async () => {
      const { response, body } = await xero.accountingApi.getContacts(
        birch.def.id,
        undefined,
        undefined,
        undefined,
        undefined,
        1,
      );
      expectAccounting('Contacts', response.data);
      expect(body.contacts).toHaveLength(birch.payees.length);
      expect(body.pagination).toMatchObject({
        page: 1,
        pageSize: 100,
        pageCount: 1,
        itemCount: birch.payees.length,
      });
    });

    it('getBankTransactions pages through 5,000 transactions 100 at a time', async () => {
      const expected = big.indicesOf(['spend', 'receive']).length;
      const seen = new Set<string>();
      for (let page = 1; ; page++) {
        const { response, body } = await xero.accountingApi.getBankTransactions(
          big.def.id,
          undefined,
          undefined,
          undefined,
          page,
        );
        expectAccounting('BankTransactions', response.data);
        const items = body.bankTransactions!;
        expect(body.pagination).toMatchObject({
          page,
          pageSize: 100,
          itemCount: expected,
          pageCount: Math.ceil(expected / 100),
        });
        for (const t of items) seen.add(t.bankTransactionID!);
        if (items.length < 100) break;
      }
      expect(seen.size).toBe(expected);
    });

    it('getBankTransactions with where and order', async () => {
      const where = 'Date >= DateTime(2026, 11, 01) AND Type=="SPEND"';
      const { response, body } = await xero.accountingApi.getBankTransactions(
        big.def.id,
        undefined,
        where,
        'Date DESC',
        1,
      );
      expectAccounting('BankTransactions', response.data);
      const items = body.bankTransactions!;
      const expected = big
        .indicesOf(['spend'])
        .map((i) => big.txn(i)!)
        .filter((t) => !t.deleted && t.date >= '2026-11-01');
      expect(body.pagination!.itemCount).toBe(expected.length);
      expect(items.length).toBe(Math.min(100, expected.length));
      for (const t of items) expect(t.type).toBe('SPEND');
      const dates = items.map((t) => t.date!);
      expect([...dates].sort().reverse()).toEqual(dates);
      expect(dates[dates.length - 1] >= '2026-11-01').toBe(true);
    });

    it('getBankTransactions with If-Modified-Since: only what changed, deleted ones as DELETED', async () => {
      const since = new Date(ctx.clock());
      ctx.offsetMs += 1000;
      const [a, b] = big
        .indicesOf(['spend'])
        .slice(10, 12)
        .map((i) => big.txn(i)!);
      big.update(a.id, { memo: 'Edited in the sandbox' });
      big.remove(b.id);
      const none = await xero.accountingApi.getBankTransactions(big.def.id, new Date(ctx.clock() + 1000));
      expect(none.body.bankTransactions).toEqual([]);
      const { response, body } = await xero.accountingApi.getBankTransactions(big.def.id, since);
      expectAccounting('BankTransactions', response.data);
      const byId = new Map(body.bankTransactions!.map((t) => [t.bankTransactionID, t]));
      expect(byId.size).toBe(2);
      expect(byId.get(a.id)!.reference).toBe('Edited in the sandbox');
      expect(String(byId.get(b.id)!.status)).toBe('DELETED');
      // Without If-Modified-Since the deleted one is gone.
      const after = await xero.accountingApi.getBankTransactions(
        big.def.id,
        undefined,
        `Date == DateTime(${b.date.replace(/-/g, ',')})`,
      );
      expect(after.body.bankTransactions!.some((t) => t.bankTransactionID === b.id)).toBe(false);
    });

    it('order=Date ASC/DESC slots an edited transaction in at its new date', async () => {
      ctx.offsetMs += 61_000; // a fresh minute for this tenant
      const moved = big.txn(big.indicesOf(['receive'])[40])!;
      big.update(moved.id, { date: '2025-06-15' });
      const changedIds = new Set(big.changesSince('1970-01-01T00:00:00Z').map((c) => c.id));
      const expected = big
        .indicesOf(['spend', 'receive'])
        .map((i) => big.txn(i)!)
        .filter((t) => !t.deleted)
        .sort(
          (a, b) =>
            a.date.localeCompare(b.date) ||
            Number(changedIds.has(a.id)) - Number(changedIds.has(b.id)) ||
            a.index - b.index,
        );
      const pos = expected.findIndex((t) => t.id === moved.id);
      const page = Math.floor(pos / 100) + 1;
      const { response, body } = await xero.accountingApi.getBankTransactions(
        big.def.id,
        undefined,
        undefined,
        'Date ASC',
        page,
      );
      expectAccounting('BankTransactions', response.data);
      expect(body.bankTransactions!.map((t) => t.bankTransactionID)).toEqual(
        expected.slice((page - 1) * 100, page * 100).map((t) => t.id),
      );
      const desc = await xero.accountingApi.getBankTransactions(
        big.def.id,
        undefined,
        'Type=="RECEIVE"',
        'Date DESC',
        1,
      );
      const dates = desc.body.bankTransactions!.map((t) => t.date!);
      expect([...dates].sort().reverse()).toEqual(dates);
      expect(desc.body.bankTransactions!.every((t) => String(t.type) === 'RECEIVE')).toBe(true);
    });

    it('updateBankTransaction writes an account code and tracking back to the ledger', async () => {
      const suspense = birch.accounts.find((x) => x.uncategorized === 'suspense')!;
      const target = birch
        .indicesOf(['spend'])
        .map((i) => birch.txn(i)!)
        .find((t) => !t.deleted && t.lines.length === 1 && t.lines[0].accountId === suspense.id)!;
      const { body: current } = await xero.accountingApi.getBankTransaction(birch.def.id, target.id);
      const line = current.bankTransactions![0].lineItems![0];
      expect(line.accountCode).toBe(suspense.code);
      const option = birch.classes[1];
      const { response, body } = await xero.accountingApi.updateBankTransaction(birch.def.id, target.id, {
        bankTransactions: [
          {
            bankTransactionID: target.id,
            lineItems: [
              {
                lineItemID: line.lineItemID,
                accountCode: '6070',
                tracking: [{ name: 'Department', option: option.name }],
              },
            ],
          } as any,
        ],
      });
      expectAccounting('BankTransactions', response.data);
      const updated = body.bankTransactions![0];
      expect(updated.lineItems![0]).toMatchObject({ accountCode: '6070', lineAmount: line.lineAmount });
      expect(updated.lineItems![0].tracking![0]).toMatchObject({
        name: 'Department',
        option: option.name,
        trackingOptionID: option.id,
      });
      const stored = birch.txnById(target.id)!;
      expect(birch.account(stored.lines[0].accountId)!.code).toBe('6070');
      expect(stored.lines[0].classId).toBe(option.id);
      expect(stored.totalMinor).toBe(target.totalMinor);

      const bad = await apiError(
        xero.accountingApi.updateBankTransaction(birch.def.id, target.id, {
          bankTransactions: [
            {
              bankTransactionID: target.id,
              lineItems: [{ lineItemID: line.lineItemID, accountCode: '1000' }],
            } as any,
          ],
        }),
      );
      expect(bad.statusCode).toBe(400);
      expect(accountingDoc('Error', bad.body)).toEqual([]);
      expect(bad.body.Elements[0].ValidationErrors[0].Message).toContain("Account code '1000'");
    });

    it('two tracking categories: lines carry an option of each, and write-back sets both', async () => {
      const { body: cats } = await xero.accountingApi.getTrackingCategories(birch.def.id);
      const [department, location] = cats.trackingCategories!;
      expect(department.options!.map((o) => o.name)).toEqual(['Hygiene', 'Orthodontics', 'Surgery']);
      expect(location.options!.map((o) => o.name)).toEqual(['Downtown', 'Uptown']);

      // Generated lines: some carry both categories, one entry per category.
      const both = birch
        .indicesOf(['spend', 'receive'])
        .map((i) => birch.txn(i)!)
        .find((t) => !t.deleted && t.lines.some((l) => l.classId && l.classId2))!;
      expect(both).toBeDefined();
      const { response: btRes, body: bt } = await xero.accountingApi.getBankTransaction(
        birch.def.id,
        both.id,
      );
      expectAccounting('BankTransactions', btRes.data);
      const n = both.lines.findIndex((l) => l.classId && l.classId2);
      expect(
        bt.bankTransactions![0].lineItems![n].tracking!.map((t) => [t.name, t.trackingOptionID]),
      ).toEqual([
        ['Department', both.lines[n].classId],
        ['Location', both.lines[n].classId2],
      ]);
      const journal = birch
        .indicesOf(['journal'])
        .map((i) => birch.txn(i)!)
        .find((t) => !t.deleted && t.lines.some((l) => l.classId && l.classId2))!;
      const { response: mjRes, body: mj } = await xero.accountingApi.getManualJournal(
        birch.def.id,
        journal.id,
      );
      expectAccounting('ManualJournals', mjRes.data);
      expect(mj.manualJournals![0].journalLines!.some((l) => l.tracking!.length === 2)).toBe(true);

      // Write-back with both categories, by name and by id.
      const target = birch
        .indicesOf(['spend'])
        .map((i) => birch.txn(i)!)
        .find((t) => !t.deleted && t.lines.length === 1 && !t.lines[0].classId && !t.lines[0].classId2)!;
      const { body: current } = await xero.accountingApi.getBankTransaction(birch.def.id, target.id);
      const line = current.bankTransactions![0].lineItems![0];
      const surgery = department.options!.find((o) => o.name === 'Surgery')!;
      const uptown = location.options!.find((o) => o.name === 'Uptown')!;
      const { response, body } = await xero.accountingApi.updateBankTransaction(birch.def.id, target.id, {
        bankTransactions: [
          {
            bankTransactionID: target.id,
            lineItems: [
              {
                lineItemID: line.lineItemID,
                tracking: [
                  { name: 'Department', option: 'Surgery' },
                  {
                    trackingCategoryID: location.trackingCategoryID,
                    trackingOptionID: uptown.trackingOptionID,
                  },
                ],
              },
            ],
          } as any,
        ],
      });
      expectAccounting('BankTransactions', response.data);
      expect(body.bankTransactions![0].lineItems![0].tracking!.map((t) => [t.name, t.option])).toEqual([
        ['Department', 'Surgery'],
        ['Location', 'Uptown'],
      ]);
      const stored = birch.txnById(target.id)!;
      expect(stored.lines[0]).toMatchObject({
        classId: surgery.trackingOptionID,
        classId2: uptown.trackingOptionID,
      });

      // P&L by a Location option counts the lines tracked to it.
      const pl = await xero.accountingApi.getReportProfitAndLoss(
        birch.def.id,
        '2024-01-01',
        '2026-11-23',
        undefined,
        undefined,
        location.trackingCategoryID,
        undefined,
        uptown.trackingOptionID,
      );
      expectAccounting('ReportWithRows', pl.response.data);

      // An option of one category is not an option of the other.
      const bad = await apiError(
        xero.accountingApi.updateBankTransaction(birch.def.id, target.id, {
          bankTransactions: [
            {
              bankTransactionID: target.id,
              lineItems: [
                { lineItemID: line.lineItemID, tracking: [{ name: 'Location', option: 'Surgery' }] },
              ],
            } as any,
          ],
        }),
      );
      expect(bad.statusCode).toBe(400);
      expect(bad.body.Elements[0].ValidationErrors[0].Message).toContain("tracking category 'Location'");
    });

    it('updateManualJournal rewrites the journal lines (account codes, tracking), refusing one that does not balance', async () => {
      ctx.offsetMs += 61_000; // a fresh minute for this tenant
      const journal = birch
        .indicesOf(['journal'])
        .map((i) => birch.txn(i)!)
        .find((t) => !t.deleted && t.lines.length === 2)!;
      const { body: current } = await xero.accountingApi.getManualJournal(birch.def.id, journal.id);
      const lines = current.manualJournals![0].journalLines!;
      const office = birch.accounts.find((a) => a.name === 'Office Supplies & Software')!;
      const surgery = birch.classes.find((c) => c.name === 'Surgery')!;
      const { response, body } = await xero.accountingApi.updateManualJournal(birch.def.id, journal.id, {
        manualJournals: [
          {
            manualJournalID: journal.id,
            narration: current.manualJournals![0].narration!,
            journalLines: [
              {
                ...lines[0],
                accountID: undefined,
                accountCode: office.code,
                tracking: [{ name: 'Department', option: 'Surgery' }],
              },
              { ...lines[1] },
            ],
          } as any,
        ],
      });
      expectAccounting('ManualJournals', response.data);
      const updated = body.manualJournals![0];
      expect(updated.journalLines!.map((l) => [l.accountCode, l.lineAmount])).toEqual([
        [office.code, lines[0].lineAmount],
        [lines[1].accountCode, lines[1].lineAmount],
      ]);
      expect(updated.journalLines![0].tracking!.map((t) => t.trackingOptionID)).toEqual([surgery.id]);
      const stored = birch.txnById(journal.id)!;
      expect(stored.lines.map((l) => [l.accountId, l.posting, l.amountMinor])).toEqual([
        [office.id, journal.lines[0].posting, journal.lines[0].amountMinor],
        [journal.lines[1].accountId, journal.lines[1].posting, journal.lines[1].amountMinor],
      ]);
      expect(Date.parse(stored.updatedAt)).toBeGreaterThan(Date.parse(journal.updatedAt));

      const bad = await apiError(
        xero.accountingApi.updateManualJournal(birch.def.id, journal.id, {
          manualJournals: [
            {
              manualJournalID: journal.id,
              narration: 'Unbalanced',
              journalLines: [{ ...lines[0], lineAmount: (lines[0].lineAmount ?? 0) + 1 }, { ...lines[1] }],
            } as any,
          ],
        }),
      );
      expect(bad.statusCode).toBe(400);
      expect(accountingDoc('Error', bad.body)).toEqual([]);
      expect(bad.body.Elements[0].ValidationErrors[0].Message).toMatch(
        /^The total debits \(\d+\.\d\d\) must equal total credits/,
      );
      expect(birch.txnById(journal.id)!.memo).toBe(stored.memo);
    });

    it('shows a reconciled bank transaction (control API) as IsReconciled and refuses to change it (ValidationException)', async () => {
      ctx.offsetMs += 61_000;
      const target = birch
        .indicesOf(['spend'])
        .map((i) => birch.txn(i)!)
        .find((t) => !t.deleted && !t.reconciled && t.lines.length === 1)!;
      const control = (body: unknown) =>
        fetch(`${url}/control/companies/${birch.def.id}/transactions/${target.id}/reconcile`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
      expect((await control({ reconciled: true })).status).toBe(200);
      const { response, body } = await xero.accountingApi.getBankTransaction(birch.def.id, target.id);
      expectAccounting('BankTransactions', response.data);
      expect(body.bankTransactions![0].isReconciled).toBe(true);
      const line = body.bankTransactions![0].lineItems![0];
      const edit = await apiError(
        xero.accountingApi.updateBankTransaction(birch.def.id, target.id, {
          bankTransactions: [
            {
              bankTransactionID: target.id,
              lineItems: [{ lineItemID: line.lineItemID, accountCode: '6070' }],
            } as any,
          ],
        }),
      );
      expect(edit.statusCode).toBe(400);
      expect(accountingDoc('Error', edit.body)).toEqual([]);
      expect(edit.body).toMatchObject({ ErrorNumber: 10, Type: 'ValidationException' });
      expect(edit.body.Elements[0].ValidationErrors[0].Message).toBe(
        'This Bank Transaction cannot be edited as it has been reconciled with a Bank Statement.',
      );
      const remove = await apiError(
        xero.accountingApi.updateBankTransaction(birch.def.id, target.id, {
          bankTransactions: [{ bankTransactionID: target.id, status: 'DELETED' } as any],
        }),
      );
      expect(remove.body.Elements[0].ValidationErrors[0].Message).toMatch(
        /cannot be deleted as it has been reconciled/,
      );
      expect(birch.txnById(target.id)!.lines[0].accountId).toBe(target.lines[0].accountId);

      // Unreconciled, it can change again.
      expect((await control({ reconciled: false })).status).toBe(200);
      const ok = await xero.accountingApi.updateBankTransaction(birch.def.id, target.id, {
        bankTransactions: [
          {
            bankTransactionID: target.id,
            lineItems: [{ lineItemID: line.lineItemID, accountCode: '6070' }],
          } as any,
        ],
      });
      expectAccounting('BankTransactions', ok.response.data);
      expect(ok.body.bankTransactions![0].isReconciled).toBe(false);
    });

    it('fails only the writes on an updates-only fault; reads pass', async () => {
      ctx.offsetMs += 61_000;
      const target = birch
        .indicesOf(['spend'])
        .map((i) => birch.txn(i)!)
        .find((t) => !t.deleted && !t.reconciled)!;
      const res = await fetch(`${url}/control/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          provider: 'xero',
          companyId: birch.def.id,
          kind: 'status',
          status: 500,
          calls: 'updates',
        }),
      });
      expect(res.status).toBe(201);
      const { body } = await xero.accountingApi.getBankTransaction(birch.def.id, target.id);
      const failed = await apiError(
        xero.accountingApi.updateBankTransaction(birch.def.id, target.id, {
          bankTransactions: [{ bankTransactionID: target.id, reference: 'After the fault' } as any],
        }),
      );
      expect(failed.statusCode).toBe(500);
      expect(body.bankTransactions![0].bankTransactionID).toBe(target.id);
      const ok = await xero.accountingApi.updateBankTransaction(birch.def.id, target.id, {
        bankTransactions: [{ bankTransactionID: target.id, reference: 'After the fault' } as any],
      });
      expect(ok.body.bankTransactions![0].reference).toBe('After the fault');
    });

    it('getManualJournals and getBankTransfers', async () => {
      const mj = await xero.accountingApi.getManualJournals(birch.def.id, undefined, undefined, undefined, 1);
      expectAccounting('ManualJournals', mj.response.data);
      expect(mj.body.manualJournals!.length).toBeGreaterThan(0);
      for (const j of mj.body.manualJournals!)
        expect(j.journalLines!.reduce((s, l) => s + l.lineAmount!, 0)).toBeCloseTo(0, 2);
      const bt = await xero.accountingApi.getBankTransfers(birch.def.id);
      expectAccounting('BankTransfers', bt.response.data);
      expect(bt.body.bankTransfers!.length).toBe(birch.indicesOf(['transfer']).length);
    });

    it('getReportProfitAndLoss and getReportBalanceSheet computed from the transactions', async () => {
      const { response, body } = await xero.accountingApi.getReportProfitAndLoss(
        birch.def.id,
        '2026-01-01',
        '2026-11-23',
      );
      expectAccounting('ReportWithRows', response.data);
      const rows = body.reports![0].rows!;
      expect(String(rows[0].rowType)).toBe('Header');
      const cell = (title: string) => {
        for (const s of rows)
          for (const r of s.rows ?? []) if (r.cells![0].value === title) return Number(r.cells![1].value);
        throw new Error(`no row ${title}`);
      };
      // Independent computation: income minus expenses of live spend/receive/journal lines in the period.
      let net = 0;
      for (let i = 0; i < birch.count; i++) {
        const t = birch.txn(i)!;
        if (t.deleted || t.date < '2026-01-01' || t.date > '2026-11-23') continue;
        for (const l of t.lines) {
          const kind = birch.account(l.accountId)!.kind;
          const debit =
            t.kind === 'spend' || (t.kind === 'journal' && l.posting === 'debit') || t.kind === 'transfer';
          const signed = debit ? l.amountMinor : -l.amountMinor;
          if (['income', 'other_income'].includes(kind)) net -= signed;
          if (['expense', 'cost_of_sales', 'other_expense'].includes(kind)) net -= signed;
        }
      }
      expect(Math.round(cell('Net Profit') * 100)).toBe(net);
      expect(cell('Net Profit')).toBeCloseTo(
        cell('Total Income') -
          cell('Total Operating Expenses') -
          (rows.some((s) => s.title === 'Less Cost of Sales') ? cell('Total Cost of Sales') : 0) +
          (rows.some((s) => s.title === 'Plus Other Income') ? cell('Total Other Income') : 0),
        2,
      );

      const bs = await xero.accountingApi.getReportBalanceSheet(birch.def.id, '2026-11-23');
      expectAccounting('ReportWithRows', bs.response.data);
      const bsRows = bs.body.reports![0].rows!;
      const bsCell = (title: string) => {
        for (const s of bsRows)
          for (const r of s.rows ?? []) if (r.cells![0].value === title) return Number(r.cells![1].value);
        throw new Error(`no row ${title}`);
      };
      expect(bsCell('Net Assets')).toBeCloseTo(bsCell('Total Equity'), 2);
      expect(bsCell('Net Assets')).toBeCloseTo(bsCell('Total Assets') - bsCell('Total Liabilities'), 2);
    });

    it('payroll and fixed assets: data when the organisation has them, 403 when not', async () => {
      const emp = await xero.payrollUKApi.getEmployees(birch.def.id);
      const {
        id: _id,
        providerName: _p,
        dateTimeUTC: _d,
        httpStatusCode: _h,
        ...employees
      } = emp.response.data;
      expect(payrollDoc('Employees', employees)).toEqual([]);
      expect(emp.body.employees!.length).toBeGreaterThan(0);
      expect((await apiError(xero.payrollUKApi.getEmployees(cedar.def.id))).statusCode).toBe(403);

      const fa = await xero.assetApi.getAssets(birch.def.id, AssetStatusQueryParam.REGISTERED);
      expect(assetsDoc('Assets', fa.response.data)).toEqual([]);
      expect(fa.body.items!.length).toBeGreaterThan(0);
      expect(
        (await apiError(xero.assetApi.getAssets(cedar.def.id, AssetStatusQueryParam.REGISTERED))).statusCode,
      ).toBe(403);
    });

    it('refuses an organisation the grant does not reach with 403 in Xero’s shape', async () => {
      const other = ctx.companies.list('qbo')[0].def.id;
      const res = await api('/Organisation', other);
      expect(res.status).toBe(403);
      expect(await res.json()).toMatchObject({
        Title: 'Forbidden',
        Status: 403,
        Detail: 'AuthenticationUnsuccessful',
      });
      expect((await api('/Organisation', '')).status).toBe(403);
    });
  });

  describe('tokens', () => {
    it('rotates refresh tokens; the previous one works for 30 minutes, then invalid_grant', async () => {
      const first = tokenSet.refresh_token!;
      const rotated = await xero.refreshToken();
      expect(rotated.refresh_token).not.toBe(first);
      expect(rotated.claims().sub).toBe(tokenSet.claims().sub);
      // Within the grace period the previous token still refreshes.
      ctx.offsetMs += 29 * MINUTE;
      const grace = await client().refresh(first);
      expect(grace.access_token).toBeTruthy();
      // The access tokens issued 29+ minutes ago are about to expire; 31 minutes after the rotation the old refresh token is dead.
      ctx.offsetMs += 2 * MINUTE;
      expect(await oauthError(client().refresh(first))).toBe('invalid_grant');
      const expired = await apiError(xero.accountingApi.getOrganisations(birch.def.id));
      expect(expired.statusCode).toBe(401);
      expect(expired.body.Detail).toMatch(/^TokenExpired/);
      expect(expired.headers['www-authenticate']).toMatch(/invalid_token/);
      // The newest refresh token keeps working.
      tokenSet = await xero.refreshToken();
      expect((await xero.accountingApi.getOrganisations(birch.def.id)).response.status).toBe(200);
    });

    it('expires every access token through the control hook', async () => {
      expect(ctx.hooks.get('xero')!.expireAccessTokens()).toBeGreaterThan(0);
      expect((await apiError(xero.accountingApi.getOrganisations(birch.def.id))).statusCode).toBe(401);
      tokenSet = await xero.refreshToken();
    });
  });

  describe('rate limits and faults', () => {
    it('counts calls per tenant and answers 429 with Retry-After past 60 a minute', async () => {
      ctx.offsetMs += 61_000;
      let last: Response | undefined;
      for (let i = 1; i <= 60; i++) {
        last = await api('/Organisation', cedar.def.id);
        expect(last.status).toBe(200);
        expect(last.headers.get('x-minlimit-remaining')).toBe(String(60 - i));
      }
      expect(Number(last!.headers.get('x-daylimit-remaining'))).toBeLessThan(5000);
      const refused = await api('/Organisation', cedar.def.id);
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(refused.headers.get('x-rate-limit-problem')).toBe('minute');
      expect(refused.headers.get('x-minlimit-remaining')).toBe('0');
      // Another tenant is not affected; a minute later Cedar is served again.
      expect((await api('/Organisation', birch.def.id)).status).toBe(200);
      ctx.offsetMs += 61_000;
      expect((await api('/Organisation', cedar.def.id)).status).toBe(200);
    });

    it('allows 5 concurrent calls per tenant', async () => {
      ctx.faults.add({
        provider: 'xero',
        companyId: birch.def.id,
        kind: 'latency',
        latencyMs: 300,
        remaining: 8,
      });
      const results = await Promise.all(Array.from({ length: 8 }, () => api('/Organisation', birch.def.id)));
      const statuses = results.map((r) => r.status).sort();
      expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429, 429]);
      expect(results.find((r) => r.status === 429)!.headers.get('x-rate-limit-problem')).toBe('concurrent');
      ctx.faults.clear();
    });

    it('answers faults on demand: 500, 429, 401', async () => {
      ctx.faults.add({
        provider: 'xero',
        companyId: birch.def.id,
        kind: 'status',
        status: 500,
        remaining: 1,
      });
      expect((await apiError(xero.accountingApi.getOrganisations(birch.def.id))).statusCode).toBe(500);
      expect((await xero.accountingApi.getOrganisations(birch.def.id)).response.status).toBe(200);
      ctx.faults.add({ provider: 'xero', kind: 'status', status: 429, remaining: 1 });
      const throttled = await apiError(xero.accountingApi.getAccounts(birch.def.id));
      expect(throttled.statusCode).toBe(429);
      expect(throttled.headers['retry-after']).toBeDefined();
      ctx.faults.add({ provider: 'xero', kind: 'status', status: 401, remaining: 1 });
      const unauth = await apiError(xero.accountingApi.getAccounts(birch.def.id));
      expect(unauth.statusCode).toBe(401);
      expect(unauth.headers['www-authenticate']).toMatch(/^Bearer/);
      expect((await xero.accountingApi.getAccounts(birch.def.id)).response.status).toBe(200);
    });
  });

  describe('disconnecting', () => {
    it('DELETE /connections/:id removes one organisation from the grant', async () => {
      const list = (await (await fetch(`${url}/xero/api/connections`, { headers: bearer() })).json()) as {
        id: string;
        tenantId: string;
      }[];
      const conn = list.find((c) => c.tenantId === cedar.def.id)!;
      const del = await fetch(`${url}/xero/api/connections/${conn.id}`, {
        method: 'DELETE',
        headers: bearer(),
      });
      expect(del.status).toBe(204);
      const after = (await (
        await fetch(`${url}/xero/api/connections`, { headers: bearer() })
      ).json()) as unknown[];
      expect(after).toHaveLength(2);
      expect((await api('/Organisation', cedar.def.id)).status).toBe(403);
      expect(
        (await fetch(`${url}/xero/api/connections/${conn.id}`, { method: 'DELETE', headers: bearer() }))
          .status,
      ).toBe(404);
    });

    it('revocation ends the grant: refresh gives invalid_grant, calls 401', async () => {
      const refresh = xero.readTokenSet().refresh_token!;
      const access = xero.readTokenSet().access_token!;
      await xero.revokeToken();
      expect(await oauthError(client().refresh(refresh))).toBe('invalid_grant');
      const res = await fetch(`${url}/xero/api/api.xro/2.0/Organisation`, {
        headers: { authorization: `Bearer ${access}`, 'xero-tenant-id': birch.def.id },
      });
      expect(res.status).toBe(401);
    });

    it('the control hook revokes every grant that reaches an organisation', async () => {
      const location = await consent(await xero.buildConsentUrl(), ['Birch Dental Studio']);
      tokenSet = await xero.apiCallback(location);
      expect(ctx.hooks.get('xero')!.revokeGrants(birch.def.id)).toBe(1);
      expect(await oauthError(client().refresh(tokenSet.refresh_token!))).toBe('invalid_grant');
    });
  });
});

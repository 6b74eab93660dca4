import type { FastifyInstance } from 'fastify';
import { loadSandboxConfig } from '../../src/config';
import type { SandboxContext } from '../../src/context';
import type { CompanyLedger } from '../../src/model/company-ledger';
import { buildSandbox } from '../../src/server';
import { consentAsBrowser, freePort } from '../../src/testing';
import {
  createLedgerProvider,
  LedgerConsentRefused,
  LedgerGrantRevoked,
  type LedgerProvider,
  LedgerRateLimited,
  LedgerTokenExpired,
  LedgerUnavailable,
  sandboxSettings,
  type TokenSet,
  type XeroSettings,
} from '@ledgerport/ledger';

/**
 * The Xero adapter against the real ledger sandbox, in-process: OpenID Connect discovery, consent
 * with PKCE, connections, organisation details, accounts, refresh rotation, expiry, faults,
 * revocation — all through xero-node and openid-client.
 */
jest.setTimeout(60_000);

const CLIENT_ID = 'ledger-lib-xero-client';
const CLIENT_SECRET = 'ledger-lib-xero-secret';
const REDIRECT_URI = 'http://127.0.0.1:1/ledger/xero/callback';
const MINUTE = 60_000;

let app: FastifyInstance;
let ctx: SandboxContext;
let base: string;
let settings: XeroSettings;
let xero: LedgerProvider;
let birch: CompanyLedger;
let cedar: CompanyLedger;
let tokens: TokenSet;

/** Opens the organisation picker like a browser, ticks the organisations and submits; answers the callback URL. */
const consent = (url: string, pick: string[], action: 'allow' | 'cancel' = 'allow') => consentAsBrowser(url, pick, action);

async function control(path: string, body: unknown): Promise<unknown> {
  const res = await fetch(`${base}/control${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(res.ok).toBe(true);
  return res.json();
}

beforeAll(async () => {
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  const config = loadSandboxConfig({
    SANDBOX_URL: base,
    SANDBOX_PORT: String(port),
    SANDBOX_TODAY: '2026-11-23',
    SANDBOX_SEED: 'ledger-lib-xero',
    SANDBOX_TRANSACTIONS: '200',
    XERO_CLIENT_ID: CLIENT_ID,
    XERO_CLIENT_SECRET: CLIENT_SECRET,
    LOG_LEVEL: 'silent',
  });
  ({ app, ctx } = await buildSandbox(config, { logger: false }));
  await app.listen({ port, host: '127.0.0.1' });
  birch = ctx.companies.list('xero').find((c) => c.def.name === 'Birch Dental Studio')!;
  cedar = ctx.companies.list('xero').find((c) => c.def.name === 'Cedar Yoga Collective')!;
  settings = sandboxSettings(base, {
    qbo: { redirectUri: REDIRECT_URI },
    xero: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUri: REDIRECT_URI },
  }).xero;
  xero = createLedgerProvider('xero', settings);
});

afterAll(async () => {
  await app?.close();
});

describe('Xero adapter against the ledger sandbox', () => {
  it('starts a consent on the discovered authorize endpoint, with state, nonce and PKCE (S256)', async () => {
    const start = await xero.startConsent('state-1');
    const url = new URL(start.url);
    expect(`${url.origin}${url.pathname}`).toBe(`${base}/xero/identity/connect/authorize`);
    expect(url.searchParams.get('state')).toBe('state-1');
    expect(url.searchParams.get('client_id')).toBe(CLIENT_ID);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('code_challenge')).toBeTruthy();
    expect(url.searchParams.get('nonce')).toBe(start.nonce);
    expect(start.codeVerifier).toMatch(/^[\w-]{43,}$/);
    expect(url.searchParams.get('scope')!.split(' ')).toEqual(
      expect.arrayContaining(['offline_access', 'accounting.settings.read']),
    );
  });

  it('turns Cancel into LedgerConsentRefused, and refuses a callback of another flow or a wrong verifier', async () => {
    const start = await xero.startConsent('cancel-me');
    const cancelled = await consent(start.url, [], 'cancel');
    await expect(
      xero.completeConsent(cancelled, {
        state: 'cancel-me',
        codeVerifier: start.codeVerifier,
        nonce: start.nonce,
      }),
    ).rejects.toBeInstanceOf(LedgerConsentRefused);

    const other = await xero.startConsent('flow-a');
    const callback = await consent(other.url, ['Cedar Yoga Collective']);
    await expect(
      xero.completeConsent(callback, {
        state: 'flow-b',
        codeVerifier: other.codeVerifier,
        nonce: other.nonce,
      }),
    ).rejects.toThrow(/state mismatch/);
    await expect(
      xero.completeConsent(callback, { state: 'flow-a', codeVerifier: 'x'.repeat(43), nonce: other.nonce }),
    ).rejects.toBeInstanceOf(LedgerConsentRefused);
  });

  it('connects: tokens and the organisations picked (Connections API)', async () => {
    const start = await xero.startConsent('connect');
    const callback = await consent(start.url, ['Birch Dental Studio', 'Cedar Yoga Collective']);
    const result = await xero.completeConsent(callback, {
      state: 'connect',
      codeVerifier: start.codeVerifier,
      nonce: start.nonce,
    });
    tokens = result.tokens;
    expect(result.companies.sort((a, b) => a.name.localeCompare(b.name))).toEqual([
      { externalId: birch.def.id, name: 'Birch Dental Studio' },
      { externalId: cedar.def.id, name: 'Cedar Yoga Collective' },
    ]);
    const life = tokens.accessExpiresAt.getTime() - Date.now();
    expect(life).toBeGreaterThan(29 * MINUTE);
    expect(life).toBeLessThanOrEqual(30 * MINUTE);
    expect(tokens.refreshToken).toBeTruthy();
    expect(tokens.scope).toContain('accounting.settings.read');
  });

  it('connects without PKCE through xero-node’s buildConsentUrl / apiCallback when told to', async () => {
    const plain = createLedgerProvider('xero', { ...settings, pkce: false });
    const start = await plain.startConsent('plain');
    expect(new URL(start.url).searchParams.get('code_challenge')).toBeNull();
    expect(start.codeVerifier).toBeUndefined();
    const result = await plain.completeConsent(await consent(start.url, ['Cedar Yoga Collective']), {
      state: 'plain',
    });
    expect(result.companies).toEqual([{ externalId: cedar.def.id, name: 'Cedar Yoga Collective' }]);
  });

  it('reads the organisation: edition, tracking categories as classes, payroll and fixed assets', async () => {
    const d = await xero.companyDetails(tokens.accessToken, birch.def.id);
    expect(d).toMatchObject({
      externalId: birch.def.id,
      name: 'Birch Dental Studio',
      legalName: 'Birch Dental Studio Ltd',
      edition: 'STANDARD',
      country: 'US',
      currency: 'USD',
      classTracking: 'per_line',
      payroll: 'connected',
      fixedAssets: 'connected',
    });
    expect(d.classes.map((c) => c.id).sort()).toEqual(birch.classes.map((c) => c.id).sort());
    for (const c of d.classes) expect(c.name).toMatch(/^[^:]+: .+$/);
    expect(d.dashboardUrl).toMatch(
      new RegExp(`^${base}/xero/go/organisationlogin/default\\.aspx\\?shortcode=`),
    );

    const c = await xero.companyDetails(tokens.accessToken, cedar.def.id);
    expect(c).toMatchObject({
      name: 'Cedar Yoga Collective',
      edition: 'STARTER',
      classTracking: 'off',
      classes: [],
      payroll: 'not_connected',
      fixedAssets: 'not_connected',
    });
  });

  it('reads the chart of accounts, archived ones included', async () => {
    const retired = birch.accounts.find((a) => a.kind === 'expense' && !a.uncategorized)!;
    retired.active = false;
    const accounts = await xero.accounts(tokens.accessToken, birch.def.id);
    retired.active = true;
    expect(accounts).toHaveLength(birch.accounts.length);
    expect(accounts).toContainEqual(expect.objectContaining({ id: retired.id, active: false }));
    expect(accounts.find((a) => a.name === 'Suspense')).toMatchObject({ active: true });
    expect(accounts.some((a) => a.type === 'BANK')).toBe(true);
  });

  it('refreshes with rotation: the old refresh token dies 30 minutes later (LedgerGrantRevoked)', async () => {
    const old = tokens;
    tokens = await xero.refresh(old.refreshToken);
    expect(tokens.refreshToken).not.toBe(old.refreshToken);
    expect((await xero.companyDetails(tokens.accessToken, birch.def.id)).name).toBe('Birch Dental Studio');
    ctx.offsetMs += 31 * MINUTE;
    await expect(xero.refresh(old.refreshToken)).rejects.toBeInstanceOf(LedgerGrantRevoked);
    // Those 31 minutes expired the access token too.
    await expect(xero.accounts(tokens.accessToken, birch.def.id)).rejects.toBeInstanceOf(LedgerTokenExpired);
    tokens = await xero.refresh(tokens.refreshToken);
    expect((await xero.accounts(tokens.accessToken, birch.def.id)).length).toBeGreaterThan(10);
  });

  it('maps expired access tokens (control API) to LedgerTokenExpired; a refresh fixes it', async () => {
    expect(await control('/tokens/expire', { provider: 'xero' })).toMatchObject({
      expired: expect.any(Number),
    });
    await expect(xero.companyDetails(tokens.accessToken, birch.def.id)).rejects.toBeInstanceOf(
      LedgerTokenExpired,
    );
    tokens = await xero.refresh(tokens.refreshToken);
    expect((await xero.companyDetails(tokens.accessToken, birch.def.id)).edition).toBe('STANDARD');
  });

  it('maps 429 to LedgerRateLimited with Retry-After, 500 to LedgerUnavailable, 401 to LedgerTokenExpired', async () => {
    ctx.offsetMs += 61_000; // a fresh minute for the tenant
    await control('/faults', {
      provider: 'xero',
      companyId: birch.def.id,
      kind: 'status',
      status: 429,
      count: 1,
    });
    const limited = await xero.accounts(tokens.accessToken, birch.def.id).catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(LedgerRateLimited);
    expect((limited as LedgerRateLimited).retryAfterMs).toBe(2000);

    await control('/faults', {
      provider: 'xero',
      companyId: birch.def.id,
      kind: 'status',
      status: 500,
      count: 1,
    });
    await expect(xero.accounts(tokens.accessToken, birch.def.id)).rejects.toBeInstanceOf(LedgerUnavailable);

    await control('/faults', {
      provider: 'xero',
      companyId: birch.def.id,
      kind: 'status',
      status: 401,
      count: 1,
    });
    await expect(xero.accounts(tokens.accessToken, birch.def.id)).rejects.toBeInstanceOf(LedgerTokenExpired);
    expect((await xero.accounts(tokens.accessToken, birch.def.id)).length).toBeGreaterThan(10);
  });

  it('maps a grant revoked at the provider (control API) to LedgerGrantRevoked on refresh', async () => {
    const start = await xero.startConsent('to-revoke');
    const other = await xero.completeConsent(await consent(start.url, ['Cedar Yoga Collective']), {
      state: 'to-revoke',
      codeVerifier: start.codeVerifier,
      nonce: start.nonce,
    });
    const { revoked } = (await control('/grants/revoke', { provider: 'xero', companyId: cedar.def.id })) as {
      revoked: number;
    };
    expect(revoked).toBeGreaterThanOrEqual(1);
    await expect(xero.refresh(other.tokens.refreshToken)).rejects.toBeInstanceOf(LedgerGrantRevoked);
  });

  it('revokes the grant: refresh then throws LedgerGrantRevoked and calls LedgerTokenExpired', async () => {
    await xero.revoke(tokens);
    await expect(xero.refresh(tokens.refreshToken)).rejects.toBeInstanceOf(LedgerGrantRevoked);
    await expect(xero.accounts(tokens.accessToken, birch.def.id)).rejects.toBeInstanceOf(LedgerTokenExpired);
  });

  it('maps an unreachable identity service to LedgerUnavailable', async () => {
    const offline = createLedgerProvider('xero', {
      ...settings,
      identityUrl: 'http://127.0.0.1:9/xero/identity',
    });
    await expect(offline.startConsent('x')).rejects.toBeInstanceOf(LedgerUnavailable);
  });
});

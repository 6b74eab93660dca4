import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { loadSandboxConfig } from '../../src/config';
import type { SandboxContext } from '../../src/context';
import type { CompanyLedger } from '../../src/model/company-ledger';
import { buildSandbox } from '../../src/server';
import { consentAsBrowser } from '../../src/testing';
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
} from '@ledgerport/ledger';

/**
 * The QuickBooks adapter against the real ledger sandbox, in-process: consent page, callback,
 * company details, accounts, refresh rotation, expiry, faults, revocation — all through intuit-oauth.
 */
jest.setTimeout(60_000);

const CLIENT_ID = 'ledger-lib-qbo-client';
const CLIENT_SECRET = 'ledger-lib-qbo-secret';
const REDIRECT_URI = 'http://127.0.0.1:1/ledger/qbo/callback';
const START = Date.parse('2026-11-23T12:00:00Z');

let app: FastifyInstance;
let ctx: SandboxContext;
let base: string;
let qbo: LedgerProvider;
let acme: CompanyLedger;
let tokens: TokenSet;

/** Opens the consent page like a browser, picks the company and submits; answers the callback URL. */
const consent = (url: string, companyName: string, action: 'connect' | 'cancel' = 'connect') =>
  consentAsBrowser(url, action === 'connect' ? [companyName] : [], action === 'connect' ? 'allow' : 'cancel');

async function connect(companyName: string, state: string) {
  const start = await qbo.startConsent(state);
  return qbo.completeConsent(await consent(start.url, companyName), { state });
}

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
  const started = Date.now();
  const config = loadSandboxConfig({
    SANDBOX_PORT: '0',
    SANDBOX_TODAY: '2026-11-23',
    SANDBOX_SEED: 'ledger-lib-qbo',
    SANDBOX_TRANSACTIONS: '200',
    QBO_CLIENT_ID: CLIENT_ID,
    QBO_CLIENT_SECRET: CLIENT_SECRET,
    LOG_LEVEL: 'silent',
  });
  ({ app, ctx } = await buildSandbox(config, { logger: false, clock: () => START + (Date.now() - started) }));
  await app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  acme = ctx.companies.list('qbo').find((c) => c.def.name === 'Acme Coffee Roasters')!;
  const settings = sandboxSettings(base, {
    qbo: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUri: REDIRECT_URI },
    xero: { redirectUri: REDIRECT_URI },
  });
  qbo = createLedgerProvider('qbo', settings.qbo, { retryTokenCalls: false });
});

afterAll(async () => {
  await app?.close();
});

describe('QuickBooks adapter against the ledger sandbox', () => {
  it('starts a consent on the sandbox authorize page with the accounting scope and the state', async () => {
    const start = await qbo.startConsent('state-1');
    const url = new URL(start.url);
    expect(`${url.origin}${url.pathname}`).toBe(`${base}/qbo/connect/oauth2`);
    expect(url.searchParams.get('state')).toBe('state-1');
    expect(url.searchParams.get('scope')).toBe('com.intuit.quickbooks.accounting');
    expect(url.searchParams.get('client_id')).toBe(CLIENT_ID);
    expect(url.searchParams.get('redirect_uri')).toBe(REDIRECT_URI);
    expect(start.codeVerifier).toBeUndefined();
  });

  it('turns Cancel into LedgerConsentRefused, and refuses a callback of another flow', async () => {
    const start = await qbo.startConsent('cancel-me');
    const cancelled = await consent(start.url, 'Acme Coffee Roasters', 'cancel');
    await expect(qbo.completeConsent(cancelled, { state: 'cancel-me' })).rejects.toBeInstanceOf(
      LedgerConsentRefused,
    );

    const other = await qbo.startConsent('flow-a');
    const callback = await consent(other.url, 'Acme Coffee Roasters');
    await expect(qbo.completeConsent(callback, { state: 'flow-b' })).rejects.toThrow(/state mismatch/);
  });

  it('connects: tokens and the company picked, named from companyinfo', async () => {
    const result = await connect('Acme Coffee Roasters', 'connect-acme');
    tokens = result.tokens;
    expect(result.companies).toEqual([{ externalId: acme.def.id, name: 'Acme Coffee Roasters' }]);
    expect(tokens.accessToken).toBeTruthy();
    expect(tokens.refreshToken).toBeTruthy();
    const hour = tokens.accessExpiresAt.getTime() - Date.now();
    expect(hour).toBeGreaterThan(3590_000);
    expect(hour).toBeLessThanOrEqual(3600_000);
    expect(tokens.refreshExpiresAt!.getTime() - Date.now()).toBeGreaterThan(100 * 86_400_000);
  });

  it('refuses a replayed callback (the code is single use)', async () => {
    const start = await qbo.startConsent('replay');
    const callback = await consent(start.url, 'Sandbox Company US');
    await qbo.completeConsent(callback, { state: 'replay' });
    await expect(qbo.completeConsent(callback, { state: 'replay' })).rejects.toThrow(/invalid_grant/);
  });

  it('reads the company details: edition, class tracking per transaction, classes, payroll', async () => {
    const d = await qbo.companyDetails(tokens.accessToken, acme.def.id);
    expect(d).toMatchObject({
      externalId: acme.def.id,
      name: 'Acme Coffee Roasters',
      legalName: 'Acme Coffee Roasters LLC',
      edition: 'QuickBooks Online Plus',
      country: 'US',
      currency: 'USD',
      classTracking: 'per_txn',
      payroll: 'not_connected',
      fixedAssets: 'unknown',
    });
    expect(d.classes.map((c) => c.id).sort()).toEqual(acme.classes.map((c) => c.id).sort());
    for (const c of acme.classes)
      expect(d.classes).toContainEqual({ id: c.id, name: c.name, active: c.active });
    expect(d.dashboardUrl).toBe(`${base}/qbo/app/homepage?deeplinkcompanyid=${acme.def.id}`);
  });

  it('reads class tracking per line and off from the other companies', async () => {
    const sandboxUs = await connect('Sandbox Company US', 'connect-us');
    const us = await qbo.companyDetails(sandboxUs.tokens.accessToken, sandboxUs.companies[0].externalId);
    expect(us).toMatchObject({ edition: 'QuickBooks Online Advanced', classTracking: 'per_line' });
    const cedar = await connect('Cedar Yoga Collective', 'connect-cedar');
    const c = await qbo.companyDetails(cedar.tokens.accessToken, cedar.companies[0].externalId);
    expect(c).toMatchObject({
      name: 'Cedar Yoga Collective',
      edition: 'QuickBooks Online Essentials',
      classTracking: 'off',
    });
  });

  it('reads the chart of accounts, inactive ones included', async () => {
    const retired = acme.accounts.find((a) => a.kind === 'expense' && !a.uncategorized)!;
    retired.active = false;
    const accounts = await qbo.accounts(tokens.accessToken, acme.def.id);
    retired.active = true;
    expect(accounts).toContainEqual(expect.objectContaining({ id: retired.id, active: false }));
    expect(accounts).toHaveLength(acme.accounts.length);
    const uncategorized = accounts.find((a) => a.name === 'Uncategorized Expense');
    expect(uncategorized).toMatchObject({ type: 'Expense', active: true });
    const sample = acme.accounts[0];
    expect(accounts).toContainEqual(
      expect.objectContaining({
        id: sample.id,
        name: sample.name,
        code: sample.code ?? null,
        active: sample.active,
      }),
    );
  });

  it('refreshes with rotation: the used refresh token then answers LedgerGrantRevoked', async () => {
    const old = tokens;
    tokens = await qbo.refresh(old.refreshToken);
    expect(tokens.refreshToken).not.toBe(old.refreshToken);
    expect(tokens.accessToken).not.toBe(old.accessToken);
    await expect(qbo.refresh(old.refreshToken)).rejects.toBeInstanceOf(LedgerGrantRevoked);
    expect((await qbo.companyDetails(tokens.accessToken, acme.def.id)).name).toBe('Acme Coffee Roasters');
  });

  it('maps an expired access token to LedgerTokenExpired; a refresh fixes it', async () => {
    expect(await control('/tokens/expire', { provider: 'qbo' })).toMatchObject({
      expired: expect.any(Number),
    });
    await expect(qbo.accounts(tokens.accessToken, acme.def.id)).rejects.toBeInstanceOf(LedgerTokenExpired);
    tokens = await qbo.refresh(tokens.refreshToken);
    expect((await qbo.accounts(tokens.accessToken, acme.def.id)).length).toBeGreaterThan(10);

    // An hour of the sandbox's clock later, the same.
    ctx.offsetMs += 3601_000;
    await expect(qbo.companyDetails(tokens.accessToken, acme.def.id)).rejects.toBeInstanceOf(
      LedgerTokenExpired,
    );
    tokens = await qbo.refresh(tokens.refreshToken);
    expect((await qbo.companyDetails(tokens.accessToken, acme.def.id)).edition).toBe(
      'QuickBooks Online Plus',
    );
  });

  it('maps throttling (429, 003001) to LedgerRateLimited and a 500 to LedgerUnavailable', async () => {
    await control('/faults', {
      provider: 'qbo',
      companyId: acme.def.id,
      kind: 'status',
      status: 429,
      count: 1,
    });
    const limited = await qbo.accounts(tokens.accessToken, acme.def.id).catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(LedgerRateLimited);
    expect((limited as LedgerRateLimited).retryAfterMs).toBe(60_000);

    await control('/faults', {
      provider: 'qbo',
      companyId: acme.def.id,
      kind: 'status',
      status: 500,
      count: 1,
    });
    await expect(qbo.accounts(tokens.accessToken, acme.def.id)).rejects.toBeInstanceOf(LedgerUnavailable);
    expect((await qbo.accounts(tokens.accessToken, acme.def.id)).length).toBeGreaterThan(10);
  });

  it('maps a grant revoked at the provider (control API) to LedgerGrantRevoked on refresh', async () => {
    const us = await connect('Sandbox Company US', 'connect-us-2');
    const { revoked } = (await control('/grants/revoke', {
      provider: 'qbo',
      companyId: us.companies[0].externalId,
    })) as { revoked: number };
    expect(revoked).toBeGreaterThanOrEqual(1);
    await expect(qbo.refresh(us.tokens.refreshToken)).rejects.toBeInstanceOf(LedgerGrantRevoked);
  });

  it('revokes the grant: refresh then throws LedgerGrantRevoked and calls LedgerTokenExpired', async () => {
    await qbo.revoke(tokens);
    await expect(qbo.refresh(tokens.refreshToken)).rejects.toBeInstanceOf(LedgerGrantRevoked);
    await expect(qbo.accounts(tokens.accessToken, acme.def.id)).rejects.toBeInstanceOf(LedgerTokenExpired);
  });

  it('maps an unreachable service to LedgerUnavailable', async () => {
    const dead = sandboxSettings('http://127.0.0.1:9', {
      qbo: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUri: REDIRECT_URI },
      xero: { redirectUri: REDIRECT_URI },
    });
    const offline = createLedgerProvider('qbo', dead.qbo, { retryTokenCalls: false });
    await expect(offline.refresh('whatever')).rejects.toBeInstanceOf(LedgerUnavailable);
    await expect(offline.accounts('token', acme.def.id)).rejects.toBeInstanceOf(LedgerUnavailable);
  });
});

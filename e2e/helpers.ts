import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import { deflateSync } from 'node:zlib';
import { expect, type APIRequestContext, type Locator, type Page } from '@playwright/test';
import {
  E2E_DATABASE_URL,
  E2E_MAIL_HTTP_PORT,
  E2E_OIDC_PORT,
  E2E_PORT,
  E2E_REDIS_PREFIX,
  E2E_SMTP_URL,
} from './playwright.config';

const run = promisify(execFile);

export const ROOT = path.resolve(__dirname, '..');
export const BASE_URL = `http://127.0.0.1:${E2E_PORT}`;
export const DEMO_PASSWORD = 'ledgerport-demo';
/**
 * Where screenshots go: tmp/screenshots on every run (to look at), docs/screenshots when
 * UPDATE_SCREENSHOTS=1 (to refresh the ones the README shows), so a test run leaves the tree clean.
 */
export const SCREENSHOTS = process.env.UPDATE_SCREENSHOTS
  ? path.join(ROOT, 'docs', 'screenshots')
  : path.join(ROOT, 'tmp', 'screenshots');

/** A short random suffix, so every test's emails and names are unique in the shared database. */
export function uid(): string {
  return randomBytes(4).toString('hex');
}

/** Signs in through the real form on /sign-in and waits for the console to show the clients page. */
export async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto('/sign-in');
  await expect(page.getByRole('heading', { name: 'Sign in to Ledgerport' })).toBeVisible();
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/clients$/);
  await expect(page.getByRole('heading', { name: 'Clients', level: 1 })).toBeVisible();
}

/** Signs out through the account menu in the top bar. */
export async function signOut(page: Page, name: string): Promise<void> {
  await page.getByRole('button', { name: `Account menu for ${name}` }).click();
  await page.getByRole('dialog', { name: 'Account' }).getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  await expect(page.getByRole('heading', { name: 'Sign in to Ledgerport' })).toBeVisible();
}

/** A message as the mail catcher (tools/mail-catcher.mjs) received it over SMTP from the worker. */
export interface CaughtMail {
  id: string;
  /** Envelope recipients, lower-cased, comma-separated (the product sends to one address at a time). */
  to: string;
  from: string;
  subject: string;
  text: string;
  html: string;
  /** When the catcher received it (ISO 8601). */
  date: string;
}

/** The mail catcher's HTTP API, on the port tools/e2e-server.mjs gave it (same derivation). */
export const MAIL_URL = `http://127.0.0.1:${E2E_MAIL_HTTP_PORT}`;

/**
 * Every email the mail catcher has received for `to` so far, newest first. No waiting: mail goes
 * through Redis and the worker, so wait for the email you expect first (`lastEmailLink`), then count.
 */
export async function emailsTo(request: APIRequestContext, to: string): Promise<CaughtMail[]> {
  const res = await request.get(`${MAIL_URL}/messages`, { params: { to } });
  expect(res.status(), `GET ${MAIL_URL}/messages`).toBe(200);
  return (await res.json()) as CaughtMail[];
}

/** The same as `emailsTo` (the name from when mail was read from the dev outbox). */
export const outbox = emailsTo;

/** Forgets the caught mail (only that to `to` when given). */
export async function clearEmails(request: APIRequestContext, to?: string): Promise<void> {
  const res = await request.delete(`${MAIL_URL}/messages`, { params: to ? { to } : {} });
  expect(res.status(), `DELETE ${MAIL_URL}/messages`).toBe(204);
}

/**
 * The link in the newest email to `to` (optionally: the newest whose subject matches), read from the
 * mail catcher the worker delivered it to over SMTP. Returned as a path (`/set-password?token=…`) so it
 * opens on the e2e server whatever APP_URL the sender had. Waits (polling, no fixed sleep, up to 15 s
 * or `timeout`: delivery is asynchronous) until such an email exists.
 */
export async function lastEmailLink(
  request: APIRequestContext,
  to: string,
  opts: { subject?: RegExp; timeout?: number } = {},
): Promise<string> {
  let link: string | null = null;
  await expect
    .poll(
      async () => {
        const mail = (await emailsTo(request, to)).find((m) => !opts.subject || opts.subject.test(m.subject));
        const url = mail?.text.match(/https?:\/\/[^\s<>"']*[^\s<>"'.,;:!?)\]}]/)?.[0];
        link = url ? new URL(url).pathname + new URL(url).search : null;
        return link;
      },
      {
        message: `an email with a link to ${to}${opts.subject ? ` (subject ${opts.subject})` : ''}`,
        timeout: opts.timeout ?? 15_000,
      },
    )
    .not.toBeNull();
  return link!;
}

/**
 * Approves a pending firm with the real operator CLI (`firm:approve <email-or-id>`), against the e2e
 * database. The CLI writes the approval email row (status `queued`) in the same transaction as the
 * approval and enqueues a delivery job in Redis; the e2e server's worker sends it over SMTP to the
 * mail catcher, where `lastEmailLink` finds it. So the CLI gets the server's REDIS_PREFIX (else no
 * worker would see the job), SMTP_URL, and APP_URL (so the link in the email points at this server).
 */
export async function approveFirm(emailOrId: string): Promise<string> {
  const { stdout } = await run('node', ['dist/server/apps/api/src/cli.js', 'firm:approve', emailOrId], {
    cwd: ROOT,
    timeout: 30_000,
    env: {
      ...process.env,
      NODE_ENV: 'development',
      DATABASE_URL: E2E_DATABASE_URL,
      REDIS_PREFIX: E2E_REDIS_PREFIX,
      SMTP_URL: E2E_SMTP_URL,
      APP_URL: BASE_URL,
      LOG_LEVEL: 'warn',
    },
  });
  expect(stdout).toContain('Approved');
  return stdout.trim();
}

/** The test OpenID provider (tools/oidc-test-provider.mjs) the e2e server gives the API as "Google". */
export const GOOGLE_ISSUER_URL = `http://127.0.0.1:${E2E_OIDC_PORT}`;
export const GOOGLE_CLIENT_ID = 'ledgerport-e2e';

/**
 * Signs in at the test Google provider, once the app has sent the browser there: the provider's only
 * page is a login form where any email address is an account (no password). Afterwards the browser
 * is on the API's callback and then wherever it redirects; assert that in the test.
 * `emailVerified: false` makes the id_token say email_verified=false; `cancel` presses Cancel
 * (the provider redirects back with error=access_denied).
 */
export async function signInWithTestGoogle(
  page: Page,
  email: string,
  opts: { name?: string; emailVerified?: boolean; cancel?: boolean } = {},
): Promise<void> {
  await expect(page).toHaveURL(new RegExp(`^${GOOGLE_ISSUER_URL.replace(/[.]/g, '\\.')}/interaction/`));
  await expect(page.getByRole('heading', { name: 'Sign in with Google (test provider)' })).toBeVisible();
  if (opts.cancel) {
    await page.getByRole('button', { name: 'Cancel' }).click();
    return;
  }
  await page.getByLabel('Email', { exact: true }).fill(email);
  if (opts.name) await page.getByLabel('Name', { exact: true }).fill(opts.name);
  if (opts.emailVerified === false) await page.getByLabel('Mark the address as not verified').check();
  await page.getByRole('button', { name: 'Continue' }).click();
}

export interface FirmAdmin {
  firmName: string;
  name: string;
  email: string;
  password: string;
}

/**
 * A brand-new approved firm with a signed-up admin, made without the browser (application through the
 * API, approval with the CLI, password through the invitation link): for tests whose subject is
 * something else and that must not touch the demo accounts.
 */
export async function createFirmAdmin(request: APIRequestContext, label = 'Firm'): Promise<FirmAdmin> {
  const id = uid();
  const admin: FirmAdmin = {
    firmName: `${label} ${id}`,
    name: `Alex ${id}`,
    email: `admin-${id}@e2e.test`,
    password: `pw-${id}-initial`,
  };
  const applied = await request.post('/api/v1/firm-applications', {
    data: {
      firmName: admin.firmName,
      contactName: admin.name,
      email: admin.email,
      phone: '+1 555 0100',
      size: '1',
    },
  });
  expect(applied.status(), await applied.text()).toBe(201);
  await approveFirm(admin.email);
  const link = await lastEmailLink(request, admin.email, { subject: /is approved/ });
  const token = new URL(link, BASE_URL).searchParams.get('token');
  // Setting the password signs `request` in; sign out again so the caller starts signed out.
  const set = await request.post('/api/v1/auth/password', { data: { token, password: admin.password } });
  expect(set.status(), await set.text()).toBe(200);
  await request.post('/api/v1/auth/logout', {
    headers: { 'X-CSRF-Token': ((await set.json()) as { csrfToken: string }).csrfToken },
  });
  return admin;
}

/** Signs `request` in through the API; returns the CSRF token for writes. */
export async function apiSignIn(
  request: APIRequestContext,
  email: string,
  password: string,
): Promise<string> {
  const res = await request.post('/api/v1/auth/login', { data: { email, password } });
  expect(res.status(), await res.text()).toBe(200);
  return ((await res.json()) as { csrfToken: string }).csrfToken;
}

/** Opens a PrimeVue Select / MultiSelect (role combobox) from the keyboard, as a keyboard user would. */
export async function openCombobox(page: Page, name: string): Promise<void> {
  const combo = page.getByRole('combobox', { name, exact: true });
  await combo.focus();
  await combo.press('ArrowDown');
  await expect(combo).toHaveAttribute('aria-expanded', 'true');
}

/** Screenshot into SCREENSHOTS, once a heading is visible and the page's requests have settled. */
export async function shot(page: Page, file: string, heading: string | RegExp): Promise<void> {
  await expect(page.getByRole('heading', { name: heading }).first()).toBeVisible();
  await page.waitForLoadState('networkidle');
  await page.mouse.move(0, page.viewportSize()!.height - 1); // no hover highlight from the last click
  await page.screenshot({ path: path.join(SCREENSHOTS, file), animations: 'disabled' });
}

/** `text` as a literal inside a RegExp. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * In an ask dialog, opens "Categories to offer" from the keyboard and picks each of `accounts` by
 * typing its name in the list's filter first (an option further down a long chart would be scrolled
 * to, and the list closes when anything scrolls under it); then closes the list and checks the
 * dialog shows every pick.
 */
export async function offerCategories(page: Page, dialog: Locator, accounts: { name: string }[]): Promise<void> {
  const categories = dialog.getByRole('combobox', { name: /^Categories to offer/ });
  await categories.focus();
  await categories.press('ArrowDown');
  const listbox = page.getByRole('listbox');
  await expect(listbox).toBeVisible();
  const find = page.getByPlaceholder('Find an account');
  for (const a of accounts) {
    await find.fill(a.name);
    const option = listbox.getByRole('option', { name: new RegExp(`^${escapeRegExp(a.name)}`) });
    await option.click();
    await expect(option).toHaveAttribute('aria-selected', 'true');
  }
  await dialog.getByText('Each transaction becomes its own question').click();
  await expect(listbox).toBeHidden();
  await expect(dialog).toBeVisible();
  for (const a of accounts) await expect(dialog.getByText(a.name, { exact: false }).first()).toBeVisible();
}

/* ---------- Client portal ---------- */

export const NORTHWIND_OWNER = 'owner@northwind.test';
export const PORTAL = '/portal/northwind';

export interface E2EClient {
  id: string;
  name: string;
}

export interface E2EContact {
  id: string;
  name: string;
  email: string;
  /** The first word of the name, as the portal greets them ("Welcome, Robin"). */
  firstName: string;
}

/**
 * A new client of the Northwind firm, made through the API as its owner (`request` is signed in as
 * the owner afterwards): for journeys that invite contacts, so the demo clients' portal users stay as
 * seeded. Delete it again with `deleteClient` (its contacts, links and sessions go with it).
 */
export async function createNorthwindClient(
  request: APIRequestContext,
  label = 'Portal Test',
): Promise<E2EClient> {
  const csrf = await apiSignIn(request, NORTHWIND_OWNER, DEMO_PASSWORD);
  const res = await request.post('/api/v1/clients', {
    data: { name: `${label} ${uid()}` },
    headers: { 'X-CSRF-Token': csrf },
  });
  expect(res.status(), await res.text()).toBe(201);
  const { id, name } = (await res.json()) as E2EClient;
  return { id, name };
}

/** Deletes a client made by `createNorthwindClient` (signing `request` in as the owner again). */
export async function deleteClient(request: APIRequestContext, client: E2EClient): Promise<void> {
  const csrf = await apiSignIn(request, NORTHWIND_OWNER, DEMO_PASSWORD);
  const res = await request.delete(`/api/v1/clients/${client.id}`, {
    params: { confirmName: client.name },
    headers: { 'X-CSRF-Token': csrf },
  });
  expect([204, 404], await res.text()).toContain(res.status());
}

/** A Northwind client by its exact name, as the owner sees it (`request` is signed in as the owner). */
export async function northwindClient(request: APIRequestContext, name: string): Promise<E2EClient> {
  await apiSignIn(request, NORTHWIND_OWNER, DEMO_PASSWORD);
  const res = await request.get('/api/v1/clients', { params: { q: name } });
  expect(res.status()).toBe(200);
  const client = ((await res.json()) as { items: E2EClient[] }).items.find((c) => c.name === name);
  expect(client, `the Northwind client ${name}`).toBeTruthy();
  return { id: client!.id, name: client!.name };
}

/**
 * Invites a fresh contact (unique email) to `client` through the API as the Northwind owner, and
 * waits for the invitation email; then forgets the caught mail to that address, so the journey
 * counts only the emails it causes itself. Returns the contact (`id`: their place at the client;
 * `contactId`: the person, as questions name them) and the invitation's sign-in link.
 */
export async function inviteContact(
  request: APIRequestContext,
  client: E2EClient,
  opts: { first?: string; role?: 'owner' | 'member' } = {},
): Promise<E2EContact & { invitationLink: string; contactId: string }> {
  const id = uid();
  const firstName = opts.first ?? 'Robin';
  const name = `${firstName} Tester ${id}`;
  const email = `${firstName.toLowerCase()}-${id}@portal-e2e.test`;
  const csrf = await apiSignIn(request, NORTHWIND_OWNER, DEMO_PASSWORD);
  const res = await request.post(`/api/v1/clients/${client.id}/contacts`, {
    data: { name, email, role: opts.role ?? 'member' },
    headers: { 'X-CSRF-Token': csrf },
  });
  expect(res.status(), await res.text()).toBe(201);
  const contact = (await res.json()) as { id: string; contactId: string };
  const invitationLink = await lastEmailLink(request, email, { subject: /your client portal for/ });
  await clearEmails(request, email);
  return { id: contact.id, contactId: contact.contactId, name, email, firstName, invitationLink };
}

/**
 * Moves the API's clock (TEST_CLOCK=true on the e2e server) by `offsetMs` from real time, for link
 * and session expiry. Always put it back with `setTestClock(request, 0)` in a finally/afterEach.
 */
export async function setTestClock(request: APIRequestContext, offsetMs: number): Promise<void> {
  const res = await request.put('/api/v1/testing/clock', { data: { offsetMs } });
  expect(res.status(), `PUT /api/v1/testing/clock: ${await res.text()}`).toBe(200);
}

/** The HTTP status of GET /api/v1/portal/auth/session with the page's cookies (200 signed in, 401 not). */
export async function portalSessionStatus(page: Page): Promise<number> {
  return (await page.request.get('/api/v1/portal/auth/session')).status();
}

/**
 * On the portal sign-in page: types `email` and presses "Email me a sign-in link", then waits for the
 * "Check your email" panel. Returns the panel (a region named by its heading).
 */
export async function askForSignInLink(page: Page, email: string, slug = 'northwind') {
  await page.goto(`/portal/${slug}`);
  const form = page.getByRole('form', { name: 'Email me a sign-in link' });
  await form.getByLabel('Email', { exact: true }).fill(email);
  await form.getByRole('button', { name: 'Email me a sign-in link' }).click();
  const panel = page.getByRole('region', { name: 'Check your email' });
  await expect(panel).toBeVisible();
  await expect(panel.getByRole('status')).toContainText(email);
  return panel;
}

/** The newest sign-in link emailed to `email` (waiting for it), as a path on the e2e server. */
export function signInLinkFor(request: APIRequestContext, email: string): Promise<string> {
  return lastEmailLink(request, email, { subject: /^Your sign-in link for / });
}

/**
 * Opens a sign-in link (from an invitation or a requested email) and presses "Continue to <business>";
 * waits for the portal home. The page's first name greeting is checked when `firstName` is given.
 */
export async function continueWithLink(
  page: Page,
  link: string,
  business: string | RegExp,
  firstName?: string,
): Promise<void> {
  await page.goto(link);
  const name = typeof business === 'string' ? `Continue to ${business}` : business;
  await page.getByRole('button', { name }).click();
  await expect(page).toHaveURL(/\/portal\/[^/]+\/home$/);
  if (firstName)
    await expect(page.getByRole('heading', { name: `Welcome, ${firstName}`, level: 1 })).toBeVisible();
}

/**
 * Signs a contact in the whole way a person does: asks for a link on the sign-in page, opens the email's
 * link, presses Continue. Forgets older mail to the address first, so the link is the new one.
 */
export async function signInToPortalByLink(
  page: Page,
  email: string,
  business: string | RegExp,
  firstName?: string,
): Promise<string> {
  await clearEmails(page.request, email);
  await askForSignInLink(page, email);
  const link = await signInLinkFor(page.request, email);
  await continueWithLink(page, link, business, firstName);
  return link;
}

/** Signs a contact in with "Sign in with Google" (the local test provider) from the Northwind portal. */
export async function signInToPortalWithGoogle(page: Page, email: string, slug = 'northwind'): Promise<void> {
  await page.goto(`/portal/${slug}`);
  await page.getByRole('link', { name: 'Sign in with Google' }).click();
  await signInWithTestGoogle(page, email);
  await expect(page).toHaveURL(new RegExp(`/portal/${slug}/home$`));
  await expect(page.getByRole('heading', { name: /^Welcome, / })).toBeVisible();
}

/** Signs out of the portal through the person menu at the top right; lands on the firm's sign-in page. */
export async function portalSignOut(page: Page, name: string, slug = 'northwind'): Promise<void> {
  await page.getByRole('button', { name: `Your account: ${name}` }).click();
  await page.getByRole('dialog', { name: 'Your account' }).getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(new RegExp(`/portal/${slug}$`));
  await expect(page.getByRole('heading', { name: /^Sign in to /, level: 1 })).toBeVisible();
}

/** The portal session of the page's contact (GET session), for checks and clean-up through the API. */
export async function portalSession(page: Page): Promise<{
  contact: { id: string; name: string; email: string };
  currentBusinessId: string;
  businesses: Array<{ id: string; name: string; role: string; firm: { slug: string } }>;
  csrfToken: string;
}> {
  const res = await page.request.get('/api/v1/portal/auth/session');
  expect(res.status(), await res.text()).toBe(200);
  return res.json();
}

/** The page's width is at most the viewport's: nothing scrolls sideways. */
export async function expectNoHorizontalOverflow(page: Page): Promise<void> {
  const widths = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    viewport: window.innerWidth,
  }));
  expect(
    widths.scroll,
    `page is ${widths.scroll}px wide in a ${widths.viewport}px viewport`,
  ).toBeLessThanOrEqual(widths.viewport);
}

/**
 * A small valid PNG (solid colour, 8-bit RGB) made in memory, e.g. a test logo for
 * `setInputFiles({ name, mimeType: 'image/png', buffer })`.
 */
export function solidPng(width: number, height: number, [r, g, b]: [number, number, number]): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc32 = (buf: Buffer) => {
    let c = 0xffffffff;
    for (const byte of buf) c = crcTable[(c ^ byte) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.writeUInt8(8, 8); // bit depth
  header.writeUInt8(2, 9); // colour type: RGB
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(width * 3, Buffer.from([r, g, b]))]);
  const pixels = deflateSync(Buffer.concat(Array.from({ length: height }, () => row)));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', pixels),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/* ---------- Ledger connections ---------- */

/**
 * The e2e server's own ledger sandbox (a local QuickBooks Online + Xero, tools/e2e-server.mjs), on
 * SANDBOX_PORT (default E2E port + 28, derived like the ports in playwright.config.ts).
 */
export const E2E_SANDBOX_PORT = Number(process.env.SANDBOX_PORT ?? E2E_PORT + 28);
export const SANDBOX_URL = `http://127.0.0.1:${E2E_SANDBOX_PORT}`;

export type LedgerProviderName = 'qbo' | 'xero';

/**
 * POSTs to the sandbox's control API (no authentication; tests only), e.g.
 * `sandboxControl(request, '/tokens/expire', { provider: 'qbo' })`. Returns the JSON answer.
 */
export async function sandboxControl<T = Record<string, unknown>>(
  request: APIRequestContext,
  route: string,
  data: Record<string, unknown>,
): Promise<T> {
  const res = await request.post(`${SANDBOX_URL}/control${route}`, { data });
  expect(res.status(), `POST ${SANDBOX_URL}/control${route}: ${await res.text()}`).toBe(200);
  return (await res.json()) as T;
}

/** The connection part of GET /api/v1/clients/:id/connection (null when not connected). */
export interface E2EConnection {
  id: string;
  provider: LedgerProviderName;
  status: 'connected' | 'needs_reconnect';
  companyName: string;
  edition: string | null;
  /** QuickBooks realm id / Xero tenant id: the sandbox's company id. */
  externalId: string;
}

/** A client's ledger connection as the signed-in `request` (or `page.request`) sees it through the API. */
export async function clientConnection(
  request: APIRequestContext,
  clientId: string,
): Promise<E2EConnection | null> {
  const res = await request.get(`/api/v1/clients/${clientId}/connection`);
  expect(res.status(), await res.text()).toBe(200);
  return ((await res.json()) as { connection: E2EConnection | null }).connection;
}

/**
 * Clean-up: disconnects a Northwind client's ledger through the API as the owner (`request` is signed
 * in as the owner afterwards), if it has one, so reruns and later journeys start from "not connected".
 */
export async function disconnectLedgerByApi(request: APIRequestContext, clientId: string): Promise<void> {
  const csrf = await apiSignIn(request, NORTHWIND_OWNER, DEMO_PASSWORD);
  const res = await request.delete(`/api/v1/clients/${clientId}/connection`, {
    headers: { 'X-CSRF-Token': csrf },
  });
  // 404 (or 409 NO_CONNECTION): nothing was connected.
  expect([204, 404, 409], await res.text()).toContain(res.status());
}

/** The "Ledger" card of a client's page in the console (a region named by its heading). */
export function ledgerCard(page: Page) {
  return page.getByRole('region', { name: 'Ledger', exact: true });
}

/** The value of one fact on the connected tile ("Edition", "Class tracking", …): its <dd>. */
export function ledgerFact(page: Page, term: string) {
  return ledgerCard(page)
    .locator('dl > div')
    .filter({ has: page.getByRole('term').getByText(term, { exact: true }) })
    .getByRole('definition');
}

/**
 * Goes through the sandbox's consent page in the popup `trigger` opens, as a person would: waits for
 * the window, picks the company (QuickBooks: a radio button per company, then "Connect") or ticks the
 * organisation (Xero: a checkbox per organisation, then "Allow access"), or presses "Cancel" when
 * `company` is null. Then waits for the popup to close itself (the callback page tells the opener and
 * closes). `trigger` is the click that opens the window (it must be a real click: popup blockers).
 */
export async function consentInPopup(
  page: Page,
  trigger: () => Promise<void>,
  provider: LedgerProviderName,
  company: string | null,
): Promise<void> {
  const [popup] = await Promise.all([page.context().waitForEvent('page'), trigger()]);
  await popup.waitForLoadState('domcontentloaded');
  await expect(popup).toHaveURL(new RegExp(`^${SANDBOX_URL.replace(/[.]/g, '\\.')}/`));
  const closed = popup.waitForEvent('close', { timeout: 15_000 });
  if (provider === 'qbo') {
    await expect(popup.getByRole('group', { name: 'Choose a company' })).toBeVisible();
    if (company === null) await popup.getByRole('button', { name: 'Cancel' }).click();
    else {
      // The label reads "<company> <edition> · Realm ID <id>".
      const escaped = company.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      await popup.getByRole('radio', { name: new RegExp(`^${escaped}\\b`) }).check();
      await popup.getByRole('button', { name: 'Connect', exact: true }).click();
    }
  } else {
    await expect(popup.getByRole('heading', { name: /wants access to your Xero data/ })).toBeVisible();
    if (company === null) await popup.getByRole('button', { name: 'Cancel' }).click();
    else {
      await popup.getByRole('checkbox', { name: company, exact: true }).check();
      await popup.getByRole('button', { name: 'Allow access' }).click();
    }
  }
  await closed;
}

/**
 * On a client's page: presses "Connect QuickBooks Online" / "Connect Xero" on the Ledger card and
 * consents in the popup; waits until the tile shows the company as connected (no reload).
 */
export async function connectLedgerOnClientPage(
  page: Page,
  provider: LedgerProviderName,
  company: string,
): Promise<void> {
  const card = ledgerCard(page);
  const label = provider === 'qbo' ? 'Connect QuickBooks Online' : 'Connect Xero';
  await consentInPopup(page, () => card.getByRole('button', { name: label }).click(), provider, company);
  await expect(card.getByRole('status')).toContainText(`Connected to ${company}`);
  await expect(card.getByText(company, { exact: true })).toBeVisible();
  // The status tag beside the company (payroll and fixed assets may say "Connected" too).
  await expect(card.getByText('Connected', { exact: true }).first()).toBeVisible();
  await expect(card.getByText('Needs reconnect', { exact: true })).toHaveCount(0);
}

/** On a client's page: Disconnect on the Ledger card, confirmed; waits for the Connect buttons. */
export async function disconnectLedgerOnClientPage(page: Page, provider: LedgerProviderName): Promise<void> {
  const card = ledgerCard(page);
  await card.getByRole('button', { name: 'Disconnect', exact: true }).click();
  const label = provider === 'qbo' ? 'QuickBooks Online' : 'Xero';
  const confirm = page.getByRole('alertdialog', { name: `Disconnect ${label}?` });
  await confirm.getByRole('button', { name: 'Disconnect', exact: true }).click();
  await expect(confirm).toBeHidden();
  await expect(card.getByRole('status')).toContainText(/^Disconnected from /);
  await expect(card.getByRole('button', { name: 'Connect QuickBooks Online' })).toBeVisible();
  await expect(card.getByRole('button', { name: 'Connect Xero' })).toBeVisible();
}

/* ---------- Sync ---------- */

/** The id of a sandbox company by provider and name (GET /control/companies). */
export async function sandboxCompanyId(
  request: APIRequestContext,
  provider: LedgerProviderName,
  name: string,
): Promise<string> {
  const res = await request.get(`${SANDBOX_URL}/control/companies`);
  expect(res.status(), `GET ${SANDBOX_URL}/control/companies`).toBe(200);
  const { companies } = (await res.json()) as {
    companies: Array<{ id: string; provider: LedgerProviderName; name: string }>;
  };
  const company = companies.find((c) => c.provider === provider && c.name === name);
  expect(company, `the sandbox's ${provider} company ${name}`).toBeTruthy();
  return company!.id;
}

/**
 * POSTs to the sandbox's control API where it answers 201 (a fault, a transaction, a company), e.g.
 * `sandboxCreate(request, '/faults', {provider: 'qbo', kind: 'latency', latencyMs: 800, count: 20})`.
 */
export async function sandboxCreate<T = Record<string, unknown>>(
  request: APIRequestContext,
  route: string,
  data: Record<string, unknown>,
): Promise<T> {
  const res = await request.post(`${SANDBOX_URL}/control${route}`, { data });
  expect(res.status(), `POST ${SANDBOX_URL}/control${route}: ${await res.text()}`).toBe(201);
  return (await res.json()) as T;
}

/** GET from the sandbox's control API (accounts, payees, classes of a company…). */
export async function sandboxGet<T = Record<string, unknown>>(
  request: APIRequestContext,
  route: string,
): Promise<T> {
  const res = await request.get(`${SANDBOX_URL}/control${route}`);
  expect(res.status(), `GET ${SANDBOX_URL}/control${route}: ${await res.text()}`).toBe(200);
  return (await res.json()) as T;
}

/** Clean-up: forgets every injected fault (latency, errors, dropped webhooks). */
export async function clearSandboxFaults(request: APIRequestContext): Promise<void> {
  const res = await request.delete(`${SANDBOX_URL}/control/faults`);
  expect(res.status(), `DELETE ${SANDBOX_URL}/control/faults`).toBe(200);
}

/** The "Sync" card of a client's page in the console (a region named by its heading). */
export function syncCard(page: Page) {
  return page.getByRole('region', { name: 'Sync', exact: true });
}

/** The value of one fact on the Sync card ("Last synced", "Transactions", "To review"): its <dd>. */
export function syncFact(page: Page, term: string) {
  return syncCard(page)
    .locator('dl > div')
    .filter({ has: page.getByRole('term').getByText(term, { exact: true }) })
    .getByRole('definition');
}

/* ---------- Questions in the client portal (added for e2e/portal-questions.e2e.ts) ---------- */

/**
 * Makes sure a client's ledger is connected (through the real consent flow, as tools/demo-connect.mjs
 * does: start, approve the sandbox's consent page with its control API, land on the callback) and
 * that its first sync has finished, as the signed-in `request` (staff with access to the client).
 * Answers whether it connected the ledger itself, so the caller can disconnect it again afterwards.
 */
export async function ensureLedgerSynced(
  request: APIRequestContext,
  clientId: string,
  provider: LedgerProviderName,
  company: string,
): Promise<boolean> {
  let connectedHere = false;
  if (!(await clientConnection(request, clientId))) {
    const start = await request.get(`/api/v1/clients/${clientId}/connection/connect`, {
      params: { provider },
      maxRedirects: 0,
    });
    expect(start.status(), await start.text()).toBe(302);
    const { callbackUrl } = await sandboxControl<{ callbackUrl: string }>(request, '/consent', {
      url: start.headers()['location'],
      pick: [company],
    });
    const back = new URL(callbackUrl);
    const landed = await request.get(back.pathname + back.search, { maxRedirects: 0 });
    expect(landed.status(), await landed.text()).toBeLessThan(400);
    expect(await clientConnection(request, clientId), `${company} is connected`).not.toBeNull();
    connectedHere = true;
  }
  await expect
    .poll(
      async () => {
        const res = await request.get(`/api/v1/clients/${clientId}/sync`);
        if (res.status() !== 200) return `HTTP ${res.status()}`;
        const s = (await res.json()) as { backfilled: boolean; current: unknown; uncategorizedCount: number };
        return s.backfilled && !s.current && s.uncategorizedCount > 0 ? 'synced' : 'syncing';
      },
      { message: `the first sync of ${company}`, timeout: 90_000, intervals: [500, 1000] },
    )
    .toBe('synced');
  return connectedHere;
}

/**
 * A small real JPEG, drawn by the browser itself (a canvas made to look like a till receipt and
 * encoded with `toBlob('image/jpeg')`), for `setInputFiles({ name, mimeType: 'image/jpeg', buffer })`.
 */
export async function receiptJpeg(page: Page): Promise<Buffer> {
  const base64 = await page.evaluate(async () => {
    const canvas = document.createElement('canvas');
    canvas.width = 240;
    canvas.height = 320;
    const ctx = canvas.getContext('2d')!;
    ctx.fillStyle = '#f4f1ea';
    ctx.fillRect(0, 0, 240, 320);
    ctx.fillStyle = '#1e293b';
    ctx.font = 'bold 18px sans-serif';
    ctx.fillText('BLUE BOTTLE', 52, 40);
    ctx.font = '13px monospace';
    ['Latte        4.50', 'Croissant    3.75', 'Beans 1kg   34.25', '', 'TOTAL       42.50'].forEach(
      (line, i) => ctx.fillText(line, 36, 90 + i * 26),
    );
    const blob = await new Promise<Blob>((resolve) => canvas.toBlob((b) => resolve(b!), 'image/jpeg', 0.85));
    const bytes = new Uint8Array(await blob.arrayBuffer());
    let binary = '';
    for (const b of bytes) binary += String.fromCharCode(b);
    return btoa(binary);
  });
  const jpeg = Buffer.from(base64, 'base64');
  expect([...jpeg.subarray(0, 3)], 'a JPEG starts with FF D8 FF').toEqual([0xff, 0xd8, 0xff]);
  return jpeg;
}

/* ---------- Question emails (added for e2e/questions-loop.e2e.ts) ---------- */

/**
 * The question digests ("<firm> has 3 questions about <business>") the mail catcher received for
 * `to` about `business` since `since`, newest first: other journeys may have sent some earlier.
 */
export async function questionDigestsTo(
  request: APIRequestContext,
  to: string,
  business: string,
  since: Date,
): Promise<CaughtMail[]> {
  const about = new RegExp(
    ` has (a question|\\d+ questions) about ${business.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`,
  );
  return (await emailsTo(request, to)).filter(
    (m) => about.test(m.subject) && Date.parse(m.date) >= since.getTime(),
  );
}

/**
 * Waits (polling, no fixed sleep, up to a minute) until at least one question digest about
 * `business` has reached `to` since `since`, and answers all of them: the worker sends it once the
 * questions have been quiet for QUESTION_DIGEST_QUIET_SECONDS (20 s on the e2e server), looking
 * every QUESTION_TICK_SECONDS (2 s).
 */
export async function waitForQuestionDigests(
  request: APIRequestContext,
  to: string,
  business: string,
  since: Date,
): Promise<CaughtMail[]> {
  let digests: CaughtMail[] = [];
  await expect
    .poll(
      async () => {
        digests = await questionDigestsTo(request, to, business, since);
        return digests.length;
      },
      { message: `a question digest about ${business} to ${to}`, timeout: 60_000, intervals: [500, 1000] },
    )
    .toBeGreaterThan(0);
  return digests;
}

/** The first link in a caught email whose path contains `pathPart`, as a path (with its query) on the e2e server. */
export function linkInEmail(mail: CaughtMail, pathPart: string): string {
  const url = (mail.text.match(/https?:\/\/[^\s<>"']*[^\s<>"'.,;:!?)\]}]/g) ?? []).find((u) =>
    new URL(u).pathname.includes(pathPart),
  );
  expect(url, `a link to …${pathPart} in “${mail.subject}”`).toBeTruthy();
  return new URL(url!).pathname + new URL(url!).search;
}

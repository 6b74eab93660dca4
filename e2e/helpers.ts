import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect, type APIRequestContext, type Page } from '@playwright/test';
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
 * opens on the e2e server whatever APP_URL the sender had. Waits (polling, no fixed sleep, up to 15 s:
 * delivery is asynchronous) until such an email exists.
 */
export async function lastEmailLink(
  request: APIRequestContext,
  to: string,
  opts: { subject?: RegExp } = {},
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
        timeout: 15_000,
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

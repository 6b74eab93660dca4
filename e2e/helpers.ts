import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect, type APIRequestContext, type Page } from '@playwright/test';
import { E2E_DATABASE_URL, E2E_PORT } from './playwright.config';

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

interface OutboxMail {
  id: string;
  to: string;
  subject: string;
  text: string;
  status: string;
  createdAt: string;
}

/** Every mail the development outbox holds for `to`, newest first (queued rows included). */
export async function outbox(request: APIRequestContext, to: string): Promise<OutboxMail[]> {
  const res = await request.get('/api/v1/dev/outbox', { params: { to } });
  expect(res.status(), 'GET /api/v1/dev/outbox').toBe(200);
  return ((await res.json()) as { items: OutboxMail[] }).items;
}

/**
 * The link in the newest email to `to` (optionally: the newest whose subject matches), read from the
 * dev outbox through the API. Returned as a path (`/set-password?token=…`) so it opens on the e2e
 * server whatever APP_URL the sender had. Waits (polling, no fixed sleep) until such an email exists.
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
        const mail = (await outbox(request, to)).find((m) => !opts.subject || opts.subject.test(m.subject));
        const url = mail?.text.match(/https?:\/\/[^\s<>"']*[^\s<>"'.,;:!?)\]}]/)?.[0];
        link = url ? new URL(url).pathname + new URL(url).search : null;
        return link;
      },
      { message: `an email with a link to ${to}`, timeout: 10_000 },
    )
    .not.toBeNull();
  return link!;
}

/**
 * Approves a pending firm with the real operator CLI (`firm:approve <email-or-id>`), against the e2e
 * database. The CLI writes the approval email row itself (status `queued`) in the same transaction as
 * the approval and then enqueues a delivery job in Redis. The dev outbox endpoint lists `queued` rows
 * too, so `lastEmailLink` finds the link even if the worker never picks the job up (e.g. when the
 * CLI's REDIS_PREFIX differs from the e2e server's). We still pass the prefix tools/e2e-server.mjs
 * uses (its own `REDIS_PREFIX ?? 'lpe2e'`, inherited from the same environment) so that the worker
 * normally delivers it, and APP_URL so the link in the email points at this server.
 */
export async function approveFirm(emailOrId: string): Promise<string> {
  const { stdout } = await run('node', ['dist/server/apps/api/src/cli.js', 'firm:approve', emailOrId], {
    cwd: ROOT,
    timeout: 30_000,
    env: {
      ...process.env,
      NODE_ENV: 'development',
      DATABASE_URL: E2E_DATABASE_URL,
      REDIS_PREFIX: process.env.REDIS_PREFIX ?? 'lpe2e',
      APP_URL: BASE_URL,
      LOG_LEVEL: 'warn',
    },
  });
  expect(stdout).toContain('Approved');
  return stdout.trim();
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

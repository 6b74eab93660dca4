import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import {
  apiSignIn,
  clearEmails,
  createNorthwindClient,
  deleteClient,
  DEMO_PASSWORD,
  inviteContact,
  lastEmailLink,
  NORTHWIND_OWNER,
  PORTAL,
  portalSignOut,
  shot,
  signInLinkFor,
  signInWithTestGoogle,
  uid,
  type E2EClient,
  type E2EContact,
} from './helpers';

/**
 * A person who opens a page while signed out (a link from a colleague, a bookmark, a tab left open)
 * signs in and lands on that page, whichever way they sign in. In the portal: Google, an emailed
 * link asked for on the sign-in page, or a password; a `next` that is not a portal page is ignored.
 * In the console: Google (a password sign-in kept it already).
 */

let client: E2EClient;
let contact: E2EContact & { contactId: string };
let questionId: string;
const QUESTION = `Which card paid for the espresso machine service? ${uid()}`;

test.beforeEach(async ({ request }) => {
  client = await createNorthwindClient(request, 'Deep Link Test');
  contact = await inviteContact(request, client, { first: 'Dana' });
  const csrf = await apiSignIn(request, NORTHWIND_OWNER, DEMO_PASSWORD);
  const res = await request.post(`/api/v1/clients/${client.id}/questions`, {
    data: { kind: 'other', text: QUESTION, contactId: contact.contactId },
    headers: { 'X-CSRF-Token': csrf },
  });
  expect(res.status(), await res.text()).toBe(201);
  questionId = ((await res.json()) as { id: string }).id;
});

test.afterEach(async ({ request }) => {
  await deleteClient(request, client);
});

/** Gives the contact a password through the emailed reset link, outside the page's browser. */
async function choosePassword(request: APIRequestContext, email: string): Promise<string> {
  const password = `deep-link-${uid()}-password`;
  await clearEmails(request, email);
  const asked = await request.post('/api/v1/portal/auth/password-reset', { data: { email, firmSlug: 'northwind' } });
  expect(asked.status()).toBe(202);
  const link = await lastEmailLink(request, email, { subject: /^Reset your Northwind Bookkeeping password$/ });
  const token = new URL(link, 'http://x').searchParams.get('token');
  const set = await request.post('/api/v1/portal/auth/password', { data: { token, password } });
  expect(set.status(), await set.text()).toBe(200);
  return password;
}

async function signInWithPassword(page: Page, email: string, password: string): Promise<void> {
  await page.getByRole('button', { name: 'Sign in with password' }).click();
  const form = page.getByRole('form', { name: 'Sign in with password' });
  await form.getByLabel('Email', { exact: true }).fill(email);
  await form.getByLabel('Password', { exact: true }).fill(password);
  await form.getByRole('button', { name: 'Sign in', exact: true }).click();
}

test('a signed-out visit to a portal page continues there after Google, an emailed link or a password', async ({
  page,
  request,
}) => {
  await page.setViewportSize({ width: 390, height: 844 });

  // Google: the question the person opened, not the home page.
  await page.goto(`${PORTAL}/questions/${questionId}`);
  await expect(page).toHaveURL(new RegExp(`/portal/northwind\\?next=questions(/|%2F)${questionId}$`));
  await expect(page.getByRole('heading', { name: 'Sign in to Northwind Bookkeeping', level: 1 })).toBeVisible();
  await expect(page.getByRole('status')).toHaveText('Sign in and we’ll take you to the question you opened.');
  await shot(page, 'portal-sign-in-deep-link.png', 'Sign in to Northwind Bookkeeping');
  await page.getByRole('link', { name: 'Sign in with Google' }).click();
  await signInWithTestGoogle(page, contact.email);
  await expect(page).toHaveURL(new RegExp(`/portal/northwind/questions/${questionId}$`));
  await expect(page.getByRole('heading', { name: QUESTION, level: 1 })).toBeVisible();
  await portalSignOut(page, contact.name);

  // An emailed link asked for from the sign-in page the settings sent the person to.
  await page.goto(`${PORTAL}/settings/email`);
  await expect(page).toHaveURL(/\/portal\/northwind\?next=settings(\/|%2F)email$/);
  await clearEmails(request, contact.email);
  await askForSignInLinkHere(page, contact.email);
  const link = await signInLinkFor(request, contact.email);
  expect(link).toMatch(/&next=settings%2Femail$/);
  await page.goto(link);
  await page.getByRole('button', { name: `Continue to ${client.name}` }).click();
  await expect(page).toHaveURL(/\/portal\/northwind\/settings\/email$/);
  await expect(page.getByRole('heading', { name: 'Email settings', level: 1 })).toBeVisible();
  await portalSignOut(page, contact.name);

  // A password: the list of questions.
  const password = await choosePassword(request, contact.email);
  await page.goto(`${PORTAL}/questions`);
  await expect(page).toHaveURL(/\/portal\/northwind\?next=questions$/);
  await expect(page.getByRole('status')).toHaveText('Sign in and we’ll take you to your questions.');
  await signInWithPassword(page, contact.email, password);
  await expect(page).toHaveURL(/\/portal\/northwind\/questions$/);
  await expect(page.getByRole('heading', { name: 'Questions', level: 1 })).toBeVisible();
  await expect(page.getByRole('main')).toContainText(QUESTION);

  // Already signed in: the sign-in page with a `next` goes straight there.
  await page.goto(`${PORTAL}?next=questions/${questionId}`);
  await expect(page).toHaveURL(new RegExp(`/portal/northwind/questions/${questionId}$`));
  await portalSignOut(page, contact.name);

  // A `next` that is not a portal page leads home, never elsewhere.
  for (const next of ['https://evil.test', '//evil.test/x', 'no-such-page']) {
    await page.goto(`${PORTAL}?next=${encodeURIComponent(next)}`);
    await signInWithPassword(page, contact.email, password);
    await expect(page).toHaveURL(/\/portal\/northwind\/home$/);
    await expect(page.getByRole('heading', { name: `Welcome, ${contact.firstName}`, level: 1 })).toBeVisible();
    await portalSignOut(page, contact.name);
  }
});

test('a link asked for again from an expired or used link keeps the page the first one led to', async ({ page, request }) => {
  await clearEmails(request, contact.email);
  await page.goto(`${PORTAL}/questions/${questionId}`);
  await askForSignInLinkHere(page, contact.email);
  const first = await signInLinkFor(request, contact.email);
  expect(first).toContain(`&next=questions%2F${questionId}`);
  // Used once (in another browser), the link offers a new one, which leads to the same question.
  const token = new URL(first, 'http://x').searchParams.get('token');
  expect((await request.post('/api/v1/portal/auth/sign-in-link/sign-in', { data: { token } })).status()).toBe(200);
  await clearEmails(request, contact.email);
  await page.goto(first);
  await expect(page.getByRole('heading', { name: 'This sign-in link has already been used', level: 1 })).toBeVisible();
  await page.getByRole('button', { name: 'Email me a new link' }).click();
  const form = page.getByRole('form', { name: 'Email me a new sign-in link' });
  await expect(form.getByLabel('Email', { exact: true })).toHaveValue(contact.email);
  await form.getByRole('button', { name: 'Send me a new link' }).click();
  await expect(page.getByRole('region', { name: 'Check your email' })).toBeVisible();
  const second = await signInLinkFor(request, contact.email);
  expect(second).toContain(`&next=questions%2F${questionId}`);
  await page.goto(second);
  await page.getByRole('button', { name: `Continue to ${client.name}` }).click();
  await expect(page).toHaveURL(new RegExp(`/portal/northwind/questions/${questionId}$`));
  await expect(page.getByRole('heading', { name: QUESTION, level: 1 })).toBeVisible();
});

/** On the sign-in page the router sent the person to: asks for a link without leaving it. */
async function askForSignInLinkHere(page: Page, email: string): Promise<void> {
  await expect(page.getByRole('heading', { name: 'Sign in to Northwind Bookkeeping', level: 1 })).toBeVisible();
  const form = page.getByRole('form', { name: 'Email me a sign-in link' });
  await form.getByLabel('Email', { exact: true }).fill(email);
  await form.getByRole('button', { name: 'Email me a sign-in link' }).click();
  await expect(page.getByRole('region', { name: 'Check your email' })).toBeVisible();
}

test('the console too: Google sign-in from a signed-out visit to a question lands on that question', async ({ page }) => {
  await page.goto(`/questions/${questionId}`);
  await expect(page).toHaveURL(new RegExp(`/sign-in\\?next=(%2F|/)questions(%2F|/)${questionId}$`));
  await page.getByRole('link', { name: 'Sign in with Google' }).click();
  await signInWithTestGoogle(page, NORTHWIND_OWNER);
  await expect(page).toHaveURL(new RegExp(`/questions/${questionId}$`));
  await expect(page.getByText(QUESTION).first()).toBeVisible();
});

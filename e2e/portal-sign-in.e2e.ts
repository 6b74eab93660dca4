import { expect, test } from '@playwright/test';
import {
  askForSignInLink,
  clearEmails,
  continueWithLink,
  createNorthwindClient,
  deleteClient,
  emailsTo,
  inviteContact,
  lastEmailLink,
  NORTHWIND_OWNER,
  PORTAL,
  portalSessionStatus,
  portalSignOut,
  setTestClock,
  signInLinkFor,
  signInToPortalByLink,
  signInWithTestGoogle,
  uid,
  type E2EClient,
} from './helpers';

/**
 * Client contacts signing in to the Northwind portal: emailed links (and what happens to a link that
 * was used, replaced or has expired), passwords chosen through "Get help signing in", and Google.
 * Every journey invites its own contact to a client of its own, deleted afterwards.
 */

const HOURS = 60 * 60 * 1000;
const MINUTES = 60 * 1000;

let client: E2EClient;

test.beforeEach(async ({ request }) => {
  client = await createNorthwindClient(request, 'Sign-in Test');
});

test.afterEach(async ({ request }) => {
  await deleteClient(request, client);
});

test.describe('an emailed sign-in link', () => {
  test('one email; its page shows the business without signing in; Continue signs in and opens home', async ({
    page,
    request,
  }) => {
    const contact = await inviteContact(request, client);

    const panel = await askForSignInLink(page, contact.email);
    await expect(panel.getByRole('heading', { name: 'Check your email' })).toBeFocused();
    await expect(panel.getByRole('status')).toHaveText(
      `If ${contact.email} is invited to this portal, we’ve sent it a sign-in link. The link works once, for 6 hours.`,
    );

    const link = await signInLinkFor(request, contact.email);
    expect(link).toMatch(/^\/portal\/northwind\/sign-in-link\?token=[^&]+$/);
    // Delivery is asynchronous, but the one email is here now: exactly one.
    const mails = await emailsTo(request, contact.email);
    expect(mails.map((m) => m.subject)).toEqual(['Your sign-in link for Northwind Bookkeeping']);

    // The link's page names the person, the business and the firm, and offers one button…
    await page.goto(link);
    await expect(
      page.getByRole('heading', { name: 'Sign in to Northwind Bookkeeping', level: 1 }),
    ).toBeVisible();
    const main = page.getByRole('main');
    await expect(main).toContainText(`as ${contact.email}`);
    await expect(main.getByText(client.name, { exact: true })).toBeVisible();
    await expect(main.getByText('with Northwind Bookkeeping', { exact: true })).toBeVisible();
    await expect(main.getByRole('button')).toHaveCount(1);
    const continueButton = main.getByRole('button', { name: `Continue to ${client.name}` });
    await expect(continueButton).toBeVisible();
    // …and opening it has not signed anyone in (a mail scanner following links signs nobody in).
    expect(await portalSessionStatus(page)).toBe(401);

    await continueButton.click();
    await expect(page).toHaveURL(/\/portal\/northwind\/home$/);
    await expect(
      page.getByRole('heading', { name: `Welcome, ${contact.firstName}`, level: 1 }),
    ).toBeVisible();
    await expect(main).toContainText(`${client.name} · with Northwind Bookkeeping`);
    expect(await portalSessionStatus(page)).toBe(200);
  });

  test('a link already used says so and sends a new one on request', async ({ page, request }) => {
    const contact = await inviteContact(request, client);
    const link = await signInToPortalByLink(page, contact.email, client.name, contact.firstName);

    const again = await page.context().newPage();
    await again.goto(link);
    await expect(
      again.getByRole('heading', { name: 'This sign-in link has already been used', level: 1 }),
    ).toBeVisible();
    await expect(again.getByRole('alert')).toContainText('Each sign-in link works only once.');
    await expect(again.getByRole('button', { name: /^Continue to / })).toHaveCount(0);

    await again.getByRole('button', { name: 'Email me a new link' }).click();
    const form = again.getByRole('form', { name: 'Email me a new sign-in link' });
    await expect(form.getByLabel('Email', { exact: true })).toHaveValue(contact.email);
    await clearEmails(request, contact.email);
    await form.getByRole('button', { name: 'Send me a new link' }).click();
    await expect(again.getByRole('region', { name: 'Check your email' }).getByRole('status')).toContainText(
      contact.email,
    );

    const fresh = await signInLinkFor(request, contact.email);
    expect(fresh).not.toBe(link);
    expect(await emailsTo(request, contact.email)).toHaveLength(1);
    // The new link works.
    await again.close();
    await page.context().clearCookies();
    await continueWithLink(page, fresh, client.name, contact.firstName);
  });

  test('asking twice: the first link says a newer one was sent, the second works', async ({
    page,
    request,
  }) => {
    const contact = await inviteContact(request, client);

    await askForSignInLink(page, contact.email);
    const first = await signInLinkFor(request, contact.email);
    await clearEmails(request, contact.email);
    // "Use a different email" goes back to the form, with the address still there.
    await page.getByRole('button', { name: 'Use a different email' }).click();
    const form = page.getByRole('form', { name: 'Email me a sign-in link' });
    await expect(form.getByLabel('Email', { exact: true })).toHaveValue(contact.email);
    await expect(form.getByLabel('Email', { exact: true })).toBeFocused();
    await form.getByRole('button', { name: 'Email me a sign-in link' }).click();
    await expect(page.getByRole('region', { name: 'Check your email' })).toBeVisible();
    const second = await signInLinkFor(request, contact.email);
    expect(second).not.toBe(first);

    await page.goto(first);
    await expect(
      page.getByRole('heading', {
        name: 'A newer sign-in link was sent, so this one no longer works',
        level: 1,
      }),
    ).toBeVisible();
    await expect(page.getByRole('button', { name: 'Email me a new link' })).toBeVisible();
    expect(await portalSessionStatus(page)).toBe(401);

    await continueWithLink(page, second, client.name, contact.firstName);
  });

  test('a link opened after 6 hours has expired and offers a new one', async ({ page, request }) => {
    const contact = await inviteContact(request, client);
    await askForSignInLink(page, contact.email);
    const link = await signInLinkFor(request, contact.email);
    try {
      // Still fine a minute before the 6 hours are up…
      await setTestClock(request, 6 * HOURS - MINUTES);
      await page.goto(link);
      await expect(page.getByRole('button', { name: `Continue to ${client.name}` })).toBeVisible();

      // …expired a minute after.
      await setTestClock(request, 6 * HOURS + MINUTES);
      await page.goto(link);
      await expect(
        page.getByRole('heading', { name: 'This sign-in link has expired', level: 1 }),
      ).toBeVisible();
      await expect(page.getByRole('alert')).toContainText('Sign-in links work for 6 hours.');
      await expect(page.getByRole('button', { name: /^Continue to / })).toHaveCount(0);
      await page.getByRole('button', { name: 'Email me a new link' }).click();
      await expect(
        page.getByRole('form', { name: 'Email me a new sign-in link' }).getByLabel('Email', { exact: true }),
      ).toHaveValue(contact.email);
    } finally {
      await setTestClock(request, 0);
    }
  });

  test('an unknown email gets the same answer and no email', async ({ page, request }) => {
    const contact = await inviteContact(request, client);
    const unknown = `nobody-${uid()}@portal-e2e.test`;

    const forUnknown = await askForSignInLink(page, unknown);
    const unknownText = (await forUnknown.innerText()).replace(unknown, '<email>');
    const forKnown = await askForSignInLink(page, contact.email);
    const knownText = (await forKnown.innerText()).replace(contact.email, '<email>');
    expect(knownText).toBe(unknownText);
    expect(knownText).toContain('If <email> is invited to this portal');

    // The known address's email arrived; the worker delivers in order, so the unknown one got nothing.
    await signInLinkFor(request, contact.email);
    expect(await emailsTo(request, unknown)).toEqual([]);
  });
});

test('forgot password: a reset link by email, a new password, then signing in with it', async ({
  page,
  request,
}) => {
  const contact = await inviteContact(request, client);
  const password = `portal-${uid()}-password`;

  await page.goto(PORTAL);
  await page.getByRole('link', { name: 'Get help signing in' }).click();
  await expect(page).toHaveURL(/\/portal\/northwind\/help$/);
  await expect(page.getByRole('heading', { name: 'Get help signing in', level: 1 })).toBeVisible();
  await page.getByLabel('Email', { exact: true }).fill(contact.email);
  await page.getByRole('button', { name: 'Reset password' }).click();
  const panel = page.getByRole('region', { name: 'Check your email' });
  await expect(panel.getByRole('status')).toContainText(contact.email);
  await expect(panel.getByRole('status')).toContainText('a link to choose a new password');

  const link = await lastEmailLink(request, contact.email, {
    subject: /^Reset your Northwind Bookkeeping password$/,
  });
  expect(link).toMatch(/^\/portal\/northwind\/reset-password\?token=/);
  await page.goto(link);
  await expect(
    page.getByRole('heading', { name: `Choose a new password, ${contact.firstName}`, level: 1 }),
  ).toBeVisible();
  // Password managers: the account's email as username, both fields a new password.
  const username = page.locator('input[autocomplete="username"]');
  await expect(username).toHaveCount(1);
  await expect(username).toHaveValue(contact.email);
  const newPassword = page.getByLabel('New password', { exact: true });
  const confirmPassword = page.getByLabel('Confirm new password', { exact: true });
  await expect(newPassword).toHaveAttribute('autocomplete', 'new-password');
  await expect(confirmPassword).toHaveAttribute('autocomplete', 'new-password');
  await newPassword.fill(password);
  await confirmPassword.fill(password);
  await page.getByRole('button', { name: 'Save password and sign in' }).click();
  await expect(page).toHaveURL(/\/portal\/northwind\/home$/);
  await expect(page.getByRole('heading', { name: `Welcome, ${contact.firstName}`, level: 1 })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'Password changed' })).toBeVisible();

  await portalSignOut(page, contact.name);
  expect(await portalSessionStatus(page)).toBe(401);

  // Sign in with the password: the fields say what they are to password managers.
  await page.getByRole('button', { name: 'Sign in with password' }).click();
  const form = page.getByRole('form', { name: 'Sign in with password' });
  const email = form.getByLabel('Email', { exact: true });
  const current = form.getByLabel('Password', { exact: true });
  await expect(email).toBeFocused();
  await expect(email).toHaveAttribute('autocomplete', 'username');
  await expect(current).toHaveAttribute('autocomplete', 'current-password');
  await expect(current).toHaveAttribute('type', 'password');

  // A wrong password first: the error, and still signed out.
  await email.fill(contact.email);
  await current.fill(`${password}-wrong`);
  await form.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByRole('alert')).toHaveText(
    'The email or password is not right. Check both, or sign in with an emailed link instead.',
  );
  await expect(current).toHaveValue('');
  await expect(page).toHaveURL(/\/portal\/northwind$/);

  await current.fill(password);
  await form.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page).toHaveURL(/\/portal\/northwind\/home$/);
  await expect(page.getByRole('heading', { name: `Welcome, ${contact.firstName}`, level: 1 })).toBeVisible();
});

test.describe('Sign in with Google', () => {
  test('an invited contact signs in to the portal with Google', async ({ page, request }) => {
    const contact = await inviteContact(request, client);
    await page.goto(PORTAL);
    await page.getByRole('link', { name: 'Sign in with Google' }).click();
    await signInWithTestGoogle(page, contact.email);
    await expect(page).toHaveURL(/\/portal\/northwind\/home$/);
    await expect(
      page.getByRole('heading', { name: `Welcome, ${contact.firstName}`, level: 1 }),
    ).toBeVisible();
    await expect(page.getByRole('main')).toContainText(`${client.name} · with Northwind Bookkeeping`);
  });

  test('a Google account nobody invited is sent back with what to do', async ({ page }) => {
    const stranger = `stranger-${uid()}@gmail.test`;
    await page.goto(PORTAL);
    await page.getByRole('link', { name: 'Sign in with Google' }).click();
    await signInWithTestGoogle(page, stranger);
    await expect(page).toHaveURL(/\/portal\/northwind\?signInError=GOOGLE_NOT_INVITED$/);
    await expect(
      page.getByRole('heading', { name: 'Sign in to Northwind Bookkeeping', level: 1 }),
    ).toBeVisible();
    await expect(page.getByRole('alert')).toHaveText(
      'That Google account isn’t invited to this portal. Ask your bookkeeper to invite the email you use with Google, or sign in with an emailed link.',
    );
    expect(await portalSessionStatus(page)).toBe(401);
  });

  test('the console offers Google too, and a firm admin signs in with it', async ({ page }) => {
    await page.goto('/sign-in');
    await expect(page.getByRole('heading', { name: 'Sign in to Ledgerport' })).toBeVisible();
    await page.getByRole('link', { name: 'Sign in with Google' }).click();
    await signInWithTestGoogle(page, NORTHWIND_OWNER);
    await expect(page).toHaveURL(/\/clients$/);
    await expect(page.getByRole('heading', { name: 'Clients', level: 1 })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Account menu for Olivia Owner' })).toBeVisible();
    // A staff session is not a portal session.
    expect(await portalSessionStatus(page)).toBe(401);
  });
});

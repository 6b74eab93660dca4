import { expect, test, type Page } from '@playwright/test';
import { createFirmAdmin, lastEmailLink, outbox, signIn, signOut, uid } from './helpers';

async function requestReset(page: Page, email: string): Promise<string> {
  await page.goto('/sign-in');
  await page.getByRole('link', { name: 'Forgot password?' }).click();
  await expect(page).toHaveURL(/\/forgot-password$/);
  await expect(page.getByRole('heading', { name: 'Reset your password' })).toBeVisible();
  await page.getByLabel('Email').fill(email);
  await page.getByRole('button', { name: 'Send reset link' }).click();
  await expect(page.getByRole('heading', { name: 'Check your email' })).toBeVisible();
  const status = page.getByRole('status');
  await expect(status).toContainText(email);
  return (await status.textContent())!.replace(email, '<email>').trim();
}

test('forgot password: a link by email, the new password works, the old one does not, the link works once', async ({
  page,
  request,
}) => {
  const admin = await createFirmAdmin(request, 'Reset Test');
  const newPassword = `renewed-${uid()}-pw`;

  // The same confirmation whether or not the email is known, and no email for an unknown one.
  const unknown = `nobody-${uid()}@e2e.test`;
  const forUnknown = await requestReset(page, unknown);
  const forKnown = await requestReset(page, admin.email);
  expect(forKnown).toBe(forUnknown);

  // The link from the email: greeted by name, choose the new password, signed in.
  const link = await lastEmailLink(request, admin.email, { subject: /Reset your Ledgerport password/ });
  // Both requests were delivered in order by the same worker, so the known one's arrival means the
  // unknown one would have arrived by now: it got nothing.
  expect(await outbox(request, unknown)).toEqual([]);
  expect(link).toMatch(/^\/set-password\?token=/);

  // The link from the email (caught by a real SMTP server) opens the set-password page.
  await page.goto(link);
  await expect(page).toHaveURL(link);
  await expect(
    page.getByRole('heading', { name: `Choose a new password, ${admin.name.split(' ')[0]}` }),
  ).toBeVisible();
  await page.getByLabel('Password', { exact: true }).fill(newPassword);
  await page.getByLabel('Confirm password').fill(newPassword);
  await page.getByRole('button', { name: 'Set password' }).click();
  await expect(page).toHaveURL(/\/clients$/);
  await expect(page.getByRole('button', { name: `Account menu for ${admin.name}` })).toBeVisible();
  await signOut(page, admin.name);

  // The old password no longer works…
  await page.getByLabel('Email').fill(admin.email);
  await page.getByLabel('Password', { exact: true }).fill(admin.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('main').getByRole('alert')).toHaveText(
    'The email or password is not right. Check both and try again.',
  );
  await expect(page).toHaveURL(/\/sign-in$/);

  // …the new one does.
  await signIn(page, admin.email, newPassword);

  // The same link again: "already used".
  await page.goto(link);
  await expect(page.getByRole('heading', { name: 'This link has already been used' })).toBeVisible();
  await expect(page.getByLabel('Password', { exact: true })).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'Request a new link' })).toBeVisible();
});

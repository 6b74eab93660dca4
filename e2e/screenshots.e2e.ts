import { expect, test } from '@playwright/test';
import { approveFirm, DEMO_PASSWORD, lastEmailLink, shot, signIn, uid } from './helpers';

/**
 * The screenshots in docs/screenshots/ (README and docs), 1366×768 unless the name says otherwise.
 * Each is taken once its page has loaded: a heading is visible (and, where there is data, the data).
 */
test.use({ viewport: { width: 1366, height: 768 } });

test('signed-out screens: sign-in, apply, set password, portal', async ({ page, request }) => {
  await page.goto('/sign-in');
  await shot(page, 'console-sign-in.png', 'Sign in to Ledgerport');

  await page.goto('/apply');
  await shot(page, 'console-apply.png', 'Apply as a firm');

  // A freshly approved firm's first admin opening the emailed link.
  const email = `nora-${uid()}@harbor-lane.test`;
  const applied = await request.post('/api/v1/firm-applications', {
    data: {
      firmName: 'Harbor Lane Bookkeeping',
      contactName: 'Nora Quinn',
      email,
      phone: '+1 555 0100',
      size: '2-5',
    },
  });
  expect(applied.status()).toBe(201);
  await approveFirm(email);
  await page.goto(await lastEmailLink(request, email, { subject: /is approved/ }));
  await expect(page.getByLabel('Email', { exact: true })).toHaveValue(email);
  await shot(
    page,
    'console-set-password.png',
    'Welcome to Harbor Lane Bookkeeping, Nora — choose a password',
  );

  await page.setViewportSize({ width: 375, height: 812 });
  await page.goto('/portal/northwind');
  await expect(page.getByLabel('Email', { exact: true })).toBeVisible();
  await shot(page, 'portal-sign-in.png', 'Sign in to Northwind Bookkeeping');
});

test('console screens as the Northwind owner', async ({ page }) => {
  await signIn(page, 'owner@northwind.test', DEMO_PASSWORD);
  const list = page.getByRole('region', { name: 'Client list' }).getByRole('table').getByRole('link');
  await expect(list).toHaveText(['Acme Coffee Roasters', 'Birch Dental Studio', 'Cedar Yoga Collective']);
  await shot(page, 'console-clients.png', 'Clients');

  await list.filter({ hasText: 'Acme Coffee Roasters' }).click();
  await expect(page.getByRole('region', { name: 'Assigned staff' }).getByRole('listitem')).toContainText([
    'Ben Ortiz',
  ]);
  await shot(page, 'console-client.png', 'Acme Coffee Roasters');

  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('link', { name: 'Team' }).click();
  await expect(page.getByRole('row').filter({ hasText: 'ben@northwind.test' })).toBeVisible();
  await shot(page, 'console-team.png', 'Team');

  await nav.getByRole('link', { name: 'Activity' }).click();
  await expect(page.getByRole('row').filter({ hasText: 'Demo data loaded' })).toBeVisible();
  await shot(page, 'console-activity.png', 'Activity');

  await page.setViewportSize({ width: 768, height: 1024 });
  await page.getByRole('button', { name: 'Open menu' }).click();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Clients' }).click();
  await expect(page.getByRole('button', { name: 'Open menu' })).toHaveAttribute('aria-expanded', 'false');
  await expect(list).toHaveText(['Acme Coffee Roasters', 'Birch Dental Studio', 'Cedar Yoga Collective']);
  await shot(page, 'console-tablet-clients.png', 'Clients');
});

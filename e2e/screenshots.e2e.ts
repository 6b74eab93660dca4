import { expect, test } from '@playwright/test';
import {
  approveFirm,
  clearEmails,
  connectLedgerOnClientPage,
  DEMO_PASSWORD,
  disconnectLedgerByApi,
  lastEmailLink,
  ledgerCard,
  ledgerFact,
  northwindClient,
  shot,
  signIn,
  signInLinkFor,
  signInToPortalWithGoogle,
  uid,
} from './helpers';

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

  // The same page scrolled to its Portal users card, then the invitation dialog (not sent).
  const contacts = page.getByRole('region', { name: 'Portal users' });
  await expect(contacts.getByRole('row').filter({ hasText: 'maria@acme.test' })).toBeVisible();
  await expect(contacts.getByRole('row').filter({ hasText: 'pat@birch.test' })).toBeVisible();
  await contacts.evaluate((el) => el.scrollIntoView({ block: 'center' }));
  await shot(page, 'console-client-portal-users.png', 'Portal users');
  await contacts.getByRole('button', { name: 'Invite contact' }).click();
  const invite = page.getByRole('dialog', { name: 'Invite contact' });
  await invite.getByLabel('Name', { exact: true }).fill('Jordan Reyes');
  await invite.getByLabel('Email', { exact: true }).fill('jordan@acme.test');
  await invite.getByLabel('Job title (optional)', { exact: true }).fill('Office manager');
  await shot(page, 'console-invite-contact.png', 'Acme Coffee Roasters');
  await invite.getByRole('button', { name: 'Cancel' }).click();
  await expect(invite).toBeHidden();

  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('link', { name: 'Team' }).click();
  await expect(page.getByRole('row').filter({ hasText: 'ben@northwind.test' })).toBeVisible();
  await shot(page, 'console-team.png', 'Team');

  await nav.getByRole('link', { name: 'Activity' }).click();
  // Newest first, and the journeys before this one add many entries, so "Demo data loaded" may be on a
  // later page: wait for the loaded count and the first page's rows instead.
  const log = page.getByRole('region', { name: 'Activity log' });
  await expect(log.getByText(/^\d+ events?$/)).toBeVisible();
  await expect(log.getByRole('row').nth(1)).toBeVisible();
  await shot(page, 'console-activity.png', 'Activity');

  await nav.getByRole('link', { name: 'Portal branding' }).click();
  await expect(page.getByRole('region', { name: 'Name and colour' })).toBeVisible();
  await expect(page.getByRole('complementary', { name: 'Preview' })).toBeVisible();
  await shot(page, 'console-branding.png', 'Portal branding');

  await page.setViewportSize({ width: 768, height: 1024 });
  await page.getByRole('button', { name: 'Open menu' }).click();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Clients' }).click();
  await expect(page.getByRole('button', { name: 'Open menu' })).toHaveAttribute('aria-expanded', 'false');
  await expect(list).toHaveText(['Acme Coffee Roasters', 'Birch Dental Studio', 'Cedar Yoga Collective']);
  await shot(page, 'console-tablet-clients.png', 'Clients');
});

test('portal screens: sign-in, a sign-in link and its problems, home, firms with access', async ({
  page,
  request,
}) => {
  await page.goto('/portal/northwind');
  await expect(page.getByRole('button', { name: 'Email me a sign-in link' })).toBeEnabled();
  await shot(page, 'portal-sign-in-desktop.png', 'Sign in to Northwind Bookkeeping');

  // Maria asks for a link (through the API: the sign-in page itself is above) and opens it.
  await clearEmails(request, 'maria@acme.test');
  const asked = await request.post('/api/v1/portal/auth/sign-in-link', {
    data: { email: 'maria@acme.test', firmSlug: 'northwind' },
  });
  expect(asked.status()).toBe(202);
  const link = await signInLinkFor(request, 'maria@acme.test');
  await page.goto(link);
  await expect(page.getByRole('button', { name: 'Continue to Acme Coffee Roasters' })).toBeVisible();
  await shot(page, 'portal-continue.png', 'Sign in to Northwind Bookkeeping');
  await page.getByRole('button', { name: 'Continue to Acme Coffee Roasters' }).click();
  await expect(page.getByRole('heading', { name: 'Welcome, Maria', level: 1 })).toBeVisible();

  // The same link again: already used.
  await page.goto(link);
  await expect(page.getByRole('button', { name: 'Email me a new link' })).toBeVisible();
  await shot(page, 'portal-link-used.png', 'This sign-in link has already been used');

  // Maria owns Acme: the firms with access, with a search under way.
  await page.goto('/portal/northwind/firm-access');
  await expect(page.getByRole('region', { name: 'Who has access now' }).getByRole('listitem')).toContainText([
    'Northwind Bookkeeping',
  ]);
  await page.getByRole('searchbox', { name: 'Firm name' }).fill('South');
  await expect(page.getByRole('button', { name: 'Give Southgate Accounting access' })).toBeVisible();
  await shot(page, 'portal-firm-access.png', 'Firms with access');

  // Pat, at two businesses: home, then on a phone with the business switcher open.
  await page.context().clearCookies();
  await signInToPortalWithGoogle(page, 'pat@birch.test');
  await expect(page.getByRole('heading', { name: 'Welcome, Pat', level: 1 })).toBeVisible();
  await shot(page, 'portal-home.png', 'Welcome, Pat');

  await page.setViewportSize({ width: 375, height: 812 });
  await page
    .getByRole('banner')
    .getByRole('button', { name: /Switch business$/ })
    .click();
  await expect(page.getByRole('menu', { name: 'Switch to another business' })).toBeVisible();
  await shot(page, 'portal-phone-home-switcher.png', 'Welcome, Pat');
});

test('ledger connections: the Ledger card connected, and the Connections board', async ({
  page,
  request,
}) => {
  // Cedar connects to its QuickBooks company through the popup (and is disconnected again at the end,
  // whatever happens, so the other journeys find it unconnected).
  const cedar = await northwindClient(request, 'Cedar Yoga Collective');
  await disconnectLedgerByApi(request, cedar.id);
  try {
    await signIn(page, 'owner@northwind.test', DEMO_PASSWORD);
    await page.goto(`/clients/${cedar.id}`);
    await expect(page.getByRole('heading', { name: 'Cedar Yoga Collective', level: 1 })).toBeVisible();
    await connectLedgerOnClientPage(page, 'qbo', 'Cedar Yoga Collective');
    await expect(ledgerFact(page, 'Edition')).toHaveText('QuickBooks Online Essentials');
    await expect(ledgerFact(page, 'Class tracking')).toHaveText('Off');
    await ledgerCard(page).evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await shot(page, 'console-client-ledger.png', 'Ledger');

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Connections' }).click();
    const rows = page.getByRole('region', { name: 'Ledger connections' }).getByRole('row');
    for (const name of ['Acme Coffee Roasters', 'Birch Dental Studio', 'Cedar Yoga Collective'])
      await expect(rows.filter({ hasText: name })).toHaveCount(1);
    await expect(
      rows.filter({ hasText: 'Cedar Yoga Collective' }).getByText('QuickBooks Online', { exact: true }),
    ).toBeVisible();
    await shot(page, 'console-connections.png', 'Connections');
  } finally {
    await disconnectLedgerByApi(request, cedar.id);
  }
});

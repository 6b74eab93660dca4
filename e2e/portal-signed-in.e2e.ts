import { expect, test, type Page } from '@playwright/test';
import {
  continueWithLink,
  createNorthwindClient,
  deleteClient,
  DEMO_PASSWORD,
  lastEmailLink,
  NORTHWIND_OWNER,
  portalSession,
  portalSessionStatus,
  portalSignOut,
  signIn,
  signInToPortalByLink,
  signInToPortalWithGoogle,
  uid,
} from './helpers';

/** The signed-in portal: switching businesses, being deactivated, and an owner choosing firms. */

const PAT = { email: 'pat@birch.test', name: 'Pat Kim' };
const MARIA = { email: 'maria@acme.test', name: 'Maria Lopez' };

function switcher(page: Page, business: string) {
  return page.getByRole('banner').getByRole('button', { name: `Business: ${business}. Switch business` });
}

async function expectViewing(page: Page, business: string): Promise<void> {
  await expect(switcher(page, business)).toBeVisible();
  await expect(page.getByRole('main')).toContainText(`${business} · with Northwind Bookkeeping`);
}

test('Pat, at two businesses, switches at the top right, and the portal remembers the choice', async ({
  page,
}) => {
  // Pat's link opens whichever business Pat looked at last: find out which, and switch to the other.
  await signInToPortalByLink(page, PAT.email, /^Continue to /, 'Pat');
  const start = await portalSession(page);
  const current = start.businesses.find((b) => b.id === start.currentBusinessId)!.name;
  const other = start.businesses.find((b) => b.id !== start.currentBusinessId)!.name;
  expect([current, other].sort()).toEqual(['Acme Coffee Roasters', 'Birch Dental Studio']);

  try {
    // The switcher names the current business in the header, at the right.
    await expectViewing(page, current);
    const trigger = switcher(page, current);
    await expect(trigger).toHaveText(current);
    const box = (await trigger.boundingBox())!;
    expect(box.x, 'the switcher sits in the right half of the header').toBeGreaterThan(
      page.viewportSize()!.width / 2,
    );

    await trigger.click();
    await expect(trigger).toHaveAttribute('aria-expanded', 'true');
    const menu = page.getByRole('menu', { name: 'Switch to another business' });
    await expect(menu.getByRole('menuitem')).toHaveText([other]);
    await menu.getByRole('menuitem', { name: `${other}, nothing open` }).click();

    await expect(page.getByRole('status').filter({ hasText: `You’re now viewing ${other}` })).toBeVisible();
    await expectViewing(page, other);
    await expect(switcher(page, current)).toHaveCount(0);
    await expect(page).toHaveTitle(`${other} · Northwind Bookkeeping · Ledgerport`);

    // Reloading keeps it…
    await page.reload();
    await expectViewing(page, other);

    // …and so does signing out and in again: the new link is for that business.
    await portalSignOut(page, PAT.name);
    await signInToPortalByLink(page, PAT.email, other, 'Pat');
    await expectViewing(page, other);
  } finally {
    // Leave Pat looking at the business Pat started with.
    const s = await portalSession(page);
    if (s.currentBusinessId !== start.currentBusinessId) {
      const res = await page.request.put('/api/v1/portal/auth/session/business', {
        data: { businessId: start.currentBusinessId },
        headers: { 'X-CSRF-Token': s.csrfToken },
      });
      expect(res.status()).toBe(200);
    }
  }
});

test('a contact the firm deactivates is signed out at their next step in the portal', async ({
  page,
  browser,
  request,
}) => {
  const client = await createNorthwindClient(request, 'Deactivation Test');
  const id = uid();
  const name = `Sasha Lindqvist ${id}`;
  const email = `sasha-${id}@portal-e2e.test`;
  const contactContext = await browser.newContext();
  try {
    // The owner invites the contact from the client's page.
    await signIn(page, NORTHWIND_OWNER, DEMO_PASSWORD);
    await page.goto(`/clients/${client.id}`);
    await expect(page.getByRole('heading', { name: client.name, level: 1 })).toBeVisible();
    const card = page.getByRole('region', { name: 'Portal users' });
    await expect(card.getByRole('heading', { name: 'No portal users yet' })).toBeVisible();
    await card.getByRole('button', { name: 'Invite contact' }).click();
    const dialog = page.getByRole('dialog', { name: 'Invite contact' });
    await dialog.getByLabel('Name', { exact: true }).fill(name);
    await dialog.getByLabel('Email', { exact: true }).fill(email);
    await dialog.getByRole('button', { name: 'Send invitation' }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByRole('status').filter({ hasText: `Invitation sent to ${email}` })).toBeVisible();
    const row = card.getByRole('row').filter({ hasText: email });
    await expect(row).toContainText('Invited');

    // The contact opens the invitation in their own browser and is signed in.
    const link = await lastEmailLink(request, email, { subject: /your client portal for/ });
    const portal = await contactContext.newPage();
    await continueWithLink(portal, link, client.name, 'Sasha');
    await page.reload();
    await expect(row).toContainText('Active');

    // The owner deactivates them.
    await card.getByRole('button', { name: `Actions for ${name}` }).click();
    await page.getByRole('menuitem', { name: 'Deactivate' }).click();
    const confirm = page.getByRole('alertdialog', { name: `Deactivate ${name}?` });
    await expect(confirm).toContainText(`${name} will lose portal access to ${client.name} straight away`);
    await confirm.getByRole('button', { name: 'Deactivate' }).click();
    await expect(confirm).toBeHidden();
    await expect(row).toContainText('Deactivated');

    // The contact's next step lands on the sign-in page.
    await portal.reload();
    await expect(portal).toHaveURL(/\/portal\/northwind$/);
    await expect(
      portal.getByRole('heading', { name: 'Sign in to Northwind Bookkeeping', level: 1 }),
    ).toBeVisible();
    expect(await portalSessionStatus(portal)).toBe(401);
  } finally {
    await contactContext.close();
    await deleteClient(request, client);
  }
});

test('Maria, an owner, gives Southgate Accounting access to Acme and revokes it again', async ({
  page,
  browser,
}) => {
  const southgate = await browser.newContext();
  const console = await southgate.newPage();
  const clientLinks = () =>
    console.getByRole('region', { name: 'Client list' }).getByRole('table').getByRole('link');
  try {
    await signInToPortalWithGoogle(page, MARIA.email);
    await expect(page.getByRole('main')).toContainText('Acme Coffee Roasters · with Northwind Bookkeeping');
    await page.getByRole('link', { name: /^Firms with access/ }).click();
    await expect(page).toHaveURL(/\/portal\/northwind\/firm-access$/);
    await expect(page.getByRole('heading', { name: 'Firms with access', level: 1 })).toBeVisible();
    const list = page.getByRole('region', { name: 'Who has access now' });
    await expect(list.getByRole('listitem')).toHaveCount(1);
    await expect(list.getByRole('listitem')).toContainText('Northwind Bookkeeping');
    await expect(list.getByRole('listitem')).toContainText('this portal');

    // Search, and give access.
    await page.getByRole('searchbox', { name: 'Firm name' }).fill('South');
    const results = page.getByRole('list', { name: 'Matching firms' });
    await expect(results.getByRole('listitem')).toHaveText([/Southgate Accounting/]);
    await results.getByRole('button', { name: 'Give Southgate Accounting access' }).click();
    const grant = page.getByRole('alertdialog', {
      name: 'Give Southgate Accounting access to Acme Coffee Roasters?',
    });
    await grant.getByRole('button', { name: 'Give access' }).click();
    await expect(grant).toBeHidden();
    await expect(
      page
        .getByRole('status')
        .filter({ hasText: 'Southgate Accounting now has access to Acme Coffee Roasters.' }),
    ).toBeVisible();
    await expect(list.getByRole('listitem')).toHaveCount(2);
    await expect(list.getByRole('listitem').filter({ hasText: 'Southgate Accounting' })).toBeVisible();

    // Southgate's owner sees Acme among their clients.
    await signIn(console, 'owner@southgate.test', DEMO_PASSWORD);
    await expect(clientLinks()).toHaveText(['Acme Coffee Roasters', 'Delta Plumbing']);

    // Maria revokes it.
    await list.getByRole('button', { name: 'Revoke Southgate Accounting’s access' }).click();
    const revoke = page.getByRole('alertdialog', { name: 'Revoke Southgate Accounting’s access?' });
    await revoke.getByRole('button', { name: 'Revoke access' }).click();
    await expect(revoke).toBeHidden();
    await expect(
      page
        .getByRole('status')
        .filter({ hasText: 'Southgate Accounting no longer has access to Acme Coffee Roasters.' }),
    ).toBeVisible();
    await expect(list.getByRole('listitem')).toHaveCount(1);
    await expect(list.getByRole('listitem')).toContainText('Northwind Bookkeeping');

    // Southgate no longer sees it.
    await console.reload();
    await expect(clientLinks()).toHaveText(['Delta Plumbing']);
  } finally {
    await southgate.close();
    // Whatever happened, Acme ends with Northwind's access only.
    if ((await portalSessionStatus(page)) === 200) {
      const s = await portalSession(page);
      const acme = s.businesses.find((b) => b.name === 'Acme Coffee Roasters' && b.firm.slug === 'northwind');
      if (acme) {
        const res = await page.request.get(`/api/v1/portal/businesses/${acme.id}/firm-access`);
        const items = ((await res.json()) as { items: Array<{ firmId: string; firmSlug: string }> }).items;
        for (const item of items.filter((i) => i.firmSlug !== 'northwind')) {
          await page.request.delete(`/api/v1/portal/businesses/${acme.id}/firm-access/${item.firmId}`, {
            headers: { 'X-CSRF-Token': s.csrfToken },
          });
        }
      }
    }
  }
});

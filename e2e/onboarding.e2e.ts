import { expect, test, type Page } from '@playwright/test';
import { approveFirm, lastEmailLink, openCombobox, signIn, signOut, uid } from './helpers';

/** The client names in the clients table, in order. */
function clientLinks(page: Page) {
  return page.getByRole('region', { name: 'Client list' }).getByRole('table').getByRole('link');
}

async function createClient(page: Page, name: string): Promise<void> {
  await page.getByRole('main').getByRole('button', { name: 'New client' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'New client' });
  await dialog.getByLabel('Client name').fill(name);
  await dialog.getByRole('button', { name: 'Create client' }).click();
  await expect(dialog).toBeHidden();
  await expect(clientLinks(page).filter({ hasText: name })).toBeVisible();
}

test('a new firm applies, is approved, sets up its clients and team; staff see only their clients', async ({
  page,
  browser,
  request,
}) => {
  const id = uid();
  const firm = `Harbor ${id} Bookkeeping`;
  const admin = {
    name: `Nora Quinn ${id}`,
    first: 'Nora',
    email: `nora-${id}@e2e.test`,
    password: `harbor-${id}-pw`,
  };
  const staff = {
    name: `Sam Lee ${id}`,
    first: 'Sam',
    email: `sam-${id}@e2e.test`,
    password: `sam-${id}-secret`,
  };
  const clientA = `Anchor Cafe ${id}`;
  const clientB = `Beacon Books ${id}`;
  const clientC = `Compass Gym ${id}`;

  // 1. Apply on /apply.
  await page.goto('/apply');
  await expect(page.getByRole('heading', { name: 'Apply as a firm' })).toBeVisible();
  await page.getByLabel('Firm name').fill(firm);
  await page.getByLabel('Contact name').fill(admin.name);
  await page.getByLabel('Phone').fill('+1 555 0100');
  await page.getByLabel('Email').fill(admin.email);
  await openCombobox(page, 'Firm size');
  await page.getByRole('option', { name: '2–5 people' }).click();
  await expect(page.getByRole('combobox', { name: 'Firm size' })).toHaveText('2–5 people');
  await page.getByRole('button', { name: 'Submit application' }).click();

  // 2. The confirmation.
  await expect(page.getByRole('heading', { name: 'Application received' })).toBeVisible();
  await expect(page.getByRole('status')).toContainText(firm);
  await expect(page.getByRole('status')).toContainText(admin.email);

  // 3. The operator approves it with the CLI.
  await approveFirm(admin.email);

  // 4. The admin opens the link from the email and sets a password, greeted by name and firm.
  const adminLink = await lastEmailLink(request, admin.email, { subject: /is approved/ });
  await page.goto(adminLink);
  await expect(
    page.getByRole('heading', { name: `Welcome to ${firm}, ${admin.first} — choose a password` }),
  ).toBeVisible();
  await expect(page.getByLabel('Email')).toHaveValue(admin.email);
  await page.getByLabel('Password', { exact: true }).fill(admin.password);
  await page.getByLabel('Confirm password').fill(admin.password);
  await page.getByRole('button', { name: 'Set password' }).click();

  // 5. Signed in, on Clients, with the empty state.
  await expect(page).toHaveURL(/\/clients$/);
  await expect(page.getByRole('heading', { name: 'Add your first client' })).toBeVisible();
  await expect(page.getByRole('button', { name: `Account menu for ${admin.name}` })).toBeVisible();

  // 6. Two clients.
  await createClient(page, clientA);
  await createClient(page, clientB);
  await expect(clientLinks(page)).toHaveText([clientA, clientB]);

  // 7. Invite a staff member on Team.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Team' }).click();
  await expect(page.getByRole('heading', { name: 'Team', level: 1 })).toBeVisible();
  await page.getByRole('button', { name: 'Invite teammate' }).click();
  const invite = page.getByRole('dialog', { name: 'Invite teammate' });
  await invite.getByLabel('Name').fill(staff.name);
  await invite.getByLabel('Email').fill(staff.email);
  await expect(invite.getByRole('radio', { name: /^Staff/ })).toBeChecked();
  await invite.getByRole('button', { name: 'Send invitation' }).click();
  await expect(invite).toBeHidden();
  const staffRow = page.getByRole('row').filter({ hasText: staff.email });
  await expect(staffRow).toContainText('Invited');

  // 8. The staff member sets a password from the emailed link, in a fresh browser context, then signs in.
  const staffLink = await lastEmailLink(request, staff.email, { subject: /invited you/ });
  const staffContext = await browser.newContext();
  try {
    const staffPage = await staffContext.newPage();
    await staffPage.goto(staffLink);
    await expect(
      staffPage.getByRole('heading', { name: `Welcome to ${firm}, ${staff.first} — choose a password` }),
    ).toBeVisible();
    await staffPage.getByLabel('Password', { exact: true }).fill(staff.password);
    await staffPage.getByLabel('Confirm password').fill(staff.password);
    await staffPage.getByRole('button', { name: 'Set password' }).click();
    await expect(staffPage).toHaveURL(/\/clients$/);
    await signOut(staffPage, staff.name);
    await signIn(staffPage, staff.email, staff.password);
    await expect(staffPage.getByRole('heading', { name: 'No clients assigned to you yet' })).toBeVisible();
    const staffNav = staffPage.getByRole('navigation', { name: 'Main' });
    await expect(staffNav.getByRole('link', { name: 'Team' })).toHaveCount(0);

    // 9. The admin assigns one client to the staff member.
    await page.reload();
    await expect(staffRow).toContainText('Active');
    await page.getByRole('button', { name: `Assign clients to ${staff.name}` }).click();
    const assign = page.getByRole('dialog', { name: `Assign clients to ${staff.name}` });
    await expect(assign).toBeVisible();
    await openCombobox(page, 'Clients');
    await page.getByRole('option', { name: clientA }).click();
    await page.getByRole('combobox', { name: 'Clients', exact: true }).press('Escape');
    await expect(assign).toContainText('1 selected');
    await assign.getByRole('button', { name: 'Save assignments' }).click();
    await expect(assign).toBeHidden();
    await expect(staffRow).toContainText(clientA);

    // 10. The staff member's very next navigation (no re-login, no reload): only that client.
    await openCombobox(staffPage, 'Switch client');
    await expect(staffPage.getByRole('option')).toHaveText([clientA]);
    await staffPage.getByRole('option', { name: clientA }).click();
    await expect(staffPage).toHaveURL(/\/clients\/[0-9a-f-]{36}$/);
    await expect(staffPage.getByRole('heading', { name: clientA, level: 1 })).toBeVisible();
    await staffPage
      .getByRole('navigation', { name: 'Breadcrumb' })
      .getByRole('link', { name: 'Clients' })
      .click();
    await expect(clientLinks(staffPage)).toHaveText([clientA]);

    // 11. The admin creates a third client and sees it; the staff member does not.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Clients' }).click();
    await createClient(page, clientC);
    await expect(clientLinks(page)).toHaveText([clientA, clientB, clientC]);
    const clientCUrl = await clientLinks(page).filter({ hasText: clientC }).getAttribute('href');
    expect(clientCUrl).toMatch(/^\/clients\/[0-9a-f-]{36}$/);

    await staffPage.goto('/clients');
    await expect(clientLinks(staffPage)).toHaveText([clientA]);
    await staffPage.goto(clientCUrl!);
    await expect(staffPage.getByRole('heading', { name: 'Client not found' })).toBeVisible();
    await expect(staffPage.getByText(clientC)).toHaveCount(0);
  } finally {
    await staffContext.close();
  }
});

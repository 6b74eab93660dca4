import { expect, test, type Page } from '@playwright/test';
import { apiSignIn, DEMO_PASSWORD, openCombobox, signIn, uid } from './helpers';

const OWNER = 'owner@northwind.test';

function clientLinks(page: Page) {
  return page.getByRole('region', { name: 'Client list' }).getByRole('table').getByRole('link');
}

test.describe('managing a client as the Northwind owner', () => {
  const id = uid();
  const original = `Juniper Florist ${id}`;
  const renamed = `Juniper Flowers ${id}`;

  // The demo firm is shared by every test: whatever happens, leave no extra client behind.
  test.afterEach(async ({ request }) => {
    const csrf = await apiSignIn(request, OWNER, DEMO_PASSWORD);
    const res = await request.get('/api/v1/clients', { params: { status: 'all', q: id } });
    for (const c of ((await res.json()) as { items: Array<{ id: string; name: string }> }).items) {
      await request.delete(`/api/v1/clients/${c.id}`, {
        params: { confirmName: c.name },
        headers: { 'X-CSRF-Token': csrf },
      });
    }
  });

  test('rename, portal settings, archive, restore, delete; the Activity page lists them', async ({
    page,
  }) => {
    await signIn(page, OWNER, DEMO_PASSWORD);

    // Create it, then open it from the list.
    await page.getByRole('button', { name: 'New client' }).click();
    const create = page.getByRole('dialog', { name: 'New client' });
    await create.getByLabel('Client name').fill(original);
    await create.getByRole('button', { name: 'Create client' }).click();
    await expect(create).toBeHidden();
    // The confirmation is announced politely (a status), not as an alert.
    await expect(page.getByRole('status').filter({ hasText: 'Client created' })).toContainText(original);
    await expect(page.getByRole('alert').filter({ hasText: 'Client created' })).toHaveCount(0);
    await clientLinks(page).filter({ hasText: original }).click();
    await expect(page.getByRole('heading', { name: original, level: 1 })).toBeVisible();
    const clientUrl = page.url();

    // Rename.
    await page.getByRole('button', { name: 'Rename' }).click();
    const rename = page.getByRole('dialog', { name: 'Rename client' });
    await expect(rename.getByLabel('Client name')).toHaveValue(original);
    await rename.getByLabel('Client name').fill(renamed);
    await rename.getByRole('button', { name: 'Save name' }).click();
    await expect(rename).toBeHidden();
    await expect(page.getByRole('heading', { name: renamed, level: 1 })).toBeVisible();

    // The three portal settings start off; switch each on; they stay on after a reload.
    const settings = page.getByRole('region', { name: 'Settings' });
    const toggles = ['Questions for Us', 'Financials access', 'Files access'];
    for (const name of toggles) {
      const toggle = settings.getByRole('switch', { name });
      await expect(toggle).not.toBeChecked();
      await toggle.click();
      await expect(toggle).toBeChecked();
      await expect(toggle).toBeEnabled(); // saved (the switch is disabled while saving)
      await expect(page.getByText(`${name} turned on`)).toBeVisible();
    }
    await page.reload();
    for (const name of toggles) await expect(settings.getByRole('switch', { name })).toBeChecked();
    // …and one back off, which also persists.
    await settings.getByRole('switch', { name: 'Financials access' }).click();
    await expect(page.getByText('Financials access turned off')).toBeVisible();
    await page.reload();
    await expect(settings.getByRole('switch', { name: 'Questions for Us' })).toBeChecked();
    await expect(settings.getByRole('switch', { name: 'Financials access' })).not.toBeChecked();
    await expect(settings.getByRole('switch', { name: 'Files access' })).toBeChecked();

    // Archive: it leaves the Active list and shows under Archived.
    await page.getByRole('button', { name: 'Archive' }).click();
    await expect(page.getByRole('button', { name: 'Restore' })).toBeVisible();
    await expect(page.getByRole('main').getByText('Archived', { exact: true })).toBeVisible();
    await page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: 'Clients' }).click();
    await expect(clientLinks(page)).toHaveText([
      'Acme Coffee Roasters',
      'Birch Dental Studio',
      'Cedar Yoga Collective',
    ]);
    await page
      .getByRole('group', { name: 'Show clients by status' })
      .getByRole('button', { name: 'Archived' })
      .click();
    await expect(page).toHaveURL(/status=archived/);
    await expect(clientLinks(page)).toHaveText([renamed]);

    // Restore.
    await clientLinks(page).filter({ hasText: renamed }).click();
    await page.getByRole('button', { name: 'Restore' }).click();
    await expect(page.getByRole('button', { name: 'Archive' })).toBeVisible();
    await expect(page.getByRole('main').getByText('Active', { exact: true })).toBeVisible();
    await page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: 'Clients' }).click();
    await expect(clientLinks(page).filter({ hasText: renamed })).toBeVisible();

    // Delete, confirmed by typing the exact name.
    await page.goto(clientUrl);
    await page.getByRole('button', { name: 'Delete' }).click();
    const del = page.getByRole('dialog', { name: 'Delete client' });
    const confirmField = del.getByLabel(`Type ${renamed} to confirm`);
    const deleteButton = del.getByRole('button', { name: 'Delete client' });
    await expect(deleteButton).toBeDisabled();
    await confirmField.fill(renamed.slice(0, -1));
    await expect(deleteButton).toBeDisabled();
    await confirmField.fill(renamed.toLowerCase());
    await expect(deleteButton).toBeDisabled();
    await confirmField.fill(`${renamed} `);
    await expect(deleteButton).toBeDisabled();
    await confirmField.fill(renamed);
    await expect(deleteButton).toBeEnabled();
    await deleteButton.click();
    await expect(page).toHaveURL(/\/clients$/);
    await expect(clientLinks(page)).toHaveText([
      'Acme Coffee Roasters',
      'Birch Dental Studio',
      'Cedar Yoga Collective',
    ]);
    await page.goto(clientUrl);
    await expect(page.getByRole('heading', { name: 'Client not found' })).toBeVisible();

    // The Activity page lists each of these, newest first.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Activity' }).click();
    const log = page.getByRole('region', { name: 'Activity log' });
    const expected = [
      `Deleted client ${renamed}`,
      `Restored client ${renamed}`,
      `Archived client ${renamed}`,
      `Changed settings of ${renamed}: Financials access off`,
      `Changed settings of ${renamed}: Files access on`,
      `Changed settings of ${renamed}: Financials access on`,
      `Changed settings of ${renamed}: Questions for Us on`,
      `Renamed client ${original} to ${renamed}`,
      `Created client ${original}`,
    ];
    const rows = log.getByRole('row').filter({ hasText: id });
    await expect(rows).toHaveCount(expected.length);
    for (const [i, summary] of expected.entries()) {
      await expect(rows.nth(i)).toContainText(summary);
      await expect(rows.nth(i)).toContainText('Olivia Owner');
    }
    // The client is gone: its entries name it, marked deleted, and link nowhere.
    await expect(rows.nth(1)).toContainText(`${renamed} (deleted)`);
    await expect(log.getByRole('link', { name: renamed })).toHaveCount(0);
  });
});

test('the client switcher navigates to a client', async ({ page }) => {
  await signIn(page, OWNER, DEMO_PASSWORD);
  await openCombobox(page, 'Switch client');
  await expect(page.getByRole('option')).toHaveText([
    'Acme Coffee Roasters',
    'Birch Dental Studio',
    'Cedar Yoga Collective',
  ]);
  await page.getByRole('option', { name: 'Birch Dental Studio' }).click();
  await expect(page).toHaveURL(/\/clients\/[0-9a-f-]{36}$/);
  await expect(page.getByRole('heading', { name: 'Birch Dental Studio', level: 1 })).toBeVisible();
  await expect(page.getByRole('combobox', { name: 'Switch client' })).toHaveText('Birch Dental Studio');

  // From one client straight to another, keyboard only: type to filter, Enter opens the match.
  // The list refreshes as it opens; typing starts once that has landed, so the first match must be
  // focused by the filtering itself.
  const refreshed = page.waitForResponse((r) => /\/api\/v1\/clients\?/.test(r.url()) && r.request().method() === 'GET');
  await openCombobox(page, 'Switch client');
  await refreshed;
  await page.keyboard.type('cedar');
  await expect(page.getByRole('option')).toHaveText(['Cedar Yoga Collective']);
  await expect(page.getByRole('option', { name: 'Cedar Yoga Collective' })).toHaveAttribute('data-p-focused', 'true');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Cedar Yoga Collective', level: 1 })).toBeVisible();
});

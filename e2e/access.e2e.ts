import { expect, test, type Page } from '@playwright/test';
import { apiSignIn, DEMO_PASSWORD, signIn, signOut } from './helpers';

function clientLinks(page: Page) {
  return page.getByRole('region', { name: 'Client list' }).getByRole('table').getByRole('link');
}

test.describe('who sees what', () => {
  test('the Northwind owner sees exactly the 3 Northwind clients, and Team and Activity', async ({
    page,
  }) => {
    await signIn(page, 'owner@northwind.test', DEMO_PASSWORD);
    await expect(clientLinks(page)).toHaveText([
      'Acme Coffee Roasters',
      'Birch Dental Studio',
      'Cedar Yoga Collective',
    ]);
    const nav = page.getByRole('navigation', { name: 'Main' });
    await expect(nav.getByRole('link', { name: 'Team' })).toBeVisible();
    await expect(nav.getByRole('link', { name: 'Activity' })).toBeVisible();
  });

  test('staff member Ben sees only his 2 assigned clients and no Team or Activity', async ({ page }) => {
    await signIn(page, 'ben@northwind.test', DEMO_PASSWORD);
    await expect(clientLinks(page)).toHaveText(['Acme Coffee Roasters', 'Cedar Yoga Collective']);
    await expect(page.getByRole('button', { name: 'New client' })).toHaveCount(0);
    const nav = page.getByRole('navigation', { name: 'Main' });
    await expect(nav.getByRole('link', { name: 'Clients' })).toBeVisible();
    await expect(nav.getByRole('link', { name: 'Team' })).toHaveCount(0);
    await expect(nav.getByRole('link', { name: 'Activity' })).toHaveCount(0);

    // Typing the admin pages' addresses leads back to Clients.
    await page.goto('/team');
    await expect(page).toHaveURL(/\/clients$/);
    await page.goto('/activity');
    await expect(page).toHaveURL(/\/clients$/);
    await expect(page.getByRole('heading', { name: 'Clients', level: 1 })).toBeVisible();
  });

  test('the Southgate owner sees only Delta Plumbing', async ({ page }) => {
    await signIn(page, 'owner@southgate.test', DEMO_PASSWORD);
    await expect(clientLinks(page)).toHaveText(['Delta Plumbing']);
    await expect(page.getByRole('banner')).toContainText('Southgate Accounting');
  });

  test("another firm's client URL shows a not-found state, not the data", async ({ page, request }) => {
    await apiSignIn(request, 'owner@southgate.test', DEMO_PASSWORD);
    const res = await request.get('/api/v1/clients', { params: { q: 'Delta Plumbing' } });
    expect(res.status()).toBe(200);
    const delta = ((await res.json()) as { items: Array<{ id: string; name: string }> }).items.find(
      (c) => c.name === 'Delta Plumbing',
    );
    expect(delta, 'Delta Plumbing, as its owner sees it').toBeTruthy();

    await signIn(page, 'owner@northwind.test', DEMO_PASSWORD);
    await page.goto(`/clients/${delta!.id}`);
    await expect(page.getByRole('heading', { name: 'Client not found' })).toBeVisible();
    await expect(page.getByText('Delta Plumbing')).toHaveCount(0);
    await expect(page.getByRole('switch')).toHaveCount(0);
    await page.getByRole('link', { name: 'Back to clients' }).click();
    await expect(page).toHaveURL(/\/clients$/);
  });
});

test.describe('signing in and out', () => {
  test('a wrong password shows the plain-words error and keeps you on sign-in', async ({ page }) => {
    await page.goto('/sign-in');
    await page.getByLabel('Email').fill('owner@southgate.test');
    await page.getByLabel('Password', { exact: true }).fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('main').getByRole('alert')).toHaveText(
      'The email or password is not right. Check both and try again.',
    );
    await expect(page).toHaveURL(/\/sign-in$/);
    await expect(page.getByLabel('Password', { exact: true })).toHaveValue('');
    // The right password still works afterwards (and clears the failed-attempt count for this email).
    await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page).toHaveURL(/\/clients$/);
  });

  test('signing out returns to sign-in, and /clients then redirects to sign-in', async ({ page }) => {
    await signIn(page, 'owner@southgate.test', DEMO_PASSWORD);
    await signOut(page, 'Sam Southgate');
    await page.goto('/clients');
    await expect(page).toHaveURL(/\/sign-in\?next=(%2F|\/)clients$/);
    await expect(page.getByRole('heading', { name: 'Sign in to Ledgerport' })).toBeVisible();
  });
});

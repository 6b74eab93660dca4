import { expect, test, type Page } from '@playwright/test';

async function expectNoHorizontalOverflow(page: Page): Promise<void> {
  const widths = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    viewport: window.innerWidth,
  }));
  expect(
    widths.scroll,
    `page is ${widths.scroll}px wide in a ${widths.viewport}px viewport`,
  ).toBeLessThanOrEqual(widths.viewport);
}

test.describe('client portal', () => {
  test("/portal/northwind is branded with the firm's name", async ({ page }) => {
    await page.goto('/portal/northwind');
    await expect(
      page.getByRole('heading', { name: 'Sign in to Northwind Bookkeeping', level: 1 }),
    ).toBeVisible();
    await expect(page).toHaveTitle(/Northwind Bookkeeping/);
    await expect(page.getByLabel('Email', { exact: true })).toBeVisible();
    // Client sign-in is not open yet: the button says so rather than failing.
    await expect(page.getByRole('button', { name: 'Email me a sign-in link' })).toBeDisabled();
    await expect(page.getByText('Client sign-in opens in the next release')).toBeVisible();
  });

  test('an unknown firm shows the not-found state', async ({ page }) => {
    await page.goto('/portal/no-such-firm');
    await expect(page.getByRole('heading', { name: 'We couldn’t find that firm’s portal' })).toBeVisible();
    await expect(page.getByText('/portal/no-such-firm')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Email me a sign-in link' })).toHaveCount(0);
    await page.getByRole('link', { name: 'How client portals work' }).click();
    await expect(page).toHaveURL(/\/portal\/$/);
    await expect(page.getByRole('heading', { name: 'Looking for your client portal?' })).toBeVisible();
  });

  test.describe('on a 375×812 phone', () => {
    test.use({ viewport: { width: 375, height: 812 } });

    for (const [path, heading] of [
      ['/portal/northwind', 'Sign in to Northwind Bookkeeping'],
      ['/portal/no-such-firm', 'We couldn’t find that firm’s portal'],
      ['/portal/', 'Looking for your client portal?'],
    ] as const) {
      test(`${path} does not overflow horizontally`, async ({ page }) => {
        await page.goto(path);
        await expect(page.getByRole('heading', { name: heading, level: 1 })).toBeVisible();
        await expectNoHorizontalOverflow(page);
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
      });
    }
  });
});

import { expect, test } from '@playwright/test';
import { expectNoHorizontalOverflow, signInToPortalWithGoogle } from './helpers';

test.describe('client portal', () => {
  test("/portal/northwind is branded with the firm's name and offers every way to sign in", async ({
    page,
  }) => {
    await page.goto('/portal/northwind');
    await expect(
      page.getByRole('heading', { name: 'Sign in to Northwind Bookkeeping', level: 1 }),
    ).toBeVisible();
    await expect(page).toHaveTitle(/Northwind Bookkeeping/);
    await expect(page.getByLabel('Email', { exact: true })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Email me a sign-in link' })).toBeEnabled();
    await expect(page.getByRole('button', { name: 'Sign in with password' })).toBeEnabled();
    await expect(page.getByRole('link', { name: 'Sign in with Google' })).toBeVisible();
    await expect(page.getByRole('link', { name: 'Get help signing in' })).toBeVisible();
    await expect(page.getByText('opens in the next release')).toHaveCount(0);
    // Asking for a link without an address is caught in the page, by the field.
    await page.getByRole('button', { name: 'Email me a sign-in link' }).click();
    await expect(page.getByLabel('Email', { exact: true })).toHaveAccessibleDescription(
      /Enter your email address\./,
    );
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

    test('/portal/northwind/home, signed in, does not overflow horizontally', async ({ page }) => {
      // Pat has two businesses: the header carries the business switcher and the person menu.
      await signInToPortalWithGoogle(page, 'pat@birch.test');
      await expect(page.getByRole('heading', { name: 'Welcome, Pat', level: 1 })).toBeVisible();
      const banner = page.getByRole('banner');
      await expect(banner.getByRole('button', { name: /Switch business$/ })).toBeInViewport({ ratio: 1 });
      await expect(banner.getByRole('button', { name: 'Your account: Pat Kim' })).toBeInViewport({
        ratio: 1,
      });
      await expectNoHorizontalOverflow(page);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    });
  });
});

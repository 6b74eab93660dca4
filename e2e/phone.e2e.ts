import { expect, test } from '@playwright/test';
import { DEMO_PASSWORD, signIn } from './helpers';

test.use({ viewport: { width: 375, height: 812 } });

test('on a phone the console fits the screen and keeps every client reachable', async ({ page }) => {
  await signIn(page, 'owner@northwind.test', DEMO_PASSWORD);
  for (const [path, heading] of [
    ['/clients', 'Clients'],
    ['/team', 'Team'],
    ['/activity', 'Activity'],
  ] as const) {
    await page.goto(path);
    await expect(page.getByRole('heading', { name: heading, level: 1 })).toBeVisible();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
  }
  await page.goto('/clients');
  for (const name of ['Acme Coffee Roasters', 'Birch Dental Studio', 'Cedar Yoga Collective']) {
    // Names wrap between words, never inside one (the longest word stays on one line),
    // and each row's actions stay on screen.
    const cell = page.getByRole('main').getByText(name, { exact: true });
    await expect(cell).toBeVisible();
    const wordsUnbroken = await cell.evaluate((el) => {
      const range = document.createRange();
      const text = el.firstChild ?? el;
      range.selectNodeContents(text);
      const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
      return lines.size <= (el.textContent ?? '').trim().split(/\s+/).length;
    });
    expect(wordsUnbroken).toBe(true);
    await expect(page.getByRole('button', { name: `Actions for ${name}` })).toBeInViewport();
  }
});

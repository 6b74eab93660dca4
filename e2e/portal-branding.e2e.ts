import { expect, test } from '@playwright/test';
import { apiSignIn, DEMO_PASSWORD, NORTHWIND_OWNER, PORTAL, signIn, solidPng, uid } from './helpers';

/** A firm admin brands the client portal; its sign-in page shows the name, logo and colour. */

const UNREADABLE = '#f2b705'; // white on amber: about 1.9:1
const PLUM = '#7a1f5c'; // white on plum: about 9.6:1
const PLUM_RGB = 'rgb(122, 31, 92)';

test('branding: a portal name, a readable accent colour and a logo show on the portal sign-in page', async ({
  page,
  request,
}) => {
  const portalName = `Northwind Client Hub ${uid()}`;
  try {
    await signIn(page, NORTHWIND_OWNER, DEMO_PASSWORD);
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Portal branding' })
      .click();
    await expect(page).toHaveURL(/\/settings\/branding$/);
    await expect(page.getByRole('heading', { name: 'Portal branding', level: 1 })).toBeVisible();

    const name = page.getByRole('textbox', { name: 'Portal name (optional)' });
    const accent = page.getByRole('textbox', { name: 'Accent colour (optional)' });
    const save = page.getByRole('button', { name: 'Save', exact: true });
    await expect(name).toHaveValue('');
    await expect(accent).toHaveValue('');
    await name.fill(portalName);

    // An accent white text is unreadable on: refused, and the reason is shown by the field.
    await accent.fill(UNREADABLE);
    await expect(page.locator('#branding-accent-contrast')).toContainText('Choose a darker colour.');
    await save.click();
    // The error is in the accent colour's own field, and the input is described by it.
    const accentError = page.locator('.lp-field', { has: accent }).getByRole('alert');
    await expect(accentError).toContainText(`White text on ${UNREADABLE} has a contrast of`);
    await expect(accentError).toContainText('Choose a darker colour.');
    await expect(accent).toHaveAttribute('aria-invalid', 'true');
    await expect(accent).toHaveAccessibleDescription(/it needs at least 4\.5:1 to be readable/);
    await expect(page.getByRole('status').filter({ hasText: 'Branding saved' })).toHaveCount(0);

    // A readable one is saved, with the name.
    await accent.fill(PLUM);
    await expect(accentError).toBeHidden();
    await expect(page.locator('#branding-accent-contrast')).toContainText(': readable');
    await save.click();
    await expect(page.getByRole('status').filter({ hasText: 'Branding saved' })).toBeVisible();
    await expect(save).toBeDisabled(); // nothing left unsaved

    // A small PNG logo.
    await page.getByLabel('Upload a logo', { exact: true }).setInputFiles({
      name: 'northwind-logo.png',
      mimeType: 'image/png',
      buffer: solidPng(160, 48, [122, 31, 92]),
    });
    await expect(page.getByRole('status').filter({ hasText: 'Logo uploaded' })).toBeVisible();
    await expect(page.getByRole('img', { name: 'Current logo of Northwind Bookkeeping' })).toBeVisible();
    await expect(page.getByLabel('Replace logo', { exact: true })).toBeVisible();

    // The portal's sign-in page wears it.
    await page.goto(PORTAL);
    await expect(page.getByRole('heading', { name: `Sign in to ${portalName}`, level: 1 })).toBeVisible();
    await expect(page).toHaveTitle(new RegExp(portalName));
    await expect(page.getByText('Client portal of Northwind Bookkeeping')).toBeVisible();
    const logo = page.getByRole('main').locator('img[src*="/api/v1/public/firms/northwind/logo"]');
    await expect(logo).toBeVisible();
    expect(await logo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(160);
    const primary = page.getByRole('button', { name: 'Email me a sign-in link' });
    await expect(primary).toHaveCSS('background-color', PLUM_RGB);
    await expect(primary).toHaveCSS('color', 'rgb(255, 255, 255)');

    // Back to the defaults, through the same page.
    await page.goto('/settings/branding');
    await expect(name).toHaveValue(portalName);
    await expect(accent).toHaveValue(PLUM);
    await name.fill('');
    await page.getByRole('button', { name: 'Use default colour' }).click();
    await expect(accent).toHaveValue('');
    await save.click();
    await expect(page.getByRole('status').filter({ hasText: 'Branding saved' })).toBeVisible();
    await page.getByRole('button', { name: 'Remove logo' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Logo removed' })).toBeVisible();
    await expect(page.getByText('No logo yet')).toBeVisible();

    await page.goto(PORTAL);
    await expect(
      page.getByRole('heading', { name: 'Sign in to Northwind Bookkeeping', level: 1 }),
    ).toBeVisible();
    await expect(page.getByRole('main').locator('img')).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Email me a sign-in link' })).not.toHaveCSS(
      'background-color',
      PLUM_RGB,
    );
  } finally {
    // Whatever happened above, the demo firm's portal goes back to its default look.
    const csrf = await apiSignIn(request, NORTHWIND_OWNER, DEMO_PASSWORD);
    const headers = { 'X-CSRF-Token': csrf };
    const reset = await request.put('/api/v1/firm/branding', {
      data: { portalName: null, accentColor: null },
      headers,
    });
    expect(reset.status(), await reset.text()).toBe(200);
    const logo = await request.delete('/api/v1/firm/branding/logo', { headers });
    expect(logo.status(), await logo.text()).toBe(200);
  }
});

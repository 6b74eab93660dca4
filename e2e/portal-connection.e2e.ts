import path from 'node:path';
import { expect, test } from '@playwright/test';
import {
  apiSignIn,
  clientConnection,
  consentInPopup,
  continueWithLink,
  createNorthwindClient,
  deleteClient,
  DEMO_PASSWORD,
  emailsTo,
  inviteContact,
  ledgerFact,
  NORTHWIND_OWNER,
  SCREENSHOTS,
  signIn,
  type E2EClient,
} from './helpers';

/**
 * L1 in the portal: where the firm allows it, the client connects its own ledger through the same
 * consent popup as the console, and the firm sees it at once and is told by email.
 */
const COMPANY = 'Sandbox Company US';

test.describe('a client connects its ledger from the portal', () => {
  let client: E2EClient;

  test.beforeEach(async ({ request }) => {
    client = await createNorthwindClient(request, 'Self Connect');
  });
  test.afterEach(async ({ request }) => {
    await deleteClient(request, client);
  });

  test('off by default; the bookkeeper turns it on; the client connects QuickBooks in a popup', async ({
    page,
    browser,
    request,
  }) => {
    const contact = await inviteContact(request, client, { first: 'Sky', role: 'owner' });

    // The contact's own browser: signed in through the invitation. Nothing to connect yet.
    const portalContext = await browser.newContext();
    const portal = await portalContext.newPage();
    await continueWithLink(portal, contact.invitationLink, client.name, 'Sky');
    const tile = portal.getByTestId('ledger-tile');
    await expect(portal.getByRole('heading', { name: 'Questions', level: 2 })).toBeVisible();
    await expect(tile).toHaveCount(0);

    // The bookkeeper turns "Client connects their ledger" on, on the client's page.
    await signIn(page, NORTHWIND_OWNER, DEMO_PASSWORD);
    await page.goto(`/clients/${client.id}`);
    const settings = page.getByRole('region', { name: 'Settings' });
    const toggle = settings.getByRole('switch', { name: 'Client connects their ledger' });
    await expect(toggle).not.toBeChecked();
    await toggle.click();
    await expect(toggle).toBeChecked();
    await expect(page.getByText('Client connects their ledger turned on')).toBeVisible();

    // The contact reloads their home: the tile offers both ledgers.
    await portal.reload();
    await expect(tile.getByRole('heading', { name: 'Accounting software' })).toBeVisible();
    await expect(tile.getByText('Not connected', { exact: true })).toBeVisible();
    await expect(tile.getByText(/Ledgerport never sees your password/)).toBeVisible();
    await expect(tile.getByRole('button', { name: 'Connect Xero' })).toBeVisible();
    await portal.screenshot({
      path: path.join(SCREENSHOTS, 'portal-home-connect-ledger.png'),
      animations: 'disabled',
    });

    // Connect QuickBooks: the consent opens in a popup that closes itself; the tile updates in place.
    await portal.evaluate(() => ((window as unknown as { __noReload: boolean }).__noReload = true));
    await consentInPopup(
      portal,
      () => tile.getByRole('button', { name: 'Connect QuickBooks Online' }).click(),
      'qbo',
      COMPANY,
    );
    await expect(tile.getByRole('status')).toHaveText(`Connected to ${COMPANY} in QuickBooks Online.`);
    await expect(tile.getByText('Connected to QuickBooks Online', { exact: true })).toBeVisible();
    await expect(tile.getByText(new RegExp(`^${COMPANY}, connected since `))).toBeVisible();
    await expect(tile.getByRole('button')).toHaveCount(0);
    expect(await portal.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(
      true,
    );
    await portal.screenshot({
      path: path.join(SCREENSHOTS, 'portal-home-ledger-connected.png'),
      animations: 'disabled',
    });

    // The firm: the tile names the client contact, and the owner got an email.
    expect(await clientConnection(page.request, client.id)).toMatchObject({
      provider: 'qbo',
      status: 'connected',
      companyName: COMPANY,
    });
    await page.reload();
    await expect(ledgerFact(page, 'Connected since')).toContainText(`by ${contact.name} (client)`);
    await expect
      .poll(async () => (await emailsTo(page.request, NORTHWIND_OWNER)).map((m) => m.subject))
      .toContain(`${client.name} connected QuickBooks Online`);

    await portalContext.close();
  });

  test('a cancelled consent says so and leaves the choices', async ({ page, request }) => {
    const contact = await inviteContact(request, client, { first: 'Lee' });
    const csrf = await apiSignIn(request, NORTHWIND_OWNER, DEMO_PASSWORD);
    const on = await request.patch(`/api/v1/clients/${client.id}`, {
      data: { ledgerConnect: true },
      headers: { 'X-CSRF-Token': csrf },
    });
    expect(on.status(), await on.text()).toBe(200);
    await continueWithLink(page, contact.invitationLink, client.name, 'Lee');
    const tile = page.getByTestId('ledger-tile');
    await consentInPopup(
      page,
      () => tile.getByRole('button', { name: 'Connect Xero' }).click(),
      'xero',
      null,
    );
    await expect(tile.getByRole('alert')).toHaveText(
      'The connection was cancelled at the ledger. Nothing changed.',
    );
    await expect(tile.getByRole('button', { name: 'Connect QuickBooks Online' })).toBeVisible();
    await expect(tile.getByText('Not connected', { exact: true })).toBeVisible();
    expect(await clientConnection(request, client.id)).toBeNull();
  });
});

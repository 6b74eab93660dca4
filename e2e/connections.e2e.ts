import { expect, test, type Page } from '@playwright/test';
import {
  apiSignIn,
  clientConnection,
  connectLedgerOnClientPage,
  consentInPopup,
  createNorthwindClient,
  deleteClient,
  DEMO_PASSWORD,
  disconnectLedgerByApi,
  disconnectLedgerOnClientPage,
  emailsTo,
  lastEmailLink,
  ledgerCard,
  ledgerFact,
  NORTHWIND_OWNER,
  northwindClient,
  openCombobox,
  sandboxControl,
  signIn,
  type E2EClient,
} from './helpers';

/**
 * Ledger connections (issue 4): connecting a client's QuickBooks Online or Xero through the provider's
 * consent page in a popup, the tile on the client's page, token refresh, a revoked grant, and the
 * connections board. QuickBooks and Xero are the e2e server's own ledger sandbox.
 *
 * Cedar Yoga Collective is the demo client that starts unconnected (the sandbox has a QuickBooks
 * company and a Xero organisation of that name); every journey leaves it unconnected again, so the
 * journeys work whether or not the demo data connects Acme and Birch.
 */
const CEDAR = 'Cedar Yoga Collective';
const BEN = 'ben@northwind.test';

/** Marks the window, so a journey can check later that the page was never reloaded. */
async function markNoReload(page: Page): Promise<void> {
  await page.evaluate(() => ((window as unknown as { __e2eNoReload: boolean }).__e2eNoReload = true));
}

async function expectNoReload(page: Page): Promise<void> {
  expect(
    await page.evaluate(() => (window as unknown as { __e2eNoReload?: boolean }).__e2eNoReload === true),
    'the page was not reloaded',
  ).toBe(true);
}

async function openClientPage(page: Page, client: E2EClient): Promise<void> {
  await page.goto(`/clients/${client.id}`);
  await expect(page.getByRole('heading', { name: client.name, level: 1 })).toBeVisible();
  await expect(ledgerCard(page)).toBeVisible();
  await expect(ledgerCard(page)).not.toHaveAttribute('aria-busy', 'true');
}

function boardRows(page: Page) {
  return page.getByRole('region', { name: 'Ledger connections' }).getByRole('row');
}

test.describe('ledger connections of Cedar Yoga Collective', () => {
  let cedar: E2EClient;

  test.beforeAll(async ({ request }) => {
    cedar = await northwindClient(request, CEDAR);
    await disconnectLedgerByApi(request, cedar.id);
  });

  // Whatever happens, Cedar ends unconnected, for the next journey and the next run.
  test.afterEach(async ({ request }) => {
    await disconnectLedgerByApi(request, cedar.id);
  });

  test('connect QuickBooks through the popup, disconnect, then connect Xero instead', async ({ page }) => {
    await signIn(page, NORTHWIND_OWNER, DEMO_PASSWORD);
    await openClientPage(page, cedar);
    const card = ledgerCard(page);
    await expect(card.getByText(`Where ${CEDAR} keeps its books.`)).toBeVisible();
    await markNoReload(page);

    // QuickBooks: pick the company in the popup; the popup closes itself and the tile fills in.
    await connectLedgerOnClientPage(page, 'qbo', CEDAR);
    await expect(card.getByRole('status')).toHaveText(`Connected to ${CEDAR}`);
    await expect(card.getByText(`${CEDAR}’s books in QuickBooks Online.`)).toBeVisible();
    await expect(card.getByText('QuickBooks Online', { exact: true })).toBeVisible();
    await expect(ledgerFact(page, 'Edition')).toHaveText('QuickBooks Online Essentials');
    await expect(ledgerFact(page, 'Class tracking')).toHaveText('Off');
    await expect(
      card.getByText('Class tracking is off in this company, so there are no classes.'),
    ).toBeVisible();
    await expect(ledgerFact(page, 'Connected since')).toContainText('by Olivia');
    await expect(card.getByRole('link', { name: 'Open in QuickBooks (opens in a new tab)' })).toBeVisible();
    await expect(card.getByRole('alert')).toHaveCount(0);
    await expectNoReload(page);
    const qbo = await clientConnection(page.request, cedar.id);
    expect(qbo).toMatchObject({ provider: 'qbo', status: 'connected', companyName: CEDAR });

    // Disconnect (confirmed): the card offers both providers again.
    await disconnectLedgerOnClientPage(page, 'qbo');
    await expect(card.getByRole('status')).toHaveText(
      'Disconnected from QuickBooks. The history in Ledgerport stays.',
    );
    expect(await clientConnection(page.request, cedar.id)).toBeNull();

    // Xero instead: tick the organisation, allow access.
    await connectLedgerOnClientPage(page, 'xero', CEDAR);
    await expect(card.getByText(`${CEDAR}’s books in Xero.`)).toBeVisible();
    await expect(card.getByText('Xero', { exact: true })).toBeVisible();
    await expect(card.getByText(CEDAR, { exact: true })).toBeVisible();
    await expect(ledgerFact(page, 'Edition')).toHaveText('STARTER');
    await expect(ledgerFact(page, 'Class tracking')).toHaveText('No tracking categories');
    await expect(card.getByRole('heading', { name: 'Tracking categories', level: 3 })).toBeVisible();
    await expect(card.getByText('This organisation has no tracking categories.')).toBeVisible();
    await expect(ledgerFact(page, 'Payroll')).toHaveText('Not connected');
    await expect(ledgerFact(page, 'Fixed assets')).toHaveText('Not connected');
    await expect(card.getByRole('link', { name: 'Open in Xero (opens in a new tab)' })).toBeVisible();
    await expectNoReload(page);
    const xero = await clientConnection(page.request, cedar.id);
    expect(xero).toMatchObject({ provider: 'xero', status: 'connected', companyName: CEDAR });
    expect(xero!.id).not.toBe(qbo!.id);

    await disconnectLedgerOnClientPage(page, 'xero');
    expect(await clientConnection(page.request, cedar.id)).toBeNull();
  });

  test('an expired access token is refreshed invisibly', async ({ page }) => {
    await signIn(page, NORTHWIND_OWNER, DEMO_PASSWORD);
    await openClientPage(page, cedar);
    await connectLedgerOnClientPage(page, 'qbo', CEDAR);
    const card = ledgerCard(page);

    // The sandbox forgets every QuickBooks access token it has handed out: the product's next call
    // answers 401, and the product must refresh the token and carry on.
    const { expired } = await sandboxControl<{ expired: number }>(page.request, '/tokens/expire', {
      provider: 'qbo',
    });
    expect(expired).toBeGreaterThan(0);

    await card.getByRole('button', { name: 'Refresh details from QuickBooks' }).click();
    await expect(card.getByRole('status')).toHaveText(
      'Refreshed from QuickBooks: company details, classes and accounts are up to date.',
    );
    await expect(card.getByText('Connected', { exact: true }).first()).toBeVisible();
    await expect(card.getByText('Needs reconnect', { exact: true })).toHaveCount(0);
    await expect(card.getByRole('alert')).toHaveCount(0);
    await expect(ledgerFact(page, 'Edition')).toHaveText('QuickBooks Online Essentials');
    await expect(ledgerFact(page, 'Last refreshed')).not.toHaveText('Not yet');
    expect(await clientConnection(page.request, cedar.id)).toMatchObject({ status: 'connected' });

    // Twice in a row, the second time with the token the refresh just got.
    await sandboxControl(page.request, '/tokens/expire', { provider: 'qbo' });
    await card.getByRole('button', { name: 'Refresh details from QuickBooks' }).click();
    await expect(card.getByRole('status')).toHaveText(/^Refreshed from QuickBooks/);
    await expect(card.getByRole('alert')).toHaveCount(0);
    expect(await clientConnection(page.request, cedar.id)).toMatchObject({ status: 'connected' });

    await disconnectLedgerOnClientPage(page, 'qbo');
  });

  test('a cancelled consent shows a plain message and connects nothing', async ({ page }) => {
    await signIn(page, NORTHWIND_OWNER, DEMO_PASSWORD);
    await openClientPage(page, cedar);
    const card = ledgerCard(page);
    await markNoReload(page);

    for (const [provider, label] of [
      ['qbo', 'Connect QuickBooks Online'],
      ['xero', 'Connect Xero'],
    ] as const) {
      await consentInPopup(page, () => card.getByRole('button', { name: label }).click(), provider, null);
      await expect(card.getByRole('alert')).toHaveText(
        'The connection was cancelled at the ledger. Nothing changed.',
      );
      await expect(card.getByRole('button', { name: 'Connect QuickBooks Online' })).toBeVisible();
      await expect(card.getByRole('button', { name: 'Connect Xero' })).toBeVisible();
      await expect(card.getByRole('button', { name: 'Disconnect', exact: true })).toHaveCount(0);
      await expect(card.getByText(/^Waiting for /)).toHaveCount(0);
      expect(await clientConnection(page.request, cedar.id)).toBeNull();
    }
    await expectNoReload(page);
  });

  test('the connections board: search, filter by status and software, connect and disconnect a row', async ({
    page,
  }) => {
    // Wide enough for every column (company, payroll, fixed assets and the ledger link hide on narrower screens).
    await page.setViewportSize({ width: 1800, height: 900 });
    await signIn(page, NORTHWIND_OWNER, DEMO_PASSWORD);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Connections' }).click();
    await expect(page).toHaveURL(/\/connections$/);
    await expect(page.getByRole('heading', { name: 'Connections', level: 1 })).toBeVisible();
    const rows = boardRows(page);
    const cedarRow = rows.filter({ hasText: CEDAR });
    for (const name of ['Acme Coffee Roasters', 'Birch Dental Studio', CEDAR])
      await expect(rows.filter({ hasText: name })).toHaveCount(1);
    await expect(page.getByText(/\d+ connected · (\d+ needs? reconnect · )?\d+ not connected/)).toBeVisible();
    await expect(cedarRow.getByRole('cell', { name: 'Not connected', exact: true })).toHaveCount(1);
    await expect(
      cedarRow.getByRole('button', { name: `Connect ${CEDAR} to QuickBooks Online or Xero` }),
    ).toBeVisible();

    // Search by name (kept in the URL).
    await page.getByRole('searchbox', { name: 'Search clients by name' }).fill('cedar');
    await expect(page).toHaveURL(/[?&]q=cedar/);
    await expect(rows.filter({ hasText: 'Acme Coffee Roasters' })).toHaveCount(0);
    await expect(rows.filter({ hasText: 'Birch Dental Studio' })).toHaveCount(0);
    await expect(cedarRow).toHaveCount(1);

    // Status: Cedar is listed under "Not connected", not under "Connected".
    const statusFilter = page.getByRole('group', { name: 'Show clients by connection status' });
    await statusFilter.getByRole('button', { name: 'Connected', exact: true }).click();
    await expect(page).toHaveURL(/[?&]status=connected/);
    await expect(page.getByText(`No clients match “cedar”`)).toBeVisible();
    await expect(cedarRow).toHaveCount(0);
    await statusFilter.getByRole('button', { name: 'Not connected', exact: true }).click();
    await expect(page).toHaveURL(/[?&]status=not_connected/);
    await expect(cedarRow).toHaveCount(1);

    // Connect from the row: the Connect button offers both providers and opens the popup.
    await cedarRow.getByRole('button', { name: `Connect ${CEDAR} to QuickBooks Online or Xero` }).click();
    const menu = page.getByRole('menu');
    await expect(menu.getByRole('menuitem', { name: 'Xero' })).toBeVisible();
    await consentInPopup(
      page,
      () => menu.getByRole('menuitem', { name: 'QuickBooks Online' }).click(),
      'qbo',
      CEDAR,
    );
    await expect(page.getByRole('status').filter({ hasText: 'is connected' })).toHaveText(
      // The "Not connected" view no longer lists the row, so the board names the provider only.
      `${CEDAR} is connected to QuickBooks.`,
    );
    // It has left the "Not connected" view…
    await expect(cedarRow).toHaveCount(0);
    // …and shows under "Connected", with its software, company and the link to the ledger.
    await statusFilter.getByRole('button', { name: 'Connected', exact: true }).click();
    await expect(cedarRow).toHaveCount(1);
    await expect(cedarRow.getByText('QuickBooks Online', { exact: true })).toBeVisible();
    // Client and company cells both read "Cedar Yoga Collective".
    await expect(cedarRow.getByRole('cell', { name: CEDAR, exact: true })).toHaveCount(2);
    await expect(
      cedarRow.getByRole('link', { name: `Open in QuickBooks for ${CEDAR} (opens in a new tab)` }),
    ).toBeVisible();
    await expect(cedarRow.getByRole('cell', { name: /^\W*Connected refreshed / })).toBeVisible();

    // Software: not under Xero, under QuickBooks Online.
    await openCombobox(page, 'Show clients by software');
    await page.getByRole('option', { name: 'Xero', exact: true }).click();
    await expect(page).toHaveURL(/[?&]provider=xero/);
    await expect(cedarRow).toHaveCount(0);
    await openCombobox(page, 'Show clients by software');
    await page.getByRole('option', { name: 'QuickBooks Online', exact: true }).click();
    await expect(page).toHaveURL(/[?&]provider=qbo/);
    await expect(cedarRow).toHaveCount(1);

    // The view is in the URL: a reload keeps it.
    await page.reload();
    await expect(page.getByRole('searchbox', { name: 'Search clients by name' })).toHaveValue('cedar');
    await expect(cedarRow).toHaveCount(1);
    await expect(rows.filter({ hasText: 'Acme Coffee Roasters' })).toHaveCount(0);

    // Disconnect from the row's actions, once the row's first sync has settled (while a row syncs
    // the board reads itself again every few seconds, and an open menu moves with the redraw).
    await expect(cedarRow.getByText('Syncing…')).toHaveCount(0, { timeout: 30_000 });
    await cedarRow.getByRole('button', { name: `Actions for ${CEDAR}` }).click();
    await page.getByRole('menuitem', { name: 'Disconnect' }).click();
    const confirm = page.getByRole('alertdialog', { name: `Disconnect ${CEDAR} from QuickBooks Online?` });
    await confirm.getByRole('button', { name: 'Disconnect', exact: true }).click();
    await expect(confirm).toBeHidden();
    await expect(page.getByRole('status').filter({ hasText: 'disconnected' })).toHaveText(
      `${CEDAR} is disconnected from QuickBooks. Its history stays.`,
    );
    await expect(cedarRow).toHaveCount(0);
    expect(await clientConnection(page.request, cedar.id)).toBeNull();
  });
});

test.describe('a revoked grant', () => {
  let client: E2EClient;

  test.beforeEach(async ({ request }) => {
    client = await createNorthwindClient(request, 'Ledger Revoke');
    // Ben (staff) is assigned to it too: the email goes to the firm's admins and the assigned staff.
    // Deleting the client afterwards removes the assignment again.
    const csrf = await apiSignIn(request, NORTHWIND_OWNER, DEMO_PASSWORD);
    const team = (await (await request.get('/api/v1/team')).json()) as {
      items: Array<{ id: string; email: string; assignedClients: Array<{ id: string }> }>;
    };
    const ben = team.items.find((m) => m.email === BEN)!;
    const res = await request.put(`/api/v1/team/${ben.id}/clients`, {
      data: { clientIds: [...ben.assignedClients.map((c) => c.id), client.id] },
      headers: { 'X-CSRF-Token': csrf },
    });
    expect(res.status(), await res.text()).toBe(200);
  });

  test.afterEach(async ({ request }) => {
    await disconnectLedgerByApi(request, client.id);
    await deleteClient(request, client);
  });

  test('shows needs reconnect on the tile and the board, emails the admin, and reconnects', async ({
    page,
    request,
  }) => {
    await signIn(page, NORTHWIND_OWNER, DEMO_PASSWORD);
    await openClientPage(page, client);
    const card = ledgerCard(page);
    await connectLedgerOnClientPage(page, 'qbo', 'Sandbox Company US');
    await expect(ledgerFact(page, 'Edition')).toHaveText('QuickBooks Online Advanced');
    await expect(ledgerFact(page, 'Class tracking')).toHaveText('One class per line');
    const connection = await clientConnection(page.request, client.id);
    expect(connection).toMatchObject({ provider: 'qbo', status: 'connected' });
    const subject = new RegExp(`^${client.name}: reconnect QuickBooks`);
    expect((await emailsTo(request, NORTHWIND_OWNER)).filter((m) => subject.test(m.subject))).toHaveLength(0);

    // The company revokes Ledgerport's access at QuickBooks, and the access tokens expire.
    const { revoked } = await sandboxControl<{ revoked: number }>(page.request, '/grants/revoke', {
      provider: 'qbo',
      companyId: connection!.externalId,
    });
    expect(revoked).toBeGreaterThan(0);
    await sandboxControl(page.request, '/tokens/expire', { provider: 'qbo' });

    // Refresh finds out: the tile says so and offers Reconnect.
    await card.getByRole('button', { name: 'Refresh details from QuickBooks' }).click();
    await expect(card.getByText('Needs reconnect', { exact: true })).toBeVisible();
    await expect(card.getByRole('button', { name: 'Reconnect' })).toBeVisible();
    await expect(
      card.getByText(`Ledgerport can no longer reach QuickBooks for ${client.name}`),
    ).toBeVisible();
    expect(await clientConnection(page.request, client.id)).toMatchObject({ status: 'needs_reconnect' });

    // The firm's admin gets one email; its link opens the client.
    const link = await lastEmailLink(request, NORTHWIND_OWNER, { subject });
    expect(link).toContain(`/clients/${client.id}`);
    const mails = (await emailsTo(request, NORTHWIND_OWNER)).filter((m) => subject.test(m.subject));
    expect(mails).toHaveLength(1);
    expect(mails[0]!.text).toContain('Sandbox Company US');
    await lastEmailLink(request, BEN, { subject });
    expect((await emailsTo(request, BEN)).filter((m) => subject.test(m.subject))).toHaveLength(1);

    // The board lists it under "Needs reconnect".
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Connections' }).click();
    await expect(page.getByRole('heading', { name: 'Connections', level: 1 })).toBeVisible();
    await page
      .getByRole('group', { name: 'Show clients by connection status' })
      .getByRole('button', { name: 'Needs reconnect', exact: true })
      .click();
    await expect(page).toHaveURL(/[?&]status=needs_reconnect/);
    const row = boardRows(page).filter({ hasText: client.name });
    await expect(row).toHaveCount(1);
    await expect(row.getByText('Needs reconnect', { exact: true }).filter({ visible: true })).toHaveCount(1);
    await expect(page.getByText(/\d+ needs? reconnect/)).toBeVisible();

    // From the email's link: Reconnect through the popup, and it is connected again.
    await page.goto(link);
    await expect(page.getByRole('heading', { name: client.name, level: 1 })).toBeVisible();
    await consentInPopup(
      page,
      () => card.getByRole('button', { name: 'Reconnect' }).click(),
      'qbo',
      'Sandbox Company US',
    );
    await expect(card.getByRole('status')).toHaveText('Connected to Sandbox Company US');
    await expect(card.getByText('Connected', { exact: true }).first()).toBeVisible();
    await expect(card.getByText('Needs reconnect', { exact: true })).toHaveCount(0);
    await expect(card.getByRole('button', { name: 'Reconnect' })).toHaveCount(0);
    expect(await clientConnection(page.request, client.id)).toMatchObject({ status: 'connected' });

    // And it works: a refresh goes through.
    await card.getByRole('button', { name: 'Refresh details from QuickBooks' }).click();
    await expect(card.getByRole('status')).toHaveText(/^Refreshed from QuickBooks/);
    await expect(card.getByRole('alert')).toHaveCount(0);

    await disconnectLedgerOnClientPage(page, 'qbo');
  });
});

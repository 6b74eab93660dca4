import { expect, test, type Locator, type Page } from '@playwright/test';
import {
  apiSignIn,
  clearSandboxFaults,
  connectLedgerOnClientPage,
  DEMO_PASSWORD,
  disconnectLedgerByApi,
  expectNoHorizontalOverflow,
  ledgerCard,
  NORTHWIND_OWNER,
  northwindClient,
  sandboxCompanyId,
  sandboxCreate,
  sandboxGet,
  shot,
  signIn,
  syncCard,
  syncFact,
  uid,
  type E2EClient,
} from './helpers';

/**
 * Sync and transactions (S1–S5): the first sync of a newly connected client with its live progress,
 * Sync now after a change in the ledger, the transactions explorer, the connections board's sync
 * columns, and the firm's sync schedule. QuickBooks is the e2e server's own ledger sandbox; a latency
 * fault makes it answer slowly, so the progress can be watched.
 *
 * Cedar Yoga Collective starts unconnected, and every journey leaves it unconnected again.
 */
const CEDAR = 'Cedar Yoga Collective';
const BEN = 'ben@northwind.test';

interface SandboxAccount {
  id: string;
  name: string;
  kind: string;
  active: boolean;
  uncategorized?: string;
}
interface SandboxPayee {
  id: string;
  name: string;
  kind: 'vendor' | 'customer';
}

/** The number at the start of a text ("1,234 uncategorized" → 1234). */
function leadingNumber(text: string | null): number {
  const m = /^\s*([\d,]+)/.exec(text ?? '');
  return m ? Number(m[1]!.replace(/,/g, '')) : Number.NaN;
}

/**
 * Watches a progress bar until it has shown `distinct` different values (aria-valuenow); returns
 * those and the phase lines (aria-valuetext) it saw. The bar disappearing before that fails the poll.
 */
async function watchProgress(
  bar: Locator,
  distinct: number,
): Promise<{ values: string[]; phases: string[] }> {
  const values = new Set<string>();
  const phases = new Set<string>();
  await expect
    .poll(
      async () => {
        const [value, text] = await Promise.all([
          bar.getAttribute('aria-valuenow', { timeout: 500 }).catch(() => null),
          bar.getAttribute('aria-valuetext', { timeout: 500 }).catch(() => null),
        ]);
        if (value !== null) values.add(value);
        if (text) phases.add(text.replace(/^\d+% · /, ''));
        return values.size;
      },
      { message: 'the progress bar moves', timeout: 30_000, intervals: [250] },
    )
    .toBeGreaterThanOrEqual(distinct);
  return { values: [...values], phases: [...phases] };
}

function explorerRows(page: Page) {
  // Data rows only: the header row has column headers, not cells.
  return page
    .getByRole('region', { name: 'Transaction list' })
    .getByRole('row')
    .filter({ has: page.getByRole('cell') });
}

test.describe('sync of Cedar Yoga Collective', () => {
  let cedar: E2EClient;
  let companyId: string;

  test.beforeAll(async ({ request }) => {
    cedar = await northwindClient(request, CEDAR);
    await disconnectLedgerByApi(request, cedar.id);
    companyId = await sandboxCompanyId(request, 'qbo', CEDAR);
  });

  // Whatever happens, QuickBooks answers at full speed again and Cedar ends unconnected.
  test.afterEach(async ({ request }) => {
    await clearSandboxFaults(request);
    await disconnectLedgerByApi(request, cedar.id);
  });

  test('the first sync shows live progress; Sync now brings a new transaction into the explorer and the board', async ({
    page,
    request,
  }) => {
    test.setTimeout(150_000);
    await page.setViewportSize({ width: 1280, height: 900 });
    await signIn(page, NORTHWIND_OWNER, DEMO_PASSWORD);
    await page.goto(`/clients/${cedar.id}`);
    await expect(page.getByRole('heading', { name: CEDAR, level: 1 })).toBeVisible();
    await expect(ledgerCard(page)).not.toHaveAttribute('aria-busy', 'true');
    // Nothing to sync before the ledger is connected.
    await expect(syncCard(page)).toHaveCount(0);

    // QuickBooks answers slowly for a while, so the first sync takes several seconds.
    await sandboxCreate(request, '/faults', {
      provider: 'qbo',
      companyId,
      kind: 'latency',
      latencyMs: 1000,
      count: 30,
    });
    await connectLedgerOnClientPage(page, 'qbo', CEDAR);

    // The Sync card appears by itself and follows the first sync: the bar moves, the phase line changes.
    const card = syncCard(page);
    await expect(card).toBeVisible();
    const bar = card.getByRole('progressbar', { name: 'First sync from QuickBooks' });
    await expect(bar).toBeVisible();
    const seen = await watchProgress(bar, 2);
    expect(seen.phases.length, `phase lines seen: ${seen.phases.join(' | ')}`).toBeGreaterThanOrEqual(2);
    await expect(bar).toHaveAttribute('aria-valuenow', /^\d+$/);
    await expect(card.getByText(/^Reading [a-z ]+… [\d,]+ transactions? so far$/)).toBeVisible();
    await card.evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await shot(page, 'console-sync-progress.png', 'Sync');

    // When it ends, the counts fill in without a reload and a short message says what changed.
    await expect(card.getByRole('status')).toHaveText(/^Synced: [\d,]+ new$/, { timeout: 45_000 });
    await expect(bar).toHaveCount(0);
    await expect(syncFact(page, 'Last synced')).toHaveText('just now');
    await expect(syncFact(page, 'Last synced').locator('time')).toHaveAttribute('title', /\d{4}/);
    const total = leadingNumber(await syncFact(page, 'Transactions').textContent());
    expect(total).toBeGreaterThan(100);
    const uncategorizedLink = card.getByRole('link', { name: /^[\d,]+ uncategorized$/ });
    const uncategorizedBefore = leadingNumber(await uncategorizedLink.textContent());
    expect(uncategorizedBefore).toBeGreaterThan(0);
    // Cedar's QuickBooks has class tracking off: no "missing a class" count.
    await expect(card.getByText(/missing a class/)).toHaveCount(0);
    await expect(card.getByRole('alert')).toHaveCount(0);

    // The accounts that make a transaction "uncategorized", explained, with a switch each.
    await card.getByRole('button', { name: 'Accounts that need review' }).click();
    const review = page.getByRole('dialog', { name: 'Accounts that need review' });
    await expect(review.getByText(/count as\s+uncategorized/)).toBeVisible();
    await expect(review.getByRole('switch', { name: 'Uncategorized Expense' })).toBeChecked();
    const askMyAccountant = review.getByRole('switch', { name: 'Ask My Accountant' });
    await expect(askMyAccountant).toBeChecked();
    // Not counting "Ask My Accountant" lowers the count at once; counting it again restores it.
    await askMyAccountant.click();
    await expect(page.getByText('Ask My Accountant no longer needs review')).toBeVisible();
    await expect(askMyAccountant).not.toBeChecked();
    await expect
      .poll(async () => leadingNumber(await uncategorizedLink.textContent()))
      .toBeLessThan(uncategorizedBefore);
    await askMyAccountant.click();
    await expect(askMyAccountant).toBeChecked();
    await expect(uncategorizedLink).toHaveText(
      `${uncategorizedBefore.toLocaleString('en-US')} uncategorized`,
    );
    await review.getByRole('button', { name: 'Done' }).click();
    await expect(review).toBeHidden();

    // Recent syncs: the first sync, started by connecting.
    await card.getByRole('button', { name: 'Recent syncs' }).click();
    const runs = card.getByRole('table', { name: 'Recent syncs, newest first' });
    await expect(runs.getByRole('row').nth(1)).toContainText('First sync');
    await expect(runs.getByRole('row').nth(1)).toContainText('Connected');
    await expect(runs.getByRole('row').nth(1)).toContainText(/[\d,]+ new/);

    // Someone records a purchase in QuickBooks, on the "Uncategorized Expense" account.
    const { accounts } = await sandboxGet<{ accounts: SandboxAccount[] }>(
      request,
      `/companies/${companyId}/accounts`,
    );
    const { payees } = await sandboxGet<{ payees: SandboxPayee[] }>(
      request,
      `/companies/${companyId}/payees`,
    );
    // A split: the mat bags are categorized, the mats themselves are not.
    const uncategorized = accounts.find((a) => a.uncategorized === 'expense')!;
    const supplies = accounts.find((a) => a.kind === 'expense' && a.active && !a.uncategorized)!;
    const bank = accounts.find((a) => a.kind === 'bank' && a.active && !a.uncategorized)!;
    const vendor = payees.find((p) => p.kind === 'vendor')!;
    expect(uncategorized && supplies && bank && vendor, 'an uncategorized and an expense account, a bank and a vendor').toBeTruthy();
    const memo = `Yoga mats ${uid()}`;
    await sandboxCreate(request, `/companies/${companyId}/transactions`, {
      kind: 'spend',
      date: new Date().toISOString().slice(0, 10),
      payeeId: vendor.id,
      bankAccountId: bank.id,
      lines: [
        { accountId: supplies.id, amountMinor: 1000, description: 'Two mat bags' },
        { accountId: uncategorized.id, amountMinor: 3250, description: 'Twelve practice mats' },
      ],
      memo,
    });

    // Sync now (QuickBooks slow again, so the run can be seen): progress, then what changed.
    await sandboxCreate(request, '/faults', {
      provider: 'qbo',
      companyId,
      kind: 'latency',
      latencyMs: 1500,
      count: 2,
    });
    await card.getByRole('button', { name: 'Sync now from QuickBooks' }).click();
    await expect(card.getByRole('progressbar', { name: 'Syncing from QuickBooks' })).toBeVisible();
    await expect(card.getByRole('button', { name: 'Sync now from QuickBooks' })).toBeDisabled();
    await expect(card.getByRole('status')).toHaveText('Synced: 1 new', { timeout: 30_000 });
    await expect(card.getByRole('progressbar')).toHaveCount(0);
    await expect(uncategorizedLink).toHaveText(
      `${(uncategorizedBefore + 1).toLocaleString('en-US')} uncategorized`,
    );
    await expect(runs.getByRole('row').nth(1)).toContainText('Sync now');
    await expect(runs.getByRole('row').nth(1)).toContainText('1 new');

    // The explorer, from the uncategorized count: every row is flagged.
    await uncategorizedLink.click();
    await expect(page).toHaveURL(new RegExp(`/clients/${cedar.id}/transactions\\?flag=uncategorized$`));
    await expect(page.getByRole('heading', { name: 'Transactions', level: 1 })).toBeVisible();
    const flags = page.getByRole('group', { name: 'Show transactions' });
    await expect(flags.getByRole('button', { name: 'Uncategorized', exact: true })).toHaveAttribute(
      'aria-pressed',
      'true',
    );
    const rows = explorerRows(page);
    await expect(rows.first()).toBeVisible();
    const shown = await rows.count();
    expect(shown).toBeGreaterThan(0);
    expect(shown).toBeLessThanOrEqual(50);
    await expect(rows.filter({ hasText: 'Uncategorized' })).toHaveCount(shown);
    await expect(
      page.getByText(
        new RegExp(`^(Showing 1–${shown}|${shown} transactions) matching the filters, newest first$`),
      ),
    ).toBeVisible();
    await expectNoHorizontalOverflow(page);
    await shot(page, 'console-transactions.png', 'Transactions');

    // Search for the new purchase's memo (debounced, kept in the URL).
    await page.getByRole('searchbox', { name: 'Search payee, memo or reference' }).fill(memo);
    await expect(page).toHaveURL(/[?&]q=Yoga/);
    await expect(rows).toHaveCount(1);
    const row = rows.first();
    await expect(row).toContainText(memo);
    await expect(row).toContainText(vendor.name);
    // The account shown is the one that needs review (the second line's), and the row says it is a split.
    await expect(row).toContainText('Uncategorized Expense');
    await expect(row).toContainText('Split · 2 lines');
    await expect(row).not.toContainText(supplies.name);
    await expect(row.getByRole('cell', { name: '-$42.50', exact: true })).toBeVisible();

    // The same search under "All" still finds it; under "Missing class" nothing matches, and says so.
    await flags.getByRole('button', { name: 'All', exact: true }).click();
    await expect(page).not.toHaveURL(/flag=/);
    await expect(rows).toHaveCount(1);
    await flags.getByRole('button', { name: 'Missing class', exact: true }).click();
    await expect(page.getByRole('heading', { name: 'No transactions match these filters' })).toBeVisible();
    await flags.getByRole('button', { name: 'Uncategorized', exact: true }).click();
    await expect(rows).toHaveCount(1);

    // The row opens a drawer with the lines.
    await row.getByRole('button', { name: vendor.name }).click();
    const drawer = page.getByRole('dialog', { name: `Purchase · ${vendor.name}` });
    await expect(drawer).toBeVisible();
    await expect(drawer.getByText('-$42.50').first()).toBeVisible();
    await expect(drawer.getByText('Split · 2 lines')).toBeVisible();
    const lines = drawer.getByRole('region', { name: 'Lines' });
    await expect(lines.getByRole('listitem')).toHaveCount(2);
    await expect(lines.getByRole('listitem').first()).toContainText(supplies.name);
    await expect(lines.getByRole('listitem').first()).not.toContainText('Needs review');
    await expect(lines.getByRole('listitem').nth(1)).toContainText('Uncategorized Expense');
    await expect(lines.getByRole('listitem').nth(1)).toContainText('Needs review');
    await expect(lines.getByRole('listitem').nth(1)).toContainText('Twelve practice mats');
    await shot(page, 'console-transaction-drawer.png', 'Transactions');
    await page.keyboard.press('Escape');
    await expect(drawer).toBeHidden();

    // A reload keeps the view (filters are in the URL).
    await page.reload();
    await expect(page.getByRole('searchbox', { name: 'Search payee, memo or reference' })).toHaveValue(memo);
    await expect(rows).toHaveCount(1);

    // The connections board: when Cedar last synced, and what it has to review, sortable.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Connections' }).click();
    await expect(page.getByRole('heading', { name: 'Connections', level: 1 })).toBeVisible();
    const board = page.getByRole('region', { name: 'Ledger connections' });
    const cedarRow = board.getByRole('row').filter({ hasText: CEDAR });
    await expect(cedarRow).toHaveCount(1);
    await expect(cedarRow.getByRole('cell', { name: /^\W*just now$/ })).toBeVisible();
    const toReview = cedarRow.getByRole('link', {
      name: `${(uncategorizedBefore + 1).toLocaleString('en-US')} uncategorized transactions of ${CEDAR}`,
    });
    await expect(toReview).toHaveAttribute('href', `/clients/${cedar.id}/transactions?flag=uncategorized`);
    await board.getByRole('columnheader', { name: 'To review' }).click();
    await expect(page).toHaveURL(/[?&]sort=uncategorized/);
    await expect(board.getByRole('columnheader', { name: 'To review' })).toHaveAttribute(
      'aria-sort',
      'ascending',
    );
    await board.getByRole('columnheader', { name: 'Last sync' }).click();
    await expect(page).toHaveURL(/[?&]sort=synced/);
    await expect(cedarRow).toHaveCount(1);
    await shot(page, 'console-connections-sync.png', 'Connections');

    // From the board to the explorer, filtered.
    await toReview.click();
    await expect(page).toHaveURL(new RegExp(`/clients/${cedar.id}/transactions\\?flag=uncategorized$`));
    await expect(rows.first()).toBeVisible();
  });
});

test.describe('the firm’s sync schedule', () => {
  let original = 30;

  test.beforeAll(async ({ request }) => {
    await apiSignIn(request, NORTHWIND_OWNER, DEMO_PASSWORD);
    original = (
      (await (await request.get('/api/v1/firm/sync-settings')).json()) as { intervalMinutes: number }
    ).intervalMinutes;
  });

  test.afterAll(async ({ request }) => {
    const csrf = await apiSignIn(request, NORTHWIND_OWNER, DEMO_PASSWORD);
    const res = await request.put('/api/v1/firm/sync-settings', {
      data: { intervalMinutes: original },
      headers: { 'X-CSRF-Token': csrf },
    });
    expect(res.status(), await res.text()).toBe(200);
  });

  test('the owner changes how often clients sync; staff see it read-only', async ({ page, browser }) => {
    await signIn(page, NORTHWIND_OWNER, DEMO_PASSWORD);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sync schedule' }).click();
    await expect(page).toHaveURL(/\/settings\/sync$/);
    await expect(page.getByRole('heading', { name: 'Sync schedule', level: 1 })).toBeVisible();
    const field = page.getByRole('spinbutton', { name: 'Minutes between syncs' });
    await expect(field).toHaveValue(`${original} minutes`);

    await page
      .getByRole('group', { name: 'Common schedules' })
      .getByRole('button', { name: '4 hours', exact: true })
      .click();
    await expect(field).toHaveValue('240 minutes');
    await expect(
      page.getByText('Ledgerport reads what changed in each connected ledger every 4 hours.'),
    ).toBeVisible();
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByText('Sync schedule saved')).toBeVisible();
    await page.reload();
    await expect(field).toHaveValue('240 minutes');

    // Out of range: said in words, nothing saved.
    await field.fill('2');
    await field.blur();
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByRole('alert')).toContainText(/from 5 to 1,440/);

    // Staff read the schedule but cannot change it.
    const staff = await browser.newContext();
    const staffPage = await staff.newPage();
    try {
      await signIn(staffPage, BEN, DEMO_PASSWORD);
      await expect(
        staffPage.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sync schedule' }),
      ).toHaveCount(0);
      await staffPage.goto('/settings/sync');
      await expect(staffPage.getByRole('heading', { name: 'Sync schedule', level: 1 })).toBeVisible();
      await expect(staffPage.getByText('Every connected client is synced every 4 hours.')).toBeVisible();
      await expect(
        staffPage.getByText('Only administrators can change the schedule.', { exact: false }),
      ).toBeVisible();
      await expect(staffPage.getByRole('spinbutton')).toHaveCount(0);
    } finally {
      await staff.close();
    }
  });
});

import { expect, test, type APIRequestContext, type Locator, type Page } from '@playwright/test';
import {
  BASE_URL,
  apiSignIn,
  clearEmails,
  DEMO_PASSWORD,
  disconnectLedgerByApi,
  ensureLedgerSynced,
  expectNoHorizontalOverflow,
  northwindClient,
  receiptJpeg,
  shot,
  signIn,
  signInLinkFor,
  type E2EClient,
  escapeRegExp,
  offerCategories,
} from './helpers';

/**
 * The firm console's side of questions (Q1, Q2, Q8, Q10, S6), as Ben (staff, assigned to Acme):
 * from Acme Coffee Roasters' uncategorized transactions he asks Maria about three at once, offering
 * two categories; the board shows them waiting on the client; he opens one, adds an internal note
 * and a message, resolves and reopens it; Maria answers (through the portal's API, with a category
 * and a receipt), the question comes back as "Waiting on us", and Ben applies her pick to
 * QuickBooks Online. The explorer shows the questions as badges; a client's own Questions page asks
 * one that is not about a transaction.
 *
 * Acme's ledger is connected (and synced) here if it is not already, and disconnected again at the
 * end; every question asked here is resolved afterwards, so Maria ends with nothing open.
 */

const BEN = { email: 'ben@northwind.test', name: 'Ben Ortiz' };
const ACME = 'Acme Coffee Roasters';
const MARIA = { email: 'maria@acme.test', name: 'Maria Lopez' };

test.use({ locale: 'en-US' });

interface Account {
  id: string;
  name: string;
  type: string;
  active: boolean;
  needsReview: boolean;
}

interface AskedQuestion {
  id: string;
  reference: string;
  status: string;
  categoryOptions: Array<{ id: string; name: string }>;
  transaction: { id: string | null; payee: string | null } | null;
}

/** A reference in a row's text, not the start of a longer one (Q-1, not Q-12). */
function refPattern(reference: string): RegExp {
  return new RegExp(`${escapeRegExp(reference)}(?!\\d)`);
}

/** Data rows of the explorer (the header row has column headers, not cells). */
function explorerRows(page: Page): Locator {
  return page
    .getByRole('region', { name: 'Transaction list' })
    .getByRole('row')
    .filter({ has: page.getByRole('cell') });
}

/** Data rows of the question board. */
function boardRows(page: Page): Locator {
  return page
    .getByRole('region', { name: 'Questions' })
    .getByRole('row')
    .filter({ has: page.getByRole('cell') });
}

async function json<T>(res: Awaited<ReturnType<APIRequestContext['get']>>, status = 200): Promise<T> {
  expect(res.status(), await res.text()).toBe(status);
  return (await res.json()) as T;
}

/**
 * Maria, signed in to the portal through its API only (her link from the mail catcher), in her own
 * request context: for answering as a client would, without depending on the portal's screens.
 */
async function mariaInPortal(
  playwright: { request: { newContext: (o: { baseURL: string }) => Promise<APIRequestContext> } },
  request: APIRequestContext,
): Promise<{ portal: APIRequestContext; csrf: string; businessId: string }> {
  await clearEmails(request, MARIA.email);
  const asked = await request.post('/api/v1/portal/auth/sign-in-link', {
    data: { email: MARIA.email, firmSlug: 'northwind' },
  });
  expect(asked.status(), await asked.text()).toBe(202);
  const link = await signInLinkFor(request, MARIA.email);
  const token = new URL(link, BASE_URL).searchParams.get('token');
  const portal = await playwright.request.newContext({ baseURL: BASE_URL });
  const session = await json<{ csrfToken: string; currentBusinessId: string }>(
    await portal.post('/api/v1/portal/auth/sign-in-link/sign-in', { data: { token } }),
  );
  return { portal, csrf: session.csrfToken, businessId: session.currentBusinessId };
}

test.describe('questions in the firm console', () => {
  let acme: E2EClient;
  let connectedHere = false;
  /** Every question this file asked, resolved again at the end. */
  const askedHere = new Set<string>();

  test.beforeAll(async ({ request }) => {
    test.setTimeout(150_000);
    acme = await northwindClient(request, ACME);
    await apiSignIn(request, BEN.email, DEMO_PASSWORD);
    connectedHere = await ensureLedgerSynced(request, acme.id, 'qbo', ACME);
  });

  test.afterAll(async ({ request }) => {
    const csrf = await apiSignIn(request, BEN.email, DEMO_PASSWORD);
    for (const id of askedHere) {
      const res = await request.post(`/api/v1/questions/${id}/resolve`, {
        headers: { 'X-CSRF-Token': csrf },
      });
      expect([200, 409], await res.text()).toContain(res.status());
    }
    if (connectedHere) await disconnectLedgerByApi(request, acme.id);
  });

  test('Ben asks in bulk from the explorer, follows one up, and applies Maria’s answer to the ledger', async ({
    page,
    request,
    playwright,
  }) => {
    test.setTimeout(180_000);
    await page.setViewportSize({ width: 1280, height: 900 });

    // Two accounts of Acme's chart to offer (active, not themselves "needs review").
    await apiSignIn(request, BEN.email, DEMO_PASSWORD);
    const chart = await json<{ items: Account[] }>(
      await request.get(`/api/v1/clients/${acme.id}/review-accounts`),
    );
    const usable = chart.items.filter((a) => a.active && !a.needsReview);
    const expenses = usable.filter((a) => /expense/i.test(a.type));
    const offer = (expenses.length >= 2 ? expenses : usable).slice(0, 2);
    expect(offer, 'two categories to offer').toHaveLength(2);

    await signIn(page, BEN.email, DEMO_PASSWORD);

    // The explorer, filtered to the uncategorized: tick three that have no question yet.
    await page.goto(`/clients/${acme.id}/transactions?flag=uncategorized`);
    await expect(page.getByRole('heading', { name: 'Transactions', level: 1 })).toBeVisible();
    const rows = explorerRows(page);
    await expect(rows.first()).toBeVisible();
    const boxes = page
      .getByRole('region', { name: 'Transaction list' })
      .getByRole('checkbox', { name: /^Select (?!every)/ });
    expect(await boxes.count()).toBeGreaterThanOrEqual(3);
    const picked: string[] = [];
    for (let i = 0; i < 3; i++) {
      const box = boxes.nth(i);
      picked.push((await box.getAttribute('aria-label'))!.replace(/^Select /, ''));
      await box.check();
    }
    const bar = page.getByRole('region', { name: 'Selected transactions' });
    await expect(bar).toContainText('3 selected');
    await expectNoHorizontalOverflow(page);
    await shot(page, 'console-questions-explorer-selection.png', 'Transactions');

    // The dialog: the template text, a text of its own for one, two categories, Maria by default.
    await bar.getByRole('button', { name: 'Ask client (3)' }).click();
    const dialog = page.getByRole('dialog', { name: `Ask ${ACME} about 3 transactions` });
    await expect(dialog).toBeVisible();
    await expect(dialog.getByLabel('Question for every transaction')).toHaveValue('What was this for?');
    await expect(dialog.getByRole('listitem')).toHaveCount(3);
    await dialog
      .getByRole('button', { name: /^Write its own question for / })
      .first()
      .click();
    const ownText = 'Was this the espresso machine repair?';
    await dialog.getByLabel(/^Question about /).fill(ownText);
    await expect(dialog.getByRole('combobox', { name: 'Ask', exact: true })).toContainText(MARIA.name);
    await expect(dialog.getByRole('combobox', { name: 'Follow-up by' })).toContainText(`${BEN.name} (you)`);
    // The categories: a multi-select opened from the keyboard, filtered by name.
    await offerCategories(page, dialog, offer);
    await shot(page, 'console-questions-bulk-ask.png', 'Transactions');

    const [answer] = await Promise.all([
      page.waitForResponse(
        (r) => r.url().endsWith(`/clients/${acme.id}/questions/bulk`) && r.request().method() === 'POST',
      ),
      dialog.getByRole('button', { name: 'Ask about 3 transactions' }).click(),
    ]);
    expect(answer.status()).toBe(201);
    const asked = ((await answer.json()) as { items: AskedQuestion[] }).items;
    expect(asked).toHaveLength(3);
    for (const q of asked) askedHere.add(q.id);
    expect(asked.every((q) => q.categoryOptions.length === 2)).toBe(true);
    await expect(dialog).toBeHidden();
    const refs = asked.map((q) => q.reference);
    await expect(
      page.getByRole('status').filter({ hasText: `Asked ${MARIA.name} 3 questions` }),
    ).toBeVisible();

    // The rows asked about show their reference as a link, and can no longer be ticked.
    for (const ref of refs) {
      await expect(page.getByRole('link', { name: `${ref}, Waiting on client` })).toBeVisible();
    }
    await expect(page.getByRole('region', { name: 'Selected transactions' })).toHaveCount(0);
    await expect(rows.filter({ hasText: refPattern(refs[0]!) }).getByRole('checkbox')).toHaveCount(0);
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot(page, 'console-questions-explorer-badges.png', 'Transactions');

    // The board: the sidebar counts what waits on us; the three wait on the client.
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: /^Questions/ }).click();
    await expect(page).toHaveURL(/\/questions$/);
    await expect(page.getByRole('heading', { name: 'Questions', level: 1 })).toBeVisible();
    const tabs = page.getByRole('group', { name: 'Show questions' });
    await expect(tabs.getByRole('button', { name: /^Waiting on us/ })).toHaveAttribute(
      'aria-pressed',
      'true',
    );
    // Nothing waits on the firm yet: the empty state says so, and where the questions are.
    await expect(page.getByRole('heading', { name: 'Nothing is waiting on you' })).toBeVisible();
    await expect(page.getByRole('button', { name: /^See \d+ waiting on the client$/ })).toBeVisible();
    await shot(page, 'console-questions-empty.png', 'Questions');
    await tabs.getByRole('button', { name: /^Waiting on client/ }).click();
    await expect(page).toHaveURL(/\/questions\?status=open$/);
    for (const ref of refs) await expect(boardRows(page).filter({ hasText: refPattern(ref) })).toHaveCount(1);
    const first = boardRows(page).filter({ hasText: refPattern(refs[0]!) });
    await expect(first).toContainText(ownText);
    await expect(first).toContainText(ACME);
    await expect(first).toContainText(MARIA.name);
    await expect(first).toContainText('Waiting on client');
    await expectNoHorizontalOverflow(page);
    await shot(page, 'console-questions-board.png', 'Questions');

    // Search by reference.
    await page
      .getByRole('searchbox', { name: 'Search questions by words, payee or reference' })
      .fill(refs[1]!);
    await expect(page).toHaveURL(new RegExp(`[?&]q=${refs[1]}`));
    await expect(boardRows(page)).toHaveCount(1);
    await expect(boardRows(page)).toContainText(refs[1]!);
    await page.getByRole('button', { name: 'Clear filters' }).first().click();
    await expect(boardRows(page).filter({ hasText: refPattern(refs[0]!) })).toHaveCount(1);

    // One question, beside the board (and at its own address).
    await first.getByRole('button', { name: new RegExp(`^${refs[0]}: `) }).click();
    const drawer = page.getByRole('dialog', { name: `${refs[0]} · ${ACME}` });
    await expect(drawer).toBeVisible();
    await expect(page).toHaveURL(new RegExp(`/questions/${asked[0]!.id}\\?status=open$`));
    await expect(drawer.getByText(ownText).first()).toBeVisible();
    await expect(drawer.getByRole('region', { name: 'The transaction' })).toContainText('Posted to');
    const offered = drawer.getByRole('region', { name: 'Categories offered' }).getByRole('listitem');
    await expect(offered).toHaveCount(2);
    const thread = drawer.getByRole('list', { name: 'Conversation, oldest first' });
    await expect(thread.getByRole('listitem')).toHaveCount(1);

    // An internal note, then a message to Maria: the switch says which, the thread shows the difference.
    const composer = drawer.getByRole('form', { name: 'Write on this question' });
    await composer.getByRole('button', { name: 'Internal note' }).click();
    await composer
      .getByLabel('Internal note (only your firm sees it)')
      .fill('Looks like the espresso repair invoice from March.');
    await composer.getByRole('button', { name: 'Add note' }).click();
    await expect(thread.getByRole('listitem')).toHaveCount(2);
    const note = thread.getByRole('listitem').nth(1);
    await expect(note).toContainText('Internal note — the client never sees this');
    await composer.getByRole('button', { name: 'Message to client' }).click();
    await composer
      .getByLabel(`Message to ${MARIA.name}`)
      .fill('If you still have the receipt, a photo is perfect.');
    await composer.getByRole('button', { name: 'Send to Maria' }).click();
    await expect(thread.getByRole('listitem')).toHaveCount(3);
    await expect(thread.getByRole('listitem').nth(2)).toContainText('a photo is perfect');
    await expect(thread.getByRole('listitem').nth(2)).not.toContainText('Internal note');
    await drawer.locator('.p-drawer-content').evaluate((el) => el.scrollTo(0, 0));
    await shot(page, 'console-question-drawer.png', `${refs[0]} · ${ACME}`);
    await drawer.locator('.p-drawer-content').evaluate((el) => el.scrollTo(0, el.scrollHeight));
    await shot(page, 'console-question-thread.png', `${refs[0]} · ${ACME}`);

    // Resolve, then reopen.
    await drawer.getByRole('button', { name: 'Resolve' }).click();
    await expect(drawer.getByText('Resolved', { exact: true })).toBeVisible();
    await expect(composer.getByRole('button', { name: 'Message to client' })).toBeDisabled();
    await drawer.getByRole('button', { name: 'Reopen' }).click();
    await expect(drawer.getByText('Waiting on client', { exact: true })).toBeVisible();
    await expect(drawer.getByRole('button', { name: 'Resolve' })).toBeVisible();

    // Closing goes back to the board as it was; the address alone opens the question again.
    await page.keyboard.press('Escape');
    await expect(drawer).toBeHidden();
    await expect(page).toHaveURL(/\/questions\?status=open$/);
    await page.goto(`/questions/${asked[0]!.id}`);
    await expect(page.getByRole('dialog', { name: `${refs[0]} · ${ACME}` })).toBeVisible();

    // Maria answers the second one in the portal: a category she was offered, words and a receipt.
    const second = asked[1]!;
    const { portal, csrf, businessId } = await mariaInPortal(playwright, request);
    try {
      const jpeg = await receiptJpeg(page);
      const upload = await json<{ id: string }>(
        await portal.post(`/api/v1/portal/businesses/${businessId}/questions/${second.id}/attachments`, {
          multipart: { file: { name: 'receipt.jpg', mimeType: 'image/jpeg', buffer: jpeg } },
          headers: { 'X-CSRF-Token': csrf },
        }),
        201,
      );
      await json(
        await portal.post(`/api/v1/portal/businesses/${businessId}/questions/${second.id}/answer`, {
          data: {
            body: 'Coffee and pastries for the team meeting.',
            categoryId: offer[0]!.id,
            attachmentIds: [upload.id],
          },
          headers: { 'X-CSRF-Token': csrf },
        }),
        201,
      );
    } finally {
      await portal.dispose();
    }

    // Back in the console: waiting on us, in the sidebar's count and the default tab.
    await page.goto('/questions');
    await expect(nav.getByRole('link', { name: /^Questions\s*,\s*\d+ waiting on us$/ })).toBeVisible();
    const answered = boardRows(page).filter({ hasText: refPattern(second.reference) });
    await expect(answered).toHaveCount(1);
    await expect(answered).toContainText('Waiting on us');
    await expect(answered).toContainText('Client replied');
    await answered.getByRole('button', { name: new RegExp(`^${second.reference}: `) }).click();
    const answeredDrawer = page.getByRole('dialog', { name: `${second.reference} · ${ACME}` });
    await expect(answeredDrawer).toBeVisible();
    await expect(answeredDrawer.getByRole('region', { name: 'Categories offered' })).toContainText(
      new RegExp(`${escapeRegExp(offer[0]!.name)}\\s*Maria’s pick`),
    );
    const reply = answeredDrawer
      .getByRole('list', { name: 'Conversation, oldest first' })
      .getByRole('listitem')
      .nth(1);
    await expect(reply).toContainText(`${MARIA.name} · client`);
    await expect(reply).toContainText(`Picked ${offer[0]!.name}`);
    const file = reply.getByRole('link', { name: /receipt\.jpg/ });
    await expect(file).toBeVisible();
    const download = await page.request.get((await file.getAttribute('href'))!);
    expect(download.status()).toBe(200);
    expect(download.headers()['content-type']).toContain('image/jpeg');

    // Apply her pick to QuickBooks Online: pending, then applied.
    const apply = answeredDrawer.getByRole('region', { name: 'Apply to ledger' });
    await apply.getByRole('button', { name: `Apply ${offer[0]!.name} in QuickBooks Online` }).click();
    await expect(apply.getByRole('status')).toContainText(`Applied to QuickBooks Online: ${offer[0]!.name}`, {
      timeout: 30_000,
    });
    await answeredDrawer
      .getByRole('heading', { name: `${second.reference} · ${ACME}` })
      .scrollIntoViewIfNeeded();
    await shot(page, 'console-question-applied.png', `${second.reference} · ${ACME}`);
    await page.keyboard.press('Escape');
    await expect(answeredDrawer).toBeHidden();

    // The ledger took it: the transaction is posted to her pick, no longer uncategorized.
    const txn = await json<{ uncategorized: boolean; lines: Array<{ account: { id: string } | null }> }>(
      await page.request.get(`/api/v1/clients/${acme.id}/transactions/${second.transaction!.id}`),
    );
    expect(txn.uncategorized).toBe(false);
    expect(txn.lines.map((l) => l.account?.id)).toContain(offer[0]!.id);

    // A client's own Questions page: the board for Acme alone, and a question not about a transaction.
    // Its page says one question waits on the firm.
    await page.goto(`/clients/${acme.id}`);
    const questionsLink = page
      .getByRole('main')
      .getByRole('link', { name: /^Questions\s*,\s*1 waiting on us$/ });
    await expect(questionsLink).toBeVisible();
    await questionsLink.click();
    await expect(page).toHaveURL(new RegExp(`/clients/${acme.id}/questions$`));
    await expect(page.getByRole('heading', { name: 'Questions', level: 1 })).toBeVisible();
    await page.getByRole('group', { name: 'Show questions' }).getByRole('button', { name: /^All/ }).click();
    for (const ref of refs) await expect(boardRows(page).filter({ hasText: refPattern(ref) })).toHaveCount(1);
    await shot(page, 'console-client-questions.png', 'Questions');

    // Resolved from here: it leaves Maria's portal, and nothing waits on the firm any more.
    await boardRows(page)
      .filter({ hasText: refPattern(second.reference) })
      .getByRole('button', { name: new RegExp(`^${second.reference}: `) })
      .click();
    await expect(page).toHaveURL(new RegExp(`/clients/${acme.id}/questions/${second.id}\\?status=all$`));
    const fromClient = page.getByRole('dialog', { name: `${second.reference} · ${ACME}` });
    await fromClient.getByRole('button', { name: 'Resolve' }).click();
    await expect(fromClient.getByText('Resolved', { exact: true })).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(fromClient).toBeHidden();
    await expect(nav.getByRole('link', { name: 'Questions', exact: true })).toBeVisible();

    await page.getByRole('button', { name: 'Ask a question' }).first().click();
    const ask = page.getByRole('dialog', { name: `Ask ${ACME} a question` });
    await expect(ask).toBeVisible();
    await expect(ask.getByRole('combobox', { name: 'Ask', exact: true })).toContainText(MARIA.name);
    await ask
      .getByLabel('Question', { exact: true })
      .fill('Can you send the March statement for the business card?');
    await shot(page, 'console-ask-question.png', 'Questions');
    await ask.getByRole('button', { name: 'Ask', exact: true }).click();
    await expect(ask).toBeHidden();
    const otherDrawer = page.getByRole('dialog', { name: /^Q-\d+ · Acme Coffee Roasters$/ });
    await expect(otherDrawer).toBeVisible();
    await expect(otherDrawer).toContainText('Other question');
    await expect(otherDrawer.getByRole('region', { name: 'Apply to ledger' })).toHaveCount(0);
    const otherId = /\/questions\/([0-9a-f-]{36})/.exec(page.url())?.[1];
    expect(otherId, 'the new question is open at its own address').toBeTruthy();
    askedHere.add(otherId!);
  });

  test('from the explorer: one transaction asked from its drawer; one asked meanwhile is named and left out', async ({
    page,
    request,
  }) => {
    await page.setViewportSize({ width: 1280, height: 900 });
    page.on('response', async (r) => {
      if (
        r.request().method() !== 'POST' ||
        r.status() !== 201 ||
        !/\/clients\/[^/]+\/questions(\/bulk)?$/.test(r.url())
      )
        return;
      const body = (await r.json()) as { id?: string; items?: Array<{ id: string }> };
      for (const q of body.items ?? [body as { id: string }]) askedHere.add(q.id);
    });
    await signIn(page, BEN.email, DEMO_PASSWORD);
    await page.goto(`/clients/${acme.id}/transactions?flag=uncategorized`);
    const boxes = page
      .getByRole('region', { name: 'Transaction list' })
      .getByRole('checkbox', { name: /^Select (?!every)/ });
    await expect(boxes.first()).toBeVisible();

    // "Ask about this transaction" in the drawer of a row nobody has asked about yet.
    const label = (await boxes.first().getAttribute('aria-label'))!.replace(/^Select /, '');
    const row = explorerRows(page).filter({
      has: page.getByRole('checkbox', { name: `Select ${label}`, exact: true }),
    });
    await row.getByRole('button', { name: label.split(', ')[0], exact: true }).click();
    const txnDrawer = page.getByRole('dialog').filter({ has: page.getByRole('heading', { name: 'Lines' }) });
    await expect(txnDrawer).toBeVisible();
    await txnDrawer.getByRole('button', { name: 'Ask about this transaction' }).click();
    const ask = page.getByRole('dialog', { name: 'Ask about this transaction' });
    await expect(ask.getByLabel('Question', { exact: true })).toHaveValue('What was this for?');
    await expect(ask.getByRole('combobox', { name: /^Categories to offer/ })).toBeVisible();
    await ask.getByRole('button', { name: 'Ask', exact: true }).click();
    await expect(ask).toBeHidden();
    await expect(txnDrawer.getByRole('link', { name: /^Open Q-\d+$/ })).toBeVisible();
    await expect(txnDrawer).toContainText('Asked · Waiting on client');
    await shot(page, 'console-transaction-drawer-asked.png', 'Transactions');
    await page.keyboard.press('Escape');
    await expect(txnDrawer).toBeHidden();
    // The explorer has read the page again: that row has its badge, and is no longer the first to tick.
    await expect(boxes.first()).not.toHaveAttribute('aria-label', `Select ${label}`);

    // Two ticked; someone asks about the second meanwhile; asking both names it, and it can be left out.
    const csrf = await apiSignIn(request, BEN.email, DEMO_PASSWORD);
    const { items } = await json<{ items: Array<{ id: string; question: unknown }> }>(
      await request.get(`/api/v1/clients/${acme.id}/transactions`, {
        params: { flag: 'uncategorized', limit: 50 },
      }),
    );
    const unasked = items.filter((t) => !t.question);
    await expect(boxes.nth(1)).toBeVisible();
    await boxes.nth(0).check();
    await boxes.nth(1).check();
    const meanwhile = await request.post(`/api/v1/clients/${acme.id}/questions`, {
      data: { kind: 'transaction', transactionId: unasked[1]!.id, text: 'Asked from elsewhere meanwhile' },
      headers: { 'X-CSRF-Token': csrf },
    });
    const other = await json<{ id: string; reference: string }>(meanwhile, 201);
    askedHere.add(other.id);

    await page
      .getByRole('region', { name: 'Selected transactions' })
      .getByRole('button', { name: 'Ask client (2)' })
      .click();
    const bulk = page.getByRole('dialog', { name: `Ask ${ACME} about 2 transactions` });
    await bulk.getByRole('button', { name: 'Ask about 2 transactions' }).click();
    await expect(bulk.getByRole('alert')).toContainText(
      'One of these transactions already has a question, so nothing was asked.',
    );
    await expect(bulk.getByRole('note')).toContainText(`Already asked as ${other.reference}`);
    await shot(page, 'console-questions-bulk-duplicate.png', 'Transactions');
    await bulk.getByRole('button', { name: 'Leave it out' }).click();
    const single = page.getByRole('dialog', { name: `Ask ${ACME} about 1 transaction` });
    await expect(single).toBeVisible();
    await single.getByRole('button', { name: 'Ask about 1 transaction' }).click();
    await expect(single).toBeHidden();
    await expect(page.getByRole('status').filter({ hasText: `Asked ${MARIA.name} Q-` })).toBeVisible();
    await expect(page.getByRole('link', { name: `${other.reference}, Waiting on client` })).toBeVisible();
  });

  test('Ben (staff, not an admin) can hand a question to a teammate: the firm’s admin is offered', async ({
    page,
  }) => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await signIn(page, BEN.email, DEMO_PASSWORD);
    await page.goto(`/clients/${acme.id}/questions`);
    await expect(page.getByRole('heading', { name: 'Questions', level: 1 })).toBeVisible();
    const [team] = await Promise.all([
      page.waitForResponse((r) => r.url().includes('/api/v1/team/assignable?clientId=')),
      page.getByRole('button', { name: 'Ask a question' }).first().click(),
    ]);
    expect(team.status()).toBe(200);
    const ask = page.getByRole('dialog', { name: `Ask ${ACME} a question` });
    await expect(ask).toBeVisible();
    const followUp = ask.getByRole('combobox', { name: 'Follow-up by' });
    await expect(followUp).toContainText(`${BEN.name} (you)`);
    await followUp.click();
    const people = page.getByRole('listbox').getByRole('option');
    await expect(people.first()).toHaveText(`${BEN.name} (you)`);
    await expect(people.filter({ hasText: 'Olivia Owner' })).toHaveCount(1);
    await shot(page, 'console-ask-assignee-staff.png', 'Questions'); // the page's heading, behind the dialog
    await people.filter({ hasText: 'Olivia Owner' }).click();
    await expect(followUp).toContainText('Olivia Owner');
    await ask.getByRole('button', { name: 'Cancel' }).click();
    await expect(ask).toBeHidden();
  });

  test('the board and a question fit a tablet', async ({ page, request }) => {
    // Something to show: one question of this file, asked through the API if the journey above didn't.
    const csrf = await apiSignIn(request, BEN.email, DEMO_PASSWORD);
    if (!askedHere.size) {
      const res = await request.post(`/api/v1/clients/${acme.id}/questions`, {
        data: { kind: 'other', text: 'Can you send the lease agreement?' },
        headers: { 'X-CSRF-Token': csrf },
      });
      askedHere.add((await json<{ id: string }>(res, 201)).id);
    }
    await page.setViewportSize({ width: 820, height: 1180 });
    await signIn(page, BEN.email, DEMO_PASSWORD);
    await page.goto('/questions?status=all');
    await expect(boardRows(page).first()).toBeVisible();
    await expectNoHorizontalOverflow(page);
    await shot(page, 'console-questions-board-tablet.png', 'Questions');
    await boardRows(page).first().getByRole('button').first().click();
    const drawer = page.getByRole('dialog', { name: /^Q-\d+ · / });
    await expect(drawer).toBeVisible();
    await expect(drawer.getByRole('form', { name: 'Write on this question' })).toBeVisible();
    await shot(page, 'console-question-drawer-tablet.png', /^Q-\d+ · /);
  });
});

import path from 'node:path';
import {
  expect,
  test,
  type APIRequestContext,
  type Browser,
  type Locator,
  type Page,
} from '@playwright/test';
import {
  apiSignIn,
  clientConnection,
  continueWithLink,
  DEMO_PASSWORD,
  disconnectLedgerByApi,
  ensureLedgerSynced,
  expectNoHorizontalOverflow,
  inviteContact,
  lastEmailLink,
  clearEmails,
  linkInEmail,
  NORTHWIND_OWNER,
  northwindClient,
  portalSession,
  questionDigestsTo,
  receiptJpeg,
  sandboxGet,
  SCREENSHOTS,
  shot,
  signIn,
  signInToPortalByLink,
  waitForQuestionDigests,
  type E2EClient,
  type LedgerProviderName,
  escapeRegExp,
  offerCategories,
} from './helpers';

/**
 * The whole questions loop, as the issue words it, once for QuickBooks Online (Acme Coffee Roasters)
 * and once for Xero (Birch Dental Studio), every step in the browser:
 *
 *   the bookkeeper bulk-asks about three uncategorized transactions from the explorer → the client's
 *   contact receives ONE digest email → signs in through its link → answers one with a category and
 *   a receipt photo, hands another to a teammate → the teammate sees it after switching business →
 *   the bookkeeper applies the picked category → the sandbox's company shows the new account on that
 *   transaction → the bookkeeper resolves it and it leaves the contact's portal.
 *   Questions for Us ("Ask your bookkeeper") appears only once the firm turns it on in the console.
 *
 * Acme: Ben asks Maria (phone), who hands one to Pat (laptop, starts at Birch, switches to Acme).
 * Birch: the owner asks Pat (laptop), who hands one to Robin (phone), a contact invited here to Birch
 * and Cedar Yoga Collective (the demo has nobody else at Birch), who starts at Cedar and switches.
 *
 * The e2e server sends question emails on a short clock (tools/e2e-server.mjs: digest after 20 s of
 * quiet, a tick every 2 s), so the digest is waited for in the mail catcher. Only mail received after
 * the test started counts: other journeys may have emailed these people before. A digest's link
 * makes older sign-in links stop working, so the teammate signs in before anything is asked.
 *
 * Ledgers are connected (and synced) here if they are not already and disconnected again at the end;
 * every question of Acme and Birch is resolved after each test, Questions for Us is off again, and
 * Robin is deactivated at the end, so later journeys find the demo people as seeded.
 */

const BEN = { email: 'ben@northwind.test', name: 'Ben Ortiz' };
const OLIVIA = { email: NORTHWIND_OWNER, name: 'Olivia Owner' };
const MARIA = { email: 'maria@acme.test', name: 'Maria Lopez', first: 'Maria' };
const PAT = { email: 'pat@birch.test', name: 'Pat Kim', first: 'Pat' };
const ACME = 'Acme Coffee Roasters';
const BIRCH = 'Birch Dental Studio';
const CEDAR = 'Cedar Yoga Collective';
const PHONE = { width: 390, height: 844 };
const LAPTOP = { width: 1280, height: 900 };

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
  transaction: { id: string | null; payee: string | null } | null;
}
interface TxnDetail {
  id: string;
  providerId: string;
  amount: string;
  lines: Array<{ id: string | null; account: { id: string; name: string } | null }>;
}
interface Person {
  email: string;
  name: string;
  first: string;
}

/** One run of the loop: who asks whom about which client, and how the teammate gets to the portal. */
interface Loop {
  tag: LedgerProviderName;
  client: () => E2EClient;
  ledger: 'QuickBooks Online' | 'Xero';
  bookkeeper: { email: string; name: string };
  contact: Person;
  contactViewport: { width: number; height: number };
  teammate: () => Person;
  teammateViewport: { width: number; height: number };
  /** The teammate's other business, where they start before switching. */
  teammateStartsAt: string;
  /** Signs the teammate in; leaves the page on the home of `teammateStartsAt`. */
  teammateSignsIn: (page: Page) => Promise<void>;
}

/** A reference in a text, not the start of a longer one (Q-1, not Q-12). */
function refPattern(reference: string): RegExp {
  return new RegExp(`${escapeRegExp(reference)}(?!\\d)`);
}

async function json<T>(res: Awaited<ReturnType<APIRequestContext['get']>>, status = 200): Promise<T> {
  expect(res.status(), await res.text()).toBe(status);
  return (await res.json()) as T;
}

async function picture(page: Page, file: string): Promise<void> {
  await page.screenshot({ path: path.join(SCREENSHOTS, file), animations: 'disabled' });
}

/** Data rows of the console's question board. */
function boardRows(page: Page): Locator {
  return page
    .getByRole('region', { name: 'Questions' })
    .getByRole('row')
    .filter({ has: page.getByRole('cell') });
}

/** The portal's link to a question (its list item ends with the reference). */
function portalQuestion(page: Page, section: string, reference: string): Locator {
  return page
    .getByRole('region', { name: section })
    .getByRole('link')
    .filter({ hasText: refPattern(reference) });
}

/** Resolves every unresolved question of the client as the owner (clean-up). */
async function resolveAll(request: APIRequestContext, client: E2EClient): Promise<void> {
  const csrf = await apiSignIn(request, OLIVIA.email, DEMO_PASSWORD);
  const open = await json<{ items: Array<{ id: string }> }>(
    await request.get('/api/v1/questions', {
      params: { clientId: client.id, status: 'unresolved', limit: 100 },
    }),
  );
  for (const q of open.items) {
    const res = await request.post(`/api/v1/questions/${q.id}/resolve`, {
      headers: { 'X-CSRF-Token': csrf },
    });
    expect([200, 201, 409], await res.text()).toContain(res.status());
  }
}

async function setQuestionsForUs(request: APIRequestContext, client: E2EClient, on: boolean): Promise<void> {
  const csrf = await apiSignIn(request, OLIVIA.email, DEMO_PASSWORD);
  const res = await request.patch(`/api/v1/clients/${client.id}`, {
    data: { questionsForUs: on },
    headers: { 'X-CSRF-Token': csrf },
  });
  expect(res.status(), await res.text()).toBe(200);
}

/**
 * Whether the category could be written to the ledger (the worker's rule, lineToChange): one line
 * on a "needs review" account, or no such line and only one line.
 */
function applicable(txn: TxnDetail, needsReview: Set<string>): boolean {
  const withAccount = txn.lines.filter((l) => l.account);
  const review = withAccount.filter((l) => needsReview.has(l.account!.id));
  return review.length === 1 || (review.length === 0 && withAccount.length === 1);
}

/**
 * The loop, with the bookkeeper in `page` and the contact and the teammate each in a browser of
 * their own. The teammate signs in first, looking at their other business: a question email issues
 * a sign-in link, and a newer link makes the older ones stop working, so nobody asks for a link
 * while one of these emails may be on its way.
 */
async function runLoop(loop: Loop, page: Page, request: APIRequestContext, browser: Browser): Promise<void> {
  const contactContext = await browser.newContext({ viewport: loop.contactViewport, locale: 'en-US' });
  const mateContext = await browser.newContext({ viewport: loop.teammateViewport, locale: 'en-US' });
  try {
    const mate = await mateContext.newPage();
    await loop.teammateSignsIn(mate);
    await expect(
      mate
        .getByRole('banner')
        .getByRole('button', { name: `Business: ${loop.teammateStartsAt}. Switch business` }),
    ).toBeVisible();
    await loopSteps(loop, page, request, await contactContext.newPage(), mate);
  } finally {
    await contactContext.close();
    await mateContext.close();
  }
}

async function loopSteps(
  loop: Loop,
  page: Page,
  request: APIRequestContext,
  them: Page,
  mate: Page,
): Promise<void> {
  const started = new Date();
  const client = loop.client();
  const contact = loop.contact;
  const teammate = loop.teammate();
  const shotName = (step: string) => `questions-loop-${loop.tag}-${step}.png`;

  // Two categories of the client's chart to offer: active, not themselves "needs review", and not
  // the start of another account's name (the option is found by its name).
  await apiSignIn(request, loop.bookkeeper.email, DEMO_PASSWORD);
  const chart = await json<{ items: Account[] }>(
    await request.get(`/api/v1/clients/${client.id}/review-accounts`),
  );
  const needsReview = new Set(chart.items.filter((a) => a.needsReview).map((a) => a.id));
  const usable = chart.items
    .filter((a) => a.active && !a.needsReview)
    .filter((a, _, all) => !all.some((b) => b !== a && b.name.startsWith(a.name)));
  const expenses = usable.filter((a) => /expense/i.test(a.type));
  const offer = (expenses.length >= 2 ? expenses : usable).slice(0, 2);
  expect(offer, 'two categories to offer').toHaveLength(2);
  const pick = offer[0]!;

  // ---- 1. The bookkeeper bulk-asks about three uncategorized transactions from the explorer.
  await page.setViewportSize(LAPTOP);
  await signIn(page, loop.bookkeeper.email, DEMO_PASSWORD);
  await page.goto(`/clients/${client.id}/transactions?flag=uncategorized`);
  await expect(page.getByRole('heading', { name: 'Transactions', level: 1 })).toBeVisible();
  const boxes = page
    .getByRole('region', { name: 'Transaction list' })
    .getByRole('checkbox', { name: /^Select (?!every)/ });
  await expect(boxes.nth(2)).toBeVisible();
  for (let i = 0; i < 3; i++) await boxes.nth(i).check();
  const bar = page.getByRole('region', { name: 'Selected transactions' });
  await expect(bar).toContainText('3 selected');
  await bar.getByRole('button', { name: 'Ask client (3)' }).click();
  const dialog = page.getByRole('dialog', { name: `Ask ${client.name} about 3 transactions` });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('listitem')).toHaveCount(3);
  await expect(dialog.getByRole('combobox', { name: 'Ask', exact: true })).toContainText(contact.name);
  await offerCategories(page, dialog, offer);
  await shot(page, shotName('1-bulk-ask'), 'Transactions');
  const [answer] = await Promise.all([
    page.waitForResponse(
      (r) => r.url().endsWith(`/clients/${client.id}/questions/bulk`) && r.request().method() === 'POST',
    ),
    dialog.getByRole('button', { name: 'Ask about 3 transactions' }).click(),
  ]);
  expect(answer.status()).toBe(201);
  const asked = ((await answer.json()) as { items: AskedQuestion[] }).items;
  expect(asked).toHaveLength(3);
  await expect(dialog).toBeHidden();
  await expect(
    page.getByRole('status').filter({ hasText: `Asked ${contact.name} 3 questions` }),
  ).toBeVisible();
  const refs = asked.map((q) => q.reference);

  // Which one gets answered (its category must be writable to the ledger) and which handed over.
  const details = new Map<string, TxnDetail>();
  for (const q of asked) {
    details.set(
      q.id,
      await json<TxnDetail>(
        await request.get(`/api/v1/clients/${client.id}/transactions/${q.transaction!.id}`),
      ),
    );
  }
  const writable = asked.filter((q) => applicable(details.get(q.id)!, needsReview));
  expect(writable.length, 'an asked transaction whose category can be applied').toBeGreaterThan(0);
  const answered = writable.find((q) => details.get(q.id)!.amount.trim().startsWith('-')) ?? writable[0]!;
  const handed = asked.find((q) => q !== answered)!;
  const left = asked.find((q) => q !== answered && q !== handed)!;

  // ---- 2. The contact receives ONE digest for the three.
  const digests = await waitForQuestionDigests(request, contact.email, client.name, started);
  expect(digests, `question digests to ${contact.email} since the test started`).toHaveLength(1);
  const digest = digests[0]!;
  expect(digest.subject).toMatch(new RegExp(`has 3 questions about ${escapeRegExp(client.name)}$`));
  // One line per question: "Q-7 · Office Depot · -$103.40 · Nov 12, 2026: What was this for?".
  for (const q of asked) {
    expect(digest.text).toMatch(
      new RegExp(`${escapeRegExp(q.reference)} · ${escapeRegExp(q.transaction!.payee ?? '')}`),
    );
  }
  const link = linkInEmail(digest, '/sign-in-link');
  expect(new URL(link, 'http://x').searchParams.get('next')).toBe('questions');

  // ---- 3. …and signs in through its link, in a browser of their own.
  await them.setContent(digest.html);
  await picture(them, shotName('2-digest-email'));
  await them.goto(link);
  await them.getByRole('button', { name: `Continue to ${client.name}` }).click();
  await expect(them).toHaveURL(/\/portal\/northwind\/questions$/);
  await expect(them.getByRole('heading', { name: 'Questions', level: 1 })).toBeVisible();
  for (const ref of refs) await expect(portalQuestion(them, 'Needs your answer', ref)).toHaveCount(1);
  // Questions for Us is off for this client: no way to ask the bookkeeper.
  await expect(them.getByRole('button', { name: 'Ask your bookkeeper' })).toHaveCount(0);
  await expectNoHorizontalOverflow(them);
  await shot(them, shotName('3-portal-questions'), 'Questions');

  // ---- 4. Answers one with a category and a receipt photo.
  await portalQuestion(them, 'Needs your answer', answered.reference).click();
  await expect(them.getByRole('heading', { level: 1 })).toBeVisible();
  const form = them.getByRole('region', { name: 'Your answer' });
  await form.getByRole('radio', { name: pick.name, exact: true }).check();
  await form.getByLabel('Anything to add?').fill('Supplies for the front desk; the receipt is attached.');
  await form.getByLabel('Add a receipt').setInputFiles({
    name: 'receipt.jpg',
    mimeType: 'image/jpeg',
    buffer: await receiptJpeg(them),
  });
  const receipts = form.getByRole('list', { name: 'Receipts' });
  await expect(receipts.getByRole('listitem').filter({ hasText: 'receipt.jpg' })).toContainText(
    'Ready to send',
  );
  await form.evaluate((el) => el.scrollIntoView({ block: 'end' }));
  await shot(them, shotName('4-portal-answer'), 'Your answer');
  await form.getByRole('button', { name: 'Send answer' }).click();
  const sent = them.getByTestId('answer-sent');
  await expect(sent.getByRole('heading', { name: 'Answer sent. Thank you!' })).toBeFocused();
  const thread = them.getByRole('region', { name: 'Conversation' });
  await expect(thread).toContainText(`Category: ${pick.name}`);
  await expect(thread.getByRole('link', { name: /^Download receipt\.jpg/ })).toBeVisible();
  await expectNoHorizontalOverflow(them);

  // ---- 5. …and hands another to a teammate.
  await sent.getByRole('link', { name: 'All questions' }).click();
  await expect(portalQuestion(them, 'Waiting on your bookkeeper', answered.reference)).toContainText(
    pick.name,
  );
  await portalQuestion(them, 'Needs your answer', handed.reference).click();
  const handOver = them.getByRole('region', { name: 'Not the right person?' });
  await handOver.getByRole('button', { name: 'Hand to someone else' }).click();
  await handOver.getByRole('radio', { name: teammate.name, exact: true }).check();
  await handOver.getByRole('button', { name: `Hand to ${teammate.name}` }).click();
  const confirm = them.getByRole('alertdialog', { name: `Hand this question to ${teammate.name}?` });
  await confirm.getByRole('button', { name: 'Hand it over' }).click();
  await expect(confirm).toBeHidden();
  await expect(
    them.getByRole('status').filter({ hasText: `${teammate.name} has this question now` }),
  ).toBeVisible();
  await expect(them.getByRole('heading', { name: `With ${teammate.name}`, level: 2 })).toBeVisible();
  await shot(them, shotName('5-portal-handed'), `With ${teammate.name}`);

  // ---- 6. The teammate sees it after switching to this business.
  // (signed in before the questions were asked, looking at their other business)
  await mate.reload();
  const banner = mate.getByRole('banner');
  await banner.getByRole('button', { name: `Business: ${loop.teammateStartsAt}. Switch business` }).click();
  await mate
    .getByRole('menu', { name: 'Switch to another business' })
    .getByRole('menuitem', { name: `${client.name}, 1 open item` })
    .click();
  await expect(
    mate.getByRole('status').filter({ hasText: `You’re now viewing ${client.name}` }),
  ).toBeVisible();
  await banner.getByRole('link', { name: 'Questions, 1 needs your answer' }).click();
  await expect(mate.getByRole('heading', { name: 'Questions', level: 1 })).toBeVisible();
  const theirs = portalQuestion(mate, 'Needs your answer', handed.reference);
  await expect(theirs).toBeVisible();
  await expect(theirs).toContainText(`Asked by ${loop.bookkeeper.name.split(' ')[0]}`);
  await expectNoHorizontalOverflow(mate);
  await shot(mate, shotName('6-teammate-switched'), 'Needs your answer');

  // ---- 7. The bookkeeper opens the answer, accepts the category and applies it.
  await page.goto('/questions');
  await expect(page.getByRole('heading', { name: 'Questions', level: 1 })).toBeVisible();
  const row = boardRows(page).filter({ hasText: refPattern(answered.reference) });
  await expect(row).toContainText('Waiting on us');
  await row.getByRole('button', { name: new RegExp(`^${answered.reference}: `) }).click();
  const drawer = page.getByRole('dialog', { name: `${answered.reference} · ${client.name}` });
  await expect(drawer).toBeVisible();
  await expect(drawer.getByRole('region', { name: 'Categories offered' })).toContainText(
    new RegExp(`${escapeRegExp(pick.name)}\\s*${contact.first}’s pick`),
  );
  const reply = drawer
    .getByRole('list', { name: 'Conversation, oldest first' })
    .getByRole('listitem')
    .filter({ hasText: `${contact.name} · client` });
  await expect(reply).toContainText(`Picked ${pick.name}`);
  await expect(reply.getByRole('link', { name: /receipt\.jpg/ })).toBeVisible();
  const apply = drawer.getByRole('region', { name: 'Apply to ledger' });
  await apply.getByRole('button', { name: `Apply ${pick.name} in ${loop.ledger}` }).click();
  await expect(apply.getByRole('status')).toContainText(`Applied to ${loop.ledger}: ${pick.name}`, {
    timeout: 30_000,
  });
  await shot(page, shotName('7-console-applied'), `${answered.reference} · ${client.name}`);

  // ---- 8. The sandbox's company shows the new account on that transaction.
  const connection = await clientConnection(request, client.id);
  expect(connection?.provider).toBe(loop.tag);
  const txn = details.get(answered.id)!;
  const inLedger = await sandboxGet<{ id: string; lines: Array<{ accountId: string }> }>(
    request,
    `/companies/${connection!.externalId}/transactions/${txn.providerId}`,
  );
  expect(inLedger.id).toBe(txn.providerId);
  const { accounts } = await sandboxGet<{ accounts: Array<{ id: string; code: string; name: string }> }>(
    request,
    `/companies/${connection!.externalId}/accounts`,
  );
  const lineAccounts = inLedger.lines.map((l) => accounts.find((a) => a.id === l.accountId));
  expect(
    lineAccounts.map((a) => a?.name),
    `the lines of ${loop.ledger} transaction ${txn.providerId}`,
  ).toContain(pick.name);
  expect(inLedger.lines.map((l) => l.accountId)).toContain(pick.id);
  expect(
    lineAccounts.some((a) => a && needsReview.has(a.id)),
    'no line left on a review account',
  ).toBe(false);

  // ---- 9. The bookkeeper resolves it, and it leaves the contact's portal.
  await drawer.getByRole('button', { name: 'Resolve' }).click();
  await expect(drawer.getByText('Resolved', { exact: true })).toBeVisible();
  await them.goto('/portal/northwind/questions');
  await expect(them.getByRole('heading', { name: 'Questions', level: 1 })).toBeVisible();
  await expect(portalQuestion(them, 'Needs your answer', left.reference)).toHaveCount(1);
  await expect(portalQuestion(them, 'With others on your team', handed.reference)).toHaveCount(1);
  await expect(them.getByRole('link').filter({ hasText: refPattern(answered.reference) })).toHaveCount(0);
  await them.goto(`/portal/northwind/questions/${answered.id}`);
  await expect(
    them.getByRole('heading', { name: 'Your bookkeeper has closed this question.', level: 1 }),
  ).toBeVisible();
  await shot(them, shotName('8-portal-closed'), 'Your bookkeeper has closed this question.');

  // Still ONE digest to the contact, many ticks later.
  expect(await questionDigestsTo(request, contact.email, client.name, started)).toHaveLength(1);

  // ---- 10. Questions for Us: the firm turns it on in the console, and only then can they ask.
  await page.keyboard.press('Escape');
  await expect(drawer).toBeHidden();
  await page.goto(`/clients/${client.id}`);
  const toggle = page.getByRole('switch', { name: 'Questions for Us' });
  await expect(toggle).not.toBeChecked();
  await toggle.click();
  await expect(page.getByText('Questions for Us turned on')).toBeVisible();
  await expect(toggle).toBeChecked();
  await them.goto('/portal/northwind/questions');
  await expect(them.getByRole('button', { name: 'Ask your bookkeeper' })).toBeVisible();
  await shot(them, shotName('9-questions-for-us'), 'Questions');
}

test.describe('the questions loop', () => {
  let acme: E2EClient;
  let birch: E2EClient;
  let cedar: E2EClient;
  const connectedHere: E2EClient[] = [];
  let robin: Person & { contactIds: Array<[E2EClient, string]>; cedarLink: string };

  test.beforeAll(async ({ request }) => {
    // Connecting and first-syncing two ledgers can take most of a minute each.
    test.setTimeout(240_000);
    acme = await northwindClient(request, ACME);
    birch = await northwindClient(request, BIRCH);
    cedar = await northwindClient(request, CEDAR);
    await apiSignIn(request, OLIVIA.email, DEMO_PASSWORD);
    if (await ensureLedgerSynced(request, acme.id, 'qbo', ACME)) connectedHere.push(acme);
    if (await ensureLedgerSynced(request, birch.id, 'xero', BIRCH)) connectedHere.push(birch);
    for (const c of [acme, birch]) {
      await resolveAll(request, c);
      await setQuestionsForUs(request, c, false);
    }

    // Birch's second portal user (the demo has only Pat there), also at Cedar, where they start.
    const invited = await inviteContact(request, birch, { first: 'Robin' });
    const csrf = await apiSignIn(request, OLIVIA.email, DEMO_PASSWORD);
    const atCedar = await request.post(`/api/v1/clients/${cedar.id}/contacts`, {
      data: { name: invited.name, email: invited.email, role: 'member' },
      headers: { 'X-CSRF-Token': csrf },
    });
    const cedarContact = await json<{ id: string }>(atCedar, 201);
    const cedarLink = await lastEmailLink(request, invited.email, {
      subject: new RegExp(`your client portal for ${CEDAR}`),
    });
    await clearEmails(request, invited.email);
    robin = {
      email: invited.email,
      name: invited.name,
      first: invited.firstName,
      contactIds: [
        [birch, invited.id],
        [cedar, cedarContact.id],
      ],
      cedarLink,
    };
  });

  test.afterEach(async ({ request }) => {
    for (const c of [acme, birch]) {
      await resolveAll(request, c);
      await setQuestionsForUs(request, c, false);
    }
  });

  test.afterAll(async ({ request }) => {
    if (robin) {
      const csrf = await apiSignIn(request, OLIVIA.email, DEMO_PASSWORD);
      for (const [c, id] of robin.contactIds) {
        const res = await request.post(`/api/v1/clients/${c.id}/contacts/${id}/deactivate`, {
          headers: { 'X-CSRF-Token': csrf },
        });
        expect(res.status(), await res.text()).toBe(200);
      }
    }
    for (const c of connectedHere) await disconnectLedgerByApi(request, c.id);
  });

  test('QuickBooks Online: Ben asks Maria about three, she answers one and hands one to Pat; Ben applies it', async ({
    page,
    request,
    browser,
  }) => {
    // Three people in three browsers, a digest that waits 20 s of quiet on the worker's clock, and a
    // write-back to the ledger: about a minute and a quarter, so room for a slow machine.
    test.setTimeout(150_000);
    await runLoop(
      {
        tag: 'qbo',
        client: () => acme,
        ledger: 'QuickBooks Online',
        bookkeeper: BEN,
        contact: MARIA,
        contactViewport: PHONE,
        teammate: () => PAT,
        teammateViewport: LAPTOP,
        teammateStartsAt: BIRCH,
        teammateSignsIn: async (pat) => {
          await signInToPortalByLink(pat, PAT.email, /^Continue to /, PAT.first);
          // Pat looks at Birch first (wherever the last journey left Pat).
          const session = await portalSession(pat);
          const put = await pat.request.put('/api/v1/portal/auth/session/business', {
            data: { businessId: birch.id },
            headers: { 'X-CSRF-Token': session.csrfToken },
          });
          expect(put.status(), await put.text()).toBe(200);
          await pat.reload();
        },
      },
      page,
      request,
      browser,
    );
  });

  test('Xero: the owner asks Pat about three, Pat answers one and hands one to Robin; the owner applies it', async ({
    page,
    request,
    browser,
  }) => {
    // Three people in three browsers, a digest that waits 20 s of quiet on the worker's clock, and a
    // write-back to the ledger: about a minute and a quarter, so room for a slow machine.
    test.setTimeout(150_000);
    await runLoop(
      {
        tag: 'xero',
        client: () => birch,
        ledger: 'Xero',
        bookkeeper: OLIVIA,
        contact: PAT,
        contactViewport: LAPTOP,
        teammate: () => robin,
        teammateViewport: PHONE,
        teammateStartsAt: CEDAR,
        teammateSignsIn: (page) => continueWithLink(page, robin.cedarLink, CEDAR, robin.first),
      },
      page,
      request,
      browser,
    );
  });
});

import { expect, test, type APIRequestContext, type Browser, type Page } from '@playwright/test';
import {
  apiSignIn,
  DEMO_PASSWORD,
  disconnectLedgerByApi,
  ensureLedgerSynced,
  expectNoHorizontalOverflow,
  northwindClient,
  portalSession,
  receiptJpeg,
  shot,
  signInToPortalByLink,
  type E2EClient,
} from './helpers';

/**
 * Questions in the client portal (Q1, Q3–Q7): the bookkeeper asks Acme Coffee Roasters about
 * uncategorized transactions through the firm's API; Maria sees the count on her home and in the
 * header, answers one with a category, words and a receipt photo (a text file dressed up as a JPEG is
 * refused), hands another to Pat, asks the firm something herself; Pat, at Acme as well as Birch,
 * finds the handed question under "Needs your answer". Once at phone size and once at laptop size.
 *
 * Acme's ledger is connected (and synced) here if it is not already, and disconnected again at the
 * end; every question asked here is resolved after each journey, so Maria and Pat end with nothing
 * open (other journeys count on Pat's "nothing open").
 */

const BEN = 'ben@northwind.test';
const ACME = 'Acme Coffee Roasters';
const MARIA = { email: 'maria@acme.test', name: 'Maria Lopez' };
const PAT = { email: 'pat@birch.test', name: 'Pat Kim' };
const ATTACHMENTS_PATH = '/api/v1/portal/businesses/{businessId}/questions/{questionId}/attachments';

const SIZES = [
  { label: 'phone', viewport: { width: 375, height: 812 } },
  { label: 'laptop', viewport: { width: 1280, height: 860 } },
] as const;

interface Txn {
  id: string;
  date: string;
  amount: string;
  currency: string | null;
  payee: { id: string; name: string } | null;
}
interface Asked {
  id: string;
  reference: string;
  text: string;
  txn: Txn;
}

test.use({ locale: 'en-US' });

/** "−$42.50" / "+$1,250.00", as the portal writes an amount (money out negative, a true minus sign). */
function signedMoney(amount: string, currency: string | null): string {
  const negative = amount.trim().startsWith('-');
  const digits = amount.trim().replace(/^[-+]/, '');
  const plain = new Intl.NumberFormat(
    'en-US',
    currency ? { style: 'currency', currency } : { minimumFractionDigits: 2, maximumFractionDigits: 2 },
  ).format(digits as unknown as number);
  return `${negative ? '−' : '+'}${plain}`;
}

/** "Nov 2, 2026": a calendar day as the portal writes it in en-US. */
function dayWords(day: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Intl.DateTimeFormat('en-US', { day: 'numeric', month: 'short', year: 'numeric' }).format(
    new Date(y, m - 1, d),
  );
}

/** A day `offset` days from today, as the API takes it (YYYY-MM-DD, local). */
function isoDay(offset: number): string {
  const d = new Date();
  d.setDate(d.getDate() + offset);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

async function json<T>(
  res: { status(): number; text(): Promise<string>; json(): Promise<unknown> },
  status = 200,
) {
  expect(res.status(), await res.text()).toBe(status);
  return (await res.json()) as T;
}

/** Everything the firm needs to ask Acme's people: offered categories and uncategorized transactions. */
interface AcmeFacts {
  acme: E2EClient;
  csrf: string;
  categories: Array<{ id: string; name: string }>;
  transactions: Txn[];
}

/** Transaction ids asked about in this run (a transaction gets one question, ever). */
const usedTransactions = new Set<string>();

async function acmeFacts(request: APIRequestContext, acme: E2EClient): Promise<AcmeFacts> {
  const csrf = await apiSignIn(request, BEN, DEMO_PASSWORD);
  const accounts = await json<{
    items: Array<{ id: string; name: string; type: string; active: boolean; needsReview: boolean }>;
  }>(await request.get(`/api/v1/clients/${acme.id}/review-accounts`));
  const usable = accounts.items.filter((a) => a.active && !a.needsReview);
  const expenses = usable.filter((a) => /expense/i.test(a.type));
  const categories = (expenses.length >= 3 ? expenses : usable)
    .slice(0, 3)
    .map(({ id, name }) => ({ id, name }));
  expect(categories, 'three categories to offer').toHaveLength(3);

  const page = await json<{ items: Txn[] }>(
    await request.get(`/api/v1/clients/${acme.id}/transactions`, {
      params: { flag: 'uncategorized', limit: 100 },
    }),
  );
  return { acme, csrf, categories, transactions: page.items };
}

/**
 * Asks Maria (`maria`: her contact id, as her portal session names her) about three uncategorized
 * transactions with different payees through the bulk endpoint as Ben, offering the categories: one
 * overdue, one due in three days, one without a date.
 */
async function askMaria(request: APIRequestContext, facts: AcmeFacts, maria: string): Promise<Asked[]> {
  const payees = new Set<string>();
  const picked: Txn[] = [];
  // Money out first: what a receipt is for.
  const candidates = [...facts.transactions].sort(
    (a, b) => Number(b.amount.trim().startsWith('-')) - Number(a.amount.trim().startsWith('-')),
  );
  for (const t of candidates) {
    if (picked.length === 3) break;
    if (!t.payee?.name || usedTransactions.has(t.id) || payees.has(t.payee.name)) continue;
    payees.add(t.payee.name);
    picked.push(t);
  }
  expect(picked, 'three uncategorized transactions with different payees').toHaveLength(3);
  const texts = [
    'What was this for? We couldn’t match it to a bill.',
    'Was this a business expense? If so, what was it for?',
    'What did you buy here?',
  ];
  const dues = [isoDay(-1), isoDay(3), undefined];
  const asked: Asked[] = [];
  // One bulk request per due date (a bulk ask shares its due date).
  for (let i = 0; i < 3; i++) {
    const body = {
      items: [{ transactionId: picked[i]!.id, text: texts[i] }],
      text: texts[i],
      categoryOptionIds: facts.categories.map((c) => c.id),
      contactId: maria,
      ...(dues[i] ? { dueOn: dues[i] } : {}),
    };
    const res = await request.post(`/api/v1/clients/${facts.acme.id}/questions/bulk`, {
      data: body,
      headers: { 'X-CSRF-Token': facts.csrf },
    });
    const { items } = await json<{ items: Array<{ id: string; reference: string }> }>(res, 201);
    usedTransactions.add(picked[i]!.id);
    asked.push({ id: items[0]!.id, reference: items[0]!.reference, text: texts[i]!, txn: picked[i]! });
  }
  return asked;
}

/** Resolves every open or answered question of Acme as Ben, so the portal shows nothing open again. */
async function resolveAcmeQuestions(request: APIRequestContext, acme: E2EClient): Promise<void> {
  const csrf = await apiSignIn(request, BEN, DEMO_PASSWORD);
  const open = await json<{ items: Array<{ id: string }> }>(
    await request.get('/api/v1/questions', {
      params: { clientId: acme.id, status: 'unresolved', limit: 100 },
    }),
  );
  for (const q of open.items) {
    const res = await request.post(`/api/v1/questions/${q.id}/resolve`, {
      headers: { 'X-CSRF-Token': csrf },
    });
    expect([200, 201, 409], await res.text()).toContain(res.status());
  }
}

async function setQuestionsForUs(request: APIRequestContext, acme: E2EClient, on: boolean): Promise<void> {
  const csrf = await apiSignIn(request, BEN, DEMO_PASSWORD);
  const res = await request.patch(`/api/v1/clients/${acme.id}`, {
    data: { questionsForUs: on },
    headers: { 'X-CSRF-Token': csrf },
  });
  expect(res.status(), await res.text()).toBe(200);
}

/** Whether this server takes receipts (the endpoint is in its OpenAPI document). */
async function attachmentsLive(request: APIRequestContext): Promise<boolean> {
  const res = await request.get('/api/docs-json');
  if (res.status() !== 200) return false;
  const doc = (await res.json()) as { paths: Record<string, unknown> };
  return ATTACHMENTS_PATH in doc.paths;
}

function header(page: Page) {
  return page.getByRole('banner');
}

/** The link to the question about `txn` in a section of the questions page. */
function questionLink(page: Page, section: string, txn: Txn) {
  return page
    .getByRole('region', { name: section })
    .getByRole('link', { name: new RegExp(escape(txn.payee!.name)) });
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Pat, in their own browser at the same size, starts out looking at Birch Dental Studio, and reaches
 * Acme's handed question either through the business switcher and the header (`via: 'switcher'`), or
 * by opening the question's address, as from an email (`via: 'link'`): the portal then switches to Acme.
 */
async function patFindsIt(
  browser: Browser,
  size: (typeof SIZES)[number],
  handed: Asked,
  via: 'switcher' | 'link',
): Promise<void> {
  const context = await browser.newContext({ viewport: size.viewport, locale: 'en-US' });
  const pat = await context.newPage();
  try {
    await signInToPortalByLink(pat, PAT.email, /^Continue to /, 'Pat');
    const session = await portalSession(pat);
    const birch = session.businesses.find((b) => b.name === 'Birch Dental Studio')!;
    const put = await pat.request.put('/api/v1/portal/auth/session/business', {
      data: { businessId: birch.id },
      headers: { 'X-CSRF-Token': session.csrfToken },
    });
    expect(put.status(), await put.text()).toBe(200);
    await pat.reload();
    const switcher = header(pat).getByRole('button', {
      name: 'Business: Birch Dental Studio. Switch business',
    });
    await expect(switcher).toBeVisible();
    await expect(pat.getByTestId('questions-tile')).toContainText('You’re all caught up');

    if (via === 'switcher') {
      await switcher.click();
      await pat
        .getByRole('menu', { name: 'Switch to another business' })
        .getByRole('menuitem', { name: `${ACME}, 1 open item` })
        .click();
      await expect(pat.getByRole('status').filter({ hasText: `You’re now viewing ${ACME}` })).toBeVisible();
      await expect(pat.getByTestId('questions-tile')).toContainText('1 question needs your answer');
      await header(pat).getByRole('link', { name: 'Questions, 1 needs your answer' }).click();
    } else {
      await pat.goto(`/portal/northwind/questions/${handed.id}`);
      await expect(
        pat.getByText(`This question is for ${ACME}, so you’re now viewing ${ACME}.`),
      ).toBeVisible();
      await expect(pat.getByRole('heading', { name: handed.text, level: 1 })).toBeVisible();
      await expect(
        header(pat).getByRole('button', { name: `Business: ${ACME}. Switch business` }),
      ).toBeVisible();
      await expectNoHorizontalOverflow(pat);
      await shot(pat, `portal-question-pat-switched-${size.label}.png`, handed.text);
      await pat.getByRole('link', { name: 'All questions' }).click();
    }

    await expect(pat.getByRole('heading', { name: 'Questions', level: 1 })).toBeVisible();
    const link = questionLink(pat, 'Needs your answer', handed.txn);
    await expect(link).toBeVisible();
    await expect(link).toContainText(handed.text);
    await expect(link).toContainText('Asked by Ben');
    await expect(header(pat).getByRole('link', { name: 'Questions, 1 needs your answer' })).toBeVisible();
    await expectNoHorizontalOverflow(pat);
    await shot(pat, `portal-questions-pat-${size.label}.png`, 'Needs your answer');

    await link.click();
    await expect(pat.getByRole('heading', { name: handed.text, level: 1 })).toBeVisible();
    await expect(pat.getByText('Needs your answer', { exact: true })).toBeVisible();
  } finally {
    await context.close();
  }
}

test.describe('questions in the client portal', () => {
  let acme: E2EClient;
  let connectedHere = false;
  let receipts = false;

  test.beforeAll(async ({ request }) => {
    test.setTimeout(150_000);
    acme = await northwindClient(request, ACME);
    await apiSignIn(request, BEN, DEMO_PASSWORD);
    connectedHere = await ensureLedgerSynced(request, acme.id, 'qbo', ACME);
    await resolveAcmeQuestions(request, acme);
    receipts = await attachmentsLive(request);
  });

  test.afterEach(async ({ request }) => {
    await resolveAcmeQuestions(request, acme);
    await setQuestionsForUs(request, acme, false);
  });

  test.afterAll(async ({ request }) => {
    if (connectedHere) await disconnectLedgerByApi(request, acme.id);
  });

  for (const size of SIZES) {
    test(`on a ${size.label}: Maria answers one, hands one to Pat, asks her bookkeeper; Pat finds it`, async ({
      page,
      request,
      browser,
    }) => {
      test.setTimeout(180_000);
      await page.setViewportSize(size.viewport);
      const facts = await acmeFacts(request, acme);
      const category = facts.categories[1]!;

      // Maria signs in with nothing to answer; Ben asks her three questions meanwhile.
      await signInToPortalByLink(page, MARIA.email, ACME, 'Maria');
      const tile = page.getByTestId('questions-tile');
      await expect(tile).toContainText('You’re all caught up');
      const maria = (await portalSession(page)).contact.id;
      const [first, second, third] = await askMaria(request, facts, maria);

      // Home: the tile and the header say how many questions wait for her.
      await page.reload();
      await expect(tile).toContainText('3 questions need your answer');
      const badge = header(page).getByRole('link', { name: 'Questions, 3 need your answer' });
      await expect(badge).toBeVisible();
      await expect(badge).toContainText('3');
      await expectNoHorizontalOverflow(page);
      await shot(page, `portal-questions-home-${size.label}.png`, 'Welcome, Maria');

      // The list: three need her answer, payee · amount · date, the overdue one marked.
      await tile.getByRole('heading', { name: 'Questions' }).click();
      await expect(page).toHaveURL(/\/portal\/northwind\/questions$/);
      await expect(page.getByRole('heading', { name: 'Questions', level: 1 })).toBeVisible();
      const needs = page.getByRole('region', { name: 'Needs your answer' });
      await expect(needs.getByRole('link')).toHaveCount(3);
      for (const q of [first!, second!, third!]) {
        const link = questionLink(page, 'Needs your answer', q.txn);
        await expect(link).toContainText(signedMoney(q.txn.amount, q.txn.currency));
        await expect(link).toContainText(dayWords(q.txn.date));
        await expect(link).toContainText(q.text);
        await expect(link).toContainText(`Asked by Ben`);
      }
      await expect(questionLink(page, 'Needs your answer', first!.txn)).toContainText('Was due yesterday');
      await expect(questionLink(page, 'Needs your answer', second!.txn)).toContainText('Due in 3 days');
      await expect(page.locator('[data-overdue="true"]')).toHaveCount(1);
      await expect(page.getByRole('button', { name: 'Ask your bookkeeper' })).toHaveCount(0);
      await expectNoHorizontalOverflow(page);
      await shot(page, `portal-questions-list-${size.label}.png`, 'Needs your answer');

      // The first question: the transaction, the categories, nothing to send yet.
      await questionLink(page, 'Needs your answer', first!.txn).click();
      await expect(page.getByRole('heading', { name: first!.text, level: 1 })).toBeVisible();
      const txnCard = page.getByRole('region', { name: first!.txn.payee!.name });
      await expect(txnCard).toContainText(signedMoney(first!.txn.amount, first!.txn.currency));
      await expect(txnCard).toContainText(dayWords(first!.txn.date));
      await expect(txnCard).toContainText(
        first!.txn.amount.trim().startsWith('-') ? 'Money out' : 'Money in',
      );
      const answer = page.getByRole('region', { name: 'Your answer' });
      const send = answer.getByRole('button', { name: 'Send answer' });
      await expect(send).toBeDisabled();
      await expect(answer.getByRole('radio')).toHaveCount(4); // three categories and "None of these"
      await expectNoHorizontalOverflow(page);
      await shot(page, `portal-question-${size.label}.png`, first!.text);

      await answer.getByRole('radio', { name: category.name, exact: true }).check();
      await expect(send).toBeEnabled();
      await answer.getByLabel('Anything to add?').fill('Beans for the cafe, from our usual supplier.');

      if (receipts) {
        // A real photo uploads and shows its size; a text file named like a photo is refused in words.
        const photo = await receiptJpeg(page);
        const picker = answer.getByLabel('Add a receipt');
        await picker.setInputFiles({ name: 'lunch-receipt.jpg', mimeType: 'image/jpeg', buffer: photo });
        const files = answer.getByRole('list', { name: 'Receipts' });
        const photoRow = files.getByRole('listitem').filter({ hasText: 'lunch-receipt.jpg' });
        await expect(photoRow).toContainText('Ready to send');
        await expect(photoRow).toContainText(/\d+ (KB|bytes)/);
        await answer.getByLabel('Add another receipt').setInputFiles({
          name: 'receipt.jpg',
          mimeType: 'image/jpeg',
          buffer: Buffer.from('Thanks for shopping with us! This is not a photo.\n'),
        });
        const fake = files.getByRole('listitem').filter({ hasNotText: 'lunch-receipt.jpg' });
        await expect(fake).toContainText('“receipt.jpg” isn’t a photo or a PDF we can open');
        await expect(answer.getByRole('status').filter({ hasText: 'isn’t a photo or a PDF' })).toHaveCount(1);
        await expectNoHorizontalOverflow(page);
        await answer.evaluate((el) => el.scrollIntoView({ block: 'end' }));
        await shot(page, `portal-question-receipts-${size.label}.png`, 'Your answer');
        await fake.getByRole('button', { name: 'Dismiss receipt.jpg' }).click();
        await expect(files.getByRole('listitem')).toHaveCount(1);
      } else {
        // Before the server takes files, choosing one says so next to it, and the rest still works.
        await answer.getByLabel('Add a receipt').setInputFiles({
          name: 'receipt.pdf',
          mimeType: 'application/pdf',
          buffer: Buffer.from('%PDF-1.4\n%%EOF\n'),
        });
        await expect(answer.getByText('Attaching files isn’t available yet')).toBeVisible();
        await answer.getByRole('button', { name: 'Dismiss receipt.pdf' }).click();
      }

      // Send: the page says it is with the bookkeeper now, and the header count drops without a reload.
      await send.click();
      const sent = page.getByTestId('answer-sent');
      await expect(sent.getByRole('heading', { name: 'Answer sent. Thank you!' })).toBeFocused();
      await expect(sent).toContainText('This question is now waiting on your bookkeeper');
      await expect(page.getByText('Waiting on your bookkeeper', { exact: true })).toBeVisible();
      await expect(header(page).getByRole('link', { name: 'Questions, 2 need your answer' })).toBeVisible();
      const thread = page.getByRole('region', { name: 'Conversation' });
      await expect(thread).toContainText('You');
      await expect(thread).toContainText(`Category: ${category.name}`);
      await expect(thread).toContainText('Beans for the cafe, from our usual supplier.');
      if (receipts) {
        const download = thread.getByRole('link', { name: /^Download lunch-receipt\.jpg/ });
        await expect(download).toBeVisible();
        const file = await page.request.get((await download.getAttribute('href'))!);
        expect(file.status()).toBe(200);
        expect(file.headers()['content-type']).toBe('image/jpeg');
      }
      await expectNoHorizontalOverflow(page);
      await shot(page, `portal-question-sent-${size.label}.png`, 'Answer sent. Thank you!');

      // The next question goes to Pat.
      await sent.getByRole('link', { name: 'Next question' }).click();
      const nextHeading = page.getByRole('heading', { level: 1 });
      await expect(nextHeading).toHaveText(new RegExp(`^(${escape(second!.text)}|${escape(third!.text)})$`));
      const handedText = (await nextHeading.textContent())!.trim();
      const handed = handedText === second!.text ? second! : third!;
      const kept = handed === second ? third! : second!;
      const handOver = page.getByRole('region', { name: 'Not the right person?' });
      await handOver.getByRole('button', { name: 'Hand to someone else' }).click();
      await handOver.getByRole('radio', { name: PAT.name, exact: true }).check();
      await expectNoHorizontalOverflow(page);
      await handOver.evaluate((el) => el.scrollIntoView({ block: 'end' }));
      await shot(page, `portal-question-hand-over-${size.label}.png`, 'Not the right person?');
      await handOver.getByRole('button', { name: `Hand to ${PAT.name}` }).click();
      const confirm = page.getByRole('alertdialog', { name: `Hand this question to ${PAT.name}?` });
      await confirm.getByRole('button', { name: 'Hand it over' }).click();
      await expect(confirm).toBeHidden();
      await expect(
        page.getByRole('status').filter({ hasText: `${PAT.name} has this question now` }),
      ).toBeVisible();
      await expect(page.getByRole('heading', { name: `With ${PAT.name}`, level: 2 })).toBeFocused();
      await expect(header(page).getByRole('link', { name: 'Questions, 1 needs your answer' })).toBeVisible();
      await shot(page, `portal-question-handed-${size.label}.png`, `With ${PAT.name}`);

      // The list has moved on: one left for Maria, one with Pat, one waiting on the bookkeeper.
      await page.getByRole('link', { name: 'All questions' }).click();
      await expect(page.getByRole('region', { name: 'Needs your answer' }).getByRole('link')).toHaveCount(1);
      await expect(questionLink(page, 'Needs your answer', kept.txn)).toBeVisible();
      await expect(questionLink(page, 'With others on your team', handed.txn)).toContainText(
        `With ${PAT.name}`,
      );
      await expect(questionLink(page, 'Waiting on your bookkeeper', first!.txn)).toContainText(category.name);

      // Maria asks her bookkeeper something, once the firm allows it.
      await setQuestionsForUs(request, acme, true);
      await page.reload();
      await page.getByRole('button', { name: 'Ask your bookkeeper' }).click();
      const ask = page.getByRole('region', { name: 'Ask your bookkeeper' });
      await expect(ask.getByRole('heading', { name: 'Ask your bookkeeper' })).toBeFocused();
      await ask.getByLabel('Your question').fill('Can we expense the new espresso grinder this year?');
      await expectNoHorizontalOverflow(page);
      await shot(page, `portal-questions-ask-${size.label}.png`, 'Ask your bookkeeper');
      await ask.getByRole('button', { name: 'Send question' }).click();
      await expect(
        page.getByRole('status').filter({ hasText: 'Your question went to Northwind Bookkeeping' }),
      ).toBeVisible();
      const waiting = page.getByRole('region', { name: 'Waiting on your bookkeeper' });
      await expect(
        waiting.getByRole('link', { name: /Can we expense the new espresso grinder/ }),
      ).toContainText('You asked');
      await expectNoHorizontalOverflow(page);
      await shot(page, `portal-questions-after-${size.label}.png`, 'Waiting on your bookkeeper');

      // Back home, the tile counts what is left.
      await page.getByRole('link', { name: ACME }).first().click();
      await expect(page.getByTestId('questions-tile')).toContainText('1 question needs your answer');

      // Pat, looking at Birch, finds the question handed over under Acme's "Needs your answer".
      await patFindsIt(browser, size, handed, size.label === 'phone' ? 'switcher' : 'link');

      // The bookkeeper resolves the question Maria still has: its page says so kindly.
      const csrf = await apiSignIn(request, BEN, DEMO_PASSWORD);
      const resolved = await request.post(`/api/v1/questions/${kept.id}/resolve`, {
        headers: { 'X-CSRF-Token': csrf },
      });
      expect(resolved.status(), await resolved.text()).toBeLessThan(300);
      await page.goto(`/portal/northwind/questions/${kept.id}`);
      await expect(
        page.getByRole('heading', { name: 'Your bookkeeper has closed this question.', level: 1 }),
      ).toBeVisible();
      await expectNoHorizontalOverflow(page);
      await shot(
        page,
        `portal-question-closed-${size.label}.png`,
        'Your bookkeeper has closed this question.',
      );
      await page.getByRole('link', { name: 'Back to your questions' }).click();
      await expect(page.getByRole('region', { name: 'Needs your answer' })).toContainText(
        'You’re all caught up.',
      );
      await expect(header(page).getByRole('link', { name: 'Questions', exact: true })).toBeVisible();
      await shot(page, `portal-questions-caught-up-${size.label}.png`, 'Needs your answer');
    });
  }
});

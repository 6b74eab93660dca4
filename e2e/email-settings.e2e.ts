import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import pg from 'pg';
import {
  apiSignIn,
  continueWithLink,
  createNorthwindClient,
  DEMO_PASSWORD,
  deleteClient,
  emailsTo,
  expectNoHorizontalOverflow,
  inviteContact,
  lastEmailLink,
  NORTHWIND_OWNER,
  shot,
  signIn,
  type CaughtMail,
} from './helpers';
import { E2E_DATABASE_URL } from './playwright.config';

/**
 * Email settings (Q9): everyone sets how often they hear from us, and stops reminders with one click.
 * A new client's person, signed in from their invitation, opens "Email settings" from the person
 * menu, chooses a daily email and no reminders, and finds both kept after a reload. Another gets a
 * real reminder (the firm asks, the question email comes, four days pass without an answer) and
 * stops reminders with the link in it; the page that opens leads to the email settings and can turn
 * them on again. Ben, a staff member, turns his answer emails off from the account menu of the
 * console. Every client made here is deleted again, and Ben's setting is put back as it was.
 */

const BEN = 'ben@northwind.test';

const SIZES = [
  { label: 'phone', viewport: { width: 390, height: 844 } },
  { label: 'laptop', viewport: { width: 1280, height: 860 } },
] as const;

test.use({ locale: 'en-US' });

/** The newest email to `to` whose subject matches, waiting (polling, up to 20 s) until it exists. */
async function waitForEmail(request: APIRequestContext, to: string, subject: RegExp): Promise<CaughtMail> {
  let found: CaughtMail | undefined;
  await expect
    .poll(
      async () => {
        found = (await emailsTo(request, to)).find((m) => subject.test(m.subject));
        return found?.subject ?? null;
      },
      { message: `an email to ${to} with a subject like ${subject}`, timeout: 20_000 },
    )
    .not.toBeNull();
  return found!;
}

/** The portal's email settings form, its two controls and its Save button. */
function portalForm(page: Page) {
  const form = page.getByRole('form', { name: 'Email settings' });
  return {
    form,
    often: form.getByRole('group', { name: 'Emails about new questions' }),
    reminders: form.getByRole('switch', { name: 'Reminders of unanswered questions' }),
    save: form.getByRole('button', { name: 'Save', exact: true }),
  };
}

test.describe('email settings (Q9)', () => {
  for (const size of SIZES) {
    test(`a client's person chooses a daily email and no reminders, and both are kept (${size.label})`, async ({
      browser,
      request,
    }) => {
      const client = await createNorthwindClient(request, 'Harbour Bakery');
      const context = await browser.newContext({ viewport: size.viewport, locale: 'en-US' });
      try {
        const contact = await inviteContact(request, client, { first: 'Noor' });
        const page = await context.newPage();
        await continueWithLink(page, contact.invitationLink, client.name, contact.firstName);

        // From the person menu at the top right.
        await page.getByRole('button', { name: `Your account: ${contact.name}` }).click();
        const menu = page.getByRole('dialog', { name: 'Your account' });
        await expect(menu.getByRole('link', { name: 'Email settings' })).toBeVisible();
        await shot(page, `email-settings-portal-menu-${size.label}.png`, /^Welcome, /);
        await menu.getByRole('link', { name: 'Email settings' }).click();
        await expect(menu).toBeHidden();
        await expect(page).toHaveURL(/\/portal\/northwind\/settings\/email$/);
        await expect(page.getByRole('heading', { name: 'Email settings', level: 1 })).toBeVisible();
        await expect(page).toHaveTitle(/^Email settings · /);

        // As everyone starts: an email as questions are asked, and reminders.
        const { form, often, reminders, save } = portalForm(page);
        await expect(often.getByRole('radio')).toHaveCount(3);
        await expect(
          often.getByRole('radio', { name: 'As soon as questions are asked (grouped)' }),
        ).toBeChecked();
        await expect(often.getByRole('radio', { name: 'Once a day', exact: true })).not.toBeChecked();
        await expect(often.getByRole('radio', { name: 'Once a week', exact: true })).not.toBeChecked();
        await expect(reminders).toBeChecked();
        await expectNoHorizontalOverflow(page);
        await shot(page, `email-settings-portal-${size.label}.png`, 'Email settings');

        await often.getByRole('radio', { name: 'Once a day', exact: true }).check();
        await reminders.uncheck();
        await save.click();
        await expect(form.getByRole('status')).toHaveText(
          'Saved. We’ll email you about new questions once a day, without reminders.',
        );
        await expect(form.getByRole('alert')).toHaveCount(0);
        await expectNoHorizontalOverflow(page);
        await shot(page, `email-settings-portal-saved-${size.label}.png`, 'Email settings');

        // A change after saving is not "saved" any more.
        await often.getByRole('radio', { name: 'Once a week', exact: true }).check();
        await expect(form.getByRole('status')).toHaveText('');
        await often.getByRole('radio', { name: 'Once a day', exact: true }).check();

        // Kept: after a reload, and in the API.
        await page.reload();
        await expect(often.getByRole('radio', { name: 'Once a day', exact: true })).toBeChecked();
        await expect(
          often.getByRole('radio', { name: 'As soon as questions are asked (grouped)' }),
        ).not.toBeChecked();
        await expect(reminders).not.toBeChecked();
        const kept = await page.request.get('/api/v1/portal/notification-settings');
        expect(await kept.json()).toEqual({ questionEmails: 'daily', reminders: false });

        // The link in the question emails (`<portal>/settings`) opens the same page.
        await page.goto('/portal/northwind/settings');
        await expect(page).toHaveURL(/\/portal\/northwind\/settings\/email$/);
        await expect(often.getByRole('radio', { name: 'Once a day', exact: true })).toBeChecked();
      } finally {
        await context.close();
        await deleteClient(request, client);
      }
    });
  }

  test('the one-click link in a reminder stops reminders; its page leads to the email settings', async ({
    browser,
    request,
  }) => {
    // The question email waits out the digest's quiet period (20 s here) before anything else.
    test.setTimeout(120_000);
    const client = await createNorthwindClient(request, 'Juniper Florists');
    const context = await browser.newContext({ viewport: SIZES[0].viewport, locale: 'en-US' });
    const db = new pg.Client({ connectionString: E2E_DATABASE_URL });
    try {
      const contact = await inviteContact(request, client, { first: 'Jun' });
      const page = await context.newPage();
      await continueWithLink(page, contact.invitationLink, client.name, contact.firstName);

      // The firm asks Jun something; the question email comes once the digest's quiet period has
      // passed (QUESTION_DIGEST_QUIET_SECONDS, 20 s on the e2e server).
      const csrf = await apiSignIn(request, NORTHWIND_OWNER, DEMO_PASSWORD);
      const asked = await request.post(`/api/v1/clients/${client.id}/questions`, {
        data: { kind: 'other', text: 'Who is the landlord of the new workshop?' },
        headers: { 'X-CSRF-Token': csrf },
      });
      expect(asked.status(), await asked.text()).toBe(201);
      const questionLink = await lastEmailLink(request, contact.email, { subject: /has a question about/, timeout: 60_000 });
      // An email about one question: its button opens that question.
      const { id: questionId } = (await asked.json()) as { id: string };
      const fromEmail = await context.newPage();
      await fromEmail.goto(questionLink);
      await fromEmail.getByRole('button', { name: `Continue to ${client.name}` }).click();
      await expect(fromEmail).toHaveURL(new RegExp(`/portal/northwind/questions/${questionId}$`));
      await expect(fromEmail.getByRole('heading', { name: 'Who is the landlord of the new workshop?', level: 1 })).toBeVisible();
      await fromEmail.close();

      // Four days pass without an answer: the firm's first reminder (after 3 days) is due.
      await db.connect();
      await db.query(
        `UPDATE questions SET created_at = created_at - interval '4 days', notified_at = notified_at - interval '4 days'
          WHERE client_id = $1`,
        [client.id],
      );
      const reminder = await waitForEmail(request, contact.email, /^Reminder: /);
      const stop = /https?:\/\/\S+\/api\/v1\/email\/question-reminders\/stop\?t=\S+/.exec(reminder.text)?.[0];
      expect(stop, 'the reminder has a link that stops reminders').toBeTruthy();
      const stopPath = new URL(stop!).pathname + new URL(stop!).search;

      // One click: no more reminders.
      await page.goto(stopPath);
      await expect(page.getByRole('heading', { name: 'No more reminders', level: 1 })).toBeVisible();
      await expect(page.getByRole('status')).toHaveText(
        'We will not remind you of unanswered questions any more. You will still hear about new questions.',
      );
      await expectNoHorizontalOverflow(page);
      await shot(page, 'email-settings-stop-link-phone.png', 'No more reminders');
      await page.setViewportSize(SIZES[1].viewport);
      await shot(page, 'email-settings-stop-link-laptop.png', 'No more reminders');
      await page.setViewportSize(SIZES[0].viewport);

      // The page leads to the email settings, where reminders are off.
      await page.getByRole('link', { name: 'Choose how often we email you about questions' }).click();
      await expect(page).toHaveURL(/\/portal\/northwind\/settings\/email$/);
      const { often, reminders } = portalForm(page);
      await expect(reminders).not.toBeChecked();
      await expect(
        often.getByRole('radio', { name: 'As soon as questions are asked (grouped)' }),
      ).toBeChecked();

      // The same link again, then its button: reminders are on again.
      await page.goto(stopPath);
      await page.getByRole('button', { name: 'Turn reminders back on' }).click();
      await expect(page.getByRole('heading', { name: 'Reminders are on again', level: 1 })).toBeVisible();
      await page.getByRole('link', { name: 'Choose how often we email you about questions' }).click();
      await expect(page).toHaveURL(/\/portal\/northwind\/settings\/email$/);
      await expect(reminders).toBeChecked();

      // A link not made by us changes nothing and says so.
      const forged = `/api/v1/email/question-reminders/stop?t=${encodeURIComponent(new URL(stop!).searchParams.get('t')!.replace(/\.[^.]*$/, '.forged'))}`;
      await page.goto(forged);
      await expect(page.getByRole('heading', { name: 'This link is not valid', level: 1 })).toBeVisible();
      const still = await page.request.get('/api/v1/portal/notification-settings');
      expect(await still.json()).toEqual({ questionEmails: 'immediately', reminders: true });
    } finally {
      await db.end().catch(() => undefined);
      await context.close();
      await deleteClient(request, client);
    }
  });

  for (const size of SIZES) {
    test(`a staff member turns answer emails off from the account menu, and it is kept (${size.label})`, async ({
      browser,
      request,
    }) => {
      // Ben's setting as it was, to put back afterwards.
      const csrf = await apiSignIn(request, BEN, DEMO_PASSWORD);
      const before = (await (await request.get('/api/v1/account/notification-settings')).json()) as {
        answerEmails: string;
      };
      const context = await browser.newContext({ viewport: size.viewport, locale: 'en-US' });
      try {
        const page = await context.newPage();
        await signIn(page, BEN, DEMO_PASSWORD);
        await page.getByRole('button', { name: /^Account menu for / }).click();
        const menu = page.getByRole('dialog', { name: 'Account' });
        await expect(menu.getByRole('link', { name: 'My email notifications' })).toBeVisible();
        await shot(page, `email-settings-console-menu-${size.label}.png`, 'Clients');
        await menu.getByRole('link', { name: 'My email notifications' }).click();
        await expect(menu).toBeHidden();
        await expect(page).toHaveURL(/\/account\/notifications$/);
        await expect(page.getByRole('heading', { name: 'My email notifications', level: 1 })).toBeVisible();
        await expect(page).toHaveTitle(/^My email notifications · /);

        const group = page.getByRole('group', { name: 'When a client answers a question you follow up' });
        await expect(group.getByRole('radio')).toHaveCount(3);
        await expect(group.getByRole('radio', { name: 'At once', exact: true })).toBeChecked();
        const save = page.getByRole('button', { name: 'Save', exact: true });
        await expect(save).toBeDisabled();
        await expectNoHorizontalOverflow(page);
        await shot(page, `email-settings-console-${size.label}.png`, 'My email notifications');

        await group.getByRole('radio', { name: 'Off', exact: true }).check();
        await expect(save).toBeEnabled();
        await save.click();
        await expect(page.getByRole('status').filter({ hasText: 'Email notifications saved' })).toContainText(
          'You will not be emailed about answers.',
        );
        await expect(save).toBeDisabled();
        await shot(page, `email-settings-console-saved-${size.label}.png`, 'My email notifications');

        await page.reload();
        await expect(group.getByRole('radio', { name: 'Off', exact: true })).toBeChecked();
        await expect(group.getByRole('radio', { name: 'At once', exact: true })).not.toBeChecked();
        const kept = await page.request.get('/api/v1/account/notification-settings');
        expect(await kept.json()).toEqual({ answerEmails: 'off' });
      } finally {
        await context.close();
        const put = await request.put('/api/v1/account/notification-settings', {
          data: before,
          headers: { 'X-CSRF-Token': csrf },
        });
        expect(put.status(), await put.text()).toBe(200);
      }
    });
  }
});

import { createHmac, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@ledgerport/server/config';
import { returningRows } from '@ledgerport/server/db';
import {
  answersEmail,
  MailService,
  questionDigestEmail,
  questionReminderEmail,
  type QueuedEmail,
  type QuestionLine,
} from '@ledgerport/server/notifications';
import { ContactTokensService, emailBrand, FIRM_BRAND_COLUMNS, portalUrl, signInLinkUrl, type FirmBrandRow } from '@ledgerport/server/portal';
import { reference } from './question-rows';

/** Nobody waits longer than this (or the quiet period, if that is longer) for the first question. */
export const DIGEST_MAX_WAIT_FLOOR_SECONDS = 10 * 60;

/**
 * When an "immediately" digest goes: once no question of the group has moved for `quietSeconds`
 * (QUESTION_DIGEST_QUIET_SECONDS, default 2 minutes), so questions asked close together share one
 * email; but at the latest `maxWaitSeconds` after the oldest of them, so a steady trickle of
 * questions cannot hold the email back for ever.
 */
export function digestTiming(quietSeconds: number): { quietSeconds: number; maxWaitSeconds: number } {
  return { quietSeconds, maxWaitSeconds: Math.max(quietSeconds, DIGEST_MAX_WAIT_FLOOR_SECONDS) };
}

/** A reminder never comes sooner than this after the email that asked. */
const REMINDER_GAP = '1 day';

interface Group {
  contact_id: string;
  client_id: string;
  ids: string[];
}

interface LineRow {
  number: number;
  text: string;
  due_on: string | null;
  txn: { payee: string | null; amount: string; currency: string | null; date: string } | null;
}

interface Recipient extends FirmBrandRow {
  email: string;
  name: string;
  business_name: string;
}

export interface TickResult {
  digests: number;
  reminders: number;
  answerNotices: number;
}

/**
 * Q9's emails, sent by the worker's tick (every QUESTION_TICK_SECONDS, default a minute): one digest
 * per person and business for questions asked close together (QUESTION_DIGEST_QUIET_SECONDS; or
 * daily / weekly, as the person chose), reminders of unanswered ones on the firm's schedule, and
 * answer notices to the staff member who follows a question up.
 * Each batch is claimed with a conditional UPDATE, so two workers never send the same email.
 */
@Injectable()
export class QuestionNotices {
  private readonly logger = new Logger(QuestionNotices.name);
  private readonly digest: { quietSeconds: number; maxWaitSeconds: number };

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly mail: MailService,
    private readonly tokens: ContactTokensService,
  ) {
    this.digest = digestTiming(config.QUESTION_DIGEST_QUIET_SECONDS);
  }

  /** One pass; `at` is "now" (tests move it forward instead of waiting). */
  async tick(at: Date = new Date()): Promise<TickResult> {
    const sent: QueuedEmail[] = [];
    const result = { digests: 0, reminders: 0, answerNotices: 0 };
    for (const g of await this.dueDigests(at)) {
      const email = await this.send(g, at, 'digest');
      if (email) {
        sent.push(email);
        result.digests++;
      }
    }
    for (const g of await this.dueReminders(at)) {
      const email = await this.send(g, at, 'reminder');
      if (email) {
        sent.push(email);
        result.reminders++;
      }
    }
    const notices = await this.answerNotices(at);
    sent.push(...notices);
    result.answerNotices = notices.length;
    await this.mail.dispatch(...sent);
    if (sent.length) this.logger.log(result, 'Question emails');
    return result;
  }

  // ------------------------------------------------------------------ what is due

  private dueDigests(at: Date): Promise<Group[]> {
    return this.db.query(
      `SELECT q.contact_id, q.client_id, array_agg(q.id ORDER BY q.number) AS ids
         FROM questions q
         JOIN contacts k ON k.id = q.contact_id
         JOIN client_contacts cc ON cc.client_id = q.client_id AND cc.contact_id = q.contact_id AND cc.status <> 'deactivated'
         JOIN clients c ON c.id = q.client_id AND c.status = 'active'
        WHERE q.status = 'open' AND q.notified_at IS NULL
        GROUP BY q.contact_id, q.client_id, k.question_emails, k.last_digest_at
       HAVING (k.question_emails = 'immediately'
               AND (max(q.last_activity_at) <= $1::timestamptz - make_interval(secs => $2) OR min(q.last_activity_at) <= $1::timestamptz - make_interval(secs => $3)))
           OR (k.question_emails = 'daily' AND (k.last_digest_at IS NULL OR k.last_digest_at <= $1::timestamptz - interval '1 day'))
           OR (k.question_emails = 'weekly' AND (k.last_digest_at IS NULL OR k.last_digest_at <= $1::timestamptz - interval '7 days'))`,
      [at, this.digest.quietSeconds, this.digest.maxWaitSeconds],
    );
  }

  private dueReminders(at: Date): Promise<Group[]> {
    return this.db.query(
      `SELECT q.contact_id, q.client_id, array_agg(q.id ORDER BY q.number) AS ids
         FROM questions q
         JOIN firms f ON f.id = q.firm_id
         JOIN contacts k ON k.id = q.contact_id AND k.question_reminders
         JOIN client_contacts cc ON cc.client_id = q.client_id AND cc.contact_id = q.contact_id AND cc.status <> 'deactivated'
         JOIN clients c ON c.id = q.client_id AND c.status = 'active'
        WHERE q.status = 'open' AND q.notified_at <= $1::timestamptz - interval '${REMINDER_GAP}'
          AND q.reminders_sent < cardinality(f.question_reminder_days)
          AND q.created_at + make_interval(days => f.question_reminder_days[q.reminders_sent + 1]) <= $1::timestamptz
        GROUP BY q.contact_id, q.client_id`,
      [at],
    );
  }

  // ------------------------------------------------------------------ sending

  /** Claims the group's questions and stages one email; null when another worker got there first. */
  private send(g: Group, at: Date, kind: 'digest' | 'reminder'): Promise<QueuedEmail | null> {
    return this.db.transaction(async (m) => {
      const claimed =
        kind === 'digest'
          ? await returningRows<{ id: string }>(m, `UPDATE questions SET notified_at = $2 WHERE id = ANY($1::uuid[]) AND notified_at IS NULL AND status = 'open' RETURNING id`, [g.ids, at])
          : await returningRows<{ id: string }>(
              m,
              `UPDATE questions q SET reminders_sent = reminders_sent + 1 FROM firms f
                WHERE f.id = q.firm_id AND q.id = ANY($1::uuid[]) AND q.status = 'open' AND q.reminders_sent < cardinality(f.question_reminder_days)
                  AND q.created_at + make_interval(days => f.question_reminder_days[q.reminders_sent + 1]) <= $2::timestamptz
                RETURNING q.id`,
              [g.ids, at],
            );
      if (!claimed.length) return null;
      const [who]: Recipient[] = await m.query(
        `SELECT k.email, cc.name, c.name AS business_name, ${FIRM_BRAND_COLUMNS}
           FROM contacts k JOIN client_contacts cc ON cc.contact_id = k.id AND cc.client_id = $2
           JOIN clients c ON c.id = cc.client_id JOIN firms f ON f.id = c.firm_id
          WHERE k.id = $1`,
        [g.contact_id, g.client_id],
      );
      const lines: LineRow[] = await m.query(
        `SELECT number, text, to_char(due_on, 'YYYY-MM-DD') AS due_on, txn FROM questions WHERE id = ANY($1::uuid[]) ORDER BY number`,
        [claimed.map((c) => c.id)],
      );
      const token = await this.tokens.issue(m, g.contact_id, g.client_id, 'sign_in', { keepOthers: true });
      const base = portalUrl(this.config.APP_URL, who.firm_slug);
      // The button opens the question itself when there is one, else the person's questions.
      const next = claimed.length === 1 ? `questions/${claimed[0].id}` : 'questions';
      const url = signInLinkUrl(this.config.APP_URL, who.firm_slug, token, next);
      const brand = emailBrand(who, this.config.APP_URL);
      const questions = lines.map(toLine);
      const email =
        kind === 'digest'
          ? questionDigestEmail({ name: who.name, businessName: who.business_name, brand, firmName: who.firm_name, questions, url, settingsUrl: `${base}/settings` })
          : questionReminderEmail({
              name: who.name,
              businessName: who.business_name,
              brand,
              firmName: who.firm_name,
              questions,
              url,
              unsubscribeUrl: `${this.config.APP_URL.replace(/\/$/, '')}/api/v1/email/question-reminders/stop?t=${encodeURIComponent(reminderToken(this.config.SESSION_SECRET, g.contact_id))}`,
            });
      if (kind === 'digest') await m.query(`UPDATE contacts SET last_digest_at = $2 WHERE id = $1`, [g.contact_id, at]);
      return this.mail.stage(m, who.firm_id, who.email, email);
    });
  }

  /** Answers waiting to be told to the staff member who follows each question up. */
  private async answerNotices(at: Date): Promise<QueuedEmail[]> {
    // Nobody to tell: people who turned these emails off.
    await this.db.query(
      `UPDATE questions q SET answer_pending_notice = false FROM users u WHERE u.id = q.assignee_user_id AND q.answer_pending_notice AND u.answer_emails = 'off'`,
    );
    const due: { user_id: string; ids: string[] }[] = await this.db.query(
      `SELECT u.id AS user_id, array_agg(q.id ORDER BY q.last_activity_at) AS ids
         FROM questions q JOIN users u ON u.id = q.assignee_user_id
        WHERE q.answer_pending_notice
        GROUP BY u.id, u.answer_emails, u.last_answer_digest_at
       HAVING u.answer_emails = 'immediately' OR (u.answer_emails = 'daily' AND (u.last_answer_digest_at IS NULL OR u.last_answer_digest_at <= $1::timestamptz - interval '1 day'))`,
      [at],
    );
    const out: QueuedEmail[] = [];
    for (const d of due) {
      const email = await this.db.transaction(async (m: EntityManager) => {
        const claimed = await returningRows<{ id: string }>(
          m,
          `UPDATE questions SET answer_pending_notice = false WHERE id = ANY($1::uuid[]) AND answer_pending_notice RETURNING id`,
          [d.ids],
        );
        if (!claimed.length) return null;
        const [user]: { email: string; name: string; firm_id: string }[] = await m.query(`SELECT email, name, firm_id FROM users WHERE id = $1`, [d.user_id]);
        const rows: { id: string; number: number; client_name: string; author_name: string | null; body: string | null; category: { name: string } | null }[] =
          await m.query(
            `SELECT q.id, q.number, c.name AS client_name, x.author_name, x.body, x.category
               FROM questions q JOIN clients c ON c.id = q.client_id
               LEFT JOIN LATERAL (SELECT author_name, body, category FROM question_messages
                                   WHERE question_id = q.id AND author_contact_id IS NOT NULL ORDER BY created_at DESC, id DESC LIMIT 1) x ON true
              WHERE q.id = ANY($1::uuid[]) ORDER BY q.last_activity_at`,
            [claimed.map((c) => c.id)],
          );
        const app = this.config.APP_URL.replace(/\/$/, '');
        await m.query(`UPDATE users SET last_answer_digest_at = $2 WHERE id = $1`, [d.user_id, at]);
        return this.mail.stage(
          m,
          user.firm_id,
          user.email,
          answersEmail({
            name: user.name,
            url: `${app}/questions?status=answered`,
            answers: rows.map((r) => ({
              reference: reference(r.number),
              clientName: r.client_name,
              contactName: r.author_name ?? 'Your client',
              body: r.body ?? '',
              category: r.category?.name ?? null,
              url: `${app}/questions/${r.id}`,
            })),
          }),
        );
      });
      if (email) out.push(email);
    }
    return out;
  }
}

/** The signed token of a person's one-click "no more reminders" link: nothing is stored. */
export function reminderToken(secret: string, contactId: string): string {
  return `${contactId}.${signReminder(secret, contactId)}`;
}

/** The contact a reminder token names, or null when it was not made here. */
export function contactOfReminderToken(secret: string, token: string): string | null {
  const [contactId, sig] = token.split('.');
  if (!contactId || !sig || !/^[0-9a-f-]{36}$/.test(contactId)) return null;
  const want = Buffer.from(signReminder(secret, contactId));
  const got = Buffer.from(sig);
  return want.length === got.length && timingSafeEqual(want, got) ? contactId : null;
}

function signReminder(secret: string, contactId: string): string {
  return createHmac('sha256', secret).update(`question-reminders:${contactId}`).digest('base64url');
}

function toLine(r: LineRow): QuestionLine {
  return {
    reference: reference(r.number),
    text: r.text,
    dueOn: r.due_on,
    about: r.txn ? [r.txn.payee, money(r.txn.amount, r.txn.currency), day(r.txn.date)].filter(Boolean).join(' · ') : null,
  };
}

/** "-$103.40" (the decimal string is formatted as it is, never through a float); without a currency, "-103.40". */
function money(amount: string, currency: string | null): string {
  return currency
    ? new Intl.NumberFormat('en-US', { style: 'currency', currency, currencyDisplay: 'narrowSymbol' }).format(amount as `${number}`)
    : amount;
}

/** "Nov 12, 2026" for "2026-11-12". */
const day = (date: string): string =>
  new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${date}T00:00:00Z`));

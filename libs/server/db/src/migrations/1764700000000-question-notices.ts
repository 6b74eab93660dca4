import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Q9: who hears about questions, and how often. A client's person gets one digest for questions
 * asked close together (or a daily or weekly one) and reminders they can stop with one click; a
 * staff member hears when a client answers, at once or in a daily summary, or not at all.
 */
export class QuestionNotices1764700000000 implements MigrationInterface {
  name = 'QuestionNotices1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE contacts
        ADD COLUMN question_emails text NOT NULL DEFAULT 'immediately',
        ADD COLUMN question_reminders boolean NOT NULL DEFAULT true,
        ADD COLUMN last_digest_at timestamptz,
        ADD CONSTRAINT ck_contacts_question_emails CHECK (question_emails IN ('immediately', 'daily', 'weekly'))`);
    await q.query(`
      ALTER TABLE users
        ADD COLUMN answer_emails text NOT NULL DEFAULT 'immediately',
        ADD COLUMN last_answer_digest_at timestamptz,
        ADD CONSTRAINT ck_users_answer_emails CHECK (answer_emails IN ('immediately', 'daily', 'off'))`);
    // Set when a client answers; cleared once the assignee was told.
    await q.query(`ALTER TABLE questions ADD COLUMN answer_pending_notice boolean NOT NULL DEFAULT false`);
    await q.query(`CREATE INDEX ix_questions_answer_notice ON questions (assignee_user_id) WHERE answer_pending_notice`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE questions DROP COLUMN answer_pending_notice`);
    await q.query(`ALTER TABLE users DROP CONSTRAINT ck_users_answer_emails, DROP COLUMN answer_emails, DROP COLUMN last_answer_digest_at`);
    await q.query(`ALTER TABLE contacts DROP CONSTRAINT ck_contacts_question_emails, DROP COLUMN question_emails, DROP COLUMN question_reminders, DROP COLUMN last_digest_at`);
  }
}

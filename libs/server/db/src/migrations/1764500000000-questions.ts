import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Q1–Q10: questions between the firm and a client's people, each a thread of messages, with
 * attachments (F2) and an outbox of events for integrators (I2). A transaction question keeps a
 * copy of what the client was shown, so it reads the same after the ledger changes or goes away.
 */
export class Questions1764500000000 implements MigrationInterface {
  name = 'Questions1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE clients ADD COLUMN question_seq integer NOT NULL DEFAULT 0`);
    // Reminders for unanswered questions, in days after asking (Q9); empty: none.
    await q.query(`ALTER TABLE firms ADD COLUMN question_reminder_days integer[] NOT NULL DEFAULT '{3,7}'`);

    await q.query(`
      CREATE TABLE questions (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        firm_id uuid NOT NULL,
        client_id uuid NOT NULL,
        number integer NOT NULL,
        kind text NOT NULL,
        status text NOT NULL DEFAULT 'open',
        text text NOT NULL,
        transaction_id bigint,
        txn jsonb,
        category_options jsonb NOT NULL DEFAULT '[]'::jsonb,
        answer_category jsonb,
        contact_id uuid,
        assignee_user_id uuid,
        created_by_user uuid,
        created_by_contact uuid,
        due_on date,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        last_activity_at timestamptz NOT NULL DEFAULT now(),
        answered_at timestamptz,
        resolved_at timestamptz,
        resolved_by uuid,
        notified_at timestamptz,
        reminders_sent integer NOT NULL DEFAULT 0,
        message_count integer NOT NULL DEFAULT 0,
        attachment_count integer NOT NULL DEFAULT 0,
        apply_status text,
        apply_error text,
        applied_category jsonb,
        applied_at timestamptz,
        CONSTRAINT pk_questions PRIMARY KEY (id),
        CONSTRAINT uq_questions_client_number UNIQUE (client_id, number),
        CONSTRAINT fk_questions_firm FOREIGN KEY (firm_id) REFERENCES firms (id) ON DELETE CASCADE,
        CONSTRAINT fk_questions_client FOREIGN KEY (client_id) REFERENCES clients (id) ON DELETE CASCADE,
        CONSTRAINT fk_questions_transaction FOREIGN KEY (transaction_id) REFERENCES ledger_transactions (id) ON DELETE SET NULL,
        CONSTRAINT fk_questions_contact FOREIGN KEY (contact_id) REFERENCES contacts (id) ON DELETE SET NULL,
        CONSTRAINT fk_questions_assignee FOREIGN KEY (assignee_user_id) REFERENCES users (id) ON DELETE SET NULL,
        CONSTRAINT fk_questions_created_by_user FOREIGN KEY (created_by_user) REFERENCES users (id) ON DELETE SET NULL,
        CONSTRAINT fk_questions_created_by_contact FOREIGN KEY (created_by_contact) REFERENCES contacts (id) ON DELETE SET NULL,
        CONSTRAINT fk_questions_resolved_by FOREIGN KEY (resolved_by) REFERENCES users (id) ON DELETE SET NULL,
        CONSTRAINT ck_questions_kind CHECK (kind IN ('transaction', 'other', 'for_us')),
        CONSTRAINT ck_questions_status CHECK (status IN ('open', 'answered', 'resolved')),
        CONSTRAINT ck_questions_txn CHECK ((kind = 'transaction') = (txn IS NOT NULL)),
        CONSTRAINT ck_questions_apply CHECK (apply_status IS NULL OR apply_status IN ('pending', 'applied', 'failed'))
      )`);
    // One question per transaction, ever: a resolved one is reopened rather than asked again.
    await q.query(`CREATE UNIQUE INDEX uq_questions_transaction ON questions (transaction_id) WHERE transaction_id IS NOT NULL`);
    // The boards: per client, and across clients per firm, newest activity first, by status.
    await q.query(`CREATE INDEX ix_questions_client_status ON questions (client_id, status, last_activity_at DESC, id DESC)`);
    await q.query(`CREATE INDEX ix_questions_firm_status ON questions (firm_id, status, last_activity_at DESC, id DESC)`);
    // The portal: what waits for a contact.
    await q.query(`CREATE INDEX ix_questions_contact_open ON questions (contact_id, client_id) WHERE status = 'open'`);
    // The worker: digests not yet sent, reminders due.
    await q.query(`CREATE INDEX ix_questions_unnotified ON questions (contact_id) WHERE notified_at IS NULL AND status = 'open'`);
    await q.query(`CREATE INDEX ix_questions_open_created ON questions (created_at) WHERE status = 'open'`);

    await q.query(`
      CREATE TABLE question_messages (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        question_id uuid NOT NULL,
        firm_id uuid NOT NULL,
        author_user_id uuid,
        author_contact_id uuid,
        author_name text NOT NULL,
        internal boolean NOT NULL DEFAULT false,
        body text NOT NULL,
        category jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_question_messages PRIMARY KEY (id),
        CONSTRAINT fk_question_messages_question FOREIGN KEY (question_id) REFERENCES questions (id) ON DELETE CASCADE,
        CONSTRAINT fk_question_messages_user FOREIGN KEY (author_user_id) REFERENCES users (id) ON DELETE SET NULL,
        CONSTRAINT fk_question_messages_contact FOREIGN KEY (author_contact_id) REFERENCES contacts (id) ON DELETE SET NULL,
        CONSTRAINT ck_question_messages_internal CHECK (NOT internal OR author_contact_id IS NULL)
      )`);
    await q.query(`CREATE INDEX ix_question_messages_question ON question_messages (question_id, created_at, id)`);

    await q.query(`
      CREATE TABLE question_attachments (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        question_id uuid NOT NULL,
        message_id uuid,
        firm_id uuid NOT NULL,
        uploaded_by_user uuid,
        uploaded_by_contact uuid,
        storage_key text NOT NULL,
        filename text NOT NULL,
        content_type text NOT NULL,
        size bigint NOT NULL,
        sha256 text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_question_attachments PRIMARY KEY (id),
        CONSTRAINT uq_question_attachments_key UNIQUE (storage_key),
        CONSTRAINT fk_question_attachments_question FOREIGN KEY (question_id) REFERENCES questions (id) ON DELETE CASCADE,
        CONSTRAINT fk_question_attachments_message FOREIGN KEY (message_id) REFERENCES question_messages (id) ON DELETE CASCADE
      )`);
    await q.query(`CREATE INDEX ix_question_attachments_question ON question_attachments (question_id)`);

    // I2: events for integrators' webhooks, written in the transaction of the change they describe.
    await q.query(`
      CREATE TABLE outbox_events (
        id bigint GENERATED ALWAYS AS IDENTITY,
        firm_id uuid NOT NULL,
        type text NOT NULL,
        subject_id uuid NOT NULL,
        payload jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        delivered_at timestamptz,
        CONSTRAINT pk_outbox_events PRIMARY KEY (id),
        CONSTRAINT fk_outbox_events_firm FOREIGN KEY (firm_id) REFERENCES firms (id) ON DELETE CASCADE
      )`);
    await q.query(`CREATE INDEX ix_outbox_events_undelivered ON outbox_events (id) WHERE delivered_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS outbox_events`);
    await q.query(`DROP TABLE IF EXISTS question_attachments`);
    await q.query(`DROP TABLE IF EXISTS question_messages`);
    await q.query(`DROP TABLE IF EXISTS questions`);
    await q.query(`ALTER TABLE firms DROP COLUMN question_reminder_days`);
    await q.query(`ALTER TABLE clients DROP COLUMN question_seq`);
  }
}

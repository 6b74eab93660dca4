import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The question boards at a firm's scale (20,000 questions): a page is read by walking an index
 * newest first and stopping at the limit, whatever the status filter; the counts per status are
 * read from an index alone.
 */
export class QuestionBoard1764800000000 implements MigrationInterface {
  name = 'QuestionBoard1764800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX ix_questions_firm_activity ON questions (firm_id, last_activity_at DESC, id DESC)`);
    await q.query(`CREATE INDEX ix_questions_client_activity ON questions (client_id, last_activity_at DESC, id DESC)`);
    await q.query(`CREATE INDEX ix_questions_assignee_activity ON questions (assignee_user_id, last_activity_at DESC, id DESC)`);
    await q.query(`CREATE INDEX ix_questions_firm_counts ON questions (firm_id, status, client_id, assignee_user_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS ix_questions_firm_counts`);
    await q.query(`DROP INDEX IF EXISTS ix_questions_assignee_activity`);
    await q.query(`DROP INDEX IF EXISTS ix_questions_client_activity`);
    await q.query(`DROP INDEX IF EXISTS ix_questions_firm_activity`);
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The question boards' counts per status, kept as each question changes instead of counted on each
 * request (20,000 questions took 8 ms to count; summing these rows takes well under one). Keyed by
 * client, assignee (a zero uuid for "nobody") and status, so any mix of the client and assignee
 * filters is a sum. A trigger keeps them: one statement per change, its rows in a fixed order, so
 * two changes at the same client cannot deadlock on them.
 */
export class QuestionCounts1764900000000 implements MigrationInterface {
  name = 'QuestionCounts1764900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE question_counts (
        firm_id uuid NOT NULL,
        client_id uuid NOT NULL,
        assignee_key uuid NOT NULL,
        status text NOT NULL,
        n integer NOT NULL,
        CONSTRAINT pk_question_counts PRIMARY KEY (client_id, assignee_key, status),
        CONSTRAINT fk_question_counts_client FOREIGN KEY (client_id) REFERENCES clients (id) ON DELETE CASCADE
      )`);
    await q.query(`CREATE INDEX ix_question_counts_firm ON question_counts (firm_id)`);
    await q.query(`
      CREATE FUNCTION question_counts_apply() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        -- A deleted question (its client's deletion may have removed the counts already): only ever less.
        IF TG_OP = 'DELETE' THEN
          UPDATE question_counts SET n = n - 1
           WHERE client_id = OLD.client_id AND assignee_key = coalesce(OLD.assignee_user_id, '00000000-0000-0000-0000-000000000000'::uuid) AND status = OLD.status;
          RETURN NULL;
        END IF;
        INSERT INTO question_counts (firm_id, client_id, assignee_key, status, n)
        SELECT d.firm_id, d.client_id, d.assignee_key, d.status, sum(d.n)
          FROM (SELECT OLD.firm_id, OLD.client_id, coalesce(OLD.assignee_user_id, '00000000-0000-0000-0000-000000000000'::uuid), OLD.status, -1
                 WHERE TG_OP = 'UPDATE'
                UNION ALL
                SELECT NEW.firm_id, NEW.client_id, coalesce(NEW.assignee_user_id, '00000000-0000-0000-0000-000000000000'::uuid), NEW.status, 1
                ) AS d(firm_id, client_id, assignee_key, status, n)
         GROUP BY d.firm_id, d.client_id, d.assignee_key, d.status
        HAVING sum(d.n) <> 0
         ORDER BY d.client_id, d.assignee_key, d.status
        ON CONFLICT (client_id, assignee_key, status) DO UPDATE SET n = question_counts.n + EXCLUDED.n;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER trg_question_counts AFTER INSERT OR DELETE OR UPDATE OF status, client_id, assignee_user_id ON questions
        FOR EACH ROW EXECUTE FUNCTION question_counts_apply()`);
    await q.query(`
      INSERT INTO question_counts (firm_id, client_id, assignee_key, status, n)
      SELECT firm_id, client_id, coalesce(assignee_user_id, '00000000-0000-0000-0000-000000000000'::uuid), status, count(*)
        FROM questions GROUP BY 1, 2, 3, 4`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER IF EXISTS trg_question_counts ON questions`);
    await q.query(`DROP FUNCTION IF EXISTS question_counts_apply()`);
    await q.query(`DROP TABLE IF EXISTS question_counts`);
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A version number per firm (the console's question boards) and per client (its portal question
 * list), raised in the same transaction as any change that can alter what those lists show: a
 * question, a client's name, status or Questions for Us, a firm's or staff member's name, a
 * business's people, and who is assigned to which client. The API keeps the lists it built under
 * the version it read first, so a cached list is never older than the version a reader sees.
 *
 * Every raise locks the firm's row first, then the clients' in id order: two transactions of one
 * firm queue on the firm's row and so can never deadlock on the clients' rows.
 */
export class QuestionVersions1765000000000 implements MigrationInterface {
  name = 'QuestionVersions1765000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE question_versions (
        scope_id uuid NOT NULL,
        version bigint NOT NULL DEFAULT 1,
        CONSTRAINT pk_question_versions PRIMARY KEY (scope_id)
      )`);
    await q.query(`
      CREATE FUNCTION question_versions_raise(firm uuid, clients uuid[]) RETURNS void LANGUAGE sql AS $$
        INSERT INTO question_versions AS v (scope_id) VALUES (firm)
            ON CONFLICT (scope_id) DO UPDATE SET version = v.version + 1;
        INSERT INTO question_versions AS v (scope_id)
        SELECT DISTINCT c FROM unnest(clients) AS c WHERE c IS NOT NULL ORDER BY c
            ON CONFLICT (scope_id) DO UPDATE SET version = v.version + 1;
      $$`);

    // Questions: once per statement (a bulk ask of 100 raises each version once), per firm touched.
    // A statement trigger sees only the transition tables it names, hence one function per kind.
    const raiseFrom = (kind: string, rows: string) => `
      CREATE FUNCTION question_versions_questions_${kind}()
        RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE f record;
      BEGIN
        FOR f IN SELECT firm_id, array_agg(DISTINCT client_id) AS clients FROM (${rows}) x GROUP BY firm_id ORDER BY firm_id LOOP
          PERFORM question_versions_raise(f.firm_id, f.clients);
        END LOOP;
        RETURN NULL;
      END $$`;
    await q.query(raiseFrom('insert', 'SELECT firm_id, client_id FROM changed_new'));
    await q.query(raiseFrom('delete', 'SELECT firm_id, client_id FROM changed_old'));
    await q.query(raiseFrom('update', 'SELECT firm_id, client_id FROM changed_new UNION ALL SELECT firm_id, client_id FROM changed_old'));
    await q.query(`
      CREATE TRIGGER trg_question_versions_insert AFTER INSERT ON questions REFERENCING NEW TABLE AS changed_new
        FOR EACH STATEMENT EXECUTE FUNCTION question_versions_questions_insert()`);
    await q.query(`
      CREATE TRIGGER trg_question_versions_update AFTER UPDATE ON questions REFERENCING OLD TABLE AS changed_old NEW TABLE AS changed_new
        FOR EACH STATEMENT EXECUTE FUNCTION question_versions_questions_update()`);
    await q.query(`
      CREATE TRIGGER trg_question_versions_delete AFTER DELETE ON questions REFERENCING OLD TABLE AS changed_old
        FOR EACH STATEMENT EXECUTE FUNCTION question_versions_questions_delete()`);

    // The rest change rarely: a row trigger each.
    await q.query(`
      CREATE FUNCTION question_versions_other() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE r record := coalesce(NEW, OLD);
      BEGIN
        IF TG_TABLE_NAME = 'clients' THEN
          PERFORM question_versions_raise(r.firm_id, ARRAY[r.id]);
        ELSIF TG_TABLE_NAME = 'client_contacts' THEN
          PERFORM question_versions_raise(r.firm_id, ARRAY[r.client_id]);
        ELSIF TG_TABLE_NAME = 'client_assignments' THEN
          PERFORM question_versions_raise(r.firm_id, ARRAY[]::uuid[]);
        ELSIF TG_TABLE_NAME = 'users' THEN
          PERFORM question_versions_raise(r.firm_id, ARRAY(SELECT id FROM clients WHERE firm_id = r.firm_id));
        ELSIF TG_TABLE_NAME = 'firms' THEN
          PERFORM question_versions_raise(r.id, ARRAY(SELECT id FROM clients WHERE firm_id = r.id));
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER trg_question_versions AFTER UPDATE OF name, status, questions_for_us ON clients
        FOR EACH ROW EXECUTE FUNCTION question_versions_other()`);
    await q.query(`
      CREATE TRIGGER trg_question_versions AFTER INSERT OR DELETE OR UPDATE OF name, status, client_id, contact_id ON client_contacts
        FOR EACH ROW EXECUTE FUNCTION question_versions_other()`);
    await q.query(`
      CREATE TRIGGER trg_question_versions AFTER INSERT OR DELETE OR UPDATE ON client_assignments
        FOR EACH ROW EXECUTE FUNCTION question_versions_other()`);
    await q.query(`
      CREATE TRIGGER trg_question_versions AFTER UPDATE OF name ON users
        FOR EACH ROW EXECUTE FUNCTION question_versions_other()`);
    await q.query(`
      CREATE TRIGGER trg_question_versions AFTER UPDATE OF name ON firms
        FOR EACH ROW EXECUTE FUNCTION question_versions_other()`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['clients', 'client_contacts', 'client_assignments', 'users', 'firms']) {
      await q.query(`DROP TRIGGER IF EXISTS trg_question_versions ON ${t}`);
    }
    for (const t of ['insert', 'update', 'delete']) await q.query(`DROP TRIGGER IF EXISTS trg_question_versions_${t} ON questions`);
    for (const f of ['question_versions_other', 'question_versions_questions_update', 'question_versions_questions_insert', 'question_versions_questions_delete']) {
      await q.query(`DROP FUNCTION IF EXISTS ${f}()`);
    }
    await q.query(`DROP FUNCTION IF EXISTS question_versions_raise(uuid, uuid[])`);
    await q.query(`DROP TABLE IF EXISTS question_versions`);
  }
}

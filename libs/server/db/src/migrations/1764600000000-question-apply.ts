import type { MigrationInterface, QueryRunner } from 'typeorm';

/** S6: the class (or tracking option) asked for with a write-back; JSON null means "remove it", SQL NULL "leave it". */
export class QuestionApply1764600000000 implements MigrationInterface {
  name = 'QuestionApply1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE questions ADD COLUMN apply_class_id jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE questions DROP COLUMN apply_class_id`);
  }
}

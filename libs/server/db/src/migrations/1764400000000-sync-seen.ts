import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * S2: QuickBooks reports deletions only through CDC, which reaches back 30 days and 1,000 objects.
 * When it cannot answer, the sync re-reads the backfill window and notes every transaction it
 * sees here, page by page with the page's checkpoint; what was not seen has been deleted.
 */
export class SyncSeen1764400000000 implements MigrationInterface {
  name = 'SyncSeen1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE sync_seen (
        connection_id uuid NOT NULL,
        provider_type text NOT NULL,
        provider_id text NOT NULL,
        CONSTRAINT pk_sync_seen PRIMARY KEY (connection_id, provider_type, provider_id),
        CONSTRAINT fk_sync_seen_connection FOREIGN KEY (connection_id) REFERENCES ledger_connections (id) ON DELETE CASCADE
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS sync_seen`);
  }
}

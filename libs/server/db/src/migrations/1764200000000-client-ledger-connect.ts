import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * L1 from the portal: a firm may let a client's contacts connect (or reconnect) the business's
 * ledger themselves. A connection then records the contact who made it, instead of a staff member.
 */
export class ClientLedgerConnect1764200000000 implements MigrationInterface {
  name = 'ClientLedgerConnect1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE clients ADD COLUMN ledger_connect boolean NOT NULL DEFAULT false`);
    await q.query(`
      ALTER TABLE ledger_connections
        ADD COLUMN connected_by_contact uuid,
        ADD CONSTRAINT fk_ledger_connections_connected_by_contact FOREIGN KEY (connected_by_contact) REFERENCES contacts (id) ON DELETE SET NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ledger_connections DROP COLUMN connected_by_contact`);
    await q.query(`ALTER TABLE clients DROP COLUMN ledger_connect`);
  }
}

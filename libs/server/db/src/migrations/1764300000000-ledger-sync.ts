import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The sync worker (S1–S5, P4): every client's ledger transactions in PostgreSQL, the checkpoints that
 * make a backfill resumable after a crash (committed with the page they cover), the record of every
 * sync run, payees, and which accounts mean "needs review".
 */
export class LedgerSync1764300000000 implements MigrationInterface {
  name = 'LedgerSync1764300000000';

  async up(q: QueryRunner): Promise<void> {
    // Search of memo and payee (trigram), scoped to one connection inside the same GIN index.
    await q.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await q.query(`CREATE EXTENSION IF NOT EXISTS btree_gin`);

    await q.query(`
      CREATE TABLE ledger_transactions (
        id bigint GENERATED ALWAYS AS IDENTITY,
        firm_id uuid NOT NULL,
        client_id uuid NOT NULL,
        connection_id uuid NOT NULL,
        provider text NOT NULL,
        provider_type text NOT NULL,
        provider_id text NOT NULL,
        txn_date date NOT NULL,
        amount numeric(19, 4) NOT NULL,
        currency text,
        payee_id text,
        payee_name text,
        bank_account_id text,
        bank_account_name text,
        account_id text,
        account_name text,
        class_id text,
        class_name text,
        memo text,
        reference text,
        lines jsonb NOT NULL DEFAULT '[]'::jsonb,
        raw jsonb NOT NULL,
        provider_updated_at timestamptz NOT NULL,
        deleted boolean NOT NULL DEFAULT false,
        uncategorized boolean NOT NULL DEFAULT false,
        missing_class boolean NOT NULL DEFAULT false,
        search text GENERATED ALWAYS AS (lower(coalesce(payee_name, '') || ' ' || coalesce(memo, '') || ' ' || coalesce(reference, ''))) STORED,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_ledger_transactions PRIMARY KEY (id),
        CONSTRAINT uq_ledger_transactions_provider UNIQUE (connection_id, provider_type, provider_id),
        CONSTRAINT fk_ledger_transactions_connection FOREIGN KEY (connection_id) REFERENCES ledger_connections (id) ON DELETE CASCADE,
        CONSTRAINT fk_ledger_transactions_client FOREIGN KEY (client_id) REFERENCES clients (id) ON DELETE CASCADE,
        CONSTRAINT fk_ledger_transactions_firm FOREIGN KEY (firm_id) REFERENCES firms (id) ON DELETE CASCADE
      )`);
    // The explorer's orders and filters, per connection, newest first; deleted rows never listed.
    await q.query(`CREATE INDEX ix_ledger_transactions_date ON ledger_transactions (connection_id, txn_date DESC, id DESC) WHERE NOT deleted`);
    await q.query(
      `CREATE INDEX ix_ledger_transactions_uncategorized ON ledger_transactions (connection_id, txn_date DESC, id DESC) WHERE uncategorized AND NOT deleted`,
    );
    await q.query(
      `CREATE INDEX ix_ledger_transactions_missing_class ON ledger_transactions (connection_id, txn_date DESC, id DESC) WHERE missing_class AND NOT deleted`,
    );
    await q.query(`CREATE INDEX ix_ledger_transactions_account ON ledger_transactions (connection_id, account_id, txn_date DESC, id DESC) WHERE NOT deleted`);
    await q.query(`CREATE INDEX ix_ledger_transactions_payee ON ledger_transactions (connection_id, payee_id, txn_date DESC, id DESC) WHERE NOT deleted`);
    // A backfill adds rows fast: new entries wait in GIN's pending list (up to 64 MB) instead of
    // being merged row by row; the worker merges it when a backfill ends (gin_clean_pending_list).
    await q.query(
      `CREATE INDEX ix_ledger_transactions_search ON ledger_transactions USING gin (connection_id, search gin_trgm_ops)
         WITH (fastupdate = on, gin_pending_list_limit = 65536) WHERE NOT deleted`,
    );

    await q.query(`
      CREATE TABLE ledger_payees (
        connection_id uuid NOT NULL,
        firm_id uuid NOT NULL,
        external_id text NOT NULL,
        name text NOT NULL,
        kind text NOT NULL,
        active boolean NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_ledger_payees PRIMARY KEY (connection_id, external_id),
        CONSTRAINT fk_ledger_payees_connection FOREIGN KEY (connection_id) REFERENCES ledger_connections (id) ON DELETE CASCADE,
        CONSTRAINT fk_ledger_payees_firm FOREIGN KEY (firm_id) REFERENCES firms (id) ON DELETE CASCADE,
        CONSTRAINT ck_ledger_payees_kind CHECK (kind IN ('vendor', 'customer', 'contact'))
      )`);

    // A backfill's place in each type, committed in the same transaction as the page it follows.
    await q.query(`
      CREATE TABLE sync_checkpoints (
        connection_id uuid NOT NULL,
        provider_type text NOT NULL,
        cursor text,
        done boolean NOT NULL DEFAULT false,
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_sync_checkpoints PRIMARY KEY (connection_id, provider_type),
        CONSTRAINT fk_sync_checkpoints_connection FOREIGN KEY (connection_id) REFERENCES ledger_connections (id) ON DELETE CASCADE
      )`);

    await q.query(`
      CREATE TABLE sync_runs (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        firm_id uuid NOT NULL,
        client_id uuid NOT NULL,
        connection_id uuid NOT NULL,
        kind text NOT NULL,
        trigger text NOT NULL,
        status text NOT NULL DEFAULT 'queued',
        requested_by uuid,
        queued_at timestamptz NOT NULL DEFAULT now(),
        started_at timestamptz,
        finished_at timestamptz,
        pages integer NOT NULL DEFAULT 0,
        added integer NOT NULL DEFAULT 0,
        changed integer NOT NULL DEFAULT 0,
        removed integer NOT NULL DEFAULT 0,
        read_count integer NOT NULL DEFAULT 0,
        progress_done integer NOT NULL DEFAULT 0,
        progress_total integer,
        phase text,
        since timestamptz,
        attempts integer NOT NULL DEFAULT 0,
        throttled integer NOT NULL DEFAULT 0,
        error_code text,
        error text,
        CONSTRAINT pk_sync_runs PRIMARY KEY (id),
        CONSTRAINT fk_sync_runs_connection FOREIGN KEY (connection_id) REFERENCES ledger_connections (id) ON DELETE CASCADE,
        CONSTRAINT fk_sync_runs_client FOREIGN KEY (client_id) REFERENCES clients (id) ON DELETE CASCADE,
        CONSTRAINT fk_sync_runs_firm FOREIGN KEY (firm_id) REFERENCES firms (id) ON DELETE CASCADE,
        CONSTRAINT fk_sync_runs_requested_by FOREIGN KEY (requested_by) REFERENCES users (id) ON DELETE SET NULL,
        CONSTRAINT ck_sync_runs_kind CHECK (kind IN ('backfill', 'incremental')),
        CONSTRAINT ck_sync_runs_trigger CHECK (trigger IN ('schedule', 'manual', 'connect', 'webhook', 'api')),
        CONSTRAINT ck_sync_runs_status CHECK (status IN ('queued', 'running', 'succeeded', 'failed'))
      )`);
    await q.query(`CREATE INDEX ix_sync_runs_connection ON sync_runs (connection_id, queued_at DESC)`);
    // At most one run queued or running per connection.
    await q.query(`CREATE INDEX ix_sync_runs_firm_open ON sync_runs (firm_id) WHERE status IN ('queued', 'running')`);
    await q.query(`CREATE UNIQUE INDEX uq_sync_runs_open ON sync_runs (connection_id) WHERE status IN ('queued', 'running')`);

    await q.query(`
      ALTER TABLE ledger_connections
        ADD COLUMN backfill_from date,
        ADD COLUMN backfilled_at timestamptz,
        ADD COLUMN synced_through timestamptz,
        ADD COLUMN last_sync_run_id uuid,
        ADD COLUMN last_synced_at timestamptz,
        ADD COLUMN transaction_count integer NOT NULL DEFAULT 0,
        ADD COLUMN uncategorized_count integer NOT NULL DEFAULT 0,
        ADD COLUMN missing_class_count integer NOT NULL DEFAULT 0`);
    await q.query(`ALTER TABLE ledger_accounts ADD COLUMN needs_review boolean NOT NULL DEFAULT false`);
    await q.query(`ALTER TABLE firms ADD COLUMN sync_interval_minutes integer NOT NULL DEFAULT 30`);
    await q.query(`ALTER TABLE firms ADD CONSTRAINT ck_firms_sync_interval CHECK (sync_interval_minutes BETWEEN 5 AND 1440)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE firms DROP COLUMN sync_interval_minutes`);
    await q.query(`ALTER TABLE ledger_accounts DROP COLUMN needs_review`);
    await q.query(`
      ALTER TABLE ledger_connections
        DROP COLUMN backfill_from, DROP COLUMN backfilled_at, DROP COLUMN synced_through, DROP COLUMN last_sync_run_id,
        DROP COLUMN last_synced_at, DROP COLUMN transaction_count, DROP COLUMN uncategorized_count, DROP COLUMN missing_class_count`);
    await q.query(`DROP TABLE IF EXISTS sync_runs`);
    await q.query(`DROP TABLE IF EXISTS sync_checkpoints`);
    await q.query(`DROP TABLE IF EXISTS ledger_payees`);
    await q.query(`DROP TABLE IF EXISTS ledger_transactions`);
  }
}

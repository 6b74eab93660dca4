import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Ledger connections (L1–L5): one live connection per client to QuickBooks Online or Xero, its
 * tokens sealed with AES-256-GCM (libs/server/secrets), its company details, and the synced chart of
 * accounts the default account mappings are chosen from. Disconnected rows stay as history.
 */
export class LedgerConnections1764100000000 implements MigrationInterface {
  name = 'LedgerConnections1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE ledger_connections (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        firm_id uuid NOT NULL,
        client_id uuid NOT NULL,
        provider text NOT NULL,
        status text NOT NULL DEFAULT 'connected',
        external_id text NOT NULL,
        company_name text NOT NULL,
        legal_name text,
        edition text,
        country text,
        currency text,
        class_tracking text NOT NULL DEFAULT 'off',
        classes jsonb NOT NULL DEFAULT '[]'::jsonb,
        payroll_status text NOT NULL DEFAULT 'unknown',
        fixed_assets_status text NOT NULL DEFAULT 'unknown',
        dashboard_url text,
        access_token text,
        refresh_token text,
        access_expires_at timestamptz,
        refresh_expires_at timestamptz,
        default_expense_account_id text,
        default_income_account_id text,
        connected_by uuid,
        connected_at timestamptz NOT NULL DEFAULT now(),
        last_refreshed_at timestamptz,
        token_refreshed_at timestamptz,
        needs_reconnect_at timestamptz,
        disconnected_at timestamptz,
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_ledger_connections PRIMARY KEY (id),
        CONSTRAINT fk_ledger_connections_firm FOREIGN KEY (firm_id) REFERENCES firms (id) ON DELETE CASCADE,
        CONSTRAINT fk_ledger_connections_client FOREIGN KEY (client_id) REFERENCES clients (id) ON DELETE CASCADE,
        CONSTRAINT fk_ledger_connections_connected_by FOREIGN KEY (connected_by) REFERENCES users (id) ON DELETE SET NULL,
        CONSTRAINT ck_ledger_connections_provider CHECK (provider IN ('qbo', 'xero')),
        CONSTRAINT ck_ledger_connections_status CHECK (status IN ('connected', 'needs_reconnect', 'disconnected')),
        CONSTRAINT ck_ledger_connections_class_tracking CHECK (class_tracking IN ('off', 'per_txn', 'per_line')),
        CONSTRAINT ck_ledger_connections_payroll CHECK (payroll_status IN ('connected', 'not_connected', 'unknown')),
        CONSTRAINT ck_ledger_connections_fixed_assets CHECK (fixed_assets_status IN ('connected', 'not_connected', 'unknown')),
        CONSTRAINT ck_ledger_connections_tokens CHECK (status = 'disconnected' OR (access_token IS NOT NULL AND refresh_token IS NOT NULL))
      )`);
    await q.query(`CREATE UNIQUE INDEX uq_ledger_connections_live ON ledger_connections (client_id) WHERE status <> 'disconnected'`);
    await q.query(`CREATE INDEX ix_ledger_connections_firm_status ON ledger_connections (firm_id, status)`);
    await q.query(`CREATE INDEX ix_ledger_connections_external ON ledger_connections (provider, external_id) WHERE status <> 'disconnected'`);

    await q.query(`
      CREATE TABLE ledger_accounts (
        connection_id uuid NOT NULL,
        firm_id uuid NOT NULL,
        external_id text NOT NULL,
        code text,
        name text NOT NULL,
        type text NOT NULL,
        active boolean NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_ledger_accounts PRIMARY KEY (connection_id, external_id),
        CONSTRAINT fk_ledger_accounts_connection FOREIGN KEY (connection_id) REFERENCES ledger_connections (id) ON DELETE CASCADE,
        CONSTRAINT fk_ledger_accounts_firm FOREIGN KEY (firm_id) REFERENCES firms (id) ON DELETE CASCADE
      )`);
    await q.query(`CREATE INDEX ix_ledger_accounts_firm ON ledger_accounts (firm_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS ledger_accounts`);
    await q.query(`DROP TABLE IF EXISTS ledger_connections`);
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Firms, staff, sessions, password links, clients, assignments, activity log and the mail outbox. */
export class Foundation1763900000000 implements MigrationInterface {
  name = 'Foundation1763900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE firms (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        name text NOT NULL,
        slug text NOT NULL,
        status text NOT NULL DEFAULT 'pending',
        contact_name text NOT NULL,
        contact_email text NOT NULL,
        phone text NOT NULL,
        size text NOT NULL,
        portal_name text,
        approved_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_firms PRIMARY KEY (id),
        CONSTRAINT uq_firms_slug UNIQUE (slug),
        CONSTRAINT ck_firms_status CHECK (status IN ('pending', 'approved')),
        CONSTRAINT ck_firms_size CHECK (size IN ('1', '2-5', '6-20', '21-50', '51+'))
      )`);
    await q.query(`CREATE INDEX ix_firms_contact_email ON firms (lower(contact_email))`);

    await q.query(`
      CREATE TABLE users (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        firm_id uuid NOT NULL,
        email text NOT NULL,
        name text NOT NULL,
        role text NOT NULL,
        password_hash text,
        activated_at timestamptz,
        last_sign_in_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_users PRIMARY KEY (id),
        CONSTRAINT fk_users_firm FOREIGN KEY (firm_id) REFERENCES firms (id) ON DELETE CASCADE,
        CONSTRAINT ck_users_role CHECK (role IN ('admin', 'staff')),
        CONSTRAINT ck_users_email_lower CHECK (email = lower(email))
      )`);
    await q.query(`CREATE UNIQUE INDEX uq_users_email ON users (email)`);
    await q.query(`CREATE INDEX ix_users_firm ON users (firm_id)`);

    await q.query(`
      CREATE TABLE sessions (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        token_hash bytea NOT NULL,
        user_id uuid NOT NULL,
        firm_id uuid NOT NULL,
        ip text,
        user_agent text,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_seen_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        CONSTRAINT pk_sessions PRIMARY KEY (id),
        CONSTRAINT uq_sessions_token_hash UNIQUE (token_hash),
        CONSTRAINT fk_sessions_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
      )`);
    await q.query(`CREATE INDEX ix_sessions_user ON sessions (user_id)`);
    await q.query(`CREATE INDEX ix_sessions_firm ON sessions (firm_id)`);

    await q.query(`
      CREATE TABLE password_tokens (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL,
        firm_id uuid NOT NULL,
        purpose text NOT NULL,
        token_hash bytea NOT NULL,
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        superseded_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_password_tokens PRIMARY KEY (id),
        CONSTRAINT uq_password_tokens_hash UNIQUE (token_hash),
        CONSTRAINT fk_password_tokens_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
        CONSTRAINT ck_password_tokens_purpose CHECK (purpose IN ('invite', 'reset'))
      )`);
    await q.query(`CREATE INDEX ix_password_tokens_user ON password_tokens (user_id, purpose)`);
    await q.query(`CREATE INDEX ix_password_tokens_firm ON password_tokens (firm_id)`);

    await q.query(`
      CREATE TABLE clients (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        firm_id uuid NOT NULL,
        name text NOT NULL,
        status text NOT NULL DEFAULT 'active',
        questions_for_us boolean NOT NULL DEFAULT false,
        financials_access boolean NOT NULL DEFAULT false,
        files_access boolean NOT NULL DEFAULT false,
        practice_manager_ref text,
        archived_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_clients PRIMARY KEY (id),
        CONSTRAINT fk_clients_firm FOREIGN KEY (firm_id) REFERENCES firms (id) ON DELETE CASCADE,
        CONSTRAINT ck_clients_status CHECK (status IN ('active', 'archived'))
      )`);
    await q.query(`CREATE UNIQUE INDEX uq_clients_firm_name ON clients (firm_id, lower(name))`);
    await q.query(`CREATE INDEX ix_clients_firm_status_name ON clients (firm_id, status, name)`);

    await q.query(`
      CREATE TABLE client_assignments (
        client_id uuid NOT NULL,
        user_id uuid NOT NULL,
        firm_id uuid NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_client_assignments PRIMARY KEY (client_id, user_id),
        CONSTRAINT fk_client_assignments_client FOREIGN KEY (client_id) REFERENCES clients (id) ON DELETE CASCADE,
        CONSTRAINT fk_client_assignments_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
      )`);
    await q.query(`CREATE INDEX ix_client_assignments_user ON client_assignments (user_id, client_id)`);
    await q.query(`CREATE INDEX ix_client_assignments_firm ON client_assignments (firm_id)`);

    await q.query(`
      CREATE TABLE activity_log (
        id bigint GENERATED ALWAYS AS IDENTITY,
        firm_id uuid NOT NULL,
        actor_user_id uuid,
        actor_name text NOT NULL,
        action text NOT NULL,
        summary text NOT NULL,
        client_id uuid,
        client_name text,
        target_type text,
        target_id text,
        details jsonb NOT NULL DEFAULT '{}'::jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_activity_log PRIMARY KEY (id),
        CONSTRAINT fk_activity_log_firm FOREIGN KEY (firm_id) REFERENCES firms (id) ON DELETE CASCADE
      )`);
    await q.query(`CREATE INDEX ix_activity_log_firm_created ON activity_log (firm_id, id DESC)`);
    await q.query(`CREATE INDEX ix_activity_log_firm_client ON activity_log (firm_id, client_id, id DESC)`);

    await q.query(`
      CREATE TABLE outbound_emails (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        firm_id uuid,
        to_address text NOT NULL,
        subject text NOT NULL,
        text_body text,
        html_body text,
        status text NOT NULL DEFAULT 'queued',
        attempts integer NOT NULL DEFAULT 0,
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        sent_at timestamptz,
        CONSTRAINT pk_outbound_emails PRIMARY KEY (id),
        CONSTRAINT ck_outbound_emails_status CHECK (status IN ('queued', 'sent', 'outbox', 'failed'))
      )`);
    await q.query(`CREATE INDEX ix_outbound_emails_to ON outbound_emails (to_address, created_at DESC)`);
    await q.query(`CREATE INDEX ix_outbound_emails_status ON outbound_emails (status, created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['outbound_emails', 'activity_log', 'client_assignments', 'clients', 'password_tokens', 'sessions', 'users', 'firms']) {
      await q.query(`DROP TABLE IF EXISTS ${t}`);
    }
  }
}

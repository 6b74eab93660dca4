import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The client portal: contacts (one row per person, shared by every business they belong to, across
 * firms), their memberships of clients, their sessions and sign-in/reset links; firm branding; and
 * the link between the client rows of one business at several firms (a business owner grants access).
 */
export class Portal1764000000000 implements MigrationInterface {
  name = 'Portal1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE firms
        ADD COLUMN portal_accent text,
        ADD COLUMN portal_logo bytea,
        ADD COLUMN portal_logo_type text,
        ADD COLUMN portal_logo_updated_at timestamptz,
        ADD CONSTRAINT ck_firms_portal_accent CHECK (portal_accent ~ '^#[0-9a-f]{6}$'),
        ADD CONSTRAINT ck_firms_portal_logo CHECK ((portal_logo IS NULL) = (portal_logo_type IS NULL))`);

    // One business can be a client of several firms: its client rows share a business_id.
    // 'revoked': the business owner took the firm's access away; the firm no longer sees it.
    await q.query(`ALTER TABLE clients ADD COLUMN business_id uuid NOT NULL DEFAULT gen_random_uuid()`);
    await q.query(`CREATE UNIQUE INDEX uq_clients_firm_business ON clients (firm_id, business_id)`);
    await q.query(`CREATE INDEX ix_clients_business ON clients (business_id)`);
    await q.query(`ALTER TABLE clients DROP CONSTRAINT ck_clients_status`);
    await q.query(`ALTER TABLE clients ADD CONSTRAINT ck_clients_status CHECK (status IN ('active', 'archived', 'revoked'))`);
    await q.query(`ALTER TABLE clients ADD COLUMN revoked_at timestamptz, ADD COLUMN access_granted_at timestamptz`);

    await q.query(`
      CREATE TABLE contacts (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        email text NOT NULL,
        password_hash text,
        google_subject text,
        last_client_id uuid,
        last_sign_in_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_contacts PRIMARY KEY (id),
        CONSTRAINT uq_contacts_email UNIQUE (email),
        CONSTRAINT uq_contacts_google_subject UNIQUE (google_subject),
        CONSTRAINT ck_contacts_email_lower CHECK (email = lower(email)),
        CONSTRAINT fk_contacts_last_client FOREIGN KEY (last_client_id) REFERENCES clients (id) ON DELETE SET NULL
      )`);

    await q.query(`
      CREATE TABLE client_contacts (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        firm_id uuid NOT NULL,
        client_id uuid NOT NULL,
        contact_id uuid NOT NULL,
        name text NOT NULL,
        title text,
        role text NOT NULL DEFAULT 'member',
        is_primary boolean NOT NULL DEFAULT false,
        status text NOT NULL DEFAULT 'invited',
        invited_by uuid,
        invited_at timestamptz NOT NULL DEFAULT now(),
        last_invited_at timestamptz NOT NULL DEFAULT now(),
        activated_at timestamptz,
        deactivated_at timestamptz,
        last_sign_in_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_client_contacts PRIMARY KEY (id),
        CONSTRAINT uq_client_contacts_client_contact UNIQUE (client_id, contact_id),
        CONSTRAINT fk_client_contacts_firm FOREIGN KEY (firm_id) REFERENCES firms (id) ON DELETE CASCADE,
        CONSTRAINT fk_client_contacts_client FOREIGN KEY (client_id) REFERENCES clients (id) ON DELETE CASCADE,
        CONSTRAINT fk_client_contacts_contact FOREIGN KEY (contact_id) REFERENCES contacts (id) ON DELETE CASCADE,
        CONSTRAINT fk_client_contacts_invited_by FOREIGN KEY (invited_by) REFERENCES users (id) ON DELETE SET NULL,
        CONSTRAINT ck_client_contacts_role CHECK (role IN ('owner', 'member')),
        CONSTRAINT ck_client_contacts_status CHECK (status IN ('invited', 'active', 'deactivated'))
      )`);
    await q.query(`CREATE UNIQUE INDEX uq_client_contacts_primary ON client_contacts (client_id) WHERE is_primary`);
    await q.query(`CREATE INDEX ix_client_contacts_contact ON client_contacts (contact_id)`);
    await q.query(`CREATE INDEX ix_client_contacts_firm_client ON client_contacts (firm_id, client_id)`);

    await q.query(`
      CREATE TABLE contact_sessions (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        token_hash bytea NOT NULL,
        contact_id uuid NOT NULL,
        ip text,
        user_agent text,
        created_at timestamptz NOT NULL,
        last_seen_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        CONSTRAINT pk_contact_sessions PRIMARY KEY (id),
        CONSTRAINT uq_contact_sessions_token_hash UNIQUE (token_hash),
        CONSTRAINT fk_contact_sessions_contact FOREIGN KEY (contact_id) REFERENCES contacts (id) ON DELETE CASCADE
      )`);
    await q.query(`CREATE INDEX ix_contact_sessions_contact ON contact_sessions (contact_id)`);

    // Emailed links for contacts: 'sign_in' (6 hours), 'invite' (a sign-in link in the invitation,
    // 7 days) and 'reset' (password, 1 hour). Only the token's HMAC is stored.
    await q.query(`
      CREATE TABLE contact_tokens (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        contact_id uuid NOT NULL,
        client_id uuid NOT NULL,
        purpose text NOT NULL,
        token_hash bytea NOT NULL,
        created_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        superseded_at timestamptz,
        CONSTRAINT pk_contact_tokens PRIMARY KEY (id),
        CONSTRAINT uq_contact_tokens_hash UNIQUE (token_hash),
        CONSTRAINT fk_contact_tokens_contact FOREIGN KEY (contact_id) REFERENCES contacts (id) ON DELETE CASCADE,
        CONSTRAINT fk_contact_tokens_client FOREIGN KEY (client_id) REFERENCES clients (id) ON DELETE CASCADE,
        CONSTRAINT ck_contact_tokens_purpose CHECK (purpose IN ('sign_in', 'invite', 'reset'))
      )`);
    await q.query(`CREATE INDEX ix_contact_tokens_contact ON contact_tokens (contact_id, purpose) WHERE used_at IS NULL AND superseded_at IS NULL`);
    await q.query(`CREATE INDEX ix_contact_tokens_client ON contact_tokens (client_id)`);

    // Staff may also sign in with Google: remember the subject once linked.
    await q.query(`ALTER TABLE users ADD COLUMN google_subject text`);
    await q.query(`CREATE UNIQUE INDEX uq_users_google_subject ON users (google_subject)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS uq_users_google_subject`);
    await q.query(`ALTER TABLE users DROP COLUMN IF EXISTS google_subject`);
    for (const t of ['contact_tokens', 'contact_sessions', 'client_contacts', 'contacts']) await q.query(`DROP TABLE IF EXISTS ${t}`);
    await q.query(`DELETE FROM clients WHERE status = 'revoked'`);
    await q.query(`ALTER TABLE clients DROP CONSTRAINT ck_clients_status`);
    await q.query(`ALTER TABLE clients ADD CONSTRAINT ck_clients_status CHECK (status IN ('active', 'archived'))`);
    await q.query(`ALTER TABLE clients DROP COLUMN access_granted_at, DROP COLUMN revoked_at, DROP COLUMN business_id`);
    await q.query(`ALTER TABLE firms DROP CONSTRAINT ck_firms_portal_logo, DROP CONSTRAINT ck_firms_portal_accent,
      DROP COLUMN portal_logo_updated_at, DROP COLUMN portal_logo_type, DROP COLUMN portal_logo, DROP COLUMN portal_accent`);
  }
}

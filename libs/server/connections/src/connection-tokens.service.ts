import { HttpStatus, Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@ledgerport/server/config';
import { AppException } from '@ledgerport/server/errors';
import { returningRows } from '@ledgerport/server/db';
import { ActivityService } from '@ledgerport/server/audit';
import { connectionNeedsReconnectEmail, MailService, type QueuedEmail } from '@ledgerport/server/notifications';
import { TokenCipher } from '@ledgerport/server/secrets';
import {
  LedgerGrantRevoked,
  LedgerRateLimited,
  LedgerRequestFailed,
  LedgerTokenExpired,
  LedgerUnavailable,
  type LedgerProvider,
  type ProviderName,
  type TokenSet,
} from '@ledgerport/ledger';
import { ConnectionsErrorCode } from './connections.errors';
import { LedgerRegistry, PROVIDER_LABELS } from './ledger-registry';

/** Refresh a little before expiry, so a call never starts with a token about to lapse. */
const REFRESH_MARGIN_MS = 120_000;

interface TokenRow {
  id: string;
  firm_id: string;
  client_id: string;
  client_name: string;
  provider: ProviderName;
  status: string;
  external_id: string;
  company_name: string;
  access_token: string | null;
  refresh_token: string | null;
  access_expires_at: Date | null;
  refresh_expires_at: Date | null;
}

/**
 * The tokens of ledger connections: sealed at rest (AES-256-GCM, bound to the connection), refreshed
 * before expiry and after a 401, ONE refresh per connection at a time across every API and worker
 * process (the refresh runs inside a transaction holding the connection's row lock, and re-reads
 * the row once it has the lock), the rotated refresh token committed before anything uses it.
 * A revoked or lapsed grant turns the connection to needs-reconnect and emails the people concerned.
 */
@Injectable()
export class ConnectionTokens {
  private readonly logger = new Logger(ConnectionTokens.name);
  private readonly cipher: TokenCipher;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly registry: LedgerRegistry,
    private readonly mail: MailService,
    private readonly activity: ActivityService,
  ) {
    this.cipher = new TokenCipher(config.ENCRYPTION_KEY, config.ENCRYPTION_KEYS_PREVIOUS?.split(',').map((k) => k.trim()) ?? []);
  }

  seal(connectionId: string, kind: 'access' | 'refresh', token: string): string {
    return this.cipher.seal(token, `ledger_connection:${connectionId}:${kind}`);
  }

  open(connectionId: string, kind: 'access' | 'refresh', sealed: string): string {
    return this.cipher.open(sealed, `ledger_connection:${connectionId}:${kind}`);
  }

  /** Stores a token set (inside the caller's transaction). */
  async store(m: EntityManager, connectionId: string, tokens: TokenSet): Promise<void> {
    await m.query(
      `UPDATE ledger_connections SET access_token = $2, refresh_token = $3, access_expires_at = $4, refresh_expires_at = $5,
              token_refreshed_at = now(), updated_at = now() WHERE id = $1`,
      [
        connectionId,
        this.seal(connectionId, 'access', tokens.accessToken),
        this.seal(connectionId, 'refresh', tokens.refreshToken),
        tokens.accessExpiresAt,
        tokens.refreshExpiresAt,
      ],
    );
  }

  /**
   * Runs `work` with a valid access token for the connection: refreshes first when the token is
   * (nearly) expired, and once more if the provider still answers 401.
   */
  async withLedger<T>(connectionId: string, work: (ledger: LedgerProvider, accessToken: string, externalId: string) => Promise<T>): Promise<T> {
    let row = await this.load(this.db.manager, connectionId);
    if (!row.access_expires_at || row.access_expires_at.getTime() - Date.now() < REFRESH_MARGIN_MS) {
      row = await this.refresh(connectionId, false);
    }
    const ledger = this.provider(row.provider);
    try {
      return await work(ledger, this.open(row.id, 'access', row.access_token as string), row.external_id);
    } catch (err) {
      if (err instanceof LedgerGrantRevoked) throw await this.revoked(row, err);
      if (!(err instanceof LedgerTokenExpired)) throw this.classify(err);
      row = await this.refresh(connectionId, true, row.access_token);
      try {
        return await work(ledger, this.open(row.id, 'access', row.access_token as string), row.external_id);
      } catch (again) {
        if (again instanceof LedgerGrantRevoked) throw await this.revoked(row, again);
        throw this.classify(again);
      }
    }
  }

  /** The ledger no longer accepts this grant for the company: needs reconnect, people told. */
  private async revoked(row: TokenRow, err: Error): Promise<AppException> {
    const staged = await this.db.transaction((m) => this.markNeedsReconnect(m, row, 'The ledger no longer accepts this connection.'));
    this.logger.warn({ err: err.message, connection: row.id }, 'Ledger grant revoked');
    await this.mail.dispatch(...staged);
    return new AppException(HttpStatus.CONFLICT, ConnectionsErrorCode.NEEDS_RECONNECT, 'This ledger connection was revoked or has expired. Reconnect it to continue.');
  }

  /**
   * Refreshes under the connection's row lock. Unless `force`, a token another process refreshed
   * meanwhile is simply used; with `force` (after a 401), a token that already changed since
   * `staleAccess` is used too.
   */
  async refresh(connectionId: string, force: boolean, staleAccess?: string | null): Promise<TokenRow> {
    const outcome = await this.db.transaction(async (m) => {
      const row = await this.load(m, connectionId, true);
      if (row.status !== 'connected') {
        throw new AppException(HttpStatus.CONFLICT, ConnectionsErrorCode.NEEDS_RECONNECT, `${row.client_name} must be reconnected to ${PROVIDER_LABELS[row.provider]}.`);
      }
      const fresh = row.access_expires_at && row.access_expires_at.getTime() - Date.now() >= REFRESH_MARGIN_MS;
      if ((!force && fresh) || (force && staleAccess && row.access_token !== staleAccess)) return { row };
      try {
        const tokens = await this.provider(row.provider).refresh(this.open(row.id, 'refresh', row.refresh_token as string));
        await this.store(m, row.id, tokens);
        return { row: await this.load(m, connectionId) };
      } catch (err) {
        if (!(err instanceof LedgerGrantRevoked)) throw this.classify(err);
        return { revoked: await this.markNeedsReconnect(m, row, 'The connection was revoked or has expired at the provider.') };
      }
    });
    if ('revoked' in outcome) {
      await this.mail.dispatch(...(outcome.revoked ?? []));
      throw new AppException(HttpStatus.CONFLICT, ConnectionsErrorCode.NEEDS_RECONNECT, 'This ledger connection was revoked or has expired. Reconnect it to continue.');
    }
    return outcome.row;
  }

  /** Marks a connection needs-reconnect (once), logs it and stages the emails to its admins and assigned staff. */
  async markNeedsReconnect(m: EntityManager, row: Pick<TokenRow, 'id' | 'firm_id' | 'client_id' | 'client_name' | 'provider' | 'company_name'>, reason: string): Promise<QueuedEmail[]> {
    const changed = await returningRows<{ id: string }>(
      m,
      `UPDATE ledger_connections SET status = 'needs_reconnect', needs_reconnect_at = now(), last_error = $2, updated_at = now()
        WHERE id = $1 AND status = 'connected' RETURNING id`,
      [row.id, reason],
    );
    if (!changed.length) return [];
    const label = PROVIDER_LABELS[row.provider];
    await this.activity.record(m, {
      firmId: row.firm_id,
      actor: null,
      action: 'connection.needs_reconnect',
      summary: `${label} connection of ${row.client_name} needs to be reconnected: ${reason}`,
      client: { id: row.client_id, name: row.client_name },
      target: { type: 'ledger_connection', id: row.id },
    });
    const people = await this.peopleOf(m, row.firm_id, row.client_id);
    const url = `${this.config.APP_URL.replace(/\/$/, '')}/clients/${row.client_id}`;
    return this.mail.stageMany(
      m,
      row.firm_id,
      people.map((p) => ({
        to: p.email,
        email: connectionNeedsReconnectEmail({ name: p.name, clientName: row.client_name, providerLabel: label, companyName: row.company_name, url }),
      })),
    );
  }

  /** Who hears about a client's connection: the firm's admins and the staff assigned to the client. */
  peopleOf(m: EntityManager, firmId: string, clientId: string): Promise<{ name: string; email: string }[]> {
    return m.query(
      `SELECT DISTINCT u.name, u.email FROM users u
        WHERE u.firm_id = $1 AND u.activated_at IS NOT NULL
          AND (u.role = 'admin' OR EXISTS (SELECT 1 FROM client_assignments a WHERE a.user_id = u.id AND a.client_id = $2))
        ORDER BY u.name`,
      [firmId, clientId],
    );
  }

  provider(name: ProviderName): LedgerProvider {
    const p = this.registry.get(name);
    if (!p) throw new AppException(HttpStatus.CONFLICT, ConnectionsErrorCode.PROVIDER_NOT_CONFIGURED, `${PROVIDER_LABELS[name]} is not set up on this Ledgerport installation.`);
    return p;
  }

  /** Ledger errors as answers a person understands. */
  classify(err: unknown): unknown {
    if (err instanceof LedgerRateLimited) {
      return new AppException(HttpStatus.TOO_MANY_REQUESTS, ConnectionsErrorCode.LEDGER_RATE_LIMITED, 'The ledger asked us to slow down. Try again in a minute.', {
        retryAfterSeconds: Math.ceil(err.retryAfterMs / 1000),
      });
    }
    if (err instanceof LedgerRequestFailed) {
      this.logger.warn({ err: err.message, status: err.status, code: err.code }, 'The ledger refused a request');
      return new AppException(HttpStatus.BAD_GATEWAY, ConnectionsErrorCode.LEDGER_REFUSED, `The ledger refused the request: ${err.message}`);
    }
    if (err instanceof LedgerUnavailable || err instanceof LedgerTokenExpired) {
      this.logger.warn({ err: (err as Error).message }, 'Ledger call failed');
      return new AppException(HttpStatus.BAD_GATEWAY, ConnectionsErrorCode.LEDGER_UNAVAILABLE, 'The ledger could not be reached. Try again in a few minutes.');
    }
    return err;
  }

  private async load(m: EntityManager, id: string, lock = false): Promise<TokenRow> {
    const [row]: TokenRow[] = await m.query(
      `SELECT l.id, l.firm_id, l.client_id, c.name AS client_name, l.provider, l.status, l.external_id, l.company_name,
              l.access_token, l.refresh_token, l.access_expires_at, l.refresh_expires_at
         FROM ledger_connections l JOIN clients c ON c.id = l.client_id
        WHERE l.id = $1 ${lock ? 'FOR UPDATE OF l' : ''}`,
      [id],
    );
    if (!row || row.status === 'disconnected') {
      throw new AppException(HttpStatus.NOT_FOUND, ConnectionsErrorCode.NO_CONNECTION, 'This client is not connected to a ledger.');
    }
    return row;
  }
}

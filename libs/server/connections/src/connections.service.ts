import { HttpStatus, Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { Redis } from 'ioredis';
import { randomBytes, randomUUID } from 'node:crypto';
import { APP_CONFIG, type AppConfig } from '@ledgerport/server/config';
import { AppException } from '@ledgerport/server/errors';
import { ActivityService } from '@ledgerport/server/audit';
import { ClientsRepository, type ClientRow } from '@ledgerport/server/clients';
import { CLIENT_VISIBLE_SQL, preparedQuery, scopeParams, type FirmScope } from '@ledgerport/server/db';
import { REDIS } from '@ledgerport/server/jobs';
import { LedgerConsentRefused, type ProviderName } from '@ledgerport/ledger';
import { clientConnectedLedgerEmail, MailService, type QueuedEmail } from '@ledgerport/server/notifications';
import { membershipOf, type ContactPrincipal } from '@ledgerport/server/portal';
import { CONSENT_REQUESTS, DETAILS_REQUESTS, LedgerLimits, SyncRequests } from '@ledgerport/server/sync';
import { saveCompanyDetails } from './company-details';
import { ConnectionTokens } from './connection-tokens.service';
import { ConnectionsErrorCode } from './connections.errors';
import type { BoardPageDto, BoardQuery, ClientConnectionDto, ConnectionDto, LedgerAccountDto, PortalConnectionDto, SetDefaultAccountsDto } from './dto/connections.dto';
import { LedgerRegistry, PROVIDER_LABELS } from './ledger-registry';

const FLOW_TTL_SECONDS = 900;

/** Who started a consent: a staff member in the console, or a client contact in the portal. */
type FlowActor = { kind: 'staff'; userId: string } | { kind: 'contact'; contactId: string };

interface Flow {
  firmId: string;
  clientId: string;
  provider: ProviderName;
  actor: FlowActor;
  /** Where the result page links when it was not opened as a popup. */
  backUrl: string;
  codeVerifier?: string;
  nonce?: string;
}

export interface ConnectOutcome {
  clientId: string | null;
  status: 'connected' | 'failed';
  message: string;
  /** A link back for a result page not opened as a popup (null: we do not know who asked). */
  backUrl: string | null;
  connectionId?: string;
}

/** The one allowed to finish a consent, checked again when the provider sends the person back. */
interface Finisher {
  client: { id: string; name: string };
  connectedBy: string | null;
  connectedByContact: string | null;
  actor: { id: string; name: string } | null;
  actorName?: string;
  /** Staff to tell about it (a client connected its own ledger). */
  contactName?: string;
}

interface ConnectionRow {
  id: string;
  provider: ProviderName;
  status: 'connected' | 'needs_reconnect';
  external_id: string;
  company_name: string;
  legal_name: string | null;
  edition: string | null;
  country: string | null;
  currency: string | null;
  class_tracking: 'off' | 'per_txn' | 'per_line';
  classes: { id: string; name: string; active: boolean }[];
  payroll_status: 'connected' | 'not_connected' | 'unknown';
  fixed_assets_status: 'connected' | 'not_connected' | 'unknown';
  dashboard_url: string | null;
  connected_at: Date;
  connected_by_id: string | null;
  connected_by_name: string | null;
  last_refreshed_at: Date | null;
  last_error: string | null;
  expense_id: string | null;
  expense_name: string | null;
  income_id: string | null;
  income_name: string | null;
}

const SELECT_CONNECTION = `
  SELECT l.id, l.provider, l.status, l.external_id, l.company_name, l.legal_name, l.edition, l.country, l.currency,
         l.class_tracking, l.classes, l.payroll_status, l.fixed_assets_status, l.dashboard_url, l.connected_at,
         coalesce(u.id, bc.contact_id) AS connected_by_id, coalesce(u.name, bc.name || ' (client)') AS connected_by_name, l.last_refreshed_at, l.last_error,
         ea.external_id AS expense_id, ea.name AS expense_name, ia.external_id AS income_id, ia.name AS income_name
    FROM ledger_connections l
    LEFT JOIN users u ON u.id = l.connected_by
    LEFT JOIN client_contacts bc ON bc.contact_id = l.connected_by_contact AND bc.client_id = l.client_id
    LEFT JOIN ledger_accounts ea ON ea.connection_id = l.id AND ea.external_id = l.default_expense_account_id
    LEFT JOIN ledger_accounts ia ON ia.connection_id = l.id AND ia.external_id = l.default_income_account_id`;

/**
 * L1–L5: connecting a client to QuickBooks Online or Xero through the provider's consent (in a
 * popup), the connection's details (the tile), refreshing them, default account mappings,
 * disconnecting, and the board of every visible client.
 */
@Injectable()
export class ConnectionsService {
  private readonly logger = new Logger(ConnectionsService.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(REDIS) private readonly redis: Redis,
    private readonly clients: ClientsRepository,
    private readonly tokens: ConnectionTokens,
    private readonly registry: LedgerRegistry,
    private readonly activity: ActivityService,
    private readonly mail: MailService,
    private readonly sync: SyncRequests,
    private readonly limits: LedgerLimits,
  ) {}

  providers() {
    return (['qbo', 'xero'] as const).map((name) => ({
      name,
      label: PROVIDER_LABELS[name],
      logoUrl: `/api/v1/public/providers/${name}/logo.svg`,
      configured: this.registry.configured(name),
    }));
  }

  async forClient(scope: FirmScope, clientId: string): Promise<ClientConnectionDto> {
    await this.client(this.db.manager, scope, clientId);
    const row = await this.live(this.db.manager, clientId);
    return { connection: row ? toDto(row) : null, providers: this.providers() };
  }

  /** Starts a consent: the flow waits in Redis under a random state the browser also keeps in a cookie. */
  async startConnect(scope: FirmScope, clientId: string, provider: ProviderName): Promise<{ url: string; state: string }> {
    const client = await this.client(this.db.manager, scope, clientId);
    if (client.status !== 'active') {
      throw new AppException(HttpStatus.CONFLICT, 'CLIENT_NOT_ACTIVE', `${client.name} is archived. Restore it before connecting its ledger.`);
    }
    const live = await this.live(this.db.manager, clientId);
    if (live?.status === 'connected') {
      throw new AppException(
        HttpStatus.CONFLICT,
        ConnectionsErrorCode.ALREADY_CONNECTED,
        `${client.name} is already connected to ${PROVIDER_LABELS[live.provider]}. Disconnect it first to connect another ledger.`,
      );
    }
    return this.begin({ firmId: scope.firmId, clientId, provider, actor: { kind: 'staff', userId: scope.userId }, backUrl: `/clients/${clientId}` });
  }

  /** The portal's view of its business's connection: what it is connected to, and whether the contact may connect. */
  async forContact(p: ContactPrincipal, businessId: string): Promise<PortalConnectionDto> {
    const m = membershipOf(p, businessId);
    const row = await this.live(this.db.manager, businessId);
    return {
      connection: row
        ? { provider: row.provider, providerLabel: PROVIDER_LABELS[row.provider], companyName: row.company_name, status: row.status, connectedAt: row.connected_at.toISOString() }
        : null,
      canConnect: m.ledger_connect,
      providers: this.providers(),
    };
  }

  /** L1 from the portal, where the firm allows it: a contact of the business connects (or reconnects) its ledger. */
  async startConnectAsContact(p: ContactPrincipal, businessId: string, provider: ProviderName): Promise<{ url: string; state: string }> {
    const m = membershipOf(p, businessId);
    if (!m.ledger_connect) {
      throw new AppException(
        HttpStatus.FORBIDDEN,
        ConnectionsErrorCode.LEDGER_CONNECT_OFF,
        `${m.firm_name} connects ${m.business_name}'s accounting software for you. Ask them if it needs to change.`,
      );
    }
    const live = await this.live(this.db.manager, businessId);
    if (live?.status === 'connected') {
      throw new AppException(
        HttpStatus.CONFLICT,
        ConnectionsErrorCode.ALREADY_CONNECTED,
        `${m.business_name} is already connected to ${PROVIDER_LABELS[live.provider]}. Ask ${m.firm_name} if it needs to change.`,
      );
    }
    return this.begin({
      firmId: m.firm_id,
      clientId: businessId,
      provider,
      actor: { kind: 'contact', contactId: p.contact.id },
      backUrl: `/portal/${m.firm_slug}/home`,
    });
  }

  private async begin(flow: Omit<Flow, 'codeVerifier' | 'nonce'>): Promise<{ url: string; state: string }> {
    const ledger = this.tokens.provider(flow.provider);
    const state = randomBytes(24).toString('base64url');
    const consent = await ledger.startConsent(state).catch((err: unknown) => {
      throw this.tokens.classify(err);
    });
    const full: Flow = { ...flow, codeVerifier: consent.codeVerifier, nonce: consent.nonce };
    await this.redis.set(this.flowKey(state), JSON.stringify(full), 'EX', FLOW_TTL_SECONDS);
    return { url: consent.url, state };
  }

  /** The provider's redirect back: checks the state against the browser's cookie, then connects. */
  async completeConnect(provider: string, query: Record<string, string | undefined>, cookieState: string | undefined, callbackUrl: string): Promise<ConnectOutcome> {
    const state = query.state;
    if (!state || !cookieState || state !== cookieState) {
      return { clientId: null, status: 'failed', backUrl: null, message: 'This connection attempt did not start in this browser, or it took too long. Start again where you started it.' };
    }
    const raw = await this.redis.getdel(this.flowKey(state));
    if (!raw) return { clientId: null, status: 'failed', backUrl: null, message: 'This connection attempt has expired or was already used. Start again where you started it.' };
    const flow = JSON.parse(raw) as Flow;
    const fail = (clientId: string | null, message: string): ConnectOutcome => ({ clientId, status: 'failed', message, backUrl: flow.backUrl });
    if (flow.provider !== provider) return fail(flow.clientId, 'The answer came from another ledger than the one asked. Start again.');
    if (query.error) {
      return fail(flow.clientId, query.error === 'access_denied' ? 'The connection was cancelled at the ledger. Nothing changed.' : `The ledger refused the connection (${query.error}).`);
    }
    const label = PROVIDER_LABELS[flow.provider];
    try {
      const ledger = this.tokens.provider(flow.provider);
      const { tokens, companies } = await ledger.completeConsent(callbackUrl, { state, codeVerifier: flow.codeVerifier, nonce: flow.nonce });
      const company = companies[0];
      if (!company) return fail(flow.clientId, `No ${label} company was chosen. Start again and pick one.`);
      await this.limits.note(flow.provider, company.externalId, CONSENT_REQUESTS[flow.provider]);
      // Through the shared limiter, like every call to a ledger company (the worker may be syncing it).
      const details = await this.limits.run(flow.provider, company.externalId, DETAILS_REQUESTS[flow.provider], () => ledger.companyDetails(tokens.accessToken, company.externalId), 30_000);
      const accounts = await this.limits.run(flow.provider, company.externalId, 1, () => ledger.accounts(tokens.accessToken, company.externalId), 30_000);
      const emails: QueuedEmail[] = [];
      const outcome = await this.db.transaction(async (m) => {
        // The person may have lost access to the client (or the firm its permission) while at the provider.
        const who = flow.actor.kind === 'staff' ? await this.staffFinisher(m, flow, flow.actor.userId) : await this.contactFinisher(m, flow, flow.actor.contactId);
        if (!who) return fail(null, 'You no longer have access to connect this ledger.');
        const client = who.client;
        const live = await this.live(m, client.id);
        if (live?.status === 'connected') return fail(client.id, `${client.name} was connected meanwhile. Disconnect it first to connect another ledger.`);
        if (live) await m.query(`UPDATE ledger_connections SET status = 'disconnected', disconnected_at = now(), access_token = NULL, refresh_token = NULL WHERE id = $1`, [live.id]);
        // The id is chosen here: the sealed tokens are bound to it.
        const id = randomUUID();
        await m.query(
          `INSERT INTO ledger_connections (id, firm_id, client_id, provider, status, external_id, company_name, access_token, refresh_token,
                                           access_expires_at, refresh_expires_at, token_refreshed_at, connected_by, connected_by_contact)
           VALUES ($1, $2, $3, $4, 'connected', $5, $6, $7, $8, $9, $10, now(), $11, $12)`,
          [
            id,
            flow.firmId,
            client.id,
            flow.provider,
            company.externalId,
            details.name || company.name,
            this.tokens.seal(id, 'access', tokens.accessToken),
            this.tokens.seal(id, 'refresh', tokens.refreshToken),
            tokens.accessExpiresAt,
            tokens.refreshExpiresAt,
            who.connectedBy,
            who.connectedByContact,
          ],
        );
        await saveCompanyDetails(m, id, flow.firmId, details, accounts);
        if (live && live.provider === flow.provider && live.external_id === company.externalId) await carryOver(m, live.id, id);
        await this.activity.record(m, {
          firmId: flow.firmId,
          actor: who.actor,
          actorName: who.actorName,
          action: live ? 'connection.reconnected' : 'connection.connected',
          summary: `${live ? 'Reconnected' : 'Connected'} ${client.name} to ${label} (${details.name})`,
          client: { id: client.id, name: client.name },
          target: { type: 'ledger_connection', id },
        });
        if (who.contactName) {
          const url = `${this.config.APP_URL.replace(/\/$/, '')}/clients/${client.id}`;
          const people = await this.tokens.peopleOf(m, flow.firmId, client.id);
          emails.push(
            ...(await this.mail.stageMany(
              m,
              flow.firmId,
              people.map((p) => ({
                to: p.email,
                email: clientConnectedLedgerEmail({
                  name: p.name,
                  contactName: who.contactName as string,
                  clientName: client.name,
                  providerLabel: label,
                  companyName: details.name,
                  reconnected: Boolean(live),
                  url,
                }),
              })),
            )),
          );
        }
        return { clientId: client.id, connectionId: id, status: 'connected' as const, backUrl: flow.backUrl, message: `Connected to ${details.name} in ${label}.` };
      });
      await this.mail.dispatch(...emails);
      // S1: the first sync starts at once (a reconnection of the same company picks up where it was).
      if (outcome.status === 'connected' && outcome.connectionId) {
        await this.sync.request(outcome.connectionId, 'connect', flow.actor.kind === 'staff' ? flow.actor.userId : null).catch((err: unknown) => {
          this.logger.warn({ err: (err as Error).message }, 'Queueing the first sync failed; the schedule will pick it up');
        });
      }
      return outcome;
    } catch (err) {
      if (err instanceof LedgerConsentRefused) return fail(flow.clientId, 'The connection was cancelled at the ledger. Nothing changed.');
      this.logger.warn({ err: (err as Error).message, provider: flow.provider }, 'Connecting a ledger failed');
      return fail(flow.clientId, `${label} could not complete the connection. Try again in a few minutes.`);
    }
  }

  private async staffFinisher(m: EntityManager, flow: Flow, userId: string): Promise<Finisher | null> {
    const [user]: { role: 'admin' | 'staff'; name: string }[] = await m.query(`SELECT role, name FROM users WHERE id = $1 AND firm_id = $2`, [userId, flow.firmId]);
    if (!user) return null;
    const scope: FirmScope = { firmId: flow.firmId, userId, role: user.role, userName: user.name };
    const client = await this.clients.find(m, scope, flow.clientId, true);
    if (!client || client.status !== 'active') return null;
    return { client: { id: client.id, name: client.name }, connectedBy: userId, connectedByContact: null, actor: { id: userId, name: user.name } };
  }

  /** A contact still a member of the active business, and the firm still lets its clients connect. */
  private async contactFinisher(m: EntityManager, flow: Flow, contactId: string): Promise<Finisher | null> {
    const [row]: { id: string; name: string; contact_name: string }[] = await m.query(
      `SELECT c.id, c.name, cc.name AS contact_name
         FROM clients c
         JOIN client_contacts cc ON cc.client_id = c.id AND cc.contact_id = $3 AND cc.status <> 'deactivated'
         JOIN firms f ON f.id = c.firm_id AND f.status = 'approved'
        WHERE c.id = $1 AND c.firm_id = $2 AND c.status = 'active' AND c.ledger_connect
        FOR UPDATE OF c`,
      [flow.clientId, flow.firmId, contactId],
    );
    if (!row) return null;
    return {
      client: { id: row.id, name: row.name },
      connectedBy: null,
      connectedByContact: contactId,
      actor: null,
      actorName: `${row.contact_name} (client)`,
      contactName: row.contact_name,
    };
  }

  /** "Refresh": re-reads the company details, classes and chart of accounts. */
  async refresh(scope: FirmScope, clientId: string): Promise<ConnectionDto> {
    await this.client(this.db.manager, scope, clientId);
    const live = await this.mustLive(this.db.manager, clientId);
    const { details, accounts } = await this.tokens.withLedger(live.id, async (ledger, token, externalId) => ({
      details: await this.limits.forRequest(live.provider, externalId, DETAILS_REQUESTS[live.provider], () => ledger.companyDetails(token, externalId)),
      accounts: await this.limits.forRequest(live.provider, externalId, 1, () => ledger.accounts(token, externalId)),
    }));
    await this.db.transaction((m) => saveCompanyDetails(m, live.id, scope.firmId, details, accounts));
    return toDto((await this.live(this.db.manager, clientId)) as ConnectionRow);
  }

  /** L5: revokes the grant at the provider (best effort), removes the tokens; the row stays as history. */
  async disconnect(scope: FirmScope, clientId: string): Promise<void> {
    const client = await this.client(this.db.manager, scope, clientId);
    const live = await this.mustLive(this.db.manager, clientId);
    const [sealed]: { access_token: string; refresh_token: string; access_expires_at: Date }[] = await this.db.query(
      `SELECT access_token, refresh_token, access_expires_at FROM ledger_connections WHERE id = $1`,
      [live.id],
    );
    try {
      await this.tokens.provider(live.provider).revoke({
        accessToken: this.tokens.open(live.id, 'access', sealed.access_token),
        refreshToken: this.tokens.open(live.id, 'refresh', sealed.refresh_token),
        accessExpiresAt: sealed.access_expires_at,
        refreshExpiresAt: null,
      });
    } catch (err) {
      // The tokens go either way: a grant we cannot revoke dies with them.
      this.logger.warn({ err: (err as Error).message }, 'Revoking a ledger grant failed; removing the tokens anyway');
    }
    await this.db.transaction(async (m) => {
      await m.query(
        `UPDATE ledger_connections SET status = 'disconnected', disconnected_at = now(), access_token = NULL, refresh_token = NULL, updated_at = now() WHERE id = $1`,
        [live.id],
      );
      await this.activity.record(m, {
        firmId: scope.firmId,
        actor: { id: scope.userId, name: scope.userName },
        action: 'connection.disconnected',
        summary: `Disconnected ${client.name} from ${PROVIDER_LABELS[live.provider]} (${live.company_name})`,
        client: { id: client.id, name: client.name },
        target: { type: 'ledger_connection', id: live.id },
      });
    });
  }

  async accounts(scope: FirmScope, clientId: string): Promise<LedgerAccountDto[]> {
    await this.client(this.db.manager, scope, clientId);
    const live = await this.mustLive(this.db.manager, clientId);
    return this.db.query(
      `SELECT external_id AS id, code, name, type, active FROM ledger_accounts WHERE connection_id = $1 ORDER BY active DESC, code NULLS LAST, name`,
      [live.id],
    );
  }

  async setDefaults(scope: FirmScope, clientId: string, dto: SetDefaultAccountsDto): Promise<ConnectionDto> {
    await this.client(this.db.manager, scope, clientId);
    const live = await this.mustLive(this.db.manager, clientId);
    for (const [field, id] of [['expense', dto.expense], ['income', dto.income]] as const) {
      if (id === null) continue;
      const [ok] = await this.db.query(`SELECT 1 FROM ledger_accounts WHERE connection_id = $1 AND external_id = $2 AND active`, [live.id, id]);
      if (!ok) {
        throw new AppException(HttpStatus.BAD_REQUEST, ConnectionsErrorCode.ACCOUNT_NOT_FOUND, 'That account is no longer in the ledger’s chart of accounts. Refresh the connection and choose again.', [
          { field, message: 'no such active account in the chart of accounts' },
        ]);
      }
    }
    await this.db.query(
      `UPDATE ledger_connections SET default_expense_account_id = $2, default_income_account_id = $3, updated_at = now() WHERE id = $1`,
      [live.id, dto.expense, dto.income],
    );
    return toDto((await this.live(this.db.manager, clientId)) as ConnectionRow);
  }

  /**
   * L3: every client the person may see, with its live connection, filtered, sorted and paged in
   * SQL. Two prepared statements run side by side: the page (index-ordered, stops at the limit) and
   * one pass of counts (the filtered total and the totals per status).
   */
  async board(scope: FirmScope, q: BoardQuery): Promise<BoardPageDto> {
    const order = {
      client: 'lower(c.name)',
      provider: `coalesce(l.provider, 'zzz')`,
      status: `CASE WHEN l.status = 'needs_reconnect' THEN 0 WHEN l.status = 'connected' THEN 1 ELSE 2 END`,
      uncategorized: `coalesce(l.uncategorized_count, -1)`,
      synced: `coalesce(l.last_synced_at, '-infinity'::timestamptz)`,
    }[q.sort];
    const dir = q.direction === 'desc' ? 'DESC' : 'ASC';
    const filters = `($4::text = 'all' OR ($4 = 'not_connected' AND l.id IS NULL) OR l.status = $4)
      AND ($5::text IS NULL OR l.provider = $5)
      AND ($6::text IS NULL OR c.name ILIKE '%' || $6 || '%')`;
    const from = `FROM clients c LEFT JOIN ledger_connections l ON l.client_id = c.id AND l.status <> 'disconnected'
      LEFT JOIN sync_runs r ON r.id = l.last_sync_run_id
      LEFT JOIN LATERAL (SELECT x.status FROM sync_runs x WHERE x.connection_id = l.id AND x.status IN ('queued', 'running') LIMIT 1) o ON true
      WHERE ${CLIENT_VISIBLE_SQL} AND c.status = 'active'`;
    const params = [...scopeParams(scope), q.status, q.provider ?? null, q.q?.trim() || null];
    const [rows, [agg]] = await Promise.all([
      preparedQuery<BoardRow>(
        this.db,
        `connections_board_${q.sort}_${dir}`,
        `SELECT c.id, c.name, c.practice_manager_ref, c.status, l.provider, l.status AS conn_status, l.company_name, l.payroll_status,
                l.fixed_assets_status, l.dashboard_url, l.last_refreshed_at, l.last_synced_at, l.transaction_count, l.uncategorized_count,
                l.missing_class_count, coalesce(o.status, r.status, 'never') AS sync_status, CASE WHEN o.status IS NULL THEN r.error END AS sync_error
           ${from} AND ${filters}
          ORDER BY ${order} ${dir}, lower(c.name), c.id LIMIT $7 OFFSET $8`,
        [...params, q.limit, q.offset],
      ),
      preparedQuery<{ total: number; connected: number; needs_reconnect: number; not_connected: number }>(
        this.db,
        'connections_board_counts',
        `SELECT count(*) FILTER (WHERE ${filters})::int AS total,
                count(*) FILTER (WHERE l.status = 'connected')::int AS connected,
                count(*) FILTER (WHERE l.status = 'needs_reconnect')::int AS needs_reconnect,
                count(*) FILTER (WHERE l.id IS NULL)::int AS not_connected
           ${from}`,
        params,
      ),
    ]);
    return {
      items: rows.map((r) => ({
        client: { id: r.id, name: r.name, practiceManagerRef: r.practice_manager_ref, status: r.status },
        connection: r.provider
          ? {
              provider: r.provider,
              status: r.conn_status as 'connected' | 'needs_reconnect',
              companyName: r.company_name as string,
              payroll: r.payroll_status as string,
              fixedAssets: r.fixed_assets_status as string,
              dashboardUrl: r.dashboard_url ?? '',
              lastRefreshedAt: r.last_refreshed_at?.toISOString() ?? null,
              sync: {
                status: r.sync_status as 'never' | 'queued' | 'running' | 'succeeded' | 'failed',
                lastSyncedAt: r.last_synced_at?.toISOString() ?? null,
                error: r.sync_error,
                transactions: r.transaction_count ?? 0,
                uncategorized: r.uncategorized_count ?? 0,
                missingClass: r.missing_class_count ?? 0,
              },
            }
          : null,
      })),
      total: agg.total,
      limit: q.limit,
      offset: q.offset,
      counts: { connected: agg.connected, needsReconnect: agg.needs_reconnect, notConnected: agg.not_connected },
    };
  }

  private async client(m: EntityManager, scope: FirmScope, clientId: string): Promise<ClientRow> {
    const c = await this.clients.find(m, scope, clientId);
    if (!c) throw new AppException(HttpStatus.NOT_FOUND, ConnectionsErrorCode.CLIENT_NOT_FOUND, 'We could not find that client.');
    return c;
  }

  private async live(m: EntityManager, clientId: string): Promise<ConnectionRow | undefined> {
    const [row]: ConnectionRow[] = await m.query(`${SELECT_CONNECTION} WHERE l.client_id = $1 AND l.status <> 'disconnected'`, [clientId]);
    return row;
  }

  private async mustLive(m: EntityManager, clientId: string): Promise<ConnectionRow> {
    const row = await this.live(m, clientId);
    if (!row) throw new AppException(HttpStatus.NOT_FOUND, ConnectionsErrorCode.NO_CONNECTION, 'This client is not connected to a ledger.');
    return row;
  }

  private flowKey(state: string): string {
    return `${this.config.REDIS_PREFIX}:ledger-connect:${state}`;
  }
}

/**
 * A reconnection to the same company keeps what was synced: the transactions, payees, checkpoints,
 * review marks and the sync's place move to the new connection, so the next sync is incremental.
 */
async function carryOver(m: EntityManager, from: string, to: string): Promise<void> {
  await m.query(`UPDATE ledger_transactions SET connection_id = $2 WHERE connection_id = $1`, [from, to]);
  await m.query(`UPDATE ledger_payees SET connection_id = $2 WHERE connection_id = $1`, [from, to]);
  await m.query(`UPDATE sync_checkpoints SET connection_id = $2 WHERE connection_id = $1`, [from, to]);
  await m.query(
    `UPDATE ledger_accounts n SET needs_review = o.needs_review FROM ledger_accounts o
      WHERE o.connection_id = $1 AND n.connection_id = $2 AND n.external_id = o.external_id`,
    [from, to],
  );
  await m.query(
    `UPDATE ledger_connections n
        SET backfill_from = o.backfill_from, backfilled_at = o.backfilled_at, synced_through = o.synced_through, last_synced_at = o.last_synced_at,
            transaction_count = o.transaction_count, uncategorized_count = o.uncategorized_count, missing_class_count = o.missing_class_count,
            default_expense_account_id = o.default_expense_account_id, default_income_account_id = o.default_income_account_id
       FROM ledger_connections o WHERE n.id = $2 AND o.id = $1`,
    [from, to],
  );
}

interface BoardRow {
  id: string;
  name: string;
  practice_manager_ref: string | null;
  status: string;
  provider: ProviderName | null;
  conn_status: 'connected' | 'needs_reconnect' | null;
  company_name: string | null;
  payroll_status: string | null;
  fixed_assets_status: string | null;
  dashboard_url: string | null;
  last_refreshed_at: Date | null;
  last_synced_at: Date | null;
  transaction_count: number | null;
  uncategorized_count: number | null;
  missing_class_count: number | null;
  sync_status: string;
  sync_error: string | null;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function toDto(r: ConnectionRow): ConnectionDto {
  return {
    id: r.id,
    provider: r.provider,
    status: r.status,
    companyName: r.company_name,
    legalName: r.legal_name,
    edition: r.edition,
    country: r.country,
    currency: r.currency,
    externalId: r.external_id,
    connectedAt: r.connected_at.toISOString(),
    connectedBy: r.connected_by_id ? { id: r.connected_by_id, name: r.connected_by_name as string } : null,
    lastRefreshedAt: iso(r.last_refreshed_at),
    classTracking: r.class_tracking,
    classes: r.classes,
    payroll: r.payroll_status,
    fixedAssets: r.fixed_assets_status,
    dashboardUrl: r.dashboard_url ?? '',
    defaultAccounts: {
      expense: r.expense_id ? { id: r.expense_id, name: r.expense_name as string } : null,
      income: r.income_id ? { id: r.income_id, name: r.income_name as string } : null,
    },
    lastError: r.last_error,
  };
}

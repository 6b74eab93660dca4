import OAuthClient from 'intuit-oauth';
import { QBO_ACCOUNTING_SCOPE, QBO_MINOR_VERSION, type QuickBooksSettings } from '../config';
import {
  type ClassTracking,
  type CompanyDetails,
  type ConnectedCompany,
  type ConsentStart,
  LedgerConflict,
  LedgerConsentRefused,
  LedgerGrantRevoked,
  type LedgerProvider,
  LedgerRateLimited,
  LedgerRequestFailed,
  LedgerTokenExpired,
  LedgerUnavailable,
  type LedgerAccount,
  type LedgerPayee,
  type LedgerTransaction,
  type ProductStatus,
  type RecategorizeRequest,
  type TokenSet,
  type TransactionPage,
  type TransactionQuery,
} from '../ledger-provider';
import { headerOf, retryAfterMs } from '../retry-after';
import { checkQboRequest, qboEntityPath, qboRecategorizeBody } from './recategorize';
import { isQboTransactionType, mapQboTransaction, QBO_TRANSACTION_TYPES } from './transactions';

/** The query endpoint's page size limit. */
export const QBO_PAGE_SIZE = 1000;
/** Change data capture looks back at most 30 days; older `since` values are left to the query endpoint. */
export const QBO_CDC_MAX_AGE_MS = 29.5 * 86_400_000;
/** CDC answers at most this many objects: an answer this long may have been cut. */
export const QBO_CDC_MAX_OBJECTS = 1000;
/** How many times a write refused with a stale SyncToken (fault 5010) is read again and retried. */
export const QBO_STALE_RETRIES = 3;
/** QuickBooks' fault codes for "not found" (610) and "stale object" (5010). */
const FAULT_NOT_FOUND = '610';
const FAULT_STALE = '5010';

export interface QuickBooksOptions {
  /**
   * intuit-oauth retries token calls on 408/429/5xx three times, 1, 2 and 4 s apart
   * (OAuthClient.retryConfig). False turns that off for this adapter's clients (tests do).
   */
  retryTokenCalls?: boolean;
  /** The clock token expiry times are computed with. */
  now?: () => number;
  /** Timeout of one data API call (ms); default 30 s, as intuit-oauth's. */
  timeoutMs?: number;
}

type Json = Record<string, unknown>;
interface NameValue {
  Name?: string;
  Value?: string;
}
interface QboFaultError {
  Message?: string;
  Detail?: string;
  code?: string;
}
/** What intuit-oauth's token calls reject with (OAuthClient.createError). */
interface WrappedTokenError {
  error?: string;
  error_description?: string;
  message?: string;
  originalMessage?: string;
  authResponse?: { response?: { status?: number; headers?: unknown } | '' } | '';
}
interface HttpResponseLike {
  status: number;
  headers?: unknown;
  data?: unknown;
}
type AxiosLike = {
  interceptors: {
    response: {
      use(
        onFulfilled: (r: HttpResponseLike) => HttpResponseLike,
        onRejected: (e: unknown) => unknown,
      ): number;
    };
  };
};

/**
 * QuickBooks Online through Intuit's own intuit-oauth SDK: OAuth 2.0 with its token calls, the v3
 * data API with `makeApiCall` on absolute URLs under `settings.apiBase`.
 *
 * **Global state.** intuit-oauth keeps its OAuth endpoints in *static* properties of OAuthClient
 * (authorizeEndpoint, tokenEndpoint, revokeEndpoint, userinfo_endpoint_*), and even
 * `setAuthorizeURLs()` writes those statics: there is no per-instance endpoint. Every SDK method
 * reads them synchronously when called (inside its Promise executor, before any I/O), so this
 * adapter assigns them from its settings immediately before each call (`withEndpoints`). Two
 * adapters with different settings in one process therefore stay correct, but any other code
 * that calls intuit-oauth in the process sees whatever endpoints the last call set.
 * OAuthClient.environment (used only for relative data URLs) and OAuthClient.retryConfig are not
 * touched; retries are turned off per client instance when `retryTokenCalls` is false.
 *
 * A fresh OAuthClient per call: tokens belong to connections, never to the adapter.
 */
export class QuickBooksProvider implements LedgerProvider {
  readonly name = 'qbo' as const;
  private readonly apiBase: string;
  private readonly now: () => number;

  constructor(
    private readonly settings: QuickBooksSettings,
    private readonly options: QuickBooksOptions = {},
  ) {
    this.apiBase = settings.apiBase.replace(/\/+$/, '');
    this.now = options.now ?? Date.now;
  }

  // ------------------------------------------------------------------ OAuth

  async startConsent(state: string): Promise<ConsentStart> {
    const client = this.client();
    const scope = this.settings.scopes?.length ? this.settings.scopes : [QBO_ACCOUNTING_SCOPE];
    // Intuit supports neither PKCE nor a nonce on this flow: the state alone binds the callback.
    return { url: this.withEndpoints(() => client.authorizeUri({ scope, state })) };
  }

  async completeConsent(
    callbackUrl: string,
    flow: { state: string; codeVerifier?: string; nonce?: string },
  ): Promise<{ tokens: TokenSet; companies: ConnectedCompany[] }> {
    const params = callbackParams(callbackUrl);
    const error = params.get('error');
    if (error) {
      throw new LedgerConsentRefused(
        error === 'access_denied'
          ? 'The QuickBooks consent was cancelled.'
          : `QuickBooks refused the consent: ${error}${params.get('error_description') ? ` (${params.get('error_description')})` : ''}.`,
      );
    }
    if (params.get('state') !== flow.state) {
      throw new LedgerConsentRefused(
        'The QuickBooks callback does not belong to this consent (state mismatch).',
      );
    }
    const realmId = params.get('realmId');
    if (!params.get('code') || !realmId) {
      throw new LedgerConsentRefused(
        'The QuickBooks callback has no authorization code or company (realmId).',
      );
    }
    const client = this.client();
    try {
      await this.withEndpoints(() => client.createToken(callbackUrl));
    } catch (e) {
      throw tokenError(e, 'consent');
    }
    const tokens = this.tokenSet(client);
    let name = `QuickBooks company ${realmId}`;
    try {
      const info = await this.api<{ CompanyInfo?: Json }>(
        tokens.accessToken,
        realmId,
        `companyinfo/${realmId}`,
      );
      const companyName = info.CompanyInfo?.CompanyName;
      if (typeof companyName === 'string' && companyName) name = companyName;
    } catch {
      // The grant exists now: never lose its tokens over a name. Details are read again later.
    }
    return { tokens, companies: [{ externalId: realmId, name }] };
  }

  async refresh(refreshToken: string): Promise<TokenSet> {
    const client = this.client();
    try {
      await this.withEndpoints(() => client.refreshUsingToken(refreshToken));
    } catch (e) {
      throw tokenError(e, 'refresh');
    }
    return this.tokenSet(client);
  }

  async revoke(tokens: TokenSet): Promise<void> {
    const client = this.client();
    try {
      // Revoking the refresh token ends the whole grant (and its access tokens).
      await this.withEndpoints(() => client.revoke({ refresh_token: tokens.refreshToken }));
    } catch (e) {
      throw tokenError(e, 'revoke');
    }
  }

  // ------------------------------------------------------------------ data

  async companyDetails(accessToken: string, realmId: string): Promise<CompanyDetails> {
    const [info, prefs, classes] = await Promise.all([
      this.api<{ CompanyInfo?: Json }>(accessToken, realmId, `companyinfo/${encodeURIComponent(realmId)}`),
      this.api<{ Preferences?: Json }>(accessToken, realmId, 'preferences'),
      this.queryAll<Json>(accessToken, realmId, 'Class', ' WHERE Active IN (true, false)'),
    ]);
    const company = info.CompanyInfo ?? {};
    const preferences = prefs.Preferences ?? {};
    const nameValues = (Array.isArray(company.NameValue) ? company.NameValue : []) as NameValue[];
    const nv = (name: string) => nameValues.find((x) => x.Name === name)?.Value;
    const accounting = (preferences.AccountingInfoPrefs ?? {}) as Json;
    const currencyPrefs = (preferences.CurrencyPrefs ?? {}) as { HomeCurrency?: { value?: string } };
    const name = str(company.CompanyName) ?? `QuickBooks company ${realmId}`;
    return {
      externalId: realmId,
      name,
      legalName: str(company.LegalName),
      edition: nv('OfferingSku') ?? null,
      country: str(company.Country),
      currency: currencyPrefs.HomeCurrency?.value ?? null,
      classTracking: classTrackingOf(accounting),
      classes: classes.map((c) => ({
        id: String(c.Id),
        name: str(c.FullyQualifiedName) ?? str(c.Name) ?? String(c.Id),
        active: c.Active !== false,
      })),
      payroll: flagStatus(nv('PayrollFeature')),
      // QuickBooks has no fixed-assets product to be connected to (its Fixed Asset accounts are plain accounts).
      fixedAssets: flagStatus(nv('FixedAssetsFeature')),
      dashboardUrl: this.dashboardUrl(realmId),
    };
  }

  async accounts(accessToken: string, realmId: string): Promise<LedgerAccount[]> {
    const rows = await this.queryAll<Json>(accessToken, realmId, 'Account', ' WHERE Active IN (true, false)');
    return rows.map((a) => ({
      id: String(a.Id),
      code: str(a.AcctNum),
      name: str(a.FullyQualifiedName) ?? str(a.Name) ?? String(a.Id),
      type: str(a.AccountType) ?? 'Unknown',
      active: a.Active !== false,
    }));
  }

  async payees(accessToken: string, realmId: string): Promise<LedgerPayee[]> {
    const where = ' WHERE Active IN (true, false)';
    const [vendors, customers] = await Promise.all([
      this.queryAll<Json>(accessToken, realmId, 'Vendor', where),
      this.queryAll<Json>(accessToken, realmId, 'Customer', where),
    ]);
    const payee = (p: Json, kind: 'vendor' | 'customer'): LedgerPayee => ({
      id: String(p.Id),
      name: str(p.DisplayName) ?? str(p.FullyQualifiedName) ?? str(p.CompanyName) ?? String(p.Id),
      kind,
      active: p.Active !== false,
    });
    return [...vendors.map((v) => payee(v, 'vendor')), ...customers.map((c) => payee(c, 'customer'))];
  }

  transactionTypes(): readonly string[] {
    return QBO_TRANSACTION_TYPES;
  }

  /**
   * One page of one entity through the query endpoint, ordered by Id (unique, so the order is
   * stable while paging). The cursor is the next STARTPOSITION. `changedSince` filters on
   * MetaData.LastUpdatedTime >= the instant floored to the second (QuickBooks keeps whole seconds
   * there, so `>` could miss an edit made in the same second); the query endpoint never returns
   * deleted transactions: those come from `changes` (CDC).
   */
  async transactions(accessToken: string, realmId: string, q: TransactionQuery): Promise<TransactionPage> {
    if (!isQboTransactionType(q.type)) {
      throw new LedgerRequestFailed(`QuickBooks has no transaction type ${q.type} here.`, 0, 'unknown_type');
    }
    const pageSize = Math.min(QBO_PAGE_SIZE, Math.max(1, Math.floor(q.pageSize ?? QBO_PAGE_SIZE)));
    let start = 1;
    if (q.cursor) {
      if (!/^[1-9]\d{0,9}$/.test(q.cursor)) {
        throw new LedgerRequestFailed(`Not a QuickBooks page cursor: ${q.cursor}.`, 0, 'invalid_cursor');
      }
      start = Number(q.cursor);
    }
    const where: string[] = [];
    if (q.from !== undefined) {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(q.from)) {
        throw new LedgerRequestFailed(`Not a date (YYYY-MM-DD): ${q.from}.`, 0, 'invalid_date');
      }
      where.push(`TxnDate >= '${q.from}'`);
    }
    if (q.changedSince !== undefined)
      where.push(`MetaData.LastUpdatedTime >= '${qboInstant(q.changedSince)}'`);
    const query =
      `SELECT * FROM ${q.type}${where.length ? ` WHERE ${where.join(' AND ')}` : ''}` +
      ` ORDERBY Id STARTPOSITION ${start} MAXRESULTS ${pageSize}`;
    const res = await this.api<{ QueryResponse?: Record<string, unknown> }>(
      accessToken,
      realmId,
      `query?query=${encodeURIComponent(query)}`,
    );
    const rows = res.QueryResponse?.[q.type];
    const list = Array.isArray(rows) ? (rows as Json[]) : [];
    const items: LedgerTransaction[] = new Array<LedgerTransaction>(list.length);
    for (let i = 0; i < list.length; i++) items[i] = mapQboTransaction(q.type, list[i]);
    return { items, next: list.length < pageSize ? null : String(start + list.length) };
  }

  /**
   * Change data capture for every transaction type at once. Null when `since` is older than CDC
   * allows (30 days; 29.5 here, for clock skew). `complete` is false when the answer reached
   * 1,000 objects (QuickBooks cuts it there, oldest changes first).
   */
  async changes(
    accessToken: string,
    realmId: string,
    since: Date,
  ): Promise<{ items: LedgerTransaction[]; complete: boolean } | null> {
    if (Number.isNaN(since.getTime()) || since.getTime() < this.now() - QBO_CDC_MAX_AGE_MS) return null;
    const res = await this.api<{ CDCResponse?: { QueryResponse?: Json[] }[] }>(
      accessToken,
      realmId,
      `cdc?entities=${QBO_TRANSACTION_TYPES.join(',')}&changedSince=${encodeURIComponent(qboInstant(since))}`,
    );
    const items: LedgerTransaction[] = [];
    let largest = 0;
    for (const cdc of res.CDCResponse ?? []) {
      for (const qr of cdc.QueryResponse ?? []) {
        if (!qr || typeof qr !== 'object') continue;
        for (const type of QBO_TRANSACTION_TYPES) {
          const list = qr[type];
          if (!Array.isArray(list)) continue;
          largest = Math.max(largest, list.length);
          for (const obj of list as Json[]) items.push(mapQboTransaction(type, obj));
        }
      }
    }
    // QuickBooks documents the cap per answer; count both ways so a cut answer is never "complete".
    const complete = items.length < QBO_CDC_MAX_OBJECTS && largest < QBO_CDC_MAX_OBJECTS;
    return { items, complete };
  }

  /**
   * Sparse update of one line's AccountRef (and ClassRef) on Purchase, Bill, Deposit or
   * JournalEntry. The entity is read fresh for its SyncToken; a stale SyncToken (someone saved the
   * transaction between our read and our write: 400, fault 5010) is read again and retried, at
   * most QBO_STALE_RETRIES times, then LedgerConflict `stale_object`. The line is located again on
   * every read, so a retry never writes over the other user's change to the other lines.
   */
  async recategorize(
    accessToken: string,
    realmId: string,
    req: RecategorizeRequest,
  ): Promise<LedgerTransaction> {
    checkQboRequest(req);
    const entity = req.type;
    for (let attempt = 0; ; attempt++) {
      const current = await this.readTransaction(accessToken, realmId, entity, req.id);
      const body = qboRecategorizeBody(entity, current, req);
      if (!body) return mapQboTransaction(entity, current);
      let res: Record<string, unknown>;
      try {
        res = await this.api<Record<string, unknown>>(accessToken, realmId, qboEntityPath(entity), {
          method: 'POST',
          body,
        });
      } catch (e) {
        if (!(e instanceof LedgerRequestFailed) || e.code !== FAULT_STALE) throw e;
        if (attempt >= QBO_STALE_RETRIES) {
          throw new LedgerConflict(
            `QuickBooks kept refusing the change to ${entity} ${req.id}: someone else saved it each time we tried (${attempt + 1} tries, stale SyncToken).`,
            'stale_object',
            e.status,
          );
        }
        continue;
      }
      const updated = res[entity];
      if (!updated || typeof updated !== 'object') {
        throw new LedgerUnavailable(
          `QuickBooks answered the update of ${entity} ${req.id} without the ${entity}.`,
        );
      }
      return mapQboTransaction(entity, updated as Json);
    }
  }

  /** One transaction by id; LedgerRequestFailed `not_found` when QuickBooks has none (deleted or never there). */
  private async readTransaction(
    accessToken: string,
    realmId: string,
    entity: string,
    id: string,
  ): Promise<Json> {
    let res: Record<string, unknown>;
    try {
      res = await this.api<Record<string, unknown>>(
        accessToken,
        realmId,
        `${qboEntityPath(entity)}/${encodeURIComponent(id)}`,
      );
    } catch (e) {
      if (e instanceof LedgerRequestFailed && (e.code === FAULT_NOT_FOUND || e.status === 404)) {
        throw new LedgerRequestFailed(
          `QuickBooks has no ${entity} ${id}: it was deleted or never existed.`,
          e.status,
          'not_found',
        );
      }
      throw e;
    }
    const obj = res[entity];
    if (!obj || typeof obj !== 'object') {
      throw new LedgerRequestFailed(`QuickBooks answered without the ${entity} ${id}.`, 200, 'not_found');
    }
    return obj as Json;
  }

  /** The company in the QuickBooks web app (the `deeplinkcompanyid` switches to it). */
  dashboardUrl(realmId: string): string {
    const base = this.settings.appCenterUrl.replace(/\/+$/, '');
    return `${base}/app/homepage?deeplinkcompanyid=${encodeURIComponent(realmId)}`;
  }

  /** Every row of `SELECT * FROM <entity><where>`, 1000 a page (STARTPOSITION / MAXRESULTS). */
  async queryAll<T = Json>(accessToken: string, realmId: string, entity: string, where = ''): Promise<T[]> {
    const out: T[] = [];
    for (let start = 1; ; start += QBO_PAGE_SIZE) {
      const q = `SELECT * FROM ${entity}${where} STARTPOSITION ${start} MAXRESULTS ${QBO_PAGE_SIZE}`;
      const res = await this.api<{ QueryResponse?: Record<string, unknown> }>(
        accessToken,
        realmId,
        `query?query=${encodeURIComponent(q)}`,
      );
      const page = (res.QueryResponse?.[entity] ?? []) as T[];
      out.push(...page);
      if (page.length < QBO_PAGE_SIZE) return out;
    }
  }

  /**
   * One v3 call through makeApiCall (absolute URL). makeApiCall drops the status details of a
   * failure (a 401's Fault code, a 429's Retry-After), so the client's own axios instance records
   * the failed response for the error mapping.
   *
   * The answer is asked for as text and parsed here, once: makeApiCall serialises whatever it got
   * twice more (an indented copy for its log, built whether logging is on or not, and `body`),
   * which costs about as much as the parse on a 1,000-transaction page. So the interceptor takes
   * a successful answer's text and hands makeApiCall an empty one; a failed answer is parsed in
   * the interceptor instead, so makeApiCall and `apiError` see its Fault.
   */
  async api<T = Json>(
    accessToken: string,
    realmId: string,
    path: string,
    init: { method?: 'GET' | 'POST'; body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<T> {
    const client = this.client({ access_token: accessToken, realmId });
    let failed: HttpResponseLike | undefined;
    let text: unknown;
    const axios = (client as unknown as { axiosInstance: AxiosLike }).axiosInstance;
    axios.interceptors.response.use(
      (r) => {
        if (r.status >= 400) {
          r.data = parseJsonText(r.data);
          failed = r;
        } else {
          text = r.data;
          r.data = '';
        }
        return r;
      },
      (e) => {
        const response = (e as { response?: HttpResponseLike }).response;
        if (response) {
          response.data = parseJsonText(response.data);
          failed = response;
        }
        return Promise.reject(e);
      },
    );
    const sep = path.includes('?') ? '&' : '?';
    const minor = this.settings.minorVersion ?? QBO_MINOR_VERSION;
    const url = `${this.apiBase}/v3/company/${encodeURIComponent(realmId)}/${path}${sep}minorversion=${minor}`;
    try {
      await client.makeApiCall({
        url,
        method: init.method ?? 'GET',
        body: init.body,
        headers: init.headers,
        timeout: this.options.timeoutMs,
        responseType: 'text',
      });
    } catch (e) {
      throw apiError(e, failed, this.now());
    }
    if (typeof text !== 'string') return text as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new LedgerUnavailable(
        `QuickBooks answered with something that is not JSON: ${text.slice(0, 200)}`,
      );
    }
  }

  // ------------------------------------------------------------------ internals

  private client(token?: { access_token?: string; realmId?: string }): OAuthClient {
    const client = new OAuthClient({
      clientId: this.settings.clientId,
      clientSecret: this.settings.clientSecret,
      environment: this.settings.environment,
      redirectUri: this.settings.redirectUri,
      token,
    });
    if (this.options.retryTokenCalls === false) client.shouldRetry = () => false;
    return client;
  }

  /** Points intuit-oauth's static endpoints at this adapter's settings, then runs `call` (see the class comment). */
  private withEndpoints<T>(call: () => T): T {
    OAuthClient.authorizeEndpoint = this.settings.authorizeUrl;
    OAuthClient.tokenEndpoint = this.settings.tokenUrl;
    OAuthClient.revokeEndpoint = this.settings.revokeUrl;
    if (this.settings.userInfoUrl) {
      if (this.settings.environment === 'sandbox')
        OAuthClient.userinfo_endpoint_sandbox = this.settings.userInfoUrl;
      else OAuthClient.userinfo_endpoint_production = this.settings.userInfoUrl;
    }
    return call();
  }

  private tokenSet(client: OAuthClient): TokenSet {
    const t = client.getToken();
    const issued = this.now();
    if (!t.access_token || !t.refresh_token) {
      throw new LedgerRequestFailed('QuickBooks answered the token request without tokens.', 200);
    }
    return {
      accessToken: t.access_token,
      refreshToken: t.refresh_token,
      accessExpiresAt: new Date(issued + (Number(t.expires_in) || 3600) * 1000),
      refreshExpiresAt: t.x_refresh_token_expires_in
        ? new Date(issued + Number(t.x_refresh_token_expires_in) * 1000)
        : null,
      scope: (this.settings.scopes?.length ? this.settings.scopes : [QBO_ACCOUNTING_SCOPE]).join(' '),
    };
  }
}

// ------------------------------------------------------------------ helpers

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** An instant as QuickBooks writes times, floored to the second: 2026-11-23T12:00:00+00:00. */
export function qboInstant(d: Date): string {
  return `${new Date(Math.floor(d.getTime() / 1000) * 1000).toISOString().slice(0, 19)}+00:00`;
}

function callbackParams(callbackUrl: string): URLSearchParams {
  try {
    return new URL(callbackUrl, 'http://callback.invalid').searchParams;
  } catch {
    throw new LedgerConsentRefused('The QuickBooks callback URL cannot be read.');
  }
}

/** Preferences.AccountingInfoPrefs → the product's class tracking mode. */
export function classTrackingOf(accounting: Record<string, unknown>): ClassTracking {
  if (accounting.ClassTrackingPerTxnLine === true) return 'per_line';
  if (accounting.ClassTrackingPerTxn === true) return 'per_txn';
  return 'off';
}

function flagStatus(value: string | undefined): ProductStatus {
  if (value === undefined) return 'unknown';
  return value.toLowerCase() === 'true' ? 'connected' : 'not_connected';
}

/** Maps a rejection of an intuit-oauth token call (createToken, refreshUsingToken, revoke). */
export function tokenError(e: unknown, during: 'consent' | 'refresh' | 'revoke'): Error {
  const err = (e ?? {}) as WrappedTokenError;
  const response = err.authResponse && err.authResponse.response ? err.authResponse.response : undefined;
  let status = response?.status;
  if (!status) {
    const m = /status code (\d{3})/.exec(err.originalMessage ?? '');
    if (m) status = Number(m[1]);
  }
  const code = err.error || null;
  const description = err.error_description ? ` (${err.error_description})` : '';
  if (code === 'invalid_grant') {
    return during === 'consent'
      ? new LedgerConsentRefused(`QuickBooks refused the authorization code: invalid_grant${description}.`)
      : new LedgerGrantRevoked(`QuickBooks refused the refresh token: invalid_grant${description}.`);
  }
  if (status === 429) {
    return new LedgerRateLimited(
      'QuickBooks is throttling token requests.',
      retryAfterMs(headerOf(response?.headers, 'retry-after')),
    );
  }
  if (status && status >= 500) return new LedgerUnavailable(`QuickBooks' token service failed (${status}).`);
  if (!status) {
    // No response at all: the network, a timeout, DNS. (A synchronous SDK refusal has no authResponse.)
    if (err.authResponse !== undefined) {
      return new LedgerUnavailable(
        `QuickBooks' token service cannot be reached: ${err.originalMessage || err.message}.`,
      );
    }
    return e instanceof Error ? e : new Error(String(e));
  }
  return new LedgerRequestFailed(
    `QuickBooks refused the token request: ${code ?? `HTTP ${status}`}${description}.`,
    status,
    code,
  );
}

/** A text answer parsed as JSON when it is JSON; anything else as it came. */
function parseJsonText(data: unknown): unknown {
  if (typeof data !== 'string' || !data) return data;
  try {
    return JSON.parse(data) as unknown;
  } catch {
    return data;
  }
}

/** Maps a rejection of makeApiCall, with the failed response the interceptor saw (if any). */
export function apiError(e: unknown, failed: HttpResponseLike | undefined, now: number = Date.now()): Error {
  const err = (e ?? {}) as { code?: string; message?: string; fault?: { errors?: { code?: string }[] } };
  const data = (failed?.data ?? {}) as { Fault?: { type?: string; Error?: QboFaultError[] } };
  const fault = data.Fault?.Error?.[0];
  const faultCode = fault?.code ?? err.fault?.errors?.[0]?.code ?? null;
  const status = failed?.status ?? (/^\d{3}$/.test(err.code ?? '') ? Number(err.code) : undefined);
  const detail = fault
    ? `${fault.Message ?? ''}${fault.Detail ? `: ${fault.Detail}` : ''}`
    : (err.message ?? '');
  if (status === 401) {
    return new LedgerTokenExpired(`QuickBooks refused the access token (${faultCode ?? 401}): ${detail}`);
  }
  if (status === 429 || faultCode === '003001' || err.code === 'RATE_LIMIT_EXCEEDED') {
    return new LedgerRateLimited(
      'QuickBooks is throttling this company (ThrottleExceeded).',
      retryAfterMs(headerOf(failed?.headers, 'retry-after'), now),
    );
  }
  if ((status && status >= 500) || err.code === 'INTERNAL_SERVER_ERROR') {
    return new LedgerUnavailable(`QuickBooks failed (${status ?? 500}): ${detail}`);
  }
  if (!status) {
    if (err.code === 'NETWORK_ERROR' || err.code === 'TIMEOUT_ERROR') {
      return new LedgerUnavailable(`QuickBooks cannot be reached: ${err.message ?? err.code}`);
    }
    return e instanceof Error ? e : new Error(String(e));
  }
  return new LedgerRequestFailed(`QuickBooks refused the request (${status}): ${detail}`, status, faultCode);
}

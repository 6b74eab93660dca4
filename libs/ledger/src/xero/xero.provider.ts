import { custom, errors, generators, Issuer, type TokenSet as OidcTokenSet } from 'openid-client';
import { type AccountingApi, type BankTransaction, type ManualJournal, XeroClient } from 'xero-node';
import { AssetStatusQueryParam } from 'xero-node/dist/gen/model/assets/assetStatusQueryParam';
import { XERO_DEFAULTS, type XeroSettings } from '../config';
import {
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
import {
  accountOut,
  bankTransactionUpdate,
  checkBankTransactionState,
  checkManualJournalState,
  checkXeroRequest,
  manualJournalUpdate,
  needsTrackingCategories,
  nextTracking,
  targetLine,
  trackingChoice,
  validationMessages,
  type XeroLineChange,
  type XeroTrackingChoice,
} from './recategorize';
import {
  mapXeroBankTransaction,
  mapXeroBankTransfer,
  mapXeroManualJournal,
  XERO_TRANSACTION_TYPES,
  XERO_TRANSFER_LEGS,
} from './transactions';

/** Xero's default page size for paged lists (BankTransactions, ManualJournals, Contacts). */
export const XERO_PAGE_SIZE = 100;
/** The largest page Xero serves. */
export const XERO_MAX_PAGE_SIZE = 1000;
/** The stable order pages are read in: document date, then the id to break ties. */
const ORDER = {
  BankTransaction: 'Date ASC, BankTransactionID ASC',
  ManualJournal: 'Date ASC, ManualJournalID ASC',
  BankTransfer: 'Date ASC, BankTransferID ASC',
} as const;

/**
 * Decimal places of unit amounts read and written back: Xero rounds them to 2 unless asked for 4,
 * and a line restated with a rounded unit amount would change.
 */
const UNITDP = 4;

/** Xero's refresh tokens live 60 days (rolling); the token response does not say so. */
export const XERO_REFRESH_TTL_MS = 60 * 86_400_000;

export interface XeroOptions {
  now?: () => number;
  /** Clock skew allowed when validating id_tokens (s); xero-node's initialize() uses 5. */
  clockToleranceS?: number;
}

interface Connection {
  id: string;
  tenantId: string;
  tenantType?: string;
  tenantName?: string | null;
  authEventId?: string;
}

/** A generated xero-node API call's rejection, once parsed (ApiError.generateError()). */
interface ApiFailure {
  statusCode: number;
  body: unknown;
  headers: Record<string, unknown>;
}

/**
 * Xero through xero-node. The SDK's initialize() can only discover identity.xero.com, so the
 * adapter discovers `settings.identityUrl` itself with openid-client v5 (the Issuer is cached per
 * adapter) and hands xero-node a ready `openIdClient`; every API's basePath comes from
 * `settings.apiBase`. xero-node's updateTenants(), disconnect() and refreshWithRefreshToken() are
 * hard-wired to the real hosts, so connections are read with a plain GET of
 * `settings.connectionsUrl`, and refreshes go through `refreshToken()` (the openIdClient).
 *
 * A fresh XeroClient per call (tokens belong to connections); no process-wide state is touched
 * (openid-client's `custom.setHttpOptionsDefaults`, which initialize() sets, is left alone).
 */
export class XeroProvider implements LedgerProvider {
  readonly name = 'xero' as const;
  private issuer?: Promise<Issuer>;
  private readonly apiBase: string;
  private readonly now: () => number;

  constructor(
    private readonly settings: XeroSettings,
    private readonly options: XeroOptions = {},
  ) {
    this.apiBase = settings.apiBase.replace(/\/+$/, '');
    this.now = options.now ?? Date.now;
  }

  // ------------------------------------------------------------------ OAuth

  async startConsent(state: string): Promise<ConsentStart> {
    const xero = await this.client(state);
    if (this.settings.pkce === false) return { url: await xero.buildConsentUrl() };
    // xero-node's buildConsentUrl() passes only the state: PKCE and the nonce go through its openIdClient.
    const codeVerifier = generators.codeVerifier();
    const nonce = generators.nonce();
    const url = xero.openIdClient.authorizationUrl({
      redirect_uri: this.settings.redirectUri,
      scope: this.settings.scopes.join(' '),
      state,
      nonce,
      code_challenge: generators.codeChallenge(codeVerifier),
      code_challenge_method: 'S256',
    });
    return { url, codeVerifier, nonce };
  }

  async completeConsent(
    callbackUrl: string,
    flow: { state: string; codeVerifier?: string; nonce?: string },
  ): Promise<{ tokens: TokenSet; companies: ConnectedCompany[] }> {
    let params: URLSearchParams;
    try {
      params = new URL(callbackUrl, 'http://callback.invalid').searchParams;
    } catch {
      throw new LedgerConsentRefused('The Xero callback URL cannot be read.');
    }
    const error = params.get('error');
    if (error) {
      throw new LedgerConsentRefused(
        error === 'access_denied'
          ? 'The Xero consent was cancelled.'
          : `Xero refused the consent: ${error}${params.get('error_description') ? ` (${params.get('error_description')})` : ''}.`,
      );
    }
    if (params.get('state') !== flow.state) {
      throw new LedgerConsentRefused('The Xero callback does not belong to this consent (state mismatch).');
    }
    if (!params.get('code')) throw new LedgerConsentRefused('The Xero callback has no authorization code.');

    const xero = await this.client(flow.state);
    let tokenSet: OidcTokenSet;
    try {
      if (flow.codeVerifier || flow.nonce) {
        const oidc = xero.openIdClient;
        const checks = { state: flow.state, nonce: flow.nonce, code_verifier: flow.codeVerifier };
        const cbParams = oidc.callbackParams(callbackUrl);
        tokenSet = this.settings.scopes.includes('openid')
          ? await oidc.callback(this.settings.redirectUri, cbParams, checks)
          : await oidc.oauthCallback(this.settings.redirectUri, cbParams, checks);
        xero.setTokenSet(tokenSet);
      } else {
        tokenSet = await xero.apiCallback(callbackUrl);
      }
    } catch (e) {
      throw oauthError(e, 'consent');
    }
    const tokens = this.tokenSet(tokenSet);
    const connections = await this.connections(tokens.accessToken);
    const companies = connections
      .filter((c) => !c.tenantType || c.tenantType === 'ORGANISATION')
      .map((c) => ({ externalId: c.tenantId, name: c.tenantName || `Xero organisation ${c.tenantId}` }));
    return { tokens, companies };
  }

  async refresh(refreshToken: string): Promise<TokenSet> {
    const xero = await this.client();
    xero.setTokenSet({ refresh_token: refreshToken, access_token: '' });
    try {
      return this.tokenSet(await xero.refreshToken());
    } catch (e) {
      throw oauthError(e, 'refresh');
    }
  }

  async revoke(tokens: TokenSet): Promise<void> {
    const xero = await this.client();
    xero.setTokenSet({ refresh_token: tokens.refreshToken, access_token: tokens.accessToken });
    try {
      // Revoking the refresh token ends the grant and removes every connection it made.
      await xero.revokeToken();
    } catch (e) {
      throw oauthError(e, 'revoke');
    }
  }

  /**
   * The organisations an access token reaches (Connections API). With `authEventId` of the token
   * (a consent), only those that consent connected; otherwise all of the user's for this app.
   */
  async connections(accessToken: string): Promise<Connection[]> {
    let res: Response;
    try {
      res = await fetch(this.settings.connectionsUrl, {
        headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' },
        signal: AbortSignal.timeout(30_000),
      });
    } catch (e) {
      throw new LedgerUnavailable(`Xero's Connections API cannot be reached: ${(e as Error).message}.`);
    }
    let body: unknown = null;
    try {
      body = await res.json();
    } catch {
      // mapped below by status
    }
    if (!res.ok) {
      throw apiFailure(
        { statusCode: res.status, body, headers: Object.fromEntries(res.headers.entries()) },
        this.now(),
        'the Connections API',
      );
    }
    const list = (Array.isArray(body) ? body : []) as Connection[];
    const authEventId = jwtClaim(accessToken, 'authentication_event_id');
    const mine = authEventId ? list.filter((c) => c.authEventId === authEventId) : [];
    return mine.length ? mine : list;
  }

  // ------------------------------------------------------------------ data

  async companyDetails(accessToken: string, tenantId: string): Promise<CompanyDetails> {
    const xero = await this.client();
    xero.setTokenSet({ access_token: accessToken });
    const [orgs, tracking] = await Promise.all([
      this.call(() => xero.accountingApi.getOrganisations(tenantId)),
      this.call(() => xero.accountingApi.getTrackingCategories(tenantId, undefined, undefined, true)),
    ]);
    const org = orgs.body.organisations?.[0];
    if (!org) throw new LedgerRequestFailed('Xero answered without the organisation.', 200);
    const country = org.countryCode ? String(org.countryCode) : null;
    const [payroll, fixedAssets] = await Promise.all([
      this.productStatus(() => this.payrollCall(xero, tenantId, country)),
      this.productStatus(() => xero.assetApi.getAssets(tenantId, AssetStatusQueryParam.REGISTERED, 1, 1)),
    ]);
    const categories = tracking.body.trackingCategories ?? [];
    const active = (s: unknown) => s === undefined || String(s) === 'ACTIVE';
    const classes = categories.flatMap((c) =>
      (c.options ?? []).map((o) => ({
        id: String(o.trackingOptionID),
        name: `${c.name}: ${o.name}`,
        active: active(c.status) && active(o.status),
      })),
    );
    return {
      externalId: tenantId,
      name: org.name ?? `Xero organisation ${tenantId}`,
      legalName: org.legalName ?? null,
      edition: org._class ? String(org._class) : null,
      country,
      currency: org.baseCurrency ? String(org.baseCurrency) : null,
      // Xero tracks on lines: any active tracking category means "one per line".
      classTracking: categories.some((c) => active(c.status)) ? 'per_line' : 'off',
      classes,
      payroll,
      fixedAssets,
      dashboardUrl: this.dashboardUrl(org.shortCode),
    };
  }

  async accounts(accessToken: string, tenantId: string): Promise<LedgerAccount[]> {
    const xero = await this.client();
    xero.setTokenSet({ access_token: accessToken });
    const res = await this.call(() => xero.accountingApi.getAccounts(tenantId));
    return (res.body.accounts ?? []).map((a) => ({
      id: String(a.accountID),
      code: a.code || null,
      name: a.name ?? String(a.accountID),
      type: a.type !== undefined ? String(a.type) : 'UNKNOWN',
      active: a.status === undefined || String(a.status) === 'ACTIVE',
    }));
  }

  /** Contacts, archived ones included, 1,000 a page: suppliers are vendors, customers customers. */
  async payees(accessToken: string, tenantId: string): Promise<LedgerPayee[]> {
    const xero = await this.client();
    xero.setTokenSet({ access_token: accessToken });
    const out: LedgerPayee[] = [];
    for (let page = 1; ; page++) {
      const res = await this.call(() =>
        xero.accountingApi.getContacts(
          tenantId,
          undefined,
          undefined,
          'Name ASC, ContactID ASC',
          undefined,
          page,
          true,
          undefined,
          undefined,
          XERO_MAX_PAGE_SIZE,
        ),
      );
      const contacts = res.body.contacts ?? [];
      for (const c of contacts) {
        out.push({
          id: String(c.contactID),
          name: c.name ?? String(c.contactID),
          kind: c.isSupplier ? 'vendor' : c.isCustomer ? 'customer' : 'contact',
          active: c.contactStatus === undefined || String(c.contactStatus) === 'ACTIVE',
        });
      }
      if (isLastPage(contacts.length, XERO_MAX_PAGE_SIZE, page, res.body.pagination?.pageCount)) return out;
    }
  }

  transactionTypes(): readonly string[] {
    return XERO_TRANSACTION_TYPES;
  }

  /**
   * One page of one type. BankTransactions and ManualJournals are paged (`page`, `pageSize`, the
   * cursor being the next page number) in a stable order (date, then id); BankTransfers are not
   * paged by Xero: one page with everything. `from` becomes `Date >= DateTime(y,m,d)`;
   * `changedSince` the If-Modified-Since header, with which Xero also lists deleted and voided
   * documents. Bank transactions that are one leg of a bank transfer (SPEND-TRANSFER,
   * RECEIVE-TRANSFER) are left out: the BankTransfer stands for them.
   */
  async transactions(accessToken: string, tenantId: string, q: TransactionQuery): Promise<TransactionPage> {
    if (!(XERO_TRANSACTION_TYPES as readonly string[]).includes(q.type)) {
      throw new LedgerRequestFailed(`Xero has no transaction type ${q.type} here.`, 0, 'unknown_type');
    }
    const type = q.type as (typeof XERO_TRANSACTION_TYPES)[number];
    const pageSize = Math.min(XERO_MAX_PAGE_SIZE, Math.max(1, Math.floor(q.pageSize ?? XERO_PAGE_SIZE)));
    let page = 1;
    if (q.cursor) {
      if (!/^[1-9]\d{0,8}$/.test(q.cursor)) {
        throw new LedgerRequestFailed(`Not a Xero page cursor: ${q.cursor}.`, 0, 'invalid_cursor');
      }
      page = Number(q.cursor);
    }
    let where: string | undefined;
    if (q.from !== undefined) {
      const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(q.from);
      if (!m) throw new LedgerRequestFailed(`Not a date (YYYY-MM-DD): ${q.from}.`, 0, 'invalid_date');
      where = `Date >= DateTime(${Number(m[1])},${Number(m[2])},${Number(m[3])})`;
    }
    const since = q.changedSince;
    const xero = await this.client();
    xero.setTokenSet({ access_token: accessToken });
    const api = xero.accountingApi;

    if (type === 'BankTransfer') {
      const res = await this.call(() => api.getBankTransfers(tenantId, since, where, ORDER.BankTransfer));
      return { items: (res.body.bankTransfers ?? []).map(mapXeroBankTransfer), next: null };
    }
    let items: LedgerTransaction[];
    let count: number;
    let pageCount: number | undefined;
    if (type === 'BankTransaction') {
      const res = await this.call(() =>
        api.getBankTransactions(tenantId, since, where, ORDER.BankTransaction, page, undefined, pageSize),
      );
      const list = res.body.bankTransactions ?? [];
      count = list.length;
      pageCount = res.body.pagination?.pageCount;
      items = [];
      for (const t of list)
        if (!XERO_TRANSFER_LEGS.has(String(t.type))) items.push(mapXeroBankTransaction(t));
    } else {
      const res = await this.call(() =>
        api.getManualJournals(tenantId, since, where, ORDER.ManualJournal, page, pageSize),
      );
      const list = res.body.manualJournals ?? [];
      count = list.length;
      pageCount = res.body.pagination?.pageCount;
      items = list.map(mapXeroManualJournal);
    }
    return { items, next: isLastPage(count, pageSize, page, pageCount) ? null : String(page + 1) };
  }

  /** Xero has no change feed across types: read each type with `changedSince`. */
  async changes(_accessToken: string, _tenantId: string, _since: Date): Promise<null> {
    return null;
  }

  /**
   * Puts one line of a spend / receive money bank transaction or of a manual journal on another
   * account (by its code, read from the chart) and, where asked, another tracking option. The
   * document is read fresh; its state is checked first (reconciled, deleted, voided: LedgerConflict),
   * then every line is written back as read with only the target changed. Calls: the read, the
   * account (when it changes), the tracking categories (when a new option is set), the update.
   */
  async recategorize(
    accessToken: string,
    tenantId: string,
    req: RecategorizeRequest,
  ): Promise<LedgerTransaction> {
    checkXeroRequest(req);
    const xero = await this.client();
    xero.setTokenSet({ access_token: accessToken });
    const api = xero.accountingApi;

    if (req.type === 'BankTransaction') {
      const res = await this.readDocument(
        () => api.getBankTransaction(tenantId, req.id, UNITDP),
        `Xero has no bank transaction ${req.id}: it was deleted or never existed.`,
      );
      const t = res.body.bankTransactions?.[0];
      if (!t)
        throw new LedgerRequestFailed(
          `Xero answered without the bank transaction ${req.id}.`,
          200,
          'not_found',
        );
      checkBankTransactionState(t);
      const lines = t.lineItems ?? [];
      const index = targetLine(
        `Xero bank transaction ${req.id}`,
        lines.length,
        req.lineId,
        (i) => lines[i]?.lineItemID,
      );
      const change = await this.lineChange(api, tenantId, lines[index], req);
      if (!change) return mapXeroBankTransaction(t);
      const doc = bankTransactionUpdate(t, index, change);
      const updated = await this.writeDocument(() =>
        api.updateBankTransaction(tenantId, req.id, { bankTransactions: [doc] }, UNITDP),
      );
      const out = updated.body.bankTransactions?.[0] as BankTransaction | undefined;
      if (!out)
        throw new LedgerUnavailable(`Xero answered the update of bank transaction ${req.id} without it.`);
      return mapXeroBankTransaction(asRead(out));
    }

    const res = await this.readDocument(
      () => api.getManualJournal(tenantId, req.id),
      `Xero has no manual journal ${req.id}: it was deleted or never existed.`,
    );
    const j = res.body.manualJournals?.[0];
    if (!j)
      throw new LedgerRequestFailed(`Xero answered without the manual journal ${req.id}.`, 200, 'not_found');
    checkManualJournalState(j);
    const lines = j.journalLines ?? [];
    const index = targetLine(`Xero manual journal ${req.id}`, lines.length, req.lineId, (i) => String(i + 1));
    const change = await this.lineChange(api, tenantId, lines[index], req);
    if (!change) return mapXeroManualJournal(j);
    const doc = manualJournalUpdate(j, index, change);
    const updated = await this.writeDocument(() =>
      api.updateManualJournal(tenantId, req.id, { manualJournals: [doc] }),
    );
    const out = updated.body.manualJournals?.[0] as ManualJournal | undefined;
    if (!out) throw new LedgerUnavailable(`Xero answered the update of manual journal ${req.id} without it.`);
    return mapXeroManualJournal(asRead(out));
  }

  /**
   * What the target line is to become, or null when it already has that account and tracking.
   * Reads the account only when it changes (for its code), the tracking categories only when a new
   * option is set (for its category).
   */
  private async lineChange(
    api: AccountingApi,
    tenantId: string,
    line: {
      accountID?: string;
      accountCode?: string;
      tracking?: { trackingOptionID?: string; trackingCategoryID?: string; name?: string; option?: string }[];
    },
    req: RecategorizeRequest,
  ): Promise<XeroLineChange | null> {
    const sameAccount = !!line.accountID && line.accountID.toLowerCase() === req.accountId.toLowerCase();
    let choice: XeroTrackingChoice | undefined;
    if (needsTrackingCategories(line.tracking, req.classId)) {
      const res = await this.call(() => api.getTrackingCategories(tenantId));
      choice = trackingChoice(res.body.trackingCategories ?? [], req.classId as string);
    }
    const tracking = nextTracking(line.tracking, req.classId, choice);
    if (sameAccount && tracking === undefined) return null;
    if (sameAccount) return { account: accountOut(line), tracking };

    let account;
    try {
      account = (await api.getAccount(tenantId, req.accountId)).body.accounts?.[0];
    } catch (e) {
      const f = parseApiError(e);
      if (f.statusCode !== 404 && f.statusCode !== 400) throw apiFailure(f, this.now(), 'the API');
    }
    if (!account) {
      throw new LedgerRequestFailed(
        `Xero has no account ${req.accountId} in this organisation.`,
        0,
        'account_not_found',
      );
    }
    if (!account.code) {
      throw new LedgerRequestFailed(
        `Xero account ${account.name ?? req.accountId} has no code, and Xero names a line's account by its code: give it a code in Xero first.`,
        0,
        'account_has_no_code',
      );
    }
    return { account: { accountCode: account.code }, tracking };
  }

  /** A read of one document; a 404 becomes LedgerRequestFailed `not_found`. */
  private async readDocument<T>(fn: () => Promise<T>, notFound: string): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      const f = parseApiError(e);
      if (f.statusCode === 404) throw new LedgerRequestFailed(notFound, 404, 'not_found');
      throw apiFailure(f, this.now(), 'the API');
    }
  }

  /**
   * An update call. Xero's 400 ValidationException is read for its messages: a reconciled bank
   * transaction becomes LedgerConflict `reconciled`, anything else LedgerRequestFailed `validation`
   * with Xero's own words.
   */
  private async writeDocument<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      const f = parseApiError(e);
      if (f.statusCode === 400) {
        const messages = validationMessages(f.body);
        if (messages.some((m) => /reconciled/i.test(m))) {
          throw new LedgerConflict(
            'Xero does not allow changes to a reconciled bank transaction.',
            'reconciled',
            400,
          );
        }
        throw new LedgerRequestFailed(
          `Xero refused the change: ${messages.join(' ') || 'validation failed'}`,
          400,
          'validation',
        );
      }
      if (f.statusCode === 404)
        throw new LedgerRequestFailed('Xero no longer has this document.', 404, 'not_found');
      throw apiFailure(f, this.now(), 'the API');
    }
  }

  /** The organisation in Xero's web app (its short code selects it). */
  dashboardUrl(shortCode?: string | null): string {
    const base = (this.settings.dashboardUrl ?? XERO_DEFAULTS.dashboardUrl).replace(/\/+$/, '');
    return shortCode
      ? `${base}/organisationlogin/default.aspx?shortcode=${encodeURIComponent(shortCode)}`
      : `${base}/Dashboard/`;
  }

  // ------------------------------------------------------------------ internals

  private discover(): Promise<Issuer> {
    if (!this.issuer) {
      this.issuer = Issuer.discover(this.settings.identityUrl).catch((e: unknown) => {
        this.issuer = undefined; // try again next time
        throw new LedgerUnavailable(
          `Xero's identity service (${this.settings.identityUrl}) cannot be discovered: ${(e as Error).message}.`,
        );
      });
    }
    return this.issuer;
  }

  private async client(state?: string): Promise<XeroClient> {
    const issuer = await this.discover();
    const xero = new XeroClient({
      clientId: this.settings.clientId,
      clientSecret: this.settings.clientSecret,
      redirectUris: [this.settings.redirectUri],
      scopes: this.settings.scopes,
      state,
    });
    const client = new issuer.Client({
      client_id: this.settings.clientId,
      client_secret: this.settings.clientSecret,
      redirect_uris: [this.settings.redirectUri],
      response_types: ['code'],
    });
    client[custom.clock_tolerance] = this.options.clockToleranceS ?? 5;
    xero.openIdClient = client;
    xero.accountingApi.basePath = `${this.apiBase}/api.xro/2.0`;
    xero.payrollUKApi.basePath = `${this.apiBase}/payroll.xro/2.0`;
    xero.payrollNZApi.basePath = `${this.apiBase}/payroll.xro/2.0`;
    xero.payrollAUApi.basePath = `${this.apiBase}/payroll.xro/1.0`;
    xero.assetApi.basePath = `${this.apiBase}/assets.xro/1.0`;
    return xero;
  }

  /** A generated API call with Xero's errors mapped. */
  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      throw apiFailure(parseApiError(e), this.now(), 'the API');
    }
  }

  /** Payroll is a product per region: AU has its own API, NZ and UK share payroll.xro/2.0. */
  private payrollCall(xero: XeroClient, tenantId: string, country: string | null): Promise<unknown> {
    if (country === 'AU') return xero.payrollAUApi.getEmployees(tenantId, undefined, undefined, undefined, 1);
    if (country === 'NZ') return xero.payrollNZApi.getEmployees(tenantId, undefined, 1);
    return xero.payrollUKApi.getEmployees(tenantId, undefined, 1);
  }

  /** 200 → connected; 403 (not subscribed) or a 401 that is not an expired token → not connected. */
  private async productStatus(fn: () => Promise<unknown>): Promise<ProductStatus> {
    try {
      await fn();
      return 'connected';
    } catch (e) {
      const failure = parseApiError(e);
      const { statusCode } = failure;
      if (statusCode === 403) return 'not_connected';
      if (statusCode === 401) {
        const mapped = apiFailure(failure, this.now(), 'the API');
        if (mapped instanceof LedgerTokenExpired) throw mapped;
        // The grant lacks the product's scope (AuthorizationUnsuccessful): we cannot tell.
        return 'unknown';
      }
      if (statusCode === 404 || statusCode === 400) return 'unknown';
      throw apiFailure(failure, this.now(), 'the API');
    }
  }

  private tokenSet(t: OidcTokenSet): TokenSet {
    if (!t.access_token)
      throw new LedgerRequestFailed('Xero answered the token request without an access token.', 200);
    if (!t.refresh_token) {
      throw new LedgerRequestFailed(
        'Xero issued no refresh token: the offline_access scope is missing from the settings.',
        200,
        'no_refresh_token',
      );
    }
    const now = this.now();
    const expiresAt = t.expires_at ? t.expires_at * 1000 : now + (t.expires_in ?? 1800) * 1000;
    return {
      accessToken: t.access_token,
      refreshToken: t.refresh_token,
      accessExpiresAt: new Date(expiresAt),
      refreshExpiresAt: new Date(now + XERO_REFRESH_TTL_MS),
      scope: t.scope,
    };
  }
}

/**
 * A document as a write answers it, without the members only writes carry (its validation
 * outcome), so that its `raw` is what a read of it would give.
 */
function asRead<T extends object>(doc: T): T {
  const out = { ...doc } as T & {
    validationErrors?: unknown;
    warnings?: unknown;
    statusAttributeString?: unknown;
  };
  delete out.validationErrors;
  delete out.warnings;
  delete out.statusAttributeString;
  return out;
}

/** Whether a page was the last: shorter than asked for, or the last Xero's pagination counts. */
function isLastPage(count: number, pageSize: number, page: number, pageCount: number | undefined): boolean {
  if (count < pageSize) return true;
  return typeof pageCount === 'number' && pageCount > 0 && page >= pageCount;
}

// ------------------------------------------------------------------ errors

/** xero-node's generated calls reject with a JSON *string* ({response: {statusCode, body, headers}}), or {response, body}. */
export function parseApiError(e: unknown): ApiFailure {
  let parsed: unknown = e;
  if (typeof e === 'string') {
    try {
      parsed = JSON.parse(e);
    } catch {
      return { statusCode: 0, body: e, headers: {} };
    }
  }
  const response = (parsed as { response?: Record<string, unknown> } | null)?.response;
  if (!response || typeof response !== 'object') {
    if (e instanceof Error) throw e; // not an HTTP failure: a bug, let it surface
    return { statusCode: 0, body: parsed, headers: {} };
  }
  return {
    statusCode: Number(response.statusCode ?? response.status ?? 0),
    body: response.body ?? response.data ?? (parsed as { body?: unknown }).body,
    headers: (response.headers ?? {}) as Record<string, unknown>,
  };
}

/** One API failure (HTTP status 0 = no answer) → the ledger error. */
export function apiFailure(f: ApiFailure, now: number, what: string): Error {
  const body = (f.body ?? {}) as {
    Detail?: string;
    detail?: string;
    Title?: string;
    title?: string;
    Message?: string;
  };
  const detail =
    (typeof f.body === 'string'
      ? f.body
      : (body.Detail ?? body.detail ?? body.Message ?? body.Title ?? body.title)) ?? '';
  const wwwAuth = String(headerOf(f.headers, 'www-authenticate') ?? '');
  if (f.statusCode === 0) return new LedgerUnavailable(`Xero cannot be reached (${what}): ${detail}`);
  if (f.statusCode === 401) {
    if (/insufficient_scope/.test(wwwAuth) || /AuthorizationUnsuccessful/.test(detail)) {
      return new LedgerRequestFailed(
        `Xero refused ${what}: the grant lacks the scope (${detail}).`,
        401,
        'insufficient_scope',
      );
    }
    return new LedgerTokenExpired(`Xero refused the access token: ${detail || wwwAuth || '401'}`);
  }
  if (f.statusCode === 403) {
    // AuthenticationUnsuccessful: the organisation is no longer connected to this app.
    return new LedgerGrantRevoked(`Xero refused the organisation (403): ${detail || 'not connected'}`);
  }
  if (f.statusCode === 429) {
    const problem = headerOf(f.headers, 'x-rate-limit-problem');
    return new LedgerRateLimited(
      `Xero's rate limit${problem ? ` (${String(problem)})` : ''}.`,
      retryAfterMs(headerOf(f.headers, 'retry-after'), now),
    );
  }
  if (f.statusCode >= 500) return new LedgerUnavailable(`Xero failed (${f.statusCode}): ${detail}`);
  return new LedgerRequestFailed(`Xero refused ${what} (${f.statusCode}): ${detail}`, f.statusCode);
}

/** A rejection of an openid-client call (callback, refresh, revoke). */
export function oauthError(e: unknown, during: 'consent' | 'refresh' | 'revoke'): Error {
  if (e instanceof errors.OPError) {
    const response = (e as { response?: { statusCode?: number; headers?: Record<string, unknown> } })
      .response;
    const status = response?.statusCode ?? 0;
    if (e.error === 'invalid_grant') {
      return during === 'consent'
        ? new LedgerConsentRefused(`Xero refused the authorization code: ${e.message}.`)
        : new LedgerGrantRevoked(`Xero refused the refresh token: ${e.message}.`);
    }
    if (e.error === 'access_denied') return new LedgerConsentRefused('The Xero consent was cancelled.');
    if (status === 429) {
      return new LedgerRateLimited(
        "Xero's identity service is throttling.",
        retryAfterMs(headerOf(response?.headers, 'retry-after')),
      );
    }
    if (status >= 500)
      return new LedgerUnavailable(`Xero's identity service failed (${status}): ${e.message}`);
    return new LedgerRequestFailed(
      `Xero's identity service refused the request: ${e.message}`,
      status,
      e.error,
    );
  }
  if (e instanceof errors.RPError) {
    if (/timed out/.test(e.message))
      return new LedgerUnavailable(`Xero's identity service timed out: ${e.message}`);
    // state / nonce / PKCE / id_token checks failed on our side.
    return during === 'consent'
      ? new LedgerConsentRefused(`The Xero callback failed its checks: ${e.message}.`)
      : new LedgerRequestFailed(`Xero's answer failed its checks: ${e.message}`, 0, 'rp_error');
  }
  const code = (e as { code?: string } | null)?.code;
  if (code && /^(E[A-Z]+|UND_ERR.*)$/.test(code)) {
    return new LedgerUnavailable(`Xero's identity service cannot be reached: ${(e as Error).message}`);
  }
  return e instanceof Error ? e : new Error(String(e));
}

/** One claim of a JWT access token, unverified (only to pick this consent's connections). */
function jwtClaim(token: string, claim: string): string | undefined {
  const part = token.split('.')[1];
  if (!part) return undefined;
  try {
    const value = (JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>)[
      claim
    ];
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

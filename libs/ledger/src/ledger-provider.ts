/**
 * One interface for every accounting ledger the product connects to. The adapters (QuickBooks
 * Online through intuit-oauth, Xero through xero-node) take their endpoints from configuration, so
 * the same code talks to the ledger sandbox or to the real services.
 */
export type ProviderName = 'qbo' | 'xero';

export interface TokenSet {
  accessToken: string;
  refreshToken: string;
  accessExpiresAt: Date;
  /** When the refresh token itself lapses (QuickBooks ~100 days rolling; Xero 60 days). */
  refreshExpiresAt: Date | null;
  scope?: string;
}

/** A company (QuickBooks realm) or organisation (Xero tenant) a consent gave access to. */
export interface ConnectedCompany {
  externalId: string;
  name: string;
}

export type ClassTracking = 'off' | 'per_txn' | 'per_line';
export type ProductStatus = 'connected' | 'not_connected' | 'unknown';

export interface CompanyDetails {
  externalId: string;
  name: string;
  legalName: string | null;
  /** "QuickBooks Online Plus", Xero's organisation class ("STANDARD"), … */
  edition: string | null;
  country: string | null;
  currency: string | null;
  classTracking: ClassTracking;
  /** Classes (QuickBooks) or tracking options (Xero, "Category: Option"). */
  classes: { id: string; name: string; active: boolean }[];
  payroll: ProductStatus;
  fixedAssets: ProductStatus;
  /** The ledger's own dashboard for this company. */
  dashboardUrl: string;
}

export interface LedgerAccount {
  id: string;
  code: string | null;
  name: string;
  /** The provider's own type ("Expense", "EXPENSE", "Bank", …). */
  type: string;
  active: boolean;
}

/** What the browser must keep between starting a consent and its callback (in the server-side flow state). */
export interface ConsentStart {
  url: string;
  /** PKCE verifier, where the provider supports it (Xero). */
  codeVerifier?: string;
  nonce?: string;
}

/** A reference to a ledger list item (account, class / tracking option, payee). */
export interface LedgerRef {
  id: string;
  name: string;
}

/** One line of a transaction. */
export interface LedgerLine {
  /**
   * The provider's line id, when it has one. Xero's manual journal lines have none: they get their
   * position ("1", "2", …), so a line can still be named to `recategorize`.
   */
  id: string | null;
  /** Decimal string as the provider states it on the line (unsigned, e.g. "12.50"). */
  amount: string;
  account: LedgerRef | null;
  /** QuickBooks: the line's class (0–1). Xero: the line's tracking options (0–2), named "Category: Option" with the option's id, as in CompanyDetails.classes. */
  classes: LedgerRef[];
  description: string | null;
  /** Journals only: which side the line posts to. */
  posting: 'debit' | 'credit' | null;
}

/**
 * A transaction as the product stores it, whatever the ledger. `amount` is a decimal string (never a
 * float), signed from the business's side: money out of a bank or card account is negative
 * (QuickBooks Purchase, Bill, BillPayment; Xero SPEND), money in positive (Deposit, Invoice,
 * Payment, SalesReceipt; Xero RECEIVE); journals and transfers carry their total, positive.
 */
export interface LedgerTransaction {
  /** The provider's entity: QuickBooks "Purchase", "Deposit", …; Xero "BankTransaction", "ManualJournal", "BankTransfer". */
  type: string;
  id: string;
  /** YYYY-MM-DD, the transaction's own date. */
  date: string;
  amount: string;
  currency: string | null;
  payee: { id: string | null; name: string } | null;
  /** The bank or card account the money moved through, where there is one. */
  bankAccount: LedgerRef | null;
  /** The categorization the bookkeeper reviews: the first line's account (transfers: the destination). */
  account: LedgerRef | null;
  /** The first class / tracking option found on the lines. */
  class: LedgerRef | null;
  memo: string | null;
  /** DocNumber (QuickBooks) or Reference (Xero). */
  reference: string | null;
  lines: LedgerLine[];
  /** The provider's object as read (QuickBooks v3 JSON; Xero's object as xero-node returns it, serialised). */
  raw: unknown;
  /** The provider's last-updated time, ISO 8601 UTC. */
  updatedAt: string;
  /** Deleted or voided at the provider (the other fields may then be empty). */
  deleted: boolean;
}

export interface TransactionQuery {
  /** One of `transactionTypes`. */
  type: string;
  /** Only transactions dated on or after this day (YYYY-MM-DD): the backfill window. */
  from?: string;
  /** Only transactions changed after this instant, deleted ones included where the provider reports them. */
  changedSince?: Date;
  /** The previous page's `next`; absent for the first page. */
  cursor?: string | null;
  /** Defaults to the provider's page size (QuickBooks 1,000; Xero 100). */
  pageSize?: number;
}

export interface TransactionPage {
  items: LedgerTransaction[];
  /** The cursor of the next page, or null after the last. */
  next: string | null;
}

/**
 * Write-back of a categorization (S6): which line of which transaction gets which account (and,
 * optionally, which class / tracking option).
 */
export interface RecategorizeRequest {
  /** The provider's entity as sync stored it (`LedgerTransaction.type`): "Purchase", "JournalEntry", "BankTransaction", … */
  type: string;
  /** The provider's id of the transaction (`LedgerTransaction.id`). */
  id: string;
  /**
   * The line (`LedgerLine.id`). Null means the transaction's single categorizable line: refused
   * (code `ambiguous_line`) when it has several.
   */
  lineId: string | null;
  /** The account to post the line to (`LedgerAccount.id`). */
  accountId: string;
  /**
   * QuickBooks: the class id; Xero: the tracking option id (it replaces the line's option of the
   * same tracking category). Null removes the line's class (QuickBooks) or every tracking option
   * (Xero); undefined leaves them as they are.
   */
  classId?: string | null;
}

export interface LedgerPayee {
  id: string;
  name: string;
  kind: 'vendor' | 'customer' | 'contact';
  active: boolean;
}

export interface LedgerProvider {
  readonly name: ProviderName;
  /** The provider's consent page for this flow. */
  startConsent(state: string): Promise<ConsentStart>;
  /** Exchanges the callback (the full URL the provider redirected to) for tokens and the companies granted. */
  completeConsent(
    callbackUrl: string,
    flow: { state: string; codeVerifier?: string; nonce?: string },
  ): Promise<{ tokens: TokenSet; companies: ConnectedCompany[] }>;
  /** Uses a refresh token (which rotates: persist the new one before using it). */
  refresh(refreshToken: string): Promise<TokenSet>;
  /** Revokes the grant at the provider. */
  revoke(tokens: TokenSet): Promise<void>;
  companyDetails(accessToken: string, externalId: string): Promise<CompanyDetails>;
  accounts(accessToken: string, externalId: string): Promise<LedgerAccount[]>;
  /** Payees: QuickBooks vendors and customers; Xero contacts. */
  payees(accessToken: string, externalId: string): Promise<LedgerPayee[]>;
  /** The transaction entities the product keeps, in the order a backfill reads them. */
  transactionTypes(): readonly string[];
  /** One page of one type. Pages follow a stable order, so a cursor resumes where a crash left off. */
  transactions(accessToken: string, externalId: string, q: TransactionQuery): Promise<TransactionPage>;
  /**
   * Everything changed since `since`, deletions included, in one call where the provider has one
   * (QuickBooks CDC). `complete` is false when the provider cut the answer short (QuickBooks: 1,000
   * objects). Null when the provider has no such call or `since` is too old (QuickBooks: 30 days):
   * read each type with `changedSince` instead.
   */
  changes(
    accessToken: string,
    externalId: string,
    since: Date,
  ): Promise<{ items: LedgerTransaction[]; complete: boolean } | null>;
  /**
   * Writes a categorization back to the ledger: the line's account (and class where given) change,
   * everything else stays as the provider has it. Reads the transaction fresh first; a line that
   * already has that account and class is not written again (so a retry after a failure that did
   * land is harmless). Answers the transaction as the provider now has it, mapped as `transactions`
   * maps it, for the caller to store.
   *
   * Refusals on our side are LedgerRequestFailed with status 0 and a code: `invalid_request`,
   * `unknown_type`, `not_categorizable` (the type or the line takes no account), `line_not_found`,
   * `ambiguous_line`, and for Xero (which names accounts by code and options by category)
   * `account_not_found`, `account_has_no_code`, `class_not_found`. A transaction the provider does
   * not have: LedgerRequestFailed code `not_found` (with the provider's status). The provider's own
   * refusal of the values: LedgerRequestFailed with its status and code (QuickBooks' fault code,
   * e.g. 2500 for an unknown account; Xero `validation`, with Xero's messages). The document's state
   * forbids the change (edited meanwhile every time, reconciled, deleted, voided): LedgerConflict.
   * Throttling, expired tokens and outages map as for every other call.
   */
  recategorize(accessToken: string, externalId: string, req: RecategorizeRequest): Promise<LedgerTransaction>;
}

/** The refresh token is no longer valid (used, expired or the grant was revoked): the connection needs a new consent. */
export class LedgerGrantRevoked extends Error {
  readonly kind = 'grant_revoked';
}

/** The access token expired or was refused: refresh and try again. */
export class LedgerTokenExpired extends Error {
  readonly kind = 'token_expired';
}

/** The provider's rate limit: wait `retryAfterMs`. */
export class LedgerRateLimited extends Error {
  readonly kind = 'rate_limited';
  constructor(
    message: string,
    readonly retryAfterMs: number,
  ) {
    super(message);
  }
}

/** The provider failed or could not be reached (5xx, network): retry later with backoff. */
export class LedgerUnavailable extends Error {
  readonly kind = 'unavailable';
}

/** The consent was cancelled or refused at the provider. */
export class LedgerConsentRefused extends Error {
  readonly kind = 'consent_refused';
}

/**
 * Any other refusal (400, 403, 404, a misconfigured client, a scope the grant lacks…): not
 * transient and not fixed by a refresh or a new consent; `status` is the HTTP status (0 when none)
 * and `code` the provider's error code, when it gave one.
 */
export class LedgerRequestFailed extends Error {
  readonly kind = 'request_failed';
  constructor(
    message: string,
    readonly status: number,
    readonly code: string | null = null,
  ) {
    super(message);
  }
}

/** Why a ledger refused a change because of the state of the document. */
export type LedgerConflictCode =
  /** QuickBooks: someone else saved the transaction meanwhile, every time we tried (stale SyncToken, fault 5010). */
  | 'stale_object'
  /** Xero: the bank transaction is reconciled with a bank statement line. */
  | 'reconciled'
  /** The document is deleted, voided or archived, or of a kind the provider does not let the API change. */
  | 'locked';

/**
 * The provider refused a change because of the document's current state, not because of the
 * request: read the transaction again (sync) before deciding what to do. `status` is the HTTP
 * status the provider answered (0 when the adapter saw the state itself before writing).
 */
export class LedgerConflict extends Error {
  readonly kind = 'conflict';
  constructor(
    message: string,
    readonly code: LedgerConflictCode,
    readonly status: number = 0,
  ) {
    super(message);
  }
}

/** Every error an adapter throws on purpose. */
export type LedgerError =
  | LedgerGrantRevoked
  | LedgerTokenExpired
  | LedgerRateLimited
  | LedgerUnavailable
  | LedgerConsentRefused
  | LedgerRequestFailed
  | LedgerConflict;

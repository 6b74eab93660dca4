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

/** Every error an adapter throws on purpose. */
export type LedgerError =
  | LedgerGrantRevoked
  | LedgerTokenExpired
  | LedgerRateLimited
  | LedgerUnavailable
  | LedgerConsentRefused
  | LedgerRequestFailed;

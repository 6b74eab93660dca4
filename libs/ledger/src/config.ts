/**
 * What the two adapters need to know about the services they talk to. The library reads no
 * environment: the API and worker build these from their own configuration (QBO_*, XERO_*), and
 * tests point them at the ledger sandbox with `sandboxSettings`.
 */

/** QuickBooks Online through intuit-oauth. */
export interface QuickBooksSettings {
  clientId: string;
  clientSecret: string;
  /** Where Intuit sends the browser back after the consent (must be registered with the app). */
  redirectUri: string;
  /** Intuit's OAuth 2.0 endpoints. */
  authorizeUrl: string;
  tokenUrl: string;
  revokeUrl: string;
  /** OpenID Connect userinfo (only used if `openid` is among the scopes); optional. */
  userInfoUrl?: string;
  /** The v3 data API: data URLs are `${apiBase}/v3/company/<realmId>/…`. */
  apiBase: string;
  /** The QuickBooks web app, for links to a company's own dashboard. */
  appCenterUrl: string;
  environment: 'sandbox' | 'production';
  /** Defaults to the accounting scope alone. */
  scopes?: string[];
  /** The API's `minorversion` parameter (default {@link QBO_MINOR_VERSION}). */
  minorVersion?: string;
}

/** Xero through xero-node (and the openid-client v5 it is built on). */
export interface XeroSettings {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  /** The OpenID Connect issuer; its discovery document gives every identity endpoint. */
  identityUrl: string;
  /**
   * The APIs' common base: Accounting at `${apiBase}/api.xro/2.0`, Payroll UK/NZ at
   * `${apiBase}/payroll.xro/2.0`, Payroll AU at `${apiBase}/payroll.xro/1.0`, Assets at
   * `${apiBase}/assets.xro/1.0`.
   */
  apiBase: string;
  /** The Connections API (`GET` lists the organisations a token reaches). */
  connectionsUrl: string;
  scopes: string[];
  /** Xero's web app, for links to an organisation's dashboard (default https://go.xero.com). */
  dashboardUrl?: string;
  /**
   * PKCE (S256) and a nonce on the consent (default true). xero-node's own buildConsentUrl() and
   * apiCallback() can pass neither, so with PKCE the adapter drives the SDK's openIdClient
   * directly; false falls back to buildConsentUrl() / apiCallback() (state only).
   */
  pkce?: boolean;
}

export const QBO_MINOR_VERSION = '75';
export const QBO_ACCOUNTING_SCOPE = 'com.intuit.quickbooks.accounting';

/** The real Intuit services (intuit-oauth's own defaults). */
export const QUICKBOOKS_DEFAULTS = {
  authorizeUrl: 'https://appcenter.intuit.com/connect/oauth2',
  tokenUrl: 'https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer',
  revokeUrl: 'https://developer.api.intuit.com/v2/oauth2/tokens/revoke',
  userInfoUrl: 'https://accounts.platform.intuit.com/v1/openid_connect/userinfo',
  apiBase: 'https://quickbooks.api.intuit.com',
  appCenterUrl: 'https://app.qbo.intuit.com',
  environment: 'production',
} as const satisfies Partial<QuickBooksSettings>;

/** Intuit's development companies (keys from the developer portal's "Development" section). */
export const QUICKBOOKS_DEVELOPMENT_DEFAULTS = {
  ...QUICKBOOKS_DEFAULTS,
  userInfoUrl: 'https://sandbox-accounts.platform.intuit.com/v1/openid_connect/userinfo',
  apiBase: 'https://sandbox-quickbooks.api.intuit.com',
  appCenterUrl: 'https://app.sandbox.qbo.intuit.com',
  environment: 'sandbox',
} as const satisfies Partial<QuickBooksSettings>;

/** Broad scopes (apps made before 2 March 2026); newer apps list the granular ones instead. */
export const XERO_DEFAULT_SCOPES = [
  'openid',
  'profile',
  'email',
  'offline_access',
  'accounting.settings.read',
  'accounting.transactions',
  'accounting.contacts.read',
  'accounting.reports.read',
  'payroll.employees.read',
  'assets.read',
] as const;

/** The real Xero services. */
export const XERO_DEFAULTS = {
  identityUrl: 'https://identity.xero.com',
  apiBase: 'https://api.xero.com',
  connectionsUrl: 'https://api.xero.com/connections',
  dashboardUrl: 'https://go.xero.com',
  scopes: [...XERO_DEFAULT_SCOPES],
} satisfies Partial<XeroSettings>;

/** The ledger sandbox's own default OAuth clients (apps/ledger-sandbox config). */
export const SANDBOX_CLIENTS = {
  qbo: { clientId: 'ledgerport-qbo-sandbox', clientSecret: 'ledgerport-qbo-sandbox-secret' },
  xero: { clientId: 'ledgerport-xero-sandbox', clientSecret: 'ledgerport-xero-sandbox-secret' },
} as const;

export interface SandboxClientIds {
  /** Default: the sandbox's own default client. */
  clientId?: string;
  clientSecret?: string;
  redirectUri: string;
}

/**
 * Settings that point both adapters at a running ledger sandbox (`sandboxUrl` such as
 * http://127.0.0.1:3900; see apps/ledger-sandbox/src/qbo/qbo.routes.ts and xero/xero.routes.ts).
 */
export function sandboxSettings(
  sandboxUrl: string,
  ids: { qbo: SandboxClientIds; xero: SandboxClientIds },
): { qbo: QuickBooksSettings; xero: XeroSettings } {
  const base = sandboxUrl.replace(/\/+$/, '');
  return {
    qbo: {
      clientId: ids.qbo.clientId ?? SANDBOX_CLIENTS.qbo.clientId,
      clientSecret: ids.qbo.clientSecret ?? SANDBOX_CLIENTS.qbo.clientSecret,
      redirectUri: ids.qbo.redirectUri,
      authorizeUrl: `${base}/qbo/connect/oauth2`,
      tokenUrl: `${base}/qbo/oauth2/v1/tokens/bearer`,
      revokeUrl: `${base}/qbo/oauth2/v1/tokens/revoke`,
      userInfoUrl: `${base}/qbo/v1/openid_connect/userinfo`,
      apiBase: base,
      appCenterUrl: `${base}/qbo`,
      environment: 'sandbox',
    },
    xero: {
      clientId: ids.xero.clientId ?? SANDBOX_CLIENTS.xero.clientId,
      clientSecret: ids.xero.clientSecret ?? SANDBOX_CLIENTS.xero.clientSecret,
      redirectUri: ids.xero.redirectUri,
      identityUrl: `${base}/xero/identity`,
      apiBase: `${base}/xero/api`,
      connectionsUrl: `${base}/xero/api/connections`,
      dashboardUrl: `${base}/xero/go`,
      scopes: [...XERO_DEFAULT_SCOPES],
    },
  };
}

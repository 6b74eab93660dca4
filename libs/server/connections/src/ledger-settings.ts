import type { AppConfig } from '@ledgerport/server/config';
import { QUICKBOOKS_DEFAULTS, sandboxSettings, XERO_DEFAULTS, type QuickBooksSettings, type XeroSettings } from '@ledgerport/ledger';

/**
 * The adapters' settings from the configuration. With LEDGER_SANDBOX_URL (the default outside
 * production) every endpoint points at the ledger sandbox and its own client ids are the default;
 * otherwise Intuit's and Xero's services, and a provider without a client id stays off.
 * Any single QBO_* or XERO_* endpoint can still be overridden.
 */
export function ledgerSettings(c: AppConfig): { qbo: QuickBooksSettings | null; xero: XeroSettings | null } {
  const app = c.APP_URL.replace(/\/$/, '');
  const redirect = (p: string) => `${app}/api/v1/connections/callback/${p}`;
  const sandbox = c.LEDGER_SANDBOX_URL
    ? sandboxSettings(c.LEDGER_SANDBOX_URL, {
        qbo: { clientId: c.QBO_CLIENT_ID, clientSecret: c.QBO_CLIENT_SECRET, redirectUri: redirect('qbo') },
        xero: { clientId: c.XERO_CLIENT_ID, clientSecret: c.XERO_CLIENT_SECRET, redirectUri: redirect('xero') },
      })
    : null;
  const qboBase: QuickBooksSettings | null =
    sandbox?.qbo ??
    (c.QBO_CLIENT_ID && c.QBO_CLIENT_SECRET
      ? { ...QUICKBOOKS_DEFAULTS, clientId: c.QBO_CLIENT_ID, clientSecret: c.QBO_CLIENT_SECRET, redirectUri: redirect('qbo') }
      : null);
  const xeroBase: XeroSettings | null =
    sandbox?.xero ??
    (c.XERO_CLIENT_ID && c.XERO_CLIENT_SECRET
      ? { ...XERO_DEFAULTS, clientId: c.XERO_CLIENT_ID, clientSecret: c.XERO_CLIENT_SECRET, redirectUri: redirect('xero') }
      : null);
  return {
    qbo: qboBase && {
      ...qboBase,
      ...(c.QBO_AUTHORIZE_URL ? { authorizeUrl: c.QBO_AUTHORIZE_URL } : {}),
      ...(c.QBO_TOKEN_URL ? { tokenUrl: c.QBO_TOKEN_URL } : {}),
      ...(c.QBO_REVOKE_URL ? { revokeUrl: c.QBO_REVOKE_URL } : {}),
      ...(c.QBO_API_BASE ? { apiBase: c.QBO_API_BASE } : {}),
    },
    xero: xeroBase && {
      ...xeroBase,
      ...(c.XERO_IDENTITY_URL ? { identityUrl: c.XERO_IDENTITY_URL } : {}),
      ...(c.XERO_API_BASE ? { apiBase: c.XERO_API_BASE, connectionsUrl: `${c.XERO_API_BASE.replace(/\/$/, '')}/connections` } : {}),
    },
  };
}

import type { QuickBooksSettings, XeroSettings } from './config';
import type { LedgerProvider, ProviderName } from './ledger-provider';
import { QuickBooksProvider, type QuickBooksOptions } from './quickbooks/quickbooks.provider';
import { XeroProvider, type XeroOptions } from './xero/xero.provider';

export * from './ledger-provider';
export * from './config';
export { retryAfterMs } from './retry-after';
export { QuickBooksProvider, type QuickBooksOptions } from './quickbooks/quickbooks.provider';
export { XeroProvider, type XeroOptions } from './xero/xero.provider';

/** The settings each provider's adapter takes. */
export interface LedgerSettings {
  qbo: QuickBooksSettings;
  xero: XeroSettings;
}

export interface LedgerOptions {
  qbo: QuickBooksOptions;
  xero: XeroOptions;
}

/** The adapter for one provider, talking to the services its settings name (real or sandbox). */
export function createLedgerProvider<N extends ProviderName>(
  name: N,
  settings: LedgerSettings[N],
  options?: LedgerOptions[N],
): LedgerProvider {
  switch (name) {
    case 'qbo':
      return new QuickBooksProvider(settings as QuickBooksSettings, options as QuickBooksOptions | undefined);
    case 'xero':
      return new XeroProvider(settings as XeroSettings, options as XeroOptions | undefined);
    default:
      throw new Error(`Unknown ledger provider: ${String(name)}`);
  }
}

/** The transaction entities each adapter reads, and the cents helpers its amounts are computed with. */
export { formatCents, QBO_TRANSACTION_TYPES, toCents } from './quickbooks/transactions';
export { XERO_TRANSACTION_TYPES } from './xero/transactions';

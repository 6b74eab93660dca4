import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@ledgerport/server/config';
import { createLedgerProvider, type LedgerProvider, type ProviderName } from '@ledgerport/ledger';
import { ledgerSettings } from './ledger-settings';

export const PROVIDER_LABELS: Record<ProviderName, string> = { qbo: 'QuickBooks Online', xero: 'Xero' };

/**
 * The product's two ledger adapters, built once from configuration: the ledger sandbox outside
 * production (LEDGER_SANDBOX_URL), Intuit's and Xero's own services otherwise.
 */
@Injectable()
export class LedgerRegistry {
  private readonly providers = new Map<ProviderName, LedgerProvider>();

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    const settings = ledgerSettings(config);
    for (const name of ['qbo', 'xero'] as const) {
      const s = settings[name];
      if (s) this.providers.set(name, createLedgerProvider(name, s));
    }
  }

  get(name: ProviderName): LedgerProvider | undefined {
    return this.providers.get(name);
  }

  configured(name: ProviderName): boolean {
    return this.providers.has(name);
  }
}

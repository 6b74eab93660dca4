import type { ClassTracking, ConnectionStatus, Provider, ProviderName, ServiceStatus } from './types';

/** The providers Ledgerport speaks, in the order they are offered. */
export const PROVIDER_NAMES: readonly ProviderName[] = ['qbo', 'xero'];

export const PROVIDER_LABEL: Record<ProviderName, string> = {
  qbo: 'QuickBooks Online',
  xero: 'Xero',
};

/** The short name people use in sentences ("Open in QuickBooks", "Waiting for Xero…"). */
export const PROVIDER_SHORT: Record<ProviderName, string> = {
  qbo: 'QuickBooks',
  xero: 'Xero',
};

/** The logo the API serves for a provider (used when no ProviderDto is at hand, e.g. on the board). */
export function providerLogoUrl(name: ProviderName, providers?: readonly Provider[] | null): string {
  return (
    providers?.find((p) => p.name === name)?.logoUrl ??
    `/api/v1/public/providers/${encodeURIComponent(name)}/logo.svg`
  );
}

export const STATUS_TAG: Record<ConnectionStatus, { value: string; severity: string; icon: string }> = {
  connected: { value: 'Connected', severity: 'success', icon: 'pi pi-check-circle' },
  needs_reconnect: { value: 'Needs reconnect', severity: 'warn', icon: 'pi pi-exclamation-triangle' },
};

/** The class tracking mode in words; Xero has tracking categories instead of QuickBooks' classes. */
export function classTrackingWords(provider: ProviderName, mode: ClassTracking, classCount: number): string {
  if (provider === 'xero') {
    if (mode === 'off' && classCount === 0) return 'No tracking categories';
    return 'Tracking categories';
  }
  switch (mode) {
    case 'per_txn':
      return 'One class per transaction';
    case 'per_line':
      return 'One class per line';
    default:
      return 'Off';
  }
}

/** "Classes" in QuickBooks, "Tracking categories" in Xero. */
export function classesHeading(provider: ProviderName): string {
  return provider === 'xero' ? 'Tracking categories' : 'Classes';
}

export const SERVICE_STATUS: Record<ServiceStatus, { value: string; severity: string; icon: string }> = {
  connected: { value: 'Connected', severity: 'success', icon: 'pi pi-check' },
  not_connected: { value: 'Not connected', severity: 'secondary', icon: 'pi pi-minus' },
  unknown: { value: 'Unknown', severity: 'secondary', icon: 'pi pi-question' },
};

/** The words of the Disconnect confirmation, shared by the tile and the board. */
export function disconnectMessage(clientName: string, provider: ProviderName): string {
  const p = PROVIDER_SHORT[provider];
  return (
    `Ledgerport revokes its access to ${clientName}’s ${p} at ${p} and deletes the stored tokens, ` +
    `so it can no longer read or write that ledger. Everything already in Ledgerport — transactions, ` +
    `questions, reports and history — stays. You can connect again at any time.`
  );
}

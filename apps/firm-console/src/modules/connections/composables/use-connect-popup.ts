import { useLedgerConnectPopup, type LedgerConnectOutcome } from '@ledgerport/web/ui';
import type { ProviderName } from '../types';

export type ConnectOutcome = LedgerConnectOutcome;

/** The browser URL that starts the provider's consent (GET, staff cookie; redirects to the provider). */
export function connectUrl(clientId: string, provider: ProviderName): string {
  return `/api/v1/clients/${encodeURIComponent(clientId)}/connection/connect?provider=${encodeURIComponent(provider)}`;
}

/** The console's connect popup for one of the firm's clients. */
export function useConnectPopup(onOutcome: (outcome: ConnectOutcome) => void) {
  return useLedgerConnectPopup(connectUrl, onOutcome);
}

import type { SuccessBody, paths } from '@ledgerport/web/api-client';

/*
 * Types of the ledger-connection contract (issue 4, L1–L5), derived from the generated schema by
 * path so they follow the API when `npm run openapi:generate` runs again.
 */

type ConnectionAnswer = SuccessBody<paths['/api/v1/clients/{clientId}/connection']['get']>;

/** A client's connection to QuickBooks Online or Xero (the tile). */
export type Connection = NonNullable<ConnectionAnswer['connection']>;
export type ConnectionStatus = Connection['status'];
export type ClassTracking = Connection['classTracking'];
export type LedgerClass = Connection['classes'][number];
export type ServiceStatus = Connection['payroll'];

/** A ledger provider the server knows, and whether it has app keys for it. */
export type Provider = ConnectionAnswer['providers'][number];
export type ProviderName = Connection['provider'];

/** One account of the synced chart of accounts (for the default-account pickers). */
export type LedgerAccount = SuccessBody<
  paths['/api/v1/clients/{clientId}/connection/accounts']['get']
>['items'][number];

/** The connections board: one row per client the person may see. */
export type BoardPage = SuccessBody<paths['/api/v1/connections']['get']>;
export type BoardRow = BoardPage['items'][number];
export type BoardConnection = NonNullable<BoardRow['connection']>;
/** A row's sync: a run going now or how the last one ended, and what it left to review. */
export type BoardSync = BoardConnection['sync'];
export type BoardQuery = NonNullable<paths['/api/v1/connections']['get']['parameters']['query']>;

import type { SuccessBody, paths } from '@ledgerport/web/api-client';

/*
 * Types of the sync and transactions contract (S1–S5), derived from the generated schema by path so
 * they follow the API when `npm run openapi:generate` runs again.
 */

/** GET /clients/:id/sync: the run going now, the last one, and the counts. */
export type SyncStatus = SuccessBody<paths['/api/v1/clients/{clientId}/sync']['get']>;
/** One sync run (Sync now answers one too, with 202). */
export type SyncRun = NonNullable<SyncStatus['current']>;
export type SyncRunStatus = SyncRun['status'];
export type SyncProgress = SyncRun['progress'];

export type TransactionPage = SuccessBody<paths['/api/v1/clients/{clientId}/transactions']['get']>;
export type Transaction = TransactionPage['items'][number];
export type TransactionDetail = SuccessBody<
  paths['/api/v1/clients/{clientId}/transactions/{transactionId}']['get']
>;
export type TransactionLine = TransactionDetail['lines'][number];
export type TransactionQuery = NonNullable<
  paths['/api/v1/clients/{clientId}/transactions']['get']['parameters']['query']
>;
export type TransactionFlag = NonNullable<TransactionQuery['flag']>;

/** A payee of the synced ledger (the explorer's payee filter). */
export type Payee = SuccessBody<paths['/api/v1/clients/{clientId}/payees']['get']>['items'][number];

/** An account of the synced chart, with whether posting to it makes a transaction "uncategorized". */
export type ReviewAccount = SuccessBody<
  paths['/api/v1/clients/{clientId}/review-accounts']['get']
>['items'][number];

import { createHash, randomUUID } from 'node:crypto';
import type { CompanyLedger } from '../model/company-ledger';
import type { ChangeRecord, TxnKind } from '../model/ledger';

/** The QuickBooks entity each neutral transaction kind is. */
export const QBO_ENTITY: Record<TxnKind, string> = {
  spend: 'Purchase',
  receive: 'Deposit',
  journal: 'JournalEntry',
  transfer: 'Transfer',
  bill: 'Bill',
  bill_payment: 'BillPayment',
  invoice: 'Invoice',
  payment: 'Payment',
  sales_receipt: 'SalesReceipt',
};

export interface QboEntityChange {
  name: string;
  id: string;
  operation: ChangeRecord['operation'];
  lastUpdated: string;
}

/** A change as QuickBooks names it, or undefined when QuickBooks would not notify about it. */
export function qboEntityChange(ledger: CompanyLedger, change: ChangeRecord): QboEntityChange | undefined {
  let name: string | undefined;
  switch (change.entity) {
    case 'Txn':
      name = change.kind ? QBO_ENTITY[change.kind] : undefined;
      break;
    case 'Account':
      name = 'Account';
      break;
    case 'Class':
      name = 'Class';
      break;
    case 'Payee':
      name = ledger.payee(change.id)?.kind === 'customer' ? 'Customer' : 'Vendor';
      break;
  }
  return name ? { name, id: change.id, operation: change.operation, lastUpdated: change.at } : undefined;
}

/** The legacy QuickBooks notification: `{eventNotifications:[{realmId, dataChangeEvent:{entities}}]}`. */
export function qboLegacyPayload(realmId: string, entities: QboEntityChange[]): unknown {
  return { eventNotifications: [{ realmId, dataChangeEvent: { entities } }] };
}

const PAST: Record<ChangeRecord['operation'], string> = {
  Create: 'created',
  Update: 'updated',
  Delete: 'deleted',
};

/** The CloudEvents source of this app, stable per client id (Intuit's look like `intuit.<base64>`). */
export function qboEventSource(clientId: string): string {
  return `intuit.${createHash('sha256').update(clientId).digest('base64')}`;
}

/** The newer QuickBooks notification: a CloudEvents 1.0 array, one event per entity change. */
export function qboCloudEventsPayload(
  realmId: string,
  entities: QboEntityChange[],
  source: string,
): unknown[] {
  return entities.map((e) => ({
    specversion: '1.0',
    id: randomUUID(),
    source,
    type: `qbo.${e.name.toLowerCase()}.${PAST[e.operation]}.v1`,
    datacontenttype: 'application/json',
    time: e.lastUpdated,
    intuitentityid: e.id,
    intuitaccountid: realmId,
    data: {},
  }));
}

/**
 * Xero notifies about contacts (and invoices, which the sandbox does not model) but never about
 * bank transactions or manual journals: those must be polled. Xero has no "deleted" event for a
 * contact (contacts are archived), so every change is an UPDATE except a creation.
 */
export function xeroContactEvent(
  ledger: CompanyLedger,
  change: ChangeRecord,
): Record<string, unknown> | undefined {
  if (change.entity !== 'Payee') return undefined;
  return {
    resourceUrl: `https://api.xero.com/api.xro/2.0/Contacts/${change.id}`,
    resourceId: change.id,
    eventDateUtc: change.at.replace(/Z$/, ''),
    eventType: change.operation === 'Create' ? 'CREATE' : 'UPDATE',
    eventCategory: 'CONTACT',
    tenantId: ledger.def.id,
    tenantType: 'ORGANISATION',
  };
}

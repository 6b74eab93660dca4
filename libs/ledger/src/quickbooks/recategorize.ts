import { LedgerRequestFailed, type RecategorizeRequest } from '../ledger-provider';
import { isQboTransactionType } from './transactions';

/**
 * Write-back of a categorization to QuickBooks Online as a sparse update. Pure functions: which
 * lines take an account, and the body that changes one of them.
 *
 * QuickBooks replaces a transaction's whole Line array when an update carries one, so the body
 * restates every line exactly as it was read and changes only the target line's AccountRef (and
 * ClassRef where asked). Amounts are passed through untouched: nothing is recomputed here.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

/** The line detail that carries an account, for each entity whose lines can be categorized. */
export const QBO_CATEGORIZABLE: Readonly<Record<string, string>> = {
  Purchase: 'AccountBasedExpenseLineDetail',
  Bill: 'AccountBasedExpenseLineDetail',
  Deposit: 'DepositLineDetail',
  JournalEntry: 'JournalEntryLineDetail',
};

/** Why the other entities the sync reads have nothing to categorize. */
const NOT_CATEGORIZABLE: Readonly<Record<string, string>> = {
  Transfer: 'a QuickBooks Transfer moves money between two accounts and has no lines to categorize',
  BillPayment: 'a QuickBooks BillPayment pays bills and has no lines to categorize',
  Payment: 'a QuickBooks Payment receives money against invoices and has no lines to categorize',
  Invoice:
    'QuickBooks invoice lines take their account from the product or service (ItemAccountRef cannot be changed): change the line’s item in QuickBooks instead',
  SalesReceipt:
    'QuickBooks sales receipt lines take their account from the product or service (ItemAccountRef cannot be changed): change the line’s item in QuickBooks instead',
};

/** The QuickBooks URL segment of an entity ("JournalEntry" → "journalentry"). */
export const qboEntityPath = (entity: string): string => entity.toLowerCase();

/** Refuses, before any call, a request that cannot be written to QuickBooks whatever the data. */
export function checkQboRequest(req: RecategorizeRequest): void {
  if (!isQboTransactionType(req.type)) {
    throw new LedgerRequestFailed(`QuickBooks has no transaction type ${req.type} here.`, 0, 'unknown_type');
  }
  const why = NOT_CATEGORIZABLE[req.type];
  if (why) throw new LedgerRequestFailed(`Cannot recategorize: ${why}.`, 0, 'not_categorizable');
  if (typeof req.id !== 'string' || !req.id) {
    throw new LedgerRequestFailed(
      'Cannot recategorize: the transaction id is missing.',
      0,
      'invalid_request',
    );
  }
  if (typeof req.accountId !== 'string' || !req.accountId) {
    throw new LedgerRequestFailed('Cannot recategorize: the account id is missing.', 0, 'invalid_request');
  }
  if (
    req.classId !== undefined &&
    req.classId !== null &&
    (typeof req.classId !== 'string' || !req.classId)
  ) {
    throw new LedgerRequestFailed(
      'Cannot recategorize: the class id must be an id, null (no class) or left out.',
      0,
      'invalid_request',
    );
  }
}

const refValue = (ref: unknown): string | null => {
  if (!ref || typeof ref !== 'object') return null;
  const v = (ref as { value?: unknown }).value;
  return v === undefined || v === null || v === '' ? null : String(v);
};

/** Whether a line of `entity` carries an account that can be changed. */
function isCategorizable(entity: string, line: Json): boolean {
  const detailType = QBO_CATEGORIZABLE[entity];
  if (!line || typeof line !== 'object' || line.DetailType !== detailType) return false;
  const detail = line[detailType];
  if (!detail || typeof detail !== 'object') return false;
  // A deposit line that deposits a received payment posts to Undeposited Funds through its link.
  if (entity === 'Deposit' && Array.isArray(line.LinkedTxn) && line.LinkedTxn.length > 0) return false;
  return true;
}

/**
 * The sparse-update body that puts the target line on `req.accountId` (and `req.classId`), or
 * null when the line already has them (nothing to write). Throws LedgerRequestFailed (status 0)
 * when the line cannot be found or chosen.
 */
export function qboRecategorizeBody(entity: string, obj: Json, req: RecategorizeRequest): Json | null {
  const detailType = QBO_CATEGORIZABLE[entity];
  const lines: Json[] = Array.isArray(obj.Line) ? (obj.Line as Json[]) : [];
  const what = `QuickBooks ${entity} ${String(obj.Id ?? req.id)}`;
  let target: Json | undefined;
  if (req.lineId !== null) {
    target = lines.find(
      (l) => l && typeof l === 'object' && l.Id !== undefined && String(l.Id) === req.lineId,
    );
    if (!target) throw new LedgerRequestFailed(`${what} has no line ${req.lineId}.`, 0, 'line_not_found');
    if (!isCategorizable(entity, target)) {
      const kind = typeof target.DetailType === 'string' ? ` (${target.DetailType})` : '';
      throw new LedgerRequestFailed(
        `Line ${req.lineId} of ${what} takes no account of its own${kind}: it cannot be recategorized.`,
        0,
        'not_categorizable',
      );
    }
  } else {
    const candidates = lines.filter((l) => isCategorizable(entity, l));
    if (candidates.length === 0) {
      throw new LedgerRequestFailed(`${what} has no line that takes an account.`, 0, 'not_categorizable');
    }
    if (candidates.length > 1) {
      throw new LedgerRequestFailed(
        `${what} has ${candidates.length} lines that take an account: say which one (lineId).`,
        0,
        'ambiguous_line',
      );
    }
    target = candidates[0];
  }

  const detail = target[detailType] as Json;
  const sameAccount = refValue(detail.AccountRef) === req.accountId;
  const currentClass = refValue(detail.ClassRef);
  const sameClass = req.classId === undefined || (req.classId ?? null) === currentClass;
  if (sameAccount && sameClass) return null;

  const nextDetail: Json = { ...detail, AccountRef: { value: req.accountId } };
  if (req.classId === null) delete nextDetail.ClassRef;
  else if (req.classId !== undefined) nextDetail.ClassRef = { value: req.classId };
  const changed = { ...target, [detailType]: nextDetail };
  return {
    Id: obj.Id,
    SyncToken: obj.SyncToken,
    sparse: true,
    Line: lines.map((l) => (l === target ? changed : l)),
  };
}

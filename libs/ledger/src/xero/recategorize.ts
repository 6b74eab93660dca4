import type {
  BankTransaction,
  LineItem,
  LineItemTracking,
  ManualJournal,
  ManualJournalLine,
  TrackingCategory,
} from 'xero-node';
import { LedgerConflict, LedgerRequestFailed, type RecategorizeRequest } from '../ledger-provider';
import { XERO_TRANSACTION_TYPES } from './transactions';

/**
 * Write-back of a categorization to Xero. Pure functions over xero-node's objects: which line,
 * whether the document's state allows a change, and the update document.
 *
 * Xero replaces a document's whole LineItems (JournalLines) array on update, deleting the lines
 * left out, so the update restates every line as it was read (ids, amounts, tax, tracking) and
 * changes only the target line's AccountCode and Tracking. Amounts are passed through untouched.
 */

/** A line's tracking entry, whichever document it is on (LineItemTracking or TrackingCategory). */
interface TrackingEntry {
  trackingCategoryID?: string;
  trackingOptionID?: string;
  name?: string;
  option?: string;
}

/** The account and tracking a line is to have; `tracking` undefined keeps the line's own. */
export interface XeroLineChange {
  /** Xero names a line's account by its code (by its id only when the account has no code). */
  account: { accountCode?: string; accountID?: string };
  tracking?: TrackingEntry[];
}

/** A tracking option with the category it belongs to (from getTrackingCategories). */
export interface XeroTrackingChoice {
  categoryId: string;
  categoryName: string;
  optionId: string;
  optionName: string;
}

const same = (a: string | undefined | null, b: string | undefined | null) =>
  !!a && !!b && a.toLowerCase() === b.toLowerCase();

const status = (s: unknown) => (s === undefined || s === null ? '' : String(s));

/** Refuses, before any call, a request that cannot be written to Xero whatever the data. */
export function checkXeroRequest(req: RecategorizeRequest): void {
  if (!(XERO_TRANSACTION_TYPES as readonly string[]).includes(req.type)) {
    throw new LedgerRequestFailed(`Xero has no transaction type ${req.type} here.`, 0, 'unknown_type');
  }
  if (req.type === 'BankTransfer') {
    throw new LedgerRequestFailed(
      'Cannot recategorize: a Xero bank transfer moves money between two bank accounts and has no lines to categorize.',
      0,
      'not_categorizable',
    );
  }
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
      'Cannot recategorize: the tracking option id must be an id, null (no tracking) or left out.',
      0,
      'invalid_request',
    );
  }
}

/** Xero refuses changes to reconciled, deleted and voided bank transactions, and to transfer legs. */
export function checkBankTransactionState(t: BankTransaction): void {
  const s = status(t.status);
  if (s === 'DELETED' || s === 'VOIDED') {
    throw new LedgerConflict(
      `Xero does not allow changes to a ${s.toLowerCase()} bank transaction.`,
      'locked',
    );
  }
  if (t.isReconciled === true) {
    throw new LedgerConflict('Xero does not allow changes to a reconciled bank transaction.', 'reconciled');
  }
  const type = status(t.type);
  if (type !== 'SPEND' && type !== 'RECEIVE') {
    throw new LedgerRequestFailed(
      `Cannot recategorize: Xero does not let this bank transaction (${type || 'of no type'}) be categorized; only spend and receive money can.`,
      0,
      'not_categorizable',
    );
  }
}

/** Xero refuses changes to deleted, voided and archived manual journals. */
export function checkManualJournalState(j: ManualJournal): void {
  const s = status(j.status);
  if (s === 'DELETED' || s === 'VOIDED' || s === 'ARCHIVED') {
    const word = s.toLowerCase();
    throw new LedgerConflict(
      `Xero does not allow changes to ${word === 'archived' ? 'an' : 'a'} ${word} manual journal.`,
      'locked',
    );
  }
}

/**
 * The index of the target line: a bank transaction's line by its LineItemID, a journal's by its
 * position ("1", "2", …: Xero gives journal lines no id); null picks the only line, and is
 * refused when there are several.
 */
export function targetLine(
  what: string,
  count: number,
  lineId: string | null,
  idOf: (i: number) => string | undefined,
): number {
  if (lineId === null) {
    if (count === 0) throw new LedgerRequestFailed(`${what} has no lines.`, 0, 'not_categorizable');
    if (count > 1) {
      throw new LedgerRequestFailed(
        `${what} has ${count} lines that take an account: say which one (lineId).`,
        0,
        'ambiguous_line',
      );
    }
    return 0;
  }
  for (let i = 0; i < count; i++) if (same(idOf(i), lineId)) return i;
  throw new LedgerRequestFailed(`${what} has no line ${lineId}.`, 0, 'line_not_found');
}

/** The option a tracking option id stands for, among the organisation's active categories. */
export function trackingChoice(categories: TrackingCategory[], optionId: string): XeroTrackingChoice {
  for (const c of categories) {
    if (c.status !== undefined && status(c.status) !== 'ACTIVE') continue;
    for (const o of c.options ?? []) {
      if (!same(o.trackingOptionID, optionId)) continue;
      if (o.status !== undefined && status(o.status) !== 'ACTIVE') break;
      return {
        categoryId: String(c.trackingCategoryID),
        categoryName: c.name ?? '',
        optionId: String(o.trackingOptionID),
        optionName: o.name ?? '',
      };
    }
  }
  throw new LedgerRequestFailed(
    `Xero has no active tracking option ${optionId} in this organisation.`,
    0,
    'class_not_found',
  );
}

/** Whether the line's tracking needs the organisation's categories to apply `classId`. */
export function needsTrackingCategories(
  tracking: TrackingEntry[] | undefined,
  classId: string | null | undefined,
) {
  return typeof classId === 'string' && !(tracking ?? []).some((t) => same(t.trackingOptionID, classId));
}

/**
 * The line's tracking once `classId` is applied: undefined leaves it, null clears it, an option
 * replaces the line's option of the same category (the other category's option stays).
 */
export function nextTracking(
  tracking: TrackingEntry[] | undefined,
  classId: string | null | undefined,
  choice: XeroTrackingChoice | undefined,
): TrackingEntry[] | undefined {
  if (classId === undefined) return undefined;
  if (classId === null) return (tracking ?? []).length ? [] : undefined;
  if ((tracking ?? []).some((t) => same(t.trackingOptionID, classId))) return undefined;
  if (!choice) throw new Error('nextTracking needs the tracking option of classId');
  const kept = (tracking ?? []).filter(
    (t) =>
      !same(t.trackingCategoryID, choice.categoryId) &&
      (t.name ?? '').toLowerCase() !== choice.categoryName.toLowerCase(),
  );
  return [
    ...kept,
    {
      trackingCategoryID: choice.categoryId,
      trackingOptionID: choice.optionId,
      name: choice.categoryName,
      option: choice.optionName,
    },
  ];
}

/** A tracking entry as Xero takes it back: the ids, and the names it also accepts. */
function trackingOut(t: TrackingEntry): LineItemTracking {
  const out: TrackingEntry = {};
  if (t.trackingCategoryID) out.trackingCategoryID = t.trackingCategoryID;
  if (t.trackingOptionID) out.trackingOptionID = t.trackingOptionID;
  if (t.name) out.name = t.name;
  if (t.option) out.option = t.option;
  return out as LineItemTracking;
}

/** A line's account as Xero takes it back: by code, or by id when the account has no code. */
export function accountOut(l: { accountCode?: string; accountID?: string }): {
  accountCode?: string;
  accountID?: string;
} {
  if (l.accountCode) return { accountCode: l.accountCode };
  return l.accountID ? { accountID: l.accountID } : {};
}

/** The bank transaction to post: every line as read, the target line with its new account and tracking. */
export function bankTransactionUpdate(
  t: BankTransaction,
  index: number,
  change: XeroLineChange,
): BankTransaction {
  const lineItems = (t.lineItems ?? []).map((l: LineItem, i): LineItem => {
    const target = i === index;
    const tracking = target && change.tracking !== undefined ? change.tracking : (l.tracking ?? []);
    const out: Record<string, unknown> = {
      lineItemID: l.lineItemID,
      description: l.description,
      quantity: l.quantity,
      unitAmount: l.unitAmount,
      itemCode: l.itemCode,
      ...(target ? change.account : accountOut(l)),
      taxType: l.taxType,
      taxAmount: l.taxAmount,
      lineAmount: l.lineAmount,
      tracking: tracking.map(trackingOut),
      discountRate: l.discountRate,
      discountAmount: l.discountAmount,
    };
    for (const k of Object.keys(out)) if (out[k] === undefined) delete out[k];
    return out as unknown as LineItem;
  });
  const doc: Record<string, unknown> = {
    bankTransactionID: t.bankTransactionID,
    type: t.type,
    bankAccount: t.bankAccount?.accountID ? { accountID: t.bankAccount.accountID } : t.bankAccount,
    lineAmountTypes: t.lineAmountTypes,
    lineItems,
  };
  if (doc.lineAmountTypes === undefined) delete doc.lineAmountTypes;
  return doc as unknown as BankTransaction;
}

/** The manual journal to post: every line as read (in order), the target line with its new account and tracking. */
export function manualJournalUpdate(j: ManualJournal, index: number, change: XeroLineChange): ManualJournal {
  const journalLines = (j.journalLines ?? []).map((l: ManualJournalLine, i): ManualJournalLine => {
    const target = i === index;
    const tracking = target && change.tracking !== undefined ? change.tracking : (l.tracking ?? []);
    const out: Record<string, unknown> = {
      lineAmount: l.lineAmount,
      ...(target ? change.account : accountOut(l)),
      description: l.description,
      taxType: l.taxType,
      taxAmount: l.taxAmount,
      tracking: tracking.map(trackingOut),
    };
    for (const k of Object.keys(out)) if (out[k] === undefined) delete out[k];
    return out as unknown as ManualJournalLine;
  });
  const doc: Record<string, unknown> = {
    manualJournalID: j.manualJournalID,
    // Narration is required on every ManualJournal Xero accepts.
    narration: j.narration,
    lineAmountTypes: j.lineAmountTypes,
    journalLines,
  };
  if (doc.lineAmountTypes === undefined) delete doc.lineAmountTypes;
  return doc as unknown as ManualJournal;
}

/** The validation messages of Xero's 400 ValidationException ({Message, Elements[].ValidationErrors[].Message}). */
export function validationMessages(body: unknown): string[] {
  if (!body || typeof body !== 'object') return typeof body === 'string' && body ? [body] : [];
  const b = body as { Message?: unknown; Elements?: { ValidationErrors?: { Message?: unknown }[] }[] };
  const out: string[] = [];
  for (const e of Array.isArray(b.Elements) ? b.Elements : [])
    for (const v of Array.isArray(e?.ValidationErrors) ? e.ValidationErrors : [])
      if (typeof v?.Message === 'string' && v.Message) out.push(v.Message);
  if (!out.length && typeof b.Message === 'string' && b.Message) out.push(b.Message);
  return out;
}

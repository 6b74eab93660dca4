import type { BankTransaction, BankTransfer, ManualJournal } from 'xero-node';
import type { LedgerLine, LedgerRef, LedgerTransaction } from '../ledger-provider';
import { formatCents, toCents } from '../quickbooks/transactions';

/**
 * Xero objects (as xero-node deserialises them: camelCase members, enums as their strings, times
 * as Dates) → LedgerTransaction. Pure functions. Money is read into integer cents at once and
 * only formatted back at the end; no float arithmetic on amounts.
 *
 * Xero's lines carry only AccountCode / AccountID, not the account's name, so line accounts (and
 * a bank transaction's `account`) are `{id: AccountID, name: AccountCode}`; join them with
 * `accounts()` for names.
 */

/** The transaction entities the product keeps, in the order a backfill reads them. */
export const XERO_TRANSACTION_TYPES = ['BankTransaction', 'ManualJournal', 'BankTransfer'] as const;
export type XeroTransactionType = (typeof XERO_TRANSACTION_TYPES)[number];

/** Bank transaction types that are one side of a bank transfer (reported as BankTransfers instead). */
export const XERO_TRANSFER_LEGS: ReadonlySet<string> = new Set(['SPEND-TRANSFER', 'RECEIVE-TRANSFER']);

interface AccountLike {
  accountID?: string;
  code?: string;
  name?: string;
}
interface TrackingLike {
  trackingOptionID?: string;
  name?: string;
  option?: string;
}
interface LineLike {
  lineItemID?: string;
  description?: string;
  lineAmount?: number;
  accountCode?: string;
  accountID?: string;
  tracking?: TrackingLike[];
}

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** A document date (a Date from "/Date(ms)/", or "2026-11-20T00:00:00") → YYYY-MM-DD. */
export function xeroDay(v: unknown): string {
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? '' : v.toISOString().slice(0, 10);
  if (typeof v === 'string') {
    const ms = /^\/Date\((-?\d+)/.exec(v);
    if (ms) return new Date(Number(ms[1])).toISOString().slice(0, 10);
    return v.slice(0, 10);
  }
  return '';
}

/** An instant (a Date, "/Date(ms+0000)/" or ISO) → ISO 8601 UTC; '' when absent. */
export function xeroInstant(v: unknown): string {
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? '' : v.toISOString();
  if (typeof v === 'string' && v) {
    const ms = /^\/Date\((-?\d+)/.exec(v);
    const t = ms ? Number(ms[1]) : Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(v) ? v : `${v}Z`);
    return Number.isNaN(t) ? '' : new Date(t).toISOString();
  }
  return '';
}

/** A bank account reference (Account) → LedgerRef, named by its name or else its code. */
export function xeroAccountRef(a: AccountLike | undefined | null): LedgerRef | null {
  if (!a || typeof a !== 'object') return null;
  const id = str(a.accountID) ?? str(a.code);
  if (!id) return null;
  return { id, name: str(a.name) ?? str(a.code) ?? '' };
}

/** A line's account: Xero gives only its AccountID and AccountCode. */
function lineAccount(l: { accountID?: string; accountCode?: string }): LedgerRef | null {
  const id = str(l.accountID) ?? str(l.accountCode);
  return id ? { id, name: str(l.accountCode) ?? '' } : null;
}

/** Tracking entries → refs named "Category: Option" with the option's id (as companyDetails' classes). */
export function trackingRefs(tracking: TrackingLike[] | undefined): LedgerRef[] {
  if (!Array.isArray(tracking) || !tracking.length) return [];
  const out: LedgerRef[] = [];
  for (const t of tracking) {
    if (!t) continue;
    const id = str(t.trackingOptionID);
    if (!id) continue;
    out.push({ id, name: `${t.name ?? ''}: ${t.option ?? ''}` });
  }
  return out;
}

const isDeleted = (status: unknown) => {
  const s = status === undefined || status === null ? '' : String(status);
  return s === 'DELETED' || s === 'VOIDED';
};

/** A xero-node object as a plain JSON object (no undefined members; Dates as ISO strings). */
export function toPlain(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.toISOString();
  if (Array.isArray(v)) return v.map(toPlain);
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v)) {
    const x = (v as Record<string, unknown>)[k];
    if (x !== undefined && typeof x !== 'function') out[k] = toPlain(x);
  }
  return out;
}

function mapLines(
  list: LineLike[] | undefined,
  journal: boolean,
): { lines: LedgerLine[]; sum: number; debits: number; account: LedgerRef | null; cls: LedgerRef | null } {
  const lines: LedgerLine[] = [];
  let sum = 0;
  let debits = 0;
  let account: LedgerRef | null = null;
  let cls: LedgerRef | null = null;
  if (Array.isArray(list)) {
    for (let i = 0; i < list.length; i++) {
      const l = list[i];
      if (!l) continue;
      const cents = toCents(l.lineAmount);
      const abs = cents < 0 ? -cents : cents;
      sum += cents;
      if (journal && cents > 0) debits += cents;
      const acc = lineAccount(l);
      const classes = trackingRefs(l.tracking);
      if (account === null) account = acc;
      if (cls === null && classes.length) cls = classes[0];
      lines.push({
        // Xero gives journal lines no id: they are named by their position (1, 2, …), which is how
        // recategorize finds them again.
        id: journal ? String(i + 1) : str(l.lineItemID),
        amount: formatCents(abs),
        account: acc,
        classes,
        description: str(l.description),
        posting: journal ? (cents < 0 ? 'credit' : 'debit') : null,
      });
    }
  }
  return { lines, sum, debits, account, cls };
}

/** SPEND… money out (negative), RECEIVE… money in (positive); the total as Xero states it. */
export function mapXeroBankTransaction(t: BankTransaction): LedgerTransaction {
  const { lines, sum, account, cls } = mapLines(t.lineItems as LineLike[] | undefined, false);
  const total = t.total !== undefined && t.total !== null ? toCents(t.total) : sum;
  const abs = total < 0 ? -total : total;
  const kind = t.type === undefined || t.type === null ? '' : String(t.type);
  const contact = t.contact;
  const reference = str(t.reference);
  return {
    type: 'BankTransaction',
    id: String(t.bankTransactionID ?? ''),
    date: xeroDay(t.date),
    amount: formatCents(kind.startsWith('SPEND') ? -abs : abs),
    currency: t.currencyCode === undefined || t.currencyCode === null ? null : String(t.currencyCode),
    payee:
      contact && (contact.contactID || contact.name)
        ? { id: str(contact.contactID), name: contact.name ?? '' }
        : null,
    bankAccount: xeroAccountRef(t.bankAccount),
    account,
    class: cls,
    memo: reference,
    reference,
    lines,
    raw: toPlain(t),
    updatedAt: xeroInstant(t.updatedDateUTC),
    deleted: isDeleted(t.status),
  };
}

/** A manual journal: the sum of its debit (positive) lines, positive. */
export function mapXeroManualJournal(j: ManualJournal): LedgerTransaction {
  const { lines, debits, account, cls } = mapLines(j.journalLines as LineLike[] | undefined, true);
  return {
    type: 'ManualJournal',
    id: String(j.manualJournalID ?? ''),
    date: xeroDay(j.date),
    amount: formatCents(debits),
    currency: null,
    payee: null,
    bankAccount: null,
    account,
    class: cls,
    memo: str(j.narration),
    reference: null,
    lines,
    raw: toPlain(j),
    updatedAt: xeroInstant(j.updatedDateUTC),
    deleted: isDeleted(j.status),
  };
}

/**
 * A bank transfer: the amount, positive; from FromBankAccount to ToBankAccount. Xero gives
 * transfers no UpdatedDateUTC (they cannot be edited, only deleted): `updatedAt` is CreatedDateUTC.
 */
export function mapXeroBankTransfer(t: BankTransfer): LedgerTransaction {
  const cents = toCents(t.amount);
  const reference = str(t.reference);
  const updated = (t as { updatedDateUTC?: unknown }).updatedDateUTC ?? t.createdDateUTC;
  return {
    type: 'BankTransfer',
    id: String(t.bankTransferID ?? ''),
    date: xeroDay(t.date),
    amount: formatCents(cents < 0 ? -cents : cents),
    currency:
      t.fromBankAccount?.currencyCode === undefined || t.fromBankAccount?.currencyCode === null
        ? null
        : String(t.fromBankAccount.currencyCode),
    payee: null,
    bankAccount: xeroAccountRef(t.fromBankAccount),
    account: xeroAccountRef(t.toBankAccount),
    class: null,
    memo: reference,
    reference,
    lines: [],
    raw: toPlain(t),
    updatedAt: xeroInstant(updated),
    deleted: isDeleted(t.status),
  };
}

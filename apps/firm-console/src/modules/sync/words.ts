import type { SyncRun, Transaction } from './types';

/*
 * What a sync is doing and did, in plain words. Pure functions (no Vue, no API), so the sync card,
 * the run history and the board say the same thing, and the specs beside this file pin the wording.
 */

/** The ledger's transaction entities (QuickBooks and Xero names) as people call them, plural. */
const TYPE_PLURAL: Record<string, string> = {
  Purchase: 'purchases',
  Deposit: 'deposits',
  JournalEntry: 'journal entries',
  Transfer: 'transfers',
  Bill: 'bills',
  BillPayment: 'bill payments',
  Invoice: 'invoices',
  Payment: 'customer payments',
  SalesReceipt: 'sales receipts',
  BankTransaction: 'bank transactions',
  ManualJournal: 'manual journals',
  BankTransfer: 'bank transfers',
};

/** The same, singular and capitalised, for a transaction's type ("Journal entry"). */
const TYPE_SINGULAR: Record<string, string> = {
  Purchase: 'Purchase',
  Deposit: 'Deposit',
  JournalEntry: 'Journal entry',
  Transfer: 'Transfer',
  Bill: 'Bill',
  BillPayment: 'Bill payment',
  Invoice: 'Invoice',
  Payment: 'Customer payment',
  SalesReceipt: 'Sales receipt',
  BankTransaction: 'Bank transaction',
  ManualJournal: 'Manual journal',
  BankTransfer: 'Bank transfer',
};

/** "CreditCardCredit" → "credit card credit": a type this file does not know yet, still readable. */
function splitWords(type: string): string {
  return type
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .trim()
    .toLowerCase();
}

/** "Purchase" → "purchases". */
export function transactionTypePlural(type: string): string {
  const known = TYPE_PLURAL[type];
  if (known) return known;
  const words = splitWords(type) || 'transactions';
  return words.endsWith('s') ? words : `${words}s`;
}

/** "JournalEntry" → "Journal entry". */
export function transactionTypeLabel(type: string): string {
  const known = TYPE_SINGULAR[type];
  if (known) return known;
  const words = splitWords(type);
  return words ? words.charAt(0).toUpperCase() + words.slice(1) : 'Transaction';
}

/** "1 transaction", "1,240 transactions". */
export function countWords(n: number, one: string, many: string, locale?: string): string {
  return `${n.toLocaleString(locale)} ${n === 1 ? one : many}`;
}

/**
 * The line under the progress bar: what the run reads now and how far it got, e.g.
 * "Reading purchases… 1,240 transactions so far".
 */
export function phaseLine(run: Pick<SyncRun, 'status' | 'progress'>, locale?: string): string {
  if (run.status === 'queued') return 'Waiting to start…';
  const { phase, read } = run.progress;
  let doing: string;
  if (!phase) doing = 'Starting…';
  else if (phase === 'lists') doing = 'Reading accounts, classes and payees…';
  else if (phase === 'changes') doing = 'Looking for changes…';
  else doing = `Reading ${transactionTypePlural(phase)}…`;
  return read > 0 ? `${doing} ${countWords(read, 'transaction', 'transactions', locale)} so far` : doing;
}

/** The progress bar's value: a whole percent when the run knows it, else null (indeterminate). */
export function progressPercent(run: Pick<SyncRun, 'status' | 'progress'>): number | null {
  if (run.status === 'queued') return null;
  const p = run.progress.percent;
  if (p === null || !Number.isFinite(p)) return null;
  return Math.max(0, Math.min(100, Math.round(p)));
}

/** "3 new, 1 changed, 1 removed"; empty when the run changed nothing. */
export function changeParts(run: Pick<SyncRun, 'added' | 'changed' | 'removed'>, locale?: string): string[] {
  const parts: string[] = [];
  if (run.added) parts.push(`${run.added.toLocaleString(locale)} new`);
  if (run.changed) parts.push(`${run.changed.toLocaleString(locale)} changed`);
  if (run.removed) parts.push(`${run.removed.toLocaleString(locale)} removed`);
  return parts;
}

/** The short message when a run ends: "Synced: 3 new, 1 changed, 1 removed", or why it failed. */
export function runFinishedMessage(
  run: Pick<SyncRun, 'status' | 'added' | 'changed' | 'removed' | 'error'>,
  locale?: string,
): string {
  if (run.status === 'failed') {
    return `The sync didn’t finish: ${run.error?.message || 'something went wrong at the ledger.'}`;
  }
  const parts = changeParts(run, locale);
  return parts.length ? `Synced: ${parts.join(', ')}` : 'Synced: nothing changed';
}

export const RUN_KIND: Record<SyncRun['kind'], string> = {
  backfill: 'First sync',
  incremental: 'Changes',
};

export const RUN_TRIGGER: Record<SyncRun['trigger'], string> = {
  schedule: 'Schedule',
  manual: 'Sync now',
  connect: 'Connected',
  webhook: 'Ledger notice',
  api: 'API',
};

/** The result column of the run history. */
export function runResult(run: Pick<SyncRun, 'status' | 'added' | 'changed' | 'removed' | 'error'>): string {
  switch (run.status) {
    case 'queued':
      return 'Waiting to start';
    case 'running':
      return 'Running';
    case 'failed':
      return `Failed: ${run.error?.message || 'something went wrong at the ledger.'}`;
    default: {
      const parts = changeParts(run);
      return parts.length ? parts.join(' · ') : 'No changes';
    }
  }
}

/** The firm's schedule in words: "every 5 minutes", "every hour", "every 2 hours", "once a day". */
export function intervalWords(minutes: number): string {
  if (minutes === 1440) return 'once a day';
  if (minutes === 60) return 'every hour';
  if (minutes % 60 === 0) return `every ${minutes / 60} hours`;
  if (minutes > 60) {
    const h = Math.floor(minutes / 60);
    const m = minutes % 60;
    return `every ${h} ${h === 1 ? 'hour' : 'hours'} ${m} ${m === 1 ? 'minute' : 'minutes'}`;
  }
  return `every ${minutes} ${minutes === 1 ? 'minute' : 'minutes'}`;
}

const dayFormatters = new Map<string, Intl.DateTimeFormat>();

/**
 * A ledger date ("2026-11-02", no time of day) as "2 Nov 2026" in the reader's locale. Read and
 * written in UTC, so nobody west of Greenwich sees the day before.
 */
export function formatDay(date: string, locale?: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return date;
  const key = locale ?? '';
  let f = dayFormatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
    dayFormatters.set(key, f);
  }
  return f.format(new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))));
}

/**
 * The account a transaction is shown with: when it needs review, the account that does (for a split,
 * its first line in a "needs review" account, which a question would ask about); else its own (the
 * first line's).
 */
export function shownAccount(t: Pick<Transaction, 'account' | 'reviewAccount'>): Transaction['account'] {
  return t.reviewAccount ?? t.account;
}

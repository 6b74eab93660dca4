import { formatDay } from '../sync/words';
import type { ApplyState, Question, QuestionKind, QuestionStatus } from './types';

/*
 * Questions in plain words: whose turn it is, how old, when due, what happened to the write-back.
 * Pure functions (no Vue, no API), so the board, the drawer, the explorer and the sidebar say the
 * same thing, and the specs beside this file pin the wording.
 */

/** Whose turn it is, as the firm says it. */
export const STATUS_LABEL: Record<QuestionStatus, string> = {
  open: 'Waiting on client',
  answered: 'Waiting on us',
  resolved: 'Resolved',
};

/** PrimeVue Tag severities: the firm's own turn stands out. */
export const STATUS_SEVERITY: Record<QuestionStatus, 'info' | 'warn' | 'success'> = {
  open: 'info',
  answered: 'warn',
  resolved: 'success',
};

export const STATUS_ICON: Record<QuestionStatus, string> = {
  open: 'pi pi-hourglass',
  answered: 'pi pi-inbox',
  resolved: 'pi pi-check',
};

export const KIND_LABEL: Record<QuestionKind, string> = {
  transaction: 'About a transaction',
  other: 'Other question',
  for_us: 'Asked by the client',
};

const DAY_MS = 24 * 60 * 60 * 1000;

function toTime(value: string | Date): number {
  return value instanceof Date ? value.getTime() : new Date(value).getTime();
}

/**
 * How long a question has been waiting, for the board's Age column: "today", "1 day", "12 days",
 * "3 weeks", "4 months", "2 years". Whole units, rounded down.
 */
export function ageWords(since: string | Date, now: Date = new Date()): string {
  const t = toTime(since);
  if (Number.isNaN(t)) return '';
  const days = Math.floor(Math.max(0, now.getTime() - t) / DAY_MS);
  const unit = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;
  if (days < 1) return 'today';
  if (days < 14) return unit(days, 'day');
  if (days < 60) return unit(Math.floor(days / 7), 'week');
  if (days < 365) return unit(Math.floor(days / 30), 'month');
  return unit(Math.floor(days / 365), 'year');
}

/** The calendar day of `now` where the reader is, as YYYY-MM-DD. */
export function localDay(now: Date = new Date()): string {
  const y = now.getFullYear();
  const m = String(now.getMonth() + 1).padStart(2, '0');
  const d = String(now.getDate()).padStart(2, '0');
  return `${y}-${m}-${d}`;
}

function dayNumber(date: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return null;
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / DAY_MS;
}

/** Days from `today` to `dueOn` (negative once it has passed); null for a malformed date. */
export function daysUntil(dueOn: string, today: string): number | null {
  const due = dayNumber(dueOn);
  const now = dayNumber(today);
  return due === null || now === null ? null : Math.round(due - now);
}

/**
 * A due date in words: "Due today", "Due tomorrow", "Due 2 Dec 2026", "Overdue by 3 days".
 * Resolved questions are never overdue.
 */
export function dueWords(
  dueOn: string,
  today: string,
  status: QuestionStatus = 'open',
  locale?: string,
): { text: string; overdue: boolean } {
  const days = daysUntil(dueOn, today);
  if (days === null) return { text: `Due ${dueOn}`, overdue: false };
  if (status !== 'resolved' && days < 0) {
    const n = -days;
    return { text: `Overdue by ${n} ${n === 1 ? 'day' : 'days'}`, overdue: true };
  }
  if (days === 0) return { text: 'Due today', overdue: false };
  if (days === 1) return { text: 'Due tomorrow', overdue: false };
  return { text: `Due ${formatDay(dueOn, locale)}`, overdue: false };
}

/** The first words of a question on one line, cut at a word and marked with "…". */
export function excerpt(text: string, max = 140): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max - 1);
  // Ends between two words already, or else at the last space (unless that loses too much).
  const space = /\s/.test(flat.charAt(max - 1)) ? cut.length : cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).replace(/[\s,.;:–—-]+$/, '')}…`;
}

/** "820 B", "14 KB", "2.3 MB". */
export function fileSize(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '';
  if (bytes < 1024) return `${bytes} B`;
  const kb = bytes / 1024;
  if (kb < 1024) return `${Math.round(kb)} KB`;
  const mb = kb / 1024;
  return `${mb < 10 ? mb.toFixed(1) : Math.round(mb)} MB`;
}

/**
 * The write-back's state in a sentence, e.g. "Applied to QuickBooks Online: Meals" or
 * "QuickBooks Online didn’t take it: …".
 */
export function applyWords(apply: ApplyState, ledger: string): string {
  const account = apply.category?.name;
  switch (apply.status) {
    case 'pending':
      return account ? `Applying ${account} to ${ledger}…` : `Applying to ${ledger}…`;
    case 'applied':
      return account ? `Applied to ${ledger}: ${account}` : `Applied to ${ledger}`;
    default:
      return `${ledger} didn’t take it: ${apply.error || 'something went wrong at the ledger.'}`;
  }
}

/** A list of references for a sentence: "Q-4", "Q-4 and Q-5", "Q-4, Q-5 and Q-6", "Q-4 to Q-9". */
export function referenceList(questions: Array<Pick<Question, 'reference' | 'number'>>): string {
  const refs = [...questions].sort((a, b) => a.number - b.number);
  if (refs.length === 0) return '';
  if (refs.length === 1) return refs[0]!.reference;
  const consecutive = refs.every((q, i) => i === 0 || q.number === refs[i - 1]!.number + 1);
  if (refs.length > 3 && consecutive) return `${refs[0]!.reference} to ${refs[refs.length - 1]!.reference}`;
  const names = refs.map((q) => q.reference);
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/** The confirmation after asking: "Asked Maria Lopez 3 questions: ." */
export function askedSentence(questions: Array<Pick<Question, 'reference' | 'number' | 'contact'>>): string {
  const who = questions[0]?.contact?.name ?? 'the client';
  const n = questions.length;
  if (n === 1) return `Asked ${who} ${questions[0]!.reference}.`;
  return `Asked ${who} ${n} questions: ${referenceList(questions)}.`;
}

/** A question already asked about a transaction, as a 409 DUPLICATE_QUESTION names it. */
export interface AlreadyAsked {
  reference: string;
  status: QuestionStatus | null;
}

/**
 * Which transactions of a bulk ask already have a question, from the details of a 409
 * DUPLICATE_QUESTION (`{field: "items[2].transactionId", message: "Q-3, open"}`), keyed by the
 * transaction ids sent, in the order sent. A detail that names no item (asked a moment ago by
 * someone else) is left out: the caller then says so in general words.
 */
export function alreadyAsked(details: unknown, transactionIds: readonly string[]): Map<string, AlreadyAsked> {
  const out = new Map<string, AlreadyAsked>();
  if (!Array.isArray(details)) return out;
  for (const d of details as unknown[]) {
    if (typeof d !== 'object' || d === null) continue;
    const { field, message } = d as { field?: unknown; message?: unknown };
    if (typeof field !== 'string' || typeof message !== 'string') continue;
    const index = /^items\[(\d+)\]\.transactionId$/.exec(field);
    const id = index
      ? transactionIds[Number(index[1])]
      : field === 'transactionId' && transactionIds.length === 1
        ? transactionIds[0]
        : undefined;
    const ref = /\bQ-\d+\b/.exec(message);
    if (!id || !ref) continue;
    const status = /\b(open|answered|resolved)\b/.exec(message)?.[1] as QuestionStatus | undefined;
    out.set(id, { reference: ref[0], status: status ?? null });
  }
  return out;
}

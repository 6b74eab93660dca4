import { normaliseAmount } from './money';
import type { TransactionFlag, TransactionQuery } from './types';

/*
 * The explorer's filters, and how they live in the URL
 * (`/clients/:id/transactions?flag=uncategorized&from=2026-01-01&q=rent&min=-500`) and go to the API.
 * Pure, so the round trip is specified beside this file.
 */

export type FlagFilter = 'all' | TransactionFlag;

export interface ExplorerFilters {
  /** Search text as typed (sent once it has 2+ characters). */
  q: string;
  flag: FlagFilter;
  /** YYYY-MM-DD or "". */
  from: string;
  to: string;
  accountId: string;
  payeeId: string;
  /** Shown in the payee box (the API finds payees by name, not id). */
  payeeName: string;
  /** Normalised decimal strings ("-500", "1200.50") or "". */
  minAmount: string;
  maxAmount: string;
}

export const EMPTY_FILTERS: Readonly<ExplorerFilters> = Object.freeze({
  q: '',
  flag: 'all',
  from: '',
  to: '',
  accountId: '',
  payeeId: '',
  payeeName: '',
  minAmount: '',
  maxAmount: '',
});

export const FLAG_FILTERS: ReadonlyArray<{ value: FlagFilter; label: string }> = [
  { value: 'all', label: 'All' },
  { value: 'uncategorized', label: 'Uncategorized' },
  { value: 'missing_class', label: 'Missing class' },
  { value: 'review', label: 'Needs review' },
];

/** The search needs this many characters before it is sent. */
export const MIN_SEARCH = 2;
const MAX_TEXT = 100;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** True for a real calendar day written YYYY-MM-DD. */
export function isIsoDate(value: string): boolean {
  if (!DATE.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(value);
}

function first(value: unknown): string {
  const v = Array.isArray(value) ? value[0] : value;
  return typeof v === 'string' ? v : '';
}

function text(value: unknown): string {
  return first(value).slice(0, MAX_TEXT);
}

/** Reads the filters from a route query; anything malformed is dropped rather than sent. */
export function filtersFromQuery(query: Record<string, unknown>): ExplorerFilters {
  const flag = first(query['flag']);
  const from = first(query['from']);
  const to = first(query['to']);
  const min = normaliseAmount(first(query['min']));
  const max = normaliseAmount(first(query['max']));
  const payeeId = text(query['payee']);
  return {
    q: text(query['q']),
    flag: FLAG_FILTERS.some((f) => f.value === flag) ? (flag as FlagFilter) : 'all',
    from: isIsoDate(from) ? from : '',
    to: isIsoDate(to) ? to : '',
    accountId: text(query['account']),
    payeeId,
    payeeName: payeeId ? text(query['payeeName']) : '',
    minAmount: min ?? '',
    maxAmount: max ?? '',
  };
}

/** The route query for the filters (only what is set, so a plain view has a plain URL). */
export function filtersToQuery(f: ExplorerFilters): Record<string, string> {
  const out: Record<string, string> = {};
  if (f.q.trim()) out['q'] = f.q.trim();
  if (f.flag !== 'all') out['flag'] = f.flag;
  if (f.from) out['from'] = f.from;
  if (f.to) out['to'] = f.to;
  if (f.accountId) out['account'] = f.accountId;
  if (f.payeeId) {
    out['payee'] = f.payeeId;
    if (f.payeeName) out['payeeName'] = f.payeeName;
  }
  if (f.minAmount) out['min'] = f.minAmount;
  if (f.maxAmount) out['max'] = f.maxAmount;
  return out;
}

/** The API's query for the filters (without paging). A search under 2 characters is not sent. */
export function filtersToApi(f: ExplorerFilters): Omit<TransactionQuery, 'limit' | 'cursor'> {
  const out: Omit<TransactionQuery, 'limit' | 'cursor'> = {};
  const q = f.q.trim();
  if (q.length >= MIN_SEARCH) out.q = q;
  if (f.flag !== 'all') out.flag = f.flag;
  if (f.from) out.from = f.from;
  if (f.to) out.to = f.to;
  if (f.accountId) out.accountId = f.accountId;
  if (f.payeeId) out.payeeId = f.payeeId;
  if (f.minAmount) out.minAmount = f.minAmount;
  if (f.maxAmount) out.maxAmount = f.maxAmount;
  return out;
}

/** True when anything narrows the list (the empty state then says "no matches", not "nothing yet"). */
export function hasFilters(f: ExplorerFilters): boolean {
  return Object.keys(filtersToApi(f)).length > 0;
}

/** Two filter sets that ask the API the same question. */
export function sameQuestion(a: ExplorerFilters, b: ExplorerFilters): boolean {
  return JSON.stringify(filtersToApi(a)) === JSON.stringify(filtersToApi(b));
}

/** The explorer's address, e.g. for "12 uncategorized" links. */
export function explorerLink(clientId: string, filters: Partial<ExplorerFilters> = {}): string {
  const query = filtersToQuery({ ...EMPTY_FILTERS, ...filters });
  const search = new URLSearchParams(query).toString();
  return `/clients/${encodeURIComponent(clientId)}/transactions${search ? `?${search}` : ''}`;
}

import type { QuestionKind, QuestionQuery, QuestionStatus } from './types';

/*
 * The question board's filters, and how they live in the URL
 * (`/questions?status=open&client=…&assignee=me&age=7&kind=transaction&q=rent&page=2`) and go to the
 * API. Pure, so the round trip is specified beside this file.
 */

export type StatusTab = QuestionStatus | 'all';
/** Anyone (""), the signed-in person, nobody, or a staff member's id. */
export type AssigneeFilter = string;
export type KindFilter = '' | QuestionKind;

export interface BoardFilters {
  status: StatusTab;
  /** "" for every client the person may see. */
  clientId: string;
  assignee: AssigneeFilter;
  /** Only questions asked at least this many days ago; 0 for any age. */
  age: number;
  kind: KindFilter;
  /** Words, a payee, or a reference like Q-12, as typed. */
  q: string;
  page: number;
}

/** The firm's own turn first: what is waiting on us is what needs doing. */
export const DEFAULT_STATUS: StatusTab = 'answered';

export const EMPTY_FILTERS: Readonly<BoardFilters> = Object.freeze({
  status: DEFAULT_STATUS,
  clientId: '',
  assignee: '',
  age: 0,
  kind: '',
  q: '',
  page: 1,
});

export const STATUS_TABS: ReadonlyArray<{ value: StatusTab; label: string }> = [
  { value: 'open', label: 'Waiting on client' },
  { value: 'answered', label: 'Waiting on us' },
  { value: 'resolved', label: 'Resolved' },
  { value: 'all', label: 'All' },
];

export const AGE_OPTIONS: ReadonlyArray<{ value: number; label: string }> = [
  { value: 0, label: 'Any age' },
  { value: 3, label: 'Older than 3 days' },
  { value: 7, label: 'Older than 7 days' },
  { value: 14, label: 'Older than 14 days' },
  { value: 30, label: 'Older than 30 days' },
];

export const KIND_OPTIONS: ReadonlyArray<{ value: KindFilter; label: string }> = [
  { value: '', label: 'Every kind' },
  { value: 'transaction', label: 'About a transaction' },
  { value: 'other', label: 'Other questions' },
  { value: 'for_us', label: 'Asked by the client' },
];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_SEARCH = 100;

function first(value: unknown): string {
  const v = Array.isArray(value) ? value[0] : value;
  return typeof v === 'string' ? v : '';
}

/** True for an id the API accepts in `clientId` and `assignee`. */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** Reads the filters from a route query; anything malformed falls back to its default. */
export function filtersFromQuery(query: Record<string, unknown>): BoardFilters {
  const status = first(query['status']);
  const client = first(query['client']);
  const assignee = first(query['assignee']);
  const age = Number(first(query['age']));
  const kind = first(query['kind']);
  const page = Number.parseInt(first(query['page']), 10);
  return {
    status: STATUS_TABS.some((s) => s.value === status) ? (status as StatusTab) : DEFAULT_STATUS,
    clientId: isUuid(client) ? client.toLowerCase() : '',
    assignee: assignee === 'me' || assignee === 'none' || isUuid(assignee) ? assignee.toLowerCase() : '',
    age: AGE_OPTIONS.some((a) => a.value === age) ? age : 0,
    kind: KIND_OPTIONS.some((k) => k.value === kind) ? (kind as KindFilter) : '',
    q: first(query['q']).slice(0, MAX_SEARCH),
    page: Number.isFinite(page) && page > 1 ? page : 1,
  };
}

/** The route query for the filters: only what differs from the defaults, so a plain view has a plain URL. */
export function filtersToQuery(f: BoardFilters): Record<string, string> {
  const out: Record<string, string> = {};
  if (f.status !== DEFAULT_STATUS) out['status'] = f.status;
  if (f.clientId) out['client'] = f.clientId;
  if (f.assignee) out['assignee'] = f.assignee;
  if (f.age) out['age'] = String(f.age);
  if (f.kind) out['kind'] = f.kind;
  if (f.q.trim()) out['q'] = f.q.trim();
  if (f.page > 1) out['page'] = String(f.page);
  return out;
}

/**
 * The API's query for the filters (without paging). `clientId` is the client the board is fixed to
 * (a client's own Questions page), which wins over the client filter.
 */
export function filtersToApi(f: BoardFilters, clientId?: string): Omit<QuestionQuery, 'limit' | 'offset'> {
  const out: Omit<QuestionQuery, 'limit' | 'offset'> = { status: f.status };
  const client = clientId || f.clientId;
  if (client) out.clientId = client;
  if (f.assignee) out.assignee = f.assignee;
  if (f.age) out.olderThanDays = f.age;
  if (f.kind) out.kind = f.kind;
  const q = f.q.trim();
  if (q) out.q = q;
  return out;
}

/** True when anything but the status tab narrows the list (the empty state then says "no matches"). */
export function hasFilters(f: BoardFilters, fixedClient = false): boolean {
  return !!((f.clientId && !fixedClient) || f.assignee || f.age || f.kind || f.q.trim());
}

/** Two filter sets that ask the API the same question (the page aside). */
export function sameQuestion(a: BoardFilters, b: BoardFilters): boolean {
  return JSON.stringify(filtersToApi(a)) === JSON.stringify(filtersToApi(b));
}

/** The board's address, e.g. for "3 waiting on the client" links. */
export function boardLink(filters: Partial<BoardFilters> = {}, base = '/questions'): string {
  const query = filtersToQuery({ ...EMPTY_FILTERS, ...filters });
  const search = new URLSearchParams(query).toString();
  return `${base}${search ? `?${search}` : ''}`;
}

/** A client's own Questions page. */
export function clientQuestionsPath(clientId: string): string {
  return `/clients/${encodeURIComponent(clientId)}/questions`;
}

/** One question, opened over the firm-wide board. */
export function questionPath(questionId: string): string {
  return `/questions/${encodeURIComponent(questionId)}`;
}

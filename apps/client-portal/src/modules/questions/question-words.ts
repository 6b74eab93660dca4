import type { PortalQuestion, PortalQuestionDetail, PortalQuestionList } from '../../types';

/*
 * The words the portal uses about questions: money, days, counts, whose turn it is, and which
 * section a question belongs in. Plain functions (no Vue), so they are unit-tested on their own.
 * `locale` is the reader's (undefined) in the app; tests pass one to be deterministic.
 */

/* ------------------------------------------------------------------------------------------------
 * Money
 * ---------------------------------------------------------------------------------------------- */

export type MoneyDirection = 'out' | 'in' | 'none';

export interface MoneyWords {
  /** "−$42.50" for money out, "+$120.00" for money in, "$0.00" for nothing (a true minus sign). */
  signed: string;
  /** "$42.50": the amount without its sign, for a heading beside "Money out". */
  plain: string;
  direction: MoneyDirection;
  /** "Money out" | "Money in" | "No money moved". */
  directionWords: string;
}

const DECIMAL = /^\s*([+-])?(\d+)(?:\.(\d+))?\s*$/;

/**
 * Words for a ledger amount: a decimal string (never a float, so nothing is rounded away), money
 * out negative. Without a currency the number is written with two decimals and no symbol.
 */
export function moneyWords(amount: string, currency: string | null | undefined, locale?: string): MoneyWords {
  const m = DECIMAL.exec(amount);
  if (!m) return { signed: amount, plain: amount, direction: 'none', directionWords: '' };
  const negative = m[1] === '-';
  const digits = `${m[2]}.${m[3] ?? '0'}`;
  const isZero = /^0*\.?0*$/.test(`${m[2]}${m[3] ?? ''}`);
  let plain: string;
  try {
    // Intl formats a decimal string exactly (no float on the way).
    const options: Intl.NumberFormatOptions = currency
      ? { style: 'currency', currency }
      : { minimumFractionDigits: 2, maximumFractionDigits: 2 };
    plain = new Intl.NumberFormat(locale, options).format(digits as unknown as number);
  } catch {
    // An unknown currency code: the number and the code.
    plain =
      `${new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(digits as unknown as number)} ${currency ?? ''}`.trim();
  }
  if (isZero) return { signed: plain, plain, direction: 'none', directionWords: 'No money moved' };
  return negative
    ? { signed: `−${plain}`, plain, direction: 'out', directionWords: 'Money out' }
    : { signed: `+${plain}`, plain, direction: 'in', directionWords: 'Money in' };
}

/* ------------------------------------------------------------------------------------------------
 * Days
 * ---------------------------------------------------------------------------------------------- */

/**
 * A calendar day ("2026-11-02", or the date part of a timestamp) as local midnight: a date-only
 * string given to `new Date()` is read as UTC and shows as the day before west of Greenwich.
 */
export function parseDay(value: string | null | undefined): Date | null {
  if (!value) return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(value);
  if (!m) return null;
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return Number.isNaN(d.getTime()) ? null : d;
}

/** "2 Nov 2026" (in the reader's locale); empty for a missing day. */
export function dayWords(value: string | null | undefined, locale?: string): string {
  const d = parseDay(value);
  return d
    ? new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', year: 'numeric' }).format(d)
    : '';
}

function startOfDay(d: Date): Date {
  return new Date(d.getFullYear(), d.getMonth(), d.getDate());
}

/** Whole calendar days from `today` to `day` (negative in the past), immune to clock changes. */
export function daysBetween(today: Date, day: Date): number {
  const a = startOfDay(today);
  const b = startOfDay(day);
  return Math.round(
    (Date.UTC(b.getFullYear(), b.getMonth(), b.getDate()) -
      Date.UTC(a.getFullYear(), a.getMonth(), a.getDate())) /
      86_400_000,
  );
}

export interface DueWords {
  /** "Due today", "Due tomorrow", "Due in 3 days", "Due 12 Mar 2027", "Was due yesterday", "Overdue by 4 days". */
  text: string;
  overdue: boolean;
  /** Due today or tomorrow: worth a nudge, not an alarm. */
  soon: boolean;
}

/** When an answer is due, in words; null when the firm set no date. */
export function dueWords(
  dueOn: string | null | undefined,
  today: Date = new Date(),
  locale?: string,
): DueWords | null {
  const day = parseDay(dueOn);
  if (!day) return null;
  const n = daysBetween(today, day);
  if (n < -1) return { text: `Overdue by ${-n} days`, overdue: true, soon: false };
  if (n === -1) return { text: 'Was due yesterday', overdue: true, soon: false };
  if (n === 0) return { text: 'Due today', overdue: false, soon: true };
  if (n === 1) return { text: 'Due tomorrow', overdue: false, soon: true };
  if (n <= 6) return { text: `Due in ${n} days`, overdue: false, soon: false };
  return { text: `Due ${dayWords(dueOn, locale)}`, overdue: false, soon: false };
}

/* ------------------------------------------------------------------------------------------------
 * Counts and turns
 * ---------------------------------------------------------------------------------------------- */

/** The home tile's line: "1 question needs your answer", "3 questions need your answer", or all caught up. */
export function needsAnswerWords(count: number): string {
  if (count <= 0) return 'You’re all caught up';
  return count === 1 ? '1 question needs your answer' : `${count} questions need your answer`;
}

/** The header link's spoken name: "Questions, 3 need your answer". */
export function questionsLinkLabel(count: number): string {
  if (count <= 0) return 'Questions';
  return `Questions, ${count} ${count === 1 ? 'needs' : 'need'} your answer`;
}

export type QuestionSection = 'needsAnswer' | 'withOthers' | 'waiting';

/** Where a question belongs: open and mine, open and with a teammate, or waiting on the bookkeeper. */
export function sectionOf(q: Pick<PortalQuestion, 'status' | 'mine'>): QuestionSection {
  if (q.status !== 'open') return 'waiting';
  return q.mine ? 'needsAnswer' : 'withOthers';
}

/** Whose turn it is, as the question page's status line says it. */
export function turnWords(q: Pick<PortalQuestion, 'status' | 'mine' | 'contact'>): string {
  const section = sectionOf(q);
  if (section === 'needsAnswer') return 'Needs your answer';
  if (section === 'withOthers') return q.contact ? `With ${q.contact.name}` : 'With your team';
  return 'Waiting on your bookkeeper';
}

/** "Asked by Ben Ortiz", or "You asked" for the person's own question to the firm. */
export function askedByWords(
  q: Pick<PortalQuestion, 'askedBy'>,
  myContactId: string | null | undefined,
): string {
  const who = q.askedBy;
  if (who.side === 'client' && myContactId && who.id === myContactId) return 'You asked';
  return `Asked by ${who.name}`;
}

/**
 * The list with `q` moved to the section it now belongs in (after answering or handing it over),
 * without waiting for the list to load again; `openCount` follows. A resolved question (`null`)
 * leaves the list.
 */
export function placeQuestion(
  list: PortalQuestionList,
  id: string,
  q: PortalQuestion | null,
): PortalQuestionList {
  const without = (items: PortalQuestion[]) => items.filter((i) => i.id !== id);
  const next: PortalQuestionList = {
    ...list,
    needsAnswer: without(list.needsAnswer),
    withOthers: without(list.withOthers),
    waiting: without(list.waiting),
  };
  if (q) {
    const section = sectionOf(q);
    // Keep the API's order (due date, then age): put it back where it sorts.
    next[section] = insertSorted(next[section], q);
  }
  next.openCount = next.needsAnswer.length;
  return next;
}

function sortKey(q: PortalQuestion): [string, string] {
  return [q.dueOn ?? '9999-12-31', q.createdAt];
}

function insertSorted(items: PortalQuestion[], q: PortalQuestion): PortalQuestion[] {
  const [due, created] = sortKey(q);
  const at = items.findIndex((i) => {
    const [d, c] = sortKey(i);
    return d > due || (d === due && c > created);
  });
  return at < 0 ? [...items, q] : [...items.slice(0, at), q, ...items.slice(at)];
}

/** A question page's question as a list item (without its thread and teammates). */
export function asListItem(q: PortalQuestion | PortalQuestionDetail): PortalQuestion {
  if (!('messages' in q)) return q;
  const { messages: _messages, teammates: _teammates, ...item } = q;
  return item;
}

/** The next question that needs the person's answer after `id` (wrapping), for "Next question". */
export function nextToAnswer(list: PortalQuestionList | null, id: string): PortalQuestion | null {
  if (!list) return null;
  return list.needsAnswer.find((q) => q.id !== id) ?? null;
}

import type { Transaction } from './types';

/*
 * The explorer's selection of transactions to ask the client about (Q8). It spans pages (it is kept
 * by id), never holds a transaction already asked about (each gets one question, ever), and stops
 * at the most one request may ask. Pure, so the rules are specified beside this file.
 */

/** The bulk ask takes at most this many transactions at once. */
export const MAX_SELECTION = 100;

export type Selection = ReadonlyMap<string, Transaction>;

/** A transaction that can be asked about: it has no question yet. */
export function selectable(t: Pick<Transaction, 'question'>): boolean {
  return !t.question;
}

/** The page's header checkbox: none, some or all of the page's askable rows are selected. */
export function pageState(items: readonly Transaction[], selection: Selection): 'none' | 'some' | 'all' {
  const rows = items.filter(selectable);
  const picked = rows.filter((t) => selection.has(t.id)).length;
  if (picked === 0) return 'none';
  return picked === rows.length ? 'all' : 'some';
}

/** Ticks or unticks one row (a full selection takes no more). */
export function toggle(selection: Selection, t: Transaction, on: boolean): Map<string, Transaction> {
  const next = new Map(selection);
  if (!on) next.delete(t.id);
  else if (selectable(t) && next.size < MAX_SELECTION) next.set(t.id, t);
  return next;
}

/**
 * The header checkbox: ticks every askable row of the page (up to the limit), or, when they all are
 * already, unticks them. Rows of other pages stay as they were.
 */
export function togglePage(selection: Selection, items: readonly Transaction[]): Map<string, Transaction> {
  const next = new Map(selection);
  const rows = items.filter(selectable);
  if (pageState(items, selection) === 'all') {
    for (const t of rows) next.delete(t.id);
    return next;
  }
  for (const t of rows) {
    if (next.size >= MAX_SELECTION) break;
    next.set(t.id, t);
  }
  return next;
}

/**
 * After a page loads: selected rows take the fresh copy, and any that turns out to have a question
 * now (asked meanwhile, by someone else or a moment ago) leaves the selection.
 */
export function refresh(selection: Selection, items: readonly Transaction[]): Map<string, Transaction> {
  const next = new Map(selection);
  for (const t of items) {
    if (!next.has(t.id)) continue;
    if (selectable(t)) next.set(t.id, t);
    else next.delete(t.id);
  }
  return next;
}

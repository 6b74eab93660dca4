/*
 * Keyset paging for the transactions explorer. The API answers a page and the cursor of the page after
 * it; going back needs the cursors that opened every earlier page, so the explorer keeps them as a
 * stack: [null] is page 1, [null, "c2"] page 2, and so on. Immutable, so a Vue ref of it just works.
 */

export type CursorStack = readonly (string | null)[];

/** Page 1 (no cursor). */
export const FIRST_PAGE: CursorStack = Object.freeze([null]);

/** The cursor that opens the page shown now (null on page 1). */
export function currentCursor(stack: CursorStack): string | null {
  return stack[stack.length - 1] ?? null;
}

/** 1-based number of the page shown now. */
export function pageNumber(stack: CursorStack): number {
  return Math.max(1, stack.length);
}

export function hasPrevious(stack: CursorStack): boolean {
  return stack.length > 1;
}

/** The stack after "Next": the page opened by `nextCursor` goes on top. */
export function pushCursor(stack: CursorStack, nextCursor: string): CursorStack {
  return [...(stack.length ? stack : FIRST_PAGE), nextCursor];
}

/** The stack after "Previous"; page 1 stays page 1. */
export function popCursor(stack: CursorStack): CursorStack {
  return stack.length > 1 ? stack.slice(0, -1) : FIRST_PAGE;
}

/** "1–50", "51–100" for the page shown now, given how many rows it has and the page size. */
export function rangeWords(stack: CursorStack, rows: number, pageSize: number, locale?: string): string {
  if (rows === 0) return '';
  const first = (pageNumber(stack) - 1) * pageSize + 1;
  const last = first + rows - 1;
  return `${first.toLocaleString(locale)}–${last.toLocaleString(locale)}`;
}

import { describe, expect, it } from '@jest/globals';
import {
  FIRST_PAGE,
  currentCursor,
  hasPrevious,
  pageNumber,
  popCursor,
  pushCursor,
  rangeWords,
} from './cursor-stack';

describe('cursor stack', () => {
  it('starts on page 1 without a cursor', () => {
    expect(currentCursor(FIRST_PAGE)).toBeNull();
    expect(pageNumber(FIRST_PAGE)).toBe(1);
    expect(hasPrevious(FIRST_PAGE)).toBe(false);
  });

  it('goes forward with each next cursor and back the same way', () => {
    const p2 = pushCursor(FIRST_PAGE, 'c2');
    const p3 = pushCursor(p2, 'c3');
    expect(pageNumber(p3)).toBe(3);
    expect(currentCursor(p3)).toBe('c3');
    expect(hasPrevious(p3)).toBe(true);
    const back = popCursor(p3);
    expect(back).toEqual([null, 'c2']);
    expect(currentCursor(back)).toBe('c2');
    expect(currentCursor(popCursor(back))).toBeNull();
  });

  it('never changes the stack it was given, and page 1 stays page 1', () => {
    const p2 = pushCursor(FIRST_PAGE, 'c2');
    pushCursor(p2, 'c3');
    expect(p2).toEqual([null, 'c2']);
    expect(FIRST_PAGE).toEqual([null]);
    expect(popCursor(FIRST_PAGE)).toEqual([null]);
    expect(pushCursor([], 'c2')).toEqual([null, 'c2']);
  });

  it('says which rows the page shows', () => {
    expect(rangeWords(FIRST_PAGE, 50, 50)).toBe('1–50');
    expect(rangeWords(pushCursor(FIRST_PAGE, 'c2'), 12, 50)).toBe('51–62');
    expect(rangeWords(FIRST_PAGE, 0, 50)).toBe('');
  });
});

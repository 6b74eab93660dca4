import { describe, expect, it } from '@jest/globals';
import type { PortalQuestion, PortalQuestionList } from '../../types';
import {
  askedByWords,
  asListItem,
  dayWords,
  daysBetween,
  dueWords,
  moneyWords,
  needsAnswerWords,
  nextToAnswer,
  parseDay,
  placeQuestion,
  questionsLinkLabel,
  sectionOf,
  turnWords,
} from './question-words';

function question(over: Partial<PortalQuestion> & { id: string }): PortalQuestion {
  return {
    reference: `Q-${over.id}`,
    kind: 'transaction',
    status: 'open',
    text: 'What was this for?',
    transaction: null,
    categoryOptions: [],
    answerCategory: null,
    contact: { id: 'maria', name: 'Maria Lopez' },
    mine: true,
    askedBy: { id: 'ben', name: 'Ben Ortiz', side: 'firm' },
    dueOn: null,
    createdAt: '2026-11-01T10:00:00.000Z',
    lastActivityAt: '2026-11-01T10:00:00.000Z',
    messageCount: 0,
    ...over,
  };
}

function list(items: PortalQuestion[]): PortalQuestionList {
  return {
    needsAnswer: items.filter((q) => sectionOf(q) === 'needsAnswer'),
    withOthers: items.filter((q) => sectionOf(q) === 'withOthers'),
    waiting: items.filter((q) => sectionOf(q) === 'waiting'),
    openCount: items.filter((q) => sectionOf(q) === 'needsAnswer').length,
    canAsk: false,
  };
}

describe('moneyWords', () => {
  it('writes money out with a true minus sign and says which way it went', () => {
    expect(moneyWords('-42.50', 'USD', 'en-US')).toEqual({
      signed: '−$42.50',
      plain: '$42.50',
      direction: 'out',
      directionWords: 'Money out',
    });
  });

  it('writes money in with a plus', () => {
    const m = moneyWords('1250', 'USD', 'en-US');
    expect(m.signed).toBe('+$1,250.00');
    expect(m.direction).toBe('in');
    expect(m.directionWords).toBe('Money in');
  });

  it('keeps every digit of large amounts (no float on the way)', () => {
    expect(moneyWords('-12345678901234.56', 'USD', 'en-US').plain).toBe('$12,345,678,901,234.56');
  });

  it('follows the currency and the reader’s locale', () => {
    expect(moneyWords('-9.99', 'EUR', 'de-DE').signed).toBe('−9,99\u00a0€');
    expect(moneyWords('10', 'GBP', 'en-GB').plain).toBe('£10.00');
  });

  it('writes the number alone when the ledger gave no currency', () => {
    expect(moneyWords('-3.5', null, 'en-US').signed).toBe('−3.50');
  });

  it('survives an unknown currency code and odd input', () => {
    expect(moneyWords('5', 'XXXX', 'en-US').plain).toBe('5.00 XXXX');
    expect(moneyWords('abc', 'USD', 'en-US')).toMatchObject({ signed: 'abc', direction: 'none' });
  });

  it('says nothing moved for zero', () => {
    expect(moneyWords('0.00', 'USD', 'en-US')).toMatchObject({ signed: '$0.00', direction: 'none' });
  });
});

describe('days', () => {
  it('reads a calendar day as local midnight, not UTC', () => {
    const d = parseDay('2026-11-02')!;
    expect([d.getFullYear(), d.getMonth(), d.getDate(), d.getHours()]).toEqual([2026, 10, 2, 0]);
    expect(parseDay('2026-11-02T23:59:00Z')!.getDate()).toBe(2);
    expect(parseDay('')).toBeNull();
    expect(parseDay('soon')).toBeNull();
  });

  it('writes a day in words', () => {
    expect(dayWords('2026-11-02', 'en-GB')).toBe('2 Nov 2026');
    expect(dayWords(null, 'en-GB')).toBe('');
  });

  it('counts calendar days, whatever the time of day', () => {
    expect(daysBetween(new Date(2026, 10, 2, 23, 30), new Date(2026, 10, 3, 0, 10))).toBe(1);
    expect(daysBetween(new Date(2026, 2, 28, 12), new Date(2026, 2, 30))).toBe(2); // across a clock change
  });
});

describe('dueWords', () => {
  const today = new Date(2026, 10, 10, 15, 0);

  it('is null without a due date', () => {
    expect(dueWords(null, today)).toBeNull();
  });

  it.each([
    ['2026-11-10', 'Due today', false, true],
    ['2026-11-11', 'Due tomorrow', false, true],
    ['2026-11-14', 'Due in 4 days', false, false],
    ['2026-11-09', 'Was due yesterday', true, false],
    ['2026-11-03', 'Overdue by 7 days', true, false],
  ])('%s → %s', (dueOn, text, overdue, soon) => {
    expect(dueWords(dueOn, today, 'en-GB')).toEqual({ text, overdue, soon });
  });

  it('names the day when it is a week or more away', () => {
    expect(dueWords('2026-12-01', today, 'en-GB')).toEqual({
      text: 'Due 1 Dec 2026',
      overdue: false,
      soon: false,
    });
  });
});

describe('counts and turns', () => {
  it('says how many questions need an answer, or that there are none', () => {
    expect(needsAnswerWords(0)).toBe('You’re all caught up');
    expect(needsAnswerWords(1)).toBe('1 question needs your answer');
    expect(needsAnswerWords(4)).toBe('4 questions need your answer');
    expect(questionsLinkLabel(0)).toBe('Questions');
    expect(questionsLinkLabel(1)).toBe('Questions, 1 needs your answer');
    expect(questionsLinkLabel(2)).toBe('Questions, 2 need your answer');
  });

  it('says whose turn it is', () => {
    expect(turnWords(question({ id: '1' }))).toBe('Needs your answer');
    expect(turnWords(question({ id: '1', mine: false, contact: { id: 'pat', name: 'Pat Kim' } }))).toBe(
      'With Pat Kim',
    );
    expect(turnWords(question({ id: '1', mine: false, contact: null }))).toBe('With your team');
    expect(turnWords(question({ id: '1', status: 'answered' }))).toBe('Waiting on your bookkeeper');
  });

  it('says who asked', () => {
    expect(askedByWords(question({ id: '1' }), 'maria')).toBe('Asked by Ben Ortiz');
    const mine = question({
      id: '1',
      kind: 'for_us',
      askedBy: { id: 'maria', name: 'Maria Lopez', side: 'client' },
    });
    expect(askedByWords(mine, 'maria')).toBe('You asked');
    expect(askedByWords(mine, 'pat')).toBe('Asked by Maria Lopez');
  });
});

describe('placeQuestion', () => {
  const a = question({ id: 'a', dueOn: '2026-11-05' });
  const b = question({ id: 'b', dueOn: '2026-11-08' });
  const c = question({ id: 'c' });
  const w1 = question({ id: 'w1', status: 'answered', createdAt: '2026-10-01T00:00:00.000Z' });
  const w2 = question({ id: 'w2', status: 'answered', createdAt: '2026-10-20T00:00:00.000Z' });

  it('moves an answered question to the bookkeeper’s turn and lowers the count', () => {
    const before = list([a, b, c, w1, w2]);
    const after = placeQuestion(before, 'b', { ...b, status: 'answered' });
    expect(after.needsAnswer.map((q) => q.id)).toEqual(['a', 'c']);
    // Sorted as the API sorts: by due date (none last), then age.
    expect(after.waiting.map((q) => q.id)).toEqual(['b', 'w1', 'w2']);
    expect(after.openCount).toBe(2);
    // The list it came from is left alone.
    expect(before.needsAnswer).toHaveLength(3);
  });

  it('moves a handed-over question to the team, in due-date order', () => {
    const other = question({ id: 'o', mine: false, dueOn: '2026-11-20' });
    const after = placeQuestion(list([a, b, other]), 'a', {
      ...a,
      mine: false,
      contact: { id: 'pat', name: 'Pat Kim' },
    });
    expect(after.needsAnswer.map((q) => q.id)).toEqual(['b']);
    expect(after.withOthers.map((q) => q.id)).toEqual(['a', 'o']);
    expect(after.openCount).toBe(1);
  });

  it('drops a question the firm closed', () => {
    const after = placeQuestion(list([a, b, w1]), 'a', null);
    expect([...after.needsAnswer, ...after.withOthers, ...after.waiting].map((q) => q.id)).toEqual([
      'b',
      'w1',
    ]);
    expect(after.openCount).toBe(1);
  });

  it('finds the next question to answer', () => {
    const l = list([a, b, w1]);
    expect(nextToAnswer(l, 'a')?.id).toBe('b');
    expect(nextToAnswer(placeQuestion(l, 'b', null), 'a')).toBeNull();
    expect(nextToAnswer(null, 'a')).toBeNull();
  });
});

describe('asListItem', () => {
  it('drops the thread and teammates of a question page’s question', () => {
    const q = question({ id: 'a' });
    const detail = { ...q, messages: [], teammates: [{ id: 'pat', name: 'Pat Kim' }] };
    expect(asListItem(detail)).toEqual(q);
    expect(asListItem(q)).toBe(q);
  });
});

import { describe, expect, it } from '@jest/globals';
import {
  STATUS_LABEL,
  ageWords,
  alreadyAsked,
  applyWords,
  askedSentence,
  daysUntil,
  dueWords,
  excerpt,
  fileSize,
  localDay,
  referenceList,
} from './words';

const NOW = new Date('2026-03-20T12:00:00Z');
const ago = (ms: number) => new Date(NOW.getTime() - ms).toISOString();
const DAY = 24 * 3600 * 1000;

describe('status words', () => {
  it('says whose turn it is', () => {
    expect(STATUS_LABEL).toEqual({
      open: 'Waiting on client',
      answered: 'Waiting on us',
      resolved: 'Resolved',
    });
  });
});

describe('ageWords', () => {
  it('counts whole days, then weeks, months and years', () => {
    expect(ageWords(ago(5 * 60 * 1000), NOW)).toBe('today');
    expect(ageWords(ago(23.9 * 3600 * 1000), NOW)).toBe('today');
    expect(ageWords(ago(DAY), NOW)).toBe('1 day');
    expect(ageWords(ago(13 * DAY), NOW)).toBe('13 days');
    expect(ageWords(ago(14 * DAY), NOW)).toBe('2 weeks');
    expect(ageWords(ago(59 * DAY), NOW)).toBe('8 weeks');
    expect(ageWords(ago(60 * DAY), NOW)).toBe('2 months');
    expect(ageWords(ago(400 * DAY), NOW)).toBe('1 year');
    expect(ageWords(ago(800 * DAY), NOW)).toBe('2 years');
  });

  it('treats a time a little in the future (clock skew) as today, and bad input as nothing', () => {
    expect(ageWords(new Date(NOW.getTime() + 60_000), NOW)).toBe('today');
    expect(ageWords('not a date', NOW)).toBe('');
  });
});

describe('due dates', () => {
  it('reads the local calendar day', () => {
    expect(localDay(new Date(2026, 0, 5, 23, 59))).toBe('2026-01-05');
  });

  it('counts days across months and years', () => {
    expect(daysUntil('2026-03-01', '2026-02-27')).toBe(2);
    expect(daysUntil('2025-12-31', '2026-01-02')).toBe(-2);
    expect(daysUntil('soon', '2026-01-02')).toBeNull();
  });

  it('says today, tomorrow, a date, or how overdue', () => {
    expect(dueWords('2026-03-20', '2026-03-20')).toEqual({ text: 'Due today', overdue: false });
    expect(dueWords('2026-03-21', '2026-03-20')).toEqual({ text: 'Due tomorrow', overdue: false });
    expect(dueWords('2026-04-02', '2026-03-20', 'open', 'en-GB')).toEqual({
      text: 'Due 2 Apr 2026',
      overdue: false,
    });
    expect(dueWords('2026-03-19', '2026-03-20')).toEqual({ text: 'Overdue by 1 day', overdue: true });
    expect(dueWords('2026-03-10', '2026-03-20', 'answered')).toEqual({
      text: 'Overdue by 10 days',
      overdue: true,
    });
  });

  it('never calls a resolved question overdue', () => {
    expect(dueWords('2026-03-10', '2026-03-20', 'resolved', 'en-GB')).toEqual({
      text: 'Due 10 Mar 2026',
      overdue: false,
    });
  });
});

describe('excerpt', () => {
  it('keeps a short text whole, on one line', () => {
    expect(excerpt('What was\n\nthis  for?')).toBe('What was this for?');
  });

  it('cuts a long text at a word', () => {
    const text =
      'Could you send the receipt for the espresso machine repair, and say which location it was for please';
    const out = excerpt(text, 60);
    expect(out.length).toBeLessThanOrEqual(60);
    expect(out).toBe('Could you send the receipt for the espresso machine repair…');
  });

  it('cuts a single long word where it must', () => {
    expect(excerpt('x'.repeat(50), 10)).toBe(`${'x'.repeat(9)}…`);
  });
});

describe('fileSize', () => {
  it('uses the unit a person expects', () => {
    expect(fileSize(820)).toBe('820 B');
    expect(fileSize(14 * 1024 + 100)).toBe('14 KB');
    expect(fileSize(2.34 * 1024 * 1024)).toBe('2.3 MB');
    expect(fileSize(12 * 1024 * 1024)).toBe('12 MB');
    expect(fileSize(-1)).toBe('');
  });
});

describe('applyWords', () => {
  const category = { id: '58', name: 'Meals' };
  it('says what the ledger did with the category', () => {
    expect(
      applyWords({ status: 'pending', category, error: null, appliedAt: null }, 'QuickBooks Online'),
    ).toBe('Applying Meals to QuickBooks Online…');
    expect(
      applyWords(
        { status: 'applied', category, error: null, appliedAt: '2026-03-20T12:00:00Z' },
        'QuickBooks Online',
      ),
    ).toBe('Applied to QuickBooks Online: Meals');
    expect(
      applyWords(
        { status: 'failed', category, error: 'The transaction is reconciled.', appliedAt: null },
        'Xero',
      ),
    ).toBe('Xero didn’t take it: The transaction is reconciled.');
    expect(applyWords({ status: 'failed', category: null, error: null, appliedAt: null }, 'Xero')).toBe(
      'Xero didn’t take it: something went wrong at the ledger.',
    );
  });
});

describe('references in a sentence', () => {
  const q = (n: number) => ({ number: n, reference: `Q-${n}`, contact: { id: 'c', name: 'Maria Lopez' } });
  it('lists a few, and gives a range for a long run', () => {
    expect(referenceList([q(4)])).toBe('Q-4');
    expect(referenceList([q(5), q(4)])).toBe('Q-4 and Q-5');
    expect(referenceList([q(4), q(5), q(6)])).toBe('Q-4, Q-5 and Q-6');
    expect(referenceList([q(4), q(5), q(6), q(7)])).toBe('Q-4 to Q-7');
    expect(referenceList([q(4), q(6), q(8), q(9)])).toBe('Q-4, Q-6, Q-8 and Q-9');
  });

  it('confirms who was asked what', () => {
    expect(askedSentence([q(4)])).toBe('Asked Maria Lopez Q-4.');
    expect(askedSentence([q(4), q(5), q(6)])).toBe('Asked Maria Lopez 3 questions: Q-4, Q-5 and Q-6.');
  });
});

describe('alreadyAsked', () => {
  const ids = ['101', '102', '103'];
  it('maps a DUPLICATE_QUESTION’s details back to the transactions sent', () => {
    const out = alreadyAsked(
      [
        { field: 'items[0].transactionId', message: 'Q-3, open' },
        { field: 'items[2].transactionId', message: 'Q-9, resolved' },
      ],
      ids,
    );
    expect([...out]).toEqual([
      ['101', { reference: 'Q-3', status: 'open' }],
      ['103', { reference: 'Q-9', status: 'resolved' }],
    ]);
  });

  it('understands a single ask’s detail', () => {
    expect(alreadyAsked([{ field: 'transactionId', message: 'Q-2, answered' }], ['7']).get('7')).toEqual({
      reference: 'Q-2',
      status: 'answered',
    });
  });

  it('leaves out what names no question (asked a moment ago) and ignores junk', () => {
    expect(alreadyAsked([{ field: 'transactionId', message: 'asked a moment ago' }], ids).size).toBe(0);
    expect(alreadyAsked('nope', ids).size).toBe(0);
    expect(alreadyAsked([null, 3, { field: 'items[9].transactionId', message: 'Q-1, open' }], ids).size).toBe(
      0,
    );
  });
});

import { describe, expect, it } from '@jest/globals';
import {
  changeParts,
  countWords,
  formatDay,
  shownAccount,
  intervalWords,
  phaseLine,
  progressPercent,
  runFinishedMessage,
  runResult,
  transactionTypeLabel,
  transactionTypePlural,
} from './words';
import type { SyncRun } from './types';

function run(
  over: Partial<Omit<SyncRun, 'progress'>> & { progress?: Partial<SyncRun['progress']> } = {},
): SyncRun {
  const { progress, ...rest } = over;
  return {
    id: 'r1',
    kind: 'backfill',
    trigger: 'connect',
    status: 'running',
    queuedAt: '2026-11-23T10:00:00.000Z',
    startedAt: '2026-11-23T10:00:01.000Z',
    finishedAt: null,
    pages: 0,
    added: 0,
    changed: 0,
    removed: 0,
    error: null,
    ...rest,
    progress: { phase: null, done: 0, total: null, percent: null, read: 0, ...progress },
  };
}

describe('phaseLine', () => {
  it('says what a transaction-type phase reads and how many so far', () => {
    expect(phaseLine(run({ progress: { phase: 'Purchase', read: 1240 } }), 'en-US')).toBe(
      'Reading purchases… 1,240 transactions so far',
    );
    expect(phaseLine(run({ progress: { phase: 'JournalEntry', read: 1 } }), 'en-US')).toBe(
      'Reading journal entries… 1 transaction so far',
    );
    expect(phaseLine(run({ progress: { phase: 'BankTransaction', read: 0 } }), 'en-US')).toBe(
      'Reading bank transactions…',
    );
  });

  it('names the lists, the changes, a queued run and an unknown type in words', () => {
    expect(phaseLine(run({ progress: { phase: 'lists' } }))).toBe('Reading accounts, classes and payees…');
    expect(phaseLine(run({ kind: 'incremental', progress: { phase: 'changes' } }))).toBe(
      'Looking for changes…',
    );
    expect(phaseLine(run({ status: 'queued', progress: { phase: 'Purchase', read: 5 } }))).toBe(
      'Waiting to start…',
    );
    expect(phaseLine(run({ progress: { phase: null } }))).toBe('Starting…');
    expect(phaseLine(run({ progress: { phase: 'CreditCardCredit', read: 2 } }), 'en-US')).toBe(
      'Reading credit card credits… 2 transactions so far',
    );
  });
});

describe('progressPercent', () => {
  it('is a whole percent when known, else null (indeterminate)', () => {
    expect(progressPercent(run({ progress: { percent: 42.6 } }))).toBe(43);
    expect(progressPercent(run({ progress: { percent: 0 } }))).toBe(0);
    expect(progressPercent(run({ progress: { percent: null } }))).toBeNull();
    expect(progressPercent(run({ status: 'queued', progress: { percent: 10 } }))).toBeNull();
    expect(progressPercent(run({ progress: { percent: 140 } }))).toBe(100);
  });
});

describe('run results', () => {
  it('lists only what changed', () => {
    expect(changeParts({ added: 3, changed: 1, removed: 1 })).toEqual(['3 new', '1 changed', '1 removed']);
    expect(changeParts({ added: 0, changed: 2, removed: 0 })).toEqual(['2 changed']);
    expect(changeParts({ added: 0, changed: 0, removed: 0 })).toEqual([]);
  });

  it('announces the end of a run', () => {
    expect(runFinishedMessage(run({ status: 'succeeded', added: 3, changed: 1, removed: 1 }))).toBe(
      'Synced: 3 new, 1 changed, 1 removed',
    );
    expect(runFinishedMessage(run({ status: 'succeeded', added: 1240 }), 'en-US')).toBe('Synced: 1,240 new');
    expect(runFinishedMessage(run({ status: 'succeeded' }))).toBe('Synced: nothing changed');
    expect(
      runFinishedMessage(
        run({ status: 'failed', error: { code: 'NEEDS_RECONNECT', message: 'QuickBooks revoked access.' } }),
      ),
    ).toBe('The sync didn’t finish: QuickBooks revoked access.');
  });

  it('says the result of each run in the history', () => {
    expect(runResult(run({ status: 'queued' }))).toBe('Waiting to start');
    expect(runResult(run({ status: 'running' }))).toBe('Running');
    expect(runResult(run({ status: 'succeeded' }))).toBe('No changes');
    expect(runResult(run({ status: 'succeeded', added: 2, removed: 1 }))).toBe('2 new · 1 removed');
    expect(runResult(run({ status: 'failed', error: { code: 'X', message: 'Rate limited.' } }))).toBe(
      'Failed: Rate limited.',
    );
  });
});

describe('words for types, counts and the schedule', () => {
  it('names transaction types', () => {
    expect(transactionTypePlural('Purchase')).toBe('purchases');
    expect(transactionTypePlural('ManualJournal')).toBe('manual journals');
    expect(transactionTypeLabel('SalesReceipt')).toBe('Sales receipt');
    expect(transactionTypeLabel('VendorCredit')).toBe('Vendor credit');
    expect(transactionTypeLabel('')).toBe('Transaction');
  });

  it('counts', () => {
    expect(countWords(1, 'transaction', 'transactions')).toBe('1 transaction');
    expect(countWords(0, 'transaction', 'transactions')).toBe('0 transactions');
    expect(countWords(12500, 'transaction', 'transactions', 'en-US')).toBe('12,500 transactions');
  });

  it('says the interval', () => {
    expect(intervalWords(5)).toBe('every 5 minutes');
    expect(intervalWords(60)).toBe('every hour');
    expect(intervalWords(120)).toBe('every 2 hours');
    expect(intervalWords(90)).toBe('every 1 hour 30 minutes');
    expect(intervalWords(1440)).toBe('once a day');
  });
});

describe('formatDay', () => {
  it('shows a ledger date as that day, whatever the time zone', () => {
    expect(formatDay('2026-11-02', 'en-GB')).toBe('2 Nov 2026');
    expect(formatDay('2026-01-01', 'en-US')).toBe('Jan 1, 2026');
    expect(formatDay('not a date', 'en-US')).toBe('not a date');
  });
});

describe('shownAccount', () => {
  const meals = { id: '7', name: 'Meals' };
  const uncategorized = { id: '90', name: 'Uncategorized Expense' };
  it('shows the account that needs review, which for a split may not be the first line’s', () => {
    expect(shownAccount({ account: meals, reviewAccount: uncategorized })).toEqual(uncategorized);
  });
  it('shows the transaction’s own account when nothing needs review, and none when it has none', () => {
    expect(shownAccount({ account: meals, reviewAccount: null })).toEqual(meals);
    expect(shownAccount({ account: null, reviewAccount: null })).toBeNull();
  });
});

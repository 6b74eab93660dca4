import type { LedgerTransaction } from '@ledgerport/ledger';
import { reviewFlags } from './transaction-writer';
import { backoffMs } from './sync-engine';

const txn = (over: Partial<LedgerTransaction>): LedgerTransaction => ({
  type: 'Purchase',
  id: '1',
  date: '2026-11-02',
  amount: '-10.00',
  currency: 'USD',
  payee: null,
  bankAccount: { id: 'bank', name: 'Checking' },
  account: { id: 'office', name: 'Office' },
  class: null,
  memo: null,
  reference: null,
  lines: [{ id: '1', amount: '10.00', account: { id: 'office', name: 'Office' }, classes: [], description: null, posting: null }],
  raw: {},
  updatedAt: '2026-11-02T00:00:00.000Z',
  deleted: false,
  ...over,
});

describe('review flags (S5)', () => {
  const review = new Set(['uncat']);

  it('flags a transaction with any line on an account that needs review', () => {
    const t = txn({
      lines: [
        { id: '1', amount: '5.00', account: { id: 'office', name: 'Office' }, classes: [], description: null, posting: null },
        { id: '2', amount: '5.00', account: { id: 'uncat', name: 'Uncategorized Expense' }, classes: [], description: null, posting: null },
      ],
    });
    expect(reviewFlags(t, { accounts: review, classTracking: 'off' })).toEqual({ uncategorized: true, missingClass: false });
    expect(reviewFlags(txn({}), { accounts: review, classTracking: 'off' }).uncategorized).toBe(false);
  });

  it('flags a missing class per transaction or per line, only where classes are tracked and lines carry a category', () => {
    expect(reviewFlags(txn({}), { accounts: review, classTracking: 'per_txn' }).missingClass).toBe(true);
    expect(reviewFlags(txn({ class: { id: 'c', name: 'Cafe' } }), { accounts: review, classTracking: 'per_txn' }).missingClass).toBe(false);
    expect(reviewFlags(txn({}), { accounts: review, classTracking: 'per_line' }).missingClass).toBe(true);
    expect(reviewFlags(txn({}), { accounts: review, classTracking: 'off' }).missingClass).toBe(false);
    // Transfers and payments carry no category, so no class either.
    expect(reviewFlags(txn({ type: 'Transfer' }), { accounts: review, classTracking: 'per_txn' }).missingClass).toBe(false);
    const classed = txn({
      lines: [{ id: '1', amount: '10.00', account: { id: 'office', name: 'Office' }, classes: [{ id: 'c', name: 'Cafe' }], description: null, posting: null }],
    });
    expect(reviewFlags(classed, { accounts: review, classTracking: 'per_line' }).missingClass).toBe(false);
  });
});

describe('backoff', () => {
  it('doubles from about half a second, with jitter, and stops growing at ten minutes', () => {
    for (let attempt = 1; attempt <= 20; attempt++) {
      const cap = Math.min(600_000, 250 * 2 ** attempt);
      for (let i = 0; i < 20; i++) {
        const ms = backoffMs(attempt);
        expect(ms).toBeGreaterThanOrEqual(cap / 2);
        expect(ms).toBeLessThanOrEqual(cap);
      }
    }
  });
});

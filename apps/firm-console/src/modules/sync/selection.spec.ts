import { describe, expect, it } from '@jest/globals';
import { MAX_SELECTION, pageState, refresh, toggle, togglePage } from './selection';
import type { Transaction } from './types';

function txn(id: string, asked = false): Transaction {
  return {
    id,
    type: 'Purchase',
    providerId: `p${id}`,
    date: '2026-03-01',
    amount: '-10.00',
    currency: 'USD',
    payee: null,
    bankAccount: null,
    account: null,
    lineCount: 1,
    reviewAccount: null,
    class: null,
    memo: null,
    reference: null,
    uncategorized: true,
    missingClass: false,
    updatedAt: '2026-03-01T00:00:00Z',
    question: asked ? { id: `q${id}`, reference: `Q-${id}`, status: 'open' } : null,
  };
}

describe('the explorer’s selection', () => {
  const page = [txn('1'), txn('2'), txn('3', true)];

  it('never takes a transaction already asked about', () => {
    expect(toggle(new Map(), page[2]!, true).size).toBe(0);
    expect(toggle(new Map(), page[0]!, true).has('1')).toBe(true);
    expect(toggle(new Map([['1', page[0]!]]), page[0]!, false).size).toBe(0);
  });

  it('says whether the page’s askable rows are all, some or none selected', () => {
    expect(pageState(page, new Map())).toBe('none');
    expect(pageState(page, new Map([['1', page[0]!]]))).toBe('some');
    expect(
      pageState(
        page,
        new Map([
          ['1', page[0]!],
          ['2', page[1]!],
        ]),
      ),
    ).toBe('all');
    expect(pageState([txn('9', true)], new Map())).toBe('none');
  });

  it('selects the whole page, or clears it, and leaves other pages alone', () => {
    const other = txn('77');
    const all = togglePage(new Map([['77', other]]), page);
    expect([...all.keys()].sort()).toEqual(['1', '2', '77']);
    const none = togglePage(all, page);
    expect([...none.keys()]).toEqual(['77']);
  });

  it('stops at the most one ask may take', () => {
    const many = Array.from({ length: MAX_SELECTION + 20 }, (_, i) => txn(String(i)));
    expect(togglePage(new Map(), many).size).toBe(MAX_SELECTION);
    const full = togglePage(new Map(), many);
    expect(toggle(full, txn('extra'), true).has('extra')).toBe(false);
  });

  it('drops rows asked about meanwhile, and keeps the fresh copy of the others', () => {
    const selection = new Map([
      ['1', page[0]!],
      ['2', page[1]!],
    ]);
    const fresh = [{ ...page[0]!, memo: 'new memo' }, txn('2', true)];
    const next = refresh(selection, fresh);
    expect([...next.keys()]).toEqual(['1']);
    expect(next.get('1')!.memo).toBe('new memo');
  });
});

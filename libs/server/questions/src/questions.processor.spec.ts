import type { LedgerLine } from '@ledgerport/ledger';
import { lineToChange } from './questions.processor';

const line = (id: string | null, account: string | null): LedgerLine => ({
  id,
  amount: '10.00',
  account: account ? { id: account, name: account } : null,
  classes: [],
  description: null,
  posting: null,
});

describe('which line a category replaces', () => {
  const rules = { accounts: new Set(['uncat']) };

  it('is the line on a "needs review" account', () => {
    expect(lineToChange([line('1', 'rent'), line('2', 'uncat')], rules)).toBe('2');
  });

  it('is the only line with an account when none needs review', () => {
    expect(lineToChange([line('7', 'meals')], rules)).toBe('7');
    expect(lineToChange([line(null, 'meals'), line(null, null)], rules)).toBeNull();
  });

  it('is refused in plain words when it cannot be told', () => {
    expect(() => lineToChange([line('1', 'uncat'), line('2', 'uncat')], rules)).toThrow('several lines');
    expect(() => lineToChange([line('1', 'rent'), line('2', 'meals')], rules)).toThrow('several lines');
    expect(() => lineToChange([], rules)).toThrow('several lines');
  });
});

import { describe, expect, it } from '@jest/globals';
import {
  EMPTY_FILTERS,
  explorerLink,
  filtersFromQuery,
  filtersToApi,
  filtersToQuery,
  hasFilters,
  isIsoDate,
  sameQuestion,
} from './explorer-filters';

describe('explorer filters in the URL', () => {
  it('reads every filter from the query', () => {
    expect(
      filtersFromQuery({
        q: 'rent',
        flag: 'uncategorized',
        from: '2026-01-01',
        to: '2026-03-31',
        account: '58',
        payee: '104',
        payeeName: 'Lotus Supply',
        min: '-500',
        max: '$1,000',
      }),
    ).toEqual({
      q: 'rent',
      flag: 'uncategorized',
      from: '2026-01-01',
      to: '2026-03-31',
      accountId: '58',
      payeeId: '104',
      payeeName: 'Lotus Supply',
      minAmount: '-500',
      maxAmount: '1000',
    });
  });

  it('drops what is malformed instead of sending it', () => {
    expect(
      filtersFromQuery({
        flag: 'everything',
        from: '2026-02-30',
        to: 'yesterday',
        min: 'abc',
        payeeName: 'X',
      }),
    ).toEqual(EMPTY_FILTERS);
    expect(filtersFromQuery({ q: ['first', 'second'] }).q).toBe('first');
  });

  it('round-trips through the query and leaves a plain view plain', () => {
    const f = {
      ...EMPTY_FILTERS,
      flag: 'missing_class' as const,
      from: '2026-01-01',
      payeeId: '7',
      payeeName: 'Ace',
    };
    expect(filtersFromQuery(filtersToQuery(f))).toEqual(f);
    expect(filtersToQuery(EMPTY_FILTERS)).toEqual({});
  });
});

describe('explorer filters for the API', () => {
  it('sends the search only from 2 characters', () => {
    expect(filtersToApi({ ...EMPTY_FILTERS, q: 'r' })).toEqual({});
    expect(filtersToApi({ ...EMPTY_FILTERS, q: ' re ' })).toEqual({ q: 're' });
    expect(hasFilters({ ...EMPTY_FILTERS, q: 'r' })).toBe(false);
    expect(sameQuestion({ ...EMPTY_FILTERS, q: 'r' }, EMPTY_FILTERS)).toBe(true);
  });

  it('names the API parameters', () => {
    expect(
      filtersToApi({
        ...EMPTY_FILTERS,
        flag: 'review',
        accountId: '12',
        payeeId: '104',
        payeeName: 'Lotus',
        minAmount: '-10',
        maxAmount: '10',
      }),
    ).toEqual({ flag: 'review', accountId: '12', payeeId: '104', minAmount: '-10', maxAmount: '10' });
    expect(hasFilters({ ...EMPTY_FILTERS, flag: 'uncategorized' })).toBe(true);
  });
});

describe('explorerLink and isIsoDate', () => {
  it('links to a pre-filtered explorer', () => {
    expect(explorerLink('c-1')).toBe('/clients/c-1/transactions');
    expect(explorerLink('c-1', { flag: 'uncategorized' })).toBe(
      '/clients/c-1/transactions?flag=uncategorized',
    );
  });

  it('accepts real calendar days only', () => {
    expect(isIsoDate('2026-02-28')).toBe(true);
    expect(isIsoDate('2026-02-30')).toBe(false);
    expect(isIsoDate('26-2-1')).toBe(false);
  });
});

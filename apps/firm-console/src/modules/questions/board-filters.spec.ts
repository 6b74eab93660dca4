import { describe, expect, it } from '@jest/globals';
import {
  DEFAULT_STATUS,
  EMPTY_FILTERS,
  boardLink,
  filtersFromQuery,
  filtersToApi,
  filtersToQuery,
  hasFilters,
  sameQuestion,
  type BoardFilters,
} from './board-filters';

const CLIENT = '6f1c1a52-8a38-4c59-9d2e-0f4b9a1d2c3e';
const BEN = 'a0a0a0a0-1111-4222-8333-444455556666';

describe('question board filters in the URL', () => {
  it('reads every filter from the query', () => {
    expect(
      filtersFromQuery({
        status: 'open',
        client: CLIENT,
        assignee: BEN,
        age: '7',
        kind: 'transaction',
        q: 'Q-12',
        page: '3',
      }),
    ).toEqual({
      status: 'open',
      clientId: CLIENT,
      assignee: BEN,
      age: 7,
      kind: 'transaction',
      q: 'Q-12',
      page: 3,
    });
  });

  it('starts on what is waiting on the firm, everything else unset', () => {
    expect(filtersFromQuery({})).toEqual(EMPTY_FILTERS);
    expect(DEFAULT_STATUS).toBe('answered');
  });

  it('falls back to the defaults for anything malformed instead of sending it', () => {
    expect(
      filtersFromQuery({
        status: 'pending',
        client: 'acme',
        assignee: "'; drop table",
        age: '5',
        kind: 'invoice',
        page: '-2',
      }),
    ).toEqual(EMPTY_FILTERS);
    expect(filtersFromQuery({ page: 'two', age: 'x' }).page).toBe(1);
  });

  it('accepts me and none as assignees, and takes the first of repeated values', () => {
    expect(filtersFromQuery({ assignee: 'me' }).assignee).toBe('me');
    expect(filtersFromQuery({ assignee: 'none' }).assignee).toBe('none');
    expect(filtersFromQuery({ status: ['resolved', 'open'] }).status).toBe('resolved');
  });

  it('cuts a very long search', () => {
    expect(filtersFromQuery({ q: 'x'.repeat(300) }).q).toHaveLength(100);
  });

  it('writes only what differs from the defaults, and reads it back the same', () => {
    expect(filtersToQuery(EMPTY_FILTERS)).toEqual({});
    const f: BoardFilters = {
      status: 'all',
      clientId: CLIENT,
      assignee: 'none',
      age: 30,
      kind: 'for_us',
      q: '  rent  ',
      page: 2,
    };
    const query = filtersToQuery(f);
    expect(query).toEqual({
      status: 'all',
      client: CLIENT,
      assignee: 'none',
      age: '30',
      kind: 'for_us',
      q: 'rent',
      page: '2',
    });
    expect(filtersFromQuery(query)).toEqual({ ...f, q: 'rent' });
  });
});

describe('question board filters for the API', () => {
  it('always names the status and leaves out what is unset', () => {
    expect(filtersToApi(EMPTY_FILTERS)).toEqual({ status: 'answered' });
  });

  it('sends every filter under the API’s names', () => {
    expect(
      filtersToApi({
        status: 'open',
        clientId: CLIENT,
        assignee: 'me',
        age: 14,
        kind: 'other',
        q: ' Q-7 ',
        page: 4,
      }),
    ).toEqual({
      status: 'open',
      clientId: CLIENT,
      assignee: 'me',
      olderThanDays: 14,
      kind: 'other',
      q: 'Q-7',
    });
  });

  it('uses the client a page is fixed to, whatever the filter says', () => {
    const other = 'bbbbbbbb-1111-4222-8333-444455556666';
    expect(filtersToApi({ ...EMPTY_FILTERS, clientId: other }, CLIENT).clientId).toBe(CLIENT);
  });

  it('knows when the list is narrowed beyond the status tab', () => {
    expect(hasFilters(EMPTY_FILTERS)).toBe(false);
    expect(hasFilters({ ...EMPTY_FILTERS, status: 'resolved', page: 3 })).toBe(false);
    expect(hasFilters({ ...EMPTY_FILTERS, q: '   ' })).toBe(false);
    expect(hasFilters({ ...EMPTY_FILTERS, age: 3 })).toBe(true);
    expect(hasFilters({ ...EMPTY_FILTERS, clientId: CLIENT })).toBe(true);
    expect(hasFilters({ ...EMPTY_FILTERS, clientId: CLIENT }, true)).toBe(false);
  });

  it('treats two views that differ only by page as the same question', () => {
    expect(sameQuestion({ ...EMPTY_FILTERS, page: 1 }, { ...EMPTY_FILTERS, page: 5 })).toBe(true);
    expect(sameQuestion(EMPTY_FILTERS, { ...EMPTY_FILTERS, kind: 'other' })).toBe(false);
  });

  it('links to a view of the board', () => {
    expect(boardLink()).toBe('/questions');
    expect(boardLink({ status: 'open', clientId: CLIENT })).toBe(`/questions?status=open&client=${CLIENT}`);
    expect(boardLink({ status: 'open' }, `/clients/${CLIENT}/questions`)).toBe(
      `/clients/${CLIENT}/questions?status=open`,
    );
  });
});

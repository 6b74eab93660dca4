import { likeToRegExp, parseQuery, QueryParseError } from './query-language';

describe('QuickBooks query language parser', () => {
  it('parses SELECT * with conditions, ordering and paging', () => {
    expect(
      parseQuery(
        "SELECT * FROM Purchase WHERE TxnDate >= '2026-01-01' AND MetaData.LastUpdatedTime > '2026-11-01T00:00:00-08:00' ORDERBY TxnDate DESC STARTPOSITION 1001 MAXRESULTS 1000",
      ),
    ).toEqual({
      select: '*',
      entity: 'Purchase',
      where: [
        { field: 'TxnDate', op: '>=', value: '2026-01-01' },
        { field: 'MetaData.LastUpdatedTime', op: '>', value: '2026-11-01T00:00:00-08:00' },
      ],
      orderBy: [{ field: 'TxnDate', desc: true }],
      startPosition: 1001,
      maxResults: 1000,
    });
  });

  it('is case-insensitive about keywords and accepts ORDER BY, several orderings and paging in either order', () => {
    const q = parseQuery(
      'select * from Account where Active = true order by Name asc, Id desc maxresults 5 startposition 2',
    );
    expect(q.where).toEqual([{ field: 'Active', op: '=', value: true }]);
    expect(q.orderBy).toEqual([
      { field: 'Name', desc: false },
      { field: 'Id', desc: true },
    ]);
    expect(q.startPosition).toBe(2);
    expect(q.maxResults).toBe(5);
  });

  it('parses COUNT(*) and projections', () => {
    expect(parseQuery('SELECT COUNT(*) FROM Purchase').select).toBe('count');
    expect(parseQuery('SELECT Id, MetaData.LastUpdatedTime FROM Deposit').select).toEqual([
      'Id',
      'MetaData.LastUpdatedTime',
    ]);
  });

  it('parses IN lists, LIKE patterns, numbers, booleans and escaped quotes', () => {
    const q = parseQuery(
      "SELECT * FROM Account WHERE Id IN ('1', '2', 3) AND Name LIKE '%Owner\\'s%' AND Active IN (true, false) AND AccountType = 'Bank'",
    );
    expect(q.where).toEqual([
      { field: 'Id', op: 'IN', value: ['1', '2', 3] },
      { field: 'Name', op: 'LIKE', value: "%Owner's%" },
      { field: 'Active', op: 'IN', value: [true, false] },
      { field: 'AccountType', op: '=', value: 'Bank' },
    ]);
    expect(parseQuery("SELECT * FROM Class WHERE Name = 'It''s'").where[0].value).toBe("It's");
    expect(parseQuery('SELECT * FROM Purchase WHERE TotalAmt <= 12.5').where[0]).toEqual({
      field: 'TotalAmt',
      op: '<=',
      value: 12.5,
    });
  });

  it.each([
    ['', /Was expecting SELECT/],
    ['SELECT FROM Purchase', /Was expecting/],
    ['SELECT * Purchase', /Was expecting FROM/],
    ['SELECT * FROM', /entity name/],
    ["SELECT * FROM Purchase WHERE TxnDate = '2026-01-01' OR Id = '1'", /OR is not supported/],
    ["SELECT * FROM Purchase WHERE (TxnDate = '2026-01-01')", /does not group/],
    ["SELECT * FROM Purchase WHERE TxnDate '2026-01-01'", /operator/],
    ["SELECT * FROM Purchase WHERE Name = 'unterminated", /unterminated/],
    ['SELECT * FROM Purchase WHERE Id IN (1, 2', /","/],
    ['SELECT * FROM Purchase MAXRESULTS ten', /number after MAXRESULTS/],
    ['SELECT * FROM Purchase STARTPOSITION 1.5', /number after STARTPOSITION/],
    ['SELECT * FROM Purchase LIMIT 10', /Was expecting <EOF>/],
    ['SELECT * FROM Purchase WHERE Name LIKE 5', /quoted pattern/],
    ['SELECT * FROM Purchase WHERE Id = ;', /Encountered " ; "/],
    ['SELECT COUNT(Id) FROM Purchase', /"\*"/],
  ])('refuses %p', (src, message) => {
    expect(() => parseQuery(src)).toThrow(QueryParseError);
    expect(() => parseQuery(src)).toThrow(message);
  });

  it('turns LIKE patterns into case-insensitive whole-value matches', () => {
    expect(likeToRegExp('%coffee%').test('Acme Coffee Roasters')).toBe(true);
    expect(likeToRegExp('Acme%').test('The Acme')).toBe(false);
    expect(likeToRegExp('a.c%').test('abc')).toBe(false);
  });
});

import { evaluate, lowerDateBound, parseOrder, parseWhere, WhereError } from './where';

const spend = {
  Type: 'SPEND',
  Status: 'AUTHORISED',
  Date: '2026-11-20T00:00:00',
  UpdatedDateUTC: '/Date(1795000000000+0000)/',
  Total: 12.5,
  IsReconciled: false,
  Contact: { ContactID: 'ABC-1', Name: 'Office Depot' },
  BankAccount: { Code: '1000' },
};
const receive = {
  ...spend,
  Type: 'RECEIVE',
  Date: '2026-10-01T00:00:00',
  Total: 99,
  Contact: { ContactID: 'def-2', Name: 'Harbor Cafe' },
};

const where = (w: string) => [spend, receive].filter((x) => evaluate(parseWhere(w), x)).map((x) => x.Type);

describe("Xero's where filter", () => {
  it('compares strings (ignoring case), numbers and booleans', () => {
    expect(where('Type=="SPEND"')).toEqual(['SPEND']);
    expect(where('type == "spend"')).toEqual(['SPEND']);
    expect(where('Type!="SPEND"')).toEqual(['RECEIVE']);
    expect(where('Total > 50')).toEqual(['RECEIVE']);
    expect(where('IsReconciled==false')).toEqual(['SPEND', 'RECEIVE']);
  });

  it('compares dates with DateTime(y,m,d) and Microsoft JSON dates', () => {
    expect(where('Date >= DateTime(2026, 11, 01)')).toEqual(['SPEND']);
    expect(where('Date < DateTime(2026,11,1)')).toEqual(['RECEIVE']);
    expect(where('UpdatedDateUTC > DateTime(2026,1,1)')).toEqual(['SPEND', 'RECEIVE']);
  });

  it('combines with AND / OR / && / || / NOT and parentheses, and follows paths', () => {
    expect(where('Type=="SPEND" AND Date >= DateTime(2026,1,1)')).toEqual(['SPEND']);
    expect(where('Type=="SPEND" || Contact.Name=="Harbor Cafe"')).toEqual(['SPEND', 'RECEIVE']);
    expect(where('NOT (Type=="SPEND")')).toEqual(['RECEIVE']);
    expect(where('Contact.ContactID==Guid("abc-1")')).toEqual(['SPEND']);
    expect(where('BankAccount.Code=="1000" && Contact.Name.StartsWith("office")')).toEqual(['SPEND']);
    expect(where('Contact.Name.Contains("CAFE")')).toEqual(['RECEIVE']);
  });

  it('refuses what it cannot parse', () => {
    expect(() => parseWhere('Type=="SPEND" AND (')).toThrow(WhereError);
    expect(() => parseWhere('Type ~ 3')).toThrow(WhereError);
    expect(() => parseWhere('Name.Explode("x")')).toThrow(WhereError);
  });

  it('finds the lower date bound of a filter', () => {
    expect(lowerDateBound(parseWhere('Date >= DateTime(2026,11,1) AND Type=="SPEND"'))).toBe(
      Date.UTC(2026, 10, 1),
    );
    expect(lowerDateBound(parseWhere('Date >= DateTime(2026,11,1) OR Type=="SPEND"'))).toBeUndefined();
  });

  it('orders by one or more fields', () => {
    expect([receive, spend].sort(parseOrder('Date ASC')).map((x) => x.Type)).toEqual(['RECEIVE', 'SPEND']);
    expect([receive, spend].sort(parseOrder('Date DESC')).map((x) => x.Type)).toEqual(['SPEND', 'RECEIVE']);
    expect([spend, receive].sort(parseOrder('Status ASC, Total DESC')).map((x) => x.Type)).toEqual([
      'RECEIVE',
      'SPEND',
    ]);
    expect(() => parseOrder('Date; DROP')).toThrow(WhereError);
  });
});

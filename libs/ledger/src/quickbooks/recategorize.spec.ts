import { LedgerRequestFailed, type RecategorizeRequest } from '../ledger-provider';
import { checkQboRequest, qboRecategorizeBody } from './recategorize';

/** A Purchase as QuickBooks answers it: two account lines, an item line, a description-only line. */
const purchase = () => ({
  Id: '145',
  SyncToken: '3',
  PaymentType: 'CreditCard',
  AccountRef: { value: '42', name: 'Visa' },
  TotalAmt: 37.5,
  Line: [
    {
      Id: '1',
      LineNum: 1,
      Description: 'Beans',
      Amount: 12.5,
      DetailType: 'AccountBasedExpenseLineDetail',
      AccountBasedExpenseLineDetail: {
        AccountRef: { value: '7', name: 'Uncategorized Expense' },
        ClassRef: { value: '500', name: 'Cafe' },
        BillableStatus: 'NotBillable',
        TaxCodeRef: { value: 'NON' },
      },
    },
    {
      Id: '2',
      LineNum: 2,
      Amount: 20,
      DetailType: 'ItemBasedExpenseLineDetail',
      ItemBasedExpenseLineDetail: { ItemRef: { value: '9', name: 'Milk' }, Qty: 4, UnitPrice: 5 },
    },
    { Id: '3', LineNum: 3, Description: 'note', DetailType: 'DescriptionOnly', DescriptionLineDetail: {} },
  ],
});

const req = (extra: Partial<RecategorizeRequest> = {}): RecategorizeRequest => ({
  type: 'Purchase',
  id: '145',
  lineId: null,
  accountId: '12',
  ...extra,
});

function refusal(fn: () => unknown): LedgerRequestFailed {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(LedgerRequestFailed);
    return e as LedgerRequestFailed;
  }
  throw new Error('expected a refusal');
}

describe('qboRecategorizeBody', () => {
  it('restates every line as read and changes only the target line’s AccountRef (sparse, with the SyncToken)', () => {
    const obj = purchase();
    const body = qboRecategorizeBody('Purchase', obj, req())!;
    expect(Object.keys(body).sort()).toEqual(['Id', 'Line', 'SyncToken', 'sparse']);
    expect(body).toMatchObject({ Id: '145', SyncToken: '3', sparse: true });
    expect(body.Line).toHaveLength(3);
    expect(body.Line[1]).toBe(obj.Line[1]);
    expect(body.Line[2]).toBe(obj.Line[2]);
    expect(body.Line[0]).toEqual({
      ...obj.Line[0],
      AccountBasedExpenseLineDetail: {
        ...obj.Line[0].AccountBasedExpenseLineDetail,
        AccountRef: { value: '12' },
      },
    });
    // The object read is not changed.
    expect(obj.Line[0].AccountBasedExpenseLineDetail!.AccountRef.value).toBe('7');
  });

  it('sets, removes or keeps the class', () => {
    const set = qboRecategorizeBody('Purchase', purchase(), req({ classId: '501' }))!;
    expect(set.Line[0].AccountBasedExpenseLineDetail.ClassRef).toEqual({ value: '501' });
    const removed = qboRecategorizeBody('Purchase', purchase(), req({ classId: null }))!;
    expect(removed.Line[0].AccountBasedExpenseLineDetail).not.toHaveProperty('ClassRef');
    const kept = qboRecategorizeBody('Purchase', purchase(), req())!;
    expect(kept.Line[0].AccountBasedExpenseLineDetail.ClassRef).toEqual({ value: '500', name: 'Cafe' });
  });

  it('has nothing to write when the line already has the account and class', () => {
    expect(qboRecategorizeBody('Purchase', purchase(), req({ accountId: '7' }))).toBeNull();
    expect(qboRecategorizeBody('Purchase', purchase(), req({ accountId: '7', classId: '500' }))).toBeNull();
    expect(
      qboRecategorizeBody('Purchase', purchase(), req({ accountId: '7', classId: null })),
    ).not.toBeNull();
  });

  it('picks the only line that takes an account; refuses to guess among several, or to touch an item line', () => {
    // Line 2 is an item line (its account comes from the item), line 3 text: line 1 is the one.
    expect(
      qboRecategorizeBody('Purchase', purchase(), req())!.Line[0].AccountBasedExpenseLineDetail.AccountRef,
    ).toEqual({
      value: '12',
    });
    const two = purchase();
    two.Line[1] = { ...two.Line[0], Id: '2' } as never;
    expect(refusal(() => qboRecategorizeBody('Purchase', two, req()))).toMatchObject({
      code: 'ambiguous_line',
      status: 0,
    });
    expect(refusal(() => qboRecategorizeBody('Purchase', purchase(), req({ lineId: '2' })))).toMatchObject({
      code: 'not_categorizable',
      message:
        'Line 2 of QuickBooks Purchase 145 takes no account of its own (ItemBasedExpenseLineDetail): it cannot be recategorized.',
    });
    expect(refusal(() => qboRecategorizeBody('Purchase', purchase(), req({ lineId: '9' })))).toMatchObject({
      code: 'line_not_found',
      message: 'QuickBooks Purchase 145 has no line 9.',
    });
  });

  it('leaves a deposit line that deposits a received payment alone', () => {
    const deposit = {
      Id: '88',
      SyncToken: '0',
      Line: [
        {
          Id: '1',
          Amount: 10,
          LinkedTxn: [{ TxnId: '5', TxnType: 'Payment' }],
          DetailType: 'DepositLineDetail',
          DepositLineDetail: {},
        },
        {
          Id: '2',
          Amount: 5,
          DetailType: 'DepositLineDetail',
          DepositLineDetail: { AccountRef: { value: '30' } },
        },
      ],
    };
    const body = qboRecategorizeBody('Deposit', deposit, req({ type: 'Deposit', id: '88' }))!;
    expect(body.Line[0]).toBe(deposit.Line[0]);
    expect(body.Line[1].DepositLineDetail.AccountRef).toEqual({ value: '12' });
  });

  it('keeps a journal line’s side', () => {
    const journal = {
      Id: '9',
      SyncToken: '1',
      Line: [
        {
          Id: '0',
          Amount: 5,
          DetailType: 'JournalEntryLineDetail',
          JournalEntryLineDetail: { PostingType: 'Debit', AccountRef: { value: '1' } },
        },
        {
          Id: '1',
          Amount: 5,
          DetailType: 'JournalEntryLineDetail',
          JournalEntryLineDetail: { PostingType: 'Credit', AccountRef: { value: '2' } },
        },
      ],
    };
    const body = qboRecategorizeBody(
      'JournalEntry',
      journal,
      req({ type: 'JournalEntry', id: '9', lineId: '1' }),
    )!;
    expect(body.Line[1].JournalEntryLineDetail).toEqual({
      PostingType: 'Credit',
      AccountRef: { value: '12' },
    });
    expect(body.Line[0]).toBe(journal.Line[0]);
  });
});

describe('checkQboRequest', () => {
  it('refuses types without categorizable lines, unknown types and empty ids before any call', () => {
    for (const type of ['Transfer', 'BillPayment', 'Payment', 'Invoice', 'SalesReceipt'])
      expect(refusal(() => checkQboRequest(req({ type })))).toMatchObject({
        code: 'not_categorizable',
        status: 0,
      });
    expect(refusal(() => checkQboRequest(req({ type: 'Invoice' }))).message).toMatch(
      /change the line’s item in QuickBooks/,
    );
    expect(refusal(() => checkQboRequest(req({ type: 'Estimate' })))).toMatchObject({ code: 'unknown_type' });
    expect(refusal(() => checkQboRequest(req({ accountId: '' })))).toMatchObject({ code: 'invalid_request' });
    expect(refusal(() => checkQboRequest(req({ id: '' })))).toMatchObject({ code: 'invalid_request' });
    expect(refusal(() => checkQboRequest(req({ classId: '' })))).toMatchObject({ code: 'invalid_request' });
    for (const type of ['Purchase', 'Deposit', 'Bill', 'JournalEntry'])
      expect(() => checkQboRequest(req({ type }))).not.toThrow();
  });
});

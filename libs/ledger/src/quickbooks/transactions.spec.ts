import { formatCents, mapQboTransaction, QBO_TRANSACTION_TYPES, qboTimeToIso, toCents } from './transactions';

/** QuickBooks v3 JSON as the query endpoint returns it (element names from Intuit's XSDs). */
const meta = { CreateTime: '2026-11-20T09:00:00-08:00', LastUpdatedTime: '2026-11-20T10:15:30-08:00' };
const header = (id: string, extra: Record<string, unknown> = {}) => ({
  domain: 'QBO',
  sparse: false,
  Id: id,
  SyncToken: '0',
  MetaData: meta,
  TxnDate: '2026-11-20',
  CurrencyRef: { value: 'USD', name: 'United States Dollar' },
  ...extra,
});
const ref = (value: string, name: string) => ({ value, name });
const BANK = ref('35', 'Business Checking');
const CARD = ref('41', 'Business Card');
const AP = ref('33', 'Accounts Payable (A/P)');
const AR = ref('84', 'Accounts Receivable (A/R)');
const SUPPLIES = ref('20', 'Office Supplies & Software');
const TRAVEL = ref('27', 'Travel');
const SALES = ref('79', 'Services');
const CLS_A = ref('5000000000000', 'Retail');
const CLS_B = ref('5000000000001', 'Wholesale');
const VENDOR = ref('101', 'Staples');
const CUSTOMER = ref('160', 'Harbor Cafe');

const expenseLine = (id: string, amount: number, account: object, cls?: object, description?: string) => ({
  Id: id,
  LineNum: Number(id),
  ...(description ? { Description: description } : {}),
  Amount: amount,
  DetailType: 'AccountBasedExpenseLineDetail',
  AccountBasedExpenseLineDetail: {
    AccountRef: account,
    ...(cls ? { ClassRef: cls } : {}),
    BillableStatus: 'NotBillable',
    TaxCodeRef: { value: 'NON' },
  },
});
const salesLine = (id: string, amount: number, cls?: object) => ({
  Id: id,
  LineNum: Number(id),
  Description: 'Services rendered',
  Amount: amount,
  DetailType: 'SalesItemLineDetail',
  SalesItemLineDetail: {
    ItemRef: ref('1', 'Services'),
    ...(cls ? { ClassRef: cls } : {}),
    UnitPrice: amount,
    Qty: 1,
    ItemAccountRef: SALES,
    TaxCodeRef: { value: 'NON' },
  },
});
const subTotal = (amount: number) => ({
  Amount: amount,
  DetailType: 'SubTotalLineDetail',
  SubTotalLineDetail: {},
});

describe('QuickBooks amounts: integer cents, never floats', () => {
  it('reads JSON numbers (and numeric strings) into cents, rounding at the cent', () => {
    expect(toCents(12.5)).toBe(1250);
    expect(toCents(0.1)).toBe(10);
    expect(toCents(1234567.89)).toBe(123456789);
    expect(toCents(-45.67)).toBe(-4567);
    expect(toCents('19.99')).toBe(1999);
    // Finer amounts round half away from zero on their decimal form, not on the float product.
    expect(0.285 * 100).toBeLessThan(28.5);
    expect(toCents(0.285)).toBe(29);
    expect(toCents(-0.285)).toBe(-29);
    expect(toCents(1.005)).toBe(101);
    expect(toCents(2.2849)).toBe(228);
    expect(toCents(undefined)).toBe(0);
    expect(toCents('not a number')).toBe(0);
  });

  it('formats cents as a decimal string with two places and a leading minus', () => {
    expect(formatCents(0)).toBe('0.00');
    expect(formatCents(-0)).toBe('0.00');
    expect(formatCents(5)).toBe('0.05');
    expect(formatCents(-1250)).toBe('-12.50');
    expect(formatCents(123400)).toBe('1234.00');
    expect(formatCents(123456789)).toBe('1234567.89');
  });

  it('turns QuickBooks times (company zone) into ISO UTC', () => {
    expect(qboTimeToIso('2026-11-20T10:15:30-08:00')).toBe('2026-11-20T18:15:30.000Z');
    expect(qboTimeToIso('2026-07-01T23:30:00-07:00')).toBe('2026-07-02T06:30:00.000Z');
    expect(qboTimeToIso(undefined)).toBe('');
  });
});

describe('mapQboTransaction', () => {
  it('lists the nine entities in backfill order', () => {
    expect(QBO_TRANSACTION_TYPES).toEqual([
      'Purchase',
      'Deposit',
      'JournalEntry',
      'Transfer',
      'Bill',
      'BillPayment',
      'Invoice',
      'Payment',
      'SalesReceipt',
    ]);
  });

  it('maps a Purchase: money out (negative), the payee, the bank account, the first line’s account and class', () => {
    const obj = header('10001', {
      DocNumber: '1042',
      PrivateNote: 'STAPLES 4411',
      AccountRef: BANK,
      PaymentType: 'Check',
      EntityRef: { ...VENDOR, type: 'Vendor' },
      TotalAmt: 0.3,
      PrintStatus: 'NotSet',
      Line: [
        expenseLine('1', 0.1, SUPPLIES, undefined, 'Staples purchase'),
        expenseLine('2', 0.2, TRAVEL, CLS_B),
      ],
    });
    const t = mapQboTransaction('Purchase', obj);
    expect(t).toEqual({
      type: 'Purchase',
      id: '10001',
      date: '2026-11-20',
      amount: '-0.30',
      currency: 'USD',
      payee: { id: '101', name: 'Staples' },
      bankAccount: { id: '35', name: 'Business Checking' },
      account: { id: '20', name: 'Office Supplies & Software' },
      class: { id: '5000000000001', name: 'Wholesale' },
      memo: 'STAPLES 4411',
      reference: '1042',
      lines: [
        {
          id: '1',
          amount: '0.10',
          account: { id: '20', name: 'Office Supplies & Software' },
          classes: [],
          description: 'Staples purchase',
          posting: null,
        },
        {
          id: '2',
          amount: '0.20',
          account: { id: '27', name: 'Travel' },
          classes: [{ id: '5000000000001', name: 'Wholesale' }],
          description: null,
          posting: null,
        },
      ],
      raw: obj,
      updatedAt: '2026-11-20T18:15:30.000Z',
      deleted: false,
    });
    expect(t.raw).toBe(obj); // as read, not a copy
  });

  it('takes the memo from the first line’s description when there is no PrivateNote', () => {
    const t = mapQboTransaction(
      'Purchase',
      header('10002', {
        AccountRef: CARD,
        PaymentType: 'CreditCard',
        Credit: false,
        TotalAmt: 45,
        Line: [expenseLine('1', 45, TRAVEL, CLS_A, 'Uber ride')],
      }),
    );
    expect(t).toMatchObject({ amount: '-45.00', memo: 'Uber ride', reference: null, payee: null });
    expect(t.bankAccount).toEqual({ id: '41', name: 'Business Card' });
    expect(t.class).toEqual({ id: '5000000000000', name: 'Retail' });
  });

  it('signs a card credit (Purchase with Credit: true) as money in', () => {
    const t = mapQboTransaction(
      'Purchase',
      header('10003', {
        AccountRef: CARD,
        PaymentType: 'CreditCard',
        Credit: true,
        TotalAmt: 19.99,
        Line: [],
      }),
    );
    expect(t.amount).toBe('19.99');
  });

  it('maps a Deposit: money in, the payee from the first line’s Entity, the deposit account', () => {
    const line = (id: string, amount: number, withEntity: boolean) => ({
      Id: id,
      LineNum: Number(id),
      Description: 'Deposit',
      Amount: amount,
      DetailType: 'DepositLineDetail',
      DepositLineDetail: {
        ...(withEntity ? { Entity: { ...CUSTOMER, type: 'Customer' } } : {}),
        ClassRef: CLS_A,
        AccountRef: SALES,
      },
    });
    const t = mapQboTransaction(
      'Deposit',
      header('10004', {
        DepositToAccountRef: BANK,
        TotalAmt: 1500.35,
        Line: [line('1', 1000.1, true), line('2', 500.25, true)],
      }),
    );
    expect(t).toMatchObject({
      type: 'Deposit',
      amount: '1500.35',
      payee: { id: '160', name: 'Harbor Cafe' },
      bankAccount: { id: '35', name: 'Business Checking' },
      account: { id: '79', name: 'Services' },
      class: { id: '5000000000000', name: 'Retail' },
      memo: 'Deposit',
    });
    expect(t.lines.map((l) => l.amount)).toEqual(['1000.10', '500.25']);

    const anonymous = mapQboTransaction(
      'Deposit',
      header('10005', { DepositToAccountRef: BANK, TotalAmt: 10, Line: [line('1', 10, false)] }),
    );
    expect(anonymous.payee).toBeNull();
  });

  it('maps a JournalEntry: the sum of its debit lines in cents (0.1 + 0.2 = 0.30), postings per line', () => {
    const line = (
      id: string,
      amount: number,
      posting: 'Debit' | 'Credit',
      account: object,
      cls?: object,
    ) => ({
      Id: id,
      LineNum: Number(id),
      Description: 'Adjustment',
      Amount: amount,
      DetailType: 'JournalEntryLineDetail',
      JournalEntryLineDetail: {
        PostingType: posting,
        AccountRef: account,
        ...(cls ? { ClassRef: cls } : {}),
      },
    });
    const t = mapQboTransaction(
      'JournalEntry',
      header('10006', {
        PrivateNote: 'Month-end accrual',
        Adjustment: false,
        TotalAmt: 0.3,
        Line: [
          line('1', 0.1, 'Debit', SUPPLIES),
          line('2', 0.2, 'Debit', TRAVEL, CLS_A),
          line('3', 0.3, 'Credit', AP, CLS_B),
        ],
      }),
    );
    expect(0.1 + 0.2).not.toBe(0.3); // what float arithmetic would have produced
    expect(t).toMatchObject({
      type: 'JournalEntry',
      amount: '0.30',
      payee: null,
      bankAccount: null,
      account: { id: '20', name: 'Office Supplies & Software' },
      class: { id: '5000000000000', name: 'Retail' },
      memo: 'Month-end accrual',
    });
    expect(t.lines.map((l) => [l.amount, l.posting])).toEqual([
      ['0.10', 'debit'],
      ['0.20', 'debit'],
      ['0.30', 'credit'],
    ]);
  });

  it('maps a Transfer: the amount positive, from the source account to the destination', () => {
    const t = mapQboTransaction(
      'Transfer',
      header('10007', {
        FromAccountRef: BANK,
        ToAccountRef: CARD,
        Amount: 2500,
        PrivateNote: 'Card payment',
      }),
    );
    expect(t).toMatchObject({
      type: 'Transfer',
      amount: '2500.00',
      bankAccount: { id: '35', name: 'Business Checking' },
      account: { id: '41', name: 'Business Card' },
      payee: null,
      class: null,
      memo: 'Card payment',
      lines: [],
    });
  });

  it('maps a Bill: money out, the vendor, no bank account, the first expense line’s account', () => {
    const t = mapQboTransaction(
      'Bill',
      header('10008', {
        VendorRef: VENDOR,
        APAccountRef: AP,
        DueDate: '2026-12-20',
        TotalAmt: 300.03,
        Balance: 0,
        Line: [expenseLine('1', 100.01, TRAVEL, CLS_A), expenseLine('2', 200.02, SUPPLIES)],
      }),
    );
    expect(t).toMatchObject({
      amount: '-300.03',
      payee: { id: '101', name: 'Staples' },
      bankAccount: null,
      account: { id: '27', name: 'Travel' },
      class: { id: '5000000000000', name: 'Retail' },
    });
  });

  it('maps a BillPayment: money out of the check (or card) account, against A/P', () => {
    const obj = header('10009', {
      VendorRef: VENDOR,
      APAccountRef: AP,
      PayType: 'Check',
      CheckPayment: { BankAccountRef: BANK, PrintStatus: 'NotSet' },
      TotalAmt: 88.8,
      Line: [{ Amount: 88.8, LinkedTxn: [] }],
    });
    const t = mapQboTransaction('BillPayment', obj);
    expect(t).toMatchObject({
      amount: '-88.80',
      payee: { id: '101', name: 'Staples' },
      bankAccount: { id: '35', name: 'Business Checking' },
      account: { id: '33', name: 'Accounts Payable (A/P)' },
      class: null,
    });
    expect(t.lines).toEqual([
      { id: null, amount: '88.80', account: null, classes: [], description: null, posting: null },
    ]);
    const byCard = mapQboTransaction('BillPayment', {
      ...obj,
      PayType: 'CreditCard',
      CheckPayment: undefined,
      CreditCardPayment: { CCAccountRef: CARD },
    });
    expect(byCard.bankAccount).toEqual({ id: '41', name: 'Business Card' });
  });

  it('maps an Invoice: money in, the customer, the item line’s income account, no subtotal line', () => {
    const t = mapQboTransaction(
      'Invoice',
      header('10010', {
        DocNumber: '1011',
        CustomerRef: CUSTOMER,
        ARAccountRef: AR,
        TotalAmt: 0.3,
        Line: [salesLine('1', 0.1, CLS_B), salesLine('2', 0.2), subTotal(0.3)],
      }),
    );
    expect(t).toMatchObject({
      amount: '0.30',
      payee: { id: '160', name: 'Harbor Cafe' },
      bankAccount: null,
      account: { id: '79', name: 'Services' },
      class: { id: '5000000000001', name: 'Wholesale' },
      reference: '1011',
      memo: 'Services rendered',
    });
    expect(t.lines).toHaveLength(2);
  });

  it('maps a Payment: money in, into the deposit account, against A/R', () => {
    const t = mapQboTransaction(
      'Payment',
      header('10011', {
        CustomerRef: CUSTOMER,
        ARAccountRef: AR,
        DepositToAccountRef: BANK,
        TotalAmt: 640,
        UnappliedAmt: 0,
        Line: [{ Amount: 640, LinkedTxn: [] }],
      }),
    );
    expect(t).toMatchObject({
      amount: '640.00',
      payee: { id: '160', name: 'Harbor Cafe' },
      bankAccount: { id: '35', name: 'Business Checking' },
      account: { id: '84', name: 'Accounts Receivable (A/R)' },
    });
  });

  it('maps a SalesReceipt: money in, into the deposit account, the item line’s account', () => {
    const t = mapQboTransaction(
      'SalesReceipt',
      header('10012', {
        CustomerRef: CUSTOMER,
        DepositToAccountRef: BANK,
        TotalAmt: 75.5,
        Line: [salesLine('1', 75.5, CLS_A), subTotal(75.5)],
      }),
    );
    expect(t).toMatchObject({
      amount: '75.50',
      payee: { id: '160', name: 'Harbor Cafe' },
      bankAccount: { id: '35', name: 'Business Checking' },
      account: { id: '79', name: 'Services' },
      class: { id: '5000000000000', name: 'Retail' },
    });
  });

  it('maps CDC’s deleted shape to a deleted transaction with empty fields', () => {
    const obj = {
      domain: 'QBO',
      status: 'Deleted',
      Id: '10013',
      MetaData: { LastUpdatedTime: '2026-11-22T16:00:00-08:00' },
    };
    expect(mapQboTransaction('Deposit', obj)).toEqual({
      type: 'Deposit',
      id: '10013',
      date: '',
      amount: '0.00',
      currency: null,
      payee: null,
      bankAccount: null,
      account: null,
      class: null,
      memo: null,
      reference: null,
      lines: [],
      raw: obj,
      updatedAt: '2026-11-23T00:00:00.000Z',
      deleted: true,
    });
  });

  it('adds many lines exactly: a hundred lines of 0.01 … 1.00 make 50.50', () => {
    const lines = Array.from({ length: 100 }, (_, i) => expenseLine(String(i + 1), (i + 1) / 100, SUPPLIES));
    const t = mapQboTransaction('JournalEntry', {
      ...header('10014'),
      Line: lines.map((l) => ({
        ...l,
        DetailType: 'JournalEntryLineDetail',
        JournalEntryLineDetail: { PostingType: 'Debit', AccountRef: SUPPLIES },
      })),
    });
    expect(t.amount).toBe('50.50');
  });
});

import { type BankTransaction, type BankTransfer, type ManualJournal, ObjectSerializer } from 'xero-node';
import {
  mapXeroBankTransaction,
  mapXeroBankTransfer,
  mapXeroManualJournal,
  toPlain,
  trackingRefs,
  XERO_TRANSACTION_TYPES,
  xeroDay,
  xeroInstant,
} from './transactions';

/**
 * The fixtures are Xero's own JSON (PascalCase, Microsoft JSON dates), turned into what the
 * adapter gets from xero-node by xero-node's own deserialiser.
 */
const asXeroNode = <T>(json: Record<string, unknown>, type: string): T =>
  ObjectSerializer.deserialize(json, type) as T;

const UPDATED = '/Date(1795438800000+0000)/'; // 2026-11-23T13:00:00Z
const CHECKING = { AccountID: 'acc-bank', Code: '090', Name: 'Business Checking' };
const SAVINGS = { AccountID: 'acc-savings', Code: '091', Name: 'Business Savings' };
const DEPT = 'cat-dept';
const LOC = 'cat-loc';
const tracking = (category: string, categoryId: string, option: string, optionId: string) => ({
  TrackingCategoryID: categoryId,
  TrackingOptionID: optionId,
  Name: category,
  Option: option,
});
const lineItem = (id: string, amount: number, code: string, accountId: string, track: object[] = []) => ({
  LineItemID: id,
  Description: `Line ${id}`,
  Quantity: 1,
  UnitAmount: amount,
  AccountCode: code,
  AccountID: accountId,
  TaxType: 'NONE',
  TaxAmount: 0,
  LineAmount: amount,
  Tracking: track,
});

const bankTransaction = (extra: Record<string, unknown> = {}) => ({
  BankTransactionID: 'bt-1',
  Type: 'SPEND',
  Contact: { ContactID: 'contact-1', Name: 'Dental Supply Co' },
  LineItems: [
    lineItem('li-1', 0.1, '400', 'acc-400', [tracking('Department', DEPT, 'Hygiene', 'opt-hyg')]),
    lineItem('li-2', 0.2, '9999', 'acc-suspense', [
      tracking('Department', DEPT, 'Surgery', 'opt-surg'),
      tracking('Location', LOC, 'Downtown', 'opt-down'),
    ]),
  ],
  BankAccount: CHECKING,
  IsReconciled: false,
  Date: '/Date(1795392000000+0000)/', // 2026-11-23
  Reference: 'INV 5531',
  CurrencyCode: 'USD',
  CurrencyRate: 1,
  Status: 'AUTHORISED',
  LineAmountTypes: 'NoTax',
  SubTotal: 0.3,
  TotalTax: 0,
  Total: 0.3,
  UpdatedDateUTC: UPDATED,
  HasAttachments: false,
  ...extra,
});

describe('Xero helpers', () => {
  it('lists the three entities in backfill order', () => {
    expect(XERO_TRANSACTION_TYPES).toEqual(['BankTransaction', 'ManualJournal', 'BankTransfer']);
  });

  it('reads document dates and instants in every form xero-node hands over', () => {
    expect(xeroDay(new Date('2026-11-20T00:00:00Z'))).toBe('2026-11-20');
    expect(xeroDay('2026-11-20T00:00:00')).toBe('2026-11-20');
    expect(xeroDay('/Date(1795392000000+0000)/')).toBe('2026-11-23');
    expect(xeroDay(undefined)).toBe('');
    expect(xeroInstant(new Date('2026-11-23T13:00:00Z'))).toBe('2026-11-23T13:00:00.000Z');
    expect(xeroInstant(UPDATED)).toBe('2026-11-23T13:00:00.000Z');
    expect(xeroInstant('2026-11-23T13:00:00')).toBe('2026-11-23T13:00:00.000Z');
    expect(xeroInstant(undefined)).toBe('');
  });

  it('names tracking options "Category: Option" with the option’s id, skipping ones without an id', () => {
    expect(
      trackingRefs([
        { name: 'Department', option: 'Hygiene', trackingOptionID: 'o-1' },
        { name: 'Location', option: 'Downtown', trackingOptionID: 'o-2' },
        { name: 'Location', option: 'Nowhere' },
      ]),
    ).toEqual([
      { id: 'o-1', name: 'Department: Hygiene' },
      { id: 'o-2', name: 'Location: Downtown' },
    ]);
    expect(trackingRefs(undefined)).toEqual([]);
  });

  it('makes plain JSON of a xero-node object: no undefined members, dates as ISO strings', () => {
    const t = asXeroNode<BankTransaction>(bankTransaction(), 'BankTransaction');
    expect(Object.keys(t)).toContain('prepaymentID'); // xero-node sets every member, most undefined
    const plain = toPlain(t) as Record<string, unknown>;
    expect(Object.keys(plain)).not.toContain('prepaymentID');
    expect(plain.updatedDateUTC).toBe('2026-11-23T13:00:00.000Z');
    expect(JSON.parse(JSON.stringify(plain))).toEqual(plain);
  });
});

describe('mapXeroBankTransaction', () => {
  it('maps a SPEND: negative total in cents (0.1 + 0.2 = 0.30), contact, bank account, tracking', () => {
    const t = mapXeroBankTransaction(asXeroNode(bankTransaction(), 'BankTransaction'));
    expect(t).toEqual({
      type: 'BankTransaction',
      id: 'bt-1',
      date: '2026-11-23',
      amount: '-0.30',
      currency: 'USD',
      payee: { id: 'contact-1', name: 'Dental Supply Co' },
      bankAccount: { id: 'acc-bank', name: 'Business Checking' },
      // Xero's lines carry no account name: the code stands in.
      account: { id: 'acc-400', name: '400' },
      class: { id: 'opt-hyg', name: 'Department: Hygiene' },
      memo: 'INV 5531',
      reference: 'INV 5531',
      lines: [
        {
          id: 'li-1',
          amount: '0.10',
          account: { id: 'acc-400', name: '400' },
          classes: [{ id: 'opt-hyg', name: 'Department: Hygiene' }],
          description: 'Line li-1',
          posting: null,
        },
        {
          id: 'li-2',
          amount: '0.20',
          account: { id: 'acc-suspense', name: '9999' },
          classes: [
            { id: 'opt-surg', name: 'Department: Surgery' },
            { id: 'opt-down', name: 'Location: Downtown' },
          ],
          description: 'Line li-2',
          posting: null,
        },
      ],
      raw: expect.objectContaining({ bankTransactionID: 'bt-1', type: 'SPEND', total: 0.3 }),
      updatedAt: '2026-11-23T13:00:00.000Z',
      deleted: false,
    });
  });

  it('maps a RECEIVE positive; the first class found on any line; no contact, no reference', () => {
    const t = mapXeroBankTransaction(
      asXeroNode(
        bankTransaction({
          Type: 'RECEIVE',
          Contact: undefined,
          Reference: undefined,
          LineItems: [
            lineItem('li-1', 1234.5, '200', 'acc-200'),
            lineItem('li-2', 0.01, '200', 'acc-200', [tracking('Location', LOC, 'Uptown', 'opt-up')]),
          ],
          SubTotal: 1234.51,
          Total: 1234.51,
          Date: '2026-11-20T00:00:00',
        }),
        'BankTransaction',
      ),
    );
    expect(t).toMatchObject({
      amount: '1234.51',
      date: '2026-11-20',
      payee: null,
      memo: null,
      reference: null,
      class: { id: 'opt-up', name: 'Location: Uptown' },
    });
    expect(t.lines[0].classes).toEqual([]);
  });

  it('signs the over- and prepayment types by their direction', () => {
    const spend = mapXeroBankTransaction(
      asXeroNode(bankTransaction({ Type: 'SPEND-PREPAYMENT', Total: 12.5 }), 'BankTransaction'),
    );
    const receive = mapXeroBankTransaction(
      asXeroNode(bankTransaction({ Type: 'RECEIVE-OVERPAYMENT', Total: 12.5 }), 'BankTransaction'),
    );
    expect([spend.amount, receive.amount]).toEqual(['-12.50', '12.50']);
  });

  it('marks DELETED and VOIDED bank transactions deleted, keeping what Xero still shows', () => {
    for (const Status of ['DELETED', 'VOIDED']) {
      const t = mapXeroBankTransaction(asXeroNode(bankTransaction({ Status }), 'BankTransaction'));
      expect(t).toMatchObject({ deleted: true, id: 'bt-1', amount: '-0.30' });
    }
  });

  it('sums the lines when Xero states no total', () => {
    const t = mapXeroBankTransaction(
      asXeroNode(bankTransaction({ Total: undefined, SubTotal: undefined }), 'BankTransaction'),
    );
    expect(t.amount).toBe('-0.30');
  });
});

describe('mapXeroManualJournal', () => {
  const journal = (extra: Record<string, unknown> = {}) => ({
    Date: '/Date(1795392000000+0000)/',
    Status: 'POSTED',
    LineAmountTypes: 'NoTax',
    UpdatedDateUTC: UPDATED,
    ManualJournalID: 'mj-1',
    Narration: 'Depreciation',
    JournalLines: [
      {
        AccountID: 'acc-710',
        AccountCode: '710',
        Description: 'Adjustment',
        TaxType: 'NONE',
        LineAmount: 0.1,
        Tracking: [tracking('Department', DEPT, 'Hygiene', 'opt-hyg')],
      },
      { AccountID: 'acc-720', AccountCode: '720', Description: 'Adjustment', LineAmount: 0.2, Tracking: [] },
      { AccountID: 'acc-800', AccountCode: '800', Description: 'Adjustment', LineAmount: -0.3, Tracking: [] },
    ],
    ShowOnCashBasisReports: true,
    HasAttachments: false,
    ...extra,
  });

  it('maps a journal: the sum of its debit (positive) lines, positive; signs become postings', () => {
    const t = mapXeroManualJournal(asXeroNode<ManualJournal>(journal(), 'ManualJournal'));
    expect(t).toMatchObject({
      type: 'ManualJournal',
      id: 'mj-1',
      date: '2026-11-23',
      amount: '0.30',
      currency: null,
      payee: null,
      bankAccount: null,
      account: { id: 'acc-710', name: '710' },
      class: { id: 'opt-hyg', name: 'Department: Hygiene' },
      memo: 'Depreciation',
      reference: null,
      updatedAt: '2026-11-23T13:00:00.000Z',
      deleted: false,
    });
    expect(t.lines.map((l) => [l.amount, l.posting, l.account?.id])).toEqual([
      ['0.10', 'debit', 'acc-710'],
      ['0.20', 'debit', 'acc-720'],
      ['0.30', 'credit', 'acc-800'],
    ]);
    expect(t.lines[0].classes).toEqual([{ id: 'opt-hyg', name: 'Department: Hygiene' }]);
    // Xero's journal lines have no ids: they are named by their position.
    expect(t.lines.map((l) => l.id)).toEqual(['1', '2', '3']);
  });

  it('marks a DELETED or VOIDED journal deleted', () => {
    expect(mapXeroManualJournal(asXeroNode(journal({ Status: 'DELETED' }), 'ManualJournal')).deleted).toBe(
      true,
    );
    expect(mapXeroManualJournal(asXeroNode(journal({ Status: 'VOIDED' }), 'ManualJournal')).deleted).toBe(
      true,
    );
  });
});

describe('mapXeroBankTransfer', () => {
  const transfer = (extra: Record<string, unknown> = {}) => ({
    BankTransferID: 'tr-1',
    FromBankAccount: CHECKING,
    ToBankAccount: SAVINGS,
    Amount: 2500.05,
    Date: '/Date(1795392000000+0000)/',
    CurrencyRate: 1,
    FromBankTransactionID: 'bt-from',
    ToBankTransactionID: 'bt-to',
    Reference: 'Transfer to savings',
    HasAttachments: false,
    CreatedDateUTC: '/Date(1795400000000+0000)/',
    Status: 'AUTHORISED',
    ...extra,
  });

  it('maps a transfer: the amount positive, from one bank account to the other, created time as updatedAt', () => {
    const t = mapXeroBankTransfer(asXeroNode<BankTransfer>(transfer(), 'BankTransfer'));
    expect(t).toMatchObject({
      type: 'BankTransfer',
      id: 'tr-1',
      date: '2026-11-23',
      amount: '2500.05',
      payee: null,
      bankAccount: { id: 'acc-bank', name: 'Business Checking' },
      account: { id: 'acc-savings', name: 'Business Savings' },
      class: null,
      memo: 'Transfer to savings',
      reference: 'Transfer to savings',
      lines: [],
      updatedAt: new Date(1795400000000).toISOString(),
      deleted: false,
    });
  });

  it('marks a DELETED transfer deleted', () => {
    expect(mapXeroBankTransfer(asXeroNode(transfer({ Status: 'DELETED' }), 'BankTransfer')).deleted).toBe(
      true,
    );
  });
});

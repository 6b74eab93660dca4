import { type BankTransaction, type ManualJournal, ObjectSerializer, type TrackingCategory } from 'xero-node';
import { LedgerConflict, LedgerRequestFailed } from '../ledger-provider';
import {
  bankTransactionUpdate,
  checkBankTransactionState,
  checkManualJournalState,
  checkXeroRequest,
  manualJournalUpdate,
  nextTracking,
  targetLine,
  trackingChoice,
  validationMessages,
} from './recategorize';

/** Xero's own JSON, through xero-node's deserialiser (as the adapter gets it) and back (as it posts). */
const fromXero = <T>(json: Record<string, unknown>, type: string): T =>
  ObjectSerializer.deserialize(json, type) as T;
const toXero = (obj: unknown, type: string) =>
  JSON.parse(JSON.stringify(ObjectSerializer.serialize(obj, type)));

const DEPT = {
  TrackingCategoryID: 'cat-dept',
  TrackingOptionID: 'opt-hyg',
  Name: 'Department',
  Option: 'Hygiene',
};
const LOC = {
  TrackingCategoryID: 'cat-loc',
  TrackingOptionID: 'opt-down',
  Name: 'Location',
  Option: 'Downtown',
};

const bankTransaction = (extra: Record<string, unknown> = {}) =>
  fromXero<BankTransaction>(
    {
      BankTransactionID: 'bt-1',
      Type: 'SPEND',
      Contact: { ContactID: 'contact-1', Name: 'Dental Supply Co' },
      LineItems: [
        {
          LineItemID: 'li-1',
          Description: 'Gloves',
          Quantity: 3,
          UnitAmount: 1.3333,
          AccountCode: '9999',
          AccountID: 'acc-suspense',
          TaxType: 'NONE',
          TaxAmount: 0,
          LineAmount: 4,
          Tracking: [DEPT, LOC],
        },
        {
          LineItemID: 'li-2',
          Description: 'Masks',
          Quantity: 1,
          UnitAmount: 2.5,
          AccountCode: '400',
          AccountID: 'acc-400',
          TaxType: 'NONE',
          TaxAmount: 0,
          LineAmount: 2.5,
          Tracking: [],
        },
      ],
      BankAccount: { AccountID: 'acc-bank', Code: '090', Name: 'Business Checking' },
      IsReconciled: false,
      Date: '/Date(1795392000000+0000)/',
      Reference: 'INV 5531',
      Status: 'AUTHORISED',
      LineAmountTypes: 'NoTax',
      SubTotal: 6.5,
      TotalTax: 0,
      Total: 6.5,
      UpdatedDateUTC: '/Date(1795438800000+0000)/',
      ...extra,
    },
    'BankTransaction',
  );

const categories = fromXero<{ trackingCategories: TrackingCategory[] }>(
  {
    TrackingCategories: [
      {
        TrackingCategoryID: 'cat-dept',
        Name: 'Department',
        Status: 'ACTIVE',
        Options: [
          { TrackingOptionID: 'opt-hyg', Name: 'Hygiene', Status: 'ACTIVE' },
          { TrackingOptionID: 'opt-surg', Name: 'Surgery', Status: 'ACTIVE' },
          { TrackingOptionID: 'opt-old', Name: 'Old', Status: 'ARCHIVED' },
        ],
      },
      {
        TrackingCategoryID: 'cat-loc',
        Name: 'Location',
        Status: 'ACTIVE',
        Options: [{ TrackingOptionID: 'opt-up', Name: 'Uptown', Status: 'ACTIVE' }],
      },
    ],
  },
  'TrackingCategories',
).trackingCategories;

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a throw');
}

describe('bankTransactionUpdate', () => {
  it('posts every line as read (ids, quantities, 4-decimal unit amounts, tax, tracking), only the target changed, no totals', () => {
    const t = bankTransaction();
    const surgery = trackingChoice(categories, 'opt-surg');
    const doc = bankTransactionUpdate(t, 0, {
      account: { accountCode: '6070' },
      tracking: nextTracking(t.lineItems[0].tracking, 'opt-surg', surgery),
    });
    expect(toXero({ bankTransactions: [doc] }, 'BankTransactions')).toEqual({
      BankTransactions: [
        {
          BankTransactionID: 'bt-1',
          Type: 'SPEND',
          BankAccount: { AccountID: 'acc-bank' },
          LineAmountTypes: 'NoTax',
          LineItems: [
            {
              LineItemID: 'li-1',
              Description: 'Gloves',
              Quantity: 3,
              UnitAmount: 1.3333,
              AccountCode: '6070',
              TaxType: 'NONE',
              TaxAmount: 0,
              LineAmount: 4,
              // Department's option replaced, Location's kept.
              Tracking: [
                {
                  TrackingCategoryID: 'cat-loc',
                  TrackingOptionID: 'opt-down',
                  Name: 'Location',
                  Option: 'Downtown',
                },
                {
                  TrackingCategoryID: 'cat-dept',
                  TrackingOptionID: 'opt-surg',
                  Name: 'Department',
                  Option: 'Surgery',
                },
              ],
            },
            {
              LineItemID: 'li-2',
              Description: 'Masks',
              Quantity: 1,
              UnitAmount: 2.5,
              AccountCode: '400',
              TaxType: 'NONE',
              TaxAmount: 0,
              LineAmount: 2.5,
              Tracking: [],
            },
          ],
        },
      ],
    });
  });

  it('keeps the line’s tracking when none is asked for', () => {
    const t = bankTransaction();
    const doc = bankTransactionUpdate(t, 0, { account: { accountCode: '6070' } });
    expect(toXero(doc, 'BankTransaction').LineItems[0].Tracking).toEqual([DEPT, LOC]);
  });
});

describe('manualJournalUpdate', () => {
  it('restates every journal line in order with its signed amount; narration is always sent', () => {
    const j = fromXero<ManualJournal>(
      {
        ManualJournalID: 'mj-1',
        Narration: 'Accrual',
        Status: 'POSTED',
        LineAmountTypes: 'NoTax',
        JournalLines: [
          {
            AccountID: 'a1',
            AccountCode: '710',
            Description: 'Dr',
            TaxType: 'NONE',
            LineAmount: 10.5,
            TaxAmount: 0,
            IsBlank: false,
            Tracking: [],
          },
          {
            AccountID: 'a2',
            AccountCode: '800',
            Description: 'Cr',
            TaxType: 'NONE',
            LineAmount: -10.5,
            TaxAmount: 0,
            IsBlank: false,
            Tracking: [DEPT],
          },
        ],
      },
      'ManualJournal',
    );
    const doc = manualJournalUpdate(j, 1, { account: { accountCode: '820' }, tracking: [] });
    expect(toXero(doc, 'ManualJournal')).toEqual({
      ManualJournalID: 'mj-1',
      Narration: 'Accrual',
      LineAmountTypes: 'NoTax',
      JournalLines: [
        {
          AccountCode: '710',
          Description: 'Dr',
          TaxType: 'NONE',
          LineAmount: 10.5,
          TaxAmount: 0,
          Tracking: [],
        },
        {
          AccountCode: '820',
          Description: 'Cr',
          TaxType: 'NONE',
          LineAmount: -10.5,
          TaxAmount: 0,
          Tracking: [],
        },
      ],
    });
  });
});

describe('tracking', () => {
  it('finds an active option with its category; refuses unknown and archived ones', () => {
    expect(trackingChoice(categories, 'OPT-UP')).toEqual({
      categoryId: 'cat-loc',
      categoryName: 'Location',
      optionId: 'opt-up',
      optionName: 'Uptown',
    });
    for (const id of ['opt-old', 'nope'])
      expect(thrown(() => trackingChoice(categories, id))).toMatchObject({ code: 'class_not_found' });
  });

  it('undefined keeps, null clears, an option already there changes nothing', () => {
    const line = [DEPT, LOC].map((x) => ({
      trackingCategoryID: x.TrackingCategoryID,
      trackingOptionID: x.TrackingOptionID,
      name: x.Name,
      option: x.Option,
    }));
    expect(nextTracking(line, undefined, undefined)).toBeUndefined();
    expect(nextTracking(line, null, undefined)).toEqual([]);
    expect(nextTracking([], null, undefined)).toBeUndefined();
    expect(nextTracking(line, 'opt-hyg', undefined)).toBeUndefined();
  });
});

describe('state and line checks', () => {
  it('refuses reconciled, deleted and voided bank transactions, and transfer legs', () => {
    const reconciled = thrown(() => checkBankTransactionState(bankTransaction({ IsReconciled: true })));
    expect(reconciled).toBeInstanceOf(LedgerConflict);
    expect(reconciled).toMatchObject({
      code: 'reconciled',
      message: 'Xero does not allow changes to a reconciled bank transaction.',
    });
    expect(thrown(() => checkBankTransactionState(bankTransaction({ Status: 'VOIDED' })))).toMatchObject({
      code: 'locked',
      message: 'Xero does not allow changes to a voided bank transaction.',
    });
    const leg = thrown(() => checkBankTransactionState(bankTransaction({ Type: 'SPEND-TRANSFER' })));
    expect(leg).toBeInstanceOf(LedgerRequestFailed);
    expect(leg).toMatchObject({ code: 'not_categorizable' });
    expect(() => checkBankTransactionState(bankTransaction())).not.toThrow();
    expect(
      thrown(() => checkManualJournalState(fromXero({ Status: 'ARCHIVED' }, 'ManualJournal'))),
    ).toMatchObject({
      code: 'locked',
      message: 'Xero does not allow changes to an archived manual journal.',
    });
  });

  it('finds the line by id (any case) or the only one; refuses to guess', () => {
    const ids = ['LI-1', 'li-2'];
    expect(targetLine('X', 2, 'li-1', (i) => ids[i])).toBe(0);
    expect(targetLine('X', 1, null, (i) => ids[i])).toBe(0);
    expect(thrown(() => targetLine('X', 2, null, (i) => ids[i]))).toMatchObject({ code: 'ambiguous_line' });
    expect(thrown(() => targetLine('X', 2, 'li-3', (i) => ids[i]))).toMatchObject({
      code: 'line_not_found',
      message: 'X has no line li-3.',
    });
  });

  it('refuses bank transfers and other types before any call', () => {
    const req = { type: 'BankTransfer', id: 'x', lineId: null, accountId: 'a' };
    expect(thrown(() => checkXeroRequest(req))).toMatchObject({ code: 'not_categorizable' });
    expect(thrown(() => checkXeroRequest({ ...req, type: 'Invoice' }))).toMatchObject({
      code: 'unknown_type',
    });
    expect(() => checkXeroRequest({ ...req, type: 'ManualJournal' })).not.toThrow();
  });

  it('reads the messages of a ValidationException', () => {
    expect(
      validationMessages({
        ErrorNumber: 10,
        Type: 'ValidationException',
        Message: 'A validation exception occurred',
        Elements: [{ ValidationErrors: [{ Message: 'One.' }, { Message: 'Two.' }] }],
      }),
    ).toEqual(['One.', 'Two.']);
    expect(validationMessages({ Message: 'Only this.' })).toEqual(['Only this.']);
  });
});

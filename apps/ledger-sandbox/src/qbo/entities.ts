import type { CompanyLedger } from '../model/company-ledger';
import type { Account, AccountKind, ClassDef, Payee, Txn, TxnKind, TxnLine } from '../model/ledger';
import { qboTime } from './errors';

/**
 * Renders the provider-neutral ledger in QuickBooks Online v3 JSON: element names are those of
 * Intuit's XSDs (Finance.xsd, IntuitNamesTypes.xsd), money is a JSON number in dollars (the model
 * keeps integer cents; we divide only here), times are in the company's zone (Pacific).
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type QboObject = Record<string, any>;

export const TXN_ENTITIES = [
  'Purchase',
  'Deposit',
  'JournalEntry',
  'Transfer',
  'Bill',
  'BillPayment',
  'Invoice',
  'Payment',
  'SalesReceipt',
] as const;
export const LIST_ENTITIES = ['Account', 'Class', 'Vendor', 'Customer'] as const;
export type TxnEntity = (typeof TXN_ENTITIES)[number];
export type ListEntity = (typeof LIST_ENTITIES)[number];
export type EntityName = TxnEntity | ListEntity;

export const ENTITY_OF_KIND: Record<TxnKind, TxnEntity> = {
  spend: 'Purchase',
  receive: 'Deposit',
  journal: 'JournalEntry',
  transfer: 'Transfer',
  bill: 'Bill',
  bill_payment: 'BillPayment',
  invoice: 'Invoice',
  payment: 'Payment',
  sales_receipt: 'SalesReceipt',
};
export const KIND_OF_ENTITY = Object.fromEntries(
  Object.entries(ENTITY_OF_KIND).map(([k, e]) => [e, k]),
) as Record<TxnEntity, TxnKind>;

const ALL_ENTITIES: readonly EntityName[] = [...TXN_ENTITIES, ...LIST_ENTITIES];

/** QuickBooks entity names are case-insensitive in queries and URLs; this gives the canonical one. */
export function canonicalEntity(name: string): EntityName | undefined {
  const lower = name.toLowerCase();
  return ALL_ENTITIES.find((e) => e.toLowerCase() === lower);
}

export function isTxnEntity(e: EntityName): e is TxnEntity {
  return (TXN_ENTITIES as readonly string[]).includes(e);
}

export const money = (minor: number): number => Math.round(minor) / 100;

const CURRENCY_NAMES: Record<string, string> = {
  USD: 'United States Dollar',
  CAD: 'Canadian Dollar',
  GBP: 'British Pound Sterling',
  EUR: 'Euro',
  AUD: 'Australian Dollar',
};

function meta(createdAt: string, updatedAt: string): QboObject {
  return { CreateTime: qboTime(createdAt), LastUpdatedTime: qboTime(updatedAt) };
}

interface AccountTypeInfo {
  AccountType: string;
  Classification: 'Asset' | 'Liability' | 'Equity' | 'Revenue' | 'Expense';
  AccountSubType: string;
}

const ACCOUNT_TYPES: Record<AccountKind, AccountTypeInfo> = {
  bank: { AccountType: 'Bank', Classification: 'Asset', AccountSubType: 'Checking' },
  credit_card: { AccountType: 'Credit Card', Classification: 'Liability', AccountSubType: 'CreditCard' },
  accounts_receivable: {
    AccountType: 'Accounts Receivable',
    Classification: 'Asset',
    AccountSubType: 'AccountsReceivable',
  },
  accounts_payable: {
    AccountType: 'Accounts Payable',
    Classification: 'Liability',
    AccountSubType: 'AccountsPayable',
  },
  current_asset: {
    AccountType: 'Other Current Asset',
    Classification: 'Asset',
    AccountSubType: 'OtherCurrentAssets',
  },
  fixed_asset: {
    AccountType: 'Fixed Asset',
    Classification: 'Asset',
    AccountSubType: 'MachineryAndEquipment',
  },
  current_liability: {
    AccountType: 'Other Current Liability',
    Classification: 'Liability',
    AccountSubType: 'OtherCurrentLiabilities',
  },
  equity: { AccountType: 'Equity', Classification: 'Equity', AccountSubType: 'OwnersEquity' },
  income: { AccountType: 'Income', Classification: 'Revenue', AccountSubType: 'SalesOfProductIncome' },
  other_income: { AccountType: 'Other Income', Classification: 'Revenue', AccountSubType: 'InterestEarned' },
  cost_of_sales: {
    AccountType: 'Cost of Goods Sold',
    Classification: 'Expense',
    AccountSubType: 'SuppliesMaterialsCogs',
  },
  expense: {
    AccountType: 'Expense',
    Classification: 'Expense',
    AccountSubType: 'OtherMiscellaneousServiceCost',
  },
  other_expense: {
    AccountType: 'Other Expense',
    Classification: 'Expense',
    AccountSubType: 'OtherMiscellaneousExpense',
  },
};

/** Detail types QuickBooks gives the accounts of its default chart, by name. */
const SUBTYPE_BY_NAME: Record<string, string> = {
  'Business Savings': 'Savings',
  'Inventory Asset': 'Inventory',
  'Prepaid Expenses': 'PrepaidExpenses',
  'Sales Tax Payable': 'SalesTaxPayable',
  'Payroll Liabilities': 'PayrollTaxPayable',
  'Retained Earnings': 'RetainedEarnings',
  Services: 'ServiceFeeIncome',
  'Uncategorized Income': 'ServiceFeeIncome',
  'Advertising & Marketing': 'AdvertisingPromotional',
  'Bank Charges & Fees': 'BankCharges',
  'Car & Truck': 'Auto',
  Contractors: 'OtherMiscellaneousServiceCost',
  Insurance: 'Insurance',
  'Legal & Professional Services': 'LegalProfessionalFees',
  'Meals & Entertainment': 'EntertainmentMeals',
  'Office Supplies & Software': 'OfficeGeneralAdministrativeExpenses',
  'Rent & Lease': 'RentOrLeaseOfBuildings',
  'Repairs & Maintenance': 'RepairMaintenance',
  Travel: 'Travel',
  Utilities: 'Utilities',
  'Payroll Expenses': 'PayrollExpenses',
};

export function accountTypeOf(a: Account): AccountTypeInfo {
  const base = ACCOUNT_TYPES[a.kind];
  return { ...base, AccountSubType: SUBTYPE_BY_NAME[a.name] ?? base.AccountSubType };
}

export class QboRenderer {
  constructor(private readonly ledger: CompanyLedger) {}

  private get currencyRef(): QboObject {
    const c = this.ledger.def.currency;
    return { value: c, name: CURRENCY_NAMES[c] ?? c };
  }

  accountRef(id: string | null | undefined): QboObject | undefined {
    const a = this.ledger.account(id);
    return a ? { value: a.id, name: a.name } : id ? { value: id } : undefined;
  }

  classRef(id: string | null | undefined): QboObject | undefined {
    const c = this.ledger.klass(id);
    return c ? { value: c.id, name: c.name } : id ? { value: id } : undefined;
  }

  payeeRef(id: string | null | undefined, withType = false): QboObject | undefined {
    const p = this.ledger.payee(id);
    if (!p) return undefined;
    return withType
      ? { value: p.id, name: p.name, type: p.kind === 'vendor' ? 'Vendor' : 'Customer' }
      : { value: p.id, name: p.name };
  }

  account(a: Account): QboObject {
    const t = accountTypeOf(a);
    return {
      Name: a.name,
      SubAccount: false,
      FullyQualifiedName: a.name,
      Active: a.active,
      Classification: t.Classification,
      AccountType: t.AccountType,
      AccountSubType: t.AccountSubType,
      AcctNum: a.code,
      ...(a.description ? { Description: a.description } : {}),
      ...(a.bankNumber ? { BankNum: a.bankNumber } : {}),
      CurrencyRef: this.currencyRef,
      domain: 'QBO',
      sparse: false,
      Id: a.id,
      SyncToken: '0',
      MetaData: meta(a.createdAt, a.updatedAt),
    };
  }

  klass(c: ClassDef): QboObject {
    return {
      Name: c.name,
      SubClass: false,
      FullyQualifiedName: c.name,
      Active: c.active,
      domain: 'QBO',
      sparse: false,
      Id: c.id,
      SyncToken: '0',
      MetaData: meta(c.createdAt, c.updatedAt),
    };
  }

  payee(p: Payee): QboObject {
    const common = {
      domain: 'QBO',
      sparse: false,
      Id: p.id,
      SyncToken: '0',
      MetaData: meta(p.createdAt, p.updatedAt),
      CompanyName: p.name,
      DisplayName: p.name,
      PrintOnCheckName: p.name,
      FullyQualifiedName: p.name,
      Active: true,
      ...(p.email ? { PrimaryEmailAddr: { Address: p.email } } : {}),
      Balance: 0,
      CurrencyRef: this.currencyRef,
    };
    return p.kind === 'vendor'
      ? { ...common, Vendor1099: false }
      : {
          ...common,
          Taxable: false,
          Job: false,
          BillWithParent: false,
          BalanceWithJobs: 0,
          PreferredDeliveryMethod: 'Print',
        };
  }

  /** A deleted transaction, as change data capture reports it. */
  deleted(t: Txn): QboObject {
    return {
      domain: 'QBO',
      status: 'Deleted',
      Id: t.id,
      MetaData: { LastUpdatedTime: qboTime(t.updatedAt) },
    };
  }

  txn(t: Txn): QboObject {
    const header: QboObject = {
      domain: 'QBO',
      sparse: false,
      Id: t.id,
      SyncToken: String(t.syncToken),
      MetaData: meta(t.createdAt, t.updatedAt),
      ...(t.docNumber ? { DocNumber: t.docNumber } : {}),
      TxnDate: t.date,
      CurrencyRef: this.currencyRef,
      ...(t.memo ? { PrivateNote: t.memo } : {}),
    };
    const total = money(t.totalMinor);
    const lines = (detail: (l: TxnLine) => QboObject) =>
      t.lines.map((l, n) => ({
        Id: l.id,
        LineNum: n + 1,
        ...(l.description ? { Description: l.description } : {}),
        Amount: money(l.amountMinor),
        ...detail(l),
      }));
    const defined = (o: QboObject) =>
      Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
    const dueDate = new Date(Date.parse(`${t.date}T00:00:00Z`) + 30 * 86_400_000).toISOString().slice(0, 10);
    const salesLines = () => [
      ...lines((l) => ({
        DetailType: 'SalesItemLineDetail',
        SalesItemLineDetail: defined({
          ItemRef: { value: '1', name: 'Services' },
          ClassRef: this.classRef(l.classId),
          UnitPrice: money(l.amountMinor),
          Qty: 1,
          ItemAccountRef: this.accountRef(l.accountId),
          TaxCodeRef: { value: 'NON' },
        }),
      })),
      { Amount: total, DetailType: 'SubTotalLineDetail', SubTotalLineDetail: {} },
    ];
    const ar = this.ledger.accounts.find((a) => a.kind === 'accounts_receivable');
    const ap = this.ledger.accounts.find((a) => a.kind === 'accounts_payable');

    switch (t.kind) {
      case 'spend':
        return defined({
          ...header,
          AccountRef: this.accountRef(t.bankAccountId),
          PaymentType: t.paymentType ?? 'Cash',
          EntityRef: this.payeeRef(t.payeeId, true),
          Credit: t.paymentType === 'CreditCard' ? false : undefined,
          TotalAmt: total,
          PrintStatus: t.paymentType === 'Check' ? 'NotSet' : undefined,
          Line: lines((l) => ({
            DetailType: 'AccountBasedExpenseLineDetail',
            AccountBasedExpenseLineDetail: defined({
              AccountRef: this.accountRef(l.accountId),
              ClassRef: this.classRef(l.classId),
              BillableStatus: 'NotBillable',
              TaxCodeRef: { value: 'NON' },
            }),
          })),
        });
      case 'receive':
        return defined({
          ...header,
          DepositToAccountRef: this.accountRef(t.bankAccountId),
          TotalAmt: total,
          Line: lines((l) => ({
            DetailType: 'DepositLineDetail',
            DepositLineDetail: defined({
              Entity: this.payeeRef(t.payeeId, true),
              ClassRef: this.classRef(l.classId),
              AccountRef: this.accountRef(l.accountId),
            }),
          })),
        });
      case 'journal':
        return {
          ...header,
          Adjustment: false,
          TotalAmt: total,
          Line: lines((l) => ({
            DetailType: 'JournalEntryLineDetail',
            JournalEntryLineDetail: defined({
              PostingType: l.posting === 'credit' ? 'Credit' : 'Debit',
              AccountRef: this.accountRef(l.accountId),
              ClassRef: this.classRef(l.classId),
            }),
          })),
        };
      case 'transfer':
        return defined({
          ...header,
          FromAccountRef: this.accountRef(t.bankAccountId),
          ToAccountRef: this.accountRef(t.toAccountId ?? t.lines[0]?.accountId),
          Amount: total,
        });
      case 'bill':
        return defined({
          ...header,
          VendorRef: this.payeeRef(t.payeeId),
          APAccountRef: ap ? this.accountRef(ap.id) : undefined,
          DueDate: dueDate,
          TotalAmt: total,
          Balance: 0,
          Line: lines((l) => ({
            DetailType: 'AccountBasedExpenseLineDetail',
            AccountBasedExpenseLineDetail: defined({
              AccountRef: this.accountRef(l.accountId),
              ClassRef: this.classRef(l.classId),
              BillableStatus: 'NotBillable',
              TaxCodeRef: { value: 'NON' },
            }),
          })),
        });
      case 'bill_payment':
        return defined({
          ...header,
          VendorRef: this.payeeRef(t.payeeId),
          APAccountRef: ap ? this.accountRef(ap.id) : undefined,
          PayType: 'Check',
          CheckPayment: { BankAccountRef: this.accountRef(t.bankAccountId), PrintStatus: 'NotSet' },
          TotalAmt: total,
          Line: t.lines.map((l) => ({ Amount: money(l.amountMinor), LinkedTxn: [] })),
        });
      case 'invoice':
        return defined({
          ...header,
          CustomerRef: this.payeeRef(t.payeeId),
          ARAccountRef: ar ? this.accountRef(ar.id) : undefined,
          DueDate: dueDate,
          TotalAmt: total,
          Balance: 0,
          PrintStatus: 'NotSet',
          EmailStatus: 'NotSet',
          Line: salesLines(),
        });
      case 'payment':
        return defined({
          ...header,
          CustomerRef: this.payeeRef(t.payeeId),
          ARAccountRef: ar ? this.accountRef(ar.id) : undefined,
          DepositToAccountRef: this.accountRef(t.bankAccountId),
          TotalAmt: total,
          UnappliedAmt: 0,
          ProcessPayment: false,
          Line: t.lines.map((l) => ({ Amount: money(l.amountMinor), LinkedTxn: [] })),
        });
      case 'sales_receipt':
        return defined({
          ...header,
          CustomerRef: this.payeeRef(t.payeeId),
          DepositToAccountRef: this.accountRef(t.bankAccountId),
          TotalAmt: total,
          Balance: 0,
          PrintStatus: 'NotSet',
          EmailStatus: 'NotSet',
          Line: salesLines(),
        });
    }
  }

  companyInfo(): QboObject {
    const d = this.ledger.def;
    const setup = new Date(this.ledger.windowStart - 30 * 86_400_000).toISOString();
    const slug = d.name.toLowerCase().replace(/[^a-z0-9]+/g, '');
    const addr = {
      Id: '1',
      Line1: '123 Main Street',
      City: 'Mountain View',
      CountrySubDivisionCode: 'CA',
      PostalCode: '94043',
      Country: d.country,
    };
    return {
      CompanyName: d.name,
      LegalName: d.legalName,
      CompanyAddr: addr,
      CustomerCommunicationAddr: addr,
      LegalAddr: addr,
      CustomerCommunicationEmailAddr: { Address: `hello@${slug}.example` },
      PrimaryPhone: { FreeFormNumber: '(650) 555-0100' },
      CompanyStartDate: setup.slice(0, 10),
      FiscalYearStartMonth: 'January',
      Country: d.country,
      Email: { Address: `owner@${slug}.example` },
      WebAddr: { URI: `https://www.${slug}.example` },
      SupportedLanguages: 'en',
      DefaultTimeZone: 'America/Los_Angeles',
      NameValue: [
        { Name: 'NeoEnabled', Value: 'true' },
        { Name: 'IndustryType', Value: 'Retail' },
        { Name: 'CompanyType', Value: 'Limited Liability' },
        { Name: 'SubscriptionStatus', Value: 'SUBSCRIBED' },
        { Name: 'OfferingSku', Value: d.edition },
        { Name: 'PayrollFeature', Value: 'false' },
        { Name: 'AccountantFeature', Value: 'false' },
        { Name: 'IsQbdtMigrated', Value: 'false' },
        { Name: 'ItemCategoriesFeature', Value: 'true' },
        { Name: 'AssignedTime', Value: qboTime(setup) },
      ],
      domain: 'QBO',
      sparse: false,
      Id: '1',
      SyncToken: '0',
      MetaData: meta(setup, setup),
    };
  }

  preferences(): QboObject {
    const d = this.ledger.def;
    const setup = new Date(this.ledger.windowStart - 30 * 86_400_000).toISOString();
    const ar = this.ledger.accounts.find((a) => a.kind === 'accounts_receivable');
    const ap = this.ledger.accounts.find((a) => a.kind === 'accounts_payable');
    return {
      AccountingInfoPrefs: {
        UseAccountNumbers: true,
        ...(ar ? { DefaultARAccount: { value: ar.id, name: ar.name } } : {}),
        ...(ap ? { DefaultAPAccount: { value: ap.id, name: ap.name } } : {}),
        TrackDepartments: false,
        DepartmentTerminology: 'Location',
        ClassTrackingPerTxn: d.classTracking === 'per_txn',
        ClassTrackingPerTxnLine: d.classTracking === 'per_line',
        AutoJournalEntryNumber: true,
        FirstMonthOfFiscalYear: 'January',
        TaxYearMonth: 'January',
        TaxForm: '6',
        CustomerTerminology: 'Customers',
      },
      ProductAndServicesPrefs: {
        ForSales: true,
        ForPurchase: true,
        QuantityWithPriceAndRate: true,
        QuantityOnHand: true,
      },
      SalesFormsPrefs: {
        AllowDeposit: true,
        AllowDiscount: true,
        AllowEstimates: true,
        AllowShipping: false,
        AutoApplyCredit: true,
        AutoApplyPayments: true,
        CustomTxnNumbers: false,
        DefaultTerms: { value: '3' },
      },
      VendorAndPurchasesPrefs: {
        TrackingByCustomer: true,
        BillableExpenseTracking: true,
        DefaultTerms: { value: '3' },
      },
      TimeTrackingPrefs: {
        UseServices: true,
        BillCustomers: true,
        ShowBillRateToAll: false,
        WorkWeekStartDate: 'Monday',
        MarkTimeEntriesBillable: true,
      },
      TaxPrefs: { UsingSalesTax: false },
      CurrencyPrefs: { MultiCurrencyEnabled: false, HomeCurrency: { value: d.currency } },
      ReportPrefs: { ReportBasis: 'Accrual', CalcAgingReportFromTxnDate: false },
      OtherPrefs: {
        NameValue: [
          { Name: 'SalesFormsPrefs.DefaultCustomerMessage' },
          { Name: 'WarnDuplicateCheckNumber', Value: 'true' },
        ],
      },
      domain: 'QBO',
      sparse: false,
      Id: '1',
      SyncToken: '0',
      MetaData: meta(setup, setup),
    };
  }
}

import type { CompanyLedger } from '../model/company-ledger';
import type { Account, AccountKind, ClassDef, Payee, Txn, TxnLine } from '../model/ledger';
import { stableUuid } from '../model/random';

/**
 * The model rendered in Xero's Accounting API shapes (PascalCase members, as in xero_accounting.yaml).
 * Money: the model's integer cents become numbers with two decimals here and only here.
 * Times: UpdatedDateUTC and CreatedDateUTC are Microsoft JSON dates ("/Date(1700000000000+0000)/");
 * document dates are "2026-11-20T00:00:00".
 */

interface Lookups {
  sizes: string;
  accounts: Map<string, Account>;
  classes: Map<string, ClassDef>;
  payees: Map<string, Payee>;
  categories: TrackingCategory[];
}
const lookupCache = new WeakMap<CompanyLedger, Lookups>();

/** Id → entity maps for rendering many transactions (rebuilt when the lists grow or shrink). */
function lookups(ledger: CompanyLedger): Lookups {
  const sizes = `${ledger.accounts.length}:${ledger.classes.length}:${ledger.payees.length}`;
  let l = lookupCache.get(ledger);
  if (!l || l.sizes !== sizes) {
    l = {
      sizes,
      accounts: new Map(ledger.accounts.map((a) => [a.id, a])),
      classes: new Map(ledger.classes.map((c) => [c.id, c])),
      payees: new Map(ledger.payees.map((p) => [p.id, p])),
      categories: ledger.trackingCategories.map((name, slot) => ({
        id: stableUuid(`${ledger.def.seed}:xero:tracking:${name}`),
        name,
        options: ledger.classesOf(slot as 0 | 1),
      })),
    };
    lookupCache.set(ledger, l);
  }
  return l;
}
const accountOf = (ledger: CompanyLedger, id: string | null | undefined) =>
  id ? lookups(ledger).accounts.get(id) : undefined;
const classOf = (ledger: CompanyLedger, id: string | null | undefined) =>
  id ? lookups(ledger).classes.get(id) : undefined;
const payeeOf = (ledger: CompanyLedger, id: string | null | undefined) =>
  id ? lookups(ledger).payees.get(id) : undefined;

export const money = (minor: number): number => Math.round(minor) / 100;

export const msDate = (time: string | number): string =>
  `/Date(${typeof time === 'number' ? time : Date.parse(time)}+0000)/`;

export const xeroDate = (ymd: string): string => `${ymd}T00:00:00`;

/** Parses any date Xero shows or accepts: "/Date(ms+0000)/", "2026-11-20T00:00:00", "2026-11-20", ISO with zone. */
export function parseXeroDate(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const ms = /^\/Date\((-?\d+)([+-]\d{4})?\)\/$/.exec(value);
  if (ms) return Number(ms[1]);
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return Date.parse(`${value}T00:00:00Z`);
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(value)) return Date.parse(`${value}Z`);
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : t;
}

const ACCOUNT_TYPE: Record<AccountKind, string> = {
  bank: 'BANK',
  credit_card: 'BANK',
  accounts_receivable: 'CURRENT',
  accounts_payable: 'CURRLIAB',
  current_asset: 'CURRENT',
  fixed_asset: 'FIXED',
  current_liability: 'CURRLIAB',
  equity: 'EQUITY',
  income: 'REVENUE',
  other_income: 'OTHERINCOME',
  cost_of_sales: 'DIRECTCOSTS',
  expense: 'EXPENSE',
  other_expense: 'OVERHEADS',
};

export type AccountClass = 'ASSET' | 'EQUITY' | 'EXPENSE' | 'LIABILITY' | 'REVENUE';

export const ACCOUNT_CLASS: Record<AccountKind, AccountClass> = {
  bank: 'ASSET',
  credit_card: 'ASSET',
  accounts_receivable: 'ASSET',
  accounts_payable: 'LIABILITY',
  current_asset: 'ASSET',
  fixed_asset: 'ASSET',
  current_liability: 'LIABILITY',
  equity: 'EQUITY',
  income: 'REVENUE',
  other_income: 'REVENUE',
  cost_of_sales: 'EXPENSE',
  expense: 'EXPENSE',
  other_expense: 'EXPENSE',
};

const REPORTING: Record<AccountClass, [string, string]> = {
  ASSET: ['ASS', 'Assets'],
  EQUITY: ['EQU', 'Equity'],
  EXPENSE: ['EXP', 'Expenses'],
  LIABILITY: ['LIA', 'Liabilities'],
  REVENUE: ['REV', 'Revenue'],
};

export function accountType(a: Account): string {
  return ACCOUNT_TYPE[a.kind];
}

export function renderAccount(ledger: CompanyLedger, a: Account): Record<string, unknown> {
  const cls = ACCOUNT_CLASS[a.kind];
  const isBank = a.kind === 'bank' || a.kind === 'credit_card';
  const systemAccount =
    a.kind === 'accounts_receivable'
      ? 'DEBTORS'
      : a.kind === 'accounts_payable'
        ? 'CREDITORS'
        : a.name === 'Retained Earnings'
          ? 'RETAINEDEARNINGS'
          : undefined;
  return {
    AccountID: a.id,
    Code: a.code,
    Name: a.name,
    Status: a.active ? 'ACTIVE' : 'ARCHIVED',
    Type: ACCOUNT_TYPE[a.kind],
    TaxType: 'NONE',
    ...(a.description ? { Description: a.description } : {}),
    Class: cls,
    ...(systemAccount ? { SystemAccount: systemAccount } : {}),
    EnablePaymentsToAccount: false,
    ShowInExpenseClaims: cls === 'EXPENSE',
    ...(isBank
      ? {
          BankAccountNumber: `0000${a.bankNumber ?? ''}`,
          BankAccountType: a.kind === 'credit_card' ? 'CREDITCARD' : 'BANK',
          CurrencyCode: ledger.def.currency,
        }
      : { BankAccountType: '' }),
    ReportingCode: REPORTING[cls][0],
    ReportingCodeName: REPORTING[cls][1],
    HasAttachments: false,
    UpdatedDateUTC: msDate(a.updatedAt),
    AddToWatchlist: false,
  };
}

/** The account reference Xero embeds in documents. */
export function accountRef(a: Account | undefined): Record<string, unknown> | undefined {
  return a ? { AccountID: a.id, Code: a.code, Name: a.name } : undefined;
}

// -------------------------------------------------------------- tracking

/**
 * The sandbox's classes are the options of the organisation's tracking categories: one, 'Department',
 * unless the company names its own (`CompanyDef.trackingCategories`, at most two). A line's `classId`
 * is an option of the first, its `classId2` of the second.
 */
export interface TrackingCategory {
  id: string;
  name: string;
  options: ClassDef[];
}

/** The default (first) tracking category's name. */
export const TRACKING_CATEGORY_NAME = 'Department';

/** Whether this organisation has tracking categories (class tracking is on). */
export const hasTracking = (ledger: CompanyLedger): boolean =>
  ledger.def.classTracking !== 'off' && ledger.classes.length > 0;

/** The organisation's tracking categories, first first; none when tracking is off. */
export function trackingCategories(ledger: CompanyLedger): TrackingCategory[] {
  return hasTracking(ledger) ? lookups(ledger).categories : [];
}

/** The first tracking category's id. */
export function trackingCategoryId(ledger: CompanyLedger): string {
  return lookups(ledger).categories[0].id;
}

/** The tracking category a class is an option of. */
export function categoryOf(ledger: CompanyLedger, cls: ClassDef): TrackingCategory | undefined {
  return trackingCategories(ledger).find((c) => c.options.includes(cls));
}

export function renderTrackingCategories(
  ledger: CompanyLedger,
  includeArchived = false,
): Record<string, unknown>[] {
  return trackingCategories(ledger).map((category) => ({
    TrackingCategoryID: category.id,
    Name: category.name,
    Status: 'ACTIVE',
    Options: category.options
      .filter((c) => includeArchived || c.active)
      .map((c) => ({
        TrackingOptionID: c.id,
        Name: c.name,
        Status: c.active ? 'ACTIVE' : 'ARCHIVED',
        TrackingCategoryID: category.id,
      })),
  }));
}

/** A line's Tracking: one entry per category it carries an option of (at most two). */
function lineTracking(ledger: CompanyLedger, line: TxnLine): Record<string, unknown>[] {
  if (!hasTracking(ledger)) return [];
  const out: Record<string, unknown>[] = [];
  const seen = new Set<string>();
  for (const id of [line.classId, line.classId2]) {
    const cls = classOf(ledger, id);
    const category = cls && categoryOf(ledger, cls);
    if (!cls || !category || seen.has(category.id)) continue;
    seen.add(category.id);
    out.push({
      TrackingCategoryID: category.id,
      TrackingOptionID: cls.id,
      Name: category.name,
      Option: cls.name,
    });
  }
  return out;
}

// -------------------------------------------------------------- contacts

export function contactRef(p: Payee | undefined): Record<string, unknown> | undefined {
  return p ? { ContactID: p.id, Name: p.name } : undefined;
}

export function renderContact(p: Payee): Record<string, unknown> {
  return {
    ContactID: p.id,
    ContactStatus: 'ACTIVE',
    Name: p.name,
    ...(p.email ? { EmailAddress: p.email } : {}),
    BankAccountDetails: '',
    Addresses: [
      { AddressType: 'STREET', City: '', Region: '', PostalCode: '', Country: '' },
      { AddressType: 'POBOX', City: '', Region: '', PostalCode: '', Country: '' },
    ],
    Phones: [
      { PhoneType: 'DEFAULT', PhoneNumber: '', PhoneAreaCode: '', PhoneCountryCode: '' },
      { PhoneType: 'MOBILE', PhoneNumber: '', PhoneAreaCode: '', PhoneCountryCode: '' },
    ],
    IsSupplier: p.kind === 'vendor',
    IsCustomer: p.kind === 'customer',
    UpdatedDateUTC: msDate(p.updatedAt),
    ContactGroups: [],
    HasAttachments: false,
    HasValidationErrors: false,
  };
}

// -------------------------------------------------------------- transactions

const XERO_TXN_ID = /^([0-9a-f]{8})-7a00-4000-8000-([0-9a-f]{12})$/;

/**
 * A UUID derived from a transaction's id (which encodes its index) and a tag: cheap, stable and
 * unique per transaction (line items, a transfer's two bank transactions).
 */
function derivedId(txn: Txn, tag: string, n: number): string {
  const m = XERO_TXN_ID.exec(txn.id);
  return m
    ? `${m[1]}-${tag}-4000-8${(n & 0xfff).toString(16).padStart(3, '0')}-${m[2]}`
    : stableUuid(`${txn.id}:${tag}:${n}`);
}

/** Xero identifies line items by UUID; the model numbers them within the transaction. */
export function lineItemId(txn: Txn, line: TxnLine): string {
  return derivedId(txn, '11e0', Number(line.id) || 0);
}

export function renderLineItem(ledger: CompanyLedger, txn: Txn, line: TxnLine): Record<string, unknown> {
  const account = accountOf(ledger, line.accountId);
  return {
    LineItemID: lineItemId(txn, line),
    Description: line.description,
    Quantity: 1,
    UnitAmount: money(line.amountMinor),
    ...(account ? { AccountCode: account.code, AccountID: account.id } : {}),
    TaxType: 'NONE',
    TaxAmount: 0,
    LineAmount: money(line.amountMinor),
    Tracking: lineTracking(ledger, line),
  };
}

export function renderBankTransaction(ledger: CompanyLedger, txn: Txn): Record<string, unknown> {
  const contact = contactRef(payeeOf(ledger, txn.payeeId));
  return {
    BankTransactionID: txn.id,
    Type: txn.kind === 'receive' ? 'RECEIVE' : 'SPEND',
    ...(contact ? { Contact: contact } : {}),
    LineItems: txn.lines.map((l) => renderLineItem(ledger, txn, l)),
    BankAccount: accountRef(accountOf(ledger, txn.bankAccountId)) ?? {},
    IsReconciled: txn.reconciled === true,
    Date: xeroDate(txn.date),
    ...(txn.memo ? { Reference: txn.memo } : {}),
    CurrencyCode: txn.currency,
    CurrencyRate: 1,
    Status: txn.deleted ? 'DELETED' : 'AUTHORISED',
    LineAmountTypes: 'NoTax',
    SubTotal: money(txn.totalMinor),
    TotalTax: 0,
    Total: money(txn.totalMinor),
    UpdatedDateUTC: msDate(txn.updatedAt),
    HasAttachments: false,
  };
}

export function renderManualJournal(ledger: CompanyLedger, txn: Txn): Record<string, unknown> {
  return {
    Date: xeroDate(txn.date),
    Status: txn.deleted ? 'DELETED' : 'POSTED',
    LineAmountTypes: 'NoTax',
    UpdatedDateUTC: msDate(txn.updatedAt),
    ManualJournalID: txn.id,
    Narration: txn.memo || 'Journal',
    JournalLines: txn.lines.map((l) => {
      const account = accountOf(ledger, l.accountId);
      return {
        ...(account ? { AccountID: account.id, AccountCode: account.code } : {}),
        Description: l.description,
        TaxType: 'NONE',
        LineAmount: money(l.posting === 'credit' ? -l.amountMinor : l.amountMinor),
        TaxAmount: 0,
        IsBlank: false,
        Tracking: lineTracking(ledger, l),
      };
    }),
    ShowOnCashBasisReports: true,
    HasAttachments: false,
  };
}

export function renderBankTransfer(ledger: CompanyLedger, txn: Txn): Record<string, unknown> {
  return {
    BankTransferID: txn.id,
    FromBankAccount: accountRef(accountOf(ledger, txn.bankAccountId)) ?? {},
    ToBankAccount: accountRef(ledger.account(txn.toAccountId)) ?? {},
    Amount: money(txn.totalMinor),
    Date: xeroDate(txn.date),
    CurrencyRate: 1,
    FromBankTransactionID: derivedId(txn, 'b7f0', 1),
    ToBankTransactionID: derivedId(txn, 'b7f0', 2),
    FromIsReconciled: false,
    ToIsReconciled: false,
    ...(txn.memo ? { Reference: txn.memo } : {}),
    HasAttachments: false,
    CreatedDateUTC: msDate(txn.createdAt),
    Status: txn.deleted ? 'DELETED' : 'AUTHORISED',
  };
}

// -------------------------------------------------------------- organisation

const VERSIONS: Record<string, string> = { US: 'US', GB: 'UK', UK: 'UK', AU: 'AU', NZ: 'NZ' };
const TIMEZONES: Record<string, string> = {
  US: 'EASTERNSTANDARDTIME',
  GB: 'GMTSTANDARDTIME',
  AU: 'AUSEASTERNSTANDARDTIME',
  NZ: 'NEWZEALANDSTANDARDTIME',
};
const CLASSES = new Set([
  'DEMO',
  'TRIAL',
  'STARTER',
  'STANDARD',
  'PREMIUM',
  'PREMIUM_20',
  'PREMIUM_50',
  'PREMIUM_100',
  'LEDGER',
  'GST_CASHBOOK',
  'NON_GST_CASHBOOK',
  'ULTIMATE',
  'LITE',
  'ULTIMATE_10',
  'ULTIMATE_20',
  'ULTIMATE_50',
  'ULTIMATE_100',
  'IGNITE',
  'GROW',
  'COMPREHENSIVE',
  'SIMPLE',
  'BASICLITE',
  'ULTRA',
]);

export function renderOrganisation(ledger: CompanyLedger): Record<string, unknown> {
  const d = ledger.def;
  const edition = d.edition.toUpperCase();
  return {
    OrganisationID: d.id,
    APIKey: '',
    Name: d.name,
    LegalName: d.legalName,
    PaysTax: true,
    Version: VERSIONS[d.country] ?? 'GLOBAL',
    OrganisationType: 'COMPANY',
    BaseCurrency: d.currency,
    CountryCode: d.country === 'UK' ? 'GB' : d.country,
    IsDemoCompany: false,
    OrganisationStatus: 'ACTIVE',
    FinancialYearEndDay: 31,
    FinancialYearEndMonth: 12,
    SalesTaxBasis: d.country === 'US' ? 'ACCRUAL' : 'ACCRUALS',
    SalesTaxPeriod: 'QUARTERLY',
    DefaultSalesTax: 'Tax Exclusive',
    DefaultPurchasesTax: 'Tax Exclusive',
    CreatedDateUTC: msDate(ledger.windowStart - 30 * 86_400_000),
    OrganisationEntityType: 'COMPANY',
    Timezone: TIMEZONES[d.country] ?? 'GREENWICHSTANDARDTIME',
    ShortCode: `!${d.id.replace(/[^a-z0-9]/gi, '').slice(0, 5)}`,
    // Xero's subscription plan ("edition" in the product's words) is Organisation.Class.
    Class: CLASSES.has(edition) ? edition : 'STANDARD',
    Edition: 'BUSINESS',
    LineOfBusiness: '',
    Addresses: [],
    Phones: [],
    ExternalLinks: [],
    PaymentTerms: {},
  };
}

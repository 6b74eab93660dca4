/**
 * The sandbox's provider-neutral ledger model. The QuickBooks and Xero routes render it in each
 * provider's own shapes. Money is integer minor units (cents), never floats.
 */
export type Provider = 'qbo' | 'xero';

export type AccountKind =
  | 'bank'
  | 'credit_card'
  | 'accounts_receivable'
  | 'accounts_payable'
  | 'current_asset'
  | 'fixed_asset'
  | 'current_liability'
  | 'equity'
  | 'income'
  | 'other_income'
  | 'cost_of_sales'
  | 'expense'
  | 'other_expense';

/** Which "we don't know yet" account this is, if any (S5). */
export type Uncategorized = 'expense' | 'income' | 'ask_accountant' | 'suspense';

export interface Account {
  id: string;
  code: string;
  name: string;
  kind: AccountKind;
  active: boolean;
  uncategorized?: Uncategorized;
  description?: string;
  /** Bank accounts: the last four digits shown in the ledger. */
  bankNumber?: string;
  createdAt: string;
  updatedAt: string;
}

export interface ClassDef {
  id: string;
  name: string;
  active: boolean;
  /**
   * Xero: the tracking category this class is an option of ('Department', 'Location'…). Unset for
   * a company with one category (today's default, 'Department') and in QuickBooks.
   */
  category?: string;
  createdAt: string;
  updatedAt: string;
}

export interface Payee {
  id: string;
  name: string;
  kind: 'vendor' | 'customer';
  email?: string;
  createdAt: string;
  updatedAt: string;
}

export type TxnKind =
  | 'spend' // QBO Purchase, Xero SPEND bank transaction
  | 'receive' // QBO Deposit, Xero RECEIVE bank transaction
  | 'journal' // QBO JournalEntry, Xero ManualJournal
  | 'transfer' // QBO Transfer, Xero BankTransfer
  | 'bill' // QBO Bill
  | 'bill_payment' // QBO BillPayment
  | 'invoice' // QBO Invoice
  | 'payment' // QBO Payment
  | 'sales_receipt'; // QBO SalesReceipt

export interface TxnLine {
  id: string;
  accountId: string;
  classId: string | null;
  /**
   * Xero only: the option of the organisation's second tracking category, if it has one. QuickBooks
   * uses `classId` alone.
   */
  classId2?: string | null;
  amountMinor: number;
  description: string;
  /** Journals only. */
  posting?: 'debit' | 'credit';
}

export interface Txn {
  id: string;
  /** Position in the company's sequence: base transactions are generated from it. */
  index: number;
  kind: TxnKind;
  /** YYYY-MM-DD */
  date: string;
  currency: string;
  payeeId: string | null;
  /** The bank or card account money left or entered (spend, receive, transfer source, payments). */
  bankAccountId: string | null;
  /** Transfer destination. */
  toAccountId: string | null;
  lines: TxnLine[];
  totalMinor: number;
  memo: string;
  docNumber: string;
  paymentType?: 'Cash' | 'Check' | 'CreditCard';
  createdAt: string;
  updatedAt: string;
  /** QuickBooks' optimistic-concurrency version, as a number (rendered as a string). */
  syncToken: number;
  deleted: boolean;
  /**
   * Xero bank transactions only: matched with a bank statement line (set through the control API).
   * Xero then refuses changes to the transaction.
   */
  reconciled?: boolean;
}

export type ClassTracking = 'off' | 'per_txn' | 'per_line';

export interface CompanyDef {
  /** QuickBooks realm id (digits) or Xero tenant id (UUID). */
  id: string;
  provider: Provider;
  name: string;
  legalName: string;
  country: string;
  currency: string;
  /** QuickBooks: "QuickBooks Online Plus"…; Xero: "STANDARD"… */
  edition: string;
  classTracking: ClassTracking;
  transactions: number;
  /** Share (0–1) of spend/receive lines left uncategorized. */
  uncategorizedShare: number;
  /** Share (0–1) of lines that carry a class, where class tracking is on. */
  classShare: number;
  /** Xero only: whether the payroll and fixed-assets products are connected. */
  payroll?: boolean;
  fixedAssets?: boolean;
  /**
   * Xero only: the organisation's tracking categories (at most two, as in Xero). Unset means one
   * category, 'Department', whose options are the generated classes. `classId` takes options of the
   * first category, `classId2` of the second.
   */
  trackingCategories?: string[];
  /** The seed every generated value derives from. */
  seed: string;
}

export interface ChangeRecord {
  seq: number;
  at: string;
  entity: 'Account' | 'Class' | 'Payee' | 'Txn';
  id: string;
  kind?: TxnKind;
  operation: 'Create' | 'Update' | 'Delete';
}

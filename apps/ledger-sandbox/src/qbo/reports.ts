import type { CompanyLedger } from '../model/company-ledger';
import type { Account, AccountKind, Txn } from '../model/ledger';
import { faults, qboTime } from './errors';
import type { QboObject } from './entities';

/**
 * ProfitAndLoss and BalanceSheet in QuickBooks' Report JSON (Report.xsd: Header, Columns, Rows of
 * Section/Data rows with Header/Summary ColData; amounts are strings with two decimals), computed
 * from the ledger's postings. One "Total" column (summarize_column_by is not modelled).
 * Cash basis: invoices and bills (and the payments of them, which the model cannot trace to
 * income or expense accounts) are left out.
 */

export type Basis = 'Accrual' | 'Cash';

/** Debit-positive postings of one transaction, in cents. */
export function postings(t: Txn, ledger: CompanyLedger): { accountId: string; minor: number }[] {
  const out: { accountId: string; minor: number }[] = [];
  const byKind = (k: AccountKind) => ledger.accounts.find((a) => a.kind === k)?.id;
  const sum = t.lines.reduce((s, l) => s + l.amountMinor, 0);
  const push = (accountId: string | null | undefined, minor: number) => {
    if (accountId && minor) out.push({ accountId, minor });
  };
  switch (t.kind) {
    case 'spend':
    case 'bill':
      for (const l of t.lines) push(l.accountId, l.amountMinor);
      push(t.kind === 'spend' ? t.bankAccountId : byKind('accounts_payable'), -sum);
      break;
    case 'receive':
    case 'invoice':
    case 'sales_receipt':
      for (const l of t.lines) push(l.accountId, -l.amountMinor);
      push(t.kind === 'invoice' ? byKind('accounts_receivable') : t.bankAccountId, sum);
      break;
    case 'journal':
      for (const l of t.lines) push(l.accountId, l.posting === 'credit' ? -l.amountMinor : l.amountMinor);
      break;
    case 'transfer':
      push(t.bankAccountId, -sum);
      for (const l of t.lines) push(t.toAccountId ?? l.accountId, l.amountMinor);
      break;
    case 'bill_payment':
      for (const l of t.lines) push(l.accountId, l.amountMinor);
      push(t.bankAccountId, -sum);
      break;
    case 'payment':
      for (const l of t.lines) push(l.accountId, -l.amountMinor);
      push(t.bankAccountId, sum);
      break;
  }
  return out;
}

const CASH_EXCLUDED = new Set<Txn['kind']>(['invoice', 'bill', 'payment', 'bill_payment']);
const MARGIN = 2;
const addDays = (date: string, n: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/** Every live transaction dated in [from, to] (inclusive; from undefined = the beginning). */
export function* transactionsBetween(
  ledger: CompanyLedger,
  from: string | undefined,
  to: string,
): Generator<Txn> {
  const touched = new Set<number>();
  for (const c of ledger.changesSince(new Date(0).toISOString())) {
    if (c.entity !== 'Txn') continue;
    const i = ledger.txnIndexOf(c.id);
    if (i !== undefined) touched.add(i);
  }
  const lo = from ? Math.max(0, ledger.firstIndexOnOrAfter(from) - MARGIN) : 0;
  const hi = Math.min(ledger.baseCount, ledger.firstIndexOnOrAfter(addDays(to, 1)) + MARGIN);
  const inRange = (t: Txn) => !t.deleted && (!from || t.date >= from) && t.date <= to;
  for (let i = lo; i < hi; i++) {
    if (touched.has(i)) continue;
    const t = ledger.txn(i)!;
    if (inRange(t)) yield t;
  }
  for (const i of touched) {
    const t = ledger.txn(i);
    if (t && inRange(t)) yield t;
  }
}

/** Per-account sums (cents, debit-positive) over [from, to]; also over [splitFrom, to] when asked (one pass). */
function balances(
  ledger: CompanyLedger,
  from: string | undefined,
  to: string,
  basis: Basis,
  splitFrom?: string,
): { all: Map<string, number>; split: Map<string, number> } {
  const all = new Map<string, number>();
  const split = new Map<string, number>();
  for (const t of transactionsBetween(ledger, from, to)) {
    if (basis === 'Cash' && CASH_EXCLUDED.has(t.kind)) continue;
    const inSplit = splitFrom !== undefined && t.date >= splitFrom;
    for (const p of postings(t, ledger)) {
      all.set(p.accountId, (all.get(p.accountId) ?? 0) + p.minor);
      if (inSplit) split.set(p.accountId, (split.get(p.accountId) ?? 0) + p.minor);
    }
  }
  return { all, split };
}

const amount = (minor: number) => (minor / 100).toFixed(2);
const PL_KINDS: AccountKind[] = ['income', 'other_income', 'cost_of_sales', 'expense', 'other_expense'];
const CREDIT_NORMAL = new Set<AccountKind>([
  'income',
  'other_income',
  'credit_card',
  'accounts_payable',
  'current_liability',
  'equity',
]);

/** A section's data rows (accounts with a non-zero amount) and its total, with the account's normal sign. */
function accountRows(
  accounts: Account[],
  bal: Map<string, number>,
  extra: { name: string; minor: number }[] = [],
): { rows: QboObject[]; total: number } {
  const rows: QboObject[] = [];
  let total = 0;
  for (const a of accounts) {
    const raw = bal.get(a.id) ?? 0;
    const v = CREDIT_NORMAL.has(a.kind) ? -raw : raw;
    if (!v) continue;
    total += v;
    rows.push({ ColData: [{ value: a.name, id: a.id }, { value: amount(v) }], type: 'Data' });
  }
  for (const e of extra) {
    if (!e.minor) continue;
    total += e.minor;
    rows.push({ ColData: [{ value: e.name }, { value: amount(e.minor) }], type: 'Data' });
  }
  return { rows, total };
}

function section(
  group: string,
  title: string | undefined,
  body: { rows: QboObject[] } | undefined,
  summaryTitle: string,
  total: number,
): QboObject {
  return {
    ...(title !== undefined ? { Header: { ColData: [{ value: title }, { value: '' }] } } : {}),
    ...(body && body.rows.length ? { Rows: { Row: body.rows } } : {}),
    Summary: { ColData: [{ value: summaryTitle }, { value: amount(total) }] },
    type: 'Section',
    group,
  };
}

export interface ReportParams {
  start_date?: string;
  end_date?: string;
  date_macro?: string;
  accounting_method?: string;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The period a report covers: explicit dates, a date macro, or this fiscal year to date (QuickBooks' default). */
export function reportPeriod(p: ReportParams, todayIso: string): { start: string; end: string } {
  const today = todayIso.slice(0, 10);
  const year = today.slice(0, 4);
  const month = today.slice(0, 7);
  const monthStart = `${month}-01`;
  const lastMonthEnd = addDays(monthStart, -1);
  const macros: Record<string, { start: string; end: string }> = {
    today: { start: today, end: today },
    'this month': {
      start: monthStart,
      end: addDays(
        `${new Date(Date.parse(`${monthStart}T00:00:00Z`) + 32 * 86_400_000).toISOString().slice(0, 7)}-01`,
        -1,
      ),
    },
    'this month-to-date': { start: monthStart, end: today },
    'last month': { start: `${lastMonthEnd.slice(0, 7)}-01`, end: lastMonthEnd },
    'this fiscal year': { start: `${year}-01-01`, end: `${year}-12-31` },
    'this fiscal year-to-date': { start: `${year}-01-01`, end: today },
    'last fiscal year': { start: `${Number(year) - 1}-01-01`, end: `${Number(year) - 1}-12-31` },
    'this calendar year': { start: `${year}-01-01`, end: `${year}-12-31` },
    'this calendar year-to-date': { start: `${year}-01-01`, end: today },
  };
  let period = { start: `${year}-01-01`, end: today };
  if (p.date_macro) {
    const m = macros[p.date_macro.toLowerCase()];
    if (!m) throw faults.invalidRequest(`date_macro '${p.date_macro}' is not supported by the sandbox`);
    period = m;
  }
  for (const k of ['start_date', 'end_date'] as const) {
    const v = p[k];
    if (v !== undefined && (!DATE.test(v) || Number.isNaN(Date.parse(v))))
      throw faults.invalidRequest(`${k} must be a date such as 2026-01-31`);
  }
  if (p.start_date) period.start = p.start_date;
  if (p.end_date) period.end = p.end_date;
  if (period.start > period.end) throw faults.invalidRequest('start_date must not be after end_date');
  return period;
}

export function reportBasis(p: ReportParams): Basis {
  const m = (p.accounting_method ?? 'Accrual').toLowerCase();
  if (m !== 'accrual' && m !== 'cash')
    throw faults.invalidRequest(`accounting_method must be Cash or Accrual`);
  return m === 'cash' ? 'Cash' : 'Accrual';
}

function header(
  ledger: CompanyLedger,
  name: string,
  basis: Basis,
  start: string,
  end: string,
  now: number,
  empty: boolean,
): QboObject {
  return {
    Time: qboTime(now),
    ReportName: name,
    ReportBasis: basis,
    StartPeriod: start,
    EndPeriod: end,
    SummarizeColumnsBy: 'Total',
    Currency: ledger.def.currency,
    Option: [
      { Name: 'AccountingStandard', Value: 'GAAP' },
      { Name: 'NoReportData', Value: String(empty) },
    ],
  };
}

const COLUMNS = {
  Column: [
    { ColTitle: '', ColType: 'Account', MetaData: [{ Name: 'ColKey', Value: 'account' }] },
    { ColTitle: 'Total', ColType: 'Money', MetaData: [{ Name: 'ColKey', Value: 'total' }] },
  ],
};

const ofKind = (ledger: CompanyLedger, ...kinds: AccountKind[]) =>
  ledger.accounts.filter((a) => kinds.includes(a.kind));

/** Net income (cents) from P&L postings. */
function netIncome(ledger: CompanyLedger, bal: Map<string, number>): number {
  let n = 0;
  for (const a of ledger.accounts) if (PL_KINDS.includes(a.kind)) n -= bal.get(a.id) ?? 0;
  return n;
}

export function profitAndLoss(ledger: CompanyLedger, p: ReportParams, now: number): QboObject {
  const { start, end } = reportPeriod(p, qboTime(now));
  const basis = reportBasis(p);
  const bal = balances(ledger, start, end, basis).all;
  const income = accountRows(ofKind(ledger, 'income'), bal);
  const cogs = accountRows(ofKind(ledger, 'cost_of_sales'), bal);
  const expenses = accountRows(ofKind(ledger, 'expense'), bal);
  const otherIncome = accountRows(ofKind(ledger, 'other_income'), bal);
  const otherExpenses = accountRows(ofKind(ledger, 'other_expense'), bal);
  const gross = income.total - cogs.total;
  const operating = gross - expenses.total;
  const other = otherIncome.total - otherExpenses.total;
  const empty = [income, cogs, expenses, otherIncome, otherExpenses].every((s) => !s.rows.length);
  return {
    Header: header(ledger, 'ProfitAndLoss', basis, start, end, now, empty),
    Columns: COLUMNS,
    Rows: {
      Row: [
        section('Income', 'Income', income, 'Total Income', income.total),
        section('COGS', 'Cost of Goods Sold', cogs, 'Total Cost of Goods Sold', cogs.total),
        section('GrossProfit', undefined, undefined, 'Gross Profit', gross),
        section('Expenses', 'Expenses', expenses, 'Total Expenses', expenses.total),
        section('NetOperatingIncome', undefined, undefined, 'Net Operating Income', operating),
        section('OtherIncome', 'Other Income', otherIncome, 'Total Other Income', otherIncome.total),
        section(
          'OtherExpenses',
          'Other Expenses',
          otherExpenses,
          'Total Other Expenses',
          otherExpenses.total,
        ),
        section('NetOtherIncome', undefined, undefined, 'Net Other Income', other),
        section('NetIncome', undefined, undefined, 'Net Income', operating + other),
      ],
    },
  };
}

export function balanceSheet(ledger: CompanyLedger, p: ReportParams, now: number): QboObject {
  const { start, end } = reportPeriod(p, qboTime(now));
  const basis = reportBasis(p);
  // Equity: earnings before this fiscal year are retained earnings; this year's are Net Income.
  const fiscalStart = `${end.slice(0, 4)}-01-01`;
  const { all: bal, split } = balances(ledger, undefined, end, basis, fiscalStart);
  const thisYear = netIncome(ledger, split);
  const retained = netIncome(ledger, bal) - thisYear;

  const bank = accountRows(ofKind(ledger, 'bank'), bal);
  const ar = accountRows(ofKind(ledger, 'accounts_receivable'), bal);
  const otherCurrent = accountRows(ofKind(ledger, 'current_asset'), bal);
  const currentAssets = bank.total + ar.total + otherCurrent.total;
  const fixed = accountRows(ofKind(ledger, 'fixed_asset'), bal);
  const assets = currentAssets + fixed.total;

  const ap = accountRows(ofKind(ledger, 'accounts_payable'), bal);
  const cards = accountRows(ofKind(ledger, 'credit_card'), bal);
  const otherLiab = accountRows(ofKind(ledger, 'current_liability'), bal);
  const currentLiab = ap.total + cards.total + otherLiab.total;
  const retainedAccount = ledger.accounts.find((a) => a.kind === 'equity' && /retained/i.test(a.name));
  const equityAccounts = ofKind(ledger, 'equity').filter((a) => a !== retainedAccount);
  const equity = accountRows(equityAccounts, bal, [
    {
      name: retainedAccount?.name ?? 'Retained Earnings',
      minor: retained - (retainedAccount ? (bal.get(retainedAccount.id) ?? 0) : 0),
    },
    { name: 'Net Income', minor: thisYear },
  ]);
  const liabilitiesAndEquity = currentLiab + equity.total;
  const nest = (rows: QboObject[]) => ({ rows });

  return {
    Header: header(ledger, 'BalanceSheet', basis, start, end, now, !bal.size),
    Columns: COLUMNS,
    Rows: {
      Row: [
        section(
          'TotalAssets',
          'ASSETS',
          nest([
            section(
              'CurrentAssets',
              'Current Assets',
              nest([
                section('BankAccounts', 'Bank Accounts', bank, 'Total Bank Accounts', bank.total),
                section('AR', 'Accounts Receivable', ar, 'Total Accounts Receivable', ar.total),
                section(
                  'OtherCurrentAssets',
                  'Other Current Assets',
                  otherCurrent,
                  'Total Other Current Assets',
                  otherCurrent.total,
                ),
              ]),
              'Total Current Assets',
              currentAssets,
            ),
            section('FixedAssets', 'Fixed Assets', fixed, 'Total Fixed Assets', fixed.total),
          ]),
          'TOTAL ASSETS',
          assets,
        ),
        section(
          'TotalLiabilitiesAndEquity',
          'LIABILITIES AND EQUITY',
          nest([
            section(
              'Liabilities',
              'Liabilities',
              nest([
                section(
                  'CurrentLiabilities',
                  'Current Liabilities',
                  nest([
                    section('AP', 'Accounts Payable', ap, 'Total Accounts Payable', ap.total),
                    section('CreditCards', 'Credit Cards', cards, 'Total Credit Cards', cards.total),
                    section(
                      'OtherCurrentLiabilities',
                      'Other Current Liabilities',
                      otherLiab,
                      'Total Other Current Liabilities',
                      otherLiab.total,
                    ),
                  ]),
                  'Total Current Liabilities',
                  currentLiab,
                ),
              ]),
              'Total Liabilities',
              currentLiab,
            ),
            section('Equity', 'Equity', equity, 'Total Equity', equity.total),
          ]),
          'TOTAL LIABILITIES AND EQUITY',
          liabilitiesAndEquity,
        ),
      ],
    },
  };
}

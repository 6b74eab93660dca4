import type { CompanyLedger } from '../model/company-ledger';
import type { Account, Txn } from '../model/ledger';
import { msDate } from './render';

/**
 * Reports/ProfitAndLoss and Reports/BalanceSheet computed from the ledger's transactions, in
 * Xero's report shape: Reports[0].Rows = Header, Sections (Rows of Row / SummaryRow), Cells with
 * string Values and an "account" attribute on account rows.
 */

type Cell = { Value: string; Attributes?: { Value: string; Id: string }[] };
type Row = { RowType: 'Header' | 'Row' | 'SummaryRow'; Cells: Cell[] };
type Section = { RowType: 'Header' | 'Section'; Title?: string; Rows?: Row[]; Cells?: Cell[] };

const DAY = 86_400_000;
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

const amount = (minor: number) => (Math.round(minor) / 100).toFixed(2);
const longDate = (ymd: string) => {
  const [y, m, d] = ymd.split('-').map(Number);
  return `${d} ${MONTHS[m - 1]} ${y}`;
};
const shortDate = (ymd: string) => {
  const [y, m, d] = ymd.split('-').map(Number);
  return `${d} ${MONTHS[m - 1].slice(0, 3)} ${y}`;
};
const ymdOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export const isYmd = (s: unknown): s is string =>
  typeof s === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`));

/** Debit-positive postings of one transaction: [accountId, amount, classId, classId2]. */
function postings(t: Txn): [string, number, string | null, (string | null)?][] {
  const out: [string, number, string | null, (string | null)?][] = [];
  switch (t.kind) {
    case 'spend':
      for (const l of t.lines) out.push([l.accountId, l.amountMinor, l.classId, l.classId2]);
      if (t.bankAccountId) out.push([t.bankAccountId, -t.totalMinor, null]);
      break;
    case 'receive':
      for (const l of t.lines) out.push([l.accountId, -l.amountMinor, l.classId, l.classId2]);
      if (t.bankAccountId) out.push([t.bankAccountId, t.totalMinor, null]);
      break;
    case 'journal':
      for (const l of t.lines)
        out.push([l.accountId, l.posting === 'credit' ? -l.amountMinor : l.amountMinor, l.classId, l.classId2]);
      break;
    case 'transfer':
      if (t.bankAccountId) out.push([t.bankAccountId, -t.totalMinor, null]);
      if (t.toAccountId) out.push([t.toAccountId, t.totalMinor, null]);
      break;
    default:
      break;
  }
  return out;
}

/** Debit-positive balances per account of the live transactions dated in [from, to] (inclusive). */
export function balances(
  ledger: CompanyLedger,
  from: string | undefined,
  to: string,
  classId?: string,
): Map<string, number> {
  const sums = new Map<string, number>();
  const changed = new Set<number>();
  for (const c of ledger.changesSince('1970-01-01T00:00:00.000Z')) {
    if (c.entity !== 'Txn') continue;
    const i = ledger.txnIndexOf(c.id);
    if (i !== undefined) changed.add(i);
  }
  const start = from ? ledger.firstIndexOnOrAfter(from) : 0;
  const end = ledger.firstIndexOnOrAfter(ymdOf(Date.parse(`${to}T00:00:00Z`) + DAY));
  const visit = (i: number) => {
    const t = ledger.txn(i);
    if (!t || t.deleted || t.date > to || (from && t.date < from)) return;
    for (const [acc, amt, cls, cls2] of postings(t)) {
      if (classId && cls !== classId && cls2 !== classId) continue;
      sums.set(acc, (sums.get(acc) ?? 0) + amt);
    }
  };
  // Base transactions are dated in index order; edited and added ones may be anywhere.
  for (let i = Math.max(0, start - 1); i < Math.min(ledger.baseCount, end + 1); i++)
    if (!changed.has(i)) visit(i);
  for (const i of changed) visit(i);
  for (let i = ledger.baseCount; i < ledger.count; i++) if (!changed.has(i)) visit(i);
  return sums;
}

const accountCell = (a: Account, value: string): Cell => ({
  Value: value,
  Attributes: [{ Value: a.id, Id: 'account' }],
});

function accountRows(
  accounts: Account[],
  sums: Map<string, number>,
  sign: 1 | -1,
): { rows: Row[]; total: number } {
  let total = 0;
  const rows: Row[] = [];
  for (const a of accounts) {
    const v = (sums.get(a.id) ?? 0) * sign;
    if (v === 0) continue;
    total += v;
    rows.push({ RowType: 'Row', Cells: [accountCell(a, a.name), accountCell(a, amount(v))] });
  }
  return { rows, total };
}

function report(now: number, id: string, name: string, titles: string[], date: string, rows: Section[]) {
  return {
    Reports: [
      {
        ReportID: id,
        ReportName: name,
        ReportType: id,
        ReportTitles: titles,
        ReportDate: longDate(date),
        UpdatedDateUTC: msDate(now),
        Fields: [],
        Rows: rows,
      },
    ],
  };
}

const byKind = (ledger: CompanyLedger, ...kinds: Account['kind'][]) =>
  ledger.accounts.filter((a) => kinds.includes(a.kind));

/** Net profit (minor units, credit-positive) of a balances map. */
function netProfit(ledger: CompanyLedger, sums: Map<string, number>): number {
  let p = 0;
  for (const a of byKind(ledger, 'income', 'other_income', 'cost_of_sales', 'expense', 'other_expense'))
    p -= sums.get(a.id) ?? 0;
  return p;
}

export function profitAndLoss(
  ledger: CompanyLedger,
  now: number,
  q: { fromDate?: string; toDate?: string; trackingOptionID?: string },
) {
  const today = ymdOf(now);
  const [y, m] = today.split('-').map(Number);
  const monthStart = `${today.slice(0, 7)}-01`;
  const monthEnd = ymdOf(Date.UTC(y, m, 0));
  const from = q.fromDate ?? monthStart;
  const to = q.toDate ?? monthEnd;
  const sums = balances(ledger, from, to, q.trackingOptionID);
  const income = accountRows(byKind(ledger, 'income'), sums, -1);
  const cos = accountRows(byKind(ledger, 'cost_of_sales'), sums, 1);
  const other = accountRows(byKind(ledger, 'other_income'), sums, -1);
  const expenses = accountRows(byKind(ledger, 'expense', 'other_expense'), sums, 1);
  const gross = income.total - cos.total;
  const net = gross + other.total - expenses.total;
  const rows: Section[] = [{ RowType: 'Header', Cells: [{ Value: '' }, { Value: shortDate(to) }] }];
  const section = (title: string, part: { rows: Row[]; total: number }, totalLabel: string) => {
    if (part.rows.length)
      rows.push({
        RowType: 'Section',
        Title: title,
        Rows: [
          ...part.rows,
          { RowType: 'SummaryRow', Cells: [{ Value: totalLabel }, { Value: amount(part.total) }] },
        ],
      });
  };
  section('Income', income, 'Total Income');
  section('Less Cost of Sales', cos, 'Total Cost of Sales');
  rows.push({
    RowType: 'Section',
    Title: '',
    Rows: [{ RowType: 'Row', Cells: [{ Value: 'Gross Profit' }, { Value: amount(gross) }] }],
  });
  section('Plus Other Income', other, 'Total Other Income');
  section('Less Operating Expenses', expenses, 'Total Operating Expenses');
  rows.push({
    RowType: 'Section',
    Title: '',
    Rows: [{ RowType: 'Row', Cells: [{ Value: 'Net Profit' }, { Value: amount(net) }] }],
  });
  return report(
    now,
    'ProfitAndLoss',
    'Profit and Loss',
    ['Profit and Loss', ledger.def.name, `For the period ${longDate(from)} to ${longDate(to)}`],
    to,
    rows,
  );
}

export function balanceSheet(
  ledger: CompanyLedger,
  now: number,
  q: { date?: string; trackingOptionID1?: string },
) {
  const [y, m] = ymdOf(now).split('-').map(Number);
  const date = q.date ?? ymdOf(Date.UTC(y, m, 0));
  const sums = balances(ledger, undefined, date, q.trackingOptionID1);
  const fyStart = `${date.slice(0, 4)}-01-01`;
  const yearSums = balances(ledger, fyStart, date, q.trackingOptionID1);
  const currentYear = netProfit(ledger, yearSums);
  const retained = netProfit(ledger, sums) - currentYear;

  const bank = accountRows(byKind(ledger, 'bank', 'credit_card'), sums, 1);
  const current = accountRows(byKind(ledger, 'accounts_receivable', 'current_asset'), sums, 1);
  const fixed = accountRows(byKind(ledger, 'fixed_asset'), sums, 1);
  const liab = accountRows(byKind(ledger, 'accounts_payable', 'current_liability'), sums, -1);
  const equityAccounts = byKind(ledger, 'equity');
  const re = equityAccounts.find((a) => a.name === 'Retained Earnings');
  const eq = accountRows(
    equityAccounts.filter((a) => a !== re),
    sums,
    -1,
  );
  const reValue = retained - (re ? (sums.get(re.id) ?? 0) : 0);
  const totalAssets = bank.total + current.total + fixed.total;
  const totalEquity = eq.total + currentYear + reValue;

  const rows: Section[] = [{ RowType: 'Header', Cells: [{ Value: '' }, { Value: shortDate(date) }] }];
  const section = (title: string, part: { rows: Row[]; total: number }, totalLabel: string) => {
    if (part.rows.length)
      rows.push({
        RowType: 'Section',
        Title: title,
        Rows: [
          ...part.rows,
          { RowType: 'SummaryRow', Cells: [{ Value: totalLabel }, { Value: amount(part.total) }] },
        ],
      });
  };
  rows.push({ RowType: 'Section', Title: 'Assets', Rows: [] });
  section('Bank', bank, 'Total Bank');
  section('Current Assets', current, 'Total Current Assets');
  section('Fixed Assets', fixed, 'Total Fixed Assets');
  rows.push({
    RowType: 'Section',
    Title: '',
    Rows: [{ RowType: 'SummaryRow', Cells: [{ Value: 'Total Assets' }, { Value: amount(totalAssets) }] }],
  });
  rows.push({ RowType: 'Section', Title: 'Liabilities', Rows: [] });
  section('Current Liabilities', liab, 'Total Current Liabilities');
  rows.push({
    RowType: 'Section',
    Title: '',
    Rows: [{ RowType: 'SummaryRow', Cells: [{ Value: 'Total Liabilities' }, { Value: amount(liab.total) }] }],
  });
  rows.push({
    RowType: 'Section',
    Title: '',
    Rows: [{ RowType: 'Row', Cells: [{ Value: 'Net Assets' }, { Value: amount(totalAssets - liab.total) }] }],
  });
  rows.push({
    RowType: 'Section',
    Title: 'Equity',
    Rows: [
      { RowType: 'Row', Cells: [{ Value: 'Current Year Earnings' }, { Value: amount(currentYear) }] },
      ...(re
        ? [{ RowType: 'Row' as const, Cells: [accountCell(re, re.name), accountCell(re, amount(reValue))] }]
        : []),
      ...eq.rows,
      { RowType: 'SummaryRow', Cells: [{ Value: 'Total Equity' }, { Value: amount(totalEquity) }] },
    ],
  });
  return report(
    now,
    'BalanceSheet',
    'Balance Sheet',
    ['Balance Sheet', ledger.def.name, `As at ${longDate(date)}`],
    date,
    rows,
  );
}

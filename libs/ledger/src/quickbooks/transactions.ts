import type { LedgerLine, LedgerRef, LedgerTransaction } from '../ledger-provider';

/**
 * QuickBooks Online v3 JSON → LedgerTransaction. Pure functions, one pass over each object's lines.
 * Money: every JSON number is turned into integer cents as it is read, summed and signed as an
 * integer, and only formatted back ("-12.50") at the end; no float arithmetic on amounts.
 */

/** The transaction entities the product keeps, in the order a backfill reads them. */
export const QBO_TRANSACTION_TYPES = [
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
export type QboTransactionType = (typeof QBO_TRANSACTION_TYPES)[number];

const TYPE_SET: ReadonlySet<string> = new Set(QBO_TRANSACTION_TYPES);
export const isQboTransactionType = (t: string): t is QboTransactionType => TYPE_SET.has(t);

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

/** Money out of the business (negative); the others are positive. */
const MONEY_OUT: ReadonlySet<string> = new Set(['Purchase', 'Bill', 'BillPayment']);

// ------------------------------------------------------------------ money

/**
 * A JSON amount (number, or a numeric string) in integer cents. Amounts with two decimals (all
 * QuickBooks amounts) are exact as `n * 100` rounded; anything finer is rounded half away from
 * zero on the number's own decimal form ("0.285" → 29, where 0.285 * 100 is 28.499999…).
 */
export function toCents(v: unknown): number {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  if (!Number.isFinite(n)) return 0;
  const abs = n < 0 ? -n : n;
  const scaled = abs * 100;
  let cents = Math.round(scaled);
  if (Math.abs(scaled - cents) > 1e-6) cents = roundDecimal(abs);
  return n < 0 ? -cents : cents;
}

/** A non-negative number's decimal form rounded to cents, half away from zero. */
function roundDecimal(abs: number): number {
  const s = String(abs);
  const dot = s.indexOf('.');
  if (dot < 0 || s.includes('e')) return Math.round(abs * 100);
  const frac = `${s.slice(dot + 1)}000`;
  const cents = Number(s.slice(0, dot)) * 100 + Number(frac.slice(0, 2));
  return frac.charCodeAt(2) >= 53 /* '5' */ ? cents + 1 : cents;
}

/** Integer cents → "1234.00" / "-12.50" (never "-0.00"). */
export function formatCents(cents: number): string {
  const neg = cents < 0;
  const abs = neg ? -cents : cents;
  const whole = Math.floor(abs / 100);
  const frac = abs - whole * 100;
  return `${neg && abs !== 0 ? '-' : ''}${whole}.${frac < 10 ? '0' : ''}${frac}`;
}

// ------------------------------------------------------------------ helpers

/** A QuickBooks reference ({value, name}) → LedgerRef; null without a value. */
export function qboRef(ref: unknown): LedgerRef | null {
  if (!ref || typeof ref !== 'object') return null;
  const r = ref as { value?: unknown; name?: unknown };
  if (r.value === undefined || r.value === null || r.value === '') return null;
  return { id: String(r.value), name: typeof r.name === 'string' ? r.name : '' };
}

function payeeOf(ref: unknown): { id: string | null; name: string } | null {
  if (!ref || typeof ref !== 'object') return null;
  const r = ref as { value?: unknown; name?: unknown };
  const id = r.value === undefined || r.value === null || r.value === '' ? null : String(r.value);
  const name = typeof r.name === 'string' ? r.name : '';
  return id === null && !name ? null : { id, name };
}

/** QuickBooks times ("2026-11-20T10:00:00-08:00") → ISO 8601 UTC; '' when absent or unreadable. */
export function qboTimeToIso(v: unknown): string {
  if (typeof v !== 'string' || !v) return '';
  const ms = Date.parse(v);
  return Number.isNaN(ms) ? '' : new Date(ms).toISOString();
}

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** Line detail types that are not lines of the transaction (totals, text-only rows). */
const NOT_A_LINE: ReadonlySet<string> = new Set(['SubTotalLineDetail', 'DescriptionOnly']);

// ------------------------------------------------------------------ mapping

/**
 * One QuickBooks transaction (as the query endpoint or CDC returns it) → LedgerTransaction.
 * CDC's deleted objects ({Id, status: "Deleted", MetaData}) map to the deleted shape.
 */
export function mapQboTransaction(type: string, obj: Json): LedgerTransaction {
  if (obj.status === 'Deleted') return mapQboDeleted(type, obj);

  const lines: LedgerLine[] = [];
  let firstAccount: LedgerRef | null = null;
  let firstClass: LedgerRef | null = null;
  let firstDescription: string | null = null;
  let lineEntity: unknown = undefined;
  let debitCents = 0;
  let lineCents = 0;

  const raw = obj.Line;
  if (Array.isArray(raw)) {
    for (let i = 0; i < raw.length; i++) {
      const line = raw[i] as Json;
      if (!line || typeof line !== 'object') continue;
      const detailType: unknown = line.DetailType;
      if (typeof detailType === 'string' && NOT_A_LINE.has(detailType)) continue;
      const detail: Json | undefined =
        typeof detailType === 'string' && line[detailType] && typeof line[detailType] === 'object'
          ? (line[detailType] as Json)
          : undefined;
      const cents = toCents(line.Amount);
      const abs = cents < 0 ? -cents : cents;
      let account: LedgerRef | null = null;
      let cls: LedgerRef | null = null;
      let posting: 'debit' | 'credit' | null = null;
      if (detail) {
        account = qboRef(detail.AccountRef ?? detail.ItemAccountRef);
        cls = qboRef(detail.ClassRef);
        if (detailType === 'JournalEntryLineDetail') {
          posting = detail.PostingType === 'Credit' ? 'credit' : 'debit';
          if (posting === 'debit') debitCents += abs;
          if (lineEntity === undefined && detail.Entity) lineEntity = detail.Entity.EntityRef;
        } else if (detailType === 'DepositLineDetail') {
          if (lineEntity === undefined && detail.Entity) lineEntity = detail.Entity;
        }
      }
      const description = str(line.Description);
      if (firstAccount === null) firstAccount = account;
      if (firstClass === null) firstClass = cls;
      if (firstDescription === null) firstDescription = description;
      lineCents += cents;
      lines.push({
        id: line.Id === undefined || line.Id === null ? null : String(line.Id),
        amount: formatCents(abs),
        account,
        classes: cls ? [cls] : [],
        description,
        posting,
      });
    }
  }

  const total =
    obj.TotalAmt !== undefined
      ? toCents(obj.TotalAmt)
      : obj.Amount !== undefined
        ? toCents(obj.Amount)
        : lineCents;

  let amount: number;
  let payee: { id: string | null; name: string } | null = null;
  let bankAccount: LedgerRef | null = null;
  let account: LedgerRef | null = firstAccount;
  switch (type) {
    case 'Purchase':
      // A card credit (Credit: true) is money back onto the card.
      amount = obj.Credit === true ? total : -total;
      payee = payeeOf(obj.EntityRef);
      bankAccount = qboRef(obj.AccountRef);
      break;
    case 'Deposit':
      amount = total;
      payee = payeeOf(lineEntity);
      bankAccount = qboRef(obj.DepositToAccountRef);
      break;
    case 'JournalEntry':
      amount = debitCents;
      payee = payeeOf(lineEntity);
      break;
    case 'Transfer':
      amount = total < 0 ? -total : total;
      bankAccount = qboRef(obj.FromAccountRef);
      account = qboRef(obj.ToAccountRef);
      break;
    case 'Bill':
      amount = -total;
      payee = payeeOf(obj.VendorRef);
      break;
    case 'BillPayment':
      amount = -total;
      payee = payeeOf(obj.VendorRef);
      bankAccount = qboRef(obj.CheckPayment?.BankAccountRef ?? obj.CreditCardPayment?.CCAccountRef);
      account = qboRef(obj.APAccountRef);
      break;
    case 'Payment':
      amount = total;
      payee = payeeOf(obj.CustomerRef);
      bankAccount = qboRef(obj.DepositToAccountRef);
      account = qboRef(obj.ARAccountRef);
      break;
    case 'Invoice':
    case 'SalesReceipt':
      amount = total;
      payee = payeeOf(obj.CustomerRef);
      bankAccount = qboRef(obj.DepositToAccountRef);
      break;
    default:
      amount = MONEY_OUT.has(type) ? -total : total;
      payee = payeeOf(obj.EntityRef ?? obj.VendorRef ?? obj.CustomerRef);
  }

  return {
    type,
    id: String(obj.Id),
    date: typeof obj.TxnDate === 'string' ? obj.TxnDate.slice(0, 10) : '',
    amount: formatCents(amount),
    currency: str(obj.CurrencyRef?.value),
    payee,
    bankAccount,
    account,
    class: firstClass ?? qboRef(obj.ClassRef),
    memo: str(obj.PrivateNote) ?? firstDescription,
    reference: str(obj.DocNumber),
    lines,
    raw: obj,
    updatedAt: qboTimeToIso(obj.MetaData?.LastUpdatedTime),
    deleted: false,
  };
}

/** A deleted transaction as CDC reports it: only its type, id and time are known. */
export function mapQboDeleted(type: string, obj: Json): LedgerTransaction {
  return {
    type,
    id: String(obj.Id),
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
    updatedAt: qboTimeToIso(obj.MetaData?.LastUpdatedTime),
    deleted: true,
  };
}

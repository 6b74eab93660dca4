import { buildChart, buildClasses, buildPayees } from './chart';
import type { Account, ChangeRecord, ClassDef, CompanyDef, Payee, Txn, TxnKind, TxnLine } from './ledger';
import { hashString, Random } from './random';

const DAY_MS = 86_400_000;
export const WINDOW_DAYS = 730;

const KIND_WEIGHTS: Record<CompanyDef['provider'], readonly (readonly [TxnKind, number])[]> = {
  qbo: [
    ['spend', 55],
    ['receive', 18],
    ['journal', 4],
    ['transfer', 4],
    ['bill', 6],
    ['bill_payment', 4],
    ['invoice', 5],
    ['payment', 3],
    ['sales_receipt', 1],
  ],
  xero: [
    ['spend', 65],
    ['receive', 25],
    ['journal', 5],
    ['transfer', 5],
  ],
};

/** A line to write: with the id of the line it restates, or without one for a new line. */
export type LineInput = Omit<TxnLine, 'id'> & { id?: string };

export interface TxnInput {
  kind: TxnKind;
  date: string;
  payeeId?: string | null;
  bankAccountId?: string | null;
  toAccountId?: string | null;
  lines: LineInput[];
  memo?: string;
  docNumber?: string;
}

export class SyncTokenMismatch extends Error {
  constructor(readonly current: number) {
    super(`stale SyncToken (current ${current})`);
  }
}

/**
 * Gives lines their ids: a line that restates an existing one keeps its id (QuickBooks line Ids and
 * Xero LineItemIDs survive an update); new lines are numbered after the highest id in use. Without
 * any ids, lines are numbered 1, 2, … in order.
 */
function numberLines(lines: LineInput[]): TxnLine[] {
  let next = 1;
  for (const l of lines) if (l.id !== undefined && /^\d+$/.test(l.id)) next = Math.max(next, Number(l.id) + 1);
  return lines.map((l) => ({ ...l, id: l.id ?? String(next++) }));
}

/**
 * One sandbox company's ledger. Its base transactions are never stored: transaction i is a pure
 * function of (seed, i), dated in index order over the last 24 months, so a company can have
 * 200,000 of them without holding them in memory. Edits, deletions and additions live in a small
 * overlay and a change log (for change-data-capture, If-Modified-Since and webhooks).
 */
export class CompanyLedger {
  readonly accounts: Account[];
  readonly classes: ClassDef[];
  readonly payees: Payee[];
  readonly windowStart: number;
  private readonly stepMs: number;
  private readonly overlay = new Map<number, Txn>();
  private readonly added: Txn[] = [];
  private readonly changes: ChangeRecord[] = [];
  private kinds?: Map<TxnKind, number[]>;
  private seq = 0;
  private readonly idPrefix: string;
  /** Called after every change (webhooks). */
  onChange?: (change: ChangeRecord) => void;

  constructor(
    readonly def: CompanyDef,
    /** The sandbox's "today" (ms since epoch, UTC midnight): data spans the 24 months before it. */
    today: number,
    private readonly clock: () => number = Date.now,
  ) {
    this.windowStart = today - WINDOW_DAYS * DAY_MS;
    this.stepMs = Math.max(1, Math.floor((WINDOW_DAYS * DAY_MS) / Math.max(1, def.transactions)));
    this.idPrefix = hashString(def.seed).toString(16).padStart(8, '0');
    const setupAt = new Date(this.windowStart - 30 * DAY_MS).toISOString();
    this.accounts = buildChart(def.provider, (i) => this.entityId('acc', i), setupAt);
    this.classes =
      def.classTracking === 'off' && def.provider === 'qbo'
        ? []
        : buildClasses(def.seed, (i) => this.entityId('cls', i), setupAt, def.provider === 'xero' ? def.trackingCategories : undefined);
    this.payees = buildPayees(def.seed, (i) => this.entityId('pay', i), setupAt);
  }

  get baseCount(): number {
    return this.def.transactions;
  }

  get count(): number {
    return this.def.transactions + this.added.length;
  }

  /** Ids: QuickBooks uses small integers per entity; Xero uses UUIDs (ours encode the index). */
  entityId(entity: 'acc' | 'cls' | 'pay' | 'txn', i: number): string {
    if (this.def.provider === 'qbo') {
      const base = { acc: 1, cls: 5000000000000, pay: 100, txn: 10000 }[entity];
      return String(base + i);
    }
    const tag = { acc: 'a0c0', cls: 'c1a5', pay: 'c0de', txn: '7a00' }[entity];
    return `${this.idPrefix}-${tag}-4000-8000-${i.toString(16).padStart(12, '0')}`;
  }

  txnIndexOf(id: string): number | undefined {
    if (this.def.provider === 'qbo') {
      const n = /^\d+$/.test(id) ? Number(id) - 10000 : NaN;
      return Number.isInteger(n) && n >= 0 && n < this.count ? n : undefined;
    }
    const m = new RegExp(`^${this.idPrefix}-7a00-4000-8000-([0-9a-f]{12})$`, 'i').exec(id);
    const n = m ? parseInt(m[1], 16) : NaN;
    return Number.isInteger(n) && n < this.count ? n : undefined;
  }

  account(id: string | null | undefined): Account | undefined {
    return id ? this.accounts.find((a) => a.id === id) : undefined;
  }

  klass(id: string | null | undefined): ClassDef | undefined {
    return id ? this.classes.find((c) => c.id === id) : undefined;
  }

  /** Xero's tracking categories: the company's own, or one 'Department' (QuickBooks: its one class list). */
  get trackingCategories(): string[] {
    const named = this.def.provider === 'xero' ? this.def.trackingCategories : undefined;
    return named?.length ? named.slice(0, 2) : ['Department'];
  }

  /** The classes that are options of tracking category `slot` (0: `classId`, 1: `classId2`). */
  classesOf(slot: 0 | 1): ClassDef[] {
    const named = this.def.provider === 'xero' && !!this.def.trackingCategories?.length;
    if (!named) return slot === 0 ? this.classes : [];
    const category = this.trackingCategories[slot];
    return category ? this.classes.filter((c) => c.category === category) : [];
  }

  payee(id: string | null | undefined): Payee | undefined {
    return id ? this.payees.find((p) => p.id === id) : undefined;
  }

  /** The kind of base transaction i, without generating the rest of it. */
  kindAt(i: number): TxnKind {
    return new Random(`${this.def.seed}:${i}:kind`).weighted(KIND_WEIGHTS[this.def.provider]);
  }

  /** Indices of all transactions of these kinds, in index (= date) order, deleted ones included. */
  indicesOf(kinds: readonly TxnKind[]): number[] {
    if (!this.kinds) {
      const map = new Map<TxnKind, number[]>();
      for (let i = 0; i < this.def.transactions; i++) {
        const k = this.kindAt(i);
        let list = map.get(k);
        if (!list) map.set(k, (list = []));
        list.push(i);
      }
      this.kinds = map;
    }
    const out: number[] = [];
    for (const k of kinds) for (const i of this.kinds.get(k) ?? []) out.push(i); // no spread: 100k+ arguments overflow the stack
    for (const t of this.added) if (kinds.includes(t.kind)) out.push(t.index);
    return kinds.length > 1 ? out.sort((a, b) => a - b) : out;
  }

  /** Transaction i with every edit applied (deleted ones have `deleted: true`). */
  txn(i: number): Txn | undefined {
    if (i < 0 || i >= this.count) return undefined;
    if (i >= this.def.transactions) return this.added[i - this.def.transactions];
    return this.overlay.get(i) ?? this.generate(i);
  }

  txnById(id: string): Txn | undefined {
    const i = this.txnIndexOf(id);
    return i === undefined ? undefined : this.txn(i);
  }

  /** First base index whose date is on or after `date` (YYYY-MM-DD): dates grow with the index. */
  firstIndexOnOrAfter(date: string): number {
    const t = Date.parse(`${date}T00:00:00Z`);
    return Math.min(this.def.transactions, Math.max(0, Math.ceil((t - this.windowStart) / this.stepMs)));
  }

  create(input: TxnInput): Txn {
    const index = this.count;
    const now = new Date(this.clock()).toISOString();
    const txn = this.normalise({
      id: this.entityId('txn', index),
      index,
      kind: input.kind,
      date: input.date,
      currency: this.def.currency,
      payeeId: input.payeeId ?? null,
      bankAccountId: input.bankAccountId ?? null,
      toAccountId: input.toAccountId ?? null,
      lines: numberLines(input.lines.map(({ id: _id, ...l }) => l)),
      totalMinor: 0,
      memo: input.memo ?? '',
      docNumber: input.docNumber ?? '',
      createdAt: now,
      updatedAt: now,
      syncToken: 0,
      deleted: false,
    });
    this.added.push(txn);
    this.record('Txn', txn.id, 'Create', txn.kind);
    return txn;
  }

  /** Applies a change; with `expectedSyncToken`, refuses a stale version (QuickBooks' optimistic locking). */
  update(id: string, patch: Partial<Omit<TxnInput, 'kind'>>, expectedSyncToken?: number): Txn | undefined {
    const current = this.txnById(id);
    if (!current || current.deleted) return undefined;
    if (expectedSyncToken !== undefined && expectedSyncToken !== current.syncToken) throw new SyncTokenMismatch(current.syncToken);
    const next = this.normalise({
      ...current,
      ...(patch.date !== undefined ? { date: patch.date } : {}),
      ...(patch.payeeId !== undefined ? { payeeId: patch.payeeId } : {}),
      ...(patch.bankAccountId !== undefined ? { bankAccountId: patch.bankAccountId } : {}),
      ...(patch.toAccountId !== undefined ? { toAccountId: patch.toAccountId } : {}),
      ...(patch.memo !== undefined ? { memo: patch.memo } : {}),
      ...(patch.docNumber !== undefined ? { docNumber: patch.docNumber } : {}),
      ...(patch.lines !== undefined ? { lines: numberLines(patch.lines) } : {}),
      updatedAt: new Date(this.clock()).toISOString(),
      syncToken: current.syncToken + 1,
    });
    this.store(next);
    this.record('Txn', id, 'Update', next.kind);
    return next;
  }

  /** Marks a bank transaction reconciled (or not): a change like any other (UpdatedDateUTC moves). */
  setReconciled(id: string, reconciled: boolean): Txn | undefined {
    const current = this.txnById(id);
    if (!current || current.deleted) return undefined;
    const next: Txn = { ...current, updatedAt: new Date(this.clock()).toISOString(), syncToken: current.syncToken + 1 };
    if (reconciled) next.reconciled = true;
    else delete next.reconciled;
    this.store(next);
    this.record('Txn', id, 'Update', next.kind);
    return next;
  }

  remove(id: string): Txn | undefined {
    const current = this.txnById(id);
    if (!current || current.deleted) return undefined;
    const next = { ...current, deleted: true, updatedAt: new Date(this.clock()).toISOString(), syncToken: current.syncToken + 1 };
    this.store(next);
    this.record('Txn', id, 'Delete', next.kind);
    return next;
  }

  /** Changes recorded after `since` (ISO time), oldest first. */
  changesSince(since: string): ChangeRecord[] {
    const t = Date.parse(since);
    return this.changes.filter((c) => Date.parse(c.at) > t);
  }

  private store(txn: Txn): void {
    if (txn.index >= this.def.transactions) this.added[txn.index - this.def.transactions] = txn;
    else this.overlay.set(txn.index, txn);
  }

  private record(entity: ChangeRecord['entity'], id: string, operation: ChangeRecord['operation'], kind?: TxnKind): void {
    const change: ChangeRecord = { seq: ++this.seq, at: new Date(this.clock()).toISOString(), entity, id, kind, operation };
    this.changes.push(change);
    this.onChange?.(change);
  }

  private normalise(t: Txn): Txn {
    const totalMinor =
      t.kind === 'journal'
        ? t.lines.filter((l) => l.posting !== 'credit').reduce((s, l) => s + l.amountMinor, 0)
        : t.lines.reduce((s, l) => s + l.amountMinor, 0);
    return { ...t, totalMinor };
  }

  /** Base transaction i, generated. */
  private generate(i: number): Txn {
    const d = this.def;
    const r = new Random(`${d.seed}:${i}`);
    const kind = this.kindAt(i);
    const created = this.windowStart + i * this.stepMs + r.int(0, Math.min(this.stepMs - 1, 3_600_000));
    const date = new Date(created).toISOString().slice(0, 10);
    const at = new Date(created).toISOString();
    const by = (k: Account['kind']) => this.accounts.filter((a) => a.kind === k && !a.uncategorized);
    const unc = (u: NonNullable<Account['uncategorized']>) => this.accounts.find((a) => a.uncategorized === u);
    const vendors = this.payees.filter((p) => p.kind === 'vendor');
    const customers = this.payees.filter((p) => p.kind === 'customer');
    const banks = by('bank');
    const card = by('credit_card')[0];
    // Companies with one category draw exactly as they always have: the second draws only happen
    // when there is a second category, so their generated values never change.
    const options = this.classesOf(0);
    const options2 = this.classesOf(1);
    const txnClass = d.classTracking === 'per_txn' && r.chance(d.classShare) ? r.pick(options).id : null;
    const txnClass2 =
      options2.length && d.classTracking === 'per_txn' && r.chance(d.classShare) ? r.pick(options2).id : null;
    const optionFor = (opts: ClassDef[], perTxn: string | null): string | null =>
      d.classTracking === 'off' || !opts.length
        ? null
        : d.classTracking === 'per_txn'
          ? perTxn
          : r.chance(d.classShare)
            ? r.pick(opts).id
            : null;
    const classFor = (): Pick<TxnLine, 'classId' | 'classId2'> => {
      const classId = optionFor(options, txnClass);
      return options2.length ? { classId, classId2: optionFor(options2, txnClass2) } : { classId };
    };
    const amount = () => (r.chance(0.1) ? r.int(50_000, 900_000) : r.int(300, 45_000));
    const lineCount = () => r.weighted([[1, 80], [2, 15], [3, 5]] as const);

    let payeeId: string | null = null;
    let bankAccountId: string | null = null;
    let toAccountId: string | null = null;
    let paymentType: Txn['paymentType'];
    let lines: Omit<TxnLine, 'id'>[] = [];
    let memo = '';

    switch (kind) {
      case 'spend': {
        const onCard = card && r.chance(0.35);
        bankAccountId = onCard ? card.id : banks[0].id;
        paymentType = onCard ? 'CreditCard' : r.chance(0.2) ? 'Check' : 'Cash';
        const payee = r.pick(vendors);
        payeeId = payee.id;
        lines = Array.from({ length: lineCount() }, () => {
          const uncategorized = r.chance(d.uncategorizedShare);
          const account = uncategorized
            ? d.provider === 'xero'
              ? unc('suspense')!
              : r.chance(0.2)
                ? unc('ask_accountant')!
                : unc('expense')!
            : r.pick([...by('expense'), ...by('cost_of_sales')]);
          return { accountId: account.id, ...classFor(), amountMinor: amount(), description: uncategorized ? '' : `${payee.name} purchase` };
        });
        memo = r.chance(0.6) ? `${payee.name.toUpperCase()} ${r.int(1000, 9999)}` : '';
        break;
      }
      case 'receive': {
        bankAccountId = banks[0].id;
        payeeId = r.chance(0.7) ? r.pick(customers).id : null;
        lines = Array.from({ length: lineCount() === 3 ? 2 : 1 }, () => {
          const uncategorized = r.chance(d.uncategorizedShare);
          const account = uncategorized ? (d.provider === 'xero' ? unc('suspense')! : unc('income')!) : r.pick([...by('income'), ...by('other_income')]);
          return { accountId: account.id, ...classFor(), amountMinor: amount(), description: uncategorized ? '' : 'Deposit' };
        });
        memo = r.chance(0.5) ? `DEPOSIT ${r.int(100000, 999999)}` : '';
        break;
      }
      case 'journal': {
        const value = amount();
        const debit = r.pick([...by('expense'), ...by('current_asset')]);
        const credit = r.pick([...by('current_liability'), ...by('current_asset')].filter((a) => a.id !== debit.id));
        lines = [
          { accountId: debit.id, ...classFor(), amountMinor: value, description: 'Adjustment', posting: 'debit' },
          { accountId: credit.id, ...classFor(), amountMinor: value, description: 'Adjustment', posting: 'credit' },
        ];
        memo = r.pick(['Month-end accrual', 'Depreciation', 'Prepaid amortisation', 'Payroll accrual']);
        break;
      }
      case 'transfer': {
        bankAccountId = banks[0].id;
        toAccountId = card && r.chance(0.5) ? card.id : (banks[1] ?? banks[0]).id;
        lines = [{ accountId: toAccountId, classId: null, amountMinor: amount(), description: 'Transfer' }];
        memo = toAccountId === card?.id ? 'Card payment' : 'Transfer to savings';
        break;
      }
      case 'bill':
      case 'invoice':
      case 'sales_receipt': {
        const isSale = kind !== 'bill';
        const payee = r.pick(isSale ? customers : vendors);
        payeeId = payee.id;
        if (kind === 'sales_receipt') bankAccountId = banks[0].id;
        lines = Array.from({ length: lineCount() }, () => ({
          accountId: r.pick(isSale ? by('income') : by('expense')).id,
          ...classFor(),
          amountMinor: amount(),
          description: isSale ? 'Services rendered' : `${payee.name} bill`,
        }));
        break;
      }
      case 'bill_payment':
      case 'payment': {
        const isPayment = kind === 'payment';
        payeeId = r.pick(isPayment ? customers : vendors).id;
        bankAccountId = banks[0].id;
        lines = [
          {
            accountId: (isPayment ? by('accounts_receivable') : by('accounts_payable'))[0].id,
            classId: null,
            amountMinor: amount(),
            description: isPayment ? 'Payment received' : 'Bill payment',
          },
        ];
        break;
      }
    }

    return this.normalise({
      id: this.entityId('txn', i),
      index: i,
      kind,
      date,
      currency: d.currency,
      payeeId,
      bankAccountId,
      toAccountId,
      lines: lines.map((l, n) => ({ ...l, id: String(n + 1) })),
      totalMinor: 0,
      memo,
      docNumber: kind === 'spend' && paymentType === 'Check' ? String(1000 + (i % 9000)) : kind === 'invoice' ? String(1001 + i) : '',
      paymentType,
      createdAt: at,
      updatedAt: at,
      syncToken: 0,
      deleted: false,
    });
  }
}

import type { FastifyReply, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import type { CompanyLedger, LineInput, TxnInput } from '../model/company-ledger';
import type { Txn, TxnKind, TxnLine } from '../model/ledger';
import type { Grant } from './identity';
import { sendProblem } from './problem';
import {
  lineItemId,
  msDate,
  parseXeroDate,
  renderAccount,
  renderBankTransaction,
  renderBankTransfer,
  renderContact,
  renderManualJournal,
  renderOrganisation,
  renderTrackingCategories,
  trackingCategories,
} from './render';
import { balanceSheet, isYmd, profitAndLoss } from './reports';
import {
  evaluate,
  lowerDateBound,
  parseOrder,
  parseWhere,
  pinnedValue,
  simpleOrder,
  withoutPinned,
  WhereError,
} from './where';

/** What a guarded API handler gets: the organisation (tenant) and the grant that reached it. */
export interface ApiCall {
  ledger: CompanyLedger;
  tenantId: string;
  grant: Grant;
  now: number;
}

export type ApiHandler = (req: FastifyRequest, reply: FastifyReply, call: ApiCall) => unknown;

/** Registers an API route behind the guard (token, tenant, scopes, rate limits, faults). */
export type ApiRoute = (
  method: 'GET' | 'POST' | 'PUT',
  path: string,
  scopes: readonly string[],
  handler: ApiHandler,
) => void;

export const ACCOUNTING_BASE = '/api.xro/2.0';

const DEFAULT_PAGE_SIZE = 100;
const MAX_PAGE_SIZE = 1000;

// Scopes: the broad ones, and the granular ones of apps made after 2 March 2026.
const SETTINGS = ['accounting.settings', 'accounting.settings.read'];
const CONTACTS = ['accounting.contacts', 'accounting.contacts.read'];
const TXN_READ = ['accounting.transactions', 'accounting.transactions.read'];
const BANK_TXN_READ = [...TXN_READ, 'accounting.banktransactions', 'accounting.banktransactions.read'];
const BANK_TXN_WRITE = ['accounting.transactions', 'accounting.banktransactions'];
const JOURNAL_READ = [...TXN_READ, 'accounting.manualjournals', 'accounting.manualjournals.read'];
const JOURNAL_WRITE = ['accounting.transactions', 'accounting.manualjournals'];
const TRANSFER_READ = [...TXN_READ, 'accounting.banktransfers', 'accounting.banktransfers.read'];
const PL_READ = ['accounting.reports.read', 'accounting.reports.profitandloss.read'];
const BS_READ = ['accounting.reports.read', 'accounting.reports.balancesheet.read'];

/** The envelope every Accounting API answer has. */
export function envelope(now: number, body: Record<string, unknown>): Record<string, unknown> {
  return { Id: randomUUID(), Status: 'OK', ProviderName: 'Ledgerport', DateTimeUTC: msDate(now), ...body };
}

/** Xero's 400 for a bad query or document: {"ErrorNumber":…, "Type":…, "Message":…}. */
function sendError(
  reply: FastifyReply,
  errorNumber: number,
  type: string,
  message: string,
  elements?: Record<string, unknown>[],
) {
  return reply
    .code(400)
    .send({
      ErrorNumber: errorNumber,
      Type: type,
      Message: message,
      ...(elements ? { Elements: elements } : {}),
    });
}

type Query = Record<string, string | undefined>;

interface ListOptions {
  where?: string;
  order?: string;
  ims?: number;
  page?: number;
  pageSize: number;
}

/** Reads where/order/page/pageSize and If-Modified-Since; sends a 400 and returns undefined when one is malformed. */
function listOptions(req: FastifyRequest, reply: FastifyReply): ListOptions | undefined {
  const q = req.query as Query;
  const imsHeader = req.headers['if-modified-since'];
  let ims: number | undefined;
  if (typeof imsHeader === 'string' && imsHeader.trim()) {
    ims = parseXeroDate(imsHeader.trim());
    if (ims === undefined) {
      sendError(reply, 17, 'ValidationException', `If-Modified-Since is not a valid date: ${imsHeader}`);
      return undefined;
    }
  }
  let page: number | undefined;
  if (q.page !== undefined) {
    page = Number(q.page);
    if (!Number.isInteger(page) || page < 1) page = 1;
  }
  let pageSize = DEFAULT_PAGE_SIZE;
  if (q.pageSize !== undefined) {
    const n = Number(q.pageSize);
    if (Number.isInteger(n) && n > 0) pageSize = Math.min(n, MAX_PAGE_SIZE);
  }
  return { where: q.where?.trim() || undefined, order: q.order?.trim() || undefined, ims, page, pageSize };
}

function paginate<T>(items: T[], o: ListOptions): { items: T[]; pagination?: Record<string, number> } {
  if (o.page === undefined) return { items };
  const start = (o.page - 1) * o.pageSize;
  return {
    items: items.slice(start, start + o.pageSize),
    pagination: {
      page: o.page,
      pageSize: o.pageSize,
      pageCount: Math.ceil(items.length / o.pageSize),
      itemCount: items.length,
    },
  };
}

/** Filters and orders a small in-memory list of rendered objects (accounts, contacts…). */
function filterSmall(
  reply: FastifyReply,
  items: Record<string, unknown>[],
  o: ListOptions,
): Record<string, unknown>[] | undefined {
  try {
    const where = o.where ? parseWhere(o.where) : undefined;
    let out = items;
    if (o.ims !== undefined) out = out.filter((x) => (parseXeroDate(x.UpdatedDateUTC) ?? 0) > o.ims!);
    if (where) out = out.filter((x) => evaluate(where, x));
    if (o.order) out = [...out].sort(parseOrder(o.order));
    return out;
  } catch (e) {
    if (e instanceof WhereError) {
      sendError(reply, 16, 'QueryParseException', e.message);
      return undefined;
    }
    throw e;
  }
}

/** Indices of transactions edited, deleted or added since the company was generated. */
function changedIndices(ledger: CompanyLedger): Set<number> {
  const out = new Set<number>();
  for (const c of ledger.changesSince('1970-01-01T00:00:00.000Z')) {
    if (c.entity !== 'Txn') continue;
    const i = ledger.txnIndexOf(c.id);
    if (i !== undefined) out.add(i);
  }
  return out;
}

/** First base index created after `ms` (base transactions are created in index order). */
function firstBaseCreatedAfter(ledger: CompanyLedger, ms: number): number {
  let lo = 0;
  let hi = ledger.baseCount;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (Date.parse(ledger.txn(mid)!.createdAt) > ms) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * Lists transactions of some kinds without generating more of them than needed: a page of an
 * unfiltered list generates only that page; If-Modified-Since and a `Date >=` filter narrow the
 * candidates by index first. Deleted transactions appear (Status DELETED) only with If-Modified-Since.
 */
function listTxns(
  ledger: CompanyLedger,
  kinds: TxnKind[],
  o: ListOptions,
  render: (t: Txn) => Record<string, unknown>,
): { items: Record<string, unknown>[]; pagination?: Record<string, number> } {
  let where = o.where ? parseWhere(o.where) : undefined;
  const order = o.order ? parseOrder(o.order) : undefined;
  const changed = changedIndices(ledger);
  // Type=="SPEND" (or RECEIVE) narrows the kinds before anything is generated, and needs no other check.
  const pinnedType =
    where && kinds.some((k) => k === 'spend' || k === 'receive')
      ? pinnedValue(where, 'Type')?.toUpperCase()
      : undefined;
  if (pinnedType) {
    kinds = kinds.filter((k) => k.toUpperCase() === pinnedType);
    where = withoutPinned(where!, 'Type');
  }
  let indices = kinds.length ? ledger.indicesOf(kinds) : [];
  if (o.ims !== undefined) {
    const first = firstBaseCreatedAfter(ledger, o.ims);
    indices = indices.filter((i) => i >= first || changed.has(i));
  }
  const lower = where ? lowerDateBound(where) : undefined;
  if (lower !== undefined) {
    const first = ledger.firstIndexOnOrAfter(new Date(lower).toISOString().slice(0, 10)) - 1;
    indices = indices.filter((i) => i >= first || changed.has(i));
  }
  const keep = (t: Txn | undefined): t is Txn =>
    !!t && (o.ims !== undefined ? Date.parse(t.updatedAt) > o.ims : !t.deleted) && kinds.includes(t.kind);

  const byDate = o.order ? simpleOrder(o.order) : undefined;
  if (!where && (!order || byDate?.field.toLowerCase() === 'date')) {
    // Unchanged base transactions need no check: only the changed ones are looked at now.
    let live = indices.filter((i) => !changed.has(i) || keep(ledger.txn(i)));
    if (byDate) live = dateOrdered(ledger, live, changed, byDate.desc);
    const page = paginate(live, o);
    return { items: page.items.map((i) => render(ledger.txn(i)!)), pagination: page.pagination };
  }
  const items: Record<string, unknown>[] = [];
  for (const i of indices) {
    const t = ledger.txn(i);
    if (!keep(t)) continue;
    const r = render(t);
    if (where && !evaluate(where, r)) continue;
    items.push(r);
  }
  if (order) items.sort(order);
  return paginate(items, o);
}

/**
 * Orders indices by document date without generating every transaction: unchanged base
 * transactions are already in date order; each changed or added one is slotted in after the base
 * transactions of its date.
 */
function dateOrdered(
  ledger: CompanyLedger,
  indices: number[],
  changed: Set<number>,
  desc: boolean,
): number[] {
  const keyOf = (i: number): number => {
    if (i < ledger.baseCount && !changed.has(i)) return i;
    const date = ledger.txn(i)!.date;
    const next = new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    let b = ledger.firstIndexOnOrAfter(next);
    while (b > 0 && ledger.txn(b - 1)!.date > date) b--;
    while (b < ledger.baseCount && ledger.txn(b)!.date <= date) b++;
    return b - 0.5;
  };
  const keyed = indices.map((i) => ({ i, k: keyOf(i) }));
  keyed.sort((a, b) => a.k - b.k || a.i - b.i);
  const out = keyed.map((x) => x.i);
  return desc ? out.reverse() : out;
}

function withList(reply: FastifyReply, fn: () => unknown): unknown {
  try {
    return fn();
  } catch (e) {
    if (e instanceof WhereError) return sendError(reply, 16, 'QueryParseException', e.message);
    throw e;
  }
}

const withPagination = (key: string, page: { items: unknown[]; pagination?: Record<string, number> }) => ({
  ...(page.pagination ? { pagination: page.pagination } : {}),
  [key]: page.items,
});

export function registerAccounting(route: ApiRoute): void {
  const B = ACCOUNTING_BASE;

  route('GET', `${B}/Organisation`, SETTINGS, (_req, _reply, c) =>
    envelope(c.now, { Organisations: [renderOrganisation(c.ledger)] }),
  );

  route('GET', `${B}/Accounts`, SETTINGS, (req, reply, c) => {
    const o = listOptions(req, reply);
    if (!o) return reply;
    const items = filterSmall(
      reply,
      c.ledger.accounts.map((a) => renderAccount(c.ledger, a)),
      o,
    );
    return items ? envelope(c.now, { Accounts: items }) : reply;
  });

  route('GET', `${B}/Accounts/:id`, SETTINGS, (req, reply, c) => {
    const a = c.ledger.account((req.params as { id: string }).id.toLowerCase());
    if (!a) return sendProblem(reply, 404, 'The resource you have specified cannot be found.');
    return envelope(c.now, { Accounts: [renderAccount(c.ledger, a)] });
  });

  route('GET', `${B}/TrackingCategories`, SETTINGS, (req, reply, c) => {
    const o = listOptions(req, reply);
    if (!o) return reply;
    const includeArchived = (req.query as Query).includeArchived === 'true';
    const all = renderTrackingCategories(c.ledger, includeArchived);
    const items = filterSmall(reply, all, { ...o, ims: undefined });
    return items ? envelope(c.now, { TrackingCategories: items }) : reply;
  });

  route('GET', `${B}/Contacts`, CONTACTS, (req, reply, c) => {
    const o = listOptions(req, reply);
    if (!o) return reply;
    const q = req.query as Query;
    let all = c.ledger.payees.map(renderContact);
    if (q.IDs) {
      const ids = new Set(q.IDs.toLowerCase().split(','));
      all = all.filter((x) => ids.has(String(x.ContactID).toLowerCase()));
    }
    if (q.searchTerm) {
      const term = q.searchTerm.toLowerCase();
      all = all.filter(
        (x) =>
          String(x.Name).toLowerCase().includes(term) ||
          String(x.EmailAddress ?? '')
            .toLowerCase()
            .includes(term),
      );
    }
    const items = filterSmall(reply, all, o);
    return items ? envelope(c.now, withPagination('Contacts', paginate(items, o))) : reply;
  });

  route('GET', `${B}/Contacts/:id`, CONTACTS, (req, reply, c) => {
    const p = c.ledger.payee((req.params as { id: string }).id.toLowerCase());
    if (!p) return sendProblem(reply, 404, 'The resource you have specified cannot be found.');
    return envelope(c.now, { Contacts: [renderContact(p)] });
  });

  route('GET', `${B}/BankTransactions`, BANK_TXN_READ, (req, reply, c) => {
    const o = listOptions(req, reply);
    if (!o) return reply;
    return withList(reply, () =>
      envelope(
        c.now,
        withPagination(
          'BankTransactions',
          listTxns(c.ledger, ['spend', 'receive'], o, (t) => renderBankTransaction(c.ledger, t)),
        ),
      ),
    );
  });

  route('GET', `${B}/BankTransactions/:id`, BANK_TXN_READ, (req, reply, c) => {
    const t = c.ledger.txnById((req.params as { id: string }).id.toLowerCase());
    if (!t || (t.kind !== 'spend' && t.kind !== 'receive'))
      return sendProblem(reply, 404, 'The resource you have specified cannot be found.');
    return envelope(c.now, { BankTransactions: [renderBankTransaction(c.ledger, t)] });
  });

  const update = updateHandler({
    collection: 'BankTransactions',
    idField: 'BankTransactionID',
    noun: 'bank transaction',
    kinds: ['spend', 'receive'],
    plan: planUpdate,
    render: renderBankTransaction,
    idInErrors: true,
  });
  route('POST', `${B}/BankTransactions/:id`, BANK_TXN_WRITE, update);
  route('POST', `${B}/BankTransactions`, BANK_TXN_WRITE, update);

  route('GET', `${B}/ManualJournals`, JOURNAL_READ, (req, reply, c) => {
    const o = listOptions(req, reply);
    if (!o) return reply;
    return withList(reply, () =>
      envelope(
        c.now,
        withPagination(
          'ManualJournals',
          listTxns(c.ledger, ['journal'], o, (t) => renderManualJournal(c.ledger, t)),
        ),
      ),
    );
  });

  route('GET', `${B}/ManualJournals/:id`, JOURNAL_READ, (req, reply, c) => {
    const t = c.ledger.txnById((req.params as { id: string }).id.toLowerCase());
    if (!t || t.kind !== 'journal')
      return sendProblem(reply, 404, 'The resource you have specified cannot be found.');
    return envelope(c.now, { ManualJournals: [renderManualJournal(c.ledger, t)] });
  });

  // Updates of manual journals (write-back). Xero's journal lines have no ids: JournalLines
  // replaces every line, in order. Xero's Element has no ManualJournalID member: the messages
  // alone say what failed.
  const updateJournals = updateHandler({
    collection: 'ManualJournals',
    idField: 'ManualJournalID',
    noun: 'manual journal',
    kinds: ['journal'],
    plan: planJournalUpdate,
    render: renderManualJournal,
    idInErrors: false,
  });
  route('POST', `${B}/ManualJournals/:id`, JOURNAL_WRITE, updateJournals);
  route('POST', `${B}/ManualJournals`, JOURNAL_WRITE, updateJournals);

  route('GET', `${B}/BankTransfers`, TRANSFER_READ, (req, reply, c) => {
    const o = listOptions(req, reply);
    if (!o) return reply;
    // BankTransfers are not paged in Xero.
    return withList(reply, () =>
      envelope(c.now, {
        BankTransfers: listTxns(c.ledger, ['transfer'], { ...o, page: undefined }, (t) =>
          renderBankTransfer(c.ledger, t),
        ).items,
      }),
    );
  });

  route('GET', `${B}/BankTransfers/:id`, TRANSFER_READ, (req, reply, c) => {
    const t = c.ledger.txnById((req.params as { id: string }).id.toLowerCase());
    if (!t || t.kind !== 'transfer')
      return sendProblem(reply, 404, 'The resource you have specified cannot be found.');
    return envelope(c.now, { BankTransfers: [renderBankTransfer(c.ledger, t)] });
  });

  route('GET', `${B}/Reports/ProfitAndLoss`, PL_READ, (req, reply, c) => {
    const q = req.query as Query;
    for (const k of ['fromDate', 'toDate'] as const)
      if (q[k] !== undefined && !isYmd(q[k]))
        return sendError(reply, 17, 'ValidationException', `${k} must be a date such as 2026-11-01`);
    if (q.fromDate && q.toDate && q.fromDate > q.toDate)
      return sendError(reply, 17, 'ValidationException', 'fromDate must not be after toDate');
    const option = q.trackingOptionID
      ? optionFor(c.ledger, q.trackingCategoryID, q.trackingOptionID)
      : undefined;
    if (q.trackingOptionID && !option)
      return sendError(reply, 17, 'ValidationException', 'Tracking option not found');
    return envelope(
      c.now,
      profitAndLoss(c.ledger, c.now, { fromDate: q.fromDate, toDate: q.toDate, trackingOptionID: option }),
    );
  });

  route('GET', `${B}/Reports/BalanceSheet`, BS_READ, (req, reply, c) => {
    const q = req.query as Query;
    if (q.date !== undefined && !isYmd(q.date))
      return sendError(reply, 17, 'ValidationException', 'date must be a date such as 2026-11-30');
    const option = q.trackingOptionID1 ? optionFor(c.ledger, undefined, q.trackingOptionID1) : undefined;
    if (q.trackingOptionID1 && !option)
      return sendError(reply, 17, 'ValidationException', 'Tracking option not found');
    return envelope(c.now, balanceSheet(c.ledger, c.now, { date: q.date, trackingOptionID1: option }));
  });
}

function optionFor(
  ledger: CompanyLedger,
  categoryId: string | undefined,
  optionId: string,
): string | undefined {
  const id = optionId.toLowerCase();
  const categories = trackingCategories(ledger).filter(
    (c) => !categoryId || c.id === categoryId.toLowerCase(),
  );
  return categories.flatMap((c) => c.options).find((o) => o.id === id)?.id;
}

type UpdatePlan = { patch?: Partial<Omit<TxnInput, 'kind'>>; remove?: boolean } | { errors: string[] };

/**
 * An update endpoint of one collection (bank transactions, manual journals), as Xero answers it:
 * one document at /:id or several by their ids, all validated before any is applied, the failed
 * ones returned with their ValidationErrors; creating is not supported by the sandbox.
 */
function updateHandler(spec: {
  collection: 'BankTransactions' | 'ManualJournals';
  idField: 'BankTransactionID' | 'ManualJournalID';
  noun: string;
  kinds: Txn['kind'][];
  plan: (ledger: ApiCall['ledger'], t: Txn, doc: Record<string, unknown>) => UpdatePlan;
  render: (ledger: ApiCall['ledger'], t: Txn) => unknown;
  /** Whether Xero's error element for this collection names the document's id. */
  idInErrors: boolean;
}) {
  const plural = `${spec.noun}s`;
  return (req: FastifyRequest, reply: FastifyReply, c: ApiCall) => {
    const body = (req.body ?? {}) as Record<string, Record<string, unknown>[] | undefined>;
    const docs = Array.isArray(body[spec.collection]) ? body[spec.collection] : undefined;
    if (!docs || !docs.length)
      return sendError(reply, 17, 'ValidationException', `A ${spec.collection} array with at least one ${spec.noun} is required.`);
    const pathId = (req.params as { id?: string }).id;
    if (pathId && docs.length !== 1)
      return sendError(reply, 17, 'ValidationException', `Only one ${spec.noun} can be updated at this address.`);
    const failed: Record<string, unknown>[] = [];
    const plans: { id: string; patch?: Partial<Omit<TxnInput, 'kind'>>; remove?: boolean }[] = [];
    for (const doc of docs) {
      const id = String(pathId ?? doc[spec.idField] ?? '').toLowerCase();
      const t = id ? c.ledger.txnById(id) : undefined;
      if (!t || !spec.kinds.includes(t.kind)) {
        if (pathId) return sendProblem(reply, 404, 'The resource you have specified cannot be found.');
        const Message = id
          ? `${spec.noun[0].toUpperCase()}${spec.noun.slice(1)} not found.`
          : `Creating ${plural} is not supported by the sandbox: give a ${spec.idField}.`;
        failed.push({ ...(spec.idInErrors ? { [spec.idField]: id || undefined } : {}), ValidationErrors: [{ Message }] });
        continue;
      }
      const plan = spec.plan(c.ledger, t, doc);
      if ('errors' in plan)
        failed.push({ ...(spec.idInErrors ? { [spec.idField]: t.id } : {}), ValidationErrors: plan.errors.map((Message) => ({ Message })) });
      else plans.push({ id: t.id, ...plan });
    }
    if (failed.length) return sendError(reply, 10, 'ValidationException', 'A validation exception occurred', failed);
    const results = plans.map((p) => {
      const t = p.remove ? c.ledger.remove(p.id) : p.patch && Object.keys(p.patch).length ? c.ledger.update(p.id, p.patch) : c.ledger.txnById(p.id);
      return t ?? c.ledger.txnById(p.id)!;
    });
    return envelope(c.now, { [spec.collection]: results.map((t) => spec.render(c.ledger, t)) });
  };
}

/**
 * Turns a posted bank transaction (write-back: LineItems with AccountCode / Tracking, Reference,
 * Date, Contact, Status DELETED) into a model change, or the validation messages Xero would give.
 */
function planUpdate(
  ledger: CompanyLedger,
  t: Txn,
  doc: Record<string, unknown>,
): UpdatePlan {
  const errors: string[] = [];
  if (t.deleted) return { errors: ['This Bank Transaction cannot be edited as it has been deleted.'] };
  // Xero refuses any change to a bank transaction matched with a bank statement line.
  if (t.reconciled)
    return {
      errors: [
        doc.Status === 'DELETED'
          ? 'This Bank Transaction cannot be deleted as it has been reconciled with a Bank Statement.'
          : 'This Bank Transaction cannot be edited as it has been reconciled with a Bank Statement.',
      ],
    };
  if (doc.Status === 'DELETED') return { remove: true };
  if (doc.Status !== undefined && doc.Status !== 'AUTHORISED')
    errors.push(`Status ${String(doc.Status)} is not valid for a bank transaction update.`);
  if (doc.Type !== undefined && doc.Type !== (t.kind === 'receive' ? 'RECEIVE' : 'SPEND'))
    errors.push('The Type of a bank transaction cannot be changed.');
  const bank = doc.BankAccount as Record<string, unknown> | undefined;
  if (bank && typeof bank === 'object') {
    const current = ledger.account(t.bankAccountId);
    const byId =
      typeof bank.AccountID === 'string' && bank.AccountID !== '' ? bank.AccountID.toLowerCase() : undefined;
    const byCode = typeof bank.Code === 'string' && bank.Code !== '' ? bank.Code : undefined;
    if ((byId && byId !== current?.id) || (byCode && byCode !== current?.code))
      errors.push('Moving a bank transaction to another bank account is not supported by the sandbox.');
  }
  const patch: Partial<Omit<TxnInput, 'kind'>> = {};

  if (doc.LineItems !== undefined) {
    if (!Array.isArray(doc.LineItems) || !doc.LineItems.length)
      errors.push('At least one line item is required.');
    else {
      const byId = new Map(t.lines.map((l) => [lineItemId(t, l), l]));
      const lines: LineInput[] = [];
      for (const raw of doc.LineItems as Record<string, unknown>[]) {
        const existing =
          typeof raw.LineItemID === 'string' ? byId.get(raw.LineItemID.toLowerCase()) : undefined;
        if (typeof raw.LineItemID === 'string' && !existing) {
          errors.push(`LineItemID ${raw.LineItemID} is not a line of this bank transaction.`);
          continue;
        }
        // Account
        let accountId = existing?.accountId;
        if (typeof raw.AccountCode === 'string' && raw.AccountCode !== '') {
          const a = ledger.accounts.find((x) => x.code === raw.AccountCode);
          if (!a || !a.active || a.kind === 'bank' || a.kind === 'credit_card') {
            errors.push(`Account code '${raw.AccountCode}' is not a valid code for this document.`);
            continue;
          }
          accountId = a.id;
        } else if (typeof raw.AccountID === 'string' && raw.AccountID !== '') {
          const a = ledger.account(raw.AccountID.toLowerCase());
          if (!a || !a.active || a.kind === 'bank' || a.kind === 'credit_card') {
            errors.push(`Account '${raw.AccountID}' is not a valid account for this document.`);
            continue;
          }
          accountId = a.id;
        }
        if (!accountId) {
          errors.push('Account code must be specified.');
          continue;
        }
        // Tracking: one option per category; classId takes the first category's, classId2 the second's.
        const tracked = parseTracking(ledger, raw.Tracking, existing);
        if ('errors' in tracked) {
          errors.push(...tracked.errors);
          continue;
        }
        const { classId, classId2 } = tracked;
        // Amount
        let amountMinor = existing?.amountMinor;
        if (typeof raw.LineAmount === 'number') amountMinor = Math.round(raw.LineAmount * 100);
        else if (typeof raw.UnitAmount === 'number')
          amountMinor = Math.round(
            raw.UnitAmount * (typeof raw.Quantity === 'number' ? raw.Quantity : 1) * 100,
          );
        if (amountMinor === undefined || !Number.isFinite(amountMinor) || amountMinor <= 0) {
          errors.push('Line items must have a positive amount.');
          continue;
        }
        lines.push({
          ...(existing ? { id: existing.id } : {}),
          accountId,
          classId,
          ...(trackingCategories(ledger).length > 1 || classId2 ? { classId2 } : {}),
          amountMinor,
          description: typeof raw.Description === 'string' ? raw.Description : (existing?.description ?? ''),
        });
      }
      patch.lines = lines;
    }
  }
  if (typeof doc.Reference === 'string') patch.memo = doc.Reference;
  if (doc.Date !== undefined) {
    const ms = parseXeroDate(doc.Date);
    if (ms === undefined) errors.push('Date is not a valid date.');
    else patch.date = new Date(ms).toISOString().slice(0, 10);
  }
  const contact = doc.Contact as Record<string, unknown> | undefined;
  if (contact && typeof contact === 'object') {
    const p =
      typeof contact.ContactID === 'string'
        ? ledger.payee(contact.ContactID.toLowerCase())
        : typeof contact.Name === 'string'
          ? ledger.payees.find((x) => x.name === contact.Name)
          : undefined;
    if (!p) errors.push('The contact could not be found.');
    else patch.payeeId = p.id;
  }
  return errors.length ? { errors } : { patch };
}

/** Integer cents as Xero prints amounts in messages: 1234 → "12.34", -50 → "-0.50". */
function decimal(minor: number): string {
  const abs = Math.abs(minor);
  return `${minor < 0 ? '-' : ''}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/**
 * Turns a posted manual journal (Narration, Date, JournalLines with signed LineAmount, AccountCode
 * or AccountID, Description, Tracking; Status DELETED) into a model change, or Xero's validation
 * messages. JournalLines replaces every line; debits (positive) must equal credits (negative).
 */
function planJournalUpdate(
  ledger: CompanyLedger,
  t: Txn,
  doc: Record<string, unknown>,
): UpdatePlan {
  const errors: string[] = [];
  if (t.deleted) return { errors: ['This Manual Journal cannot be edited as it has been deleted.'] };
  if (doc.Status === 'DELETED') return { remove: true };
  if (doc.Status !== undefined && doc.Status !== 'POSTED')
    errors.push(`Status ${String(doc.Status)} is not supported by the sandbox for a manual journal update.`);
  const patch: Partial<Omit<TxnInput, 'kind'>> = {};
  if (doc.Narration !== undefined) {
    if (typeof doc.Narration !== 'string' || !doc.Narration.trim())
      errors.push('Narration must not be empty.');
    else patch.memo = doc.Narration;
  }
  if (doc.Date !== undefined) {
    const ms = parseXeroDate(doc.Date);
    if (ms === undefined) errors.push('Date is not a valid date.');
    else patch.date = new Date(ms).toISOString().slice(0, 10);
  }
  if (doc.JournalLines !== undefined) {
    const raws = Array.isArray(doc.JournalLines) ? (doc.JournalLines as Record<string, unknown>[]) : [];
    if (raws.length < 2) errors.push('A manual journal needs at least two journal lines.');
    const lines: LineInput[] = [];
    let debits = 0;
    let credits = 0;
    raws.forEach((raw, n) => {
      const existing = t.lines[n];
      let account;
      if (typeof raw.AccountCode === 'string' && raw.AccountCode !== '')
        account = ledger.accounts.find((x) => x.code === raw.AccountCode);
      else if (typeof raw.AccountID === 'string' && raw.AccountID !== '')
        account = ledger.account(raw.AccountID.toLowerCase());
      else {
        errors.push('Account code must be specified.');
        return;
      }
      if (!account || !account.active) {
        errors.push(
          `Account code '${String(raw.AccountCode ?? raw.AccountID)}' is not a valid code for this document.`,
        );
        return;
      }
      if (account.kind === 'bank' || account.kind === 'credit_card') {
        errors.push(`Bank account '${account.code}' cannot be used on a manual journal.`);
        return;
      }
      const amount = typeof raw.LineAmount === 'number' ? Math.round(raw.LineAmount * 100) : NaN;
      if (!Number.isFinite(amount) || amount === 0) {
        errors.push('Journal lines must have a non-zero LineAmount.');
        return;
      }
      // Lines are positional: a restated line keeps its tracking when the post leaves Tracking out.
      const tracked = parseTracking(ledger, raw.Tracking, existing);
      if ('errors' in tracked) {
        errors.push(...tracked.errors);
        return;
      }
      if (amount > 0) debits += amount;
      else credits -= amount;
      lines.push({
        accountId: account.id,
        classId: tracked.classId,
        ...(trackingCategories(ledger).length > 1 || tracked.classId2 ? { classId2: tracked.classId2 } : {}),
        amountMinor: Math.abs(amount),
        description: typeof raw.Description === 'string' ? raw.Description : '',
        posting: amount > 0 ? 'debit' : 'credit',
      });
    });
    if (!errors.length && debits !== credits)
      errors.push(`The total debits (${decimal(debits)}) must equal total credits (${decimal(-credits)}).`);
    patch.lines = lines;
  }
  return errors.length ? { errors } : { patch };
}

/**
 * A line's Tracking as posted (by TrackingCategoryID / TrackingOptionID or by Name / Option), at
 * most one option per category: `classId` takes the first category's option, `classId2` the
 * second's. Without a Tracking member the line keeps its options; an empty array clears them.
 */
function parseTracking(
  ledger: CompanyLedger,
  raw: unknown,
  existing: TxnLine | undefined,
): { classId: string | null; classId2: string | null } | { errors: string[] } {
  if (raw === undefined) return { classId: existing?.classId ?? null, classId2: existing?.classId2 ?? null };
  const categories = trackingCategories(ledger);
  const errors: string[] = [];
  let classId: string | null = null;
  let classId2: string | null = null;
  const tracking = Array.isArray(raw) ? (raw as Record<string, unknown>[]) : [];
  for (const tr of tracking) {
    const slot = categories.findIndex(
      (c) =>
        (typeof tr.TrackingCategoryID === 'string' && tr.TrackingCategoryID.toLowerCase() === c.id) ||
        (typeof tr.Name === 'string' && tr.Name.toLowerCase() === c.name.toLowerCase()),
    );
    if (slot < 0) {
      errors.push(`Tracking category '${String(tr.Name ?? tr.TrackingCategoryID ?? '')}' does not exist.`);
      continue;
    }
    const category = categories[slot];
    const opt =
      (typeof tr.TrackingOptionID === 'string'
        ? category.options.find((x) => x.id === (tr.TrackingOptionID as string).toLowerCase())
        : undefined) ??
      (typeof tr.Option === 'string'
        ? category.options.find((x) => x.name.toLowerCase() === (tr.Option as string).toLowerCase())
        : undefined);
    if (!opt || !opt.active) {
      errors.push(
        `Tracking option '${String(tr.Option ?? tr.TrackingOptionID ?? '')}' does not exist in tracking category '${category.name}'.`,
      );
      continue;
    }
    if (slot === 0) classId = opt.id;
    else classId2 = opt.id;
  }
  return errors.length ? { errors } : { classId, classId2 };
}

import type { CompanyLedger } from '../model/company-ledger';
import type { TxnKind } from '../model/ledger';
import {
  canonicalEntity,
  type EntityName,
  isTxnEntity,
  KIND_OF_ENTITY,
  type QboObject,
  type QboRenderer,
} from './entities';
import { faults } from './errors';
import {
  type Condition,
  type Literal,
  likeToRegExp,
  type OrderBy,
  parseQuery,
  type Query,
  QueryParseError,
} from './query-language';

export const MAX_RESULTS_LIMIT = 1000;
export const DEFAULT_MAX_RESULTS = 100;

type FieldType = 'id' | 'string' | 'date' | 'datetime' | 'boolean' | 'number';

const COMMON: Record<string, FieldType> = {
  Id: 'id',
  'MetaData.CreateTime': 'datetime',
  'MetaData.LastUpdatedTime': 'datetime',
};
const TXN_FIELDS: Record<string, FieldType> = {
  ...COMMON,
  TxnDate: 'date',
  DocNumber: 'string',
  TotalAmt: 'number',
  PrivateNote: 'string',
};
const NAME_FIELDS: Record<string, FieldType> = {
  ...COMMON,
  DisplayName: 'string',
  CompanyName: 'string',
  PrintOnCheckName: 'string',
  Active: 'boolean',
  Balance: 'number',
};

/** The fields each entity can be filtered and ordered by (QuickBooks answers 4001 for others). */
export const QUERYABLE: Record<EntityName, Record<string, FieldType>> = {
  Account: {
    ...COMMON,
    Name: 'string',
    FullyQualifiedName: 'string',
    Active: 'boolean',
    AccountType: 'string',
    AccountSubType: 'string',
    Classification: 'string',
    AcctNum: 'string',
  },
  Class: { ...COMMON, Name: 'string', FullyQualifiedName: 'string', Active: 'boolean' },
  Vendor: NAME_FIELDS,
  Customer: { ...NAME_FIELDS, FullyQualifiedName: 'string' },
  Purchase: { ...TXN_FIELDS, PaymentType: 'string' },
  Deposit: TXN_FIELDS,
  JournalEntry: TXN_FIELDS,
  Transfer: { ...COMMON, TxnDate: 'date', Amount: 'number', PrivateNote: 'string' },
  Bill: { ...TXN_FIELDS, DueDate: 'date' },
  BillPayment: TXN_FIELDS,
  Invoice: { ...TXN_FIELDS, DueDate: 'date' },
  Payment: TXN_FIELDS,
  SalesReceipt: TXN_FIELDS,
};

interface TypedCondition extends Condition {
  type: FieldType;
  regex?: RegExp;
}

export interface ValidatedQuery extends Omit<Query, 'entity' | 'where'> {
  entity: EntityName;
  where: TypedCondition[];
  start: number;
  max: number;
}

export type QueryResult = { QueryResponse: QboObject };

/** Parses and checks a query against what the sandbox's QuickBooks can answer; throws QboFault. */
export function validateQuery(src: string): ValidatedQuery {
  let q: Query;
  try {
    q = parseQuery(src);
  } catch (e) {
    if (e instanceof QueryParseError) throw faults.queryParse(e.message);
    throw e;
  }
  const entity = canonicalEntity(q.entity);
  if (!entity)
    throw faults.queryInvalid(`Entity ${q.entity} is not supported by this sandbox (or does not exist)`);
  const fields = QUERYABLE[entity];
  const field = (name: string): [string, FieldType] => {
    const key = Object.keys(fields).find((k) => k.toLowerCase() === name.toLowerCase());
    if (!key) throw faults.queryInvalid(`property '${name}' is not queryable`);
    return [key, fields[key]];
  };
  const where = q.where.map((c): TypedCondition => {
    const [name, type] = field(c.field);
    const values = Array.isArray(c.value) ? c.value : [c.value];
    for (const v of values) checkLiteral(name, type, v);
    if (c.op === 'LIKE' && type !== 'string')
      throw faults.queryInvalid(`LIKE is only supported on text properties, not '${name}'`);
    return { ...c, field: name, type, ...(c.op === 'LIKE' ? { regex: likeToRegExp(String(c.value)) } : {}) };
  });
  const orderBy: OrderBy[] = q.orderBy.map((o) => ({ field: field(o.field)[0], desc: o.desc }));
  if (q.maxResults !== undefined && q.maxResults > MAX_RESULTS_LIMIT)
    throw faults.queryInvalid(
      `value ${q.maxResults} is too large. Max allowed value is: ${MAX_RESULTS_LIMIT}`,
    );
  if (q.maxResults !== undefined && q.maxResults < 1)
    throw faults.queryInvalid(`MAXRESULTS must be at least 1`);
  if (q.startPosition !== undefined && q.startPosition < 0)
    throw faults.queryInvalid(`STARTPOSITION must not be negative`);
  return {
    ...q,
    entity,
    where,
    orderBy,
    start: Math.max(1, q.startPosition ?? 1),
    max: q.maxResults ?? DEFAULT_MAX_RESULTS,
  };
}

function checkLiteral(name: string, type: FieldType, v: Literal): void {
  const bad = (what: string) => faults.queryInvalid(`${what} is not a valid value for '${name}'`);
  if (type === 'date' && !/^\d{4}-\d{2}-\d{2}/.test(String(v))) throw bad(String(v));
  if (type === 'datetime' && Number.isNaN(Date.parse(String(v)))) throw bad(String(v));
  if (type === 'boolean' && typeof v !== 'boolean' && !/^(true|false)$/i.test(String(v)))
    throw bad(String(v));
  if (type === 'number' && Number.isNaN(Number(v))) throw bad(String(v));
}

function getPath(obj: QboObject, path: string): unknown {
  let v: unknown = obj;
  for (const part of path.split('.')) v = v && typeof v === 'object' ? (v as QboObject)[part] : undefined;
  return v;
}

/** Orders two values of a field's type; undefined sorts last. */
function compareValues(type: FieldType, a: unknown, b: unknown): number {
  if (a === undefined || a === null) return b === undefined || b === null ? 0 : 1;
  if (b === undefined || b === null) return -1;
  switch (type) {
    case 'id': {
      const x = Number(a);
      const y = Number(b);
      if (Number.isFinite(x) && Number.isFinite(y)) return x - y;
      return String(a).localeCompare(String(b));
    }
    case 'number':
      return Number(a) - Number(b);
    case 'datetime':
      return Date.parse(String(a)) - Date.parse(String(b));
    case 'date':
      return String(a).slice(0, 10) < String(b).slice(0, 10)
        ? -1
        : String(a).slice(0, 10) > String(b).slice(0, 10)
          ? 1
          : 0;
    case 'boolean':
      return Number(String(a).toLowerCase() === 'true') - Number(String(b).toLowerCase() === 'true');
    case 'string': {
      const x = String(a).toLowerCase();
      const y = String(b).toLowerCase();
      return x < y ? -1 : x > y ? 1 : 0;
    }
  }
}

export function matches(obj: QboObject, conds: readonly TypedCondition[]): boolean {
  for (const c of conds) {
    const actual = getPath(obj, c.field);
    if (c.op === 'LIKE') {
      if (actual === undefined || !c.regex!.test(String(actual))) return false;
      continue;
    }
    if (c.op === 'IN') {
      if (!(c.value as Literal[]).some((v) => actual !== undefined && compareValues(c.type, actual, v) === 0))
        return false;
      continue;
    }
    if (actual === undefined) {
      if (c.op !== '!=') return false;
      continue;
    }
    const cmp = compareValues(c.type, actual, c.value);
    const ok =
      c.op === '='
        ? cmp === 0
        : c.op === '!='
          ? cmp !== 0
          : c.op === '<'
            ? cmp < 0
            : c.op === '>'
              ? cmp > 0
              : c.op === '<='
                ? cmp <= 0
                : cmp >= 0;
    if (!ok) return false;
  }
  return true;
}

function sortObjects(
  list: QboObject[],
  orderBy: readonly OrderBy[],
  fields: Record<string, FieldType>,
): QboObject[] {
  const keys = orderBy.length ? orderBy : [{ field: 'Id', desc: false }];
  return list.sort((a, b) => {
    for (const k of keys) {
      const c = compareValues(fields[k.field], getPath(a, k.field), getPath(b, k.field));
      if (c !== 0) return k.desc ? -c : c;
    }
    // Ties: by Id, in the direction of the last ordering (the transaction path orders the same way).
    const byId = compareValues('id', a.Id, b.Id);
    return keys[keys.length - 1].desc ? -byId : byId;
  });
}

function project(obj: QboObject, select: ValidatedQuery['select']): QboObject {
  if (!Array.isArray(select)) return obj;
  const wanted = new Set(select.map((f) => f.split('.')[0].toLowerCase()));
  const out: QboObject = { domain: obj.domain, sparse: true, Id: obj.Id, SyncToken: obj.SyncToken };
  for (const [k, v] of Object.entries(obj)) if (wanted.has(k.toLowerCase())) out[k] = v;
  return out;
}

function respond(q: ValidatedQuery, page: QboObject[], total: number): QueryResult {
  if (q.select === 'count') return { QueryResponse: { totalCount: total } };
  // QuickBooks answers an empty result with an empty QueryResponse; maxResults is the count returned.
  if (!page.length) return { QueryResponse: {} };
  return {
    QueryResponse: {
      [q.entity]: page.map((o) => project(o, q.select)),
      startPosition: q.start,
      maxResults: page.length,
    },
  };
}

/** Runs a validated query against one company. */
export function runQuery(ledger: CompanyLedger, render: QboRenderer, q: ValidatedQuery): QueryResult {
  return isTxnEntity(q.entity)
    ? runTxnQuery(ledger, render, q, KIND_OF_ENTITY[q.entity])
    : runListQuery(ledger, render, q);
}

function runListQuery(ledger: CompanyLedger, render: QboRenderer, q: ValidatedQuery): QueryResult {
  let all: QboObject[];
  switch (q.entity) {
    case 'Account':
      all = ledger.accounts.map((a) => render.account(a));
      break;
    case 'Class':
      all = ledger.classes.map((c) => render.klass(c));
      break;
    case 'Vendor':
      all = ledger.payees.filter((p) => p.kind === 'vendor').map((p) => render.payee(p));
      break;
    default:
      all = ledger.payees.filter((p) => p.kind === 'customer').map((p) => render.payee(p));
  }
  // Like QuickBooks: inactive names are left out unless the query asks about Active itself.
  const conds = q.where.some((c) => c.field === 'Active')
    ? q.where
    : [...q.where, { field: 'Active', op: '=' as const, value: true, type: 'boolean' as const }];
  const hits = sortObjects(
    all.filter((o) => matches(o, conds)),
    q.orderBy,
    QUERYABLE[q.entity],
  );
  return respond(q, hits.slice(q.start - 1, q.start - 1 + q.max), hits.length);
}

const DAY_MS = 86_400_000;
/** firstIndexOnOrAfter is exact up to jitter within a step; these many indices either side are checked one by one. */
const MARGIN = 2;

const addDays = (date: string, n: number) =>
  new Date(Date.parse(`${date.slice(0, 10)}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);

function lowerBound(list: readonly number[], value: number, from = 0): number {
  let lo = from;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Keys untouched base transactions are ordered by, in index order (dates and creation times grow with the index). */
const MONOTONIC_ORDER = new Set(['Id', 'TxnDate', 'MetaData.CreateTime', 'MetaData.LastUpdatedTime']);

/**
 * Transactions: base transaction i is generated on demand, so scanning 200,000 of them per page
 * would be slow. Untouched base transactions have dates and creation times that grow with the
 * index, so date, creation-time and Id conditions become index ranges: outside the outer range
 * nothing matches; inside the inner range everything does and need not be generated to be counted.
 * Transactions that were ever edited, added or deleted ("touched", from the change log) are always
 * generated and checked, and merged into place.
 */
function runTxnQuery(
  ledger: CompanyLedger,
  render: QboRenderer,
  q: ValidatedQuery,
  kind: TxnKind,
): QueryResult {
  const base = ledger.baseCount;
  const idBase = Number(ledger.entityId('txn', 0));
  const touchedAll = new Set<number>();
  for (const c of ledger.changesSince(new Date(0).toISOString())) {
    if (c.entity !== 'Txn' || c.kind !== kind) continue;
    const i = ledger.txnIndexOf(c.id);
    if (i !== undefined) touchedAll.add(i);
  }

  let oLo = 0;
  let oHi = ledger.count;
  let iLo = 0;
  let iHi = ledger.count;
  let residual = false;
  let explicit: number[] | undefined;
  const narrowBase = (outerLo: number, outerHi: number, innerLo: number, innerHi: number) => {
    oLo = Math.max(oLo, outerLo);
    oHi = Math.min(oHi, outerHi);
    iLo = Math.max(iLo, innerLo);
    iHi = Math.min(iHi, innerHi);
  };
  // Id bounds hold for added transactions too: the index is the id.
  let idLo = 0;
  let idHi = ledger.count;
  for (const c of q.where) {
    const v = c.value;
    if (c.field === 'Id' && c.op !== 'LIKE' && c.op !== '!=') {
      const nums = (Array.isArray(v) ? v : [v]).map((x) => Number(x) - idBase);
      if (nums.some((n) => !Number.isInteger(n))) {
        residual = true;
        continue;
      }
      if (c.op === '=' || c.op === 'IN') {
        const set = nums.filter((n) => n >= 0 && n < ledger.count);
        explicit = explicit
          ? explicit.filter((n) => set.includes(n))
          : [...new Set(set)].sort((a, b) => a - b);
      } else if (c.op === '>') idLo = Math.max(idLo, nums[0] + 1);
      else if (c.op === '>=') idLo = Math.max(idLo, nums[0]);
      else if (c.op === '<') idHi = Math.min(idHi, nums[0]);
      else idHi = Math.min(idHi, nums[0] + 1);
      continue;
    }
    if (c.field === 'TxnDate' && ['<', '>', '<=', '>=', '='].includes(c.op)) {
      const d = String(v).slice(0, 10);
      const ge = (date: string) => {
        const f = ledger.firstIndexOnOrAfter(date);
        narrowBase(f - MARGIN, Infinity, f + MARGIN, Infinity);
      };
      const lt = (date: string) => {
        const f = ledger.firstIndexOnOrAfter(date);
        narrowBase(-Infinity, f + MARGIN, -Infinity, f - MARGIN);
      };
      if (c.op === '>=' || c.op === '=') ge(d);
      if (c.op === '>') ge(addDays(d, 1));
      if (c.op === '<') lt(d);
      if (c.op === '<=' || c.op === '=') lt(addDays(d, 1));
      continue;
    }
    if (
      (c.field === 'MetaData.CreateTime' || c.field === 'MetaData.LastUpdatedTime') &&
      ['<', '>', '<=', '>='].includes(c.op)
    ) {
      // Untouched: both are the creation time. Bounds at day granularity around it.
      const d = new Date(Date.parse(String(v))).toISOString().slice(0, 10);
      const f1 = ledger.firstIndexOnOrAfter(d);
      const f2 = ledger.firstIndexOnOrAfter(addDays(d, 1));
      if (c.op === '>' || c.op === '>=') narrowBase(f1 - MARGIN, Infinity, f2 + MARGIN, Infinity);
      else narrowBase(-Infinity, f2 + MARGIN, -Infinity, f1 - MARGIN);
      // The day itself is checked transaction by transaction.
      continue;
    }
    residual = true;
  }
  idLo = Math.max(0, idLo);

  const evaluate = (i: number): QboObject | undefined => {
    const t = ledger.txn(i);
    if (!t || t.deleted || t.kind !== kind) return undefined;
    const obj = render.txn(t);
    return matches(obj, q.where) ? obj : undefined;
  };

  // A handful of ids: just look at them.
  if (explicit) {
    const hits = explicit
      .filter((i) => i >= idLo && i < idHi)
      .map(evaluate)
      .filter((o): o is QboObject => !!o);
    sortObjects(hits, q.orderBy, QUERYABLE[q.entity]);
    return respond(q, hits.slice(q.start - 1, q.start - 1 + q.max), hits.length);
  }

  // Untouched base candidates in index order, within the outer range.
  const all = ledger.indicesOf([kind]);
  const lo = Math.max(oLo, idLo, 0);
  const hi = Math.min(oHi, idHi, base);
  const untouched: number[] = [];
  for (let p = lowerBound(all, lo); p < all.length && all[p] < hi; p++)
    if (!touchedAll.has(all[p])) untouched.push(all[p]);
  const certainLo = Math.max(iLo, idLo);
  const certainHi = Math.min(iHi, idHi, base);
  const certain = (i: number) => !residual && i >= certainLo && i < certainHi;

  // Touched candidates: always checked.
  const touched: { index: number; obj: QboObject }[] = [];
  for (const i of [...touchedAll].sort((a, b) => a - b)) {
    if (i < idLo || i >= idHi) continue;
    const obj = evaluate(i);
    if (obj) touched.push({ index: i, obj });
  }

  const fields = QUERYABLE[q.entity];
  const order = q.orderBy[0];
  const monotonic =
    !order || (MONOTONIC_ORDER.has(order.field) && (q.orderBy.length === 1 || order.field === 'Id'));
  if (!monotonic) {
    // Any other order: materialise the candidates and sort them (slower; fine for ordinary sizes).
    const hits = [
      ...touched.map((t) => t.obj),
      ...untouched.map(evaluate).filter((o): o is QboObject => !!o),
    ];
    sortObjects(hits, q.orderBy, fields);
    return respond(q, hits.slice(q.start - 1, q.start - 1 + q.max), hits.length);
  }

  // Merge touched matches into the untouched sequence by (key, index).
  const field = order?.field ?? 'Id';
  const keyOfUntouched = (i: number): number | string => {
    if (field === 'Id') return i;
    const t = ledger.txn(i)!;
    return field === 'TxnDate' ? t.date : Date.parse(t.createdAt);
  };
  const keyOfTouched = (t: { index: number; obj: QboObject }): number | string =>
    field === 'Id'
      ? t.index
      : field === 'TxnDate'
        ? t.obj.TxnDate
        : Date.parse(String(getPath(t.obj, field)));
  const before = (ka: number | string, ia: number, kb: number | string, ib: number) =>
    ka < kb || (ka === kb && ia < ib);
  const inserts = touched
    .map((t) => {
      const k = keyOfTouched(t);
      let a = 0;
      let b = untouched.length;
      while (a < b) {
        const mid = (a + b) >>> 1;
        if (before(keyOfUntouched(untouched[mid]), untouched[mid], k, t.index)) a = mid + 1;
        else b = mid;
      }
      return { pos: a, key: k, t };
    })
    .sort((x, y) => x.pos - y.pos || (before(x.key, x.t.index, y.key, y.t.index) ? -1 : 1));

  // refs ≥ 0: untouched index; refs < 0: touched match -(n + 1).
  const refs: number[] = [];
  let n = 0;
  for (let p = 0; p <= untouched.length; p++) {
    while (n < inserts.length && inserts[n].pos === p) refs.push(-(n++ + 1));
    if (p < untouched.length) refs.push(untouched[p]);
  }
  if (order?.desc) refs.reverse();

  const page: QboObject[] = [];
  let skip = q.start - 1;
  let total = 0;
  const counting = q.select === 'count';
  for (const ref of refs) {
    if (!counting && page.length >= q.max) break;
    let obj: QboObject | undefined;
    if (ref < 0) obj = inserts[-ref - 1].t.obj;
    else if (certain(ref)) {
      total++;
      if (counting) continue;
      if (skip > 0) {
        skip--;
        continue;
      }
      page.push(render.txn(ledger.txn(ref)!));
      continue;
    } else obj = evaluate(ref);
    if (!obj) continue;
    total++;
    if (counting) continue;
    if (skip > 0) {
      skip--;
      continue;
    }
    page.push(obj);
  }
  return respond(q, page, total);
}

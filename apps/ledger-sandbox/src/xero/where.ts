import { parseXeroDate } from './render';

/**
 * Xero's `where` filter (a subset of its .NET-style expressions), evaluated against rendered
 * (PascalCase) objects:
 *   Type=="SPEND" AND Status!="DELETED"
 *   Date >= DateTime(2026, 1, 1) && Date < DateTime(2026,2,1)
 *   Contact.ContactID==Guid("…") OR (BankAccount.Code=="1000")
 *   Name.Contains("Bank")  Name.StartsWith("B")  Name.EndsWith("x")  IsReconciled==false
 * String comparisons ignore case, as Xero's do.
 */

export class WhereError extends Error {}

type Literal = { lit: string | number | boolean | null; date?: boolean; guid?: boolean };
type Operand = { path: string[] } | Literal;
type Node =
  | { op: 'and' | 'or'; left: Node; right: Node }
  | { op: 'not'; expr: Node }
  | { op: 'cmp'; cmp: '==' | '!=' | '>' | '>=' | '<' | '<='; left: Operand; right: Operand }
  | { op: 'call'; fn: 'contains' | 'startswith' | 'endswith'; path: string[]; arg: string }
  | { op: 'truthy'; path: string[] };

const TOKEN =
  /\s*(?:(\d+(?:\.\d+)?)|("(?:[^"\\]|\\.)*")|(==|!=|>=|<=|&&|\|\||[()<>,.!=])|([A-Za-z_][A-Za-z0-9_]*))/y;

function tokenize(s: string): string[] {
  const out: string[] = [];
  TOKEN.lastIndex = 0;
  let pos = 0;
  while (pos < s.length) {
    if (/^\s*$/.test(s.slice(pos))) break;
    TOKEN.lastIndex = pos;
    const m = TOKEN.exec(s);
    if (!m) throw new WhereError(`Unexpected character at position ${pos} in where clause`);
    out.push(m[1] ?? m[2] ?? m[3] ?? m[4]);
    pos = TOKEN.lastIndex;
  }
  return out;
}

export function parseWhere(source: string): Node {
  const t = tokenize(source);
  let i = 0;
  const peek = () => t[i];
  const next = () => t[i++];
  const expect = (s: string) => {
    if (next() !== s) throw new WhereError(`Expected "${s}" in where clause`);
  };
  const isWord = (x: string | undefined, w: string) => x !== undefined && x.toUpperCase() === w;

  const parseOr = (): Node => {
    let left = parseAnd();
    while (peek() === '||' || isWord(peek(), 'OR')) {
      next();
      left = { op: 'or', left, right: parseAnd() };
    }
    return left;
  };
  const parseAnd = (): Node => {
    let left = parseUnary();
    while (peek() === '&&' || isWord(peek(), 'AND')) {
      next();
      left = { op: 'and', left, right: parseUnary() };
    }
    return left;
  };
  const parseUnary = (): Node => {
    if (peek() === '!' || isWord(peek(), 'NOT')) {
      next();
      return { op: 'not', expr: parseUnary() };
    }
    if (peek() === '(') {
      next();
      const e = parseOr();
      expect(')');
      return e;
    }
    const left = parseOperand();
    if ('path' in left && peek() === '(') {
      // Name.Contains("x"): the last path segment is the method.
      const fn = left.path[left.path.length - 1].toLowerCase();
      if (fn !== 'contains' && fn !== 'startswith' && fn !== 'endswith')
        throw new WhereError(`Unsupported method ${fn} in where clause`);
      next();
      const arg = parseOperand();
      expect(')');
      if ('path' in arg || typeof arg.lit !== 'string') throw new WhereError(`${fn} takes a string`);
      return { op: 'call', fn, path: left.path.slice(0, -1), arg: arg.lit };
    }
    const cmp = peek();
    if (
      cmp === '==' ||
      cmp === '!=' ||
      cmp === '>' ||
      cmp === '>=' ||
      cmp === '<' ||
      cmp === '<=' ||
      cmp === '='
    ) {
      next();
      return { op: 'cmp', cmp: cmp === '=' ? '==' : cmp, left, right: parseOperand() };
    }
    if ('path' in left) return { op: 'truthy', path: left.path };
    throw new WhereError('Expected a comparison in where clause');
  };
  const parseOperand = (): Operand => {
    const tok = next();
    if (tok === undefined) throw new WhereError('Unexpected end of where clause');
    if (tok.startsWith('"')) return { lit: JSON.parse(tok) as string };
    if (/^\d/.test(tok)) return { lit: Number(tok) };
    if (!/^[A-Za-z_]/.test(tok)) throw new WhereError(`Unexpected "${tok}" in where clause`);
    const word = tok.toLowerCase();
    if (word === 'true' || word === 'false') return { lit: word === 'true' };
    if (word === 'null') return { lit: null };
    if ((word === 'datetime' || word === 'date') && peek() === '(') {
      next();
      const parts: number[] = [];
      while (peek() !== ')') {
        const n = next();
        if (n === undefined || !/^\d+$/.test(n)) throw new WhereError('DateTime takes numbers');
        parts.push(Number(n));
        if (peek() === ',') next();
      }
      expect(')');
      if (parts.length < 3) throw new WhereError('DateTime needs a year, month and day');
      const [y, mo, d, h = 0, mi = 0, s = 0] = parts;
      return { lit: Date.UTC(y, mo - 1, d, h, mi, s), date: true };
    }
    if ((word === 'guid' || word === 'guid.parse') && peek() === '(') {
      next();
      const v = next();
      expect(')');
      if (!v?.startsWith('"')) throw new WhereError('Guid takes a string');
      return { lit: (JSON.parse(v) as string).toLowerCase(), guid: true };
    }
    const path = [tok];
    while (peek() === '.') {
      next();
      const seg = next();
      if (!seg || !/^[A-Za-z_]/.test(seg)) throw new WhereError('Expected a field name after "."');
      path.push(seg);
    }
    return { path };
  };

  const node = parseOr();
  if (i < t.length) throw new WhereError(`Unexpected "${t[i]}" in where clause`);
  return node;
}

function resolve(obj: unknown, path: string[]): unknown {
  let cur: unknown = obj;
  for (const seg of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    const rec = cur as Record<string, unknown>;
    const key = seg in rec ? seg : Object.keys(rec).find((k) => k.toLowerCase() === seg.toLowerCase());
    cur = key === undefined ? undefined : rec[key];
  }
  return cur;
}

function value(obj: unknown, o: Operand): unknown {
  return 'path' in o ? resolve(obj, o.path) : o.lit;
}

function compare(a: unknown, b: unknown, aDate: boolean, bDate: boolean): number | undefined {
  if (aDate || bDate) {
    const x = typeof a === 'number' ? a : parseXeroDate(a);
    const y = typeof b === 'number' ? b : parseXeroDate(b);
    return x === undefined || y === undefined ? undefined : x - y;
  }
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' || typeof b === 'boolean') return a === b ? 0 : undefined;
  if (a === null || a === undefined || b === null || b === undefined) return a == b ? 0 : undefined;
  const x = String(a).toLowerCase();
  const y = String(b).toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
}

const isDateLit = (o: Operand) => !('path' in o) && !!o.date;
const looksLikeDate = (v: unknown) =>
  typeof v === 'string' && (/^\/Date\(/.test(v) || /^\d{4}-\d{2}-\d{2}T/.test(v));

export function evaluate(node: Node, obj: unknown): boolean {
  switch (node.op) {
    case 'and':
      return evaluate(node.left, obj) && evaluate(node.right, obj);
    case 'or':
      return evaluate(node.left, obj) || evaluate(node.right, obj);
    case 'not':
      return !evaluate(node.expr, obj);
    case 'truthy':
      return resolve(obj, node.path) === true;
    case 'call': {
      const v = resolve(obj, node.path);
      if (typeof v !== 'string') return false;
      const s = v.toLowerCase();
      const arg = node.arg.toLowerCase();
      return node.fn === 'contains'
        ? s.includes(arg)
        : node.fn === 'startswith'
          ? s.startsWith(arg)
          : s.endsWith(arg);
    }
    case 'cmp': {
      const a = value(obj, node.left);
      const b = value(obj, node.right);
      const dates = isDateLit(node.left) || isDateLit(node.right) || (looksLikeDate(a) && looksLikeDate(b));
      const c = compare(a, b, dates, dates);
      switch (node.cmp) {
        case '==':
          return c === 0;
        case '!=':
          return c !== 0;
        case '>':
          return c !== undefined && c > 0;
        case '>=':
          return c !== undefined && c >= 0;
        case '<':
          return c !== undefined && c < 0;
        case '<=':
          return c !== undefined && c <= 0;
      }
    }
  }
}

/** The earliest document date (ms) a filter allows, from top-level AND terms such as Date >= DateTime(…). */
export function lowerDateBound(node: Node, field = 'date'): number | undefined {
  if (node.op === 'and') {
    const a = lowerDateBound(node.left, field);
    const b = lowerDateBound(node.right, field);
    return a === undefined ? b : b === undefined ? a : Math.max(a, b);
  }
  if (node.op !== 'cmp') return undefined;
  const { left, right, cmp } = node;
  const isField = (o: Operand) => 'path' in o && o.path.length === 1 && o.path[0].toLowerCase() === field;
  if (isField(left) && isDateLit(right) && (cmp === '>=' || cmp === '>' || cmp === '=='))
    return (right as Literal).lit as number;
  if (isField(right) && isDateLit(left) && (cmp === '<=' || cmp === '<' || cmp === '=='))
    return (left as Literal).lit as number;
  return undefined;
}

/** The value a top-level AND term pins a field to (e.g. Type=="SPEND" → "SPEND"), if any. */
export function pinnedValue(node: Node, field: string): string | undefined {
  if (node.op === 'and') return pinnedValue(node.left, field) ?? pinnedValue(node.right, field);
  if (node.op !== 'cmp' || node.cmp !== '==') return undefined;
  const isField = (o: Operand) =>
    'path' in o && o.path.length === 1 && o.path[0].toLowerCase() === field.toLowerCase();
  const lit = (o: Operand) => (!('path' in o) && typeof o.lit === 'string' ? o.lit : undefined);
  if (isField(node.left)) return lit(node.right);
  if (isField(node.right)) return lit(node.left);
  return undefined;
}

/** The filter without its top-level `field == "…"` terms (undefined when nothing else is left). */
export function withoutPinned(node: Node, field: string): Node | undefined {
  if (node.op === 'and') {
    const l = withoutPinned(node.left, field);
    const r = withoutPinned(node.right, field);
    return l && r ? { op: 'and', left: l, right: r } : (l ?? r);
  }
  return pinnedValue(node, field) !== undefined ? undefined : node;
}

/** The single order key when `order` is just "Field [ASC|DESC]". */
export function simpleOrder(order: string): { field: string; desc: boolean } | undefined {
  const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)(?:\s+(ASC|DESC))?\s*$/i.exec(order);
  return m ? { field: m[1], desc: (m[2] ?? 'ASC').toUpperCase() === 'DESC' } : undefined;
}

/** Xero's `order`: "Date DESC", "UpdatedDateUTC ASC, Total DESC"… A comparator over rendered objects. */
export function parseOrder(order: string): (a: unknown, b: unknown) => number {
  const keys = order
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      const m = /^([A-Za-z_][A-Za-z0-9_.]*)(?:\s+(ASC|DESC))?$/i.exec(s);
      if (!m) throw new WhereError(`Invalid order "${s}"`);
      return { path: m[1].split('.'), desc: (m[2] ?? 'ASC').toUpperCase() === 'DESC' };
    });
  return (a, b) => {
    for (const k of keys) {
      const x = resolve(a, k.path);
      const y = resolve(b, k.path);
      const dates = looksLikeDate(x) || looksLikeDate(y);
      const c = compare(x, y, dates, dates) ?? 0;
      if (c !== 0) return k.desc ? -c : c;
    }
    return 0;
  };
}

/**
 * The QuickBooks Online query language, as the v3 `query` endpoint takes it:
 *
 *   SELECT * | COUNT(*) | field[, field…] FROM <Entity>
 *     [WHERE cond [AND cond…]] [ORDERBY field [ASC|DESC][, field [ASC|DESC]…]]
 *     [STARTPOSITION n] [MAXRESULTS n]
 *
 * cond: `field op value` with op one of = < > <= >= (and != / <>), `field IN (v, …)` or
 * `field LIKE '%text%'`. Values: 'quoted strings' (\' escapes a quote), numbers, true/false.
 * Keywords are case-insensitive; `ORDER BY` is accepted too. QuickBooks has no OR and no
 * parentheses around conditions: both are parse errors, as there.
 */

export type Literal = string | number | boolean;
export type Operator = '=' | '!=' | '<' | '>' | '<=' | '>=' | 'IN' | 'LIKE';

export interface Condition {
  field: string;
  op: Operator;
  /** One value, or the list of an IN. */
  value: Literal | Literal[];
}

export interface OrderBy {
  field: string;
  desc: boolean;
}

export interface Query {
  /** `*`, `count` for COUNT(*), or the selected fields. */
  select: '*' | 'count' | string[];
  entity: string;
  where: Condition[];
  orderBy: OrderBy[];
  /** 1-based; absent when the query has none. */
  startPosition?: number;
  maxResults?: number;
}

/** A query the parser refuses; the message says where and why (QuickBooks answers 400, code 4000). */
export class QueryParseError extends Error {}

type Token =
  | { t: 'word'; v: string; at: number }
  | { t: 'string'; v: string; at: number }
  | { t: 'number'; v: number; at: number }
  | { t: 'punct'; v: string; at: number }
  | { t: 'end'; at: number };

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === "'") {
      let v = '';
      let j = i + 1;
      for (;;) {
        if (j >= src.length)
          throw new QueryParseError(`Encountered an unterminated string starting at column ${i + 1}`);
        if (src[j] === '\\' && j + 1 < src.length) {
          v += src[j + 1];
          j += 2;
        } else if (src[j] === "'" && src[j + 1] === "'") {
          v += "'";
          j += 2;
        } else if (src[j] === "'") break;
        else v += src[j++];
      }
      out.push({ t: 'string', v, at: i });
      i = j + 1;
      continue;
    }
    const num = /^-?\d+(\.\d+)?/.exec(src.slice(i));
    if (num && (c !== '-' || /\d/.test(src[i + 1] ?? ''))) {
      out.push({ t: 'number', v: Number(num[0]), at: i });
      i += num[0].length;
      continue;
    }
    const word = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*/.exec(src.slice(i));
    if (word) {
      out.push({ t: 'word', v: word[0], at: i });
      i += word[0].length;
      continue;
    }
    const op = /^(<=|>=|!=|<>|[=<>(),*])/.exec(src.slice(i));
    if (op) {
      out.push({ t: 'punct', v: op[0] === '<>' ? '!=' : op[0], at: i });
      i += op[0].length;
      continue;
    }
    throw new QueryParseError(`Encountered " ${c} " at line 1, column ${i + 1}`);
  }
  out.push({ t: 'end', at: src.length });
  return out;
}

const KEYWORDS = new Set([
  'SELECT',
  'FROM',
  'WHERE',
  'AND',
  'OR',
  'ORDERBY',
  'ORDER',
  'BY',
  'ASC',
  'DESC',
  'STARTPOSITION',
  'MAXRESULTS',
  'IN',
  'LIKE',
  'COUNT',
  'NOT',
]);

class Parser {
  private pos = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token {
    return this.tokens[this.pos];
  }

  private next(): Token {
    return this.tokens[this.pos++];
  }

  private describe(tok: Token): string {
    return tok.t === 'end' ? '<EOF>' : tok.t === 'string' ? `'${tok.v}'` : String(tok.v);
  }

  private fail(tok: Token, expected: string): never {
    throw new QueryParseError(
      `Encountered "${this.describe(tok)}" at line 1, column ${tok.at + 1}. Was expecting ${expected}`,
    );
  }

  private isKeyword(tok: Token, kw: string): boolean {
    return tok.t === 'word' && tok.v.toUpperCase() === kw;
  }

  private expectKeyword(kw: string): void {
    const tok = this.next();
    if (!this.isKeyword(tok, kw)) this.fail(tok, kw);
  }

  private expectPunct(p: string): void {
    const tok = this.next();
    if (tok.t !== 'punct' || tok.v !== p) this.fail(tok, `"${p}"`);
  }

  private identifier(what: string): string {
    const tok = this.next();
    if (tok.t !== 'word' || KEYWORDS.has(tok.v.toUpperCase())) this.fail(tok, what);
    return tok.v;
  }

  private integer(what: string): number {
    const tok = this.next();
    if (tok.t !== 'number' || !Number.isInteger(tok.v)) this.fail(tok, what);
    return tok.v;
  }

  private literal(): Literal {
    const tok = this.next();
    if (tok.t === 'string' || tok.t === 'number') return tok.v;
    if (tok.t === 'word' && /^(true|false)$/i.test(tok.v)) return tok.v.toLowerCase() === 'true';
    return this.fail(tok, 'a value');
  }

  parse(): Query {
    this.expectKeyword('SELECT');
    let select: Query['select'];
    const first = this.peek();
    if (first.t === 'punct' && first.v === '*') {
      this.next();
      select = '*';
    } else if (this.isKeyword(first, 'COUNT')) {
      this.next();
      this.expectPunct('(');
      this.expectPunct('*');
      this.expectPunct(')');
      select = 'count';
    } else {
      const fields = [this.identifier('"*", COUNT(*) or a field name')];
      while (this.peek().t === 'punct' && (this.peek() as { v: string }).v === ',') {
        this.next();
        fields.push(this.identifier('a field name'));
      }
      select = fields;
    }
    this.expectKeyword('FROM');
    const entity = this.identifier('an entity name');
    const query: Query = { select, entity, where: [], orderBy: [] };

    if (this.isKeyword(this.peek(), 'WHERE')) {
      this.next();
      query.where.push(this.condition());
      for (;;) {
        const tok = this.peek();
        if (this.isKeyword(tok, 'AND')) {
          this.next();
          query.where.push(this.condition());
        } else if (this.isKeyword(tok, 'OR')) {
          throw new QueryParseError(
            `Encountered " OR " at line 1, column ${tok.at + 1}: OR is not supported; use IN (…) or separate queries`,
          );
        } else break;
      }
    }
    if (this.isKeyword(this.peek(), 'ORDERBY') || this.isKeyword(this.peek(), 'ORDER')) {
      if (this.isKeyword(this.next(), 'ORDER')) this.expectKeyword('BY');
      for (;;) {
        const field = this.identifier('a field name');
        let desc = false;
        if (this.isKeyword(this.peek(), 'ASC')) this.next();
        else if (this.isKeyword(this.peek(), 'DESC')) {
          this.next();
          desc = true;
        }
        query.orderBy.push({ field, desc });
        const tok = this.peek();
        if (tok.t === 'punct' && tok.v === ',') this.next();
        else break;
      }
    }
    // QuickBooks takes STARTPOSITION and MAXRESULTS in either order.
    for (let n = 0; n < 2; n++) {
      if (this.isKeyword(this.peek(), 'STARTPOSITION') && query.startPosition === undefined) {
        this.next();
        query.startPosition = this.integer('a number after STARTPOSITION');
      } else if (this.isKeyword(this.peek(), 'MAXRESULTS') && query.maxResults === undefined) {
        this.next();
        query.maxResults = this.integer('a number after MAXRESULTS');
      }
    }
    const end = this.next();
    if (end.t !== 'end') this.fail(end, '<EOF>, WHERE, ORDERBY, STARTPOSITION or MAXRESULTS');
    return query;
  }

  private condition(): Condition {
    const open = this.peek();
    if (open.t === 'punct' && open.v === '(')
      this.fail(open, 'a field name (QuickBooks does not group conditions)');
    const field = this.identifier('a field name');
    const tok = this.next();
    if (this.isKeyword(tok, 'IN')) {
      this.expectPunct('(');
      const values = [this.literal()];
      for (;;) {
        const sep = this.next();
        if (sep.t === 'punct' && sep.v === ',') values.push(this.literal());
        else if (sep.t === 'punct' && sep.v === ')') break;
        else this.fail(sep, '"," or ")"');
      }
      return { field, op: 'IN', value: values };
    }
    if (this.isKeyword(tok, 'LIKE')) {
      const pattern = this.next();
      if (pattern.t !== 'string') this.fail(pattern, 'a quoted pattern after LIKE');
      return { field, op: 'LIKE', value: pattern.v };
    }
    if (tok.t === 'punct' && ['=', '!=', '<', '>', '<=', '>='].includes(tok.v)) {
      return { field, op: tok.v as Operator, value: this.literal() };
    }
    return this.fail(tok, 'an operator (=, <, >, <=, >=, IN, LIKE)');
  }
}

/** Parses one query; throws QueryParseError with QuickBooks-like wording for anything it refuses. */
export function parseQuery(src: string): Query {
  if (!src || !src.trim())
    throw new QueryParseError('Encountered "<EOF>" at line 1, column 1. Was expecting SELECT');
  return new Parser(tokenize(src)).parse();
}

/** `%` is the only wildcard (any run of characters); matching ignores case. */
export function likeToRegExp(pattern: string): RegExp {
  const body = pattern
    .split('%')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}$`, 'is');
}

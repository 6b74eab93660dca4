import { createHash } from 'node:crypto';
import { HttpStatus, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { CLIENT_VISIBLE_SQL, preparedQuery, REVIEW_LINE_LATERAL, scopeParams, type FirmScope } from '@ledgerport/server/db';
import { AppException } from '@ledgerport/server/errors';
import type { PayeeDto, TransactionDetailDto, TransactionDto, TransactionPageDto, TransactionQuery } from './dto/sync.dto';
import { SyncErrorCode } from './sync.service';

interface TxnRow {
  id: string;
  provider_type: string;
  provider_id: string;
  txn_date: string;
  amount: string;
  currency: string | null;
  payee_id: string | null;
  payee_name: string | null;
  bank_account_id: string | null;
  bank_account_name: string | null;
  account_id: string | null;
  account_name: string | null;
  class_id: string | null;
  class_name: string | null;
  memo: string | null;
  reference: string | null;
  uncategorized: boolean;
  missing_class: boolean;
  provider_updated_at: Date;
  question: { id: string; number: number; status: 'open' | 'answered' | 'resolved' } | null;
  line_count: number;
  review_id: string | null;
  review_name: string | null;
  lines?: TransactionDetailDto['lines'];
}

/**
 * An account's name from the client's chart, else as the transaction states it. Xero's lines carry
 * only the account's code, so its transactions would otherwise show "400" for "Advertising".
 */
const chartName = (id: string, stated: string) =>
  `coalesce((SELECT a.name FROM ledger_accounts a WHERE a.connection_id = t.connection_id AND a.external_id = ${id}), ${stated})`;

const COLUMNS = `t.id::text AS id, t.provider_type, t.provider_id, to_char(t.txn_date, 'YYYY-MM-DD') AS txn_date, CASE WHEN scale(trim_scale(t.amount)) < 2 THEN round(t.amount, 2)::text ELSE trim_scale(t.amount)::text END AS amount,
  t.currency, t.payee_id, t.payee_name, t.bank_account_id, ${chartName('t.bank_account_id', 't.bank_account_name')} AS bank_account_name,
  t.account_id, ${chartName('t.account_id', 't.account_name')} AS account_name, t.class_id, t.class_name,
  t.memo, t.reference, t.uncategorized, t.missing_class, t.provider_updated_at,
  (SELECT json_build_object('id', q.id, 'number', q.number, 'status', q.status) FROM questions q WHERE q.transaction_id = t.id) AS question,
  coalesce(jsonb_array_length(t.lines), 0) AS line_count, r.id AS review_id, r.name AS review_name`;

/** The rows with what COLUMNS reads: the review line only of transactions that need review. */
const FROM = `ledger_transactions t LEFT JOIN LATERAL (${REVIEW_LINE_LATERAL}) r ON t.uncategorized`;

/**
 * The transactions explorer (S4/S5): a client's synced transactions, newest first, filtered in SQL
 * and paged by keyset (date, id), so page 500 costs what page 1 does at 200,000 rows.
 */
@Injectable()
export class TransactionsService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async list(scope: FirmScope, clientId: string, q: TransactionQuery): Promise<TransactionPageDto> {
    const connectionId = await this.connectionOf(scope, clientId);
    if (!connectionId) return { items: [], nextCursor: null };
    if (q.from && q.to && q.from > q.to) {
      throw new AppException(HttpStatus.BAD_REQUEST, SyncErrorCode.DATE_RANGE_INVALID, 'The start date is after the end date.', [{ field: 'from', message: 'must be on or before to' }]);
    }
    if (q.minAmount !== undefined && q.maxAmount !== undefined && Number(q.minAmount) > Number(q.maxAmount)) {
      throw new AppException(HttpStatus.BAD_REQUEST, SyncErrorCode.AMOUNT_RANGE_INVALID, 'The smallest amount is larger than the largest.', [
        { field: 'minAmount', message: 'must be at most maxAmount' },
      ]);
    }
    const params: unknown[] = [connectionId];
    const where = ['t.connection_id = $1', 'NOT t.deleted'];
    const add = (sql: (n: string) => string, value: unknown) => {
      params.push(value);
      where.push(sql(`$${params.length}`));
    };
    if (q.from) add((p) => `t.txn_date >= ${p}::date`, q.from);
    if (q.to) add((p) => `t.txn_date <= ${p}::date`, q.to);
    if (q.accountId) add((p) => `t.account_id = ${p}`, q.accountId);
    if (q.payeeId) add((p) => `t.payee_id = ${p}`, q.payeeId);
    if (q.minAmount !== undefined) add((p) => `t.amount >= ${p}::numeric`, q.minAmount);
    if (q.maxAmount !== undefined) add((p) => `t.amount <= ${p}::numeric`, q.maxAmount);
    if (q.flag === 'uncategorized') where.push('t.uncategorized');
    if (q.flag === 'missing_class') where.push('t.missing_class');
    if (q.flag === 'review') where.push('(t.uncategorized OR t.missing_class)');
    if (q.q) add((p) => `t.search LIKE ${p}`, `%${q.q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    if (q.cursor) {
      const [date, id] = decodeCursor(q.cursor);
      params.push(date, id);
      where.push(`(t.txn_date, t.id) < ($${params.length - 1}::date, $${params.length}::bigint)`);
    }
    params.push(q.limit + 1);
    const sql = `SELECT ${COLUMNS} FROM ${FROM} WHERE ${where.join(' AND ')} ORDER BY t.txn_date DESC, t.id DESC LIMIT $${params.length}`;
    const rows = await preparedQuery<TxnRow>(this.db, `txn_list_${createHash('sha1').update(sql).digest('hex').slice(0, 16)}`, sql, params);
    const more = rows.length > q.limit;
    const page = more ? rows.slice(0, q.limit) : rows;
    const last = page.at(-1);
    return { items: page.map(toDto), nextCursor: more && last ? encodeCursor(last.txn_date, last.id) : null };
  }

  async get(scope: FirmScope, clientId: string, id: string): Promise<TransactionDetailDto> {
    const connectionId = await this.connectionOf(scope, clientId);
    const [row]: TxnRow[] = connectionId && /^\d{1,18}$/.test(id)
      ? await this.db.query(`SELECT ${COLUMNS},
                  (SELECT coalesce(jsonb_agg(CASE WHEN a.name IS NULL THEN x.line ELSE jsonb_set(x.line, '{account,name}', to_jsonb(a.name)) END ORDER BY x.n), '[]'::jsonb)
                     FROM jsonb_array_elements(t.lines) WITH ORDINALITY AS x(line, n)
                     LEFT JOIN ledger_accounts a ON a.connection_id = t.connection_id AND a.external_id = x.line->'account'->>'id') AS lines
             FROM ${FROM} WHERE t.connection_id = $1 AND t.id = $2 AND NOT t.deleted`, [connectionId, id])
      : [];
    if (!row) throw new AppException(HttpStatus.NOT_FOUND, SyncErrorCode.TRANSACTION_NOT_FOUND, 'We could not find that transaction.');
    return { ...toDto(row), lines: row.lines ?? [] };
  }

  async payees(scope: FirmScope, clientId: string, q: string | undefined): Promise<PayeeDto[]> {
    const connectionId = await this.connectionOf(scope, clientId);
    if (!connectionId) return [];
    return this.db.query(
      `SELECT external_id AS id, name, kind FROM ledger_payees
        WHERE connection_id = $1 AND ($2::text IS NULL OR name ILIKE '%' || $2 || '%') ORDER BY lower(name) LIMIT 50`,
      [connectionId, q?.replace(/[\\%_]/g, (c) => `\\${c}`) || null],
    );
  }

  /**
   * The live connection, or the last one (its history stays readable after a disconnect), of a
   * client the scope may see: one prepared statement, so the explorer's pages cost two in all.
   */
  private async connectionOf(scope: FirmScope, clientId: string): Promise<string | null> {
    const [row] = await preparedQuery<{ connection_id: string | null }>(
      this.db,
      'txn_connection_of',
      `SELECT (SELECT l.id FROM ledger_connections l WHERE l.client_id = c.id
                ORDER BY (l.status <> 'disconnected') DESC, l.connected_at DESC LIMIT 1) AS connection_id
         FROM clients c WHERE c.id = $4 AND ${CLIENT_VISIBLE_SQL}`,
      [...scopeParams(scope), clientId],
    );
    if (!row) throw new AppException(HttpStatus.NOT_FOUND, SyncErrorCode.CLIENT_NOT_FOUND, 'We could not find that client.');
    return row.connection_id;
  }
}

function encodeCursor(date: string, id: string): string {
  return Buffer.from(`${date}|${id}`).toString('base64url');
}

function decodeCursor(cursor: string): [string, string] {
  const [date, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (!date || !id || !/^\d{4}-\d{2}-\d{2}$/.test(date) || !/^\d{1,18}$/.test(id)) {
    throw new AppException(HttpStatus.BAD_REQUEST, SyncErrorCode.CURSOR_INVALID, 'That page link is not valid. Start again from the first page.', [
      { field: 'cursor', message: 'not a cursor this endpoint gave' },
    ]);
  }
  return [date, id];
}

/** How a question is named to people ("Q-12"), here beside its transaction and everywhere else. */
export const questionReference = (n: number): string => `Q-${n}`;

const ref = (id: string | null, name: string | null) => (id ? { id, name: name ?? '' } : null);

function toDto(r: TxnRow): TransactionDto {
  return {
    id: r.id,
    type: r.provider_type,
    providerId: r.provider_id,
    date: r.txn_date,
    amount: r.amount,
    currency: r.currency,
    payee: ref(r.payee_id ?? (r.payee_name ? '' : null), r.payee_name),
    bankAccount: ref(r.bank_account_id, r.bank_account_name),
    account: ref(r.account_id, r.account_name),
    lineCount: r.line_count,
    // A transaction that needs review because of its own account (a transfer's destination) names that.
    reviewAccount: r.uncategorized ? (ref(r.review_id, r.review_name) ?? ref(r.account_id, r.account_name)) : null,
    class: ref(r.class_id, r.class_name),
    memo: r.memo,
    reference: r.reference,
    uncategorized: r.uncategorized,
    missingClass: r.missing_class,
    updatedAt: r.provider_updated_at.toISOString(),
    question: r.question ? { id: r.question.id, reference: questionReference(r.question.number), status: r.question.status } : null,
  };
}

import type { EntityManager } from 'typeorm';
import type { ClassTracking, LedgerTransaction } from '@ledgerport/ledger';
import { returningRows } from '@ledgerport/server/db';

/** What decides a transaction's review flags (S5). */
export interface ReviewRules {
  /** Accounts marked "needs review" (uncategorized, Ask My Accountant, suspense, or chosen by the firm). */
  accounts: ReadonlySet<string>;
  classTracking: ClassTracking;
}

export interface WriteTarget {
  connectionId: string;
  firmId: string;
  clientId: string;
  provider: string;
}

export interface WriteCounts {
  added: number;
  changed: number;
  removed: number;
}

/** The types whose lines carry a category (and so a class where classes are tracked). */
const CATEGORIZED = new Set(['Purchase', 'Deposit', 'Bill', 'Invoice', 'SalesReceipt', 'JournalEntry', 'BankTransaction', 'ManualJournal']);

export function reviewFlags(t: LedgerTransaction, rules: ReviewRules): { uncategorized: boolean; missingClass: boolean } {
  let uncategorized = !!t.account && rules.accounts.has(t.account.id);
  let missingClass = false;
  const categorized = CATEGORIZED.has(t.type);
  for (const l of t.lines) {
    if (l.account && rules.accounts.has(l.account.id)) uncategorized = true;
    if (categorized && rules.classTracking === 'per_line' && l.account && l.classes.length === 0) missingClass = true;
  }
  if (categorized && rules.classTracking === 'per_txn' && !t.class) missingClass = true;
  return { uncategorized, missingClass };
}

const UPSERT = `
  INSERT INTO ledger_transactions AS t (firm_id, client_id, connection_id, provider, provider_type, provider_id, txn_date, amount, currency,
         payee_id, payee_name, bank_account_id, bank_account_name, account_id, account_name, class_id, class_name, memo, reference,
         lines, raw, provider_updated_at, deleted, uncategorized, missing_class)
  SELECT $1, $2, $3, $4, r.t, r.i, r.d, r.a, r.c, r.pi, r.pn, r.bi, r.bn, r.ai, r.an, r.ci, r.cn, r.m, r.r, r.l, r.raw, r.u, false, r.un, r.mc
    FROM jsonb_to_recordset($5::jsonb) AS r(t text, i text, d date, a numeric, c text, pi text, pn text, bi text, bn text, ai text, an text,
                                            ci text, cn text, m text, r text, l jsonb, raw jsonb, u timestamptz, un boolean, mc boolean)
  ON CONFLICT (connection_id, provider_type, provider_id) DO UPDATE
    SET txn_date = EXCLUDED.txn_date, amount = EXCLUDED.amount, currency = EXCLUDED.currency, payee_id = EXCLUDED.payee_id,
        payee_name = EXCLUDED.payee_name, bank_account_id = EXCLUDED.bank_account_id, bank_account_name = EXCLUDED.bank_account_name,
        account_id = EXCLUDED.account_id, account_name = EXCLUDED.account_name, class_id = EXCLUDED.class_id, class_name = EXCLUDED.class_name,
        memo = EXCLUDED.memo, reference = EXCLUDED.reference, lines = EXCLUDED.lines, raw = EXCLUDED.raw,
        provider_updated_at = EXCLUDED.provider_updated_at, deleted = false, uncategorized = EXCLUDED.uncategorized,
        missing_class = EXCLUDED.missing_class, updated_at = now()
    -- A page read twice (a resumed backfill, overlapping change windows) rewrites nothing.
    WHERE t.provider_updated_at IS DISTINCT FROM EXCLUDED.provider_updated_at OR t.deleted
       OR t.uncategorized IS DISTINCT FROM EXCLUDED.uncategorized OR t.missing_class IS DISTINCT FROM EXCLUDED.missing_class
  RETURNING (xmax = 0) AS inserted`;

const MARK_DELETED = `
  UPDATE ledger_transactions t SET deleted = true, provider_updated_at = greatest(t.provider_updated_at, r.u), updated_at = now()
    FROM jsonb_to_recordset($2::jsonb) AS r(t text, i text, u timestamptz)
   WHERE t.connection_id = $1 AND t.provider_type = r.t AND t.provider_id = r.i AND NOT t.deleted
  RETURNING t.id`;

/**
 * Writes one page of transactions with two set-based statements (an upsert of the live ones, an
 * update of the deleted ones), inside the caller's transaction so the page and its checkpoint
 * commit together. A deletion of a transaction never stored is nothing to do.
 */
export async function writeTransactions(m: EntityManager, target: WriteTarget, items: LedgerTransaction[], rules: ReviewRules): Promise<WriteCounts> {
  // The last word on each transaction wins (a change list may name one twice).
  const latest = new Map<string, LedgerTransaction>();
  for (const t of items) latest.set(`${t.type}\u0000${t.id}`, t);
  const live: unknown[] = [];
  const gone: { t: string; i: string; u: string }[] = [];
  for (const t of latest.values()) {
    if (t.deleted) {
      gone.push({ t: t.type, i: t.id, u: t.updatedAt });
      continue;
    }
    const flags = reviewFlags(t, rules);
    live.push({
      t: t.type,
      i: t.id,
      d: t.date,
      a: t.amount,
      c: t.currency,
      pi: t.payee?.id ?? null,
      pn: t.payee?.name ?? null,
      bi: t.bankAccount?.id ?? null,
      bn: t.bankAccount?.name ?? null,
      ai: t.account?.id ?? null,
      an: t.account?.name ?? null,
      ci: t.class?.id ?? null,
      cn: t.class?.name ?? null,
      m: t.memo,
      r: t.reference,
      l: t.lines,
      raw: t.raw,
      u: t.updatedAt,
      un: flags.uncategorized,
      mc: flags.missingClass,
    });
  }
  const counts: WriteCounts = { added: 0, changed: 0, removed: 0 };
  if (live.length) {
    const rows = await returningRows<{ inserted: boolean }>(m, UPSERT, [target.firmId, target.clientId, target.connectionId, target.provider, JSON.stringify(live)]);
    for (const r of rows) {
      if (r.inserted) counts.added++;
      else counts.changed++;
    }
  }
  if (gone.length) {
    counts.removed = (await returningRows<{ id: string }>(m, MARK_DELETED, [target.connectionId, JSON.stringify(gone)])).length;
  }
  return counts;
}

/** The connection's review rules: the accounts marked "needs review", and how it tracks classes. */
export async function reviewRules(m: Pick<EntityManager, 'query'>, connectionId: string): Promise<ReviewRules> {
  const rows: { external_id: string }[] = await m.query(`SELECT external_id FROM ledger_accounts WHERE connection_id = $1 AND needs_review`, [connectionId]);
  const [c]: { class_tracking: ClassTracking }[] = await m.query(`SELECT class_tracking FROM ledger_connections WHERE id = $1`, [connectionId]);
  return { accounts: new Set(rows.map((r) => r.external_id)), classTracking: c?.class_tracking ?? 'off' };
}

/** The counts the board and the client page show, in one pass over the connection's rows. */
export async function refreshConnectionCounts(m: Pick<EntityManager, 'query'>, connectionId: string): Promise<void> {
  await m.query(
    `UPDATE ledger_connections l
        SET transaction_count = c.total, uncategorized_count = c.uncategorized, missing_class_count = c.missing_class, updated_at = now()
       FROM (SELECT count(*)::int AS total, count(*) FILTER (WHERE uncategorized)::int AS uncategorized,
                    count(*) FILTER (WHERE missing_class)::int AS missing_class
               FROM ledger_transactions WHERE connection_id = $1 AND NOT deleted) c
      WHERE l.id = $1`,
    [connectionId],
  );
}

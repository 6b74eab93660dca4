/**
 * The first line of the transaction `t` posted to a "needs review" account, as (id, name) from the
 * client's chart: what a question asks the client about, and what the explorer shows for a split
 * transaction that needs review. Use as `LEFT JOIN LATERAL (${REVIEW_LINE_LATERAL}) r ON …`.
 */
export const REVIEW_LINE_LATERAL = `SELECT a.external_id AS id, a.name
    FROM jsonb_array_elements(t.lines) WITH ORDINALITY AS x(line, n)
    JOIN ledger_accounts a ON a.connection_id = t.connection_id AND a.needs_review AND a.external_id = x.line->'account'->>'id'
   ORDER BY x.n LIMIT 1`;

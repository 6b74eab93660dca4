import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';

/**
 * Runs a statement as a named prepared statement on the pool TypeORM already holds, so PostgreSQL
 * parses and plans it once per connection instead of on every request. For the hot paths only
 * (every request's session lookup, the main lists); `name` must be unique per SQL text.
 */
export async function preparedQuery<T>(db: DataSource, name: string, text: string, values: unknown[]): Promise<T[]> {
  const pool = (db.driver as unknown as { master: Pool }).master;
  const result = await pool.query({ name, text, values });
  return result.rows as T[];
}

/**
 * The rows of an `UPDATE … RETURNING` or `DELETE … RETURNING` run through TypeORM's `query`,
 * which answers those with `[rows, affectedCount]` (and INSERT/SELECT with the rows alone).
 */
export async function returningRows<T>(m: { query: (sql: string, params?: unknown[]) => Promise<unknown> }, sql: string, params: unknown[]): Promise<T[]> {
  const r = await m.query(sql, params);
  return (Array.isArray(r) && r.length === 2 && Array.isArray(r[0]) && typeof r[1] === 'number' ? r[0] : r) as T[];
}

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

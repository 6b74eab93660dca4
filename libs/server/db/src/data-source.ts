import { types } from 'pg';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { migrations } from './migrations';

// Keep PostgreSQL `date` values as 'YYYY-MM-DD' strings: a JS Date would shift them by the time zone.
types.setTypeParser(1082, (v: string) => v);
// bigint (e.g. counts) as JS numbers is wrong for money but fine for counts; money columns are numeric and stay strings.
types.setTypeParser(20, (v: string) => Number(v));

/** `poolSize`: connections per process (DATABASE_POOL_SIZE); one-off tools use the default. */
export function dataSourceOptions(databaseUrl: string, poolSize = 10): DataSourceOptions {
  return {
    type: 'postgres',
    url: databaseUrl,
    synchronize: false,
    migrationsRun: false,
    migrations,
    migrationsTableName: 'typeorm_migrations',
    entities: [],
    extra: { max: poolSize, application_name: 'ledgerport' },
  };
}

export function createDataSource(databaseUrl: string): DataSource {
  return new DataSource(dataSourceOptions(databaseUrl));
}

/** Creates the database named in the URL if it does not exist (connects to the `postgres` database to do so). */
export async function ensureDatabase(databaseUrl: string): Promise<boolean> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!/^[a-zA-Z0-9_]+$/.test(name)) throw new Error(`Database name "${name}" must be letters, digits and underscores.`);
  const admin = new URL(databaseUrl);
  admin.pathname = '/postgres';
  const ds = new DataSource({ type: 'postgres', url: admin.toString() });
  await ds.initialize();
  try {
    const rows: unknown[] = await ds.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rows.length) return false;
    await ds.query(`CREATE DATABASE "${name}"`);
    return true;
  } finally {
    await ds.destroy();
  }
}

export async function runMigrations(databaseUrl: string): Promise<string[]> {
  const ds = createDataSource(databaseUrl);
  await ds.initialize();
  try {
    const ran = await ds.runMigrations({ transaction: 'each' });
    return ran.map((m) => m.name);
  } finally {
    await ds.destroy();
  }
}

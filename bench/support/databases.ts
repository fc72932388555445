/** Fresh, empty databases for one benchmark run (SQLite files in a temporary directory, MariaDB databases by name), and raw drivers on them. */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import { parseStoreUrl, type SqliteSynchronous, type StoreConnection } from '../../store/index.js';

export type MysqlConnection = Extract<StoreConnection, { interface: 'mysql' }>;

export interface FreshDatabase<C extends StoreConnection> {
  connection: C;
  dispose(): Promise<void>;
}

/** A new SQLite file (with its WAL) in its own temporary directory, removed by `dispose`; `synchronous` as the store's (default full). */
export function freshSqlite(label: string, synchronous: SqliteSynchronous = 'full'): FreshDatabase<Extract<StoreConnection, { interface: 'sqlite' }>> {
  const dir = mkdtempSync(join(tmpdir(), `appliance-bench-${label}-`));
  return { connection: { interface: 'sqlite', file: join(dir, `${label}.db`), synchronous }, dispose: () => Promise.resolve(rmSync(dir, { recursive: true, force: true })) };
}

/** The SQLite sync settings a benchmark compares: the durable default, then the faster explicit choice. */
export const SQLITE_SETTINGS: readonly SqliteSynchronous[] = ['full', 'normal'];

/** The MariaDB a benchmark may use: APPLIANCE_BENCH_MYSQL, else the test server APPLIANCE_TEST_MYSQL, else none. */
export function benchMysqlUrl(): string | undefined {
  return process.env.APPLIANCE_BENCH_MYSQL || process.env.APPLIANCE_TEST_MYSQL || undefined;
}

/** Creates `<DATABASE>_bench_<label>_<pid>` on the server `url` names (dropped by `dispose`). */
export async function freshMysql(url: string, label: string): Promise<FreshDatabase<MysqlConnection>> {
  const base = parseStoreUrl(url);
  if (base.interface !== 'mysql') throw new Error(`not a MySQL URL: ${url}`);
  const database = `${base.database}_bench_${label}_${process.pid}`;
  const admin = () => mysql.createConnection({ host: base.host, port: base.port, user: base.user, password: base.password });
  const c = await admin();
  await c.query(`DROP DATABASE IF EXISTS \`${database}\``);
  await c.query(`CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci`);
  await c.end();
  return {
    connection: { ...base, database },
    dispose: async () => {
      const d = await admin();
      await d.query(`DROP DATABASE IF EXISTS \`${database}\``);
      await d.end();
    },
  };
}

/** better-sqlite3 on `file` with the store's own connection settings, so only the store's code differs from it. */
export function rawSqliteDatabase(file: string, synchronous: SqliteSynchronous = 'full'): Database.Database {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  db.pragma(`synchronous = ${synchronous === 'normal' ? 'NORMAL' : 'FULL'}`);
  return db;
}

/** A mysql2 pool on `conn` with the store's session settings: UTC, DATETIME as text, DECIMAL as numbers. */
export function rawMysqlPool(conn: MysqlConnection): mysql.Pool {
  const pool = mysql.createPool({
    host: conn.host, port: conn.port, user: conn.user, password: conn.password, database: conn.database,
    connectionLimit: 10, charset: 'utf8mb4', timezone: 'Z', dateStrings: true, decimalNumbers: true, supportBigNumbers: true,
  });
  pool.pool.on('connection', (c: { query(sql: string): unknown }) => c.query("SET time_zone = '+00:00'"));
  return pool;
}

/** The production store: MySQL/MariaDB through a mysql2 pool, UTC sessions, retried across server restarts. */
import mysql from 'mysql2/promise';
import type { Pool, PoolConnection } from 'mysql2/promise';
import { AppError, backoff, toSqlDateTime, type Logger, silentLogger } from '../../common/index.js';
import { createTableSql, stepSql } from '../ddl.js';
import { insertSql, upsertSql } from '../dml.js';
import { MIGRATIONS_TABLE, pendingMigrations, summarize, type AppliedRow } from '../migrations.js';
import { TransactionScope } from '../transaction-scope.js';
import type { ArrayResult, Migration, MigrationReport, Row, RunResult, SchemaVersion, SqlValue, Store, StoreConnection, Transaction, UpsertOptions } from '../types.js';

/** Errors that mean the connection (not the statement) failed: the work can be retried on a new one. */
const CONNECTION_ERRORS = new Set([
  'PROTOCOL_CONNECTION_LOST', 'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH',
  'ER_SERVER_SHUTDOWN', 'ER_CONNECTION_KILLED', 'PROTOCOL_SEQUENCE_TIMEOUT', 'ER_CON_COUNT_ERROR',
  'PROTOCOL_PACKETS_OUT_OF_ORDER', 'ER_CLIENT_INTERACTION_TIMEOUT',
]);
const CONNECTION_ERRNOS = new Set([1053, 1927, 2002, 2003, 2006, 2013, 4031]);

/** Bound values per statement: MySQL's prepared statements take at most 65535 placeholders. */
const MAX_PLACEHOLDERS = 60_000;
const MAX_ROWS_PER_STATEMENT = 1_000;

/** Deadlock (1213) and lock wait timeout (1205): InnoDB gave up on the transaction, which may succeed when run again. */
const LOCK_CONFLICT_ERRNOS = new Set([1213, 1205]);
/** Re-runs of a transaction after a lock conflict, and their backoff. */
const LOCK_RETRIES = 5;
const LOCK_BACKOFF = { baseMs: 20, capMs: 1_000, jitter: 1 } as const;
/** Waiting for a lost server: 100 ms doubling to 2 s, half of it random so a pool's connections do not retry in step. */
const RECONNECT_BACKOFF = { baseMs: 100, capMs: 2_000, jitter: 0.5 } as const;

/** True when `err`, or an error it wraps (callers add context), is a deadlock or lock wait timeout. */
function isLockConflict(err: unknown): boolean {
  for (let e = err as { errno?: number; cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if (e.errno !== undefined && LOCK_CONFLICT_ERRNOS.has(e.errno)) return true;
  }
  return false;
}

function isConnectionError(err: unknown): boolean {
  const e = err as { code?: string; errno?: number; fatal?: boolean };
  return (e.code !== undefined && CONNECTION_ERRORS.has(e.code)) || (e.errno !== undefined && CONNECTION_ERRNOS.has(e.errno));
}

function bind(params: readonly SqlValue[]): unknown[] {
  return params.map((v) => (v instanceof Date ? toSqlDateTime(v) : typeof v === 'boolean' ? (v ? 1 : 0) : v === undefined ? null : v));
}

type MysqlConnection = Extract<StoreConnection, { interface: 'mysql' }>;

export interface MysqlStoreOptions {
  logger?: Logger;
  /** How long a call keeps retrying while the server is unreachable (default 60 s). */
  reconnectTimeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** Re-runs of a statement or transaction that hit a deadlock or lock wait timeout (default 5). */
  lockRetries?: number;
  /** Randomness of the lock-conflict backoff's jitter (tests fix it). */
  random?: () => number;
}

/** What a pool or a held connection can run. */
interface Executor {
  query(sql: string | object, values?: unknown): Promise<[unknown, unknown]>;
}

export class MysqlStore implements Store {
  readonly backend = 'mysql' as const;
  readonly description: string;
  private readonly pool: Pool;
  private readonly logger: Logger;
  private readonly reconnectTimeoutMs: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly lockRetries: number;
  private readonly random: () => number;
  /** Tells a call made from inside an open transaction, which would run on another connection, outside it. */
  private readonly scope = new TransactionScope();

  constructor(private readonly conn: MysqlConnection, options: MysqlStoreOptions = {}) {
    this.description = `mysql ${conn.user}@${conn.host}:${conn.port}/${conn.database}`;
    this.logger = options.logger ?? silentLogger;
    this.reconnectTimeoutMs = options.reconnectTimeoutMs ?? 60_000;
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.lockRetries = options.lockRetries ?? LOCK_RETRIES;
    this.random = options.random ?? Math.random;
    this.pool = mysql.createPool({
      host: conn.host,
      port: conn.port,
      user: conn.user,
      password: conn.password,
      database: conn.database,
      connectionLimit: conn.connectionLimit ?? 10,
      charset: 'utf8mb4',
      timezone: 'Z',
      // Same shapes as SQLite: DATETIME as `YYYY-MM-DD HH:MM:SS` text, DECIMAL as numbers.
      dateStrings: true,
      decimalNumbers: true,
      supportBigNumbers: true,
      bigNumberStrings: false,
      multipleStatements: false,
      enableKeepAlive: true,
    });
    // Every session runs in UTC, as GraphTool's did, so unix_timestamp() and DATETIME agree with SQLite.
    this.pool.pool.on('connection', (c: { query(sql: string): unknown }) => {
      c.query("SET time_zone = '+00:00'");
    });
  }

  /** The raw pool, for benchmarks that compare the store against the driver. */
  get driver(): Pool {
    return this.pool;
  }

  private unreachable(err: unknown): AppError {
    return new AppError(
      'unavailable',
      `MySQL at ${this.conn.host}:${this.conn.port} is unreachable (${(err as Error).message}); check that the server runs and the DBParam.xml connection is right`,
      { host: this.conn.host, port: this.conn.port },
      { cause: err },
    );
  }

  /**
   * Runs `work`, retrying with backoff while the failure is a lost or refused connection, and a bounded number of
   * times after a deadlock or lock wait timeout (InnoDB rolled the work back; for a transaction, `work` re-runs it all).
   */
  private async withRetry<T>(what: string, work: () => Promise<T>, timeoutMs = this.reconnectTimeoutMs): Promise<T> {
    this.scope.assertOutside(what);
    const deadline = Date.now() + timeoutMs;
    let reconnects = 0;
    let lockConflicts = 0;
    for (let attempt = 1; ; attempt++) {
      try {
        return await work();
      } catch (err) {
        if (isLockConflict(err)) {
          if (++lockConflicts > this.lockRetries) {
            throw new AppError('unavailable', `MySQL aborted ${what} for a deadlock or lock wait timeout ${lockConflicts} times; try again`, { errno: (err as { errno?: number }).errno }, { cause: err });
          }
          this.logger.debug(`MySQL lock conflict during ${what}; running it again`, { error: (err as Error).message, attempt: lockConflicts });
          await this.sleep(backoff(lockConflicts, { ...LOCK_BACKOFF, random: this.random }));
          continue;
        }
        if (!isConnectionError(err)) throw this.wrap(err);
        const delay = backoff(++reconnects, { ...RECONNECT_BACKOFF, random: this.random });
        if (Date.now() + delay > deadline) throw this.unreachable(err);
        if (attempt === 1) this.logger.warn(`MySQL connection lost during ${what}; retrying`, { error: (err as Error).message });
        await this.sleep(delay);
      }
    }
  }

  private wrap(err: unknown): unknown {
    const e = err as { code?: string; sqlMessage?: string; message?: string };
    if (e.code === 'ER_ACCESS_DENIED_ERROR' || e.code === 'ER_DBACCESS_DENIED_ERROR' || e.code === 'ER_BAD_DB_ERROR') {
      return new AppError('config', `MySQL refused the connection: ${e.sqlMessage ?? String(e.message)}; check Database, AuthDBUsername and AuthDBPassword in DBParam.xml (or --db)`, { code: e.code }, { cause: err });
    }
    if (e.code === 'ER_DUP_ENTRY') return new AppError('conflict', e.sqlMessage ?? String(e.message), {}, { cause: err });
    // A bad pattern usually comes from a URL parameter: the caller's mistake, not ours.
    if (e.code === 'ER_REGEXP_ERROR') return new AppError('bad_request', `invalid regular expression: ${e.sqlMessage ?? ''}`, {}, { cause: err });
    if (e.sqlMessage) return new AppError('internal', `SQL error: ${e.sqlMessage}`, { code: e.code }, { cause: err });
    return err;
  }

  private static async run(on: Executor, sql: string, params: readonly SqlValue[]): Promise<unknown> {
    const [result] = await on.query(sql, bind(params));
    return result;
  }

  private static async runArrays(on: Executor, sql: string, params: readonly SqlValue[]): Promise<ArrayResult> {
    const [rows, fields] = (await on.query({ sql, values: bind(params), rowsAsArray: true })) as unknown as [unknown[][], { name: string }[]];
    return { columns: (fields ?? []).map((f) => f.name), rows };
  }

  private static toRunResult(result: unknown): RunResult {
    const r = result as { affectedRows?: number; insertId?: number };
    return { changes: r.affectedRows ?? 0, lastInsertId: Number(r.insertId ?? 0) };
  }

  private static async insertBatches(
    on: Executor,
    columns: readonly string[],
    rows: readonly (readonly SqlValue[])[],
    sqlFor: (n: number) => string,
  ): Promise<number> {
    const perStatement = Math.max(1, Math.min(MAX_ROWS_PER_STATEMENT, Math.floor(MAX_PLACEHOLDERS / Math.max(1, columns.length))));
    let changed = 0;
    for (let i = 0; i < rows.length; i += perStatement) {
      const chunk = rows.slice(i, i + perStatement);
      const values: SqlValue[] = [];
      for (const row of chunk) {
        if (row.length !== columns.length) throw new AppError('internal', `a row has ${row.length} values for ${columns.length} columns`);
        for (const v of row) values.push(v);
      }
      changed += MysqlStore.toRunResult(await MysqlStore.run(on, sqlFor(chunk.length), values)).changes;
    }
    return changed;
  }

  /** One plain INSERT per row: a duplicate (1062) fails only its statement, and InnoDB keeps the transaction going. */
  private static async insertNewRows(on: Executor, table: string, columns: readonly string[], rows: readonly (readonly SqlValue[])[]): Promise<boolean[]> {
    const sql = insertSql(table, columns, 1);
    const fresh: boolean[] = [];
    for (const row of rows) {
      if (row.length !== columns.length) throw new AppError('internal', `insert into ${table}: a row has ${row.length} values for ${columns.length} columns`);
      try {
        await MysqlStore.run(on, sql, row);
        fresh.push(true);
      } catch (err) {
        if ((err as { errno?: number }).errno !== 1062) throw err;
        fresh.push(false);
      }
    }
    return fresh;
  }

  private queryable(c: PoolConnection): Transaction {
    return {
      backend: 'mysql',
      query: async <T extends Row>(sql: string, params: readonly SqlValue[] = []) => (await MysqlStore.run(c, sql, params)) as T[],
      queryArrays: (sql: string, params: readonly SqlValue[] = []) => MysqlStore.runArrays(c, sql, params),
      execute: async (sql: string, params: readonly SqlValue[] = []) => MysqlStore.toRunResult(await MysqlStore.run(c, sql, params)),
      insertMany: (table, columns, rows) => MysqlStore.insertBatches(c, columns, rows, (n) => insertSql(table, columns, n)),
      upsert: (table, columns, rows, options) =>
        MysqlStore.insertBatches(c, columns, rows, (n) => upsertSql('mysql', table, columns, n, options)),
      insertNew: (table, columns, rows) => MysqlStore.insertNewRows(c, table, columns, rows),
    };
  }

  async query<T extends Row = Row>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    return this.withRetry('query', async () => (await MysqlStore.run(this.pool, sql, params)) as T[]);
  }

  async queryArrays(sql: string, params: readonly SqlValue[] = []): Promise<ArrayResult> {
    return this.withRetry('queryArrays', () => MysqlStore.runArrays(this.pool, sql, params));
  }

  async execute(sql: string, params: readonly SqlValue[] = []): Promise<RunResult> {
    return this.withRetry('execute', async () => MysqlStore.toRunResult(await MysqlStore.run(this.pool, sql, params)));
  }

  async insertMany(table: string, columns: readonly string[], rows: readonly (readonly SqlValue[])[]): Promise<number> {
    if (rows.length === 0) return 0;
    this.scope.assertOutside('insertMany');
    return this.transaction((tx) => tx.insertMany(table, columns, rows));
  }

  async upsert(table: string, columns: readonly string[], rows: readonly (readonly SqlValue[])[], options: UpsertOptions): Promise<number> {
    if (rows.length === 0) return 0;
    this.scope.assertOutside('upsert');
    return this.transaction((tx) => tx.upsert(table, columns, rows, options));
  }

  async insertNew(table: string, columns: readonly string[], rows: readonly (readonly SqlValue[])[]): Promise<boolean[]> {
    if (rows.length === 0) return [];
    this.scope.assertOutside('insertNew');
    return this.transaction((tx) => tx.insertNew(table, columns, rows));
  }

  async transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T> {
    return this.withRetry('transaction', async () => {
      const c = await this.pool.getConnection();
      let committing = false;
      try {
        await c.beginTransaction();
        const tx = this.queryable(c);
        const result = await this.scope.run(() => fn(tx));
        committing = true;
        await c.commit();
        c.release();
        return result;
      } catch (err) {
        if (isConnectionError(err)) {
          c.destroy();
          // A connection lost during COMMIT leaves the outcome unknown: say so rather than run the work twice.
          if (committing) throw new AppError('unavailable', `MySQL connection lost while committing; the outcome is unknown: ${(err as Error).message}`);
          throw err;
        }
        try {
          await c.rollback();
          c.release();
        } catch {
          c.destroy();
        }
        throw err;
      }
    });
  }

  async migrate(migrations: readonly Migration[]): Promise<MigrationReport> {
    return this.withRetry('migrate', async () => {
      const c = await this.pool.getConnection();
      try {
        // Several appliances may start at once against one database: one migrates, the others wait.
        const [lock] = (await c.query("SELECT GET_LOCK('fabric_appliance_migrations', 120) AS got")) as [{ got: number }[], unknown];
        if (lock[0]?.got !== 1) throw new AppError('unavailable', 'another appliance has held the migration lock for 120 s; try again');
        try {
          for (const sql of createTableSql(MIGRATIONS_TABLE, 'mysql')) await c.query(sql);
          const [applied] = (await c.query('SELECT stage, version FROM schema_migrations')) as [AppliedRow[], unknown];
          const report: MigrationReport = { applied: [] };
          for (const m of pendingMigrations(migrations, applied)) {
            // MySQL DDL commits implicitly; every step is written to be re-runnable, and the record comes last.
            try {
              for (const step of m.steps) for (const sql of stepSql(step, 'mysql')) await c.query(sql);
            } catch (err) {
              if (isConnectionError(err)) throw err;
              throw new AppError('internal', `migration ${m.stage} ${m.version} (${m.name}) failed; it is safe to run again: ${(err as Error).message}`);
            }
            await c.query('INSERT INTO schema_migrations (stage, version, name, applied_at) VALUES (?, ?, ?, ?)', [
              m.stage, m.version, m.name, toSqlDateTime(new Date()),
            ]);
            report.applied.push({ stage: m.stage, version: m.version, name: m.name });
          }
          return report;
        } finally {
          await c.query("SELECT RELEASE_LOCK('fabric_appliance_migrations')").catch(() => undefined);
        }
      } finally {
        c.release();
      }
    });
  }

  async schemaVersion(): Promise<SchemaVersion> {
    // Read-only: health checks and metrics call this on every request, and must not run DDL. No table: none applied.
    return this.withRetry('schemaVersion', async () => {
      try {
        const [rows] = (await this.pool.query('SELECT stage, version FROM schema_migrations')) as [AppliedRow[], unknown];
        return summarize(rows);
      } catch (err) {
        if ((err as { code?: string }).code === 'ER_NO_SUCH_TABLE') return summarize([]);
        throw err;
      }
    });
  }

  async ping(options: { timeoutMs?: number } = {}): Promise<void> {
    await this.withRetry(
      'ping',
      async () => {
        await this.pool.query('SELECT 1');
      },
      options.timeoutMs,
    );
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

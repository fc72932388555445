/** The embedded store: one SQLite file (WAL, foreign keys on) with MySQL functions and syntax emulated. */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { AppError, toSqlDateTime } from '../../common/index.js';
import { createTableSql, stepSql } from '../ddl.js';
import { insertSql, upsertSql } from '../dml.js';
import { MIGRATIONS_TABLE, pendingMigrations, summarize, type AppliedRow } from '../migrations.js';
import type { ArrayResult, Migration, MigrationReport, Queryable, Row, RunResult, SchemaVersion, SqlValue, Store, UpsertOptions } from '../types.js';
import { registerMySqlFunctions } from './mysql-functions.js';
import { translateMySql } from './translate.js';

const STATEMENT_CACHE_LIMIT = 500;
/** Rows per multi-row statement: SQLite allows 32766 bound values per statement. */
const MAX_VARIABLES = 32_000;

type Bindable = number | bigint | string | Buffer | null;

/** better-sqlite3 takes no booleans or Dates: store them as MySQL would (1/0, UTC DATETIME text). */
function bind(params: readonly SqlValue[]): Bindable[] {
  let converted: Bindable[] | undefined;
  for (let i = 0; i < params.length; i++) {
    const v = params[i];
    if (typeof v === 'boolean' || v instanceof Date || v === undefined) {
      converted ??= params.slice() as Bindable[];
      converted[i] = typeof v === 'boolean' ? (v ? 1 : 0) : v instanceof Date ? toSqlDateTime(v) : null;
    }
  }
  return converted ?? (params as Bindable[]);
}

export interface SqliteStoreOptions {
  /** The clock behind NOW() and UNIX_TIMESTAMP(). */
  now?: () => Date;
}

export class SqliteStore implements Store {
  readonly backend = 'sqlite' as const;
  readonly description: string;
  private readonly db: Database.Database;
  private readonly statements = new Map<string, Database.Statement>();
  /** Settles when the open async transaction ends; other callers wait on it so they never run inside it. */
  private txDone: Promise<void> | undefined;

  constructor(file: string, options: SqliteStoreOptions = {}) {
    this.description = `sqlite ${file}`;
    if (file !== ':memory:') {
      try {
        mkdirSync(dirname(file), { recursive: true });
      } catch (err) {
        throw new AppError('config', `cannot create the data directory ${dirname(file)}: ${(err as Error).message}; pass a writable --data DIR`, { file });
      }
    }
    try {
      this.db = new Database(file);
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('foreign_keys = ON');
      this.db.pragma('busy_timeout = 5000');
      this.db.pragma('synchronous = NORMAL');
    } catch (err) {
      throw new AppError('config', `cannot open the SQLite store ${file}: ${(err as Error).message}; check the path and its permissions`, { file });
    }
    registerMySqlFunctions(this.db, options.now);
  }

  /** The raw connection, for benchmarks that compare the store against the driver. */
  get driver(): Database.Database {
    return this.db;
  }

  private prepare(sql: string): Database.Statement {
    let stmt = this.statements.get(sql);
    if (!stmt) {
      try {
        stmt = this.db.prepare(translateMySql(sql));
      } catch (err) {
        throw new AppError('bad_request', `SQL error: ${(err as Error).message}`, { sql });
      }
      if (this.statements.size >= STATEMENT_CACHE_LIMIT) this.statements.clear();
      this.statements.set(sql, stmt);
    }
    return stmt;
  }

  private async outsideTransactions(): Promise<void> {
    while (this.txDone) await this.txDone;
  }

  private queryNow<T extends Row>(sql: string, params: readonly SqlValue[]): T[] {
    const stmt = this.prepare(sql);
    if (!stmt.reader) {
      stmt.run(bind(params));
      return [];
    }
    return stmt.all(bind(params)) as T[];
  }

  private queryArraysNow(sql: string, params: readonly SqlValue[]): ArrayResult {
    const stmt = this.prepare(sql);
    if (!stmt.reader) throw new AppError('internal', 'queryArrays needs a statement that returns rows', { sql });
    const columns = stmt.columns().map((c) => c.name);
    // raw mode is a property of the cached statement: switch it back so query() still gets objects.
    stmt.raw(true);
    try {
      return { columns, rows: stmt.all(bind(params)) as unknown[][] };
    } finally {
      stmt.raw(false);
    }
  }

  private executeNow(sql: string, params: readonly SqlValue[]): RunResult {
    const r = this.prepare(sql).run(bind(params));
    return { changes: r.changes, lastInsertId: Number(r.lastInsertRowid) };
  }

  private insertRowsNow(table: string, columns: readonly string[], rows: readonly (readonly SqlValue[])[], sqlFor: (n: number) => string): number {
    if (rows.length === 0) return 0;
    // One statement per row, prepared once, inside one transaction: the fastest shape for SQLite.
    const stmt = this.prepare(sqlFor(1));
    let changed = 0;
    const run = this.db.transaction(() => {
      for (const row of rows) {
        if (row.length !== columns.length) {
          throw new AppError('internal', `insert into ${table}: a row has ${row.length} values for ${columns.length} columns`);
        }
        changed += stmt.run(bind(row)).changes;
      }
    });
    run();
    return changed;
  }

  private queryable(): Queryable {
    return {
      query: async <T extends Row>(sql: string, params: readonly SqlValue[] = []) => this.queryNow<T>(sql, params),
      queryArrays: async (sql: string, params: readonly SqlValue[] = []) => this.queryArraysNow(sql, params),
      execute: async (sql: string, params: readonly SqlValue[] = []) => this.executeNow(sql, params),
      insertMany: async (table, columns, rows) => this.insertRowsNow(table, columns, rows, (n) => insertSql(table, columns, n)),
      upsert: async (table, columns, rows, options) =>
        this.insertRowsNow(table, columns, rows, (n) => upsertSql('sqlite', table, columns, n, options)),
    };
  }

  async query<T extends Row = Row>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    if (this.txDone) await this.outsideTransactions();
    return this.queryNow<T>(sql, params);
  }

  async queryArrays(sql: string, params: readonly SqlValue[] = []): Promise<ArrayResult> {
    if (this.txDone) await this.outsideTransactions();
    return this.queryArraysNow(sql, params);
  }

  async execute(sql: string, params: readonly SqlValue[] = []): Promise<RunResult> {
    if (this.txDone) await this.outsideTransactions();
    return this.executeNow(sql, params);
  }

  async insertMany(table: string, columns: readonly string[], rows: readonly (readonly SqlValue[])[]): Promise<number> {
    if (this.txDone) await this.outsideTransactions();
    if (columns.length > MAX_VARIABLES) throw new AppError('internal', `insert into ${table}: too many columns`);
    return this.insertRowsNow(table, columns, rows, (n) => insertSql(table, columns, n));
  }

  async upsert(table: string, columns: readonly string[], rows: readonly (readonly SqlValue[])[], options: UpsertOptions): Promise<number> {
    if (this.txDone) await this.outsideTransactions();
    return this.insertRowsNow(table, columns, rows, (n) => upsertSql('sqlite', table, columns, n, options));
  }

  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    await this.outsideTransactions();
    let finish!: () => void;
    this.txDone = new Promise((resolve) => (finish = resolve));
    try {
      // IMMEDIATE takes the write lock now, so a second process cannot make this transaction fail at its first write.
      this.db.exec('BEGIN IMMEDIATE');
      try {
        const result = await fn(this.queryable());
        this.db.exec('COMMIT');
        return result;
      } catch (err) {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        throw err;
      }
    } finally {
      this.txDone = undefined;
      finish();
    }
  }

  async migrate(migrations: readonly Migration[]): Promise<MigrationReport> {
    await this.outsideTransactions();
    for (const sql of createTableSql(MIGRATIONS_TABLE, 'sqlite')) this.db.exec(sql);
    const applied = this.db.prepare('SELECT stage, version FROM schema_migrations').all() as AppliedRow[];
    const report: MigrationReport = { applied: [] };
    for (const m of pendingMigrations(migrations, applied)) {
      // SQLite DDL is transactional: a failing step leaves nothing of its migration behind.
      const apply = this.db.transaction(() => {
        for (const step of m.steps) for (const sql of stepSql(step, 'sqlite')) this.db.exec(sql);
        this.db
          .prepare('INSERT INTO schema_migrations (stage, version, name, applied_at) VALUES (?, ?, ?, ?)')
          .run(m.stage, m.version, m.name, toSqlDateTime(new Date()));
      });
      try {
        apply.immediate();
      } catch (err) {
        throw new AppError('internal', `migration ${m.stage} ${m.version} (${m.name}) failed and was rolled back: ${(err as Error).message}`);
      }
      report.applied.push({ stage: m.stage, version: m.version, name: m.name });
    }
    this.statements.clear();
    return report;
  }

  async schemaVersion(): Promise<SchemaVersion> {
    for (const sql of createTableSql(MIGRATIONS_TABLE, 'sqlite')) this.db.exec(sql);
    return summarize(this.db.prepare('SELECT stage, version FROM schema_migrations').all() as AppliedRow[]);
  }

  async ping(): Promise<void> {
    this.db.prepare('SELECT 1').get();
  }

  async close(): Promise<void> {
    await this.outsideTransactions();
    this.statements.clear();
    if (this.db.open) this.db.close();
  }
}

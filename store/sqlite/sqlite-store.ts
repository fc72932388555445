/** The embedded store: one SQLite file (WAL, foreign keys on) with MySQL functions and syntax emulated. */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { AppError, Slice, toSqlDateTime } from '../../common/index.js';
import { createTableSql, quoteIdentifier, stepSql } from '../ddl.js';
import { insertSql, upsertSql } from '../dml.js';
import { binaryColumnNames, MIGRATIONS_TABLE, pendingMigrations, summarize, type AppliedRow } from '../migrations.js';
import { TransactionScope } from '../transaction-scope.js';
import type { ArrayResult, Migration, MigrationReport, QueryOptions, Row, RunResult, SchemaVersion, SqliteSynchronous, SqlValue, Store, Transaction, UpsertOptions } from '../types.js';
import { bind, rowBinder, type TemporalKind } from './bind.js';
import { registerMySqlFunctions } from './mysql-functions.js';
import { QueryWorkerPool, type QueryWorkerStats } from './query-worker-pool.js';
import { WalCheckpointer } from './wal-checkpointer.js';
import { syncWal } from './wal-sync.js';
import { sqlError } from './sql-error.js';
import { prepareTranslated } from './group-by-alias.js';
import { translateMySql } from './translate.js';

const STATEMENT_CACHE_LIMIT = 500;
/** Rows per multi-row statement: SQLite allows 32766 bound values per statement. */
const MAX_VARIABLES = 32_000;
/** How long a health read on a query worker may take while a write transaction is open. */
const HEALTH_TIMEOUT_MS = 5_000;

/** Runs synchronous driver work as a promise, so a failure rejects rather than throws at the call. */
function settle<T>(work: () => T): Promise<T> {
  return new Promise<T>((resolve) => resolve(work()));
}

export interface SqliteStoreOptions {
  /** The clock behind NOW() and UNIX_TIMESTAMP(). */
  now?: () => Date;
  /** Query workers for statements given a timeout (1 or 2; default 2). */
  queryWorkers?: number;
  /** Workers stopped at a timeout but still inside SQLite, beyond which timed statements are refused (default 2). */
  maxAbandonedWorkers?: number;
  /** `full` (default): every commit is on disk before it returns, power loss included. `normal`: see SqliteSynchronous. */
  synchronous?: SqliteSynchronous;
}

/** `:memory:` (or an empty name, SQLite's temporary database) is private to its connection: no worker can open it. */
const isPrivateDatabase = (file: string): boolean => file === ':memory:' || file === '' || file.startsWith('file::memory:');

export class SqliteStore implements Store {
  readonly backend = 'sqlite' as const;
  readonly description: string;
  private readonly db: Database.Database;
  private readonly statements = new Map<string, Database.Statement>();
  /** Lower-cased names of binary text columns, learnt from the migrations. */
  private readonly caseSensitiveColumns = new Set<string>();
  /** Per table: lower-cased column name to its temporal kind (undefined for other columns). */
  private readonly columnKinds = new Map<string, Map<string, TemporalKind | undefined>>();
  /** Settles when the open async transaction ends; other callers wait on it so they never run inside it. */
  private txDone: Promise<void> | undefined;
  /** Tells a call made from inside the open transaction, which would wait on txDone forever. */
  private readonly scope = new TransactionScope();
  private readonly now: () => Date;
  /** Runs timed read-only statements off the event loop; undefined for a private (in-memory) database. */
  private readonly workers: QueryWorkerPool | undefined;
  /** Checkpoints the WAL off the event loop; undefined for a private (in-memory) database, which has no WAL. */
  private readonly checkpointer: WalCheckpointer | undefined;
  /**
   * Under synchronous=FULL, the database whose WAL an async transaction syncs itself, off the event loop, after a
   * COMMIT run at NORMAL (see transaction()); undefined for a private database or synchronous=NORMAL.
   */
  private readonly walSyncFile: string | undefined;

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
      // FULL in WAL mode fsyncs the WAL at every commit, so an acknowledged write survives a power cut; the sample
      // writer's group commit keeps that to one fsync per batch of concurrent requests.
      this.db.pragma(`synchronous = ${options.synchronous === 'normal' ? 'NORMAL' : 'FULL'}`);
    } catch (err) {
      throw new AppError('config', `cannot open the SQLite store ${file}: ${(err as Error).message}; check the path and its permissions`, { file });
    }
    this.now = options.now ?? (() => new Date());
    registerMySqlFunctions(this.db, options.now);
    if (!isPrivateDatabase(file)) this.workers = new QueryWorkerPool({ file, size: options.queryWorkers, maxAbandoned: options.maxAbandonedWorkers });
    if (!isPrivateDatabase(file)) {
      // No checkpoint inside this connection's COMMITs (see wal-checkpointer.ts); the worker does them instead.
      this.db.pragma('wal_autocheckpoint = 0');
      this.checkpointer = new WalCheckpointer({ file, synchronous: options.synchronous === 'normal' ? 'NORMAL' : 'FULL' });
      if (options.synchronous !== 'normal') this.walSyncFile = file;
    }
  }

  /** The query workers' counts (all zero for an in-memory store, which runs every statement inline). */
  get workerStats(): QueryWorkerStats {
    return this.workers?.stats() ?? { live: 0, idle: 0, abandoned: 0, timedOut: 0 };
  }

  /** The raw connection, for benchmarks that compare the store against the driver. */
  get driver(): Database.Database {
    return this.db;
  }

  private prepare(sql: string): Database.Statement {
    let stmt = this.statements.get(sql);
    if (!stmt) {
      try {
        stmt = prepareTranslated(this.db, translateMySql(sql, this.caseSensitiveColumns));
      } catch (err) {
        throw sqlError(err, sql);
      }
      if (this.statements.size >= STATEMENT_CACHE_LIMIT) this.statements.clear();
      this.statements.set(sql, stmt);
    }
    return stmt;
  }

  /**
   * Runs `work` when no transaction is open. The last check and `work` run in one synchronous step: with any
   * await between them, a transaction queued behind the same one could begin first, and `work` would run
   * inside it (and be rolled back with it).
   */
  private async outside<T>(work: () => T, call = 'query'): Promise<T> {
    this.scope.assertOutside(call);
    while (this.txDone) await this.txDone;
    return work();
  }

  private queryNow<T extends Row>(sql: string, params: readonly SqlValue[]): T[] {
    const stmt = this.prepare(sql);
    try {
      if (!stmt.reader) {
        stmt.run(bind(params));
        return [];
      }
      return stmt.all(bind(params)) as T[];
    } catch (err) {
      throw sqlError(err, sql);
    }
  }

  private queryArraysNow(sql: string, params: readonly SqlValue[]): ArrayResult {
    const stmt = this.prepare(sql);
    if (!stmt.reader) throw new AppError('internal', 'queryArrays needs a statement that returns rows', { sql });
    const columns = stmt.columns().map((c) => c.name);
    // raw mode is a property of the cached statement: switch it back so query() still gets objects.
    stmt.raw(true);
    try {
      return { columns, rows: stmt.all(bind(params)) as unknown[][] };
    } catch (err) {
      throw sqlError(err, sql);
    } finally {
      stmt.raw(false);
    }
  }

  private executeNow(sql: string, params: readonly SqlValue[]): RunResult {
    const stmt = this.prepare(sql);
    try {
      const r = stmt.run(bind(params));
      return { changes: r.changes, lastInsertId: Number(r.lastInsertRowid) };
    } catch (err) {
      throw sqlError(err, sql);
    }
  }

  /** Which of `columns` are DATETIME or DATE columns of `table`, read from the schema once per table. */
  private temporalKinds(table: string, columns: readonly string[]): (TemporalKind | undefined)[] {
    let kinds = this.columnKinds.get(table);
    if (!kinds || columns.some((c) => !kinds!.has(c.toLowerCase()))) {
      kinds = new Map();
      for (const c of this.db.pragma(`table_info(${quoteIdentifier(table)})`) as { name: string; type: string }[]) {
        const type = c.type.toUpperCase();
        kinds.set(c.name.toLowerCase(), type === 'DATETIME' ? 'datetime' : type === 'DATE' ? 'date' : undefined);
      }
      this.columnKinds.set(table, kinds);
    }
    return columns.map((c) => kinds.get(c.toLowerCase()));
  }

  private insertRowsNow(table: string, columns: readonly string[], rows: readonly (readonly SqlValue[])[], sqlFor: (n: number) => string): number {
    if (rows.length === 0) return 0;
    // One statement per row, prepared once, inside one transaction: the fastest shape for SQLite.
    const sql = sqlFor(1);
    const stmt = this.prepare(sql);
    const bindRow = rowBinder(table, columns, this.temporalKinds(table, columns));
    let changed = 0;
    const run = this.db.transaction(() => {
      for (const row of rows) {
        if (row.length !== columns.length) {
          throw new AppError('internal', `insert into ${table}: a row has ${row.length} values for ${columns.length} columns`);
        }
        changed += stmt.run(bindRow(row)).changes;
      }
    });
    try {
      run();
    } catch (err) {
      throw sqlError(err, sql);
    }
    return changed;
  }

  /**
   * A transaction's insert, in slices of a few milliseconds with a turn of the event loop between them (shared with
   * every other long job, see common/loop-turns.ts), so a 100,000-row batch does not hold the process (and /healthz).
   * The transaction's slot stays taken meanwhile, so nothing else runs inside it, and a failing row fails the whole
   * transaction: still all or nothing.
   */
  private async insertInSlices(table: string, columns: readonly string[], rows: readonly (readonly SqlValue[])[], sqlFor: (n: number) => string): Promise<number> {
    if (rows.length === 0) return 0;
    const sql = sqlFor(1);
    const stmt = this.prepare(sql);
    const bindRow = rowBinder(table, columns, this.temporalKinds(table, columns));
    const slice = new Slice();
    let changed = 0;
    // A savepoint, as one synchronous insert has: a failed call leaves none of its rows, even if the caller goes on.
    this.db.exec('SAVEPOINT insert_slices');
    try {
      for (let i = 0; i < rows.length; i++) {
        if ((i & 63) === 63 && slice.due) await slice.next();
        const row = rows[i]!;
        if (row.length !== columns.length) throw new AppError('internal', `insert into ${table}: a row has ${row.length} values for ${columns.length} columns`);
        try {
          changed += stmt.run(bindRow(row)).changes;
        } catch (err) {
          throw sqlError(err, sql);
        }
      }
    } catch (err) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK TO insert_slices; RELEASE insert_slices');
      throw err;
    }
    this.db.exec('RELEASE insert_slices');
    return changed;
  }

  /** What a transaction's callback runs on: its own connection, inline, so a timeout cannot apply (see timed()). */
  private queryable(): Transaction {
    return {
      backend: 'sqlite',
      query: <T extends Row>(sql: string, params: readonly SqlValue[] = []) => settle(() => this.queryNow<T>(sql, params)),
      queryArrays: (sql: string, params: readonly SqlValue[] = []) => settle(() => this.queryArraysNow(sql, params)),
      execute: (sql: string, params: readonly SqlValue[] = []) => settle(() => this.executeNow(sql, params)),
      insertMany: (table, columns, rows) => this.insertInSlices(table, columns, rows, (n) => insertSql(table, columns, n)),
      upsert: (table, columns, rows, options) =>
        this.insertInSlices(table, columns, rows, (n) => upsertSql('sqlite', table, columns, n, options)),
      insertNew: (table, columns, rows) => settle(() => this.insertNewNow(table, columns, rows)),
    };
  }

  /**
   * Runs a read-only statement given a timeout on a query worker (see query-worker-pool.ts); anything else runs
   * inline. Inline means: an in-memory store (no other connection can see it), a statement that writes (the workers
   * are read-only, and a write must not be cut off halfway), or no timeout. Those are not bounded. A worker sees
   * committed data only, and no TEMP table of the store's connection (the appliance creates none).
   */
  private async timed<R>(sql: string, params: readonly SqlValue[], options: QueryOptions, shape: 'arrays' | 'objects', inline: () => R): Promise<R> {
    this.scope.assertOutside(shape === 'arrays' ? 'queryArrays' : 'query');
    if (options.timeoutMs === undefined || !this.workers) return this.outside(inline);
    // Waited for as inline statements wait, so a statement sent after a transaction's commit sees its rows.
    while (this.txDone) await this.txDone;
    // Prepared here too: a bad statement fails as it does inline, and better-sqlite3 says whether it only reads.
    const stmt = this.prepare(sql);
    if (!stmt.reader || !stmt.readonly) return this.outside(inline);
    return (await this.workers.run(sql, bind(params), shape, this.now().getTime(), options.timeoutMs)) as R;
  }

  async query<T extends Row = Row>(sql: string, params: readonly SqlValue[] = [], options: QueryOptions = {}): Promise<T[]> {
    return this.timed(sql, params, options, 'objects', () => this.queryNow<T>(sql, params));
  }

  async queryArrays(sql: string, params: readonly SqlValue[] = [], options: QueryOptions = {}): Promise<ArrayResult> {
    return this.timed(sql, params, options, 'arrays', () => this.queryArraysNow(sql, params));
  }

  async execute(sql: string, params: readonly SqlValue[] = []): Promise<RunResult> {
    const result = await this.outside(() => this.executeNow(sql, params), 'execute');
    this.checkpointer?.afterCommit();
    return result;
  }

  async insertMany(table: string, columns: readonly string[], rows: readonly (readonly SqlValue[])[]): Promise<number> {
    if (columns.length > MAX_VARIABLES) throw new AppError('internal', `insert into ${table}: too many columns`);
    const inserted = await this.outside(() => this.insertRowsNow(table, columns, rows, (n) => insertSql(table, columns, n)), 'insertMany');
    this.checkpointer?.afterCommit();
    return inserted;
  }

  async upsert(table: string, columns: readonly string[], rows: readonly (readonly SqlValue[])[], options: UpsertOptions): Promise<number> {
    const changed = await this.outside(() => this.insertRowsNow(table, columns, rows, (n) => upsertSql('sqlite', table, columns, n, options)), 'upsert');
    this.checkpointer?.afterCommit();
    return changed;
  }

  async insertNew(table: string, columns: readonly string[], rows: readonly (readonly SqlValue[])[]): Promise<boolean[]> {
    return this.outside(() => this.insertNewNow(table, columns, rows), 'insertNew');
  }

  /** One `ON CONFLICT DO NOTHING` insert per row (any unique key), in one transaction; a row is new when it changed one. */
  private insertNewNow(table: string, columns: readonly string[], rows: readonly (readonly SqlValue[])[]): boolean[] {
    if (rows.length === 0) return [];
    const sql = `${insertSql(table, columns, 1)} ON CONFLICT DO NOTHING`;
    const stmt = this.prepare(sql);
    const bindRow = rowBinder(table, columns, this.temporalKinds(table, columns));
    const run = this.db.transaction(() =>
      rows.map((row) => {
        if (row.length !== columns.length) throw new AppError('internal', `insert into ${table}: a row has ${row.length} values for ${columns.length} columns`);
        return stmt.run(bindRow(row)).changes === 1;
      }),
    );
    try {
      return run();
    } catch (err) {
      throw sqlError(err, sql);
    }
  }

  async transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T> {
    this.scope.assertOutside('transaction');
    // No await between the last check and taking the slot: see outside().
    while (this.txDone) await this.txDone;
    let finish!: () => void;
    this.txDone = new Promise((resolve) => (finish = resolve));
    const syncFile = this.walSyncFile;
    let result: T;
    try {
      // FULL would fsync inside COMMIT, on the event loop; at NORMAL the COMMIT only writes the WAL, and the same
      // sync runs below on the thread pool before the result is handed back (durable before acknowledged).
      if (syncFile) this.db.pragma('synchronous = NORMAL');
      // IMMEDIATE takes the write lock now, so a second process cannot make this transaction fail at its first write.
      this.db.exec('BEGIN IMMEDIATE');
      try {
        const tx = this.queryable();
        result = await this.scope.run(() => fn(tx));
        this.db.exec('COMMIT');
        this.checkpointer?.afterCommit();
      } catch (err) {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        throw err;
      }
    } finally {
      // Statements outside async transactions still commit at FULL.
      if (syncFile) this.db.pragma('synchronous = FULL');
      this.txDone = undefined;
      finish();
    }
    // After the slot is free: the next transaction may run while this one's frames (and any before them) are synced.
    if (syncFile) await syncWal(syncFile);
    return result;
  }

  async migrate(migrations: readonly Migration[]): Promise<MigrationReport> {
    // The full list comes on every start: it tells which text columns are binary, for REGEXP's case rule.
    for (const name of binaryColumnNames(migrations)) this.caseSensitiveColumns.add(name);
    this.statements.clear();
    this.workers?.setCaseSensitiveColumns(this.caseSensitiveColumns);
    return this.outside(() => this.migrateNow(migrations), 'migrate');
  }

  private migrateNow(migrations: readonly Migration[]): MigrationReport {
    for (const sql of createTableSql(MIGRATIONS_TABLE, 'sqlite')) this.db.exec(sql);
    const applied = this.db.prepare('SELECT stage, version FROM schema_migrations').all() as AppliedRow[];
    const report: MigrationReport = { applied: [] };
    for (const m of pendingMigrations(migrations, applied)) {
      // SQLite DDL is transactional: a failing step leaves nothing of its migration behind.
      const apply = this.db.transaction((): boolean => {
        // Another process may have applied it since the list was read; the write lock makes this check final.
        if (this.db.prepare('SELECT 1 FROM schema_migrations WHERE stage = ? AND version = ?').get(m.stage, m.version)) return false;
        for (const step of m.steps) for (const sql of stepSql(step, 'sqlite')) this.db.exec(sql);
        this.db
          .prepare('INSERT INTO schema_migrations (stage, version, name, applied_at) VALUES (?, ?, ?, ?)')
          .run(m.stage, m.version, m.name, toSqlDateTime(new Date()));
        return true;
      });
      let appliedHere: boolean;
      try {
        appliedHere = apply.immediate();
      } catch (err) {
        throw new AppError('internal', `migration ${m.stage} ${m.version} (${m.name}) failed and was rolled back: ${(err as Error).message}`);
      }
      if (appliedHere) report.applied.push({ stage: m.stage, version: m.version, name: m.name });
    }
    this.statements.clear();
    this.columnKinds.clear();
    return report;
  }

  async schemaVersion(): Promise<SchemaVersion> {
    // While a write transaction is open, a query worker's reader answers (WAL readers never wait for the writer), so
    // /healthz and /metrics stay quick during a large batch.
    if (this.txDone && this.workers) {
      this.scope.assertOutside('schemaVersion');
      const present = (await this.workers.run("SELECT 1 AS n FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'", [], 'objects', this.now().getTime(), HEALTH_TIMEOUT_MS)) as Row[];
      if (!present.length) return summarize([]);
      return summarize((await this.workers.run('SELECT stage, version FROM schema_migrations', [], 'objects', this.now().getTime(), HEALTH_TIMEOUT_MS)) as unknown as AppliedRow[]);
    }
    // Read-only: health checks and metrics call this on every request, and must not run DDL. No table: none applied.
    return this.outside(() => {
      const present = this.db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get();
      return summarize(present ? (this.db.prepare('SELECT stage, version FROM schema_migrations').all() as AppliedRow[]) : []);
    });
  }

  async ping(): Promise<void> {
    if (this.txDone && this.workers) {
      // See schemaVersion(): the database answers even while a long write transaction holds this connection.
      this.scope.assertOutside('ping');
      await this.workers.run('SELECT 1', [], 'objects', this.now().getTime(), HEALTH_TIMEOUT_MS);
      return;
    }
    // Health reads come again: have a worker ready for the ones that arrive during a long write transaction.
    this.workers?.warm();
    await this.outside(() => this.db.prepare('SELECT 1').get(), 'ping');
  }

  async close(): Promise<void> {
    await this.workers?.close();
    await this.checkpointer?.close();
    await this.outside(() => {
      this.statements.clear();
      if (this.db.open) this.db.close();
    });
  }
}

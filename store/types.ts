/** The store's public types: one interface over SQLite and MySQL/MariaDB. */

/** A value bound to a `?` placeholder. Dates are bound as `YYYY-MM-DD HH:MM:SS` UTC text. */
export type SqlValue = string | number | bigint | boolean | null | Buffer | Date;

/** One result row, keyed by column name (or alias). */
export type Row = Record<string, unknown>;

export interface RunResult {
  /** Rows changed by the statement (MySQL: affected rows). */
  changes: number;
  /** The id of the last inserted row, when the table has an auto-increment key. */
  lastInsertId: number;
}

/** Rows as arrays, in select order. */
export interface ArrayResult {
  columns: string[];
  rows: unknown[][];
}

/** How `upsert` treats a non-key column when the row already exists. */
export type UpsertAction = 'replace' | 'sum' | 'keep';

export interface UpsertOptions {
  /** The columns of the unique key that identifies a row (must match a unique index exactly on SQLite). */
  key: readonly string[];
  /** Per non-key column: replace it (default), add to it (Gratia's summary rule), or keep the stored value. */
  update?: Readonly<Record<string, UpsertAction>>;
}

/** Per-statement options of `query` and `queryArrays`. */
export interface QueryOptions {
  /**
   * The longest the statement may run (GraphTool's `sql_query_timeout`); past it the call fails with an
   * `unavailable` AppError saying so. SQLite runs such a statement on a worker thread with its own read-only
   * connection, so it does not block the event loop either; an in-memory SQLite store, a statement that writes, and
   * statements inside a transaction run inline and unbounded. MySQL/MariaDB ignore it: the query engine bounds
   * those statements in their SQL text (`SET STATEMENT max_statement_time=N FOR ...`), where the server enforces it.
   */
  timeoutMs?: number;
}

/** What both a store and an open transaction can do. All SQL uses `?` placeholders; values are always bound. */
export interface Queryable {
  /** Runs a statement that returns rows. */
  query<T extends Row = Row>(sql: string, params?: readonly SqlValue[], options?: QueryOptions): Promise<T[]>;
  /**
   * Runs a query and returns rows as arrays in select order, with the column names: GraphTool's parsers
   * address columns by position, and two selected columns may share a name.
   */
  queryArrays(sql: string, params?: readonly SqlValue[], options?: QueryOptions): Promise<ArrayResult>;
  /** Runs a statement that changes rows. */
  execute(sql: string, params?: readonly SqlValue[]): Promise<RunResult>;
  /** Inserts many rows in one transaction (batched multi-row statements on MySQL). Returns the rows inserted. */
  insertMany(table: string, columns: readonly string[], rows: readonly (readonly SqlValue[])[]): Promise<number>;
  /** Inserts rows, or updates the existing row with the same key. Re-sending a row never duplicates it. */
  upsert(table: string, columns: readonly string[], rows: readonly (readonly SqlValue[])[], options: UpsertOptions): Promise<number>;
  /**
   * Inserts the rows that are new and says, per row in order, whether it was: `false` means the row collides with a
   * stored row (or an earlier row of the same call) on the primary key or a unique index, and was left out. For
   * "insert if new, then add to the summary". One statement per row, all in one transaction.
   */
  insertNew(table: string, columns: readonly string[], rows: readonly (readonly SqlValue[])[]): Promise<boolean[]>;
}

/** The handle `store.transaction` passes its callback: every statement on it runs inside that transaction. */
export interface Transaction extends Queryable {
  readonly backend: Backend;
}

export const BACKENDS = ['sqlite', 'mysql'] as const;
export type Backend = (typeof BACKENDS)[number];

/** Where the store lives: built from a DBParam.xml connection or a URL. */
/**
 * SQLite's `PRAGMA synchronous` for the embedded store (WAL mode). `full`: each commit is fsynced before it returns,
 * so an acknowledged write survives a power loss. `normal`: commits survive a process crash but the last ones may be
 * undone by an OS crash or power cut; faster, and an explicit choice.
 */
export const SQLITE_SYNCHRONOUS = ['full', 'normal'] as const;
export type SqliteSynchronous = (typeof SQLITE_SYNCHRONOUS)[number];

export type StoreConnection =
  | { interface: 'sqlite'; file: string; /** Default `full`. */ synchronous?: SqliteSynchronous }
  | {
      interface: 'mysql';
      host: string;
      port: number;
      database: string;
      user: string;
      password: string;
      /** Pool size (GraphTool used 10). */
      connectionLimit?: number;
    };

export interface Store extends Queryable {
  readonly backend: Backend;
  /** A one-line description without secrets, e.g. `sqlite data/appliance.db` or `mysql gratia@db:3306/gratia`. */
  readonly description: string;
  /**
   * Runs `fn` in one transaction: committed when it resolves, rolled back when it throws.
   * On MySQL a connection lost before COMMIT re-runs `fn` on a fresh connection, and so does a deadlock or lock
   * wait timeout (errno 1213, 1205), a bounded number of times with backoff: `fn` must be safe to run again.
   * Inside `fn`, calling the store instead of `tx` fails at once with an `internal` AppError naming the call.
   */
  transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T>;
  /** Applies the migrations not yet recorded, in order; each one is all-or-nothing. */
  migrate(migrations: readonly Migration[]): Promise<MigrationReport>;
  /** The applied migrations per stage. */
  schemaVersion(): Promise<SchemaVersion>;
  /** Checks the database answers; on MySQL, waits at most `timeoutMs` (default: the reconnect timeout) for it. */
  ping(options?: { timeoutMs?: number }): Promise<void>;
  close(): Promise<void>;
}

/** Column types, mapped to each backend's own type names. */
export const COLUMN_TYPES = ['bigint', 'int', 'double', 'varchar', 'text', 'datetime', 'date', 'blob'] as const;
export type ColumnType = (typeof COLUMN_TYPES)[number];

export interface ColumnDef {
  name: string;
  type: ColumnType;
  /** For varchar: the length (default 255). */
  length?: number;
  notNull?: boolean;
  /** A literal default value. */
  default?: string | number;
  /** The table's auto-increment primary key. */
  autoIncrement?: boolean;
  /**
   * Case-sensitive text (MySQL `utf8mb4_bin`, Gratia's `varchar binary`). Other text columns compare
   * case-insensitively on both backends (MySQL's default collation; SQLite `COLLATE NOCASE`).
   */
  binary?: boolean;
}

export interface IndexDef {
  name: string;
  columns: readonly string[];
  unique?: boolean;
  /**
   * MySQL/MariaDB name the index `name` itself rather than `<table>_<name>`, so SQL that names it in an index hint
   * (Gratia-web's `FORCE INDEX (index01)`) finds it there. SQLite's index names are global, so it keeps the prefix
   * (and drops the hints anyway).
   */
  keepName?: boolean;
}

export interface TableDef {
  name: string;
  columns: readonly ColumnDef[];
  /** Omit when a column has `autoIncrement`. */
  primaryKey?: readonly string[];
  indexes?: readonly IndexDef[];
}

/** One step of a migration. Raw SQL steps must be re-runnable on MySQL, whose DDL is not transactional. */
export type MigrationStep =
  | { createTable: TableDef }
  | { createIndex: { table: string } & IndexDef }
  | { addColumn: { table: string; column: ColumnDef } }
  | { sql: string | { sqlite: string; mysql: string } };

export interface Migration {
  /** The pipeline stage that owns the tables, e.g. `gratia`, `collector`. */
  stage: string;
  /** 1, 2, 3, ... within the stage. */
  version: number;
  name: string;
  steps: readonly MigrationStep[];
}

export interface MigrationReport {
  applied: { stage: string; version: number; name: string }[];
}

export interface SchemaVersion {
  /** Highest applied version per stage. */
  stages: Record<string, number>;
  /** Number of applied migrations over all stages. */
  total: number;
}

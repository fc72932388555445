/** The store: database access over SQLite (embedded) and MySQL/MariaDB, migrations, and the Gratia schema. */
export { openStore, parseStoreUrl } from './open-store.js';
export { createGroupCommit } from './group-commit.js';
export type { GroupCommit, GroupCommitOptions } from './group-commit.js';
export type { OpenStoreOptions } from './open-store.js';
export { GRATIA_STATUS_TABLES, TRANSFER_SUMMARY_KEY } from './gratia-status-schema.js';
export { GRATIA_WEB_SIDE_TABLES } from './gratia-web-side-schema.js';
export { GRATIA_TABLES, MASTER_SUMMARY_DIMENSIONS, MASTER_SUMMARY_MEASURES, gratiaMigrations } from './gratia-schema.js';
export { BACKENDS, COLUMN_TYPES, SQLITE_SYNCHRONOUS } from './types.js';
export type {
  ArrayResult, Backend, ColumnDef, QueryOptions, ColumnType, IndexDef, Migration, MigrationReport, MigrationStep, Queryable, Row, RunResult,
  SchemaVersion, SqliteSynchronous, SqlValue, Store, StoreConnection, TableDef, Transaction, UpsertAction, UpsertOptions,
} from './types.js';
export { DEMO_VO_OWNERSHIP, hasDemoData, seedDemoData } from './demo/index.js';
export type { DemoOptions, DemoSummary } from './demo/index.js';
export { checkMySqlRegexp } from './sqlite/mysql-functions.js';

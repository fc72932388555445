/** A query worker: runs the store's read-only statements on its own read-only connection, off the event loop. */
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { registerMySqlFunctions } from './mysql-functions.js';
import { serializeError } from './sql-error.js';
import { prepareTranslated } from './group-by-alias.js';
import { translateMySql } from './translate.js';
import { reviveBuffers, type WorkerJob, type WorkerReady, type WorkerReply, type WorkerSetup } from './worker-protocol.js';

const STATEMENT_CACHE_LIMIT = 500;

const setup = workerData as WorkerSetup;
const port = parentPort;
if (!port) throw new Error('query-worker.ts runs as a worker thread of the SQLite store');

// WAL lets this reader run beside the store's own connection; read-only, so nothing here can write.
const db = new Database(setup.file, { readonly: true, fileMustExist: true });
db.pragma('busy_timeout = 5000');
let now = new Date();
registerMySqlFunctions(db, () => now);
const caseSensitive = new Set(setup.caseSensitiveColumns);
const statements = new Map<string, Database.Statement>();

function prepare(sql: string): Database.Statement {
  let stmt = statements.get(sql);
  if (!stmt) {
    stmt = prepareTranslated(db, translateMySql(sql, caseSensitive));
    if (statements.size >= STATEMENT_CACHE_LIMIT) statements.clear();
    statements.set(sql, stmt);
  }
  return stmt;
}

function run(job: WorkerJob): WorkerReply {
  try {
    now = new Date(job.nowMs);
    reviveBuffers(job.params);
    const stmt = prepare(job.sql);
    if (job.shape === 'objects') return { id: job.id, result: stmt.raw(false).all(job.params) as Record<string, unknown>[] };
    const columns = stmt.columns().map((c) => c.name);
    return { id: job.id, result: { columns, rows: stmt.raw(true).all(job.params) as unknown[][] } };
  } catch (err) {
    return { id: job.id, error: serializeError(err) };
  }
}

port.on('message', (job: WorkerJob) => port.postMessage(run(job)));
port.postMessage({ ready: true } satisfies WorkerReady);

/**
 * The import history (stage `accounting`, version 3): one row per import (file, upload or scheduled pull) with its
 * counts, and one row per rejected record or warning with its line and reason, for `/accounting/imports`.
 */
import type { Migration, Queryable, Row, Transaction } from '../../store/index.js';

export const IMPORTS_TABLE = 'accounting_imports';
export const IMPORT_ISSUES_TABLE = 'accounting_import_issues';

export const importHistoryMigrations: readonly Migration[] = [
  {
    stage: 'accounting',
    version: 3,
    name: 'OpenNebula imports and their rejected records',
    steps: [
      {
        createTable: {
          name: IMPORTS_TABLE,
          columns: [
            { name: 'id', type: 'bigint', autoIncrement: true },
            { name: 'endpoint', type: 'varchar', length: 64, notNull: true, binary: true },
            { name: 'source', type: 'varchar', length: 512, notNull: true, binary: true },
            // ok: committed; failed: nothing of it was stored (the error says why).
            { name: 'status', type: 'varchar', length: 8, notNull: true },
            { name: 'started_at', type: 'bigint', notNull: true },
            { name: 'finished_at', type: 'bigint', notNull: true },
            { name: 'now_time', type: 'bigint', notNull: true },
            { name: 'time_zone', type: 'varchar', length: 64, notNull: true },
            { name: 'records', type: 'bigint', notNull: true },
            { name: 'imported', type: 'bigint', notNull: true },
            { name: 'rejected', type: 'bigint', notNull: true },
            { name: 'warnings', type: 'bigint', notNull: true },
            { name: 'slices_written', type: 'bigint', notNull: true },
            { name: 'slices_removed', type: 'bigint', notNull: true },
            { name: 'error', type: 'text' },
          ],
          indexes: [{ name: 'accounting_imports_by_time', columns: ['started_at'] }],
        },
      },
      {
        createTable: {
          name: IMPORT_ISSUES_TABLE,
          columns: [
            { name: 'import_id', type: 'bigint', notNull: true },
            { name: 'n', type: 'int', notNull: true },
            { name: 'kind', type: 'varchar', length: 8, notNull: true },
            { name: 'line', type: 'bigint', notNull: true },
            { name: 'vm_id', type: 'bigint' },
            { name: 'seq', type: 'int' },
            { name: 'reason', type: 'text', notNull: true },
          ],
          primaryKey: ['import_id', 'n'],
        },
      },
    ],
  },
];

/** A record that was not imported, or was imported with a warning: where it is and why. */
export interface ImportIssue {
  kind: 'rejected' | 'warning';
  line: number;
  vmId: number | null;
  seq: number | null;
  reason: string;
}

/** One import as the history shows it. */
export interface ImportSummary {
  id: number;
  endpoint: string;
  source: string;
  status: 'ok' | 'failed';
  startedAt: number;
  finishedAt: number;
  now: number;
  timeZone: string;
  records: number;
  imported: number;
  rejected: number;
  warnings: number;
  slicesWritten: number;
  slicesRemoved: number;
  error: string | null;
}

const COLUMNS = [
  'endpoint', 'source', 'status', 'started_at', 'finished_at', 'now_time', 'time_zone', 'records', 'imported', 'rejected', 'warnings',
  'slices_written', 'slices_removed', 'error',
] as const;

/** Stores one import's row and returns its id. */
export async function insertImport(q: Queryable, s: Omit<ImportSummary, 'id'>): Promise<number> {
  const r = await q.execute(`INSERT INTO ${IMPORTS_TABLE} (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map(() => '?').join(', ')})`, [
    s.endpoint, s.source.slice(0, 512), s.status, s.startedAt, s.finishedAt, s.now, s.timeZone, s.records, s.imported, s.rejected, s.warnings,
    s.slicesWritten, s.slicesRemoved, s.error,
  ]);
  return r.lastInsertId;
}

/** Stores issues `first`, `first + 1`, ... of import `id`. */
export async function insertIssues(tx: Transaction, id: number, first: number, issues: readonly ImportIssue[]): Promise<void> {
  if (issues.length === 0) return;
  await tx.insertMany(
    IMPORT_ISSUES_TABLE,
    ['import_id', 'n', 'kind', 'line', 'vm_id', 'seq', 'reason'],
    issues.map((i, k) => [id, first + k, i.kind, i.line, i.vmId, i.seq, i.reason.slice(0, 2000)]),
  );
}

const summaryOf = (r: Row): ImportSummary => ({
  id: Number(r.id),
  endpoint: String(r.endpoint),
  source: String(r.source),
  status: r.status === 'ok' ? 'ok' : 'failed',
  startedAt: Number(r.started_at),
  finishedAt: Number(r.finished_at),
  now: Number(r.now_time),
  timeZone: String(r.time_zone),
  records: Number(r.records),
  imported: Number(r.imported),
  rejected: Number(r.rejected),
  warnings: Number(r.warnings),
  slicesWritten: Number(r.slices_written),
  slicesRemoved: Number(r.slices_removed),
  error: typeof r.error === 'string' ? r.error : null,
});

/** The newest imports first, at most `limit`, older than import `before` when given (paging). */
export async function listImports(q: Queryable, options: { limit: number; before?: number; endpoint?: string }): Promise<ImportSummary[]> {
  const where: string[] = [];
  const params: (string | number)[] = [];
  if (options.before !== undefined) {
    where.push('id < ?');
    params.push(options.before);
  }
  if (options.endpoint !== undefined) {
    where.push('endpoint = ?');
    params.push(options.endpoint);
  }
  const rows = await q.query(
    `SELECT id, ${COLUMNS.join(', ')} FROM ${IMPORTS_TABLE}${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`,
    [...params, options.limit],
  );
  return rows.map(summaryOf);
}

export async function readImport(q: Queryable, id: number): Promise<ImportSummary | undefined> {
  const rows = await q.query(`SELECT id, ${COLUMNS.join(', ')} FROM ${IMPORTS_TABLE} WHERE id = ?`, [id]);
  return rows[0] ? summaryOf(rows[0]) : undefined;
}

/** Import `id`'s issues in file order, at most `limit` from issue `offset`. */
export async function readIssues(q: Queryable, id: number, options: { limit: number; offset?: number; kind?: ImportIssue['kind'] }): Promise<ImportIssue[]> {
  const kind = options.kind === undefined ? '' : ' AND kind = ?';
  const rows = await q.query(
    `SELECT kind, line, vm_id, seq, reason FROM ${IMPORT_ISSUES_TABLE} WHERE import_id = ?${kind} ORDER BY n LIMIT ? OFFSET ?`,
    [id, ...(options.kind === undefined ? [] : [options.kind]), options.limit, options.offset ?? 0],
  );
  return rows.map((r) => ({
    kind: r.kind === 'warning' ? 'warning' : 'rejected',
    line: Number(r.line),
    vmId: r.vm_id === null ? null : Number(r.vm_id),
    seq: r.seq === null ? null : Number(r.seq),
    reason: String(r.reason),
  }));
}

/** Updates an import's counts at its end (inside its transaction). */
export async function finishImport(tx: Transaction, id: number, s: Pick<ImportSummary, 'finishedAt' | 'records' | 'imported' | 'rejected' | 'warnings' | 'slicesWritten' | 'slicesRemoved'>): Promise<void> {
  await tx.execute(
    `UPDATE ${IMPORTS_TABLE} SET finished_at = ?, records = ?, imported = ?, rejected = ?, warnings = ?, slices_written = ?, slices_removed = ? WHERE id = ?`,
    [s.finishedAt, s.records, s.imported, s.rejected, s.warnings, s.slicesWritten, s.slicesRemoved, id],
  );
}

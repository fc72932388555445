/**
 * The pull log (stage `opennebula_pulls`): one row per scheduled or one-off pull of an OpenNebula endpoint, written
 * when it starts and finished when it ends, so a failure keeps its reason and a pull cut short by a crash shows as
 * interrupted once the endpoint is pulled again.
 */
import type { Migration, Queryable, Row } from '../store/index.js';

export const PULLS_TABLE = 'opennebula_pulls';

export const PULL_STATUSES = ['running', 'ok', 'failed', 'interrupted'] as const;
export type PullStatus = (typeof PULL_STATUSES)[number];

export const openNebulaPullMigrations: readonly Migration[] = [
  {
    stage: 'opennebula_pulls',
    version: 1,
    name: 'the log of OpenNebula pulls (window, outcome, reason)',
    steps: [
      {
        createTable: {
          name: PULLS_TABLE,
          columns: [
            { name: 'id', type: 'bigint', autoIncrement: true },
            { name: 'endpoint', type: 'varchar', length: 64, notNull: true, binary: true },
            { name: 'owner', type: 'varchar', length: 190, notNull: true, binary: true },
            // Epoch seconds: the window asked of one.vmpool.accounting, and when the pull started and ended.
            { name: 'window_from', type: 'bigint', notNull: true },
            { name: 'window_to', type: 'bigint', notNull: true },
            { name: 'started_at', type: 'bigint', notNull: true },
            { name: 'finished_at', type: 'bigint' },
            { name: 'status', type: 'varchar', length: 16, notNull: true },
            // The OpenNebulaError kind (authentication, timeout, ...) or "import" for a failed import.
            { name: 'failure_kind', type: 'varchar', length: 32 },
            { name: 'reason', type: 'text' },
            { name: 'response_bytes', type: 'bigint' },
            { name: 'import_id', type: 'bigint' },
            { name: 'records', type: 'bigint' },
            { name: 'rejected', type: 'bigint' },
          ],
          indexes: [{ name: 'opennebula_pulls_by_endpoint', columns: ['endpoint', 'id'] }],
        },
      },
    ],
  },
];

/** One pull as logged. */
export interface PullRow {
  id: number;
  endpoint: string;
  owner: string;
  windowFrom: number;
  windowTo: number;
  startedAt: number;
  finishedAt: number | null;
  status: PullStatus;
  failureKind: string | null;
  reason: string | null;
  responseBytes: number | null;
  importId: number | null;
  records: number | null;
  rejected: number | null;
}

const n = (v: unknown) => (v === null || v === undefined ? null : Number(v));
const text = (v: unknown) => (typeof v === 'string' ? v : null);

function rowOf(r: Row): PullRow {
  return {
    id: Number(r.id), endpoint: String(r.endpoint), owner: String(r.owner), windowFrom: Number(r.window_from), windowTo: Number(r.window_to),
    startedAt: Number(r.started_at), finishedAt: n(r.finished_at), status: String(r.status) as PullStatus,
    failureKind: text(r.failure_kind), reason: text(r.reason),
    responseBytes: n(r.response_bytes), importId: n(r.import_id), records: n(r.records), rejected: n(r.rejected),
  };
}

/**
 * Logs a pull's start. Called while holding the endpoint's lease, so any pull of it still `running` was cut short
 * (its process died): those are marked interrupted first.
 */
export async function logPullStart(q: Queryable, p: { endpoint: string; owner: string; from: number; to: number; now: number }): Promise<number> {
  await q.execute(`UPDATE ${PULLS_TABLE} SET status = 'interrupted', finished_at = ?, reason = ? WHERE endpoint = ? AND status = 'running'`, [
    p.now, 'the appliance pulling it stopped before the pull ended (killed or crashed); the next pull read the window again', p.endpoint,
  ]);
  const r = await q.execute(`INSERT INTO ${PULLS_TABLE} (endpoint, owner, window_from, window_to, started_at, status) VALUES (?, ?, ?, ?, ?, 'running')`, [
    p.endpoint, p.owner, p.from, p.to, p.now,
  ]);
  return r.lastInsertId;
}

export type PullEnd =
  | { status: 'ok'; responseBytes: number; importId: number | null; records: number; rejected: number }
  | { status: 'failed'; failureKind: string; reason: string; responseBytes?: number };

export async function logPullEnd(q: Queryable, id: number, now: number, end: PullEnd): Promise<void> {
  if (end.status === 'ok') {
    await q.execute(`UPDATE ${PULLS_TABLE} SET status = 'ok', finished_at = ?, response_bytes = ?, import_id = ?, records = ?, rejected = ? WHERE id = ?`, [
      now, end.responseBytes, end.importId, end.records, end.rejected, id,
    ]);
  } else {
    await q.execute(`UPDATE ${PULLS_TABLE} SET status = 'failed', finished_at = ?, failure_kind = ?, reason = ?, response_bytes = ? WHERE id = ?`, [
      now, end.failureKind, end.reason.slice(0, 4000), end.responseBytes ?? null, id,
    ]);
  }
}

/** The latest pulls, newest first (of one endpoint, or all), at most `limit`. */
export async function recentPulls(q: Queryable, options: { endpoint?: string; limit?: number } = {}): Promise<PullRow[]> {
  const limit = Math.min(Math.max(1, Math.floor(options.limit ?? 50)), 1000);
  const rows = options.endpoint === undefined
    ? await q.query(`SELECT * FROM ${PULLS_TABLE} ORDER BY id DESC LIMIT ${limit}`)
    : await q.query(`SELECT * FROM ${PULLS_TABLE} WHERE endpoint = ? ORDER BY id DESC LIMIT ${limit}`, [options.endpoint]);
  return rows.map(rowOf);
}

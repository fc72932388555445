/** The claim: one short transaction that takes the queue's claim lock, returns expired leases, and leases ready items. */
import type { Transaction } from '../store/index.js';
import { CLAIMS_TABLE, ITEMS_TABLE } from './queue-schema.js';
import type { QueueMode } from './types.js';

/** The columns a claimed item is read back with. */
export const ITEM_COLUMNS = 'id, partition_key, lane, payload, attempts, dedup_key, created_at, lease_until, next_attempt_at';

export interface ItemRow {
  id: number;
  partition_key: string;
  lane: string;
  payload: string;
  attempts: number;
  dedup_key: string | null;
  created_at: number;
  lease_until: number;
  next_attempt_at: number;
  [column: string]: unknown;
}

/** Candidate ids per query of an ordered queue's heads, and ids per lease UPDATE, under both backends' bound-value limits. */
const HEAD_CHUNK = 500;
/** The oldest queued items an ordered claim with runs reads first: this many claims' worth. */
const RUN_WINDOW_CLAIMS = 4;

type QueuedRow = { id: number; p: string; r: number; t: number };

/**
 * The runs in `rows` (queued items, each partition's in its (lane, id) order, its first being its head): of each
 * partition not in `busy`, the head and the items right behind it while they are ready, at most `runLength`; a head
 * that is not ready holds its partition back, and the first item not ready ends a run (nothing is handed out ahead of
 * an item waiting for its retry). Whole runs, oldest head first, until `n` items; the last may be cut short.
 */
function pickRuns(rows: readonly QueuedRow[], busy: ReadonlySet<string>, now: number, n: number, runLength: number): number[] {
  const runs = new Map<string, { rank: number; id: number; ids: number[]; ended: boolean }>();
  for (const row of rows) {
    if (busy.has(row.p)) continue;
    let run = runs.get(row.p);
    if (!run) runs.set(row.p, (run = { rank: Number(row.r), id: Number(row.id), ids: [], ended: false }));
    if (run.ended) continue;
    if (Number(row.t) > now || run.ids.length >= runLength) run.ended = true;
    else run.ids.push(Number(row.id));
  }
  const ready = [...runs.values()].filter((r) => r.ids.length).sort((a, b) => a.rank - b.rank || a.id - b.id);
  const picked: number[] = [];
  for (const run of ready) {
    if (picked.length >= n) break;
    picked.push(...run.ids.slice(0, n - picked.length));
  }
  return picked;
}

/**
 * An ordered queue's runs (see pickRuns), read cheaply: the oldest queued items by (lane, id), a window a few times
 * the claim's size. Every partition in such a prefix of the queue's order has its head and next items there, in
 * order. Only when that window is full and yields less than a claim (its items belong to few partitions, or to busy
 * or waiting ones) is every queued item numbered within its partition instead, so no partition waits behind them.
 */
async function runIds(tx: Transaction, queue: string, now: number, n: number, runLength: number): Promise<number[]> {
  const busy = new Set(
    (await tx.query<{ p: string }>(`SELECT DISTINCT partition_key AS p FROM ${ITEMS_TABLE} WHERE queue = ? AND state = 'leased'`, [queue])).map((r) => r.p),
  );
  const window = RUN_WINDOW_CLAIMS * n;
  const oldest = await tx.query<QueuedRow>(
    `SELECT id, partition_key AS p, lane_rank AS r, next_attempt_at AS t FROM ${ITEMS_TABLE} WHERE queue = ? AND state = 'queued' ORDER BY lane_rank, id LIMIT ?`,
    [queue, window],
  );
  const picked = pickRuns(oldest, busy, now, n, runLength);
  if (picked.length >= n || oldest.length < window) return picked;
  const numbered = await tx.query<QueuedRow & { rn: number }>(
    `SELECT id, p, r, t, rn FROM (
       SELECT id, partition_key AS p, lane_rank AS r, next_attempt_at AS t,
              ROW_NUMBER() OVER (PARTITION BY partition_key ORDER BY lane_rank, id) AS rn
       FROM ${ITEMS_TABLE} WHERE queue = ? AND state = 'queued') AS numbered
     WHERE rn <= ?`,
    [queue, runLength + 1],
  );
  // pickRuns wants each partition's rows in order; the query's order is the engine's.
  numbered.sort((a, b) => (a.p < b.p ? -1 : a.p > b.p ? 1 : Number(a.rn) - Number(b.rn)));
  return pickRuns(numbered, busy, now, n, runLength);
}

/**
 * The ids of up to `n` items `mode` allows to lease at `now`, in hand-out order (urgent first, then enqueue order).
 * For partitioned modes: the partitions holding a leased item are out; of each other partition the first item by
 * (lane, id) is its head. Ordered takes a head only when it is ready (so a head waiting for its retry holds its
 * partition back); serialized takes the first ready item (so it steps aside). Both queries read the
 * (queue, state, partition_key, lane_rank, id) index one group per partition, not every queued row.
 */
async function candidateIds(tx: Transaction, mode: QueueMode, queue: string, now: number, n: number): Promise<number[]> {
  if (mode === 'unordered') {
    const rows = await tx.query<{ id: number }>(
      `SELECT id FROM ${ITEMS_TABLE} WHERE queue = ? AND state = 'queued' AND next_attempt_at <= ? ORDER BY lane_rank, id LIMIT ?`,
      [queue, now, n],
    );
    return rows.map((r) => Number(r.id));
  }
  const busy = new Set(
    (await tx.query<{ p: string }>(`SELECT DISTINCT partition_key AS p FROM ${ITEMS_TABLE} WHERE queue = ? AND state = 'leased'`, [queue])).map((r) => r.p),
  );
  const ready = mode === 'serialized' ? ' AND next_attempt_at <= ?' : '';
  const groups = await tx.query<{ p: string; rank: number; id: number }>(
    `SELECT partition_key AS p, lane_rank AS \`rank\`, MIN(id) AS id FROM ${ITEMS_TABLE} WHERE queue = ? AND state = 'queued'${ready} GROUP BY partition_key, lane_rank`,
    mode === 'serialized' ? [queue, now] : [queue],
  );
  const heads = new Map<string, { rank: number; id: number }>();
  for (const g of groups) {
    if (busy.has(g.p)) continue;
    const head = heads.get(g.p);
    const candidate = { rank: Number(g.rank), id: Number(g.id) };
    if (!head || candidate.rank < head.rank || (candidate.rank === head.rank && candidate.id < head.id)) heads.set(g.p, candidate);
  }
  const ordered = [...heads.values()].sort((a, b) => a.rank - b.rank || a.id - b.id).map((h) => h.id);
  if (mode === 'serialized') return ordered.slice(0, n);
  const picked: number[] = [];
  for (let i = 0; i < ordered.length && picked.length < n; i += HEAD_CHUNK) {
    const chunk = ordered.slice(i, i + HEAD_CHUNK);
    const rows = await tx.query<{ id: number }>(
      `SELECT id FROM ${ITEMS_TABLE} WHERE id IN (${chunk.map(() => '?').join(', ')}) AND next_attempt_at <= ? ORDER BY lane_rank, id LIMIT ?`,
      [...chunk, now, n - picked.length],
    );
    picked.push(...rows.map((r) => Number(r.id)));
  }
  return picked;
}

/**
 * Serializes claims of one queue across processes: every claim first updates the queue's row in queue_claims, so
 * the next claim's reads see the previous claim's leases (InnoDB takes its read view at the first read, after the
 * row lock). Without it, two MariaDB claimers could both see a partition free and both lease in it.
 */
export async function lockQueue(tx: Transaction, queue: string): Promise<void> {
  const bump = `UPDATE ${CLAIMS_TABLE} SET claims = claims + 1 WHERE queue = ?`;
  if ((await tx.execute(bump, [queue])).changes > 0) return;
  await tx.insertNew(CLAIMS_TABLE, ['queue', 'claims'], [[queue, 0]]);
  await tx.execute(bump, [queue]);
}

export interface SweepResult {
  /** Expired leases handed back for another claim. */
  requeued: number;
  /** Expired leases of items out of attempts, dead-lettered. */
  expiredDead: number;
}

/** Ends leases that ran out before `now`: the item is queued again, or dead once it has used its attempts. */
export async function sweepExpiredLeases(tx: Transaction, queue: string, now: number, maxAttempts: number): Promise<SweepResult> {
  const expiredDead = await tx.execute(
    `UPDATE ${ITEMS_TABLE} SET state = 'dead', done_at = ?, lease_owner = NULL, lease_until = NULL, claim_token = NULL,
       error_class = 'expired', last_error = 'the lease ran out on the last allowed attempt (the consumer died or hung)'
     WHERE queue = ? AND state = 'leased' AND lease_until < ? AND attempts >= ?`,
    [now, queue, now, maxAttempts],
  );
  const requeued = await tx.execute(
    `UPDATE ${ITEMS_TABLE} SET state = 'queued', lease_owner = NULL, lease_until = NULL, claim_token = NULL,
       error_class = 'expired', last_error = 'the lease ran out (the consumer died or hung)'
     WHERE queue = ? AND state = 'leased' AND lease_until < ?`,
    [queue, now],
  );
  return { requeued: requeued.changes, expiredDead: expiredDead.changes };
}

/** Dead-letters unfinished items enqueued before `cutoff` (the age limit). */
export async function sweepAged(tx: Transaction, queue: string, now: number, cutoff: number): Promise<number> {
  const r = await tx.execute(
    `UPDATE ${ITEMS_TABLE} SET state = 'dead', done_at = ?, lease_owner = NULL, lease_until = NULL, claim_token = NULL,
       error_class = 'age', last_error = 'older than the queue''s age limit'
     WHERE queue = ? AND state = 'queued' AND created_at < ?`,
    [now, queue, cutoff],
  );
  return r.changes;
}

/** Leases up to `n` items to `owner` until `now + leaseMs` under `token`; returns them in hand-out order. */
export async function leaseItems(
  tx: Transaction,
  args: { queue: string; mode: QueueMode; owner: string; token: string; n: number; now: number; leaseMs: number; runLength?: number },
): Promise<ItemRow[]> {
  const { queue, mode, owner, token, n, now, leaseMs } = args;
  const runLength = args.runLength ?? 1;
  const ids = mode === 'ordered' && runLength > 1 ? await runIds(tx, queue, now, n, runLength) : await candidateIds(tx, mode, queue, now, n);
  if (!ids.length) return [];
  for (let i = 0; i < ids.length; i += HEAD_CHUNK) {
    const chunk = ids.slice(i, i + HEAD_CHUNK);
    await tx.execute(
      `UPDATE ${ITEMS_TABLE} SET state = 'leased', lease_owner = ?, lease_until = ?, claim_token = ?, attempts = attempts + 1
       WHERE id IN (${chunk.map(() => '?').join(', ')}) AND state = 'queued'`,
      [owner, now + leaseMs, token, ...chunk],
    );
  }
  return tx.query<ItemRow>(`SELECT ${ITEM_COLUMNS} FROM ${ITEMS_TABLE} WHERE claim_token = ? ORDER BY lane_rank, id`, [token]);
}

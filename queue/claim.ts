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

/** The ids of up to `n` items `mode` allows to lease at `now`, in hand-out order. */
function candidatesSql(mode: QueueMode): string {
  if (mode === 'unordered') {
    return `SELECT id FROM ${ITEMS_TABLE} WHERE queue = ? AND state = 'queued' AND next_attempt_at <= ? ORDER BY lane_rank, id LIMIT ?`;
  }
  // Partitions with a leased item are out (evaluated once, not per row). Ranking per partition by (lane, enqueue
  // order) then keeps one item per partition: ordered ranks every queued item and keeps the head only if it is ready;
  // serialized ranks the ready items only, so a head waiting for its retry lets the next one through.
  const ready = mode === 'serialized' ? 'AND q.next_attempt_at <= ?' : '';
  const headReady = mode === 'ordered' ? 'AND c.next_attempt_at <= ?' : '';
  return `SELECT c.id FROM (
      SELECT q.id, q.lane_rank, q.next_attempt_at,
             ROW_NUMBER() OVER (PARTITION BY q.partition_key ORDER BY q.lane_rank, q.id) AS rn
      FROM ${ITEMS_TABLE} q
      WHERE q.queue = ? AND q.state = 'queued' ${ready}
        AND q.partition_key NOT IN (SELECT l.partition_key FROM ${ITEMS_TABLE} l WHERE l.queue = ? AND l.state = 'leased')
    ) c WHERE c.rn = 1 ${headReady} ORDER BY c.lane_rank, c.id LIMIT ?`;
}

function candidateParams(mode: QueueMode, queue: string, now: number, n: number): (string | number)[] {
  if (mode === 'unordered') return [queue, now, n];
  if (mode === 'serialized') return [queue, now, queue, n];
  return [queue, queue, now, n];
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
  args: { queue: string; mode: QueueMode; owner: string; token: string; n: number; now: number; leaseMs: number },
): Promise<ItemRow[]> {
  const { queue, mode, owner, token, n, now, leaseMs } = args;
  const ids = (await tx.query<{ id: number }>(candidatesSql(mode), candidateParams(mode, queue, now, n))).map((r) => Number(r.id));
  if (!ids.length) return [];
  await tx.execute(
    `UPDATE ${ITEMS_TABLE} SET state = 'leased', lease_owner = ?, lease_until = ?, claim_token = ?, attempts = attempts + 1
     WHERE id IN (${ids.map(() => '?').join(', ')}) AND state = 'queued'`,
    [owner, now + leaseMs, token, ...ids],
  );
  return tx.query<ItemRow>(`SELECT ${ITEM_COLUMNS} FROM ${ITEMS_TABLE} WHERE claim_token = ? ORDER BY lane_rank, id`, [token]);
}

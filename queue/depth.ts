/** The per-queue depth counter: the limit check reads one row instead of counting every unfinished item. */
import type { Queryable } from '../store/index.js';
import { DEPTH_TABLE } from './queue-schema.js';

/**
 * Adds `n` to the queue's unfinished count if that keeps it at or under `limit`; false (nothing changed) otherwise.
 * One conditional UPDATE: on MariaDB it is a locking read of the row's latest version, so concurrent enqueuers
 * take turns on the row until the first one commits and none can overshoot, whatever their snapshots saw.
 */
export async function reserveDepth(q: Queryable, queue: string, n: number, limit: number): Promise<boolean> {
  const reserve = `UPDATE ${DEPTH_TABLE} SET unfinished = unfinished + ? WHERE queue = ? AND unfinished + ? <= ?`;
  if ((await q.execute(reserve, [n, queue, n, limit])).changes > 0) return true;
  // No change: either the queue has no row yet (its first enqueue) or it is full. A row that was already there
  // means full; one we just added lets the reservation be tried once more.
  const [created] = await q.insertNew(DEPTH_TABLE, ['queue', 'unfinished'], [[queue, 0]]);
  return created === true && (await q.execute(reserve, [n, queue, n, limit])).changes > 0;
}

/** Adds `delta` (negative when items finish) to the queue's unfinished count, in the caller's transaction. */
export async function adjustDepth(q: Queryable, queue: string, delta: number): Promise<void> {
  if (delta !== 0) await q.execute(`UPDATE ${DEPTH_TABLE} SET unfinished = unfinished + ? WHERE queue = ?`, [delta, queue]);
}


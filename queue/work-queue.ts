/** The durable work queue: a table plus short transactions; every operation takes `now`. */
import { randomUUID } from 'node:crypto';
import { AsyncResource } from 'node:async_hooks';
import type { Registry } from 'prom-client';
import { AppError, backoff, type BackoffOptions } from '../common/index.js';
import type { Queryable, SqlValue, Store, Transaction } from '../store/index.js';
import { ITEM_COLUMNS, leaseItems, lockQueue, sweepAged, sweepExpiredLeases, type ItemRow } from './claim.js';
import { adjustDepth, reserveDepth } from './depth.js';
import { createQueueMetrics } from './queue-metrics.js';
import { ITEMS_TABLE } from './queue-schema.js';
import { ITEM_STATES, LANES, QueueFullError, type ClaimedItem, type DeadItem, type EnqueueItem, type FailOutcome, type FailureKind, type ItemPlace, type ItemState, type Lane, type QueueMode, type QueueStats } from './types.js';

/** How a queue is declared. */
export interface QueueOptions {
  store: Store;
  /** The queue's name (up to 64 characters): queues share one table. */
  name: string;
  /** Default `unordered`; see QueueMode. */
  mode?: QueueMode;
  /**
   * Ordered queues only: how many items of one partition a claim may lease at once, the head and the ready items
   * right behind it (default 1: the head alone). The consumer's handler must then keep their order itself: attempt
   * an item only after the ones before it succeeded, and throw NotAttempted for those it did not try.
   */
  runLength?: number;
  /** Unfinished (queued + leased) items beyond which `enqueue` refuses new work with QueueFullError (default 100,000). */
  limit?: number;
  /** The Retry-After a refused enqueue suggests (default 5 s). */
  retryAfterSeconds?: number;
  /** Claims an item may have; a retryable failure or expired lease on the last one dead-letters it (default 10). */
  maxAttempts?: number;
  /** Unfinished items older than this are dead-lettered (default: no age limit). */
  maxAgeMs?: number;
  /** Delay before retry k (default base 1 s, cap 5 min, full jitter). */
  retryBackoff?: Omit<BackoffOptions, 'random'>;
  /** Randomness of the retry jitter (tests fix it). */
  random?: () => number;
  /** Where the queue's metrics go; none by default. */
  registry?: Registry;
  /** The clock metrics read the oldest item's age against at scrape time. */
  clock?: () => Date;
}

/** Which finished items `purge` deletes: done and dead items finished longer ago than these. */
export interface PurgeOptions {
  doneOlderThanMs: number;
  deadOlderThanMs: number;
}

/** One durable queue. Delivery is at least once: a handler may run again after a crash, a completion counts once. */
export interface WorkQueue<P> {
  readonly name: string;
  readonly mode: QueueMode;
  /**
   * Stores the items, all or none, and says per item whether it was new (false: its dedup key was already there).
   * Pass the caller's transaction handle as `tx` to make "record stored" and "work queued" one commit; the items are
   * invisible until it commits, so no consumer is woken then: call `wake()` after the commit.
   * Throws QueueFullError (nothing stored) when the items would take the queue over its limit.
   */
  enqueue(items: readonly EnqueueItem<P>[], now: Date, tx?: Transaction): Promise<boolean[]>;
  /** Leases up to `n` ready items to `owner` for `leaseMs`, in the order the queue's mode hands them out. */
  claim(owner: string, n: number, leaseMs: number, now: Date): Promise<ClaimedItem<P>[]>;
  /** Extends the lease to `now + leaseMs`; false when it ran out or the item is no longer this claim's. */
  renew(item: ClaimedItem<P>, leaseMs: number, now: Date): Promise<boolean>;
  /** Marks the items done; returns how many this claim still held (the others are another claim's now). */
  complete(items: readonly ClaimedItem<P>[], now: Date): Promise<number>;
  /** Hands items back unattempted (see NotAttempted): queued again at once, this claim's attempt not counted; returns how many this claim still held. */
  release(items: readonly ClaimedItem<P>[]): Promise<number>;
  /** Records a failure: a retry after backoff, or the dead letter (final, out of attempts, or too old). */
  fail(item: ClaimedItem<P>, kind: FailureKind, reason: string, now: Date): Promise<FailOutcome>;
  /**
   * Operator: puts dead items (all, or those `ids` names) back in the queue with fresh attempts and their age counted
   * from `now`, at their original place in the order; returns how many.
   */
  retry(now: Date, ids?: readonly number[]): Promise<number>;
  /** Operator: deletes dead items (all, or those `ids` names) for good; returns how many. Queued and done items are left alone. */
  discard(ids?: readonly number[]): Promise<number>;
  /** Deletes done and dead items past their retention; returns how many of each. */
  purge(options: PurgeOptions, now: Date): Promise<{ done: number; dead: number }>;
  /** Dead items, oldest first, for operators: the first `limit` (default 100), or those of `ids` that are dead. */
  dead(limit?: number, ids?: readonly number[]): Promise<DeadItem[]>;
  stats(now: Date): Promise<QueueStats>;
  /**
   * Where the items with these dedup keys are (keys not stored, or purged, are absent): state, attempts, next attempt,
   * last error, and for an unfinished item how many unfinished items of its partition are ahead of it.
   */
  locate(dedupKeys: readonly string[]): Promise<Map<string, ItemPlace>>;
  /** Calls `listener` after items are enqueued in this process (outside any transaction); returns the unsubscribe. */
  onEnqueue(listener: () => void): () => void;
  /** Wakes the in-process listeners: call it after committing a transaction that enqueued work. */
  wake(): void;
}

const PURGE_CHUNK = 1_000;
/** Dedup keys per `locate` query, under both backends' bound-value limits. */
const LOCATE_CHUNK = 500;
/** How often a claim also dead-letters items past the age limit (a scan of the queued items). */
const AGE_SWEEP_INTERVAL_MS = 1_000;
const COLUMNS = ['queue', 'partition_key', 'lane', 'lane_rank', 'payload', 'state', 'attempts', 'next_attempt_at', 'dedup_key', 'created_at'] as const;

const laneRank = (lane: Lane) => (lane === 'urgent' ? 0 : 1);
/** Ids per `id IN (...)` of one statement, far under both backends' bound-value limits. */
const IDS_PER_STATEMENT = 500;

/** Claimed items as [claim token, ids] pairs, the ids in chunks of at most IDS_PER_STATEMENT. */
function idsByToken(items: readonly ClaimedItem<unknown>[]): [string, number[]][] {
  const byToken = new Map<string, number[]>();
  for (const item of items) {
    const ids = byToken.get(item.token);
    if (ids) ids.push(item.id);
    else byToken.set(item.token, [item.id]);
  }
  const out: [string, number[]][] = [];
  for (const [token, ids] of byToken) for (let i = 0; i < ids.length; i += IDS_PER_STATEMENT) out.push([token, ids.slice(i, i + IDS_PER_STATEMENT)]);
  return out;
}

/** Declares a queue on `store` (its table comes from queueMigrations). */
export function createQueue<P = unknown>(options: QueueOptions): WorkQueue<P> {
  const { store, name } = options;
  if (!name || name.length > 64) throw new AppError('internal', `queue name "${name}" must be 1 to 64 characters`);
  const mode = options.mode ?? 'unordered';
  const runLength = Math.max(1, Math.floor(options.runLength ?? 1));
  if (runLength > 1 && mode !== 'ordered') throw new AppError('internal', `queue ${name}: runLength is for ordered queues`);
  const limit = options.limit ?? 100_000;
  const retryAfterSeconds = options.retryAfterSeconds ?? 5;
  const maxAttempts = options.maxAttempts ?? 10;
  const retryBackoff = { baseMs: 1_000, capMs: 300_000, jitter: 1, ...options.retryBackoff, random: options.random };
  const clock = options.clock ?? (() => new Date());
  const listeners = new Set<() => void>();
  let lastAgeSweep = -Infinity;

  const stats = async (now: Date): Promise<QueueStats> => {
    const depth = Object.fromEntries(ITEM_STATES.map((s) => [s, 0])) as QueueStats['depth'];
    for (const r of await store.query<{ state: string; n: number }>(`SELECT state, COUNT(*) AS n FROM ${ITEMS_TABLE} WHERE queue = ? GROUP BY state`, [name])) {
      if (r.state in depth) depth[r.state as keyof typeof depth] = Number(r.n);
    }
    const [oldest] = await store.query<{ t: number | null }>(`SELECT MIN(created_at) AS t FROM ${ITEMS_TABLE} WHERE queue = ? AND state IN ('queued', 'leased')`, [name]);
    return { depth, oldestAgeMs: oldest?.t == null ? 0 : Math.max(0, now.getTime() - Number(oldest.t)) };
  };
  const metrics = createQueueMetrics(options.registry, name, () => stats(clock()));

  // Bound to the queue's creation context: a wake-up from inside a caller's transaction must not carry it along.
  const notify = AsyncResource.bind(() => {
    for (const listener of listeners) listener();
  });

  const toClaimed = (owner: string, token: string) => (r: ItemRow): ClaimedItem<P> => ({
    id: Number(r.id),
    token,
    owner,
    partition: r.partition_key,
    lane: (LANES as readonly string[]).includes(r.lane) ? (r.lane as Lane) : 'normal',
    payload: JSON.parse(r.payload) as P,
    attempts: Number(r.attempts),
    dedupKey: r.dedup_key ?? undefined,
    createdAt: Number(r.created_at),
    leaseUntil: Number(r.lease_until),
  });

  const enqueueOn = async (q: Queryable, items: readonly EnqueueItem<P>[], now: number): Promise<boolean[]> => {
    const rows = items.map((item): SqlValue[] => {
      const lane = item.lane ?? 'normal';
      if (!LANES.includes(lane)) throw new AppError('internal', `queue ${name}: lane "${String(lane)}" is not one of ${LANES.join(', ')}`);
      const payload = JSON.stringify(item.payload);
      if (payload === undefined) throw new AppError('internal', `queue ${name}: the payload is not JSON`);
      return [name, item.partition ?? '', lane, laneRank(lane), payload, 'queued', 0, item.notBefore?.getTime() ?? now, item.dedupKey ?? null, now];
    });
    // The whole batch is reserved before inserting (a duplicate counts against the limit, as it would if new), so a
    // refused batch stores nothing even inside the caller's transaction; the duplicates are handed back below.
    if (!(await reserveDepth(q, name, items.length, limit))) {
      metrics.count('refused', items.length);
      throw new QueueFullError(name, limit, retryAfterSeconds);
    }
    // Without dedup keys nothing can collide (ids are new), and one multi-row insert is much cheaper than one per row.
    if (items.every((item) => item.dedupKey === undefined)) {
      await q.insertMany(ITEMS_TABLE, COLUMNS, rows);
      return items.map(() => true);
    }
    const fresh = await q.insertNew(ITEMS_TABLE, COLUMNS, rows);
    await adjustDepth(q, name, -fresh.filter((added) => !added).length);
    return fresh;
  };

  return {
    name,
    mode,

    async enqueue(items, now, tx) {
      if (!items.length) return [];
      const t = now.getTime();
      const fresh = tx ? await enqueueOn(tx, items, t) : await store.transaction((own) => enqueueOn(own, items, t));
      const added = fresh.filter(Boolean).length;
      metrics.count('enqueued', added);
      metrics.count('duplicate', fresh.length - added);
      // Woken inside the caller's transaction, a consumer on another connection would claim before the commit, find
      // nothing and sleep its poll interval: the caller wakes it once the items are visible.
      if (added && !tx) notify();
      return fresh;
    },

    async claim(owner, n, leaseMs, now) {
      if (n <= 0) return [];
      const t = now.getTime();
      const token = randomUUID();
      const started = performance.now();
      const ageSweep = options.maxAgeMs !== undefined && t - lastAgeSweep >= AGE_SWEEP_INTERVAL_MS;
      const { rows, swept, aged } = await store.transaction(async (tx) => {
        await lockQueue(tx, name);
        const swept = await sweepExpiredLeases(tx, name, t, maxAttempts);
        const aged = ageSweep ? await sweepAged(tx, name, t, t - options.maxAgeMs!) : 0;
        await adjustDepth(tx, name, -(swept.expiredDead + aged));
        return { rows: await leaseItems(tx, { queue: name, mode, owner, token, n, now: t, leaseMs, runLength }), swept, aged };
      });
      if (ageSweep) lastAgeSweep = t;
      metrics.count('lease_expired', swept.requeued + swept.expiredDead);
      metrics.count('dead', swept.expiredDead + aged);
      metrics.count('claimed', rows.length);
      metrics.claimed((performance.now() - started) / 1000, rows.map((r) => (t - Math.max(Number(r.created_at), Number(r.next_attempt_at))) / 1000));
      return rows.map(toClaimed(owner, token));
    },

    async renew(item, leaseMs, now) {
      const t = now.getTime();
      const r = await store.execute(
        `UPDATE ${ITEMS_TABLE} SET lease_until = ? WHERE id = ? AND claim_token = ? AND state = 'leased' AND lease_until >= ?`,
        [t + leaseMs, item.id, item.token, t],
      );
      return r.changes > 0;
    },

    async complete(items, now) {
      if (!items.length) return 0;
      const byToken = idsByToken(items);
      // A lease that ran out but was not yet handed back still completes: the work is done, redoing it gains nothing.
      const done = await store.transaction(async (tx) => {
        let n = 0;
        for (const [token, ids] of byToken) {
          const r = await tx.execute(
            `UPDATE ${ITEMS_TABLE} SET state = 'done', done_at = ?, lease_owner = NULL, lease_until = NULL, claim_token = NULL
             WHERE claim_token = ? AND state = 'leased' AND id IN (${ids.map(() => '?').join(', ')})`,
            [now.getTime(), token, ...ids],
          );
          n += r.changes;
        }
        await adjustDepth(tx, name, -n);
        return n;
      });
      metrics.count('completed', done);
      metrics.count('lost', items.length - done);
      for (const item of items) metrics.attempts(item.attempts);
      return done;
    },

    async release(items) {
      if (!items.length) return 0;
      const byToken = idsByToken(items);
      // Still unfinished, so the depth counter stays; next_attempt_at is left as it was (ready: it was just claimed).
      const released = await store.transaction(async (tx) => {
        let n = 0;
        for (const [token, ids] of byToken) {
          const r = await tx.execute(
            `UPDATE ${ITEMS_TABLE} SET state = 'queued', attempts = CASE WHEN attempts > 0 THEN attempts - 1 ELSE 0 END, lease_owner = NULL, lease_until = NULL, claim_token = NULL
             WHERE claim_token = ? AND state = 'leased' AND id IN (${ids.map(() => '?').join(', ')})`,
            [token, ...ids],
          );
          n += r.changes;
        }
        return n;
      });
      metrics.count('released', released);
      metrics.count('lost', items.length - released);
      if (released) notify();
      return released;
    },

    async fail(item, kind, reason, now) {
      const t = now.getTime();
      const tooOld = options.maxAgeMs !== undefined && item.createdAt < t - options.maxAgeMs;
      const dead = kind === 'final' || item.attempts >= maxAttempts || tooOld;
      const r = dead
        ? await store.transaction(async (tx) => {
            const ended = await tx.execute(
              `UPDATE ${ITEMS_TABLE} SET state = 'dead', done_at = ?, lease_owner = NULL, lease_until = NULL, claim_token = NULL, last_error = ?, error_class = ?
               WHERE id = ? AND claim_token = ? AND state = 'leased'`,
              [t, reason, kind, item.id, item.token],
            );
            await adjustDepth(tx, name, -ended.changes);
            return ended;
          })
        : await store.execute(
            `UPDATE ${ITEMS_TABLE} SET state = 'queued', next_attempt_at = ?, lease_owner = NULL, lease_until = NULL, claim_token = NULL, last_error = ?, error_class = ?
             WHERE id = ? AND claim_token = ? AND state = 'leased'`,
            [t + backoff(item.attempts, retryBackoff), reason, kind, item.id, item.token],
          );
      if (r.changes === 0) {
        metrics.count('lost');
        return 'lost';
      }
      metrics.count(dead ? 'dead' : 'retried');
      if (dead) metrics.attempts(item.attempts);
      return dead ? 'dead' : 'retry';
    },

    async retry(now, ids) {
      if (ids && !ids.length) return 0;
      const only = ids ? ` AND id IN (${ids.map(() => '?').join(', ')})` : '';
      // Not held to the limit: an operator putting dead work back chose to, and refusing it would drop nothing.
      const r = await store.transaction(async (tx) => {
        const revived = await tx.execute(
          // Its age starts again too: an age limit (the queue's or its consumer's) would otherwise dead-letter it at its first failure.
          `UPDATE ${ITEMS_TABLE} SET state = 'queued', attempts = 0, next_attempt_at = ?, created_at = ?, done_at = NULL WHERE queue = ? AND state = 'dead'${only}`,
          [now.getTime(), now.getTime(), name, ...(ids ?? [])],
        );
        await adjustDepth(tx, name, revived.changes);
        return revived;
      });
      if (r.changes) notify();
      return r.changes;
    },

    async discard(ids) {
      if (ids && !ids.length) return 0;
      const only = ids ? ` AND id IN (${ids.map(() => '?').join(', ')})` : '';
      // Dead items are outside the depth counter already: deleting them changes no limit.
      const r = await store.execute(`DELETE FROM ${ITEMS_TABLE} WHERE queue = ? AND state = 'dead'${only}`, [name, ...(ids ?? [])]);
      metrics.count('discarded', r.changes);
      return r.changes;
    },

    async purge(purgeOptions, now) {
      const t = now.getTime();
      const purgeState = async (state: 'done' | 'dead', olderThanMs: number) => {
        let total = 0;
        // Chunks keep each delete short; the derived table lets MariaDB delete from the table it selects from.
        for (;;) {
          const r = await store.execute(
            `DELETE FROM ${ITEMS_TABLE} WHERE id IN (SELECT id FROM (SELECT id FROM ${ITEMS_TABLE} WHERE queue = ? AND state = ? AND done_at < ? ORDER BY id LIMIT ${PURGE_CHUNK}) AS old_items)`,
            [name, state, t - olderThanMs],
          );
          total += r.changes;
          if (r.changes < PURGE_CHUNK) return total;
        }
      };
      const done = await purgeState('done', purgeOptions.doneOlderThanMs);
      const dead = await purgeState('dead', purgeOptions.deadOlderThanMs);
      metrics.count('purged', done + dead);
      return { done, dead };
    },

    async dead(max = 100, ids) {
      if (ids && !ids.length) return [];
      const only = ids ? ` AND id IN (${ids.map(() => '?').join(', ')})` : '';
      const rows = await store.query<ItemRow & { last_error: string | null; error_class: string | null; done_at: number }>(
        `SELECT ${ITEM_COLUMNS}, last_error, error_class, done_at FROM ${ITEMS_TABLE} WHERE queue = ? AND state = 'dead'${only} ORDER BY done_at, id LIMIT ?`,
        [name, ...(ids ?? []), max],
      );
      return rows.map((r) => ({
        id: Number(r.id),
        partition: r.partition_key,
        lane: r.lane as Lane,
        payload: r.payload,
        attempts: Number(r.attempts),
        lastError: r.last_error ?? undefined,
        errorClass: r.error_class ?? undefined,
        createdAt: Number(r.created_at),
        deadAt: Number(r.done_at),
      }));
    },

    stats,

    async locate(keys) {
      const out = new Map<string, ItemPlace>();
      const unique = [...new Set(keys)];
      for (let i = 0; i < unique.length; i += LOCATE_CHUNK) {
        const chunk = unique.slice(i, i + LOCATE_CHUNK);
        const rows = await store.query<{ id: number; dedup_key: string; partition_key: string; lane_rank: number; state: string; attempts: number; next_attempt_at: number; last_error: string | null }>(
          `SELECT id, dedup_key, partition_key, lane_rank, state, attempts, next_attempt_at, last_error FROM ${ITEMS_TABLE} WHERE queue = ? AND dedup_key IN (${chunk.map(() => '?').join(', ')})`,
          [name, ...chunk],
        );
        for (const r of rows) {
          const state = r.state as ItemState;
          const unfinished = state === 'queued' || state === 'leased';
          // The order a partition is worked in: lane, then enqueue order (the partition index answers it).
          const ahead = unfinished
            ? await store.query<{ n: number }>(
                `SELECT COUNT(*) AS n FROM ${ITEMS_TABLE} WHERE queue = ? AND state IN ('queued', 'leased') AND partition_key = ? AND (lane_rank < ? OR (lane_rank = ? AND id < ?))`,
                [name, r.partition_key, r.lane_rank, r.lane_rank, r.id],
              )
            : undefined;
          out.set(r.dedup_key, {
            id: Number(r.id),
            state,
            attempts: Number(r.attempts),
            nextAttemptAt: Number(r.next_attempt_at),
            lastError: r.last_error ?? undefined,
            ahead: ahead ? Number(ahead[0]?.n ?? 0) : undefined,
          });
        }
      }
      return out;
    },

    onEnqueue(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    wake: notify,
  };
}

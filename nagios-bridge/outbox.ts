/** One target's outbox: an ordered work queue partitioned by host and service, with dedup keys and the delivered high-water mark. */
import { createHash } from 'node:crypto';
import type { Registry } from 'prom-client';
import { createQueue, type EnqueueItem, type WorkQueue } from '../queue/index.js';
import type { Queryable, Store, Transaction } from '../store/index.js';
import { DELIVERED_TABLE } from './outbox-schema.js';
import type { NagiosBridgeSettings } from './settings.js';
import type { BridgeCommand, OutboxItem, PassiveResult } from './types.js';

/** The queue of a target: queues share one table, so the name carries the stage. */
export const outboxQueueName = (target: string) => `nagios:${target}`;

const MAX_KEY = 190;
/**
 * Items of one service a claim may take (delivered in that many waves): a backlog of one busy service drains this many
 * per claim, and a claim fills its batch when fewer services than its size have work.
 */
export const OUTBOX_RUN_LENGTH = 64;

/**
 * `host|service` (`host|` for a host result or command): the partition whose results and commands are delivered one
 * at a time, in order.
 */
export function serviceKey(r: OutboxItem): string {
  const key = `${r.host}|${r.kind === 'host' ? '' : (r.service ?? '')}`;
  // The column holds 190 characters; a longer name is hashed, still one key per service.
  return key.length <= MAX_KEY ? key : `#${createHash('sha256').update(key).digest('hex')}`;
}

/** The same result re-sent (same service, time, state and text) has the same key, so it is stored once. */
export function resultDedupKey(r: PassiveResult): string {
  const fields = [r.kind, r.host, r.service ?? null, r.checkTime, r.state, r.output, r.longOutput ?? null, r.perfdata ?? null];
  return createHash('sha256').update(JSON.stringify(fields)).digest('hex');
}

/**
 * A command is stored once per client request id (`requestId`), so a client re-sending after a lost answer does not
 * schedule a second downtime; without an id there is no key: the same command may be meant twice (schedule, remove,
 * schedule again).
 */
export function commandDedupKey(c: BridgeCommand): string | undefined {
  if (c.requestId === undefined) return undefined;
  const { submittedAt: _at, submittedBy: _by, commandId: _id, ...fields } = c;
  return createHash('sha256').update(JSON.stringify(['command', fields])).digest('hex');
}

export interface Outbox {
  readonly target: string;
  readonly queue: WorkQueue<OutboxItem>;
  /**
   * Queues results and commands inside the caller's transaction and says per item whether it was new (false: the
   * same one is already stored); throws the queue's QueueFullError (nothing stored) when full.
   */
  enqueue(tx: Transaction, items: readonly OutboxItem[], now: Date): Promise<boolean[]>;
  /** Per service key, the check time of the newest result already delivered. */
  highWater(keys: readonly string[]): Promise<Map<string, number>>;
  /** Records delivered results (the newest check time per service key). */
  markDelivered(results: readonly PassiveResult[], now: Date, q?: Queryable): Promise<void>;
}

export interface OutboxOptions {
  store: Store;
  target: string;
  settings: NagiosBridgeSettings;
  registry?: Registry;
  clock?: () => Date;
}

/** Declares the outbox of one target on the platform's work queue. */
export function createOutbox(options: OutboxOptions): Outbox {
  const { store, target, settings } = options;
  const queue = createQueue<OutboxItem>({
    store,
    name: outboxQueueName(target),
    // Only a partition's head and the ready items right behind it are handed out, so a result waiting for its retry
    // holds back the newer ones behind it; the delivery handler keeps the order within a claim (outbox-delivery.ts).
    mode: 'ordered',
    runLength: OUTBOX_RUN_LENGTH,
    limit: settings.maxQueued,
    // The age limit is the bridge's (see outbox-delivery.ts), so the dead letter keeps the last failure's reason.
    maxAttempts: Number.MAX_SAFE_INTEGER,
    retryBackoff: { baseMs: settings.retryMinMs, capMs: settings.retryMaxMs, jitter: 1 },
    registry: options.registry,
    clock: options.clock,
  });

  return {
    target,
    queue,
    async enqueue(tx, items, now) {
      const queued = items.map((r): EnqueueItem<OutboxItem> => {
        const dedupKey = r.kind === 'command' ? commandDedupKey(r) : resultDedupKey(r);
        return { payload: r, partition: serviceKey(r), ...(dedupKey ? { dedupKey } : {}) };
      });
      return queue.enqueue(queued, now, tx);
    },
    async highWater(keys) {
      const marks = new Map<string, number>();
      const unique = [...new Set(keys)];
      for (let i = 0; i < unique.length; i += 500) {
        const chunk = unique.slice(i, i + 500);
        const rows = await store.query<{ service_key: string; check_time: number }>(
          `SELECT service_key, check_time FROM ${DELIVERED_TABLE} WHERE target = ? AND service_key IN (${chunk.map(() => '?').join(', ')})`,
          [target, ...chunk],
        );
        for (const r of rows) marks.set(r.service_key, Number(r.check_time));
      }
      return marks;
    },
    async markDelivered(results, now, q = store) {
      const newest = new Map<string, number>();
      for (const r of results) {
        const k = serviceKey(r);
        newest.set(k, Math.max(newest.get(k) ?? -Infinity, Math.floor(r.checkTime)));
      }
      if (!newest.size) return;
      // Replacing is safe: a partition is delivered one item at a time and never with an older time than its mark.
      await q.upsert(DELIVERED_TABLE, ['target', 'service_key', 'check_time', 'delivered_at'], [...newest].map(([k, t]) => [target, k, t, now.getTime()]), {
        key: ['target', 'service_key'],
      });
    },
  };
}

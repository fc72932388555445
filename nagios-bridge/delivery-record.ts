/** What a delivery batch writes besides the queue: the delivered high-water mark, the trace's events and the minute's counts, one transaction each way. */
import type { ClaimedItem } from '../queue/index.js';
import type { Store } from '../store/index.js';
import type { DeliveryMinutes } from './delivery-minutes.js';
import { resultDedupKey, type Outbox } from './outbox.js';
import type { ResultTrace } from './result-trace.js';
import type { OutboxItem } from './types.js';

/** A failed attempt: `dead` when it is dead-lettered (final, stale, or past the dead-letter age), else retried later. */
export interface FailedAttempt {
  item: ClaimedItem<OutboxItem>;
  reason: string;
  dead: boolean;
}

export interface DeliveryRecord {
  /** Results and commands delivered: results get their mark and trace event, both count in the minute. */
  delivered(items: readonly ClaimedItem<OutboxItem>[], now: Date): Promise<void>;
  failed(failures: readonly FailedAttempt[], now: Date): Promise<void>;
}

export interface DeliveryRecordOptions {
  store: Store;
  outbox: Outbox;
  trace: ResultTrace;
  minutes: DeliveryMinutes;
}

/** The results among the items with their trace keys. */
const resultsOf = (items: readonly ClaimedItem<OutboxItem>[]) =>
  items.flatMap((i) => (i.payload.kind === 'command' ? [] : [{ item: i, result: i.payload, key: i.dedupKey ?? resultDedupKey(i.payload) }]));

/** Every item's trace key: a result's dedup key, a command's id (commands queued before ids had none and are left out). */
const tracedOf = (items: readonly ClaimedItem<OutboxItem>[]) =>
  items.flatMap((i) => {
    const key = i.payload.kind === 'command' ? i.payload.commandId : (i.dedupKey ?? resultDedupKey(i.payload));
    return key ? [{ item: i, key }] : [];
  });

export function createDeliveryRecord(options: DeliveryRecordOptions): DeliveryRecord {
  const { store, outbox, trace, minutes } = options;
  const target = outbox.target;
  return {
    async delivered(items, now) {
      if (!items.length) return;
      // One commit: the mark that keeps older results out, the trace and the count never disagree after a crash.
      await store.transaction(async (tx) => {
        const results = resultsOf(items);
        await outbox.markDelivered(results.map((r) => r.result), now, tx);
        await trace.record(tx, tracedOf(items).map((r) => ({ key: r.key, target, event: 'delivered' as const, attempt: r.item.attempts })), now);
        await minutes.count(tx, target, items.length, 0, now);
      });
    },

    async failed(failures, now) {
      if (!failures.length) return;
      await store.transaction(async (tx) => {
        const dead = new Set(failures.filter((f) => f.dead).map((f) => f.item.id));
        const reasons = new Map(failures.map((f) => [f.item.id, f.reason]));
        const events = tracedOf(failures.map((f) => f.item)).map((r) => ({ key: r.key, target, event: dead.has(r.item.id) ? ('dead' as const) : ('failed' as const), attempt: r.item.attempts, detail: reasons.get(r.item.id) }));
        await trace.record(tx, events, now);
        await minutes.count(tx, target, 0, failures.length, now, failures[failures.length - 1]!.reason);
      });
    },
  };
}

/** Deliveries, failed attempts and outbox depth per target and minute, in the store: the outbox chart survives restarts and sums every appliance's work. */
import type { Queryable, Store } from '../store/index.js';
import { MINUTES_TABLE } from './trace-schema.js';

const MINUTE = 60_000;
const minuteOf = (t: Date) => Math.floor(t.getTime() / MINUTE) * MINUTE;

/** One minute of one target; `depth` is null when no sample fell in it. */
export interface MinuteRow {
  minute: number;
  delivered: number;
  failed: number;
  depth: number | null;
}

export interface DeliveryMinutes {
  /** Adds to the minute's counts (summed, so several appliances add up), in the caller's transaction; `lastError` replaces the minute's. */
  count(q: Queryable, target: string, delivered: number, failed: number, now: Date, lastError?: string): Promise<void>;
  /** Sets the minute's depth sample (the latest one wins). */
  sampleDepth(target: string, depth: number, now: Date): Promise<void>;
  /** Every minute from `from` up to `to`, oldest first; minutes without a row have zero counts and no depth. */
  range(target: string, from: Date, to: Date): Promise<MinuteRow[]>;
  /** The newest failure recorded for `target`, within the kept minutes. */
  lastFailure(target: string): Promise<{ reason: string; at: number } | undefined>;
  /** Deletes minutes older than `before`. */
  purge(before: Date): Promise<number>;
}

export function createDeliveryMinutes(store: Store): DeliveryMinutes {
  return {
    async count(q, target, delivered, failed, now, lastError) {
      if (!delivered && !failed) return;
      const key = ['target', 'minute'];
      if (lastError === undefined) {
        await q.upsert(MINUTES_TABLE, [...key, 'delivered', 'failed'], [[target, minuteOf(now), delivered, failed]], { key, update: { delivered: 'sum', failed: 'sum' } });
        return;
      }
      await q.upsert(MINUTES_TABLE, [...key, 'delivered', 'failed', 'last_error', 'last_error_at'], [[target, minuteOf(now), delivered, failed, lastError, now.getTime()]], {
        key,
        update: { delivered: 'sum', failed: 'sum' },
      });
    },

    async sampleDepth(target, depth, now) {
      await store.upsert(MINUTES_TABLE, ['target', 'minute', 'depth'], [[target, minuteOf(now), depth]], { key: ['target', 'minute'] });
    },

    async range(target, from, to) {
      const [start, end] = [minuteOf(from), minuteOf(to)];
      const rows = await store.query<{ minute: number; delivered: number; failed: number; depth: number | null }>(
        `SELECT minute, delivered, failed, depth FROM ${MINUTES_TABLE} WHERE target = ? AND minute >= ? AND minute <= ? ORDER BY minute`,
        [target, start, end],
      );
      const stored = new Map(rows.map((r) => [Number(r.minute), r]));
      const out: MinuteRow[] = [];
      for (let m = start; m <= end; m += MINUTE) {
        const r = stored.get(m);
        out.push({ minute: m, delivered: Number(r?.delivered ?? 0), failed: Number(r?.failed ?? 0), depth: r?.depth == null ? null : Number(r.depth) });
      }
      return out;
    },

    async lastFailure(target) {
      const [r] = await store.query<{ last_error: string; last_error_at: number }>(
        `SELECT last_error, last_error_at FROM ${MINUTES_TABLE} WHERE target = ? AND last_error_at IS NOT NULL ORDER BY minute DESC LIMIT 1`,
        [target],
      );
      return r ? { reason: r.last_error, at: Number(r.last_error_at) } : undefined;
    },

    async purge(before) {
      return (await store.execute(`DELETE FROM ${MINUTES_TABLE} WHERE minute < ?`, [before.getTime()])).changes;
    },
  };
}

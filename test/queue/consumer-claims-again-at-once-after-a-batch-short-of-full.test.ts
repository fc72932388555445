/**
 * An ordered queue hands out one item per partition per claim, so its claims come back short of a full batch while
 * work is left: the consumer must claim again at once after any claim that found work, and wait its poll interval
 * only after an empty one (else 8 partitions drain 8 items per poll: 10,000 items took minutes).
 */
import { describe, expect, it } from 'vitest';
import { createConsumer, createQueue, queueMigrations, type Scheduler } from '../../queue/index.js';
import { useFreshStore } from '../store/support/fresh-store.js';
import { sqliteBackend } from '../support/stores.js';

const POLL_MS = 60_000;

/** Runs zero-delay timers on the next turn; a poll-interval timer is only recorded (the loop went idle). */
function pollRecordingScheduler(onIdle: () => void): Scheduler {
  return {
    setTimeout: (fn, ms) => {
      if (ms === 0) return setImmediate(fn);
      if (ms === POLL_MS) onIdle();
      // Lease renewals (a third of the lease) never come due here: the handlers finish at once.
      return undefined;
    },
    clearTimeout: (handle) => {
      if (handle) clearImmediate(handle as NodeJS.Immediate);
    },
  };
}

describe('consumer loop on an ordered queue', () => {
  const fresh = useFreshStore(sqliteBackend, { per: 'suite', migrations: queueMigrations });

  it('drains every partition before it first waits for its poll interval', async () => {
    const queue = createQueue<{ p: string; seq: number }>({ store: fresh().store, name: 'ordered-drain', mode: 'ordered' });
    const items = Array.from({ length: 12 }, (_, i) => ({ p: `p${i % 3}`, seq: Math.floor(i / 3) }));
    await queue.enqueue(items.map((payload) => ({ payload, partition: payload.p })), new Date());
    const handled: string[] = [];
    let idle!: () => void;
    const wentIdle = new Promise<void>((r) => (idle = r));
    const consumer = createConsumer({
      queue,
      owner: 'w',
      batch: 10,
      leaseMs: 600_000,
      pollMs: POLL_MS,
      scheduler: pollRecordingScheduler(() => idle()),
      handler: async (item) => void handled.push(`${item.payload.p}/${item.payload.seq}`),
    });
    consumer.start();
    await wentIdle;
    await consumer.stop();
    expect(handled).toHaveLength(12);
    for (const p of ['p0', 'p1', 'p2']) expect(handled.filter((h) => h.startsWith(`${p}/`))).toEqual([0, 1, 2, 3].map((s) => `${p}/${s}`));
    expect((await queue.stats(new Date())).depth).toMatchObject({ queued: 0, leased: 0, done: 12 });
  });
});

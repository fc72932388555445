/** The consumer loop: one tick claims, handles and completes or fails; long work keeps its lease; enqueue wakes an idle loop. */
import { describe, expect, it, vi } from 'vitest';
import { createConsumer, createQueue, FinalFailure, NotAttempted, queueMigrations, type Scheduler } from '../../queue/index.js';
import { useFreshStore } from '../store/support/fresh-store.js';
import { sqliteBackend } from '../support/stores.js';

const T0 = Date.UTC(2026, 0, 1);

/** Timers the test fires by hand. */
function manualScheduler(): Scheduler & { fire(): void; pending(): number } {
  let timers = new Map<number, () => void>();
  let next = 0;
  return {
    setTimeout: (fn) => {
      timers.set(++next, fn);
      return next;
    },
    clearTimeout: (handle) => void timers.delete(handle as number),
    fire() {
      const due = timers;
      timers = new Map();
      for (const fn of due.values()) fn();
    },
    pending: () => timers.size,
  };
}

let counter = 0;

describe('consumer loop', () => {
  const fresh = useFreshStore(sqliteBackend, { per: 'suite', migrations: queueMigrations });

  it('a tick completes what the handler finished, dead-letters a FinalFailure and retries other errors', async () => {
    let now = T0;
    const queue = createQueue<string>({ store: fresh().store, name: `c${++counter}`, retryBackoff: { baseMs: 1_000, capMs: 1_000, jitter: 0 } });
    await queue.enqueue([{ payload: 'ok' }, { payload: 'bad input' }, { payload: 'target down' }], new Date(now));
    const consumer = createConsumer({
      queue,
      owner: 'test',
      clock: () => new Date(now),
      scheduler: manualScheduler(),
      handler: async (item) => {
        if (item.payload === 'bad input') throw new FinalFailure('cannot parse');
        if (item.payload === 'target down') throw new Error('ECONNREFUSED');
      },
    });
    expect(await consumer.tick()).toBe(3);
    expect((await queue.stats(new Date(now))).depth).toEqual({ queued: 1, leased: 0, done: 1, dead: 1 });
    expect(await consumer.tick()).toBe(0);
    now += 1_000;
    expect(await consumer.tick()).toBe(1);
    expect((await queue.dead()).map((d) => [d.payload, d.errorClass])).toEqual([['"bad input"', 'final']]);
  });

  it('a NotAttempted item goes back untried: the next tick hands it out at once, its attempt not counted', async () => {
    const now = T0;
    const queue = createQueue<string>({ store: fresh().store, name: `c${++counter}`, mode: 'ordered', runLength: 3 });
    await queue.enqueue(['p1', 'p2', 'p3'].map((payload) => ({ payload, partition: 'p' })), new Date(now));
    const seen: [string, number][] = [];
    let failFirst = true;
    const consumer = createConsumer({
      queue,
      owner: 'test',
      clock: () => new Date(now),
      scheduler: manualScheduler(),
      handler: async (item) => {
        seen.push([item.payload, item.attempts]);
        if (item.payload === 'p2' && failFirst) {
          failFirst = false;
          throw new NotAttempted('p1 went first');
        }
        if (item.payload === 'p3' && seen.filter(([p]) => p === 'p3').length === 1) throw new NotAttempted('p2 was not delivered');
      },
    });
    expect(await consumer.tick()).toBe(3);
    expect((await queue.stats(new Date(now))).depth).toEqual({ queued: 2, leased: 0, done: 1, dead: 0 });
    // Same clock: no backoff applies to an item handed back.
    expect(await consumer.tick()).toBe(2);
    expect(seen).toEqual([['p1', 1], ['p2', 1], ['p3', 1], ['p2', 1], ['p3', 1]]);
    expect((await queue.stats(new Date(now))).depth).toEqual({ queued: 0, leased: 0, done: 3, dead: 0 });
  });

  it('renews the lease while the handler runs, and aborts the handler once the lease is lost', async () => {
    let now = T0;
    const scheduler = manualScheduler();
    const queue = createQueue<string>({ store: fresh().store, name: `c${++counter}` });
    await queue.enqueue([{ payload: 'slow' }], new Date(now));
    let finish!: () => void;
    let aborted: AbortSignal | undefined;
    const consumer = createConsumer({
      queue,
      owner: 'a',
      leaseMs: 3_000,
      clock: () => new Date(now),
      scheduler,
      handler: (_item, signal) => {
        aborted = signal;
        return new Promise<void>((resolve) => (finish = resolve));
      },
    });
    const ticking = consumer.tick();
    // Polled, not slept: on a loaded machine the claim's commit may take longer than any fixed pause.
    await vi.waitFor(() => expect(aborted).toBeDefined(), { timeout: 10_000 });
    now += 2_000;
    scheduler.fire(); // renews: the lease now runs to T0 + 5000
    // The next renewal is armed once this one answered.
    await vi.waitFor(() => expect(scheduler.pending()).toBe(1), { timeout: 10_000 });
    now += 2_000;
    expect(await queue.claim('b', 1, 3_000, new Date(now))).toEqual([]);
    now += 1_001;
    const [stolen] = await queue.claim('b', 1, 3_000, new Date(now));
    expect(stolen?.owner).toBe('b');
    scheduler.fire(); // the renewal finds the lease gone
    await vi.waitFor(() => expect(aborted?.aborted).toBe(true), { timeout: 10_000 });
    finish();
    await ticking;
    expect(await queue.complete([stolen!], new Date(now))).toBe(1);
    expect((await queue.stats(new Date(now))).depth.done).toBe(1);
  });

  it('an idle loop polling once a minute claims work enqueued in its process at once', async () => {
    const queue = createQueue<number>({ store: fresh().store, name: `c${++counter}` });
    const handled: number[] = [];
    let done!: () => void;
    const allDone = new Promise<void>((r) => (done = r));
    const consumer = createConsumer({
      queue,
      owner: 'w',
      pollMs: 60_000,
      handler: async (item) => {
        handled.push(item.payload);
        if (handled.length === 2) done();
      },
    });
    consumer.start();
    await new Promise((r) => setTimeout(r, 50)); // the first (empty) claim has run; the loop now sleeps for a minute
    const started = Date.now();
    await queue.enqueue([{ payload: 1 }], new Date());
    await fresh().store.transaction((tx) => queue.enqueue([{ payload: 2 }], new Date(), tx));
    queue.wake();
    await Promise.race([allDone, new Promise((r) => setTimeout(r, 2_000))]);
    await consumer.stop();
    expect(handled.sort()).toEqual([1, 2]);
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});

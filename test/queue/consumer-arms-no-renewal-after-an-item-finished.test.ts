/**
 * A lease renewal still in flight when its item's handler finishes must not arm another renewal: that timer would
 * renew a completed item and keep a stopped consumer's process alive for a third of the lease.
 */
import { describe, expect, it } from 'vitest';
import { createConsumer, createQueue, queueMigrations, type Scheduler, type WorkQueue } from '../../queue/index.js';
import { useFreshStore } from '../store/support/fresh-store.js';
import { sqliteBackend } from '../support/stores.js';

/** Timers fired by hand; `pending` counts the armed ones. */
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

describe('consumer lease renewal', () => {
  const fresh = useFreshStore(sqliteBackend, { per: 'suite', migrations: queueMigrations });

  it('arms no new renewal when the renewal in flight answers after the handler finished', async () => {
    const real = createQueue<string>({ store: fresh().store, name: 'renewal' });
    await real.enqueue([{ payload: 'work' }], new Date());
    let answerRenewal!: (held: boolean) => void;
    let renewing!: () => void;
    const renewCalled = new Promise<void>((r) => (renewing = r));
    // The real queue, but the test decides when a renewal answers.
    const queue: WorkQueue<string> = {
      ...real,
      renew: () => {
        renewing();
        return new Promise<boolean>((r) => (answerRenewal = r));
      },
    };
    let finish!: () => void;
    let started!: () => void;
    const handlerStarted = new Promise<void>((r) => (started = r));
    const scheduler = manualScheduler();
    const consumer = createConsumer({
      queue,
      owner: 'a',
      leaseMs: 30_000,
      scheduler,
      handler: () => {
        started();
        return new Promise<void>((resolve) => (finish = resolve));
      },
    });
    const ticking = consumer.tick();
    await handlerStarted;
    scheduler.fire();
    await renewCalled;
    finish();
    expect(await ticking).toBe(1);
    answerRenewal(true);
    await new Promise((r) => setImmediate(r));
    expect(scheduler.pending()).toBe(0);
    expect((await real.stats(new Date())).depth).toMatchObject({ done: 1, leased: 0 });
  });
});

/**
 * Work enqueued inside the caller's transaction is invisible until the commit: a consumer woken before it claims on
 * another connection (MariaDB), finds nothing and sleeps its whole poll interval. So such an enqueue wakes nobody;
 * the caller's `wake()` after the commit does, and the idle consumer then claims at once.
 */
import { describe, expect, it } from 'vitest';
import { createConsumer, createQueue, queueMigrations } from '../../queue/index.js';
import { useFreshStore } from '../store/support/fresh-store.js';
import { testBackends } from '../support/stores.js';

let counter = 0;
const POLL_MS = 600_000;

describe.each(testBackends())('enqueue inside a transaction on $name', (backend) => {
  const fresh = useFreshStore(backend, { per: 'suite', migrations: queueMigrations });

  it('wakes no listener before the commit; wake() after it makes an idle consumer claim at once', async () => {
    const { store } = fresh();
    const queue = createQueue<number>({ store, name: `tx${++counter}` });
    let handled!: (n: number) => void;
    const got = new Promise<number>((r) => (handled = r));
    let idle!: () => void;
    const wentIdle = new Promise<void>((r) => (idle = r));
    // A poll interval the test cannot wait out: only a wake-up gets the item claimed.
    const consumer = createConsumer({
      queue,
      owner: 'w',
      pollMs: POLL_MS,
      scheduler: {
        setTimeout: (fn, ms) => {
          if (ms === POLL_MS) idle();
          return setTimeout(fn, ms);
        },
        clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
      },
      handler: async (item) => handled(item.payload),
    });
    const wakes: string[] = [];
    queue.onEnqueue(() => wakes.push('woken'));
    consumer.start();
    await wentIdle;
    try {
      await store.transaction(async (tx) => {
        await queue.enqueue([{ payload: 1 }], new Date(), tx);
        wakes.push('enqueued, not committed');
      });
      expect(wakes).toEqual(['enqueued, not committed']);
      queue.wake();
      expect(await Promise.race([got, new Promise<'late'>((r) => setTimeout(() => r('late'), 10_000))])).toBe(1);
    } finally {
      await consumer.stop();
    }
  });
});

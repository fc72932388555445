/**
 * `kill -9` of a process holding leases: while its leases run nobody else gets those items; after they expire they
 * are handed out again and each is completed once; nothing queued is lost.
 */
import { describe, expect, it } from 'vitest';
import { createQueue, queueMigrations } from '../../queue/index.js';
import { useFreshStore } from '../store/support/fresh-store.js';
import { testBackends } from '../support/stores.js';
import { startWorker } from './fixtures/worker-processes.js';

const LEASE_MS = 10_000;
const TOTAL = 40;

describe.each(testBackends())('a killed lease holder on $name', (backend) => {
  const fresh = useFreshStore(backend, { per: 'suite', migrations: queueMigrations });

  it('its items come back after the lease expires, each completed once', { timeout: 60_000 }, async () => {
    const { store, connection } = fresh();
    const queue = createQueue<{ partition: string; seq: number }>({ store, name: 'crash' });
    await queue.enqueue(Array.from({ length: TOTAL }, (_, seq) => ({ payload: { partition: '', seq } })), new Date());
    const holder = startWorker({ connection, queue: 'crash', mode: 'unordered', owner: 'doomed', role: 'hold', leaseMs: LEASE_MS, claim: 15 });
    const held = (await holder.line(/^claimed (.+)$/))[1]!.split(',').map(Number);
    expect(held).toHaveLength(15);
    holder.child.kill('SIGKILL');
    expect(await holder.exited).toBe(null);

    // Time is an input: "after the lease expired" is a later `now`, not a sleep.
    const now = Date.now();
    const others = await queue.claim('survivor', 100, LEASE_MS, new Date(now));
    expect(others.map((i) => i.id).filter((id) => held.includes(id))).toEqual([]);
    expect(others).toHaveLength(TOTAL - 15);
    expect(await queue.claim('survivor', 100, LEASE_MS, new Date(now + 1_000))).toEqual([]);
    expect(await queue.complete(others, new Date(now + 2_000))).toBe(TOTAL - 15);
    const again = await queue.claim('survivor', 100, LEASE_MS, new Date(now + LEASE_MS + 1_000));
    expect(again.map((i) => i.id).sort((a, b) => a - b)).toEqual([...held].sort((a, b) => a - b));
    expect(again.every((i) => i.attempts === 2)).toBe(true);

    expect(await queue.complete(again, new Date(now + LEASE_MS + 2_000))).toBe(15);
    expect(await queue.complete(again, new Date(now + LEASE_MS + 3_000))).toBe(0);
    expect((await queue.stats(new Date(now + LEASE_MS + 3_000))).depth).toEqual({ queued: 0, leased: 0, done: TOTAL, dead: 0 });
  });
});

/** Operator discard: dead items go for good (one by id, or all of a queue), queued and done items and other queues' dead stay; dead items are listed by id. */
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createQueue, queueMigrations, type QueueOptions, type WorkQueue } from '../../queue/index.js';
import { useFreshStore } from '../store/support/fresh-store.js';
import { testBackends } from '../support/stores.js';

const T0 = Date.UTC(2026, 0, 1);
const at = (ms: number) => new Date(T0 + ms);
let counter = 0;

describe.each(testBackends())('discarding dead items on $name', (backend) => {
  const fresh = useFreshStore(backend, { per: 'suite', migrations: queueMigrations });
  const queue = (options: Partial<QueueOptions> = {}): WorkQueue<string> => createQueue<string>({ store: fresh().store, name: `discard${++counter}`, ...options });

  /** Three dead items, one queued, one done. */
  async function filled(q: WorkQueue<string>) {
    await q.enqueue(['d1', 'd2', 'd3', 'done', 'waiting'].map((p) => ({ payload: p })), at(0));
    const claimed = await q.claim('w', 4, 1_000, at(0));
    for (const item of claimed.slice(0, 3)) await q.fail(item, 'final', `broken ${item.payload}`, at(1));
    await q.complete([claimed[3]!], at(2));
  }

  it('deletes the dead item it names and no other', async () => {
    const q = queue();
    await filled(q);
    const [first, second] = await q.dead();
    expect(await q.discard([second!.id])).toBe(1);
    expect((await q.dead()).map((d) => d.payload)).toEqual(['"d1"', '"d3"']);
    expect(first!.payload).toBe('"d1"');
    // Discarded is gone: an operator retry cannot bring it back.
    expect(await q.retry(at(3), [second!.id])).toBe(0);
    expect((await q.stats(at(3))).depth).toEqual({ queued: 1, leased: 0, done: 1, dead: 2 });
  });

  it('all of one queue: every dead item, never a queued or done one, never another queue', async () => {
    const [q, other] = [queue(), queue()];
    await filled(q);
    await filled(other);
    expect(await q.discard()).toBe(3);
    expect(await q.dead()).toEqual([]);
    expect((await q.stats(at(3))).depth).toEqual({ queued: 1, leased: 0, done: 1, dead: 0 });
    expect((await other.dead()).length).toBe(3);
    // The queued item is still handed out.
    expect((await q.claim('w', 5, 1_000, at(4))).map((i) => i.payload)).toEqual(['waiting']);
  });

  it('an id of a queued item, or of another queue, deletes nothing; an empty list is a no-op', async () => {
    const [q, other] = [queue(), queue()];
    await filled(q);
    await filled(other);
    const [theirs] = await other.dead();
    const [waiting] = await q.claim('w', 1, 1_000, at(3));
    expect(await q.discard([theirs!.id, waiting!.id])).toBe(0);
    expect(await q.discard([])).toBe(0);
    expect((await other.dead()).length).toBe(3);
    expect(await q.complete([waiting!], at(4))).toBe(1);
  });

  it('dead(limit, ids) lists the named items that are dead, oldest first, and no others', async () => {
    const [q, other] = [queue(), queue()];
    await filled(q);
    await filled(other);
    const [d1, , d3] = await q.dead();
    const [theirs] = await other.dead();
    expect((await q.dead(10, [d3!.id, theirs!.id, d1!.id])).map((d) => [d.payload, d.lastError])).toEqual([
      ['"d1"', 'broken d1'],
      ['"d3"', 'broken d3'],
    ]);
    expect(await q.dead(10, [])).toEqual([]);
  });

  it('counts what it discarded', async () => {
    const registry = new Registry();
    const q = queue({ registry });
    await filled(q);
    await q.discard();
    expect(await registry.metrics()).toMatch(new RegExp(`appliance_queue_outcomes_total\\{queue="${q.name}",outcome="discarded"\\} 3`));
  });
});

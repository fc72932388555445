/** The depth counter the enqueue limit reads equals a real count through every operation, and no enqueuer overshoots. */
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createQueue, queueMigrations, QueueFullError, type ClaimedItem, type QueueOptions, type WorkQueue } from '../../queue/index.js';
import type { Queryable } from '../../store/index.js';
import { useFreshStore } from '../store/support/fresh-store.js';
import { testBackends } from '../support/stores.js';

const T0 = Date.UTC(2026, 0, 1);
const at = (ms: number) => new Date(T0 + ms);
let counter = 0;

/** What the counter holds and what the items say, for one queue. */
async function depths(q: Queryable, queue: string): Promise<{ counter: number; counted: number }> {
  const [row] = await q.query<{ n: number }>('SELECT unfinished AS n FROM queue_depth WHERE queue = ?', [queue]);
  const [real] = await q.query<{ n: number }>("SELECT COUNT(*) AS n FROM queue_items WHERE queue = ? AND state IN ('queued', 'leased')", [queue]);
  return { counter: Number(row?.n ?? 0), counted: Number(real?.n ?? 0) };
}

/** A small seeded generator (mulberry32), so a failing mix can be replayed. */
function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe.each(testBackends())('queue depth counter on $name', (backend) => {
  const fresh = useFreshStore(backend, { per: 'suite', migrations: queueMigrations });
  const queue = (options: Partial<QueueOptions> = {}): WorkQueue<string> => createQueue<string>({ store: fresh().store, name: `depth${++counter}`, ...options });

  it('equals a real count after a random mix of enqueue, dedup, claim, complete, fail, dead-letter, retry and purge', async () => {
    const random = seeded(20260101);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
    // Two attempts and a 20 s age limit, so leases running out and old items both dead-letter within the run.
    const registry = new Registry();
    const q = queue({ registry, maxAttempts: 2, maxAgeMs: 20_000, retryBackoff: { baseMs: 50, capMs: 200, jitter: 0 } });
    let now = 0;
    const held: ClaimedItem<string>[] = [];
    const seen = new Set<string>();
    const deadBy = new Set<string>();
    for (let step = 0; step < 250; step++) {
      const op = pick(['enqueue', 'enqueue', 'claim', 'claim', 'complete', 'fail', 'fail', 'time', 'retry', 'purge']);
      if (op === 'enqueue') {
        // Keys from a small pool, so about half are dedup hits (in any state, until purged).
        const items = Array.from({ length: 1 + Math.floor(random() * 3) }, () => {
          const key = random() < 0.7 ? `k${Math.floor(random() * 40)}` : undefined;
          return { payload: `s${step}`, dedupKey: key, partition: pick(['a', 'b']) };
        });
        const fresh = await q.enqueue(items, at(now));
        items.forEach((item, i) => item.dedupKey && fresh[i] && seen.add(item.dedupKey));
      } else if (op === 'claim') {
        held.push(...(await q.claim('w', 1 + Math.floor(random() * 3), 1_000, at(now))));
      } else if (op === 'complete' && held.length) {
        await q.complete(held.splice(0, 1 + Math.floor(random() * held.length)), at(now));
      } else if (op === 'fail' && held.length) {
        await q.fail(held.shift()!, random() < 0.7 ? 'retryable' : 'final', 'mix', at(now));
      } else if (op === 'time') {
        // Past leases (they run out: requeued, or dead on the last attempt) and now and then past the age limit.
        now += pick([300, 1_500, 1_500, 25_000]);
      } else if (op === 'retry') {
        await q.retry(at(now));
      } else if (op === 'purge') {
        await q.purge({ doneOlderThanMs: 2_000, deadOlderThanMs: 2_000 }, at(now));
      }
      now += 10;
      const d = await depths(fresh().store, q.name);
      expect(d.counter, `after step ${step} (${op})`).toBe(d.counted);
      for (const r of await fresh().store.query<{ c: string }>("SELECT DISTINCT error_class AS c FROM queue_items WHERE queue = ? AND state = 'dead'", [q.name])) deadBy.add(r.c);
    }
    // The mix reached every path it is meant to check.
    expect(seen.size).toBeGreaterThan(5);
    const outcomes = await registry.getSingleMetric('appliance_queue_outcomes_total')!.get();
    const reached = new Set(outcomes.values.filter((v) => v.value > 0).map((v) => v.labels.outcome));
    for (const outcome of ['enqueued', 'duplicate', 'claimed', 'completed', 'retried', 'dead', 'lease_expired', 'purged']) expect(reached, outcome).toContain(outcome);
    expect([...deadBy].sort()).toEqual(['age', 'expired', 'final', 'retryable']);
  });

  it('refuses at exactly the limit, counts dedup hits out, and takes work again once an item finishes', async () => {
    const q = queue({ limit: 3 });
    expect(await q.enqueue([{ payload: 'a', dedupKey: 'k1' }, { payload: 'a again', dedupKey: 'k1' }], at(0))).toEqual([true, false]);
    expect(await q.enqueue([{ payload: 'b' }, { payload: 'c' }], at(1))).toEqual([true, true]);
    expect((await depths(fresh().store, q.name)).counter).toBe(3);
    await expect(q.enqueue([{ payload: 'd' }], at(2))).rejects.toBeInstanceOf(QueueFullError);
    expect(await depths(fresh().store, q.name)).toEqual({ counter: 3, counted: 3 });
    await q.complete(await q.claim('w', 1, 1_000, at(3)), at(4));
    expect(await q.enqueue([{ payload: 'd' }], at(5))).toEqual([true]);
    await expect(q.enqueue([{ payload: 'e' }], at(6))).rejects.toBeInstanceOf(QueueFullError);
  });

  it.runIf(backend.name === 'mysql')('two enqueuers in open transactions cannot both fill the last places', async () => {
    const q = queue({ limit: 5 });
    const { store } = fresh();
    const other = fresh().openAnother();
    let second: Promise<unknown> | undefined;
    await store.transaction(async (tx) => {
      await q.enqueue(['1', '2', '3'].map((payload) => ({ payload })), at(0), tx);
      // The other process enqueues while this transaction is open: counting rows, it saw none of these three and
      // went on; reading the counter, it waits for this commit. Give it time to do either, then commit.
      second = createQueue<string>({ store: other, name: q.name, limit: 5 }).enqueue(['4', '5', '6'].map((payload) => ({ payload })), at(1));
      const settled = second.then(() => undefined, () => undefined);
      await Promise.race([settled, new Promise((resolve) => setTimeout(resolve, 1_000))]);
    });
    await expect(second).rejects.toBeInstanceOf(QueueFullError);
    expect(await depths(store, q.name)).toEqual({ counter: 3, counted: 3 });
  });

  it.runIf(backend.name === 'mysql')('many concurrent enqueuers from two stores stop at the limit', async () => {
    const name = `depth${++counter}`;
    const stores = [fresh().store, fresh().openAnother()];
    const queues = stores.map((store) => createQueue<number>({ store, name, limit: 55 }));
    const outcomes = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => queues[i % 2]!.enqueue(Array.from({ length: 10 }, (_, k) => ({ payload: i * 10 + k })), at(i))));
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(5);
    expect(outcomes.filter((o) => o.status === 'rejected').every((o) => o.reason instanceof QueueFullError)).toBe(true);
    expect(await depths(stores[0]!, name)).toEqual({ counter: 50, counted: 50 });
  });
});

describe.each(testBackends())('queue depth migration on $name', (backend) => {
  const fresh = useFreshStore(backend, { per: 'test' });

  it('backfills the counter from the items of a store made before it, and the limit then holds', async () => {
    const { store } = fresh();
    await store.migrate(queueMigrations.filter((m) => m.version === 1));
    const columns = ['queue', 'partition_key', 'lane', 'lane_rank', 'payload', 'state', 'attempts', 'next_attempt_at', 'created_at'];
    const row = (queue: string, state: string) => [queue, '', 'normal', 1, '"x"', state, 0, T0, T0];
    await store.insertMany('queue_items', columns, [
      ...['queued', 'queued', 'leased', 'done', 'dead'].map((s) => row('old', s)),
      ...['done', 'dead'].map((s) => row('finished', s)),
    ]);
    expect((await store.migrate(queueMigrations)).applied.map((m) => m.version)).toEqual([2]);
    expect(await depths(store, 'old')).toEqual({ counter: 3, counted: 3 });
    const [finished] = await store.query<{ n: number }>("SELECT COUNT(*) AS n FROM queue_depth WHERE queue = 'finished'");
    expect(Number(finished?.n)).toBe(0);
    const q = createQueue<string>({ store, name: 'old', limit: 4 });
    expect(await q.enqueue([{ payload: 'fourth' }], at(0))).toEqual([true]);
    await expect(q.enqueue([{ payload: 'fifth' }], at(1))).rejects.toBeInstanceOf(QueueFullError);
    expect(await createQueue<string>({ store, name: 'finished', limit: 1 }).enqueue([{ payload: 'new' }], at(2))).toEqual([true]);
  });
});

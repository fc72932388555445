/** Contract: the work queue's operations behave alike on SQLite and MariaDB; every time is passed in. */
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { backoff } from '../../common/index.js';
import { createQueue, queueMigrations, QueueFullError, type ClaimedItem, type QueueOptions, type WorkQueue } from '../../queue/index.js';
import { useFreshStore } from '../store/support/fresh-store.js';
import { testBackends } from '../support/stores.js';

const T0 = Date.UTC(2026, 0, 1);
const at = (ms: number) => new Date(T0 + ms);
const payloads = <P>(items: readonly ClaimedItem<P>[]) => items.map((i) => i.payload);
let counter = 0;

describe.each(testBackends())('work queue on $name', (backend) => {
  const fresh = useFreshStore(backend, { per: 'suite', migrations: queueMigrations });
  /** A queue of its own per test: queues share the table, so tests need no cleanup. */
  const queue = <P = string>(options: Partial<QueueOptions> = {}): WorkQueue<P> => createQueue<P>({ store: fresh().store, name: `q${++counter}`, ...options });

  it('hands out what was enqueued, once, and counts it done', async () => {
    const q = queue();
    expect(await q.enqueue([{ payload: 'a' }, { payload: 'b' }], at(0))).toEqual([true, true]);
    const claimed = await q.claim('w1', 10, 1_000, at(1));
    expect(payloads(claimed)).toEqual(['a', 'b']);
    expect(claimed.map((c) => c.attempts)).toEqual([1, 1]);
    expect(await q.claim('w2', 10, 1_000, at(2))).toEqual([]);
    expect(await q.complete(claimed, at(3))).toBe(2);
    const stats = await q.stats(at(4));
    expect(stats.depth).toEqual({ queued: 0, leased: 0, done: 2, dead: 0 });
    expect(stats.oldestAgeMs).toBe(0);
  });

  it('enqueue is idempotent by dedup key, also after the item is done', async () => {
    const q = queue();
    expect(await q.enqueue([{ payload: 'x', dedupKey: 'k1' }, { payload: 'x again', dedupKey: 'k1' }, { payload: 'y', dedupKey: 'k2' }], at(0))).toEqual([true, false, true]);
    const claimed = await q.claim('w', 10, 1_000, at(0));
    await q.complete(claimed, at(1));
    expect(await q.enqueue([{ payload: 'x later', dedupKey: 'k1' }], at(2))).toEqual([false]);
    expect(payloads(claimed)).toEqual(['x', 'y']);
    // Dedup keys are per queue: another queue takes the same key.
    expect(await queue().enqueue([{ payload: 'z', dedupKey: 'k1' }], at(3))).toEqual([true]);
  });

  it('hands out urgent items first, then in enqueue order', async () => {
    const q = queue();
    await q.enqueue([{ payload: 'n1' }, { payload: 'u1', lane: 'urgent' }, { payload: 'n2' }, { payload: 'u2', lane: 'urgent' }], at(0));
    expect(payloads(await q.claim('w', 3, 1_000, at(0)))).toEqual(['u1', 'u2', 'n1']);
  });

  it('an ordered queue leases one item per partition at a time, in enqueue order, urgent first', async () => {
    const q = queue({ mode: 'ordered' });
    await q.enqueue(['a1', 'b1', 'a2', 'a3', 'b2'].map((p) => ({ payload: p, partition: p[0]! })), at(0));
    const first = await q.claim('w', 10, 1_000, at(0));
    expect(payloads(first)).toEqual(['a1', 'b1']);
    expect(await q.claim('w', 10, 1_000, at(1))).toEqual([]);
    await q.enqueue([{ payload: 'a-urgent', partition: 'a', lane: 'urgent' }], at(2));
    await q.complete([first[0]!], at(3));
    expect(payloads(await q.claim('w', 10, 1_000, at(4)))).toEqual(['a-urgent']);
  });

  it('ordered holds a partition behind its head while it waits for its retry; serialized lets the next item through', async () => {
    for (const mode of ['ordered', 'serialized'] as const) {
      const q = queue({ mode, retryBackoff: { baseMs: 1_000, capMs: 1_000, jitter: 0 } });
      await q.enqueue([{ payload: 'p1', partition: 'p' }, { payload: 'p2', partition: 'p' }], at(0));
      const [head] = await q.claim('w', 10, 5_000, at(0));
      expect(head?.payload).toBe('p1');
      expect(await q.fail(head!, 'retryable', 'target down', at(10))).toBe('retry');
      const next = payloads(await q.claim('w', 10, 5_000, at(20)));
      expect(next).toEqual(mode === 'ordered' ? [] : ['p2']);
    }
  });

  it('an ordered queue with a run length leases each free partition its head and the ready items behind it, in order, oldest head first', async () => {
    const q = queue({ mode: 'ordered', runLength: 2, retryBackoff: { baseMs: 1_000, capMs: 1_000, jitter: 0 } });
    await q.enqueue(['a1', 'b1', 'a2', 'a3', 'b2', 'c1'].map((p) => ({ payload: p, partition: p[0]! })), at(0));
    // Whole runs of at most 2, oldest head first, cut at the claim's size.
    const first = await q.claim('w', 3, 100_000, at(0));
    expect(payloads(first)).toEqual(['a1', 'b1', 'a2']);
    // a and b are leased: only c is free.
    expect(payloads(await q.claim('w', 10, 100_000, at(1)))).toEqual(['c1']);
    await q.complete(first.filter((i) => i.partition === 'a'), at(2));
    // b's run was cut after b1 and b is still leased; a goes on with a3.
    const next = await q.claim('w', 10, 100_000, at(3));
    expect(payloads(next)).toEqual(['a3']);
    // A run ends at the first item not ready: the items behind a retrying one wait with it.
    await q.enqueue([{ payload: 'a4', partition: 'a' }], at(4));
    expect(await q.fail(next[0]!, 'retryable', 'target down', at(5))).toBe('retry');
    expect(payloads(await q.claim('w', 10, 100_000, at(6)))).toEqual([]);
    expect(payloads(await q.claim('w', 10, 100_000, at(1_005)))).toEqual(['a3', 'a4']);
  });

  it('with runs, a partition whose items fill the oldest part of the queue holds no other partition back', async () => {
    const q = queue({ mode: 'ordered', runLength: 2 });
    await q.enqueue(Array.from({ length: 20 }, (_, i) => ({ payload: `a${i + 1}`, partition: 'a' })), at(0));
    await q.enqueue([{ payload: 'b1', partition: 'b' }], at(0));
    expect(payloads(await q.claim('w', 1, 100_000, at(0)))).toEqual(['a1']);
    // a is leased and its items are the oldest many claims' worth: b still gets its turn.
    expect(payloads(await q.claim('w', 2, 100_000, at(1)))).toEqual(['b1']);
  });

  it('release hands leased items back untried: the next claim gets them at once with the attempt not counted', async () => {
    const q = queue({ mode: 'ordered', runLength: 3 });
    await q.enqueue(['p1', 'p2', 'p3'].map((p) => ({ payload: p, partition: 'p' })), at(0));
    const claimed = await q.claim('w', 10, 1_000, at(0));
    expect(claimed.map((c) => c.attempts)).toEqual([1, 1, 1]);
    await q.complete([claimed[0]!], at(1));
    expect(await q.release(claimed.slice(1))).toBe(2);
    // A second release of the same claim finds nothing it still holds.
    expect(await q.release(claimed.slice(1))).toBe(0);
    const again = await q.claim('w', 10, 1_000, at(2));
    expect(payloads(again)).toEqual(['p2', 'p3']);
    expect(again.map((c) => c.attempts)).toEqual([1, 1]);
    expect((await q.stats(at(3))).depth).toEqual({ queued: 0, leased: 2, done: 1, dead: 0 });
  });

  it('refuses work over its limit with QueueFullError and stores none of the batch', async () => {
    const q = queue({ limit: 3, retryAfterSeconds: 7 });
    await q.enqueue([{ payload: '1' }, { payload: '2' }], at(0));
    const refused = await q.enqueue([{ payload: '3' }, { payload: '4' }], at(1)).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(QueueFullError);
    expect((refused as QueueFullError).retryAfterSeconds).toBe(7);
    expect((refused as QueueFullError).httpStatus).toBe(503);
    expect((await q.stats(at(1))).depth.queued).toBe(2);
    await q.complete(await q.claim('w', 2, 1_000, at(2)), at(3));
    expect(await q.enqueue([{ payload: '3' }, { payload: '4' }, { payload: '5' }], at(4))).toEqual([true, true, true]);
  });

  it('a retryable failure waits out a capped, jittered backoff drawn from the injected random', async () => {
    const options = { baseMs: 1_000, capMs: 3_000, jitter: 1 };
    const q = queue({ retryBackoff: options, random: () => 0.5 });
    await q.enqueue([{ payload: 'job' }], at(0));
    let now = 0;
    for (let attempt = 1; attempt <= 4; attempt++) {
      const [item] = await q.claim('w', 1, 10_000, at(now));
      expect(item?.attempts).toBe(attempt);
      await q.fail(item!, 'retryable', `try ${attempt}`, at(now));
      const delay = backoff(attempt, { ...options, random: () => 0.5 });
      expect(delay).toBe([500, 1_000, 1_500, 1_500][attempt - 1]);
      expect(await q.claim('w', 1, 10_000, at(now + delay - 1))).toEqual([]);
      now += delay;
    }
  });

  it('dead-letters after the last attempt or a final failure; an operator retry puts them back', async () => {
    const q = queue({ maxAttempts: 2, retryBackoff: { baseMs: 10, capMs: 10, jitter: 0 } });
    await q.enqueue([{ payload: 'flaky' }, { payload: 'broken' }], at(0));
    const [flaky, broken] = await q.claim('w', 2, 1_000, at(0));
    expect(await q.fail(broken!, 'final', 'bad request', at(1))).toBe('dead');
    expect(await q.fail(flaky!, 'retryable', 'timeout 1', at(1))).toBe('retry');
    const [again] = await q.claim('w', 2, 1_000, at(20));
    expect(await q.fail(again!, 'retryable', 'timeout 2', at(21))).toBe('dead');
    const dead = await q.dead();
    expect(dead.map((d) => [d.payload, d.attempts, d.errorClass, d.lastError])).toEqual([
      ['"broken"', 1, 'final', 'bad request'],
      ['"flaky"', 2, 'retryable', 'timeout 2'],
    ]);
    expect(await q.claim('w', 2, 1_000, at(100))).toEqual([]);
    expect(await q.retry(at(200), [dead[1]!.id])).toBe(1);
    const [retried] = await q.claim('w', 2, 1_000, at(200));
    expect([retried?.payload, retried?.attempts]).toEqual(['flaky', 1]);
  });

  it('dead-letters unfinished items past the age limit', async () => {
    const q = queue({ maxAgeMs: 60_000 });
    await q.enqueue([{ payload: 'stale' }], at(0));
    await q.enqueue([{ payload: 'fresh' }], at(30_000));
    expect(payloads(await q.claim('w', 5, 1_000, at(60_001)))).toEqual(['fresh']);
    expect((await q.dead()).map((d) => d.errorClass)).toEqual(['age']);
  });

  it('an expired lease hands the item to the next claim; the old holder can neither renew nor complete it', async () => {
    const q = queue();
    await q.enqueue([{ payload: 'long job' }], at(0));
    const [held] = await q.claim('a', 1, 1_000, at(0));
    expect(await q.renew(held!, 1_000, at(900))).toBe(true); // now until 1900
    expect(await q.claim('b', 1, 1_000, at(1_800))).toEqual([]);
    const [taken] = await q.claim('b', 1, 1_000, at(1_901));
    expect([taken?.owner, taken?.attempts]).toEqual(['b', 2]);
    expect(await q.renew(held!, 1_000, at(1_950))).toBe(false);
    expect(await q.complete([held!], at(1_960))).toBe(0);
    expect(await q.fail(held!, 'retryable', 'late', at(1_960))).toBe('lost');
    expect(await q.complete([taken!], at(1_970))).toBe(1);
    expect((await q.stats(at(2_000))).depth).toEqual({ queued: 0, leased: 0, done: 1, dead: 0 });
  });

  it('purges done and dead items past their retention only', async () => {
    const q = queue();
    await q.enqueue([{ payload: 'd1' }, { payload: 'x' }, { payload: 'keep' }], at(0));
    const [d1, x] = await q.claim('w', 2, 1_000, at(0));
    await q.complete([d1!], at(100));
    await q.fail(x!, 'final', 'no', at(100));
    expect(await q.purge({ doneOlderThanMs: 1_000, deadOlderThanMs: 5_000 }, at(1_000))).toEqual({ done: 0, dead: 0 });
    expect(await q.purge({ doneOlderThanMs: 1_000, deadOlderThanMs: 5_000 }, at(1_101))).toEqual({ done: 1, dead: 0 });
    expect(await q.purge({ doneOlderThanMs: 1_000, deadOlderThanMs: 5_000 }, at(5_101))).toEqual({ done: 0, dead: 1 });
    expect((await q.stats(at(6_000))).depth).toEqual({ queued: 1, leased: 0, done: 0, dead: 0 });
  });

  it("enqueued inside the caller's transaction, the work commits or rolls back with the record", async () => {
    const q = queue();
    const { store } = fresh();
    await store
      .transaction(async (tx) => {
        await q.enqueue([{ payload: 'rolled back' }], at(0), tx);
        throw new Error('record refused');
      })
      .catch(() => undefined);
    await store.transaction((tx) => q.enqueue([{ payload: 'committed' }], at(1), tx));
    expect(payloads(await q.claim('w', 5, 1_000, at(2)))).toEqual(['committed']);
  });

  it('reports depth by state, oldest age and outcomes as metrics', async () => {
    const registry = new Registry();
    const q = queue({ registry, clock: () => at(10_000) });
    await q.enqueue([{ payload: 'a' }, { payload: 'b' }], at(4_000));
    await q.complete((await q.claim('w', 1, 1_000, at(5_000))), at(5_000));
    const text = await registry.metrics();
    expect(text).toContain(`appliance_queue_items{queue="${q.name}",state="queued"} 1`);
    expect(text).toContain(`appliance_queue_items{queue="${q.name}",state="done"} 1`);
    expect(text).toContain(`appliance_queue_oldest_age_seconds{queue="${q.name}"} 6`);
    expect(text).toContain(`appliance_queue_outcomes_total{queue="${q.name}",outcome="enqueued"} 2`);
    expect(text).toContain(`appliance_queue_outcomes_total{queue="${q.name}",outcome="completed"} 1`);
    expect(text).toMatch(new RegExp(`appliance_queue_claim_seconds_count\\{queue="${q.name}"\\} 1`));
  });
});

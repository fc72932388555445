/** An operator's retry gives a dead item a fresh age (an age limit does not dead-letter it again at once) at its old place in the order; `locate` says where items are. */
import { describe, expect, it } from 'vitest';
import { createQueue, queueMigrations, type QueueOptions, type WorkQueue } from '../../queue/index.js';
import { useFreshStore } from '../store/support/fresh-store.js';
import { testBackends } from '../support/stores.js';

const T0 = Date.UTC(2026, 0, 1);
const at = (ms: number) => new Date(T0 + ms);
let counter = 0;

describe.each(testBackends())('retry and locate on $name', (backend) => {
  const fresh = useFreshStore(backend, { per: 'suite', migrations: queueMigrations });
  const queue = (options: Partial<QueueOptions> = {}): WorkQueue<string> =>
    createQueue<string>({ store: fresh().store, name: `locate${++counter}`, mode: 'ordered', ...options });

  it('a retried item past the age limit is handed out again instead of being swept at once, before the newer items of its partition', async () => {
    const q = queue({ maxAgeMs: 60_000 });
    await q.enqueue([{ payload: 'old', partition: 'p' }], at(0));
    // Swept as too old by the claim at 60,001; the newer one, queued at 30,000, is handed out.
    await q.enqueue([{ payload: 'newer', partition: 'p' }], at(30_000));
    const [newer] = await q.claim('w', 5, 1_000, at(60_001));
    expect(newer?.payload).toBe('newer');
    const [dead] = await q.dead();
    expect(dead?.errorClass).toBe('age');
    expect(await q.complete([newer!], at(60_002))).toBe(1);
    await q.enqueue([{ payload: 'newest', partition: 'p' }], at(90_000));
    expect(await q.retry(at(100_000), [dead!.id])).toBe(1);
    // 150 s after it was first queued, 50 s after the retry: handed out, ahead of the newer item of its partition.
    expect((await q.claim('w', 5, 1_000, at(150_000))).map((i) => [i.payload, i.attempts, i.createdAt])).toEqual([['old', 1, T0 + 100_000]]);
    expect((await q.stats(at(150_000))).oldestAgeMs).toBe(60_000);
  });

  it('locate: state, attempts, last error and how many of its partition are ahead; unknown keys are absent', async () => {
    const q = queue();
    await q.enqueue(['a1', 'a2', 'a3', 'b1'].map((p) => ({ payload: p, partition: p[0]!, dedupKey: `k-${p}` })), at(0));
    const claimed = await q.claim('w', 5, 1_000, at(0));
    expect(claimed.map((i) => i.payload)).toEqual(['a1', 'b1']);
    await q.complete([claimed[1]!], at(1));
    expect(await q.fail(claimed[0]!, 'retryable', 'FIFO missing', at(1))).toBe('retry');
    const places = await q.locate(['k-a1', 'k-a2', 'k-a3', 'k-b1', 'k-none']);
    expect([...places.keys()].sort()).toEqual(['k-a1', 'k-a2', 'k-a3', 'k-b1']);
    expect(places.get('k-a1')).toMatchObject({ state: 'queued', attempts: 1, lastError: 'FIFO missing', ahead: 0 });
    expect(places.get('k-a1')!.nextAttemptAt).toBeGreaterThan(T0 + 1);
    expect(places.get('k-a2')).toMatchObject({ state: 'queued', attempts: 0, ahead: 1 });
    expect(places.get('k-a3')).toMatchObject({ state: 'queued', ahead: 2 });
    expect(places.get('k-b1')).toMatchObject({ state: 'done', ahead: undefined });
    expect(await q.locate([])).toEqual(new Map());
  });
});

/**
 * Two processes on one MariaDB drain one ordered queue of 10,000 items over 8 partitions: every item is handled and
 * completed exactly once, and within each partition in enqueue order: each process logs when it started and finished
 * each item (wall clock, one machine), and item k+1 of a partition must start after item k finished, whichever
 * process ran either.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createQueue, queueMigrations } from '../../queue/index.js';
import { useFreshStore } from '../store/support/fresh-store.js';
import { testBackends } from '../support/stores.js';
import { startWorker } from './fixtures/worker-processes.js';

const ITEMS = 10_000;
const PARTITIONS = 8;
// Ordered means at least ITEMS / PARTITIONS claim-and-complete rounds one after another: minutes on a busy machine.
const TIMEOUT_MS = 480_000;

const mysqlOnly = testBackends().filter((b) => b.name === 'mysql');

describe.each(mysqlOnly)('two processes draining an ordered queue on $name', (backend) => {
  const fresh = useFreshStore(backend, { per: 'suite', migrations: queueMigrations });
  const dir = mkdtempSync(join(tmpdir(), 'queue-drain-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('complete every item exactly once, in order within each partition', { timeout: TIMEOUT_MS }, async () => {
    const { store, connection } = fresh();
    const queue = createQueue<{ partition: string; seq: number }>({ store, name: 'drain', mode: 'ordered', limit: ITEMS });
    const items = Array.from({ length: ITEMS }, (_, i) => ({ partition: `p${i % PARTITIONS}`, seq: Math.floor(i / PARTITIONS) }));
    for (let i = 0; i < ITEMS; i += 1_000) {
      await queue.enqueue(items.slice(i, i + 1_000).map((p) => ({ payload: p, partition: p.partition })), new Date());
    }
    const owners = ['one', 'two'];
    const workers = owners.map((owner) => startWorker({ connection, queue: 'drain', mode: 'ordered', owner, role: 'drain', leaseMs: 600_000, log: join(dir, owner) }));
    const drained = await Promise.all(workers.map((w) => w.line(/^drained (\d+)$/, TIMEOUT_MS - 20_000)));
    expect(await Promise.all(workers.map((w) => w.exited))).toEqual([0, 0]);
    expect(drained.map((m) => Number(m[1])).every((n) => n > 0)).toBe(true);

    const handled = owners.flatMap((owner) =>
      readFileSync(join(dir, owner), 'utf8').trim().split('\n').map((line) => {
        const [id, partition, seq, started, finished] = line.split(' ');
        return { id: Number(id), partition: partition!, seq: Number(seq), started: Number(started), finished: Number(finished) };
      }),
    );
    expect(handled).toHaveLength(ITEMS);
    expect(new Set(handled.map((h) => h.id)).size).toBe(ITEMS);
    for (let p = 0; p < PARTITIONS; p++) {
      const runs = handled.filter((h) => h.partition === `p${p}`).sort((a, b) => a.started - b.started);
      expect(runs.map((r) => r.seq)).toEqual(Array.from({ length: ITEMS / PARTITIONS }, (_, i) => i));
      const overlaps = runs.filter((r, i) => i > 0 && r.started < runs[i - 1]!.finished);
      expect(overlaps).toEqual([]);
    }
    expect((await queue.stats(new Date())).depth).toEqual({ queued: 0, leased: 0, done: ITEMS, dead: 0 });
  });
});

if (!mysqlOnly.length) describe.skip('two processes draining an ordered queue (needs MariaDB: APPLIANCE_TEST_MYSQL)', () => it('is skipped', () => undefined));

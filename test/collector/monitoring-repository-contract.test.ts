/** The monitoring repository on every backend: insert, range, latest, readAfter, subscriptions after commit, retention, the metric policy. */
import { afterEach, describe, expect, it } from 'vitest';
import { collectorMigrations, createCollector, defaultCollectorSettings, type Collector, type CollectorSettings, type StoredSample } from '../../collector/index.js';
import { useFreshStore } from '../store/support/fresh-store.js';
import { testBackends } from '../support/stores.js';

const T0 = new Date('2026-03-01T10:00:00Z');
const at = (s: number) => new Date(T0.getTime() + s * 1000);
const denyAll = { requireRead: () => undefined, requireRole: () => () => undefined };

describe.each(testBackends())('monitoring repository on $name', (backend) => {
  const fresh = useFreshStore(backend, { per: 'test', migrations: collectorMigrations });
  let collector: Collector | undefined;
  afterEach(async () => collector?.stop());

  const make = (settings: Partial<CollectorSettings> = {}, metrics: { name: string }[] = []) => {
    collector = createCollector({ store: fresh().store, access: denyAll, settings: { ...defaultCollectorSettings(), ...settings }, metrics, cleanUpIntervalMs: 0, clock: () => at(3600) });
    return collector.repository;
  };

  it('stores samples with ids in insertion order and reads them back by node, metric and time range', async () => {
    const repo = make();
    const stored = await repo.insertSamples([
      { node: 'n1', metric: 'load', time: at(0), value: 0.5, source: 'api', tags: { dc: 'a' } },
      { node: 'n1', metric: 'load', time: at(60.7), value: 1.5, source: 'api', summary: 's', details: 'd\ne' },
      { node: 'n2', metric: 'load', time: at(30), value: 2, source: 'api' },
      { node: 'n1', metric: 'disk', time: at(10), value: 80, source: 'api' },
    ]);
    expect(stored.map((s) => s.id)).toEqual([1, 2, 3, 4]);
    expect(stored[1]!.time).toEqual(at(60)); // the store keeps seconds
    const got = await repo.getSamples(['n1'], ['load'], at(0), at(60));
    expect(got.map((s) => [s.id, s.value, s.summary, s.details, s.tags])).toEqual([[1, 0.5, undefined, undefined, { dc: 'a' }], [2, 1.5, 's', 'd\ne', undefined]]);
    expect((await repo.getSamples([], ['load'], at(1), at(100))).map((s) => s.id)).toEqual([2, 3]);
    expect((await repo.getSamples(['n1', 'n2'], [], at(0), at(100))).length).toBe(4);
  });

  it('gives the latest sample of each node and metric, by time, whatever the arrival order', async () => {
    const repo = make();
    await repo.insertSamples([
      { node: 'n1', metric: 'load', time: at(100), value: 3, source: 'api' },
      { node: 'n1', metric: 'load', time: at(50), value: 1, source: 'api' },
      { node: 'n2', metric: 'load', time: at(10), value: 7, source: 'api' },
    ]);
    const latest = await repo.getLastSamples([], ['load']);
    expect(latest.map((s) => [s.node, s.value])).toEqual([['n1', 3], ['n2', 7]]);
    expect((await repo.getLastSamples(['n2'], [])).map((s) => s.value)).toEqual([7]);
  });

  it('readAfter pages through every sample in id order', async () => {
    const repo = make();
    await repo.insertSamples(Array.from({ length: 25 }, (_, i) => ({ node: 'n', metric: 'm', time: at(i), value: i, source: 'api' })));
    const seen: number[] = [];
    for (let after = 0; ; ) {
      const page = await repo.readAfter(after, 10);
      if (!page.length) break;
      seen.push(...page.map((s) => s.value));
      after = page.at(-1)!.id;
    }
    expect(seen).toEqual(Array.from({ length: 25 }, (_, i) => i));
  });

  it('notifies subscribers after commit, matching exact names and globs, in id order across concurrent writers', async () => {
    const repo = make();
    const got: StoredSample[] = [];
    const visibleAtNotify: boolean[] = [];
    const sub = repo.subscribe('node-*', 'cpu.?sage', (samples) => {
      got.push(...samples);
      // The commit happened before the notification: the samples are already readable.
      void repo.readAfter(samples[0]!.id - 1, 1).then((r) => visibleAtNotify.push(r[0]?.id === samples[0]!.id));
    });
    const exact: StoredSample[] = [];
    repo.subscribe('node-1', 'cpu.usage', (s) => void exact.push(...s));
    await Promise.all(
      Array.from({ length: 40 }, (_, i) => repo.insertSamples([
        { node: `node-${i % 3}`, metric: 'cpu.usage', time: at(i), value: i, source: 'api' },
        { node: `other-${i}`, metric: 'cpu.usage', time: at(i), value: i, source: 'api' },
      ])),
    );
    expect(got.length).toBe(40);
    expect(got.map((s) => s.id)).toEqual([...got.map((s) => s.id)].sort((a, b) => a - b));
    expect(got.every((s) => s.node.startsWith('node-'))).toBe(true);
    expect(exact.every((s) => s.node === 'node-1')).toBe(true);
    expect(exact.length).toBe(13);
    await new Promise((r) => setTimeout(r, 50));
    expect(visibleAtNotify.every(Boolean)).toBe(true);
    expect(repo.unsubscribe(sub)).toBe(1);
    await repo.insertSample({ node: 'node-1', metric: 'cpu.usage', time: at(1000), value: 1, source: 'api' });
    expect(got.length).toBe(40);
    expect(exact.length).toBe(14);
  });

  it('a write that fails notifies nobody and stores nothing; a throwing subscriber does not stop the others', async () => {
    const repo = make({ unknownMetrics: 'reject' }, [{ name: 'known' }]);
    const got: StoredSample[] = [];
    repo.subscribe('*', '*', () => {
      throw new Error('subscriber bug');
    });
    repo.subscribe('*', '*', (s) => void got.push(...s));
    await expect(repo.insertSamples([{ node: 'n', metric: 'known', time: at(0), value: 1, source: 'api' }, { node: 'n', metric: 'unknown', time: at(0), value: 1, source: 'api' }]))
      .rejects.toThrow(/sample 2: metric "unknown" is not declared/);
    await expect(repo.insertSamples([{ node: 'n', metric: 'known', time: at(0), value: Number.NaN, source: 'api' }])).rejects.toThrow(/not a finite number/);
    expect(got).toEqual([]);
    expect(await fresh().store.query('SELECT id FROM samples')).toEqual([]);
    await repo.insertSample({ node: 'n', metric: 'known', time: at(0), value: 1, source: 'api' });
    expect(got.length).toBe(1);
    expect(() => repo.subscribe('*', 'unknown', () => undefined)).toThrow(/not declared/);
  });

  it('auto-declares unknown metrics by default and lists configured ones as config', async () => {
    const repo = make({}, [{ name: 'org.osg.general.ping-host' }]);
    await new Promise((r) => setTimeout(r, 20));
    await repo.insertSample({ node: 'n', metric: 'new.metric', time: at(0), value: 1, source: 'api' });
    const metrics = await repo.metrics();
    expect(metrics.map((m) => [m.name, m.declaredBy])).toEqual([['new.metric', 'auto'], ['org.osg.general.ping-host', 'config']]);
  });

  it('retention deletes samples older than the configured days, and only those', async () => {
    const repo = make({ retentionDays: 1 });
    const now = at(3600);
    await repo.insertSamples([
      { node: 'n', metric: 'm', time: new Date(now.getTime() - 2 * 86_400_000), value: 1, source: 'api' },
      { node: 'n', metric: 'm', time: new Date(now.getTime() - 3600_000), value: 2, source: 'api' },
    ]);
    expect(await repo.cleanUp()).toEqual({ samples: 1, records: 0 });
    expect((await repo.readAfter(0, 10)).map((s) => s.value)).toEqual([2]);
  });
});

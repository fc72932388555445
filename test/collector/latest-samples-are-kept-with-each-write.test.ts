/**
 * The latest-sample table on every backend: written in the sample's transaction, a late older sample never replaces a
 * newer latest, same-time ties go to the later write, retention keeps it consistent, and migration 2 fills it from the
 * samples already stored.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { collectorMigrations, createCollector, defaultCollectorSettings, type Collector } from '../../collector/index.js';
import type { Store } from '../../store/index.js';
import { useFreshStore } from '../store/support/fresh-store.js';
import { testBackends } from '../support/stores.js';

const T0 = new Date('2026-03-01T10:00:00Z');
const at = (s: number) => new Date(T0.getTime() + s * 1000);
const denyAll = { requireRead: () => undefined, requireRole: () => () => undefined };
const latestRows = async (store: Store) =>
  (await store.query<{ node: string; metric: string; sample_id: number }>('SELECT node, metric, sample_id FROM latest_samples ORDER BY node, metric'))
    .map((r) => [r.node, r.metric, Number(r.sample_id)]);

describe.each(testBackends())('latest samples on $name', (backend) => {
  const fresh = useFreshStore(backend, { per: 'test', migrations: collectorMigrations });
  let collector: Collector | undefined;
  afterEach(async () => collector?.stop());
  const make = () => {
    collector = createCollector({ store: fresh().store, access: denyAll, settings: defaultCollectorSettings(), cleanUpIntervalMs: 0, clock: () => at(3600) });
    return collector.repository;
  };

  it('keeps one row per node and metric naming its newest sample; a late older sample does not replace it', async () => {
    const repo = make();
    await repo.insertSamples([
      { node: 'n1', metric: 'load', time: at(100), value: 3, source: 'api' },
      { node: 'n2', metric: 'load', time: at(10), value: 7, source: 'api' },
    ]);
    // Arrives later, in its own commit, but is older than what is stored.
    await repo.insertSample({ node: 'n1', metric: 'load', time: at(50), value: 1, source: 'api' });
    await repo.insertSample({ node: 'n2', metric: 'load', time: at(20), value: 8, source: 'api' });
    expect(await latestRows(fresh().store)).toEqual([['n1', 'load', 1], ['n2', 'load', 4]]);
    expect((await repo.getLastSamples([], ['load'])).map((s) => [s.node, s.value])).toEqual([['n1', 3], ['n2', 8]]);
  });

  it('gives a same-time tie to the later write, within one commit and across commits', async () => {
    const repo = make();
    await repo.insertSamples([
      { node: 'n', metric: 'm', time: at(5), value: 1, source: 'api' },
      { node: 'n', metric: 'm', time: at(5), value: 2, source: 'api' },
    ]);
    expect((await repo.getLastSamples(['n'], ['m'])).map((s) => s.value)).toEqual([2]);
    await repo.insertSample({ node: 'n', metric: 'm', time: at(5), value: 3, source: 'api' });
    expect((await repo.getLastSamples(['n'], ['m'])).map((s) => s.value)).toEqual([3]);
  });

  it('retention drops the rows of pairs whose samples are all gone and keeps the others', async () => {
    const repo = make();
    await repo.insertSamples([
      { node: 'old', metric: 'm', time: at(0), value: 1, source: 'api' },
      { node: 'kept', metric: 'm', time: at(0), value: 1, source: 'api' },
      { node: 'kept', metric: 'm', time: at(200), value: 2, source: 'api' },
    ]);
    await repo.cleanUp(at(100));
    expect(await latestRows(fresh().store)).toEqual([['kept', 'm', 3]]);
    expect((await repo.getLastSamples([], [])).map((s) => [s.node, s.value])).toEqual([['kept', 2]]);
  });
});

describe.each(testBackends())('latest-sample migration on $name', (backend) => {
  const fresh = useFreshStore(backend, { per: 'test', migrations: collectorMigrations.filter((m) => m.version === 1) });

  it('fills the table from the samples already stored, newest per pair, ties to the later id', async () => {
    const { store } = fresh();
    const rows = [
      [1, 'n1', 'load', at(100)], [2, 'n1', 'load', at(50)], [3, 'n2', 'load', at(10)], [4, 'n2', 'load', at(10)], [5, 'n1', 'disk', at(1)],
    ] as const;
    await store.insertMany('samples', ['id', 'node', 'metric', 'time', 'value', 'source'], rows.map(([id, n, m, t]) => [id, n, m, t, 0, 'api']));
    await store.migrate(collectorMigrations);
    expect(await latestRows(store)).toEqual([['n1', 'disk', 5], ['n1', 'load', 1], ['n2', 'load', 4]]);
  });
});

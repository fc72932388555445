/**
 * The shipped availability queries (config/rsv_availability_queries.xml) on SQLite and MariaDB, against figures
 * worked out by hand on a small sequence: a result before the range, UNKNOWN gaps after the freshness window, an
 * UNKNOWN result, a result crossing midnight, a last result clipped by the end of the range.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectorMigrations, sampleRow, type StoredSample } from '../../collector/index.js';
import { loadConfig } from '../../grammar/index.js';
import { createQueryEngine, queryEngineClassTypes, type QueryEngine, type QueryResult } from '../../query-engine/index.js';
import type { Store } from '../../store/index.js';
import { testBackends } from '../support/stores.js';
import { removeTempDirs, tempDir } from '../support/temp-files.js';

const D = Date.UTC(2026, 2, 1) / 1000; // Sunday 2026-03-01 00:00 UTC
const H = 3600;
const OK = 0;
const WARNING = 1;
const CRITICAL = 2;
const UNKNOWN = 3;

/** [host, metric, seconds from D, state]; h1 is at site S1, h2 at S2. */
const SEQUENCE: [string, string, number, number][] = [
  // h1 m1, day 1: OK from before the range (counts from D), CRITICAL, OK then a 2 h gap (UNKNOWN after 1 h),
  // an UNKNOWN result, WARNING then a long gap, OK across midnight; day 2: OK, then nothing (fresh for 1 h).
  ['h1', 'm1', -1800, OK],
  ['h1', 'm1', 1800, CRITICAL],
  ['h1', 'm1', H, OK],
  ['h1', 'm1', 4 * H, UNKNOWN],
  ['h1', 'm1', 4 * H + 1800, WARNING],
  ['h1', 'm1', 86_400 - 1800, OK],
  ['h1', 'm1', 86_400 + 1800, OK],
  // h1 m2, day 1: CRITICAL for 30 min, then OK for an hour.
  ['h1', 'm2', 12 * H, CRITICAL],
  ['h1', 'm2', 12 * H + 1800, OK],
  // h2 m1: expired before the range starts; then OK 10 min before the end (clipped there); one at the end (outside).
  ['h2', 'm1', -2 * H, OK],
  ['h2', 'm1', 2 * 86_400 - 600, OK],
  ['h2', 'm1', 2 * 86_400, CRITICAL],
];

// By hand (seconds). h1 m1 day 1: OK 1800 + 3600 + 1800 (to midnight) = 7200; known = 7200 + CRITICAL 1800 + WARNING 3600 = 12600.
// h1 m1 day 2: OK 1800 (from midnight) + 3600 = 5400 = known.  h1 m2 day 1: OK 3600, known 5400.  h2 m1 day 2: OK 600 = known.
const EXPECTED = {
  host: { h1: { [D]: 10_800 / 18_000, [D + 86_400]: 1 }, h2: { [D + 86_400]: 1 } },
  metric: { m1: { [D]: 7200 / 12_600, [D + 86_400]: 1 }, m2: { [D]: 3600 / 5400 } },
  site: { S1: { [D]: 10_800 / 18_000, [D + 86_400]: 1 }, S2: { [D + 86_400]: 1 } },
  // Weeks from Monday: Sunday 1 March is in the week of 23 February, Monday 2 March starts the next.
  hostWeek: { h1: { [D - 6 * 86_400]: 10_800 / 18_000, [D + 86_400]: 1 }, h2: { [D + 86_400]: 1 } },
  hostMonth: { h1: { [D]: 16_200 / 23_400 }, h2: { [D]: 1 } },
  hostTotal: { h1: 16_200 / 23_400, h2: 1 },
};

const RANGE = { starttime: '2026-03-01 00:00:00', endtime: '2026-03-03 00:00:00' };

function grid(r: QueryResult): Record<string, Record<number, number>> {
  expect(r.error).toBeUndefined();
  if (r.data.kind !== 'pivot-group') throw new Error(`expected pivot-group data, got ${r.data.kind}`);
  return Object.fromEntries(r.data.pivots.map((p) => [String(p.pivot), Object.fromEntries(p.groups.map((g) => [Number(g.group), Number(g.value)]))]));
}

function expectClose(actual: Record<string, Record<number, number>>, expected: Record<string, Record<number, number>>): void {
  expect(Object.keys(actual).sort()).toEqual(Object.keys(expected).sort());
  for (const [key, bins] of Object.entries(expected)) {
    expect(Object.keys(actual[key]!).map(Number).sort()).toEqual(Object.keys(bins).map(Number).sort());
    for (const [at, v] of Object.entries(bins)) expect(actual[key]![Number(at)]).toBeCloseTo(v, 9);
  }
}

async function seed(store: Store): Promise<void> {
  // The samples table first, then the rest of the collector's migrations: latest_samples is filled from the samples.
  await store.migrate(collectorMigrations.slice(0, 1));
  const samples: StoredSample[] = SEQUENCE.map(([node, metric, at, value], i) => ({
    id: i + 1, node, metric, value, time: new Date((D + at) * 1000), source: 'rsv', summary: `${node} ${metric}`, tags: { serviceType: 'CE', site: node === 'h1' ? 'S1' : 'S2' },
  }));
  // A sample from another source (not a probe state) does not count.
  samples.push({ id: samples.length + 1, node: 'h1', metric: 'm1', value: 2, time: new Date((D + 2 * H) * 1000), source: 'api' });
  await store.insertMany('samples', ['id', 'node', 'metric', 'time', 'value', 'source', 'summary', 'details', 'tags'], samples.map(sampleRow));
  await store.migrate(collectorMigrations);
}

for (const backend of testBackends()) {
  describe(`availability reports on ${backend.name}`, () => {
    let engine: QueryEngine;
    let store: Store;
    let dispose: () => Promise<void> = async () => {};

    beforeAll(async () => {
      const db = await backend.create();
      dispose = db.dispose;
      store = db.open();
      await seed(store);
      const dir = tempDir({
        'DBParam.xml': `<graphtool-config><class name="GratiaConnMan" type="ConnectionManager"><attribute name="default">gratia</attribute>
          <attribute name="appliance_store">gratia</attribute><connection name="gratia"><attribute name="Interface">sqlite</attribute>
          <attribute name="DatabaseFile">unused.db</attribute></connection></class></graphtool-config>`,
      });
      const config = loadConfig([join(import.meta.dirname, '../../config/rsv_availability_queries.xml')], {
        classTypes: queryEngineClassTypes,
        env: { DBPARAM_LOCATION: join(dir, 'DBParam.xml') },
      });
      // Not even a warning (check-config --strict passes).
      expect(config.issues).toEqual([]);
      engine = createQueryEngine({ config, applianceStore: store });
    });

    afterAll(async () => {
      await engine?.close();
      await store?.close();
      await dispose();
      removeTempDirs();
    });

    it('per host and day: OK time over OK + WARNING + CRITICAL time, UNKNOWN gaps and results left out', async () => {
      expectClose(grid(await engine.runQuery('rsv_host_availability', RANGE)), EXPECTED.host);
    });

    it('per metric and per site (the site its latest results name)', async () => {
      expectClose(grid(await engine.runQuery('rsv_metric_availability', RANGE)), EXPECTED.metric);
      expectClose(grid(await engine.runQuery('rsv_site_availability', RANGE)), EXPECTED.site);
      expectClose(grid(await engine.runQuery('rsv_site_availability', { ...RANGE, site: '^S2$' })), { S2: EXPECTED.site.S2 });
    });

    it('weekly (from Monday) and monthly', async () => {
      expectClose(grid(await engine.runQuery('rsv_host_availability', { ...RANGE, period: 'week' })), EXPECTED.hostWeek);
      expectClose(grid(await engine.runQuery('rsv_host_availability', { ...RANGE, period: 'month' })), EXPECTED.hostMonth);
    });

    it('over the whole range as bars', async () => {
      const r = await engine.runQuery('rsv_host_availability_bars', RANGE);
      expect(r.error).toBeUndefined();
      if (r.data.kind !== 'pivot') throw new Error(`expected pivot data, got ${r.data.kind}`);
      const bars = Object.fromEntries(r.data.entries.map((e) => [String(e.pivot), Number(e.value)]));
      expect(Object.keys(bars).sort()).toEqual(['h1', 'h2']);
      expect(bars.h1).toBeCloseTo(EXPECTED.hostTotal.h1, 9);
      expect(bars.h2).toBe(1);
    });

    it('a shorter freshness window turns more of the gaps UNKNOWN', async () => {
      // freshness 1800, h1 day 1: the result before the range has expired by midnight (0), CRITICAL 1800, the OK at 1 h
      // holds 1800, WARNING 1800, the OK before midnight 1800; m2: CRITICAL 1800, OK 1800. OK 5400 of known 10800.
      const r = grid(await engine.runQuery('rsv_host_availability', { ...RANGE, freshness: '1800' }));
      expect(r.h1![D]).toBeCloseTo(5400 / 10_800, 9);
    });

    it('reliability equals availability and says why; a bad period or freshness is a 400 naming the input', async () => {
      const rel = await engine.runQuery('rsv_host_reliability', RANGE);
      expectClose(grid(rel), EXPECTED.host);
      expect(rel.metadata.report).toBe('reliability');
      expect(String(rel.metadata.reliability_note)).toMatch(/scheduled downtimes are not subtracted yet/);
      await expect(engine.runQuery('rsv_host_availability', { ...RANGE, period: 'year' })).rejects.toMatchObject({ code: 'bad_request', context: { input: 'period' } });
      await expect(engine.runQuery('rsv_host_availability', { ...RANGE, freshness: '200000' })).rejects.toMatchObject({ code: 'bad_request', context: { input: 'freshness' } });
    });
  });
}

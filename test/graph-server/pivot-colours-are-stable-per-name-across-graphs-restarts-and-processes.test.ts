/**
 * A pivot name gets one colour on every graph: the stored registry assigns it a palette slot the first time it is
 * drawn, keeps it across restarts, and two processes on one database agree on it; `Other` and `unknown` are fixed.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../common/index.js';
import { buildChart, createPivotColorRegistry, pivotColorMigrations } from '../../graph-server/index.js';
import { fixedPivotColor, slotColor } from '../../graph-server/charts/index.js';
import { pivotLabels } from '../../graph-server/web/pivot-labels.js';
import type { QueryResult } from '../../query-engine/index.js';
import type { StoreConnection } from '../../store/index.js';
import { testBackends } from '../support/stores.js';
import { pivotGroupResult, pivotResult, seriesOf } from './charts-samples.js';

const run = promisify(execFile);
const tsx = join(packageRoot(), 'node_modules/.bin/tsx');
const child = join(import.meta.dirname, 'support/pivot-colors-process.ts');

const urlOf = (c: StoreConnection) => (c.interface === 'sqlite' ? `sqlite:${c.file}` : `mysql://${c.user}:${c.password}@${c.host}:${c.port}/${c.database}`);

/** The colour each series (or pie point) of a chart has, by name. */
function chartColors(spec: ReturnType<typeof buildChart>): Map<string, string> {
  const out = new Map<string, string>();
  for (const s of seriesOf(spec.options)) {
    if (s.color) out.set(s.name, s.color);
    for (const p of s.data as { name?: string; color?: string }[]) if (p && typeof p === 'object' && p.name && p.color) out.set(p.name, p.color);
  }
  return out;
}

for (const backend of testBackends()) {
  describe(`pivot colours on ${backend.name}`, () => {
    let db: Awaited<ReturnType<typeof backend.create>>;

    beforeAll(async () => {
      db = await backend.create();
      const store = db.open();
      await store.migrate(pivotColorMigrations);
      await store.close();
    }, 60_000);
    afterAll(async () => {
      await db?.dispose();
    });

    it('two graphs with different pivot sets and chart types draw cms in the same colour; Other and unknown are fixed', async () => {
      const store = db.open();
      try {
        const registry = createPivotColorRegistry({ store });
        const bars = pivotGroupResult({ atlas: [50, 60], cms: [10, 20], unknown: [1, 1] }, { graph_type: 'GratiaStackedBar' }) as unknown as QueryResult;
        const pie = pivotResult({ cms: 100, ligo: 40, dzero: 30, Other: 5 }, { graph_type: 'GratiaPie' }) as unknown as QueryResult;
        const barColors = chartColors(buildChart(bars, {}, { colors: await registry.colorsFor(pivotLabels(bars)) }));
        const pieColors = chartColors(buildChart(pie, {}, { colors: await registry.colorsFor(pivotLabels(pie)) }));
        // First drawn, first slot: atlas (the larger) then cms; the pie's new names take the next ones.
        expect(barColors.get('atlas')).toBe(slotColor(0));
        expect(barColors.get('cms')).toBe(slotColor(1));
        expect(pieColors.get('cms')).toBe(barColors.get('cms'));
        expect(pieColors.get('ligo')).toBe(slotColor(2));
        expect(pieColors.get('dzero')).toBe(slotColor(3));
        expect(barColors.get('unknown')).toBe(fixedPivotColor('unknown'));
        expect(pieColors.get('Other')).toBe(fixedPivotColor('Other'));
        expect(new Set([fixedPivotColor('Other'), fixedPivotColor('unknown'), ...[0, 1, 2, 3].map(slotColor)]).size).toBe(6);
        expect((await store.query('SELECT name FROM pivot_colors ORDER BY slot')).map((r) => r.name)).toEqual(['atlas', 'cms', 'ligo', 'dzero']);
      } finally {
        await store.close();
      }
    });

    it('a restarted appliance (a new store handle and registry) keeps every colour', async () => {
      const store = db.open();
      try {
        const colors = await createPivotColorRegistry({ store }).colorsFor(['dzero', 'cms', 'atlas', 'CMS']);
        expect([...colors]).toEqual([['dzero', slotColor(3)], ['cms', slotColor(1)], ['atlas', slotColor(0)], ['CMS', slotColor(4)]]);
      } finally {
        await store.close();
      }
    });

    it('two processes on one database assigning the same new names at once agree on every colour', async () => {
      const names = Array.from({ length: 40 }, (_, i) => `vo${String(i).padStart(2, '0')}`);
      const url = urlOf(db.connection);
      const [a, b] = await Promise.all([
        run(tsx, [child, url, ...names], { timeout: 120_000 }),
        run(tsx, [child, url, ...[...names].reverse()], { timeout: 120_000 }),
      ]);
      const first = JSON.parse(a.stdout) as Record<string, string>;
      const second = JSON.parse(b.stdout) as Record<string, string>;
      expect(Object.keys(first)).toHaveLength(40);
      expect(second).toEqual(first);
      const store = db.open();
      try {
        const rows = await store.query<{ n: number }>("SELECT count(*) AS n FROM pivot_colors WHERE name LIKE 'vo%'");
        expect(Number(rows[0]!.n)).toBe(40);
      } finally {
        await store.close();
      }
    }, 180_000);
  });
}

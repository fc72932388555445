/** The shipped "CPU Efficiency by VO" is drawn per VO as a quality map of fractions, not stacked percentages that added up to 1,250 %. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as charts from '../../graph-server/charts/index.js';
import { startGraphTestApp, type GraphTestApp } from '../support/browser.js';
import { removeTempDirs } from '../support/temp-files.js';

let app: GraphTestApp;
beforeAll(async () => {
  app = await startGraphTestApp({ charts });
});
afterAll(async () => {
  await app.close();
  removeTempDirs();
});

describe('vo_cpu_efficiency', () => {
  it('gives each VO its own efficiency per day as a fraction of 1', async () => {
    const result = await app.engine.runQuery('vo_cpu_efficiency', { span: '86400' });
    expect(result.error).toBeUndefined();
    expect(result.data.kind).toBe('pivot-group');
    const values = result.data.kind === 'pivot-group' ? result.data.pivots.flatMap((p) => p.groups.map((g) => Number(g.value))) : [];
    expect(values.length).toBeGreaterThan(10);
    for (const v of values) {
      expect(v).toBeGreaterThan(0);
      expect(v).toBeLessThanOrEqual(1);
    }
  });

  it('is drawn as a quality map (one row per VO), never as stacked columns', async () => {
    const result = await app.engine.runQuery('vo_cpu_efficiency', { span: '86400' });
    const spec = charts.buildChart(result, {});
    const series = (spec.options.series ?? []) as { type?: string }[];
    expect(series.length).toBeGreaterThan(0);
    expect(series.every((s) => s.type === 'heatmap')).toBe(true);
    expect(JSON.stringify(spec.options.plotOptions ?? {})).not.toMatch(/"stacking":"normal"/);
  });
});

/** Every graph type's spec drawn by Highcharts in Debian's Chromium: the chart has the spec's series, points and categories, no console errors, no CSS variables. */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createQueryEngine, queryEngineClassTypes, type QueryResult } from '../../query-engine/index.js';
import { loadConfig } from '../../grammar/index.js';
import { gratiaMigrations, seedDemoData } from '../../store/index.js';
import { testBackends } from '../support/stores.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { buildChart, errorChart, GRAPH_TYPES, type ChartSpec } from '../../graph-server/charts/index.js';
import { launchTestBrowser } from '../support/browser.js';
import { sampleFor } from '../graph-server/charts-samples.js';

const browser: Browser | undefined = await launchTestBrowser();

const highchartsDir = dirname(createRequire(import.meta.url).resolve('highcharts'));

/** What the page reports back about the drawn chart. */
interface Drawn {
  type: string | undefined;
  series: { name: string; type: string; visible: boolean; points: { x: number; y: number | null; value?: number; color?: string; name?: string }[] }[];
  categories: { x: string[]; y: string[] };
  title: string | undefined;
  subtitle: string | undefined;
  caption: string | undefined;
  cssVars: string[];
}

describe.skipIf(!browser)('charts draw in Chromium', () => {
  let page: Page;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    page = await browser!.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => consoleErrors.push(e.message));
    // Nothing may come from the network: Highcharts is loaded from node_modules.
    await page.route('**/*', (route) => route.abort());
    await page.setContent('<!doctype html><html><body><div id="c" style="width:800px;height:500px"></div></body></html>');
    await page.addScriptTag({ path: join(highchartsDir, 'highcharts.js') });
    await page.addScriptTag({ path: join(highchartsDir, 'modules/heatmap.js') });
  });

  afterAll(async () => {
    await browser?.close();
  });

  async function draw(spec: ChartSpec): Promise<Drawn> {
    return page.evaluate((options) => {
      type HPoint = { x: number; y: number | null; value?: number; color?: string; name?: string };
      type HSeries = { name: string; type: string; visible: boolean; points: HPoint[] };
      type HAxis = { categories?: string[] };
      type HChart = {
        series: HSeries[];
        xAxis: HAxis[];
        yAxis: HAxis[];
        options: { chart?: { type?: string } };
        title?: { textStr?: string };
        subtitle?: { textStr?: string };
        caption?: { textStr?: string };
        container: HTMLElement;
        destroy(): void;
      };
      const H = (window as unknown as { Highcharts: { charts: (HChart | undefined)[]; chart(el: string, o: unknown): HChart } }).Highcharts;
      for (const c of H.charts) c?.destroy();
      H.chart('c', options);
      const chart = H.charts.find((c) => c !== undefined)!;
      const html = chart.container.outerHTML;
      return {
        type: chart.options.chart?.type,
        series: chart.series.map((s) => ({
          name: s.name,
          type: s.type,
          visible: s.visible,
          points: s.points.map((p) => ({ x: p.x, y: p.y, value: p.value, color: typeof p.color === 'string' ? p.color : undefined, name: p.name })),
        })),
        categories: { x: chart.xAxis[0]?.categories ?? [], y: chart.yAxis[0]?.categories ?? [] },
        title: chart.title?.textStr,
        subtitle: chart.subtitle?.textStr,
        caption: chart.caption?.textStr,
        cssVars: [...new Set(html.match(/var\(--[^)]*\)/g) ?? [])],
      };
    }, spec.options as unknown);
  }

  type SpecPoint = number | null | [number, number] | { x?: number; y?: number | null; value?: number; name?: string; color?: string };
  const specSeries = (spec: ChartSpec) => (spec.options.series ?? []) as { name: string; type: string; data: SpecPoint[] }[];

  for (const graphType of GRAPH_TYPES) {
    it(`${graphType}: the drawn chart has the spec's series, points and categories, no console errors and no CSS variables`, async () => {
      consoleErrors.length = 0;
      const spec = buildChart(sampleFor(graphType), {});
      expect(spec.empty).toBe(false);
      expect(spec.graphType).toBe(graphType);
      const drawn = await draw(spec);
      expect(consoleErrors).toEqual([]);
      expect(drawn.cssVars).toEqual([]);
      expect(drawn.title).toBe(spec.options.title?.text);
      const expected = specSeries(spec);
      expect(drawn.series.map((s) => s.name)).toEqual(expected.map((s) => s.name));
      expect(drawn.series.map((s) => s.type)).toEqual(expected.map((s) => s.type));
      expected.forEach((s, i) => {
        const points = drawn.series[i]?.points ?? [];
        expect(points).toHaveLength(s.data.length);
        s.data.forEach((d, j) => {
          const p = points[j];
          if (Array.isArray(d)) expect([p?.x, p?.y]).toEqual(d);
          else if (d !== null && typeof d === 'object') {
            if (d.x !== undefined) expect(p?.x).toBe(d.x);
            if (d.y !== undefined) expect(p?.y).toBe(d.y);
            if (d.value !== undefined) expect(p?.value).toBe(d.value);
            if (d.color !== undefined) expect(p?.color).toBe(d.color);
            if (d.name !== undefined) expect(p?.name).toBe(d.name);
          } else expect(p?.y).toBe(d);
        });
      });
      const xAxis = spec.options.xAxis as { categories?: string[] } | undefined;
      const yAxis = spec.options.yAxis as { categories?: string[] } | undefined;
      if (xAxis?.categories) expect(drawn.categories.x).toEqual(xAxis.categories);
      if (yAxis?.categories) expect(drawn.categories.y).toEqual(yAxis.categories);
      if (spec.footer.length > 0) expect(drawn.caption).toBe(spec.options.caption?.text);
    });
  }

  it("draws the shipped queries' results from the engine over demo data: stacked bar, pie, cumulative", async () => {
    const now = new Date(Date.UTC(2024, 2, 15, 12, 0, 0));
    const sqlite = testBackends().find((b) => b.name === 'sqlite')!;
    const db = await sqlite.create();
    const store = db.open();
    const results: QueryResult[] = [];
    try {
      await store.migrate(gratiaMigrations);
      await seedDemoData(store, { days: 30, scale: 0.2, seed: 3, now });
      const connection = db.connection;
      const config = loadConfig(
        ['generic_queries.xml', 'gratia_bar_queries.xml', 'gratia_pie_queries.xml', 'gratia_cumulative_queries.xml', 'vo_ownership.xml'].map((f) => join(import.meta.dirname, '../../config', f)),
        { classTypes: queryEngineClassTypes, env: { APPLIANCE_DATA: connection.interface === 'sqlite' ? dirname(connection.file) : '' } },
      );
      const engine = createQueryEngine({ config, clock: () => now });
      for (const name of ['vo_hours_bar_smry', 'osg_vo_hours', 'vo_success_cumulative_smry']) results.push(await engine.runQuery(name));
      await engine.close();
    } finally {
      await store.close();
      await db.dispose();
    }
    expect(results.map((r) => r.metadata.graph_type)).toEqual(['GratiaStackedBar', 'GratiaPie', 'GratiaCumulative']);
    for (const result of results) {
      consoleErrors.length = 0;
      // The engine's QueryResult is a ChartInput as it is.
      const spec = buildChart(result, {}, { now });
      expect(spec.empty, result.name).toBe(false);
      expect(spec.subtitle, result.name).toMatch(/^14 Days from 2024-03-0[12] to 2024-03-15$/);
      const drawn = await draw(spec);
      expect(consoleErrors).toEqual([]);
      expect(drawn.cssVars).toEqual([]);
      expect(drawn.series.map((s) => s.name)).toEqual(specSeries(spec).map((s) => s.name));
      expect(drawn.series.map((s) => s.points.length)).toEqual(specSeries(spec).map((s) => s.data.length));
    }
  }, 60_000);

  it('a legend click hides its series, and time graphs zoom along x', async () => {
    await draw(buildChart(sampleFor('GratiaStackedBar'), {}));
    await page.locator('.highcharts-legend-item text').first().click({ timeout: 5000 });
    const state = await page.evaluate(() => {
      const H = (window as unknown as { Highcharts: { charts: ({ series: { visible: boolean }[]; zooming?: { type?: string }; options: { chart?: { zooming?: { type?: string } } } } | undefined)[] } }).Highcharts;
      const chart = H.charts.find((c) => c !== undefined)!;
      return { visible: chart.series.map((s) => s.visible), zoom: chart.options.chart?.zooming?.type };
    });
    expect(state.visible).toEqual([false, true, true, true, true, true]);
    expect(state.zoom).toBe('x');
  });

  it('draws the error chart with its message and no CSS variables', async () => {
    consoleErrors.length = 0;
    const spec = errorChart('Table MasterSummaryData does not exist', { title: 'Hours' });
    const drawn = await draw(spec);
    expect(consoleErrors).toEqual([]);
    expect(drawn.subtitle).toBe('Table MasterSummaryData does not exist');
    expect(drawn.series).toEqual([]);
    expect(drawn.cssVars).toEqual([]);
  });
});

/** `npm run bench -- graph`: the vo_hours_bar_smry stacked bar over 14 days of demo data: its XML page vs the engine alone, and warm PNG renders in Chromium. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApplianceQueryEngine, defaultConfigDir, loadApplianceConfig, openMigratedStore, storeConnectionOf } from '../appliance.js';
import { buildChart, type ChartSpec } from '../graph-server/charts/index.js';
import { renderQueryXml } from '../graph-server/index.js';
import { createImageRenderer, defaultChromiumPath, type ImageInput } from '../graph-server/images/index.js';
import { configErrors, formatIssue, keyString, type QueryEngine } from '../query-engine/index.js';
import { seedDemoData, type Store } from '../store/index.js';
import { integerOptions, type Benchmark } from './support/benchmark.js';
import { formatMs, median, nowMs, printTable } from './support/timing.js';

const QUERY = 'vo_hours_bar_smry';
const DAYS = 14;
/** The XML page may cost this much more than running the query (the issue's target: at most 10 % overhead). */
const TARGET_XML_RATIO = 1.1;
/** Warm PNG median target; GraphTool's matplotlib took about 350 ms for this chart on these machines. */
const TARGET_PNG_P50_MS = 150;
const XML_OPTIONS = { staticBaseUrl: '/gratia/static/content', baseUrl: '/gratia/xml', graphUrl: '/gratia/bar_graphs' };

/** The value at quantile `q` (0..1) of `values`, nearest rank. */
function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

/** What the image routes hand the renderer for a chart: its options and its footer statistics. */
function imageInput(spec: ChartSpec, width: number, height: number): ImageInput {
  return { options: spec.options as Record<string, unknown>, width, height, footer: spec.footer.map((f) => ({ label: f.label, value: f.value, units: f.unit })) };
}

async function xmlVsEngine(engine: QueryEngine, repeat: number): Promise<{ engineMs: number; xmlMs: number; renderMs: number; bytes: number }> {
  const engineTimes: number[] = [];
  const xmlTimes: number[] = [];
  const renderTimes: number[] = [];
  let bytes = 0;
  for (let i = 0; i < repeat; i++) {
    // Alternate which side goes first, so neither always finds the caches warmer.
    for (const side of i % 2 === 0 ? (['engine', 'xml'] as const) : (['xml', 'engine'] as const)) {
      const t = nowMs();
      const result = await engine.runQuery(QUERY, {});
      if (side === 'engine') {
        engineTimes.push(nowMs() - t);
        continue;
      }
      const r = nowMs();
      bytes = renderQueryXml(result, XML_OPTIONS).length;
      renderTimes.push(nowMs() - r);
      xmlTimes.push(nowMs() - t);
    }
  }
  return { engineMs: median(engineTimes), xmlMs: median(xmlTimes), renderMs: median(renderTimes), bytes };
}

async function seeded(dataDir: string, scale: number): Promise<{ store: Store; engine: QueryEngine }> {
  const config = loadApplianceConfig(defaultConfigDir(), dataDir);
  const errors = configErrors(config);
  if (errors.length) throw new Error(`the shipped configuration does not load:\n${errors.map(formatIssue).join('\n')}`);
  const { store } = await openMigratedStore(storeConnectionOf(config));
  await seedDemoData(store, { days: DAYS, scale, seed: 1, now: new Date() });
  return { store, engine: createApplianceQueryEngine(config, store) };
}

export const benchmark: Benchmark = {
  description: `${QUERY} over ${DAYS} days of demo data: XML page vs the engine alone, warm PNG render p50/p95 in Chromium (--repeat N --renders N --scale N)`,
  async run(args) {
    const o = integerOptions(args, { repeat: 31, renders: 50, scale: 1 });
    if (o.repeat < 1 || o.renders < 1 || o.scale < 1) throw new Error('--repeat, --renders and --scale must be at least 1');
    const dataDir = mkdtempSync(join(tmpdir(), 'appliance-bench-graph-'));
    const renderer = createImageRenderer({ poolSize: 2 });
    let store: Store | undefined;
    let engine: QueryEngine | undefined;
    try {
      ({ store, engine } = await seeded(dataDir, o.scale));
      const warm = await engine.runQuery(QUERY, {});
      if (warm.error) throw new Error(`${QUERY}: ${warm.error}`);
      if (warm.data.kind !== 'pivot-group') throw new Error(`${QUERY}: expected pivot-group data`);
      const vos = warm.data.pivots.length;
      const days = new Set(warm.data.pivots.flatMap((p) => p.groups.map((g) => keyString(g.group)))).size;
      console.log(`graph benchmark: ${QUERY} (GratiaStackedBar) over ${DAYS} days of demo data (scale ${o.scale}): ${vos} VOs x ${days} days, ${warm.runs[0]!.rows} SQL rows`);

      // (a) The XML page: the engine's run plus renderQueryXml, as /gratia/xml/<query> does before the cache.
      const x = await xmlVsEngine(engine, o.repeat);
      // The page is the engine's run plus renderQueryXml; comparing two noisy medians of the whole would mostly
      // measure the run's jitter, so the overhead is what the page adds (the render's median) over the run's median.
      const overhead = x.renderMs / x.engineMs;
      const target = Math.round((TARGET_XML_RATIO - 1) * 100);
      console.log(`\n(a) XML page vs the engine alone: medians of ${o.repeat} interleaved runs; renderQueryXml over the engine's result, in process (no HTTP)`);
      printTable([
        ['step', 'median'],
        ['engine.runQuery', formatMs(x.engineMs)],
        ['runQuery + renderQueryXml', formatMs(x.xmlMs)],
        ['renderQueryXml alone', formatMs(x.renderMs)],
        ['XML size', `${x.bytes.toLocaleString('en-US')} chars`],
        ['overhead (render / engine)', `${(overhead * 100).toFixed(1)}%`],
      ]);
      console.log(overhead <= TARGET_XML_RATIO - 1 ? `target overhead <= ${target}%: met` : `target overhead <= ${target}%: MISSED`);

      // (b) PNG: the first image (Chromium starting, a page loading Highcharts), then warm ones one at a time.
      const spec = buildChart(warm, {}, { now: new Date() });
      if (spec.graphType !== 'GratiaStackedBar' || spec.empty) throw new Error(`${QUERY}: buildChart drew ${spec.graphType}${spec.empty ? ' (empty)' : ''}`);
      const input = imageInput(spec, 800, 500);
      const series = (spec.options.series ?? []).length;
      console.log(`\n(b) PNG 800x500 in Chromium (${defaultChromiumPath()}, pool of 2 pages); options from graph-server/charts buildChart: ${spec.graphType}, ${series} series (entries: top pivots + Other), footer in the caption`);
      let t = nowMs();
      const first = await renderer.render(input, 'png');
      const coldMs = nowMs() - t;
      if (first.readUInt32BE(16) !== 800 || first.readUInt32BE(20) !== 500) throw new Error('the PNG is not 800x500');
      for (let i = 0; i < 3; i++) await renderer.render(input, 'png');
      const png: number[] = [];
      for (let i = 0; i < o.renders; i++) {
        t = nowMs();
        await renderer.render(input, 'png');
        png.push(nowMs() - t);
      }
      const svg: number[] = [];
      for (let i = 0; i < Math.min(o.renders, 20); i++) {
        t = nowMs();
        await renderer.render(input, 'svg');
        svg.push(nowMs() - t);
      }
      t = nowMs();
      await Promise.all(Array.from({ length: o.renders }, () => renderer.render(input, 'png')));
      const parallelMs = nowMs() - t;
      const p50 = quantile(png, 0.5);
      printTable([
        ['measure', 'time'],
        ['first PNG (starts Chromium)', formatMs(coldMs)],
        [`warm PNG p50 (${o.renders} renders)`, formatMs(p50)],
        ['warm PNG p95', formatMs(quantile(png, 0.95))],
        ['warm PNG max', formatMs(Math.max(...png))],
        [`warm SVG p50 (${svg.length} renders)`, formatMs(quantile(svg, 0.5))],
        [`${o.renders} PNGs at once, pool of 2`, `${formatMs(parallelMs)} (${((o.renders * 1000) / parallelMs).toFixed(1)} images/s)`],
        ['PNG size', `${first.length.toLocaleString('en-US')} bytes`],
      ]);
      console.log(p50 <= TARGET_PNG_P50_MS ? `target PNG p50 <= ${TARGET_PNG_P50_MS} ms: met (matplotlib: about 350 ms)` : `target PNG p50 <= ${TARGET_PNG_P50_MS} ms: MISSED`);
    } finally {
      await renderer.close();
      await engine?.close();
      await store?.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
};

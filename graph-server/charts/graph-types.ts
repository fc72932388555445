/** Every graph type GraphTool and Gratia-web named, mapped to its builder; unknown types fall back by the data's kind. */
import { toTimestamp } from '../../query-engine/index.js';
import { categoryStackChart, pivotBarChart } from './bar-charts.js';
import type { ChartSettings } from './chart-settings.js';
import { cumulativeChart } from './cumulative-chart.js';
import { pieChart } from './pie-chart.js';
import { pivotValues, timeSeries, type PivotSeries } from './pivot-data.js';
import { qualityBarChart, qualityMapChart } from './quality-charts.js';
import { scatterChart } from './scatter-chart.js';
import { timeChart } from './time-charts.js';
import type { ChartInput, ChartSpec } from './types.js';

/** Builds one graph type's chart from a result and its settings. */
export type ChartBuilder = (result: ChartInput, settings: ChartSettings, now: Date) => ChartSpec;

/** GratiaBar's `{time: value}` pivot data as one series (pivot-group data sums per bin). */
function singleTimeSeries(result: ChartInput, settings: ChartSettings): PivotSeries<number>[] {
  const label = settings.columnNames || settings.title || result.name;
  const groups = new Map<number, number>();
  if (result.data.kind === 'pivot-group') {
    for (const s of timeSeries(result.data)) for (const [t, v] of s.groups) groups.set(t, (groups.get(t) ?? 0) + v);
  } else {
    for (const p of pivotValues(result.data)) {
      const t = toTimestamp(p.label);
      groups.set(t, (groups.get(t) ?? 0) + p.value);
    }
  }
  return groups.size > 0 ? [{ label, groups }] : [];
}

const stackedBar: ChartBuilder = (r, s, now) => timeChart(timeSeries(r.data), s, now, { draw: 'column', summarize: true, order: 'size', footer: true });
const timeBar: ChartBuilder = (r, s, now) => timeChart(singleTimeSeries(r, s), s, now, { draw: 'column', summarize: false, order: 'size', footer: true }, false);
const plainStackedBar: ChartBuilder = (r, s) => categoryStackChart(r, s, { horizontal: false, summarize: false });
const plainBar: ChartBuilder = (r, s) => pivotBarChart(r, s, { horizontal: false, summarize: false });

/**
 * The builders by `graph_type`: Gratia-web's classes (SummarizePivot[Group]Graph + TimeGraph + a
 * GraphTool drawing), GraphTool's own, and the `gc_*` Google-charts names mapped to their nearest.
 */
export const GRAPH_BUILDERS: Readonly<Record<string, ChartBuilder>> = {
  GratiaStackedBar: stackedBar,
  GratiaOpp: (r, s, now) => timeChart(timeSeries(r.data), s, now, { draw: 'column', summarize: true, order: 'alpha', footer: true }),
  GratiaBar: timeBar,
  GratiaPie: (r, s, now) => pieChart(r, s, now, { summarize: true, timeTitle: true }),
  GratiaCumulative: (r, s, now) => cumulativeChart(r, s, now, true),
  GratiaStackedLine: (r, s, now) => timeChart(timeSeries(r.data), s, now, { draw: 'area', summarize: true, order: 'size', footer: false }),
  GratiaSize: (r, s, now) => timeChart(timeSeries(r.data), s, now, { draw: 'area', summarize: true, order: 'alpha', footer: false }),
  GratiaHorizontalStacked: (r, s, now) => timeChart(timeSeries(r.data), s, now, { draw: 'bar', summarize: true, order: 'size', footer: true }),
  GratiaHorizontalBar: (r, s) => pivotBarChart(r, s, { horizontal: true, summarize: true }),
  QualityMap: qualityMapChart,
  QualityBarGraph: (r, s) => qualityBarChart(r, s),
  BarGraph: plainBar,
  HorizontalBarGraph: (r, s) => pivotBarChart(r, s, { horizontal: true, summarize: false }),
  HorizontalGroupedBarGraph: (r, s) => pivotBarChart(r, s, { horizontal: true, summarize: false }),
  Histogram: plainBar,
  StackedBarGraph: plainStackedBar,
  HorizontalStackedBarGraph: (r, s) => categoryStackChart(r, s, { horizontal: true, summarize: false }),
  // StackedLineGraph and CumulativeGraph read TimeGraph's begin/end: they only ever drew over time.
  StackedLineGraph: (r, s, now) => timeChart(timeSeries(r.data), s, now, { draw: 'area', summarize: false, order: 'size', footer: false }),
  CumulativeGraph: (r, s, now) => cumulativeChart(r, s, now, false),
  PieGraph: (r, s, now) => pieChart(r, s, now, { summarize: false, timeTitle: false }),
  ScatterPlot: (r, s) => scatterChart(r, s),
  BasicStackedBar: (r, s, now) => timeChart(timeSeries(r.data), s, now, { draw: 'column', summarize: false, order: 'size', footer: true }),
  BasicBar: timeBar,
  BasicPie: (r, s, now) => pieChart(r, s, now, { summarize: false, timeTitle: true }),
  BasicCumulative: (r, s, now) => cumulativeChart(r, s, now, false),
  gc_combo_chart: stackedBar,
  gc_pie_chart: (r, s, now) => pieChart(r, s, now, { summarize: true, timeTitle: false }),
  gc_tree_map: (r, s) => pivotBarChart(r, s, { horizontal: true, summarize: true }),
};

/** The graph types drawn as such (the rest fall back). */
export const GRAPH_TYPES = Object.keys(GRAPH_BUILDERS);

/** Whether a pivot-group result's groups are all times GraphTool's `to_timestamp` reads (numbers or dates). */
function timeGroups(result: ChartInput): boolean {
  if (result.data.kind !== 'pivot-group') return false;
  return result.data.pivots.every((p) =>
    p.groups.every((g) => typeof g.group === 'number' || (typeof g.group === 'string' && /^\s*\d{4}-\d{2}-\d{2}|^\s*\d+(\.\d+)?\s*$/.test(g.group))),
  );
}

/**
 * The builder for a graph type, and the type it draws as. An unknown or missing type falls back
 * by the data: pivot-group data with time groups as GratiaStackedBar, with other groups as
 * StackedBarGraph (groups as categories); pivot and complex-pivot data as BarGraph.
 */
export function builderFor(graphType: string, result: ChartInput): { graphType: string; build: ChartBuilder } {
  const known = GRAPH_BUILDERS[graphType];
  if (known) return { graphType, build: known };
  if (result.data.kind === 'pivot-group') {
    return timeGroups(result) ? { graphType: 'GratiaStackedBar', build: stackedBar } : { graphType: 'StackedBarGraph', build: plainStackedBar };
  }
  return { graphType: 'BarGraph', build: plainBar };
}

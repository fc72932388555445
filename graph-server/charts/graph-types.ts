/** Every graph type GraphTool and Gratia-web named, mapped to its builder; unknown types fall back by the data's kind. */
import type { ChartSettings } from './chart-settings.js';
import { timeSeries, pivotValues, type PivotSeries } from './pivot-data.js';
import { timeChart } from './time-charts.js';
import type { ChartInput, ChartSpec } from './types.js';

/** Builds one graph type's chart from a result and its settings. */
export type ChartBuilder = (result: ChartInput, settings: ChartSettings, now: Date) => ChartSpec;

/** GratiaBar's `{time: value}` pivot data as one series (pivot-group data sums per bin). */
function singleTimeSeries(result: ChartInput, settings: ChartSettings): PivotSeries<number>[] {
  if (result.data.kind === 'pivot-group') {
    const totals = new Map<number, number>();
    for (const s of timeSeries(result.data)) for (const [t, v] of s.groups) totals.set(t, (totals.get(t) ?? 0) + v);
    return totals.size > 0 ? [{ label: settings.columnNames || settings.title || result.name, groups: totals }] : [];
  }
  const groups = new Map<number, number>();
  for (const p of pivotValues(result.data)) {
    const t = Number(p.label);
    if (Number.isFinite(t)) groups.set(t, (groups.get(t) ?? 0) + p.value);
  }
  return groups.size > 0 ? [{ label: settings.columnNames || settings.title || result.name, groups }] : [];
}

const stackedBar: ChartBuilder = (r, s, now) => timeChart(timeSeries(r.data), s, now, { draw: 'column', summarize: true, order: 'size', footer: true });

/** The builders by `graph_type`. */
export const GRAPH_BUILDERS: Readonly<Record<string, ChartBuilder>> = {
  GratiaStackedBar: stackedBar,
  GratiaOpp: (r, s, now) => timeChart(timeSeries(r.data), s, now, { draw: 'column', summarize: true, order: 'alpha', footer: true }),
  BasicStackedBar: (r, s, now) => timeChart(timeSeries(r.data), s, now, { draw: 'column', summarize: false, order: 'size', footer: true }),
  GratiaBar: (r, s, now) => timeChart(singleTimeSeries(r, s), s, now, { draw: 'column', summarize: false, order: 'size', footer: true }, false),
  GratiaStackedLine: (r, s, now) => timeChart(timeSeries(r.data), s, now, { draw: 'area', summarize: true, order: 'size', footer: false }),
  GratiaSize: (r, s, now) => timeChart(timeSeries(r.data), s, now, { draw: 'area', summarize: true, order: 'alpha', footer: false }),
  GratiaHorizontalStacked: (r, s, now) => timeChart(timeSeries(r.data), s, now, { draw: 'bar', summarize: true, order: 'size', footer: true }),
};

/** The graph types drawn as such (the rest fall back). */
export const GRAPH_TYPES = Object.keys(GRAPH_BUILDERS);

/**
 * The builder for a graph type, and the type it draws as. An unknown or missing type falls back
 * by the data: pivot-group data as GratiaStackedBar, pivot and complex-pivot data as GratiaBar.
 */
export function builderFor(graphType: string, result: ChartInput): { graphType: string; build: ChartBuilder } {
  const known = GRAPH_BUILDERS[graphType];
  if (known) return { graphType, build: known };
  const fallback = result.data.kind === 'pivot-group' ? 'GratiaStackedBar' : 'GratiaBar';
  return { graphType: fallback, build: GRAPH_BUILDERS[fallback] ?? stackedBar };
}

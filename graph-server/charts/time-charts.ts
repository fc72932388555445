/** Graphs over time bins: stacked bars (GratiaStackedBar, GratiaOpp, BasicStackedBar), bars (GratiaBar), stacked lines (GratiaStackedLine, GratiaSize), horizontal stacks. */
import type { Options, SeriesOptionsType } from 'highcharts';
import { baseOptions, pointFormat, valueAxis, xAxis } from './base-options.js';
import type { ChartSettings } from './chart-settings.js';
import { pivotColors } from './colors.js';
import { sortByLabel, sortSeriesBySize, summarizeSeries, type PivotSeries } from './pivot-data.js';
import { barFooter, binStatistics } from './statistics.js';
import { timeFrame, timeText, tooltipDateFormat, type TimeFrame } from './time-frame.js';
import type { ChartSpec, ChartTable, FooterStat } from './types.js';

/** How a time graph draws its pivots. */
export interface TimeChartStyle {
  /** `column` bars, `area` stacked lines; `bar` is columns on a vertical time axis. */
  draw: 'column' | 'bar' | 'area';
  /** SummarizePivotGroupGraph: top `entries - 1` pivots plus `Other`. */
  summarize: boolean;
  /** By size (largest first) or alphabetical (GratiaOpp, GratiaSize). */
  order: 'size' | 'alpha';
  /** Footer statistics over the per-bin totals (the bar graphs). */
  footer: boolean;
}

/** The pivots in drawing order, after summarizing. */
export function orderSeries<G>(series: readonly PivotSeries<G>[], settings: ChartSettings, style: Pick<TimeChartStyle, 'summarize' | 'order'>): PivotSeries<G>[] {
  const kept = style.summarize ? summarizeSeries(series, settings.entries) : [...series];
  return style.order === 'alpha' ? sortByLabel(kept) : sortSeriesBySize(kept);
}

/**
 * StackedBarGraph.make_bottom_text for a time graph: the per-bin totals, with the bin holding
 * `starttime` counted as 0 when empty, then `statistics` over them.
 */
export function timeBarFooter(series: readonly PivotSeries<number>[], settings: ChartSettings, frame: TimeFrame): FooterStat[] {
  const totals = new Map<number, number>();
  if (settings.span !== undefined) totals.set(frame.begin - (frame.begin % settings.span), 0);
  for (const s of series) for (const [t, v] of s.groups) totals.set(t, (totals.get(t) ?? 0) + v);
  if (series.length === 0) return [];
  return barFooter(binStatistics(totals, settings.span, settings.spanIsInt), settings.columnUnits, true);
}

/** The table: one row per pivot and bin, pivots in chart order, bins ascending. */
export function timeTable(series: readonly PivotSeries<number>[], settings: ChartSettings): ChartTable {
  return {
    columns: [settings.pivotName || 'Pivot', settings.groupingName || 'Time', settings.columnNames || 'Value'],
    rows: series.flatMap((s) => [...s.groups].sort(([a], [b]) => a - b).map(([t, v]) => [s.label, timeText(t), v])),
  };
}

/** The points of one series as `[epoch ms, value]`, ascending. */
function points(s: PivotSeries<number>): [number, number][] {
  return [...s.groups].sort(([a], [b]) => a - b).map(([t, v]) => [t * 1000, v]);
}

/**
 * StackedLineGraph's polygon points: a point one span before the first bin (at the first value),
 * and at every time any pivot or the frame has, a missing time taking the next later bin's value
 * (the first value before the first bin; the last value at the end).
 */
export function stackedLinePoints(all: readonly PivotSeries<number>[], frame: TimeFrame, span: number | undefined, before: 'first' | 'zero'): Map<string, [number, number][]> {
  const extended = all.map((s) => {
    const g = new Map(s.groups);
    const keys = [...g.keys()].sort((a, b) => a - b);
    const first = keys[0];
    if (first !== undefined && span !== undefined && first - frame.begin > span) g.set(first - span, before === 'zero' ? 0 : (g.get(first) ?? 0));
    return { label: s.label, g };
  });
  const times = new Set<number>([frame.begin, frame.end]);
  for (const s of extended) for (const t of s.g.keys()) if (t >= frame.begin && t <= frame.end) times.add(t);
  const sorted = [...times].sort((a, b) => a - b);
  const out = new Map<string, [number, number][]>();
  for (const s of extended) {
    const keys = [...s.g.keys()].sort((a, b) => a - b);
    const firstKey = keys[0] ?? frame.begin;
    const lastKey = keys[keys.length - 1] ?? frame.end;
    // Walk from the end backwards, as GraphTool did: a gap takes the value after it.
    let next = before === 'zero' ? Math.max(...s.g.values()) : (s.g.get(lastKey) ?? 0);
    const pts: [number, number][] = [];
    for (let i = sorted.length - 1; i >= 0; i--) {
      const t = sorted[i] ?? 0;
      let v = s.g.get(t);
      if (v === undefined) v = t <= firstKey && t !== frame.end ? (before === 'zero' ? 0 : (s.g.get(firstKey) ?? 0)) : next;
      next = v;
      pts.push([t * 1000, v]);
    }
    out.set(s.label, pts.reverse());
  }
  return out;
}

/** StackedLineGraph's look: stacked areas with thin black edges, no markers. */
export const STACKED_AREA = { stacking: 'normal', lineWidth: 0.5, lineColor: '#000000', fillOpacity: 1, marker: { enabled: false } } as const;

/** A time graph: the settings' pivots drawn as `style` says over starttime..endtime. */
export function timeChart(all: readonly PivotSeries<number>[], settings: ChartSettings, now: Date, style: TimeChartStyle, legend = settings.legend): ChartSpec {
  const series = orderSeries(all, settings, style);
  const bins = series.flatMap((s) => [...s.groups.keys()]);
  const frame = timeFrame(settings, bins, now);
  const footer = style.footer ? timeBarFooter(series, settings, frame) : [];
  const spanMs = settings.span !== undefined ? settings.span * 1000 : undefined;
  const linePoints = style.draw === 'area' ? stackedLinePoints(series, frame, settings.span, 'first') : undefined;
  const colors = pivotColors(sortSeriesBySize(series).map((s) => s.label), settings.colorOverride, settings.registeredColors);
  const hcSeries: SeriesOptionsType[] = series.map((s): SeriesOptionsType => ({
    type: style.draw,
    name: s.label,
    color: colors.get(s.label),
    data: linePoints?.get(s.label) ?? points(s),
    ...(style.draw !== 'area' && spanMs !== undefined ? { pointRange: spanMs } : {}),
  }));
  const base = baseOptions({
    type: style.draw,
    title: frame.title,
    subtitle: frame.subtitle,
    footer,
    legend: legend && series.length > 0,
    zoom: 'x',
    inverted: style.draw === 'bar',
  });
  const options: Options = {
    ...base,
    xAxis: xAxis(settings.xlabel, {
      type: 'datetime',
      min: frame.begin * 1000,
      max: frame.end * 1000,
      reversed: false,
      ...(style.draw === 'area' ? {} : { minPadding: 0, maxPadding: 0 }),
    }),
    yAxis: valueAxis(settings),
    tooltip: { ...base.tooltip, shared: false, xDateFormat: tooltipDateFormat(settings.span), pointFormat: pointFormat(settings.columnUnits) },
    plotOptions: {
      ...base.plotOptions,
      column: { stacking: 'normal', grouping: false, groupPadding: 0, pointPadding: 0, borderWidth: 0.5, pointPlacement: 0.5 },
      bar: { stacking: 'normal', grouping: false, groupPadding: 0, pointPadding: 0, borderWidth: 0.5, pointPlacement: 0.5 },
      area: STACKED_AREA,
    },
    series: hcSeries,
  };
  return {
    graphType: settings.graphType,
    title: frame.title,
    subtitle: frame.subtitle,
    options,
    footer,
    table: timeTable(sortSeriesBySize(all), settings),
    empty: series.length === 0,
  };
}

/** Bars over pivots rather than time: BarGraph, Histogram, GratiaHorizontalBar / HorizontalBarGraph, and the plain StackedBarGraph over its groups. */
import type { Options, SeriesOptionsType } from 'highcharts';
import { baseOptions, pointFormat, valueAxis, xAxis } from './base-options.js';
import type { ChartSettings } from './chart-settings.js';
import { pivotColor, pivotColors } from './colors.js';
import { categorySeries, pivotValues, sortSeriesBySize, sortValuesBySize, summarizeSeries, summarizeValues, type PivotValue } from './pivot-data.js';
import { barFooter, binStatistics } from './statistics.js';
import { splitTitle } from './time-frame.js';
import type { ChartInput, ChartSpec } from './types.js';

/** How a pivot bar graph is drawn. */
export interface PivotBarStyle {
  horizontal: boolean;
  summarize: boolean;
}

/** BarGraph's string mode: a pivot that is text makes the axis categorical. */
function isStringMode(result: ChartInput): boolean {
  const d = result.data;
  if (d.kind === 'pivot-group') return true;
  return d.entries.some((e) => typeof e.pivot === 'string' && !Number.isFinite(Number(e.pivot)));
}

/** BarGraph.make_bottom_text without a time axis: Maximum, Minimum, Average over the values (the bins filled when the pivots are numbers on a span grid). */
function pivotFooter(values: readonly PivotValue[], settings: ChartSettings, stringMode: boolean) {
  if (values.length === 0) return [];
  const map = new Map<number, number>();
  if (stringMode) values.forEach((v, i) => map.set(i, v.value));
  else for (const v of values) map.set(Number(v.label), (map.get(Number(v.label)) ?? 0) + v.value);
  return barFooter(binStatistics(map, stringMode ? undefined : settings.span, settings.spanIsInt), settings.columnUnits, false);
}

/**
 * BarGraph / HorizontalBarGraph. Text pivots are categories ordered by size: the largest at the
 * right (vertical) or at the top (horizontal), as GraphTool's string map placed them; numeric
 * pivots (Histogram bins) are bars on a linear axis, `span` wide (default 1).
 */
export function pivotBarChart(result: ChartInput, settings: ChartSettings, style: PivotBarStyle): ChartSpec {
  const raw = pivotValues(result.data);
  const values = sortValuesBySize(style.summarize ? summarizeValues(raw, settings.entries) : raw);
  const stringMode = isStringMode(result);
  const { title, subtitle } = splitTitle(settings.title);
  const footer = pivotFooter(values, settings, stringMode);
  const base = baseOptions({ type: style.horizontal ? 'bar' : 'column', title, subtitle, footer, legend: false, zoom: style.horizontal ? undefined : 'x' });
  // Highcharts draws the first category of a horizontal bar chart at the top, of a column chart at the left.
  const ordered = stringMode && !style.horizontal ? [...values].reverse() : values;
  // BarGraph.setup: the bar width is the metadata's span (Histogram's bin width), else 1; sql vars do not count.
  const mdSpan = Number(settings.metadata.span);
  const width = settings.metadata.span !== undefined && Number.isFinite(mdSpan) && mdSpan > 0 ? mdSpan : 1;
  const colors = pivotColors(values.map((v) => v.label), settings.colorOverride, settings.registeredColors);
  const data = stringMode
    ? ordered.map((v) => ({ name: v.label, y: v.value, color: colors.get(v.label) }))
    : [...ordered].sort((a, b) => Number(a.label) - Number(b.label)).map((v) => ({ x: Number(v.label), y: v.value }));
  const seriesName = settings.columnNames || settings.title || result.name;
  const options: Options = {
    ...base,
    xAxis: xAxis(settings.xlabel, stringMode ? { type: 'category', categories: ordered.map((v) => v.label) } : { type: 'linear' }),
    yAxis: valueAxis(settings, false),
    tooltip: { ...base.tooltip, pointFormat: pointFormat(settings.columnUnits) },
    plotOptions: {
      ...base.plotOptions,
      column: { groupPadding: 0.1, pointPadding: 0, borderWidth: 0.5, ...(stringMode ? {} : { pointRange: width, pointPlacement: 0.5, groupPadding: 0 }) },
      bar: { groupPadding: 0.1, pointPadding: 0, borderWidth: 0.5 },
    },
    series: [{ type: style.horizontal ? 'bar' : 'column', name: seriesName, color: pivotColor(seriesName, settings.colorOverride, settings.registeredColors), data }],
  };
  return {
    graphType: settings.graphType,
    title,
    subtitle,
    options,
    footer,
    table: { columns: [settings.pivotName || 'Pivot', settings.columnNames || 'Value'], rows: sortValuesBySize(raw).map((v) => [v.label, v.value]) },
    empty: values.length === 0,
  };
}

/**
 * StackedBarGraph / HorizontalStackedBarGraph without a time axis: groups are categories in the
 * order first seen, pivots stacked largest on top, footer statistics over the per-group totals.
 */
export function categoryStackChart(result: ChartInput, settings: ChartSettings, style: PivotBarStyle): ChartSpec {
  const raw = categorySeries(result.data);
  const series = sortSeriesBySize(style.summarize ? summarizeSeries(raw, settings.entries) : raw);
  const groups: string[] = [];
  for (const s of raw) for (const g of s.groups.keys()) if (!groups.includes(g)) groups.push(g);
  const totals = new Map<number, number>();
  groups.forEach((g, i) => totals.set(i, series.reduce((a, s) => a + (s.groups.get(g) ?? 0), 0)));
  const footer = series.length > 0 ? barFooter(binStatistics(totals, undefined, false), settings.columnUnits, false) : [];
  const { title, subtitle } = splitTitle(settings.title);
  const type = style.horizontal ? 'bar' : 'column';
  const base = baseOptions({ type, title, subtitle, footer, legend: settings.legend && series.length > 0, zoom: 'x' });
  const colors = pivotColors(series.map((s) => s.label), settings.colorOverride, settings.registeredColors);
  const hcSeries: SeriesOptionsType[] = series.map(
    (s): SeriesOptionsType => ({
      type,
      name: s.label,
      color: colors.get(s.label),
      data: groups.map((g) => s.groups.get(g) ?? null),
    }),
  );
  const options: Options = {
    ...base,
    xAxis: xAxis(settings.xlabel, { type: 'category', categories: groups }),
    yAxis: valueAxis(settings),
    tooltip: { ...base.tooltip, pointFormat: pointFormat(settings.columnUnits) },
    plotOptions: {
      ...base.plotOptions,
      column: { stacking: 'normal', groupPadding: 0.1, pointPadding: 0, borderWidth: 0.5 },
      bar: { stacking: 'normal', groupPadding: 0.1, pointPadding: 0, borderWidth: 0.5 },
    },
    series: hcSeries,
  };
  return {
    graphType: settings.graphType,
    title,
    subtitle,
    options,
    footer,
    table: {
      columns: [settings.pivotName || 'Pivot', settings.groupingName || 'Group', settings.columnNames || 'Value'],
      rows: sortSeriesBySize(raw).flatMap((s) => [...s.groups].map(([g, v]) => [s.label, g, v])),
    },
    empty: series.length === 0,
  };
}

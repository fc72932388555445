/** Quality graphs: QualityMap (pivots × time bins coloured red-yellow-green by percentage) and QualityBarGraph (horizontal percentage bars). */
import type { Options } from 'highcharts';
import { keyLabel } from './pivot-data.js';
import { baseOptions, xAxis, yAxis } from './base-options.js';
import type { ChartSettings } from './chart-settings.js';
import { qualityColor, qualityStops } from './colors.js';
import { toTimestamp, type Value } from '../../query-engine/index.js';
import { sortByLabel } from './pivot-data.js';
import { splitTitle, timeFrame, timeText } from './time-frame.js';
import { timeInterval } from './time-title.js';
import type { ChartInput, ChartSpec } from './types.js';

/** One value as a percentage: a `(done, fail)` tuple gives done/(done+fail), a number is a fraction (GraphTool multiplied by 100). */
export interface Quality {
  percent: number;
  done?: number;
  fail?: number;
}

const num = (x: unknown): number => (typeof x === 'number' ? x : Number(x));

/**
 * GraphTool's rule: with tuples, done > 0 gives done/(done+fail), only failures give 0, neither
 * gives no cell; a plain value is taken as a fraction of 1.
 */
export function qualityOf(v: Value): Quality | undefined {
  if (Array.isArray(v)) {
    if (v.length < 2) return undefined;
    const done = num(v[0]);
    const fail = num(v[1]);
    if (!Number.isFinite(done) || !Number.isFinite(fail)) return undefined;
    if (done > 0) return { percent: (done / (done + fail)) * 100, done, fail };
    if (fail > 0) return { percent: 0, done, fail };
    return undefined;
  }
  const x = num(v);
  return v !== null && Number.isFinite(x) ? { percent: x * 100 } : undefined;
}

/** `color_override` keys are the values themselves in GraphTool (`{0.0: 'grey'}`); matched on the value's text. */
function cellColor(percent: number, raw: Value, override: Readonly<Record<string, string>>): string {
  const key = Array.isArray(raw) ? undefined : String(raw);
  return (key !== undefined ? override[key] : undefined) ?? qualityColor(percent);
}

/**
 * QualityMap: one row per pivot (alphabetical, top to bottom), one column per time bin a span
 * wide starting at the bin, coloured by RdYlGn over 0–100 %, with the colour bar as legend.
 */
export function qualityMapChart(result: ChartInput, settings: ChartSettings, now: Date): ChartSpec {
  const rows: { label: string; cells: { t: number; q: Quality; raw: Value }[] }[] = [];
  if (result.data.kind === 'pivot-group') {
    for (const p of result.data.pivots) {
      if (p.pivot === null) continue;
      const cells = p.groups.flatMap((g) => {
        const q = qualityOf(g.value);
        return q && g.group !== null ? [{ t: toTimestamp(Array.isArray(g.group) ? (g.group[0] ?? null) : g.group), q, raw: g.value }] : [];
      });
      if (cells.length > 0) rows.push({ label: keyLabel(p.pivot), cells });
    }
  }
  const ordered = sortByLabel(rows);
  const frame = timeFrame(settings, ordered.flatMap((r) => r.cells.map((c) => c.t)), now);
  const span = settings.span ?? timeInterval(frame.begin, frame.end);
  const base = baseOptions({ type: 'heatmap', title: frame.title, subtitle: frame.subtitle, footer: [], legend: ordered.length > 0, zoom: 'x' });
  const options: Options = {
    ...base,
    legend: { ...base.legend, layout: 'horizontal', align: 'center', verticalAlign: 'bottom', symbolWidth: 400 },
    colorAxis: { min: 0, max: 100, stops: qualityStops(), labels: { format: '{value}%', style: { color: '#333333' } }, gridLineColor: '#ffffff', lineColor: '#555555', tickColor: '#555555', minColor: '#a50026', maxColor: '#006837', marker: { color: '#000000' } },
    xAxis: xAxis('', { type: 'datetime', min: frame.begin * 1000, max: frame.end * 1000 }),
    yAxis: yAxis('', { type: 'category', categories: ordered.map((r) => r.label), reversed: true, min: 0, max: Math.max(ordered.length - 1, 0), gridLineWidth: 0 }),
    tooltip: { ...base.tooltip, headerFormat: '', pointFormat: '<b>{point.custom.row}</b><br/>{point.custom.time}: <b>{point.value:.1f}%</b>' },
    plotOptions: { ...base.plotOptions, heatmap: { borderColor: '#000000', borderWidth: 0.25, nullColor: '#ffffff' } },
    series: [
      {
        type: 'heatmap',
        name: settings.title || result.name,
        colsize: span * 1000,
        data: ordered.flatMap((r, y) =>
          r.cells.map((c) => ({
            x: (c.t + span / 2) * 1000,
            y,
            value: c.q.percent,
            color: cellColor(c.q.percent, c.raw, settings.colorOverride),
            custom: { row: r.label, time: timeText(c.t), start: c.t * 1000 },
          })),
        ),
      },
    ],
  };
  return {
    graphType: settings.graphType,
    title: frame.title,
    subtitle: frame.subtitle,
    options,
    footer: [],
    table: {
      columns: [settings.pivotName || 'Pivot', settings.groupingName || 'Time', 'Percent', 'Done', 'Fail'],
      rows: ordered.flatMap((r) => [...r.cells].sort((a, b) => a.t - b.t).map((c) => [r.label, timeText(c.t), c.q.percent, c.q.done ?? null, c.q.fail ?? null])),
    },
    empty: ordered.length === 0,
  };
}

/** QualityBarGraph: a horizontal bar per pivot from 0 to 100 %, largest at the top, each bar coloured by its percentage. */
export function qualityBarChart(result: ChartInput, settings: ChartSettings): ChartSpec {
  const bars: { label: string; q: Quality; raw: Value }[] = [];
  const entries =
    result.data.kind === 'pivot-group'
      ? result.data.pivots.flatMap((p) => p.groups.map((g) => ({ pivot: p.pivot, value: g.value })))
      : result.data.entries;
  for (const e of entries) {
    const q = qualityOf(e.value);
    if (q && e.pivot !== null) bars.push({ label: keyLabel(e.pivot), q, raw: e.value });
  }
  bars.sort((a, b) => b.q.percent - a.q.percent || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
  const { title, subtitle } = splitTitle(settings.title);
  const base = baseOptions({ type: 'bar', title, subtitle, footer: [], legend: false });
  const options: Options = {
    ...base,
    xAxis: xAxis(settings.xlabel, { type: 'category', categories: bars.map((b) => b.label) }),
    yAxis: yAxis(settings.ylabel, { min: 0, max: 100, labels: { format: '{value}%', style: { color: '#333333', fontSize: '10px' } } }),
    tooltip: { ...base.tooltip, headerFormat: '', pointFormat: '<b>{point.name}</b>: {point.y:.1f}%' },
    plotOptions: { ...base.plotOptions, bar: { groupPadding: 0.1, pointPadding: 0, borderWidth: 0.5 } },
    series: [
      {
        type: 'bar',
        name: settings.title || result.name,
        data: bars.map((b) => ({ name: b.label, y: b.q.percent, color: cellColor(b.q.percent, b.raw, settings.colorOverride) })),
      },
    ],
  };
  return {
    graphType: settings.graphType,
    title,
    subtitle,
    options,
    footer: [],
    table: { columns: [settings.pivotName || 'Pivot', 'Percent', 'Done', 'Fail'], rows: bars.map((b) => [b.label, b.q.percent, b.q.done ?? null, b.q.fail ?? null]) },
    empty: bars.length === 0,
  };
}

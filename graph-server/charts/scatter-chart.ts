/** ScatterPlot: each pivot's groups are `(x, y)` points whose value is the dot's area. */
import type { Options, SeriesOptionsType } from 'highcharts';
import { baseOptions, xAxis, yAxis } from './base-options.js';
import type { ChartSettings } from './chart-settings.js';
import { pivotColors } from './colors.js';
import { keyLabel, numericValue } from './pivot-data.js';
import { splitTitle } from './time-frame.js';
import type { ChartInput, ChartSpec } from './types.js';

/** The largest dot's radius in pixels; GraphTool sized dots in data units (radius = sqrt(value/pi)). */
const MAX_RADIUS = 20;

/** Scatter points per pivot, dot radii proportional to sqrt(value) as GraphTool's circles. */
export function scatterChart(result: ChartInput, settings: ChartSettings): ChartSpec {
  const pivots: { label: string; pts: { x: number; y: number; v: number }[] }[] = [];
  if (result.data.kind === 'pivot-group') {
    for (const p of result.data.pivots) {
      const pts = p.groups.flatMap((g) => {
        const v = numericValue(g.value);
        if (!Array.isArray(g.group) || g.group.length < 2 || v === undefined) return [];
        const x = Number(g.group[0]);
        const y = Number(g.group[1]);
        return Number.isFinite(x) && Number.isFinite(y) ? [{ x, y, v }] : [];
      });
      if (pts.length > 0) pivots.push({ label: keyLabel(p.pivot), pts });
    }
  }
  pivots.sort((a, b) => Math.max(...b.pts.map((p) => p.v)) - Math.max(...a.pts.map((p) => p.v)));
  const maxV = Math.max(1e-12, ...pivots.flatMap((p) => p.pts.map((q) => Math.abs(q.v))));
  const { title, subtitle } = splitTitle(settings.title);
  const base = baseOptions({ type: 'scatter', title, subtitle, footer: [], legend: settings.legend && pivots.length > 0, zoom: 'xy' });
  const colors = pivotColors(pivots.map((p) => p.label), settings.colorOverride, settings.registeredColors);
  const series: SeriesOptionsType[] = pivots.map(
    (p): SeriesOptionsType => ({
      type: 'scatter',
      name: p.label,
      color: colors.get(p.label),
      data: p.pts.map((q) => ({ x: q.x, y: q.y, marker: { radius: Math.max(2, MAX_RADIUS * Math.sqrt(Math.abs(q.v) / maxV)) }, custom: { value: q.v } })),
    }),
  );
  const options: Options = {
    ...base,
    xAxis: xAxis(settings.xlabel, { type: 'linear', gridLineWidth: 1 }),
    yAxis: yAxis(settings.ylabel),
    tooltip: { ...base.tooltip, headerFormat: '', pointFormat: '<b>{series.name}</b> ({point.x}, {point.y}): {point.custom.value}' },
    plotOptions: { ...base.plotOptions, scatter: { marker: { lineColor: '#000000', lineWidth: 0.5, symbol: 'circle' } } },
    series,
  };
  return {
    graphType: settings.graphType,
    title,
    subtitle,
    options,
    footer: [],
    table: { columns: [settings.pivotName || 'Pivot', 'x', 'y', settings.columnNames || 'Value'], rows: pivots.flatMap((p) => p.pts.map((q) => [p.label, q.x, q.y, q.v])) },
    empty: pivots.length === 0,
  };
}

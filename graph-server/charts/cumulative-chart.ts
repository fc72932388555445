/** Cumulative graphs (GratiaCumulative, CumulativeGraph): stacked running sums, labels with each pivot's total, a `Total` and `Average Rate` footer. */
import type { Options, SeriesOptionsType } from 'highcharts';
import { AppError } from '../../common/index.js';
import { baseOptions, pointFormat, valueAxis, xAxis } from './base-options.js';
import type { ChartSettings } from './chart-settings.js';
import { pivotColors } from './colors.js';
import { sortSeriesBySize, summarizeSeries, timeSeries, type PivotSeries } from './pivot-data.js';
import { prettyFloat } from './statistics.js';
import { timeFrame, tooltipDateFormat } from './time-frame.js';
import { STACKED_AREA, stackedLinePoints, timeTable } from './time-charts.js';
import type { ChartInput, ChartSpec, FooterStat } from './types.js';

/**
 * CumulativeGraph.setup with `is_cumulative` false: every bin from the first to the last, one span
 * apart, holds the running sum. Data off that grid is refused, as GraphTool refused it.
 */
export function runningSums(series: readonly PivotSeries<number>[], span: number | undefined): PivotSeries<number>[] {
  if (series.length === 0) return [];
  if (span === undefined) throw new AppError('config', 'Span is a required metadata value if is_cumulative=False.');
  const all = new Set(series.flatMap((s) => [...s.groups.keys()]));
  const min = Math.min(...all);
  const max = Math.max(...all);
  const bins: number[] = [];
  for (let t = min; t <= max; t += span) {
    bins.push(t);
    all.delete(t);
  }
  if (all.size > 0) throw new AppError('config', `Some data is not aligned to timebins!  Extra values are: ${[...all].join(', ')}`);
  return series.map((s) => {
    let sum = 0;
    return { label: s.label, groups: new Map(bins.map((t) => [t, (sum += s.groups.get(t) ?? 0)])) };
  });
}

/** The cumulative graph; `summarize` for GratiaCumulative. */
export function cumulativeChart(result: ChartInput, settings: ChartSettings, now: Date, summarize: boolean): ChartSpec {
  if (settings.isCumulative === undefined) {
    throw new AppError('config', 'The is_cumulative metadata was not set; set to true if data is cumulative, false otherwise.');
  }
  const raw = timeSeries(result.data);
  const parsed = summarize ? summarizeSeries(raw, settings.entries) : raw;
  // Each pivot's total: its last bin when the data is already cumulative, else its sum.
  const totalOf = (s: PivotSeries<number>): number => {
    if (!settings.isCumulative) return [...s.groups.values()].reduce((a, v) => a + v, 0);
    const last = Math.max(...s.groups.keys());
    return s.groups.get(last) ?? 0;
  };
  const labels = new Map(parsed.map((s) => [s.label, `${s.label} (${prettyFloat(totalOf(s))})`]));
  const cumulative = sortSeriesBySize(settings.isCumulative ? parsed : runningSums(parsed, settings.span));
  const frame = timeFrame(settings, cumulative.flatMap((s) => [...s.groups.keys()]), now);
  const total = raw.reduce((a, s) => a + (settings.isCumulative ? Math.max(...s.groups.values()) : [...s.groups.values()].reduce((x, v) => x + v, 0)), 0);
  const unit = settings.columnUnits;
  const footer: FooterStat[] =
    raw.length > 0
      ? [
          { label: 'Total', value: total, unit },
          { label: 'Average Rate', value: total / (frame.end - frame.begin), unit: `${unit}/s` },
        ]
      : [];
  const pts = stackedLinePoints(cumulative, frame, settings.span, 'zero');
  const colors = pivotColors(cumulative.map((s) => s.label), settings.colorOverride, settings.registeredColors);
  const series: SeriesOptionsType[] = cumulative.map(
    (s): SeriesOptionsType => ({
      type: 'area',
      name: labels.get(s.label) ?? s.label,
      color: colors.get(s.label),
      data: pts.get(s.label) ?? [],
    }),
  );
  const base = baseOptions({ type: 'area', title: frame.title, subtitle: frame.subtitle, footer, legend: settings.legend && series.length > 0, zoom: 'x' });
  const options: Options = {
    ...base,
    xAxis: xAxis(settings.xlabel, { type: 'datetime', min: frame.begin * 1000, max: frame.end * 1000 }),
    yAxis: valueAxis(settings),
    tooltip: { ...base.tooltip, xDateFormat: tooltipDateFormat(settings.span), pointFormat: pointFormat(unit) },
    plotOptions: {
      ...base.plotOptions,
      area: STACKED_AREA,
    },
    series,
  };
  return {
    graphType: settings.graphType,
    title: frame.title,
    subtitle: frame.subtitle,
    options,
    footer,
    table: timeTable(sortSeriesBySize(raw), settings),
    empty: series.length === 0,
  };
}

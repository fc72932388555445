import { describe, expect, it } from 'vitest';
import { buildChart, pivotColors } from '../../graph-server/charts/index.js';
import { DAY, END, START, pivotGroupResult, seriesOf } from './charts-samples.js';

const week = (base: number): number[] => Array.from({ length: 14 }, (_, i) => base + i);

describe('GratiaStackedBar', () => {
  it('titles the chart with the query title and the time line of the range', () => {
    const spec = buildChart(pivotGroupResult({ cms: week(10) }, { graph_type: 'GratiaStackedBar', title: 'Hours by VO' }), {});
    expect(spec.title).toBe('Hours by VO');
    expect(spec.subtitle).toBe('14 Days from 2012-05-22 to 2012-06-04');
    expect(spec.options.title?.text).toBe('Hours by VO');
  });

  it('adds UTC to the time line for spans under a day', () => {
    const r = pivotGroupResult({ cms: [1, 2] }, { graph_type: 'GratiaStackedBar', title: 'T' });
    r.sqlVars = { ...r.sqlVars, endtime: { type: 'datetime', value: new Date((START + 2 * DAY) * 1000) }, span: { type: 'int', value: 3600 } };
    expect(buildChart(r, {}).subtitle).toBe('48 Hours from 2012-05-22 00:00 to 2012-05-24 00:00 UTC');
  });

  it('keeps the top entries-1 pivots and sums the rest per bin into Other', () => {
    const spec = buildChart(
      pivotGroupResult({ a: [50, 50], b: [40, 40], c: [3, 1], d: [2, 4], e: [1, 0.5] }, { graph_type: 'GratiaStackedBar', entries: '3' }),
      {},
    );
    const series = seriesOf(spec.options);
    expect(series.map((s) => s.name)).toEqual(['a', 'b', 'Other']);
    expect(series[2]?.data).toEqual([
      [START * 1000, 6],
      [(START + DAY) * 1000, 5.5],
    ]);
  });

  it('orders pivots by their largest value, largest first, each in its own stable colour', () => {
    const spec = buildChart(pivotGroupResult({ small: [1, 2], big: [1, 90], mid: [30, 3] }, { graph_type: 'GratiaStackedBar' }), {});
    const series = seriesOf(spec.options);
    expect(series.map((s) => s.name)).toEqual(['big', 'mid', 'small']);
    const colors = pivotColors(['big', 'mid', 'small']);
    expect(series.map((s) => s.color)).toEqual(['big', 'mid', 'small'].map((p) => colors.get(p)));
    expect(new Set(series.map((s) => s.color)).size).toBe(3);
  });

  it('spans the x-axis from starttime to endtime with bars one span wide', () => {
    const spec = buildChart(pivotGroupResult({ cms: [1, 2] }, { graph_type: 'GratiaStackedBar' }), {});
    const x = spec.options.xAxis as { type: string; min: number; max: number };
    expect([x.type, x.min, x.max]).toEqual(['datetime', START * 1000, END * 1000]);
    expect((spec.options.series?.[0] as { pointRange: number }).pointRange).toBe(DAY * 1000);
  });

  it('crops the x-axis to the data plus one span with croptime', () => {
    const spec = buildChart(pivotGroupResult({ cms: [undefined, 2, 3] }, { graph_type: 'GratiaStackedBar', croptime: 'True' }), {});
    const x = spec.options.xAxis as { min: number; max: number };
    expect([x.min, x.max]).toEqual([(START + DAY) * 1000, (START + 3 * DAY) * 1000]);
    expect(spec.subtitle).toBe('2 Days from 2012-05-23 00:00 to 2012-05-25 00:00');
  });

  // pretty_float: 2 decimals under 10, 1 under 100, none under 1000, comma-grouped integers above.
  it('computes the footer over per-bin totals with empty bins as zero, as GraphTool statistics()', () => {
    // Totals per bin: 3, (none), 10; the bins between starttime and the last bin count.
    const spec = buildChart(pivotGroupResult({ a: [1, undefined, 6], b: [2, undefined, 4] }, { graph_type: 'GratiaStackedBar' }), {});
    expect(spec.footer).toEqual([
      { label: 'Maximum', value: 10, unit: 'Hours' },
      { label: 'Minimum', value: 0, unit: 'Hours' },
      { label: 'Average', value: 13 / 3, unit: 'Hours' },
      { label: 'Current', value: 10, unit: 'Hours' },
    ]);
    expect(spec.options.caption?.text).toBe('Maximum: 10.0 Hours, Minimum: 0.00 Hours, Average: 4.33 Hours, Current: 10.0 Hours');
  });

  it('labels the y-axis column_names [column_units] and the x-axis grouping_name; URL parameters win', () => {
    const r = pivotGroupResult({ cms: [1] }, { graph_type: 'GratiaStackedBar', grouping_name: 'Time', title: 'Hours for $vo' });
    const spec = buildChart(r, { column_units: 'Days', vo: 'cms' });
    expect((spec.options.yAxis as { title: { text: string } }).title.text).toBe('Wall Time [Days]');
    expect((spec.options.xAxis as { title: { text: string } }).title.text).toBe('Time');
    expect(spec.title).toBe('Hours for cms');
  });

  it('titles what the user asked for: the page\'s exact-match ^cms$ reads as cms, a real regex as written', () => {
    const r = pivotGroupResult({ cms: [1] }, { graph_type: 'GratiaStackedBar', title: 'Wall Hours by Facility for $vo' });
    expect(buildChart(r, { vo: '^cms$' }).title).toBe('Wall Hours by Facility for cms');
    expect(buildChart(r, { vo: 'cms|atlas' }).title).toBe('Wall Hours by Facility for cms|atlas');
    expect(buildChart(r, { vo: '^(cms|atlas)$' }).title).toBe('Wall Hours by Facility for ^(cms|atlas)$');
  });

  it('draws a logarithmic y-axis from 10^log_ymin with log_yaxis', () => {
    const spec = buildChart(pivotGroupResult({ cms: [1] }, { graph_type: 'GratiaStackedBar' }), { log_yaxis: 'True', log_ymin: '0' });
    expect(spec.options.yAxis).toMatchObject({ type: 'logarithmic', min: 1 });
  });

  it('shows the query error instead of a chart', () => {
    const spec = buildChart(pivotGroupResult({}, { graph_type: 'GratiaStackedBar', title: 'T' }, { error: 'Table x does not exist' }), {});
    expect(spec.empty).toBe(true);
    expect(spec.subtitle).toBe('Table x does not exist');
    expect(spec.options.series).toEqual([]);
  });
});

describe('GratiaOpp', () => {
  it('orders pivots alphabetically', () => {
    const spec = buildChart(pivotGroupResult({ zeta: [90], alpha: [1], mid: [5] }, { graph_type: 'GratiaOpp' }), {});
    expect(seriesOf(spec.options).map((s) => s.name)).toEqual(['alpha', 'mid', 'zeta']);
  });
});

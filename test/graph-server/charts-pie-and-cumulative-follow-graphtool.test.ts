import { describe, expect, it } from 'vitest';
import { buildChart } from '../../graph-server/charts/index.js';
import { DAY, END, START, pivotGroupResult, pivotResult, seriesOf } from './charts-samples.js';

type PiePoint = { name: string; y: number; custom: { label: string } };

describe('GratiaPie', () => {
  it('adds (Sum: N units) to the title and the time line under it', () => {
    const spec = buildChart(pivotResult({ cms: 1500.7, atlas: 600 }, { graph_type: 'GratiaPie', title: 'Hours by VO' }), {});
    expect(spec.title).toBe('Hours by VO (Sum: 2,100 Hours)');
    expect(spec.subtitle).toBe('14 Days from 2012-05-22 to 2012-06-04');
  });

  it('draws absolute values largest first, legend labels with each rounded value', () => {
    const spec = buildChart(pivotResult({ small: 2.5, neg: -40, big: 1234.4 }, { graph_type: 'GratiaPie' }), {});
    const pts = seriesOf(spec.options)[0]?.data as PiePoint[];
    expect(pts.map((p) => [p.name, p.y, p.custom.label])).toEqual([
      ['big', 1234.4, 'big (1,234)'],
      ['neg', 40, 'neg (-40.0)'],
      ['small', 2.5, 'small (3.00)'],
    ]);
    expect(spec.options.legend?.labelFormat).toBe('{custom.label}');
  });

  it('keeps entries-1 wedges and puts the rest into Other', () => {
    const spec = buildChart(pivotResult({ a: 50, b: 40, c: 3, d: 2 }, { graph_type: 'GratiaPie', entries: '3' }), {});
    const pts = seriesOf(spec.options)[0]?.data as PiePoint[];
    expect(pts.map((p) => [p.name, p.y])).toEqual([
      ['a', 50],
      ['b', 40],
      ['Other', 5],
    ]);
  });

  it('a pie of percentages that add up to 100 says (Sum: 100.0 %), not a truncated 99', () => {
    const shares = { cms: 100 / 3, atlas: 100 / 3, ligo: 100 / 3 };
    const spec = buildChart(pivotResult(shares, { graph_type: 'PieGraph', title: 'Share by VO', column_units: '%' }), {});
    expect(spec.title).toBe('Share by VO (Sum: 100.0 %)');
    const hours = buildChart(pivotResult({ a: 0.1, b: 0.2, c: 99.7 }, { graph_type: 'PieGraph', title: 'T' }), {});
    expect(hours.title).toMatch(/^T \(Sum: 100 /);
  });

  it('PieGraph has no time line and keeps every wedge', () => {
    const spec = buildChart(pivotResult({ a: 50, b: 40, c: 3, d: 2 }, { graph_type: 'PieGraph', entries: '3', title: 'T' }), {});
    expect([spec.title, spec.subtitle]).toEqual(['T (Sum: 95.0 Hours)', '']);
    expect(seriesOf(spec.options)[0]?.data).toHaveLength(4);
  });
});

describe('GratiaCumulative', () => {
  it('sums per-span bins itself when is_cumulative is false, labels carry each total, footer Total and Average Rate', () => {
    const spec = buildChart(pivotGroupResult({ cms: [1, undefined, 3], atlas: [10, 10, 10] }, { graph_type: 'GratiaCumulative', is_cumulative: 'False' }), {});
    const series = seriesOf(spec.options);
    expect(series.map((s) => s.name)).toEqual(['atlas (30.0)', 'cms (4.00)']);
    // Running sums at each bin, zero before the data, the last value carried to endtime.
    expect(series[1]?.data).toEqual([
      [START * 1000, 1],
      [(START + DAY) * 1000, 1],
      [(START + 2 * DAY) * 1000, 4],
      [END * 1000, 4],
    ]);
    expect(spec.footer).toEqual([
      { label: 'Total', value: 34, unit: 'Hours' },
      { label: 'Average Rate', value: 34 / (END - START), unit: 'Hours/s' },
    ]);
    expect(spec.options.caption?.text).toBe('Total: 34.0 Hours, Average Rate: 0.00 Hours/s');
  });

  it('takes cumulative data as it is, each label the last value and the total the sum of maxima', () => {
    const spec = buildChart(pivotGroupResult({ cms: [1, 5, 9] }, { graph_type: 'GratiaCumulative', is_cumulative: true }), {});
    expect(seriesOf(spec.options).map((s) => s.name)).toEqual(['cms (9.00)']);
    expect(spec.footer[0]?.value).toBe(9);
  });

  it('starts a pivot at zero one span before its first bin when it starts late', () => {
    const spec = buildChart(pivotGroupResult({ cms: [undefined, undefined, 2] }, { graph_type: 'GratiaCumulative', is_cumulative: true }), {});
    expect(seriesOf(spec.options)[0]?.data.slice(0, 3)).toEqual([
      [START * 1000, 0],
      [(START + DAY) * 1000, 0],
      [(START + 2 * DAY) * 1000, 2],
    ]);
  });

  it('refuses data off the span grid and a missing is_cumulative with an error chart, as GraphTool raised', () => {
    const r = pivotGroupResult({}, { graph_type: 'GratiaCumulative', is_cumulative: 'False' });
    r.data = { kind: 'pivot-group', pivots: [{ pivot: 'cms', groups: [{ group: START, value: 1 }, { group: START + 100, value: 1 }] }] };
    expect(buildChart(r, {}).subtitle).toBe(`Some data is not aligned to timebins!  Extra values are: ${START + 100}`);
    const missing = buildChart(pivotGroupResult({ cms: [1] }, { graph_type: 'GratiaCumulative' }), {});
    expect(missing.subtitle).toMatch(/^The is_cumulative metadata was not set/);
    expect(missing.empty).toBe(true);
  });
});

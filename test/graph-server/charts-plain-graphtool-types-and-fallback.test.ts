import { describe, expect, it } from 'vitest';
import { buildChart, pivotColor, pivotColors } from '../../graph-server/charts/index.js';
import { DAY, END, START, pivotGroupResult, pivotResult, seriesOf } from './charts-samples.js';

describe('plain GraphTool types', () => {
  it('BarGraph puts text pivots on a category axis by size, largest at the right, with Maximum/Minimum/Average', () => {
    const spec = buildChart(pivotResult({ b: 5, a: 20, c: 1 }, { graph_type: 'BarGraph', title: 'T' }), {});
    expect(spec.options.xAxis).toMatchObject({ type: 'category', categories: ['c', 'b', 'a'] });
    expect(spec.subtitle).toBe('');
    expect(spec.footer.map((f) => f.label)).toEqual(['Maximum', 'Minimum', 'Average']);
    expect(spec.footer.map((f) => f.value)).toEqual([20, 1, 26 / 3]);
  });

  it('GratiaHorizontalBar summarizes and puts the largest pivot at the top', () => {
    const spec = buildChart(pivotResult({ a: 50, b: 40, c: 3, d: 2 }, { graph_type: 'GratiaHorizontalBar', entries: '3' }), {});
    expect(spec.options.chart?.type).toBe('bar');
    expect(spec.options.xAxis).toMatchObject({ categories: ['a', 'b', 'Other'] });
  });

  it('Histogram draws bins on a linear axis, each span wide from its left edge', () => {
    const spec = buildChart(pivotResult({ '0': 3, '2.5': 7, '5': 4 }, { graph_type: 'Histogram', span: 2.5 }), {});
    expect(spec.options.xAxis).toMatchObject({ type: 'linear' });
    expect(seriesOf(spec.options)[0]?.data).toEqual([
      { x: 0, y: 3 },
      { x: 2.5, y: 7 },
      { x: 5, y: 4 },
    ]);
    expect(spec.options.plotOptions?.column).toMatchObject({ pointRange: 2.5, pointPlacement: 0.5 });
  });

  it('StackedBarGraph keeps text groups as categories in first-seen order, missing values as gaps', () => {
    const r = pivotGroupResult({}, { graph_type: 'StackedBarGraph' });
    r.data = {
      kind: 'pivot-group',
      pivots: [
        { pivot: 'cms', groups: [{ group: 'UCSD', value: 1 }, { group: 'FNAL', value: 9 }] },
        { pivot: 'atlas', groups: [{ group: 'BNL', value: 4 }] },
      ],
    };
    const spec = buildChart(r, {});
    expect(spec.options.xAxis).toMatchObject({ categories: ['UCSD', 'FNAL', 'BNL'] });
    expect(seriesOf(spec.options).map((s) => [s.name, s.data])).toEqual([
      ['cms', [1, 9, null]],
      ['atlas', [null, null, 4]],
    ]);
  });

  it('GratiaStackedLine fills each pivot from starttime to endtime (the first value before its first bin, the value after a gap in it)', () => {
    const spec = buildChart(pivotGroupResult({ cms: [undefined, 2, undefined, 6] }, { graph_type: 'GratiaStackedLine' }), {});
    expect(seriesOf(spec.options)[0]?.data).toEqual([
      [START * 1000, 2],
      [(START + DAY) * 1000, 2],
      [(START + 3 * DAY) * 1000, 6],
      [END * 1000, 6],
    ]);
  });

  it('ScatterPlot plots (x, y) groups with dots sized by value', () => {
    const r = pivotGroupResult({}, { graph_type: 'ScatterPlot' });
    r.data = { kind: 'pivot-group', pivots: [{ pivot: 'cms', groups: [{ group: [1, 2], value: 4 }, { group: [3, 4], value: 1 }] }] };
    const data = seriesOf(buildChart(r, {}).options)[0]?.data as { x: number; y: number; marker: { radius: number } }[];
    expect(data.map((d) => [d.x, d.y, d.marker.radius])).toEqual([
      [1, 2, 20],
      [3, 4, 10],
    ]);
  });
});

describe('unknown graph types fall back by the data', () => {
  it('pivot-group data with time groups draws as GratiaStackedBar', () => {
    const spec = buildChart(pivotGroupResult({ cms: [1] }, { graph_type: 'NoSuchGraph' }), {});
    expect(spec.graphType).toBe('GratiaStackedBar');
  });
  it('pivot-group data with text groups draws as StackedBarGraph', () => {
    const r = pivotGroupResult({}, {});
    r.data = { kind: 'pivot-group', pivots: [{ pivot: 'cms', groups: [{ group: 'UCSD', value: 1 }] }] };
    expect(buildChart(r, {}).graphType).toBe('StackedBarGraph');
  });
  it('pivot data draws as BarGraph', () => {
    expect(buildChart(pivotResult({ cms: 1 }, { graph_type: 'gc_line_chart' }), {}).graphType).toBe('BarGraph');
  });
  it('no data keeps the title and says so', () => {
    const spec = buildChart(pivotGroupResult({}, { graph_type: 'GratiaStackedBar', title: 'T' }), {});
    expect(spec.empty).toBe(true);
    expect(spec.subtitle).toBe('14 Days from 2012-05-22 to 2012-06-04\nNo data returned by DB query.');
  });
  it('time groups that are not times give an error chart', () => {
    const r = pivotGroupResult({}, { graph_type: 'GratiaStackedBar' });
    r.data = { kind: 'pivot-group', pivots: [{ pivot: 'cms', groups: [{ group: 'UCSD', value: 1 }] }] };
    const spec = buildChart(r, {});
    expect(spec.empty).toBe(true);
    expect(spec.subtitle).toMatch(/UCSD/);
  });
});

describe('pivot colours', () => {
  it('give a pivot the same colour in every graph', () => {
    const a = buildChart(pivotGroupResult({ cms: [1], atlas: [5] }, { graph_type: 'GratiaStackedBar' }), {});
    const b = buildChart(pivotResult({ cms: 7 }, { graph_type: 'GratiaPie' }), {});
    const cmsA = seriesOf(a.options).find((s) => s.name === 'cms')?.color;
    const cmsB = (seriesOf(b.options)[0]?.data as { name: string; color: string }[]).find((p) => p.name === 'cms')?.color;
    expect(cmsA).toBe(pivotColor('cms'));
    expect(cmsB).toBe(cmsA);
  });
  it('never give two pivots of one chart the same colour, the larger keeping its own', () => {
    const labels = Array.from({ length: 30 }, (_, i) => `vo${i}`);
    const colors = pivotColors(labels);
    expect(new Set(colors.values()).size).toBe(30);
    expect(colors.get('vo0')).toBe(pivotColor('vo0'));
  });
  it('take color_override first and paint Other grey', () => {
    const spec = buildChart(
      pivotGroupResult({ a: [50], b: [40], c: [3], d: [2] }, { graph_type: 'GratiaStackedBar', entries: '2', color_override: { a: '#123456' } }),
      {},
    );
    expect(seriesOf(spec.options).map((s) => [s.name, s.color])).toEqual([
      ['a', '#123456'],
      ['Other', '#c0c0c0'],
    ]);
  });
});

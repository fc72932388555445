import { describe, expect, it } from 'vitest';
import { buildChart, qualityColor } from '../../graph-server/charts/index.js';
import { DAY, START, pivotGroupResult, pivotResult, seriesOf } from './charts-samples.js';

type Cell = { x: number; y: number; value: number; color: string };

describe('QualityMap', () => {
  const result = () => {
    const r = pivotGroupResult({}, { graph_type: 'QualityMap', title: 'Transfer quality' });
    r.data = {
      kind: 'pivot-group',
      pivots: [
        { pivot: 'T2_Nebraska', groups: [{ group: START, value: [3, 1] }, { group: START + DAY, value: [0, 5] }, { group: START + 2 * DAY, value: [0, 0] }] },
        { pivot: 'T1_FNAL', groups: [{ group: START + DAY, value: [10, 0] }] },
      ],
    };
    return r;
  };

  it('makes one row per pivot, alphabetical from the top, and a cell per time bin a span wide', () => {
    const spec = buildChart(result(), {});
    expect(spec.options.yAxis).toMatchObject({ categories: ['T1_FNAL', 'T2_Nebraska'], reversed: true });
    const cells = seriesOf(spec.options)[0]?.data as Cell[];
    expect((spec.options.series?.[0] as { colsize: number }).colsize).toBe(DAY * 1000);
    expect(cells.map((c) => [c.y, c.x])).toEqual([
      [0, (START + DAY + DAY / 2) * 1000],
      [1, (START + DAY / 2) * 1000],
      [1, (START + DAY + DAY / 2) * 1000],
    ]);
    expect(spec.subtitle).toBe('14 Days from 2012-05-22 to 2012-06-04');
  });

  it('turns (done, fail) into done/(done+fail) %, failures only into 0 %, and draws no cell for (0, 0)', () => {
    const cells = seriesOf(buildChart(result(), {}).options)[0]?.data as Cell[];
    expect(cells.map((c) => c.value)).toEqual([100, 75, 0]);
  });

  it('colours cells red-yellow-green by percentage', () => {
    const cells = seriesOf(buildChart(result(), {}).options)[0]?.data as Cell[];
    expect(cells.map((c) => c.color)).toEqual(['#006837', qualityColor(75), '#a50026']);
    expect(qualityColor(50)).toBe('#ffffbf');
    expect(buildChart(result(), {}).options.colorAxis).toMatchObject({ min: 0, max: 100 });
  });

  it('reads plain values as fractions, as GraphTool multiplied them by 100', () => {
    const r = pivotGroupResult({ cms: [0.5, 0.9] }, { graph_type: 'QualityMap' });
    expect((seriesOf(buildChart(r, {}).options)[0]?.data as Cell[]).map((c) => c.value)).toEqual([50, 90]);
  });
});

describe('QualityBarGraph', () => {
  it('draws one horizontal bar per pivot in percent, largest at the top, coloured by its value', () => {
    const spec = buildChart(pivotResult({ low: 0.1, high: 0.95, mid: 0.5 }, { graph_type: 'QualityBarGraph' }), {});
    const series = seriesOf(spec.options)[0];
    expect(series?.type).toBe('bar');
    expect(spec.options.xAxis).toMatchObject({ categories: ['high', 'mid', 'low'] });
    expect(series?.data).toEqual([
      { name: 'high', y: 95, color: qualityColor(95) },
      { name: 'mid', y: 50, color: qualityColor(50) },
      { name: 'low', y: 10, color: qualityColor(10) },
    ]);
    expect(spec.options.yAxis).toMatchObject({ min: 0, max: 100 });
  });
});

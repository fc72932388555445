/** Hand-built query results for the chart tests: 14 daily bins from 2012-05-22, as GraphTool's example title says. */
import type { TypedValue } from '../../query-engine/index.js';
import type { ChartInput } from '../../graph-server/charts/index.js';

export const DAY = 86400;
/** 2012-05-22 00:00:00 UTC. */
export const START = Date.UTC(2012, 4, 22) / 1000;
/** 2012-06-04 23:59:59 UTC: `partial="up"` of the fourteenth day. */
export const END = START + 14 * DAY - 1;

export const dt = (seconds: number): TypedValue => ({ type: 'datetime', value: new Date(seconds * 1000) });
export const int = (value: number): TypedValue => ({ type: 'int', value });

/** The sql vars of a 14-day daily query. */
export const TIME_VARS: Record<string, TypedValue> = { starttime: dt(START), endtime: dt(END), span: int(DAY) };

/** A pivot-group result: `values[pivot][i]` is day i's value (undefined = no row). */
export function pivotGroupResult(
  values: Record<string, (number | undefined)[]>,
  metadata: Record<string, unknown>,
  extra: Partial<ChartInput> = {},
): ChartInput {
  return {
    name: 'q',
    kind: 'pivot-group',
    data: {
      kind: 'pivot-group',
      pivots: Object.entries(values).map(([pivot, vs]) => ({
        pivot,
        groups: vs.flatMap((value, i) => (value === undefined ? [] : [{ group: START + i * DAY, value }])),
      })),
    },
    metadata: { column_names: 'Wall Time', column_units: 'Hours', pivot_name: 'VO', ...metadata },
    sqlVars: TIME_VARS,
    inputs: TIME_VARS,
    given: {},
    ...extra,
  };
}

/** A pivot result `{pivot: value}`. */
export function pivotResult(values: Record<string, number>, metadata: Record<string, unknown>, extra: Partial<ChartInput> = {}): ChartInput {
  return {
    name: 'q',
    kind: 'pivot',
    data: { kind: 'pivot', entries: Object.entries(values).map(([pivot, value]) => ({ pivot, value })) },
    metadata: { column_names: 'Wall Time', column_units: 'Hours', pivot_name: 'VO', ...metadata },
    sqlVars: TIME_VARS,
    inputs: TIME_VARS,
    given: {},
    ...extra,
  };
}

/** Series names and their `[x, y]` points from a spec's options. */
export function seriesOf(options: { series?: unknown }): { name: string; type: string; color?: string; data: unknown[] }[] {
  return (options.series ?? []) as { name: string; type: string; color?: string; data: unknown[] }[];
}

const vos = ['cms', 'atlas', 'osg', 'ligo', 'dzero', 'cdf'];
const ramp = (i: number): number[] => Array.from({ length: 14 }, (_, d) => (i + 1) * 10 + d);

/** A representative result for each graph type, for drawing every type in a real browser. */
export function sampleFor(graphType: string): ChartInput {
  const md = { graph_type: graphType, title: `${graphType} sample` };
  const timeData = Object.fromEntries(vos.map((vo, i) => [vo, ramp(i)]));
  switch (graphType) {
    case 'GratiaPie':
    case 'PieGraph':
    case 'BasicPie':
    case 'gc_pie_chart':
    case 'GratiaHorizontalBar':
    case 'HorizontalBarGraph':
    case 'HorizontalGroupedBarGraph':
    case 'BarGraph':
    case 'gc_tree_map':
      return pivotResult(Object.fromEntries(vos.map((vo, i) => [vo, (i + 1) * 100])), md);
    case 'GratiaBar':
    case 'BasicBar':
      return pivotResult(Object.fromEntries(ramp(0).map((v, d) => [String(START + d * DAY), v])), md);
    case 'Histogram':
      return pivotResult({ '0': 3, '2.5': 7, '5': 4, '7.5': 1 }, { ...md, span: 2.5 });
    case 'GratiaCumulative':
    case 'CumulativeGraph':
    case 'BasicCumulative':
      return pivotGroupResult(timeData, { ...md, is_cumulative: 'False' });
    case 'StackedBarGraph':
    case 'HorizontalStackedBarGraph':
      return {
        ...pivotGroupResult({}, md),
        data: {
          kind: 'pivot-group',
          pivots: vos.slice(0, 3).map((vo, i) => ({ pivot: vo, groups: ['Nebraska', 'UCSD', 'FNAL'].map((site, j) => ({ group: site, value: (i + 1) * (j + 2) })) })),
        },
      };
    case 'ScatterPlot':
      return {
        ...pivotGroupResult({}, md),
        data: {
          kind: 'pivot-group',
          pivots: vos.slice(0, 2).map((vo, i) => ({ pivot: vo, groups: [1, 2, 3].map((k) => ({ group: [k, k * (i + 1)], value: k * 4 })) })),
        },
      };
    case 'QualityMap':
      return {
        ...pivotGroupResult({}, md),
        data: {
          kind: 'pivot-group',
          pivots: vos.slice(0, 4).map((vo, i) => ({ pivot: vo, groups: Array.from({ length: 14 }, (_, d) => ({ group: START + d * DAY, value: [d + i, 14 - d] })) })),
        },
      };
    case 'QualityBarGraph':
      return pivotResult(Object.fromEntries(vos.map((vo, i) => [vo, i / (vos.length - 1)])), md);
    default:
      return pivotGroupResult(timeData, md);
  }
}

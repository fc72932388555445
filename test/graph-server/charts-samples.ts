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

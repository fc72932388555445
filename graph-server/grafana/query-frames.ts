/** Query results as Grafana's `/query` answer: a time series per pivot (and results column), or a table. */
import { keyString, toTimestamp, type Key, type ResultData, type Scalar, type Value } from '../../query-engine/index.js';

/** A time series: `[value, epoch ms]` pairs, oldest first. */
export interface TimeSeriesFrame {
  target: string;
  refId: string;
  datapoints: [number | null, number][];
}

export interface TableColumn {
  text: string;
  type: 'time' | 'string' | 'number';
}

export type Cell = string | number | null;

/** A table (`{type: 'table', columns, rows}`), which Grafana's `toDataFrame` turns into a frame. */
export interface TableFrame {
  type: 'table';
  refId: string;
  columns: TableColumn[];
  rows: Cell[][];
}

export type Frame = TimeSeriesFrame | TableFrame;

/** What the frames need of a result: the engine's `QueryResult` has these. */
export interface FrameSource {
  data: ResultData;
  metadata: Record<string, unknown>;
}

function metaText(metadata: Record<string, unknown>, key: string): string | undefined {
  const v = metadata[key];
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

/** The results columns' names (`column_names`, comma-separated), padded to `n`. */
function valueColumnNames(metadata: Record<string, unknown>, n: number): string[] {
  const names = (metaText(metadata, 'column_names') ?? '').split(',').map((s) => s.trim());
  return Array.from({ length: n }, (_, i) => names[i] || (n === 1 ? 'Value' : `Value ${i + 1}`));
}

function width(values: Iterable<Value>): number {
  let n = 1;
  for (const v of values) if (Array.isArray(v)) n = Math.max(n, v.length);
  return n;
}

function column(v: Value, i: number): Scalar {
  return Array.isArray(v) ? (v[i] ?? null) : i === 0 ? v : null;
}

function numeric(x: Scalar): number | null {
  const n = typeof x === 'string' ? (x.trim() === '' ? NaN : Number(x)) : x;
  return typeof n === 'number' && Number.isFinite(n) ? n : null;
}

function cell(x: Scalar): Cell {
  return typeof x === 'number' && !Number.isFinite(x) ? null : x;
}

/** A time group as epoch seconds, or `undefined` when the group is no time (a category, a bin). */
function groupSeconds(group: Key): number | undefined {
  if (Array.isArray(group) || group === null) return undefined;
  try {
    return toTimestamp(group);
  } catch {
    return undefined;
  }
}

function isTimeGrouped(data: Extract<ResultData, { kind: 'pivot-group' }>): boolean {
  return data.pivots.every((p) => p.groups.every((g) => groupSeconds(g.group) !== undefined));
}

function valueColumns(names: string[], values: Value[]): TableColumn[] {
  return names.map((text, i) => ({
    text,
    type: values.every((v) => numeric(column(v, i)) !== null || column(v, i) === null) ? ('number' as const) : ('string' as const),
  }));
}

function timeSeries(data: Extract<ResultData, { kind: 'pivot-group' }>, metadata: Record<string, unknown>, refId: string): TimeSeriesFrame[] {
  const n = width(data.pivots.flatMap((p) => p.groups.map((g) => g.value)));
  const names = valueColumnNames(metadata, n);
  return data.pivots.flatMap((p) => {
    const points = p.groups.map((g) => ({ ms: groupSeconds(g.group)! * 1000, value: g.value })).sort((a, b) => a.ms - b.ms);
    const pivot = keyString(p.pivot);
    return names.map((name, i) => ({
      target: n === 1 ? pivot : `${pivot} ${name}`,
      refId,
      datapoints: points.map((pt): [number | null, number] => [numeric(column(pt.value, i)), pt.ms]),
    }));
  });
}

function pivotGroupTable(data: Extract<ResultData, { kind: 'pivot-group' }>, metadata: Record<string, unknown>, refId: string): TableFrame {
  const values = data.pivots.flatMap((p) => p.groups.map((g) => g.value));
  const names = valueColumnNames(metadata, width(values));
  const pivotName = metaText(metadata, 'pivot_name') ?? 'Pivot';
  const rowValues = (v: Value) => names.map((_, i) => cell(column(v, i)));
  if (isTimeGrouped(data)) {
    const rows = data.pivots
      .flatMap((p, order) => p.groups.map((g) => ({ ms: groupSeconds(g.group)! * 1000, order, row: [keyString(p.pivot), ...rowValues(g.value)] })))
      .sort((a, b) => a.ms - b.ms || a.order - b.order)
      .map((r): Cell[] => [r.ms, ...r.row]);
    return { type: 'table', refId, columns: [{ text: 'Time', type: 'time' }, { text: pivotName, type: 'string' }, ...valueColumns(names, values)], rows };
  }
  const groupName = metaText(metadata, 'grouping_name') ?? 'Group';
  const rows = data.pivots.flatMap((p) => p.groups.map((g): Cell[] => [keyString(p.pivot), keyString(g.group), ...rowValues(g.value)]));
  return { type: 'table', refId, columns: [{ text: pivotName, type: 'string' }, { text: groupName, type: 'string' }, ...valueColumns(names, values)], rows };
}

function pivotTable(entries: { pivot: Key; value: Value }[], metadata: Record<string, unknown>, refId: string): TableFrame {
  const values = entries.map((e) => e.value);
  const names = valueColumnNames(metadata, width(values));
  return {
    type: 'table',
    refId,
    columns: [{ text: metaText(metadata, 'pivot_name') ?? 'Pivot', type: 'string' }, ...valueColumns(names, values)],
    rows: entries.map((e): Cell[] => [keyString(e.pivot), ...names.map((_, i) => cell(column(e.value, i)))]),
  };
}

/**
 * The frames of one target. Pivot-group results with time groups become one time series per pivot (one per
 * pivot and results column when there are several), oldest point first, or one long table (Time, pivot,
 * values) when the target asked for a table; other groupings become a table of pivot, group and values.
 * Pivot and complex-pivot results become a table of pivot and values in the results' order.
 */
export function resultFrames(result: FrameSource, opts: { refId: string; table: boolean }): Frame[] {
  const { data, metadata } = result;
  if (data.kind !== 'pivot-group') return [pivotTable(data.entries, metadata, opts.refId)];
  if (!opts.table && isTimeGrouped(data)) return timeSeries(data, metadata, opts.refId);
  return [pivotGroupTable(data, metadata, opts.refId)];
}

/** The distinct pivots of a result, as text, in the results' order (a variable's values). */
export function resultPivots(data: ResultData): string[] {
  const keys = data.kind === 'pivot-group' ? data.pivots.map((p) => p.pivot) : data.entries.map((e) => e.pivot);
  return [...new Set(keys.map(keyString))];
}

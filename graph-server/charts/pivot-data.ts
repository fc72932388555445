/** The data as GraphTool's graphs saw it: labelled pivots, numeric values, `Other` for the small ones, pivots ordered by size. */
import { keyString, toTimestamp, type Key, type ResultData, type Value } from '../../query-engine/index.js';

/** One pivot of pivot-group data: its label and its groups (keyed by epoch seconds or by group text). */
export interface PivotSeries<G> {
  label: string;
  groups: Map<G, number>;
}

/** One pivot of pivot data. */
export interface PivotValue {
  label: string;
  value: number;
}

/** The label GraphTool printed for a key (`str(key)`; a tuple as `('a', 'b')`). */
export function keyLabel(key: Key): string {
  return keyString(key);
}

/** A value as a number to draw: a tuple's first element (GraphTool's `value_size`), undefined for text or None. */
export function numericValue(v: Value): number | undefined {
  const x = Array.isArray(v) ? v[0] : v;
  if (typeof x === 'number' && Number.isFinite(x)) return x;
  if (typeof x === 'string' && x.trim() !== '' && Number.isFinite(Number(x))) return Number(x);
  return undefined;
}

/** Pivot-group data with time groups (TimeGraph's `parse_group` = `to_timestamp`); throws on a group that is not a time. */
export function timeSeries(data: ResultData): PivotSeries<number>[] {
  if (data.kind !== 'pivot-group') return [];
  const out = new Map<string, PivotSeries<number>>();
  for (const p of data.pivots) {
    if (p.pivot === null) continue;
    const label = keyLabel(p.pivot);
    const series = out.get(label) ?? { label, groups: new Map<number, number>() };
    for (const g of p.groups) {
      const v = numericValue(g.value);
      if (v === undefined || g.group === null) continue;
      const t = toTimestamp(Array.isArray(g.group) ? (g.group[0] ?? null) : g.group);
      series.groups.set(t, (series.groups.get(t) ?? 0) + v);
    }
    if (series.groups.size > 0) out.set(label, series);
  }
  return [...out.values()];
}

/** Pivot-group data with groups kept as text (plain StackedBarGraph's string mode), in first-seen group order. */
export function categorySeries(data: ResultData): PivotSeries<string>[] {
  if (data.kind !== 'pivot-group') return [];
  const out: PivotSeries<string>[] = [];
  for (const p of data.pivots) {
    if (p.pivot === null) continue;
    const groups = new Map<string, number>();
    for (const g of p.groups) {
      const v = numericValue(g.value);
      if (v !== undefined && g.group !== null) groups.set(keyLabel(g.group), (groups.get(keyLabel(g.group)) ?? 0) + v);
    }
    if (groups.size > 0) out.push({ label: keyLabel(p.pivot), groups });
  }
  return out;
}

/** Pivot (and complex-pivot) data as labelled numbers; values that are not numbers are dropped. */
export function pivotValues(data: ResultData): PivotValue[] {
  if (data.kind === 'pivot-group') {
    return data.pivots.map((p) => ({
      label: keyLabel(p.pivot),
      value: p.groups.reduce((s, g) => s + (numericValue(g.value) ?? 0), 0),
    }));
  }
  const out: PivotValue[] = [];
  for (const e of data.entries) {
    const v = numericValue(e.value);
    if (v !== undefined && e.pivot !== null) out.push({ label: keyLabel(e.pivot), value: v });
  }
  return out;
}

/** The label of the pivot that collects the small ones. */
export const OTHER = 'Other';

/**
 * SummarizePivotGroupGraph: keep the `entries - 1` pivots with the largest sum of |values| (strictly
 * above the next one's sum; ties at the cut go to `Other`), and sum the rest per group into `Other`.
 * Nothing changes when at most one pivot would be smashed.
 */
export function summarizeSeries<G>(series: readonly PivotSeries<G>[], entries: number): PivotSeries<G>[] {
  const level = entries - 1;
  const sizes = series.map((s) => [...s.groups.values()].reduce((a, v) => a + Math.abs(v), 0));
  const sorted = [...sizes].sort((a, b) => a - b);
  const minVal = sorted.length <= level ? 0 : (sorted[sorted.length - level - 1] ?? 0);
  const keep: PivotSeries<G>[] = [];
  const smash: PivotSeries<G>[] = [];
  series.forEach((s, i) => {
    if ((sizes[i] ?? 0) > minVal && keep.length < level) keep.push(s);
    else smash.push(s);
  });
  if (smash.length <= 1) return [...series];
  const other = new Map<G, number>();
  for (const s of smash) for (const [g, v] of s.groups) other.set(g, (other.get(g) ?? 0) + v);
  return [...keep.filter((s) => s.label !== OTHER), { label: OTHER, groups: other }];
}

/** SummarizePivotGraph: the same cut over pivot values, `Other` holding the sum of the rest. */
export function summarizeValues(values: readonly PivotValue[], entries: number): PivotValue[] {
  const asSeries = values.map((v) => ({ label: v.label, groups: new Map([[0, v.value]]) }));
  const summarized = summarizeSeries(asSeries, entries);
  return summarized.map((s) => ({ label: s.label, value: s.groups.get(0) ?? 0 }));
}

/** Ties keep a stable, readable order: by label. */
const byLabel = (a: { label: string }, b: { label: string }): number => (a.label < b.label ? -1 : a.label > b.label ? 1 : 0);

/** PivotGroupGraph's order: by each pivot's largest value, largest first. */
export function sortSeriesBySize<G>(series: readonly PivotSeries<G>[]): PivotSeries<G>[] {
  const size = (s: PivotSeries<G>): number => Math.max(...s.groups.values());
  return [...series].sort((a, b) => size(b) - size(a) || byLabel(a, b));
}

/** PivotGraph's order: by |value|, largest first. */
export function sortValuesBySize(values: readonly PivotValue[]): PivotValue[] {
  return [...values].sort((a, b) => Math.abs(b.value) - Math.abs(a.value) || byLabel(a, b));
}

/** Alphabetical order (GratiaOpp, QualityMap rows, GraphTool's base `sort_keys`). */
export function sortByLabel<T extends { label: string }>(items: readonly T[]): T[] {
  return [...items].sort(byLabel);
}

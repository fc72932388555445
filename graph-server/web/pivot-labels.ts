/** The pivot names a result draws, largest first: what the colour registry is asked for before its chart is built. */
import { keyString, type QueryResult, type Value } from '../../query-engine/index.js';

const size = (v: Value): number => {
  const x = Array.isArray(v) ? v[0] : v;
  const n = typeof x === 'number' ? x : Number(x);
  return Number.isFinite(n) ? Math.abs(n) : 0;
};

/** Each pivot's label as the charts print it (`keyString`), ordered by its total, largest first; none for a failed run. */
export function pivotLabels(result: Pick<QueryResult, 'error' | 'data'>): string[] {
  if (result.error !== undefined) return [];
  const totals = new Map<string, number>();
  const add = (label: string, v: number) => totals.set(label, (totals.get(label) ?? 0) + v);
  if (result.data.kind === 'pivot-group') {
    for (const p of result.data.pivots) if (p.pivot !== null) add(keyString(p.pivot), p.groups.reduce((n, g) => n + size(g.value), 0));
  } else {
    for (const e of result.data.entries) if (e.pivot !== null) add(keyString(e.pivot), size(e.value));
  }
  return [...totals].sort((a, b) => b[1] - a[1]).map(([label]) => label);
}

/** GW's `gratia.database.metrics` site-size parsers: wall hours per interval to a smoothed site size. */
import { badInput, dataError } from './errors.js';
import { setValue, toPivotGroupData, type PivotTable } from './pivot-table.js';
import { keyString, pyCompare, pyFloat } from './python-values.js';
import { parsePivotGroupTable } from './results-parser.js';
import type { Key, ResultsContext, ResultsFunction, ResultsVars } from './types.js';

/**
 * GW's `NMax(2)`: two slots starting at 0; each datum raises the smaller slot to at most itself;
 * the size is the slots' mean (roughly the mean of the two largest values so far).
 */
function nMaxSeries(data: readonly number[]): number[] {
  const slots = [0, 0];
  return data.map((v) => {
    const i = (slots[1] ?? 0) < (slots[0] ?? 0) ? 1 : 0;
    slots[i] = Math.max(v, slots[i] ?? 0);
    return ((slots[0] ?? 0) + (slots[1] ?? 0)) / 2;
  });
}

function siteSizes(rows: readonly (readonly unknown[])[], vars: ResultsVars, ctx: ResultsContext): PivotTable {
  const table = parsePivotGroupTable(rows, vars, ctx);
  if (vars.span === undefined) throw badInput('span', 'site_size_parser needs the span (seconds per interval)');
  const span = pyFloat(vars.span);
  if (span === undefined || span === 0) throw badInput('span', `${JSON.stringify(vars.span)} is not a usable span`);
  const hours = span / 3600;
  const intervals = new Map<string, Key>();
  for (const entry of table.values()) for (const [id, cell] of entry.groups) intervals.set(id, cell.group);
  const sorted = [...intervals].sort((a, b) => pyCompare(a[1], b[1]));
  const sizes: PivotTable = new Map();
  for (const entry of table.values()) {
    const averages = sorted.map(([id, group]) => {
      const v = entry.groups.get(id)?.value ?? 0;
      if (typeof v !== 'number') throw dataError(`site_size_parser: cannot divide ${JSON.stringify(v)} at ${keyString(entry.pivot)}, ${keyString(group)}`);
      return v / hours;
    });
    nMaxSeries(averages).forEach((size, i) => setValue(sizes, entry.pivot, sorted[i]?.[1] ?? null, size));
  }
  return sizes;
}

/** `site_size_parser`: per site and interval, the `NMax(2)` size of its average CPUs (value / span hours). */
export const siteSizeParser: ResultsFunction = (rows, vars, ctx) => ({
  data: toPivotGroupData(siteSizes(rows, vars, ctx)),
  metadata: { kind: 'pivot-group' },
});

/** `site_size_parser2`: each site's largest `site_size_parser` size, as a pivot result. */
export const siteSizeParser2: ResultsFunction = (rows, vars, ctx) => {
  const entries = [...siteSizes(rows, vars, ctx).values()].map((e) => ({
    pivot: e.pivot,
    value: Math.max(...[...e.groups.values()].map((c) => c.value as number)),
  }));
  return { data: { kind: 'pivot', entries }, metadata: { kind: 'pivot' } };
};

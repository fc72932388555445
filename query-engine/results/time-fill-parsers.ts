/** GraphTool's time-filling parsers: `cumulative_pivot_group_parser` (running sums) and `pivot_group_parser_plus` (last value carried). */
import { badInput, dataError } from './errors.js';
import { keyString } from './python-values.js';
import { accumulateRows, pivotGroupInputs, suppressZeros } from './results-parser.js';
import { mapValues, setValue, toPivotGroupData, type PivotTable } from './pivot-table.js';
import { toTimestamp } from './to-timestamp.js';
import type { Key, ResultsContext, ResultsFunction, ResultsOutput, ResultsVars, Value } from './types.js';

/** Gap filling stops here: GraphTool would loop (or allocate) without end on pathological spacings. */
const MAX_FILLED_GROUPS = 100_000;

/**
 * The groups with GraphTool's gaps filled: from each group, steps of the minimum spacing while
 * they stay below the next group. The spacing starts from the largest group itself, so it is the
 * smallest difference unless the largest group is smaller still.
 */
function filledGroups(sortedGroups: readonly number[]): number[] {
  const last = sortedGroups[sortedGroups.length - 1];
  if (last === undefined) return [];
  let minSpan = last;
  for (let i = 0; i + 1 < sortedGroups.length; i++) minSpan = Math.min((sortedGroups[i + 1] ?? 0) - (sortedGroups[i] ?? 0), minSpan);
  if (sortedGroups.length > 1 && minSpan <= 0) {
    throw badInput('grouping', `cannot fill the gaps between time groups with a spacing of ${minSpan} (GraphTool never finished)`);
  }
  const out: number[] = [];
  for (let i = 0; i < sortedGroups.length; i++) {
    let current = sortedGroups[i] ?? 0;
    out.push(current);
    const next = sortedGroups[i + 1];
    if (next === undefined) break;
    while (current + minSpan < next) {
      current += minSpan;
      out.push(current);
      if (out.length > MAX_FILLED_GROUPS) {
        throw badInput('grouping', `filling the gaps between time groups would make more than ${MAX_FILLED_GROUPS} groups (spacing ${minSpan})`);
      }
    }
  }
  return out;
}

function asFloat(value: Value, pivot: Key, group: number, parser: string): number {
  if (typeof value === 'number') return value;
  if (Array.isArray(value)) throw badInput('results', `${parser} adds up one results column; got the tuple ${keyString(value)}`);
  throw dataError(`${parser}: float() cannot convert ${JSON.stringify(value)} at ${keyString(pivot)}, ${group}`);
}

function fillOverTime(
  rows: readonly (readonly unknown[])[],
  vars: ResultsVars,
  ctx: ResultsContext,
  parser: string,
  step: (previous: number, value: number | undefined) => number,
  dropZeros: boolean,
): PivotTable {
  const inputs = pivotGroupInputs(rows, vars);
  const table = accumulateRows(rows, inputs, vars, ctx, (g) => toTimestamp(g));
  // The time axis comes from every row with a pivot, including rows zero suppression drops.
  const times = new Set<number>();
  for (const entry of table.values()) for (const cell of entry.groups.values()) times.add(cell.group as number);
  if (dropZeros) suppressZeros(table);
  if (times.size === 0) return table;
  const axis = filledGroups([...times].sort((a, b) => a - b));
  const filled: PivotTable = new Map();
  for (const entry of table.values()) {
    const byTime = new Map<number, Value>();
    for (const cell of entry.groups.values()) byTime.set(cell.group as number, cell.value);
    let running = 0;
    for (const t of axis) {
      const value = byTime.get(t);
      running = step(running, value === undefined ? undefined : asFloat(value, entry.pivot, t, parser));
      setValue(filled, entry.pivot, t, running);
    }
  }
  mapValues(filled, (v) => inputs.dataTransform([v], vars, ctx));
  return filled;
}

/**
 * `cumulative_pivot_group_parser`: groups become epoch seconds, gaps are filled at the minimum
 * spacing, and each pivot's value is its running sum; zeros are suppressed before summing.
 */
export const cumulativePivotGroupParser: ResultsFunction = (rows, vars, ctx): ResultsOutput => ({
  data: toPivotGroupData(fillOverTime(rows, vars, ctx, 'cumulative_pivot_group_parser', (sum, v) => sum + (v ?? 0), true)),
  metadata: { kind: 'pivot-group', is_cumulative: true },
});

/**
 * `pivot_group_parser_plus`: the same time axis, but a missing group carries the pivot's last
 * value forward (0 before its first), and nothing is zero-suppressed.
 */
export const pivotGroupParserPlus: ResultsFunction = (rows, vars, ctx): ResultsOutput => ({
  data: toPivotGroupData(fillOverTime(rows, vars, ctx, 'pivot_group_parser_plus', (last, v) => v ?? last, false)),
  metadata: { kind: 'pivot-group' },
});

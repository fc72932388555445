/** GraphTool's one-level parsers: `simple_results_parser` (`{pivot: value}`) and `complex_pivot_parser` (`[(pivot, value)]`). */
import { addValue, hasNonzero, newValue } from './accumulate.js';
import { checkColumns, makeEntry, parseColumns, transformInput } from './columns.js';
import { keyId } from './python-values.js';
import type { Key, ResultsContext, ResultsFunction, ResultsVars, Transform, Value } from './types.js';

interface PivotInputs {
  pivotCols: number[];
  resultsCols: number[];
  pivotTransform: Transform;
  dataTransform: Transform;
}

function pivotInputs(rows: readonly (readonly unknown[])[], vars: ResultsVars, pivotTransform?: Transform): PivotInputs {
  const inputs: PivotInputs = {
    pivotCols: parseColumns(vars, 'pivots', '0'),
    resultsCols: parseColumns(vars, 'results', '1'),
    pivotTransform: pivotTransform ?? transformInput(vars, 'pivot_transform'),
    dataTransform: transformInput(vars, 'data_transform'),
  };
  checkColumns(rows, inputs.pivotCols, 'pivots');
  checkColumns(rows, inputs.resultsCols, 'results');
  return inputs;
}

/** `simple_results_parser` as `[pivot, value]` pairs in first-seen order, for the parsers built on it. */
export function parseSimple(
  rows: readonly (readonly unknown[])[],
  vars: ResultsVars,
  ctx: ResultsContext,
  pivotTransform?: Transform,
): { pivot: Key; value: Value }[] {
  const inputs = pivotInputs(rows, vars, pivotTransform);
  const byPivot = new Map<string, { pivot: Key; value: Value }>();
  for (const row of rows) {
    const pivot = makeEntry(row, inputs.pivotCols, inputs.pivotTransform, vars, ctx);
    if (pivot === null) continue;
    const entry = byPivot.get(keyId(pivot));
    if (entry) entry.value = addValue(entry.value, row, inputs.resultsCols, pivot);
    else byPivot.set(keyId(pivot), { pivot, value: newValue(row, inputs.resultsCols) });
  }
  return [...byPivot.values()]
    .filter((e) => hasNonzero(e.value))
    .map((e) => ({ pivot: e.pivot, value: inputs.dataTransform([e.value], vars, ctx) }));
}

/** `simple_results_parser` (pivots `0`, results `1`): duplicates summed, zero pivots dropped. */
export const simpleResultsParser: ResultsFunction = (rows, vars, ctx) => ({
  data: { kind: 'pivot', entries: parseSimple(rows, vars, ctx) },
  metadata: { kind: 'pivot' },
});

/** `complex_pivot_parser` (pivots `0`, results `1`): one entry per row, in row order, nothing summed. */
export const complexPivotParser: ResultsFunction = (rows, vars, ctx) => {
  const inputs = pivotInputs(rows, vars);
  const entries: { pivot: Key; value: Value }[] = [];
  for (const row of rows) {
    const pivot = makeEntry(row, inputs.pivotCols, inputs.pivotTransform, vars, ctx);
    if (pivot === null) continue;
    const value = newValue(row, inputs.resultsCols);
    if (hasNonzero(value)) entries.push({ pivot, value: inputs.dataTransform([value], vars, ctx) });
  }
  return { data: { kind: 'complex-pivot', entries }, metadata: { kind: 'complex-pivot' } };
};

/** GraphTool's `results_parser`: rows to `{pivot: {group: value}}`, duplicates summed, zeros suppressed. */
import { addValue, hasNonzero, newValue } from './accumulate.js';
import { checkColumns, makeEntry, parseColumns, transformInput } from './columns.js';
import { pivotEntry, setValue, toPivotGroupData, mapValues, type PivotTable } from './pivot-table.js';
import { keyId } from './python-values.js';
import type { Key, ResultsContext, ResultsFunction, ResultsVars, Transform } from './types.js';

/** What a parser built on `results_parser` may impose instead of the configured inputs. */
export interface PivotGroupOptions {
  /** The pivot transform the parser brings itself (GW's opportunistic parsers); `pivot_transform` is then ignored. */
  pivotTransform?: Transform;
}

/** The pivot-group inputs, read and checked against the rows. */
export interface PivotGroupInputs {
  pivotCols: number[];
  groupingCols: number[];
  resultsCols: number[];
  pivotTransform: Transform;
  groupingTransform: Transform;
  dataTransform: Transform;
}

/** Reads `pivots`/`grouping`/`results` (defaults `0,1`/`2`/`3`) and the three transforms. */
export function pivotGroupInputs(rows: readonly (readonly unknown[])[], vars: ResultsVars, options: PivotGroupOptions = {}): PivotGroupInputs {
  const inputs: PivotGroupInputs = {
    pivotCols: parseColumns(vars, 'pivots', '0,1'),
    groupingCols: parseColumns(vars, 'grouping', '2'),
    resultsCols: parseColumns(vars, 'results', '3'),
    pivotTransform: options.pivotTransform ?? transformInput(vars, 'pivot_transform'),
    groupingTransform: transformInput(vars, 'grouping_transform'),
    dataTransform: transformInput(vars, 'data_transform'),
  };
  checkColumns(rows, inputs.pivotCols, 'pivots');
  checkColumns(rows, inputs.groupingCols, 'grouping');
  checkColumns(rows, inputs.resultsCols, 'results');
  return inputs;
}

/**
 * Accumulates the rows into a table: a row whose pivot transform gives None is dropped, a
 * duplicate (pivot, group) is added to the value already there. `groupOf` post-processes the
 * transformed group (the time-filling parsers make it epoch seconds).
 */
export function accumulateRows(
  rows: readonly (readonly unknown[])[],
  inputs: PivotGroupInputs,
  vars: ResultsVars,
  ctx: ResultsContext,
  groupOf: (group: Key) => Key = (g) => g,
): PivotTable {
  const table: PivotTable = new Map();
  for (const row of rows) {
    const pivot = makeEntry(row, inputs.pivotCols, inputs.pivotTransform, vars, ctx);
    if (pivot === null) continue;
    const group = groupOf(makeEntry(row, inputs.groupingCols, inputs.groupingTransform, vars, ctx));
    const cell = pivotEntry(table, pivot).groups.get(keyId(group));
    if (cell) cell.value = addValue(cell.value, row, inputs.resultsCols, [pivot, group].flat());
    else setValue(table, pivot, group, newValue(row, inputs.resultsCols));
  }
  return table;
}

/** Zero suppression: groups whose value is all zeros go, then pivots left without groups. */
export function suppressZeros(table: PivotTable): void {
  for (const [id, entry] of table) {
    for (const [groupId, cell] of entry.groups) if (!hasNonzero(cell.value)) entry.groups.delete(groupId);
    if (entry.groups.size === 0) table.delete(id);
  }
}

/** `results_parser` as a table, for the parsers that post-process it. */
export function parsePivotGroupTable(
  rows: readonly (readonly unknown[])[],
  vars: ResultsVars,
  ctx: ResultsContext,
  options: PivotGroupOptions = {},
): PivotTable {
  const inputs = pivotGroupInputs(rows, vars, options);
  const table = accumulateRows(rows, inputs, vars, ctx);
  suppressZeros(table);
  mapValues(table, (v) => inputs.dataTransform([v], vars, ctx));
  return table;
}

/** `graphtool.database.query_handler.results_parser` (pivots `0,1`, grouping `2`, results `3`). */
export const resultsParser: ResultsFunction = (rows, vars, ctx) => ({
  data: toPivotGroupData(parsePivotGroupTable(rows, vars, ctx)),
  metadata: { kind: 'pivot-group' },
});

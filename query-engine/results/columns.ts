/** Reading results inputs: column lists (`pivots="0,1"`), transforms by name, and a row's key columns. */
import { badInput } from './errors.js';
import { normalizeCell, pyInt, pyStr, pyStrip } from './python-values.js';
import { resolveTransform } from './transform-registry.js';
import type { Key, ResultsContext, ResultsVars, Scalar, Transform } from './types.js';

/** A results input as text (Python's `str()` of a typed value); `fallback` when it is not given. */
export function varText(vars: ResultsVars, name: string, fallback: string): string {
  const v = vars[name];
  return v === undefined ? fallback : pyStr(v);
}

/** A column list as GraphTool reads it (`int(i.strip())` per comma part), in the order listed. */
export function parseColumns(vars: ResultsVars, input: string, fallback: string): number[] {
  const text = varText(vars, input, fallback);
  return text.split(',').map((part) => {
    const n = pyInt(pyStrip(part));
    if (n === undefined || n < 0) throw badInput(input, `${JSON.stringify(text)} is not a comma-separated list of column indexes`, { value: text });
    return n;
  });
}

/** Refuses a column index the rows do not have (GraphTool raised IndexError or quietly lost the column). */
export function checkColumns(rows: readonly (readonly unknown[])[], cols: readonly number[], input: string): void {
  for (const row of rows) {
    const bad = cols.find((c) => c >= row.length);
    if (bad !== undefined) {
      throw badInput(input, `column ${bad} is out of range: the query returns ${row.length} column${row.length === 1 ? '' : 's'}`, {
        index: bad,
        columns: row.length,
      });
    }
  }
}

/** The normalised cell at a checked index. */
export function cellAt(row: readonly unknown[], col: number): Scalar {
  return normalizeCell(row[col]);
}

/**
 * GraphTool's `make_entry`: the key columns in ascending index order (each index once), passed
 * to the transform as its arguments.
 */
export function makeEntry(row: readonly unknown[], cols: readonly number[], transform: Transform, kw: ResultsVars, ctx: ResultsContext): Key {
  const ordered = [...new Set(cols)].sort((a, b) => a - b);
  return transform(
    ordered.map((c) => cellAt(row, c)),
    kw,
    ctx,
  );
}

/** The transform a results input names (`echo` when absent); an unknown name is the request's fault. */
export function transformInput(vars: ResultsVars, input: string): Transform {
  const name = varText(vars, input, 'echo');
  const transform = resolveTransform(name);
  if (!transform) throw badInput(input, `unknown transform ${JSON.stringify(name.trim())}`, { value: name });
  return transform;
}

/** GW's `table_parser`, kept as it behaved: it never filled its table, so the data is always empty. */
import type { ResultsFunction } from './types.js';

/**
 * `table_parser(columns=...)`: GW's loop built each row's dict and dropped it, returning an empty
 * list and its keyword arguments as metadata. We return the same: no entries, the inputs as metadata.
 */
export const tableParser: ResultsFunction = (_rows, vars) => {
  const { columns: _columns, ...metadata } = vars;
  return { data: { kind: 'complex-pivot', entries: [] }, metadata };
};

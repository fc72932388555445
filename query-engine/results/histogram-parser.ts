/** GraphTool's `histogram_parser`: one column's values counted into `nbins` equal bins (numpy.histogram). */
import { checkColumns, makeEntry, parseColumns, transformInput, varText } from './columns.js';
import { badInput, dataError } from './errors.js';
import { normalizeCell, pyFloat, pyInt } from './python-values.js';
import type { ResultsFunction, Scalar, Value } from './types.js';

/**
 * numpy's bin edges for `nbins` bins over [min, max] (widened by 0.5 each way when they are equal):
 * `i * step + min`, the last one exactly `max`.
 */
function binEdges(min: number, max: number, nbins: number): number[] {
  const [lo, hi] = min === max ? [min - 0.5, max + 0.5] : [min, max];
  const step = (hi - lo) / nbins;
  const edges = Array.from({ length: nbins + 1 }, (_, i) => i * step + lo);
  edges[nbins] = hi;
  return edges;
}

/** Bin counts as numpy 1.x counted them: `[e_i, e_i+1)`, the last bin closed on the right. */
function binCounts(values: readonly number[], edges: readonly number[]): number[] {
  const nbins = edges.length - 1;
  const counts = new Array<number>(nbins).fill(0);
  for (const v of values) {
    // The last edge at or below v (searchsorted), never past the last bin.
    let lo = 0;
    let hi = nbins - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((edges[mid] ?? 0) <= v) lo = mid;
      else hi = mid - 1;
    }
    counts[lo] = (counts[lo] ?? 0) + 1;
  }
  return counts;
}

function numeric(x: Value): number[] {
  const parts: Scalar[] = Array.isArray(x) ? x : [x];
  return parts.map((p) => {
    const f = pyFloat(p);
    if (f === undefined) throw dataError(`histogram_parser: cannot histogram ${JSON.stringify(p)}`, { value: p });
    return f;
  });
}

/**
 * `histogram_parser(results="0", nbins=10)`: `{left edge: count}` as a pivot result, with
 * `metadata.span` the bin width. `nbins=0` or no values gives no data; None values are skipped.
 * An empty `results` histograms every column of every row.
 */
export const histogramParser: ResultsFunction = (rows, vars, ctx) => {
  const metadata: Record<string, unknown> = { kind: 'pivot' };
  const resultsText = varText(vars, 'results', '0');
  const resultsCols = resultsText === '' ? undefined : parseColumns(vars, 'results', '0');
  const nbins = typeof vars.nbins === 'number' ? pyInt(vars.nbins) : pyInt(varText(vars, 'nbins', '10'));
  if (nbins === undefined) throw badInput('nbins', 'Unable to convert nbins argument into integer.', { value: vars.nbins });
  if (nbins === 0) return { data: { kind: 'pivot', entries: [] }, metadata };
  if (nbins < 0) throw badInput('nbins', '`bins` must be positive, when an integer', { value: nbins });
  if (resultsCols && resultsCols.length > 1) throw badInput('results', 'Unable to make multi-dimension histograms!');
  const dataTransform = transformInput(vars, 'data_transform');
  if (resultsCols) checkColumns(rows, resultsCols, 'results');
  const values: number[] = [];
  for (const row of rows) {
    const datum = resultsCols ? makeEntry(row, resultsCols, dataTransform, vars, ctx) : dataTransform([row.map(normalizeCell)], vars, ctx);
    if (datum !== null) values.push(...numeric(datum));
  }
  if (values.length === 0) return { data: { kind: 'pivot', entries: [] }, metadata };
  const min = values.reduce((a, b) => Math.min(a, b));
  const max = values.reduce((a, b) => Math.max(a, b));
  const edges = binEdges(min, max, nbins);
  const counts = binCounts(values, edges);
  metadata.span = (edges[1] ?? 0) - (edges[0] ?? 0);
  return { data: { kind: 'pivot', entries: counts.map((count, i) => ({ pivot: edges[i] ?? 0, value: count })) }, metadata };
};

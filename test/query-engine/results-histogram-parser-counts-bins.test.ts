/** histogram_parser: numpy's equal-width bins keyed by left edge, the last bin closed, span = bin width. */
import { describe, expect, it } from 'vitest';
import { AppError } from '../../common/index.js';
import { resolveResultsFunction, type ResultsContext } from '../../query-engine/results/index.js';

const ctx: ResultsContext = { ownership: [], now: new Date(0) };
const histogram = resolveResultsFunction('graphtool.database.query_handler', 'histogram_parser')!;

describe('histogram_parser', () => {
  it('counts values into nbins bins over [min, max], the maximum in the last bin', () => {
    const rows = [[1], ['2'], [2], [3], [4], [5], [null]];
    const out = histogram(rows, { nbins: '4' }, ctx);
    expect(out.metadata).toEqual({ kind: 'pivot', span: 1 });
    expect(out.data).toEqual({
      kind: 'pivot',
      entries: [
        { pivot: 1, value: 1 },
        { pivot: 2, value: 2 },
        { pivot: 3, value: 1 },
        { pivot: 4, value: 2 },
      ],
    });
  });

  it('widens a single value by 0.5 each way and defaults to 10 bins', () => {
    const narrow = histogram([[7], [7], [7]], { nbins: 2 }, ctx);
    expect(narrow.metadata.span).toBe(0.5);
    expect(narrow.data).toEqual({
      kind: 'pivot',
      entries: [
        { pivot: 6.5, value: 0 },
        { pivot: 7, value: 3 },
      ],
    });
    const ten = histogram([[0], [10]], {}, ctx);
    expect(ten.data.kind === 'pivot' && ten.data.entries.map((e) => e.value)).toEqual([1, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
  });

  it('reads the results column and applies data_transform to each value first', () => {
    const out = histogram([['x', 1.9], ['y', 1.2], ['z', 3.5]], { results: '1', nbins: 2, data_transform: 'make_int' }, ctx);
    expect(out.data).toEqual({
      kind: 'pivot',
      entries: [
        { pivot: 1, value: 2 },
        { pivot: 2, value: 1 },
      ],
    });
  });

  it('gives no data for nbins=0 or no values, and refuses bad nbins or several columns', () => {
    expect(histogram([[1]], { nbins: 0 }, ctx)).toEqual({ data: { kind: 'pivot', entries: [] }, metadata: { kind: 'pivot' } });
    expect(histogram([[null]], {}, ctx).data).toEqual({ kind: 'pivot', entries: [] });
    expect(() => histogram([[1]], { nbins: 'ten' }, ctx)).toThrow(AppError);
    expect(() => histogram([[1, 2]], { results: '0,1' }, ctx)).toThrow(/multi-dimension/);
    expect(() => histogram([[1]], { results: '3' }, ctx)).toThrow(/out of range/);
  });
});

/** simple_results_parser sums by pivot; complex_pivot_parser keeps one entry per row in row order. */
import { describe, expect, it } from 'vitest';
import { AppError } from '../../common/index.js';
import { keyString, resolveResultsFunction, type ResultsContext } from '../../query-engine/results/index.js';

const ctx: ResultsContext = { ownership: [], now: new Date(0) };
const simple = resolveResultsFunction('graphtool.database.query_handler', 'simple_results_parser')!;
const complex = resolveResultsFunction('graphtool.database.query_handler', 'complex_pivot_parser')!;

describe('simple_results_parser', () => {
  it('sums each pivot, drops zero pivots and keeps non-numeric text', () => {
    const out = simple(
      [
        ['cms', 1],
        ['cms', '2.5'],
        ['atlas', 0],
        ['ligo', 'n/a'],
      ],
      {},
      ctx,
    );
    expect(out.metadata.kind).toBe('pivot');
    expect(out.data).toEqual({
      kind: 'pivot',
      entries: [
        { pivot: 'cms', value: 3.5 },
        { pivot: 'ligo', value: 'n/a' },
      ],
    });
  });

  it('builds tuple pivots from several columns in ascending order and applies the transforms', () => {
    const out = simple(
      [
        [7.9, 'Nebraska', 'cms'],
        [2.2, 'Nebraska', 'cms'],
      ],
      { pivots: '2,1', results: '0', data_transform: 'make_int' },
      ctx,
    );
    expect(out.data.kind === 'pivot' && out.data.entries.map((e) => [keyString(e.pivot), e.value])).toEqual([["('Nebraska', 'cms')", 10]]);
  });

  it('refuses a results column the rows do not have', () => {
    expect(() => simple([['cms']], {}, ctx)).toThrow(AppError);
  });
});

describe('complex_pivot_parser', () => {
  it('keeps every non-zero row as its own (pivot, value) pair, in row order, without summing', () => {
    const out = complex(
      [
        ['cms', 3],
        ['atlas', 0],
        ['cms', 2],
        ['ligo', '1'],
      ],
      {},
      ctx,
    );
    expect(out.metadata.kind).toBe('complex-pivot');
    expect(out.data).toEqual({
      kind: 'complex-pivot',
      entries: [
        { pivot: 'cms', value: 3 },
        { pivot: 'cms', value: 2 },
        { pivot: 'ligo', value: 1 },
      ],
    });
  });

  it('drops rows whose pivot transform gives None', () => {
    const out = complex(
      [
        ['/CN=Jane Doe', 'Nebraska', 3],
        ['', 'Nebraska', 2],
      ],
      { pivots: '0,1', results: '2', pivot_transform: 'displayNameCommaSite' },
      ctx,
    );
    expect(out.data).toEqual({ kind: 'complex-pivot', entries: [{ pivot: 'JANE DOE , Nebraska', value: 3 }] });
  });
});

/** cumulative_pivot_group_parser and pivot_group_parser_plus: epoch groups, gaps filled at the minimum spacing. */
import { describe, expect, it } from 'vitest';
import { AppError } from '../../common/index.js';
import { keyString, resolveResultsFunction, type ResultData, type ResultsContext, type Value } from '../../query-engine/results/index.js';

const ctx: ResultsContext = { ownership: [], now: new Date(0) };
const cumulative = resolveResultsFunction('graphtool.database.query_handler', 'cumulative_pivot_group_parser')!;
const plus = resolveResultsFunction('graphtool.database.query_handler', 'pivot_group_parser_plus')!;
const vars = { pivots: '0', grouping: '1', results: '2' };

/** Each pivot's [group, value] pairs in output order. */
function series(data: ResultData): Record<string, [number, Value][]> {
  if (data.kind !== 'pivot-group') throw new Error(data.kind);
  return Object.fromEntries(data.pivots.map((p) => [keyString(p.pivot), p.groups.map((g): [number, Value] => [g.group as number, g.value])]));
}

// Groups 0..40: 30 only from the all-zero pivot, 40 from a zero row; they still shape the axis.
const rows = [
  ['cms', 0, 1],
  ['cms', 10, 2],
  ['cms', 40, 3],
  ['atlas', 20, 5],
  ['atlas', 40, 0],
  ['zero', 30, 0],
];

describe('cumulative_pivot_group_parser', () => {
  it('gives each pivot a running sum over the filled time axis and marks the result cumulative', () => {
    const out = cumulative(rows, vars, ctx);
    expect(out.metadata).toEqual({ kind: 'pivot-group', is_cumulative: true });
    expect(series(out.data)).toEqual({
      cms: [
        [0, 1],
        [10, 3],
        [20, 3],
        [30, 3],
        [40, 6],
      ],
      atlas: [
        [0, 0],
        [10, 0],
        [20, 5],
        [30, 5],
        [40, 5],
      ],
    });
  });

  it('steps by the minimum spacing from each group while below the next, even off the grid', () => {
    const out = cumulative(
      [
        ['a', 0, 1],
        ['a', 10, 1],
        ['a', 25, 1],
      ],
      vars,
      ctx,
    );
    expect(series(out.data)).toEqual({
      a: [
        [0, 1],
        [10, 2],
        [20, 2],
        [25, 3],
      ],
    });
  });

  it('turns date text and numeric text groups into epoch seconds', () => {
    const day = 86400;
    const out = cumulative(
      [
        ['a', '2016-06-28 00:00:00', 1],
        ['a', `${1467072000 + 2 * day}.000000`, 2],
        ['a', '07/01/16 00:00:00', 4],
      ],
      vars,
      ctx,
    );
    expect(series(out.data)).toEqual({
      a: [
        [1467072000, 1],
        [1467072000 + day, 1],
        [1467072000 + 2 * day, 3],
        [1467072000 + 3 * day, 7],
      ],
    });
  });

  it('refuses several results columns, which it cannot add up', () => {
    const err = (() => {
      try {
        cumulative([['a', 0, 1, 2]], { ...vars, results: '2,3' }, ctx);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).context.input).toBe('results');
  });

  it('gives an empty result without rows', () => {
    expect(cumulative([], vars, ctx).data).toEqual({ kind: 'pivot-group', pivots: [] });
  });
});

describe('pivot_group_parser_plus', () => {
  it('carries each pivot’s last value into filled and missing groups, and keeps zeros', () => {
    const out = plus(rows, vars, ctx);
    expect(out.metadata).toEqual({ kind: 'pivot-group' });
    expect(series(out.data)).toEqual({
      cms: [
        [0, 1],
        [10, 2],
        [20, 2],
        [30, 2],
        [40, 3],
      ],
      atlas: [
        [0, 0],
        [10, 0],
        [20, 5],
        [30, 5],
        [40, 0],
      ],
      zero: [
        [0, 0],
        [10, 0],
        [20, 0],
        [30, 0],
        [40, 0],
      ],
    });
  });

  it('sums duplicate rows before carrying, and applies data_transform last', () => {
    const out = plus(
      [
        ['a', 0, 1.5],
        ['a', 0, 1.75],
        ['a', 30, 0.5],
        ['b', 10, 1],
      ],
      { ...vars, data_transform: 'make_int' },
      ctx,
    );
    expect(series(out.data)).toEqual({
      a: [
        [0, 3],
        [10, 3],
        [20, 3],
        [30, 0],
      ],
      b: [
        [0, 0],
        [10, 1],
        [20, 1],
        [30, 1],
      ],
    });
  });

  it('spaces by the largest group when that is smaller than every difference', () => {
    const out = plus(
      [
        ['a', -20, 1],
        ['a', 5, 2],
      ],
      vars,
      ctx,
    );
    expect(series(out.data)).toEqual({
      a: [
        [-20, 1],
        [-15, 1],
        [-10, 1],
        [-5, 1],
        [0, 1],
        [5, 2],
      ],
    });
  });
});

/** results_parser_fillin: every pivot gets every group, missing ones filled by GW's neighbour scan or 0. */
import { describe, expect, it } from 'vitest';
import { keyString, resolveResultsFunction, type ResultData, type ResultsContext, type Value } from '../../query-engine/results/index.js';

const ctx: ResultsContext = { ownership: [], now: new Date(0) };
const fillin = resolveResultsFunction('gratia.database.query_handler', 'results_parser_fillin')!;

function series(data: ResultData): Record<string, [string, Value][]> {
  if (data.kind !== 'pivot-group') throw new Error(data.kind);
  return Object.fromEntries(data.pivots.map((p) => [keyString(p.pivot), p.groups.map((g): [string, Value] => [keyString(g.group), g.value])]));
}

describe('results_parser_fillin', () => {
  it('fills each pivot over the sorted groups of all pivots with the scan GW wrote', () => {
    const rows: unknown[][] = [];
    for (const g of [6, 5, 4, 3, 2, 1]) rows.push(['full', g, 1]);
    rows.push(['a', 1, 10], ['a', 2, 20], ['a', 4, 40]);
    rows.push(['c', 3, 7]);
    const out = fillin(rows, { pivots: '0', grouping: '1', results: '2' }, ctx);
    expect(out.metadata.kind).toBe('pivot-group');
    const s = series(out.data);
    expect(s.full).toEqual([1, 2, 3, 4, 5, 6].map((g) => [String(g), 1]));
    // Group 3: found 10 two back, so it looks ahead and takes 40; 5: 20 (nothing ahead); 6: 40.
    expect(s.a).toEqual([
      ['1', 10],
      ['2', 20],
      ['3', 40],
      ['4', 40],
      ['5', 20],
      ['6', 40],
    ]);
    // The scan skips the group just before: 4 never sees 3's value, 5 and 6 do.
    expect(s.c).toEqual([
      ['1', 0],
      ['2', 0],
      ['3', 7],
      ['4', 0],
      ['5', 7],
      ['6', 7],
    ]);
  });

  it('still suppresses zeros first, so a zero row is a missing group', () => {
    const out = fillin(
      [
        ['a', 1, 5],
        ['a', 2, 0],
        ['b', 2, 1],
      ],
      { pivots: '0', grouping: '1', results: '2' },
      ctx,
    );
    expect(series(out.data)).toEqual({
      a: [
        ['1', 5],
        ['2', 0],
      ],
      b: [
        ['1', 0],
        ['2', 1],
      ],
    });
  });
});

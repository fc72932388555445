/** GW's site_size_parser(2) smooth wall hours into a site size; table_parser returns its (always empty) table. */
import { describe, expect, it } from 'vitest';
import { AppError } from '../../common/index.js';
import { keyString, resolveResultsFunction, type ResultsContext } from '../../query-engine/results/index.js';

const ctx: ResultsContext = { ownership: [], now: new Date(0) };
const week = 604800;
// Wall hours per week: A averages 2 then 1 CPUs, B nothing then 3.
const rows = [
  ['A', 0, 336],
  ['A', week, 168],
  ['B', week, 504],
];
const vars = { pivots: '0', grouping: '1', results: '2', span: week };

describe('site_size_parser', () => {
  it('gives per interval the mean of two slots, each new average raising the smaller slot', () => {
    const out = resolveResultsFunction('gratia.database.metrics', 'site_size_parser')!(rows, vars, ctx);
    expect(out.metadata.kind).toBe('pivot-group');
    expect(out.data.kind === 'pivot-group' && out.data.pivots.map((p) => [keyString(p.pivot), p.groups.map((g) => [g.group, g.value])])).toEqual([
      [
        'A',
        [
          [0, 1],
          [week, 1.5],
        ],
      ],
      [
        'B',
        [
          [0, 0],
          [week, 1.5],
        ],
      ],
    ]);
  });

  it('site_size_parser2 keeps each site’s largest size as a pivot result', () => {
    const out = resolveResultsFunction('gratia.database.metrics', 'site_size_parser2')!(rows, vars, ctx);
    expect(out).toEqual({
      data: {
        kind: 'pivot',
        entries: [
          { pivot: 'A', value: 1.5 },
          { pivot: 'B', value: 1.5 },
        ],
      },
      metadata: { kind: 'pivot' },
    });
  });

  it('needs the span', () => {
    const parser = resolveResultsFunction('gratia.database.metrics', 'site_size_parser')!;
    expect(() => parser(rows, { pivots: '0', grouping: '1', results: '2' }, ctx)).toThrow(AppError);
  });
});

describe('table_parser', () => {
  it('returns no entries and its inputs as metadata, as GW’s did', () => {
    const out = resolveResultsFunction('gratia.database.query_handler', 'table_parser')!([['a', 1]], { columns: 'x, y', limit: 10 }, ctx);
    expect(out).toEqual({ data: { kind: 'complex-pivot', entries: [] }, metadata: { limit: 10 } });
  });
});

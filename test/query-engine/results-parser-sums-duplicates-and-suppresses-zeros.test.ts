/** results_parser: duplicate rows summed, columns in ascending order, tuples, zero suppression, dropped rows, bad inputs. */
import { describe, expect, it } from 'vitest';
import { keyString, resolveResultsFunction, type ResultData, type ResultsContext, type ResultsVars, type Value } from '../../query-engine/results/index.js';
import { caughtAppError } from '../support/app-error.js';

const ctx: ResultsContext = { ownership: [], now: new Date('2016-06-30T00:00:00Z') };
const resultsParser = resolveResultsFunction('graphtool.database.query_handler', 'results_parser')!;

/** The pivot-group data as `{str(pivot): {str(group): value}}`. */
function nested(data: ResultData): Record<string, Record<string, Value>> {
  if (data.kind !== 'pivot-group') throw new Error(`expected pivot-group, got ${data.kind}`);
  return Object.fromEntries(data.pivots.map((p) => [keyString(p.pivot), Object.fromEntries(p.groups.map((g) => [keyString(g.group), g.value]))]));
}

function run(rows: unknown[][], vars: ResultsVars = {}): Record<string, Record<string, Value>> {
  const out = resultsParser(rows, vars, ctx);
  expect(out.metadata.kind).toBe('pivot-group');
  return nested(out.data);
}

describe('results_parser', () => {
  it('sums duplicate (pivot, group) rows after converting numeric text to float', () => {
    const rows = [
      ['cms', 'Nebraska', 100, '5'],
      ['cms', 'Nebraska', 100, 2.5],
      ['cms', 'Nebraska', 200, ' 1e1 '],
      ['cms', 'BNL', 100, 4n],
    ];
    expect(run(rows)).toEqual({ "('cms', 'Nebraska')": { '100': 7.5, '200': 10 }, "('cms', 'BNL')": { '100': 4 } });
  });

  it('drops zero groups, then pivots left without groups', () => {
    const rows = [
      ['cms', 'Nebraska', 100, 3],
      ['cms', 'Nebraska', 200, 0],
      ['atlas', 'BNL', 100, 0],
      ['atlas', 'BNL', 200, '0'],
      ['ligo', 'CIT', 100, 2],
      ['ligo', 'CIT', 100, -2],
    ];
    expect(run(rows)).toEqual({ "('cms', 'Nebraska')": { '100': 3 } });
  });

  it('takes key columns in ascending index order, whatever order the input lists', () => {
    const rows = [[100, 'cms', 'Nebraska', 1]];
    const vars = { pivots: '2, 1', grouping: '0', results: '3', pivot_transform: 'comma_separeted_pivot_arr' };
    expect(run(rows, vars)).toEqual({ 'cms, Nebraska': { '100': 1 } });
    expect(run(rows, { pivots: ' 2,1 ', grouping: '0', results: '3' })).toEqual({ "('cms', 'Nebraska')": { '100': 1 } });
  });

  it('keeps several results columns as a tuple, summed element-wise, zero only when every element is', () => {
    const rows = [
      ['cms', 100, 1, 10],
      ['cms', 100, '2', 20],
      ['cms', 200, 0, 0],
      ['cms', 300, 0, 5],
    ];
    expect(run(rows, { pivots: '0', grouping: '1', results: '3,2' })).toEqual({ cms: { '100': [30, 3], '300': [5, 0] } });
  });

  it('concatenates non-numeric text with a newline and keeps a NULL sum as None', () => {
    const rows = [
      ['cms', 100, 'alpha'],
      ['cms', 100, 'beta'],
      ['cms', 200, 4],
      ['cms', 200, null],
    ];
    expect(run(rows, { pivots: '0', grouping: '1', results: '2' })).toEqual({ cms: { '100': 'alpha\nbeta', '200': null } });
  });

  it('fails like GraphTool when text must be added to a number', () => {
    const rows = [
      ['cms', 100, 4],
      ['cms', 100, 'beta'],
    ];
    expect(caughtAppError(() => run(rows, { pivots: '0', grouping: '1', results: '2' })).code).toBe('internal');
  });

  it('drops the rows whose pivot transform returns None', () => {
    const rows = [
      ['cms', 'unknown', 100, 1],
      ['cms', '', 100, 1],
      ['cms', 'Nebraska', 100, 2],
    ];
    expect(run(rows, { pivot_transform: 'comma_separeted_pivot_arr' })).toEqual({ 'cms, Nebraska': { '100': 2 } });
  });

  it('merges groups that make_int turns into the same epoch second, then applies data_transform to the sums', () => {
    const rows = [
      ['cms', 'Nebraska', '1467158400.000000', 2.5],
      ['cms', 'Nebraska', 1467158400, 2.75],
    ];
    const out = run(rows, { grouping_transform: 'make_int', data_transform: 'make_int' });
    expect(out).toEqual({ "('cms', 'Nebraska')": { '1467158400': 5 } });
  });

  it('refuses a column index outside the rows, naming the input', () => {
    const err = caughtAppError(() => run([['cms', 'Nebraska', 100, 1]], { pivots: '0,9' }));
    expect(err.code).toBe('bad_request');
    expect(err.context.input).toBe('pivots');
    expect(err.message).toContain('pivots');
    expect(caughtAppError(() => run([['cms', 100]], { pivots: '0', grouping: '1' })).context.input).toBe('results');
  });

  it('refuses a column list that is not integers, and an unknown transform, even without rows', () => {
    expect(caughtAppError(() => run([], { grouping: 'time' })).context.input).toBe('grouping');
    expect(caughtAppError(() => run([], { pivots: '' })).context.input).toBe('pivots');
    expect(caughtAppError(() => run([], { pivot_transform: 'make_time' })).context.input).toBe('pivot_transform');
    expect(run([])).toEqual({});
  });
});

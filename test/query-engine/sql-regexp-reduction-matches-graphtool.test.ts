/** GraphTool's mysql_util.reduce_regexp_usage: `.*` regexps become `true`, `w1|w2` regexps exact `IN` lists with bound parts. */
import { describe, expect, it } from 'vitest';
import type { TypedValue } from '../../query-engine/inputs/index.js';
import { renderSql } from '../../query-engine/sql/index.js';

const FAC = "(CASE R.ResourceType WHEN 'BatchPilot' THEN R.HostDescription WHEN 'Batch' THEN S.SiteName ELSE '' END)";
const vars = (v: Record<string, string>): Record<string, TypedValue> =>
  Object.fromEntries(Object.entries(v).map(([k, value]) => [k, { type: 'string' as const, value }]));
const reduce = (sql: string, v: Record<string, string>) => renderSql(sql, vars(v), 'sqlite');

describe('a value of exactly .*', () => {
  // Expected texts are GraphTool's own output for the same input, whitespace aside.
  it.each([
    ['a plain column', 'WHERE a=1 AND VO.VOName regexp :vo AND b=2', 'WHERE a=1 AND true AND b=2'],
    ['inside NOT (…)', 'WHERE a AND (NOT (VC.VOName regexp :vo)) AND b', 'WHERE a AND (NOT (true)) AND b'],
    ['the parenthesised CASE facility', `WHERE a=1 AND ${FAC} regexp :vo AND b=2`, 'WHERE a=1 AND true  AND b=2'],
    ['a function call, name and all', 'WHERE a=1 AND lower(R.HostDescription) regexp :vo AND b=2', 'WHERE a=1 AND true  AND b=2'],
    ['a function call inside NOT (…)', 'WHERE a AND (NOT (lower(x) regexp :vo)) AND b', 'WHERE a AND (NOT ( true )) AND b'],
    ['a block right after WHERE', 'SELECT 1 FROM t WHERE (x) regexp :vo AND b', 'SELECT 1 FROM t WHERE true  AND b'],
    ['a block after &&', 'WHERE a && f(x) regexp :vo', 'WHERE a && true '],
    ['a block glued to OR', 'WHERE a AND b OR(x) regexp :vo', 'WHERE a AND b OR true '],
    ['every use of the value', 'WHERE a regexp :vo OR b regexp :vo', 'WHERE true OR true'],
  ])('%s', (_name, sql, expected) => {
    expect(reduce(sql, { vo: '.*' })).toEqual({ sql: expected, params: [] });
  });

  it('leaves `not regexp` alone (GraphTool produced the broken `X true`)', () => {
    expect(reduce('WHERE x not regexp :vo', { vo: '.*' })).toEqual({ sql: 'WHERE x not regexp ?', params: ['.*'] });
  });

  it('leaves a block with no separator to its left alone', () => {
    expect(reduce('(x) regexp :vo', { vo: '.*' })).toEqual({ sql: '(x) regexp ?', params: ['.*'] });
  });
});

describe('a value of \\w+ words joined by |', () => {
  it('becomes an IN list with every part bound', () => {
    expect(reduce('WHERE a=1 AND VO.VOName regexp :vo AND b=2', { vo: 'cms|atlas' })).toEqual({
      sql: 'WHERE a=1 AND VO.VOName IN (?, ?) AND b=2',
      params: ['cms', 'atlas'],
    });
    expect(reduce(`WHERE (NOT (${FAC} regexp :ef))`, { ef: 'NONE|Generic|Obsolete' })).toEqual({
      sql: `WHERE (NOT (${FAC} IN (?, ?, ?)))`,
      params: ['NONE', 'Generic', 'Obsolete'],
    });
  });

  it('a single word is an exact match too', () => {
    expect(reduce('WHERE v regexp :vo', { vo: 'cms' })).toEqual({ sql: 'WHERE v IN (?)', params: ['cms'] });
  });

  it('keeps `not` in front of the IN list', () => {
    expect(reduce('WHERE x not regexp :vo', { vo: 'a|b' })).toEqual({ sql: 'WHERE x not IN (?, ?)', params: ['a', 'b'] });
  });

  it('keeps params in statement order around other binds', () => {
    expect(reduce('WHERE t >= :s AND v regexp :vo AND t < :e', { s: '1', vo: 'a|b', e: '2' })).toEqual({
      sql: 'WHERE t >= ? AND v IN (?, ?) AND t < ?',
      params: ['1', 'a', 'b', '2'],
    });
  });
});

describe('left as a regexp', () => {
  it.each([
    ['anchors', '^Batch$'],
    ['a dot', 'cms|at.las'],
    ['an empty part', 'cms|'],
    ['an empty value', ''],
    ['a partial match-all', '.*cms'],
    ['a space', 'cms atlas'],
    ['an injection attempt', "' OR '1'='1"],
    ['non-ASCII word characters', 'ünï'],
  ])('%s', (_name, value) => {
    expect(reduce('WHERE v regexp :vo', { vo: value })).toEqual({ sql: 'WHERE v regexp ?', params: [value] });
  });

  it('an uppercase REGEXP, a regexp with no space before the bind, and text inside literals', () => {
    expect(reduce("WHERE v REGEXP :vo AND w regexp:vo AND 'v regexp :vo' = x", { vo: '.*' })).toEqual({
      sql: "WHERE v REGEXP ? AND w regexp? AND 'v regexp :vo' = x",
      params: ['.*', '.*'],
    });
  });

  it('non-string values', () => {
    const r = renderSql('WHERE v regexp :n', { n: { type: 'int', value: 5 } }, 'sqlite');
    expect(r).toEqual({ sql: 'WHERE v regexp ?', params: [5] });
  });

  it('everything, when the reduction is turned off', () => {
    expect(renderSql('WHERE v regexp :a AND w regexp :b', vars({ a: '.*', b: 'x|y' }), 'mysql', { reduceRegexp: false })).toEqual({
      sql: 'WHERE v regexp ? AND w regexp ?',
      params: ['.*', 'x|y'],
    });
  });

  it('a fragment, which the reduction never sees', () => {
    const r = renderSql('WHERE v regexp :f', vars({ f: '.*' }), 'sqlite', { fragments: { f: { sql: '?', params: ['.*'] } } });
    expect(r).toEqual({ sql: 'WHERE v regexp ?', params: ['.*'] });
  });
});

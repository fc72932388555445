/** `:name` binds become `?` placeholders with their values as params; no value ever reaches the SQL text. */
import { describe, expect, it } from 'vitest';
import { AppError } from '../../common/index.js';
import type { TypedValue } from '../../query-engine/inputs/index.js';
import { lexSql, renderSql, stringLiteralValue } from '../../query-engine/sql/index.js';
import type { Backend } from '../../store/index.js';

const s = (value: string): TypedValue => ({ type: 'string', value });
const BACKENDS: Backend[] = ['sqlite', 'mysql'];
const raw = { reduceRegexp: false };

describe.each(BACKENDS)('renderSql on %s', (backend) => {
  it('binds names with dashes, and a reused name once per use', () => {
    const r = renderSql(
      'SELECT truncate(x/:span, 0)*:span FROM t WHERE (NOT (v regexp :exclude-vo)) AND a=:includeFailed',
      { span: { type: 'int', value: 3600 }, 'exclude-vo': s('other'), includeFailed: s('true') },
      backend,
      raw,
    );
    expect(r).toEqual({ sql: 'SELECT truncate(x/?, 0)*? FROM t WHERE (NOT (v regexp ?)) AND a=?', params: [3600, 3600, 'other', 'true'] });
  });

  it('binds datetimes as YYYY-MM-DD HH:MM:SS UTC text, booleans as 1/0, floats as numbers', () => {
    const r = renderSql(
      'WHERE EndTime >= :starttime AND ok = :flag AND h > :min_hours',
      { starttime: { type: 'datetime', value: new Date(Date.UTC(2016, 5, 13, 7, 8, 9, 500)) }, flag: { type: 'bool', value: true }, min_hours: { type: 'float', value: 10 } },
      backend,
    );
    expect(r).toEqual({ sql: 'WHERE EndTime >= ? AND ok = ? AND h > ?', params: ['2016-06-13 07:08:09', 1, 10] });
  });

  it('leaves :x inside string literals, identifiers and comments alone, and ignores :: and :=', () => {
    const sql = `SELECT 'a :vo b', "it's :vo", 'it''s :vo', 'esc \\' :vo', \`:vo\`, x::int, @n := 1 -- :vo\n# :vo\n/* :vo */ FROM t WHERE v = :vo`;
    const r = renderSql(sql, { vo: s('cms') }, backend);
    expect(r.params).toEqual(['cms']);
    expect(r.sql).toBe(sql.replace(/= :vo$/, '= ?'));
  });

  it('reads :endtime-:span as two binds, a trailing dash being minus', () => {
    const r = renderSql('WHERE t < :endtime-:span AND u > :starttime- 5', { endtime: s('e'), span: s('s'), starttime: s('b') }, backend);
    expect(r).toEqual({ sql: 'WHERE t < ?-? AND u > ?- 5', params: ['e', 's', 'b'] });
  });

  it('renders a template lexed once, many times, as it renders the text', () => {
    const sql = "SELECT 'x?', v FROM t WHERE v regexp :vo AND w = :vo";
    const tokens = lexSql(sql);
    for (const vo of ['cms|atlas', '.*', 'u.*']) {
      expect(renderSql(tokens, { vo: s(vo) }, backend)).toEqual(renderSql(sql, { vo: s(vo) }, backend));
    }
    expect(tokens).toEqual(lexSql(sql));
  });

  it('turns %% into %, in code and in literals, as MySQLdb formatting did', () => {
    const r = renderSql('SELECT unix_timestamp(date_format(EndTime, "%%Y-%%m-01 00:00:00")), 7 %% 3, :span', { span: { type: 'int', value: 1 } }, backend);
    expect(r).toEqual({ sql: 'SELECT unix_timestamp(date_format(EndTime, "%Y-%m-01 00:00:00")), 7 % 3, ?', params: [1] });
  });

  it('a bind with no value is a 400 naming it', () => {
    let err: unknown;
    try {
      renderSql('WHERE a = :vo AND b = :exclude-vo', { vo: s('cms') }, backend);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('bad_request');
    expect((err as AppError).message).toBe('the query needs a value for ":exclude-vo", which is not one of its sql inputs');
  });

  it('never splices a value: injection strings only ever appear as params', () => {
    const attacks = ["'; DROP TABLE VO; --", "' OR '1'='1", "\\' OR 1=1 #", ':starttime', '%s', '?', '%%', '*/ OR 1=1 /*'];
    for (const attack of attacks) {
      const r = renderSql("SELECT * FROM VO WHERE VOName = :vo AND x = ':vo' AND y = :starttime", { vo: s(attack), starttime: s('t') }, backend, raw);
      expect(r.sql).toBe("SELECT * FROM VO WHERE VOName = ? AND x = ':vo' AND y = ?");
      expect(r.params).toEqual([attack, 't']);
    }
  });

  it('splices fragments with their own params, in order', () => {
    const r = renderSql(
      'WHERE a = :x AND :opportunistic-filter AND b = :x',
      { x: s('1'), 'opportunistic-filter': s('OWNED') },
      backend,
      { fragments: { 'opportunistic-filter': { sql: '(R.VOcorrid IN (?, ?))', params: [3, 4] } } },
    );
    expect(r).toEqual({ sql: 'WHERE a = ? AND (R.VOcorrid IN (?, ?)) AND b = ?', params: ['1', 3, 4, '1'] });
  });

  it('refuses a fragment whose placeholders and values disagree', () => {
    expect(() => renderSql(':f', {}, backend, { fragments: { f: { sql: '(?, ?)', params: [1] } } })).toThrow(/has 2 placeholders but 1 values/);
  });

  it('refuses a bare ? in the SQL: binds are written :name', () => {
    let err: unknown;
    try {
      renderSql('SELECT * FROM t WHERE a = ?', {}, backend);
    } catch (e) {
      err = e;
    }
    expect((err as AppError).code).toBe('config');
  });
});

describe('a ? inside a literal', () => {
  it('stays a literal on SQLite', () => {
    expect(renderSql("SELECT 'why?' /* ok? */, :a", { a: s('x') }, 'sqlite')).toEqual({ sql: "SELECT 'why?' /* ok? */, ?", params: ['x'] });
  });

  it('is bound as a value on MySQL, whose driver would take it for a placeholder', () => {
    expect(renderSql("SELECT 'why?' /* ok? */, :a, \"it\\\"s?\"", { a: s('x') }, 'mysql')).toEqual({
      sql: 'SELECT ?  , ?, ?',
      params: ['why?', 'x', 'it"s?'],
    });
  });
});

describe('lexSql and stringLiteralValue', () => {
  it('round-trips the text and finds only real binds', () => {
    const sql = "a:b ::c 'x:y' :d-e- (:f) `:g` 12:30";
    const tokens = lexSql(sql);
    expect(tokens.map((t) => t.text).join('')).toBe(sql);
    expect(tokens.filter((t) => t.kind === 'bind').map((t) => (t.kind === 'bind' ? t.name : ''))).toEqual(['b', 'd-e', 'f']);
  });

  it('resolves MySQL escapes', () => {
    expect(stringLiteralValue("'it''s'")).toBe("it's");
    expect(stringLiteralValue('"a\\"b\\n\\%"')).toBe('a"b\n\\%');
  });
});

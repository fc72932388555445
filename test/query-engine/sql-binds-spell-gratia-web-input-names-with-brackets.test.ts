/**
 * Gratia-web's transfer queries declare `transfer_direction(in|out|both)` and write `:transfer_direction(in|out|both)`:
 * GraphTool bound any declared name followed by whitespace or one of `()!=&|,`, so the lexer takes a declared name whole.
 */
import { describe, expect, it } from 'vitest';
import { lexSql, renderSql } from '../../query-engine/sql/index.js';

const NAME = 'transfer_direction(in|out|both)';
const SQL = `WHERE (UPPER(TRIM(:${NAME})) = 'IN' AND R.isNew = 1) OR :${NAME}='BOTH' OR :span>0`;

describe('binds of declared names a plain bind cannot spell', () => {
  it('are one bind each, with the declared name, and the plain binds beside them stay as they were', () => {
    const binds = lexSql(SQL, [NAME, 'span']).filter((t) => t.kind === 'bind').map((t) => (t.kind === 'bind' ? t.name : ''));
    expect(binds).toEqual([NAME, NAME, 'span']);
  });

  it('without the declaration the text lexes as before (a bind "transfer_direction" and brackets)', () => {
    const binds = lexSql(SQL).filter((t) => t.kind === 'bind').map((t) => (t.kind === 'bind' ? t.name : ''));
    expect(binds).toEqual(['transfer_direction', 'transfer_direction', 'span']);
  });

  it('needs what GraphTool needed after the name: `:transfer_direction(in|out|both)x` is not that bind', () => {
    const binds = lexSql(`a = :${NAME}x`, [NAME]).filter((t) => t.kind === 'bind').map((t) => (t.kind === 'bind' ? t.name : ''));
    expect(binds).toEqual(['transfer_direction']);
  });

  it('render as placeholders with the value bound, never spliced', () => {
    const tokens = lexSql(SQL, [NAME, 'span']);
    const r = renderSql(tokens, { [NAME]: { type: 'string', value: "BOTH' OR 1=1 --" }, span: { type: 'int', value: 3600 } }, 'mysql', { reduceRegexp: false });
    expect(r.sql).toBe("WHERE (UPPER(TRIM(?)) = 'IN' AND R.isNew = 1) OR ?='BOTH' OR ?>0");
    expect(r.params).toEqual(["BOTH' OR 1=1 --", "BOTH' OR 1=1 --", 3600]);
  });
});

/** Unit: the MySQL-to-SQLite statement rewrite changes MySQL-only syntax and nothing inside strings, comments or names. */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { translateMySql } from '../../store/sqlite/translate.js';

/** Runs translated SQL on a bare SQLite connection (no emulated functions), to check what it means there. */
function sqliteValue(mysqlExpr: string): unknown {
  const db = new Database(':memory:');
  try {
    return db.prepare(translateMySql(`SELECT ${mysqlExpr} AS v`)).get();
  } finally {
    db.close();
  }
}

describe('translateMySql', () => {
  it.each([
    ['double-quoted strings become single-quoted', `SELECT "OneVM"`, `SELECT 'OneVM'`],
    ['a single quote inside a double-quoted string is doubled', `SELECT "it's"`, `SELECT 'it''s'`],
    ['a doubled quote inside a string stays one quote', `SELECT 'it''s', "say ""hi"""`, `SELECT 'it''s', 'say "hi"'`],
    ['backslash escapes are resolved', `SELECT 'a\\'b', "c\\"d", 'e\\\\f'`, `SELECT 'a''b', 'c"d', 'e\\f'`],
    ['\\n and \\t become the characters', `SELECT 'x\\ny\\tz'`, `SELECT 'x\ny\tz'`],
    ['\\% and \\_ keep their backslash for LIKE', `SELECT 'a\\%b\\_c'`, `SELECT 'a\\%b\\_c'`],
    ['/ becomes decimal division', `SELECT sum(WallDuration)/3600`, `SELECT sum(WallDuration) * 1.0 /3600`],
    ['|| becomes OR', `WHERE a = 1 || b = 2`, `WHERE a = 1  OR  b = 2`],
    ['&& becomes AND', `WHERE a = 1 && b = 2`, `WHERE a = 1  AND  b = 2`],
    ['<=> becomes IS', `WHERE a <=> NULL`, `WHERE a  IS  NULL`],
    ['# comments become -- comments', `SELECT 1 # one\nFROM t`, `SELECT 1 -- one\nFROM t`],
    ['/* */ comments are kept, with their slashes', `SELECT /* a/b || c */ 1`, `SELECT /* a/b || c */ 1`],
    ['-- comments are kept verbatim', `SELECT 1 -- a/b "x" || y\nFROM t`, `SELECT 1 -- a/b "x" || y\nFROM t`],
    ['--1 without a space is not a comment', `SELECT 5--1`, `SELECT 5--1`],
    ['backtick names are kept, / and all', '`a/b` || `c"d`', '`a/b`  OR  `c"d`'],
    ['operators inside strings are text', `SELECT 'a/b || c && d <=> e # f', "x/y"`, `SELECT 'a/b || c && d <=> e # f', 'x/y'`],
    ['placeholders are kept', `WHERE a REGEXP ? AND b < ?`, `WHERE a REGEXP ? AND b < ?`],
    ['a ? inside a string is text', `SELECT '?' , ?`, `SELECT '?' , ?`],
    ['FORCE INDEX is dropped', 'FROM MasterSummaryData R FORCE INDEX (index02) WHERE', 'FROM MasterSummaryData R   WHERE'],
    ['USE KEY FOR GROUP BY is dropped', 'FROM t use key for group by (a, b) JOIN u', 'FROM t   JOIN u'],
    ['IGNORE INDEX FOR ORDER BY with an empty list is dropped', 'FROM t IGNORE INDEX FOR ORDER BY () ORDER BY x', 'FROM t   ORDER BY x'],
    ['a column named use, force or ignore is kept', 'SELECT use, force FROM t WHERE ignore = 1', 'SELECT use, force FROM t WHERE ignore = 1'],
    ['an index hint inside a string is text', `SELECT 'FORCE INDEX (a)'`, `SELECT 'FORCE INDEX (a)'`],
    ['DATE_SUB(d, INTERVAL n unit) calls date_sub', 'SELECT DATE_SUB(date, INTERVAL 5 HOUR) FROM se_info', "SELECT date_sub(date, (5), 'HOUR') FROM se_info"],
    ['an interval expression runs to its unit', 'WHERE DATE_ADD(starttime, INTERVAL 24+6 HOUR) >= ?', "WHERE date_add(starttime, (24+6), 'HOUR') >= ?"],
    ['a bound interval amount stays bound', 'WHERE s > DATE_SUB(CURDATE(), INTERVAL ? DAY)', "WHERE s > date_sub(CURDATE(), (?), 'DAY')"],
    ['call - INTERVAL takes the call as the date', 'EndTime >= curdate() - INTERVAL 5 DAY AND x', "EndTime >= date_sub(curdate(), (5), 'DAY') AND x"],
    ['name + INTERVAL takes the qualified name', 'J.EndTime + interval 1 month', "date_add(J.EndTime, (1), 'MONTH')"],
    ['a parenthesis - INTERVAL takes the parenthesis', '(a + b) - INTERVAL (2*3) MINUTE', "date_sub((a + b), ((2*3)), 'MINUTE')"],
    ['an interval without a MySQL unit is left for SQLite to refuse, as MySQL does', 'WHERE t < ? + INTERVAL ? seconds', 'WHERE t < ? + INTERVAL ? seconds'],
    ['INTERVAL inside a string or a name is text', "SELECT 'x - INTERVAL 5 DAY', `interval` FROM t", "SELECT 'x - INTERVAL 5 DAY', `interval` FROM t"],
  ])('%s', (_, mysql, sqlite) => {
    expect(translateMySql(mysql)).toBe(sqlite);
  });

  it('leaves statements without MySQL-only syntax unchanged', () => {
    const sql = "SELECT VOName, count(*) AS n FROM VO WHERE VOName LIKE 'c%' AND n >= ? GROUP BY VOName ORDER BY n DESC";
    expect(translateMySql(sql)).toBe(sql);
  });

  it('gives the rewritten statement MySQL\'s meaning on plain SQLite', () => {
    expect(sqliteValue('7/2')).toEqual({ v: 3.5 });
    expect(sqliteValue('0 || 1')).toEqual({ v: 1 });
    expect(sqliteValue('1 && 0')).toEqual({ v: 0 });
    expect(sqliteValue('NULL <=> NULL')).toEqual({ v: 1 });
    expect(sqliteValue('"double" # trailing comment\n')).toEqual({ v: 'double' });
  });
});

/** Rewrites MySQL statement text so it means the same on SQLite (the parts functions cannot emulate). */
import { rewriteIntervals } from './interval.js';

/** `{USE|FORCE|IGNORE} {INDEX|KEY} [FOR {JOIN|ORDER BY|GROUP BY}] (index, ...)`, from its first word. */
const INDEX_HINT = /^(?:FORCE|USE|IGNORE)\s+(?:INDEX|KEY)(?:\s+FOR\s+(?:JOIN|ORDER\s+BY|GROUP\s+BY))?\s*\([^()]*\)/i;

/**
 * What changes, token by token, outside comments and identifiers:
 * - `"text"` and `'text'` are MySQL string literals (MySQL's default sql_mode): both become
 *   SQLite `'text'`, with MySQL's backslash escapes resolved;
 * - `/` is MySQL's decimal division: `a / b` becomes `a * 1.0 / b`, so two integers do not divide as integers;
 * - `||` and `&&` are MySQL's OR and AND; `<=>` is null-safe equality, SQLite's `IS`;
 * - `#` comments become `--` comments;
 * - `col REGEXP x` on a case-sensitive (binary) column becomes `col MATCH x`, which SQLite runs through the
 *   case-sensitive `match()` function, as MariaDB matches binary strings; `RLIKE` is REGEXP's synonym;
 * - index hints (`FORCE INDEX (i)`, `USE KEY FOR GROUP BY (i)`, `IGNORE INDEX (i)`) are dropped: SQLite plans alone;
 * - `DATE_ADD(d, INTERVAL n unit)`, `DATE_SUB(...)` and `d ± INTERVAL n unit` call the emulated `date_add`/`date_sub`
 *   (see interval.ts).
 * Everything else (backtick identifiers, `?` placeholders, functions) passes through unchanged.
 *
 * @param caseSensitiveColumns lower-cased names of the binary text columns (Gratia's VO names, for example)
 */
export function translateMySql(sql: string, caseSensitiveColumns: ReadonlySet<string> = new Set()): string {
  let out = '';
  let i = 0;
  const n = sql.length;
  // The column named just before (only blanks, NOT or a qualifying '.' since): what a REGEXP applies to.
  let column: string | undefined;
  while (i < n) {
    const c = sql[i]!;
    const next = sql[i + 1];
    if (/[A-Za-z_]/.test(c)) {
      let j = i + 1;
      while (j < n && /[\w$]/.test(sql[j]!)) j++;
      const word = sql.slice(i, j);
      const upper = word.toUpperCase();
      const hint = upper === 'FORCE' || upper === 'USE' || upper === 'IGNORE' ? INDEX_HINT.exec(sql.slice(i)) : null;
      if (hint) {
        // MySQL's optimizer hints: SQLite plans on its own, so the hint goes (INDEXED BY would fail on a missing index).
        out += ' ';
        i += hint[0].length;
        continue;
      }
      if (upper === 'REGEXP' || upper === 'RLIKE') {
        out += column !== undefined && caseSensitiveColumns.has(column) ? 'MATCH' : 'REGEXP';
        column = undefined;
      } else {
        out += word;
        if (upper !== 'NOT') column = word.toLowerCase();
      }
      i = j;
      continue;
    }
    if (c === '`') {
      const end = sql.indexOf('`', i + 1);
      const stop = end < 0 ? n : end + 1;
      out += sql.slice(i, stop);
      column = sql.slice(i + 1, end < 0 ? n : end).toLowerCase();
      i = stop;
      continue;
    }
    if (!/\s/.test(c) && c !== '.') column = undefined;
    if (c === "'" || c === '"') {
      const [text, end] = readMySqlString(sql, i);
      out += "'" + text.replace(/'/g, "''") + "'";
      i = end;
    } else if (c === '-' && next === '-' && (i + 2 >= n || /\s/.test(sql[i + 2]!))) {
      const stop = lineEnd(sql, i);
      out += sql.slice(i, stop);
      i = stop;
    } else if (c === '#') {
      const stop = lineEnd(sql, i);
      out += '--' + sql.slice(i + 1, stop);
      i = stop;
    } else if (c === '/' && next === '*') {
      const end = sql.indexOf('*/', i + 2);
      const stop = end < 0 ? n : end + 2;
      out += sql.slice(i, stop);
      i = stop;
    } else if (c === '/') {
      out += ' * 1.0 /';
      i += 1;
    } else if (c === '|' && next === '|') {
      out += ' OR ';
      i += 2;
    } else if (c === '&' && next === '&') {
      out += ' AND ';
      i += 2;
    } else if (c === '<' && next === '=' && sql[i + 2] === '>') {
      out += ' IS ';
      i += 3;
    } else {
      out += c;
      i += 1;
    }
  }
  return rewriteIntervals(out);
}

function lineEnd(sql: string, from: number): number {
  const end = sql.indexOf('\n', from);
  return end < 0 ? sql.length : end;
}

const ESCAPES: Record<string, string> = { '0': '\0', b: '\b', n: '\n', r: '\r', t: '\t', Z: '\x1a' };

/** Reads a MySQL string literal starting at `start` (a quote); returns its value and the index after it. */
function readMySqlString(sql: string, start: number): [string, number] {
  const quote = sql[start]!;
  let value = '';
  let i = start + 1;
  while (i < sql.length) {
    const c = sql[i]!;
    if (c === '\\' && i + 1 < sql.length) {
      const e = sql[i + 1]!;
      // MySQL keeps the backslash before % and _ so LIKE patterns still see it.
      value += e === '%' || e === '_' ? '\\' + e : (ESCAPES[e] ?? e);
      i += 2;
    } else if (c === quote && sql[i + 1] === quote) {
      value += quote;
      i += 2;
    } else if (c === quote) {
      return [value, i + 1];
    } else {
      value += c;
      i += 1;
    }
  }
  return [value, sql.length];
}

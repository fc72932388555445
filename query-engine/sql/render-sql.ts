/** Turns filled GraphTool SQL with `:name` binds into driver SQL with `?` placeholders; values are only ever bound. */
import { AppError } from '../../common/index.js';
import { checkMySqlRegexp, type Backend, type SqlValue } from '../../store/index.js';
import { toSqlValue, type TypedValue } from '../inputs/index.js';
import { reduceRegexpUsage, type RenderToken } from './regexp-reduction.js';
import type { SqlFragment } from './sql-fragment.js';
import { lexSql, stringLiteralValue, type SqlToken } from './sql-lexer.js';

/** Statement text for the store, and the values of its `?` placeholders in order. */
export interface RenderedSql {
  sql: string;
  params: SqlValue[];
}

export interface RenderOptions {
  /**
   * Binds replaced by generated SQL instead of a value, e.g. `{'opportunistic-filter': buildOpportunisticFilter(…)}`
   * (GraphTool's dynamic SQL hook). A fragment is spliced after the regexp reduction, which never sees it.
   */
  fragments?: Readonly<Record<string, SqlFragment>>;
  /** GraphTool's MySQL regexp reduction (default true; applied on both backends so they return the same rows). */
  reduceRegexp?: boolean;
}

/** MySQLdb %-formatted the statement, so GraphTool SQL writes a literal `%` as `%%`. */
const unescapePercent = (text: string): string => text.replaceAll('%%', '%');

/** Whether the bind at `k` is the pattern of a `REGEXP`/`RLIKE` (any case; blanks, comments and `(` may come between). */
function isRegexpPattern(tokens: readonly RenderToken[], k: number): boolean {
  for (let j = k - 1; j >= 0; j -= 1) {
    const t = tokens[j]!;
    if (t.kind === 'ws' || t.kind === 'comment' || t.kind === 'lparen') continue;
    return t.kind === 'word' && REGEXP_OPERATORS.has(t.text.toLowerCase());
  }
  return false;
}

const REGEXP_OPERATORS = new Set(['regexp', 'rlike']);

function countPlaceholders(sql: string): number {
  return lexSql(sql).reduce((n, t) => n + (t.kind === 'word' ? [...t.text].filter((c) => c === '?').length : 0), 0);
}

/**
 * Renders `template` (a filled template, or its tokens from `lexSql` so a query lexes its SQL once) for `backend`:
 * 1. `:name` binds are found outside literals and comments (see `lexSql`); names may contain `-`;
 * 2. fragments replace their binds; then GraphTool's regexp reduction runs (unless disabled);
 * 3. each remaining bind becomes `?` with its value from `sqlVars` (datetimes as `YYYY-MM-DD HH:MM:SS` UTC,
 *    booleans as 1/0); a bind used twice is bound twice. A bind with no value is `AppError('bad_request')`, and
 *    so is the pattern of a `REGEXP`/`RLIKE` that RE2 refuses (see `checkMySqlRegexp`);
 * 4. `%%` becomes `%`, on both backends, as GraphTool's MySQL path did.
 * On MySQL the driver formats `?` client-side and would also see a `?` inside a string literal, so such a
 * literal is bound as a value and such a comment dropped; a bare `?` in the SQL is a config error.
 */
export function renderSql(
  template: string | readonly SqlToken[],
  sqlVars: Readonly<Record<string, TypedValue>>,
  backend: Backend,
  options: RenderOptions = {},
): RenderedSql {
  const fragments = options.fragments ?? {};
  let tokens: RenderToken[] = (typeof template === 'string' ? lexSql(template) : template).map((t) => {
    if (t.kind !== 'bind' || !Object.hasOwn(fragments, t.name)) return t;
    return { kind: 'fragment', text: t.text, name: t.name, fragment: fragments[t.name]! };
  });
  if (options.reduceRegexp !== false) tokens = reduceRegexpUsage(tokens, sqlVars);

  let sql = '';
  const params: SqlValue[] = [];
  for (const [k, t] of tokens.entries()) {
    switch (t.kind) {
      case 'bind': {
        const value = Object.hasOwn(sqlVars, t.name) ? sqlVars[t.name] : undefined;
        if (value === undefined) {
          throw new AppError('bad_request', `the query needs a value for ":${t.name}", which is not one of its sql inputs`, { bind: t.name });
        }
        // Before any SQL runs, on both backends: MariaDB's PCRE never gets a pattern SQLite's RE2 would refuse.
        if (value.type === 'string' && isRegexpPattern(tokens, k)) checkMySqlRegexp(value.value, t.name);
        sql += '?';
        params.push(toSqlValue(value));
        break;
      }
      case 'param':
        sql += '?';
        params.push(t.value);
        break;
      case 'fragment': {
        const expected = countPlaceholders(t.fragment.sql);
        if (expected !== t.fragment.params.length) {
          throw new AppError('internal', `the SQL for ":${t.name}" has ${expected} placeholders but ${t.fragment.params.length} values`);
        }
        sql += t.fragment.sql;
        params.push(...t.fragment.params);
        break;
      }
      case 'string': {
        const text = unescapePercent(t.text);
        if (backend === 'mysql' && text.includes('?')) {
          sql += '?';
          params.push(stringLiteralValue(text));
        } else {
          sql += text;
        }
        break;
      }
      case 'comment':
        sql += backend === 'mysql' && t.text.includes('?') ? ' ' : unescapePercent(t.text);
        break;
      default: {
        const text = unescapePercent(t.text);
        if (text.includes('?')) {
          throw new AppError('config', `the query's SQL has a "?" outside a string literal ("${text}"); write bind variables as :name`);
        }
        sql += text;
      }
    }
  }
  return { sql, params };
}

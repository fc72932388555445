/**
 * MySQL's reading of a GROUP BY or ORDER BY name that is ambiguous among the joined tables but names a select item:
 * MariaDB takes the select item (Gratia-web's `rsv_metric_quality` selects `OIMM.name as name` over tables that
 * each have a `name` and groups `by name`); SQLite refuses the name as ambiguous. Only then is the statement prepared
 * again with those items as the select item's position, so a name that is one table's column keeps meaning the
 * column, as on MariaDB.
 */
import type Database from 'better-sqlite3';
import { tokenize, type Token } from './interval.js';

const AMBIGUOUS = /^ambiguous column name: (\w+)$/;
const CLAUSE_END = new Set(['HAVING', 'ORDER', 'LIMIT', 'UNION', 'WINDOW']);

const word = (t: Token | undefined, w: string) => t !== undefined && t.kind === 'word' && t.text.toUpperCase() === w;

/**
 * The names of the select list's items, lower-cased, in order: the alias of `expr AS alias`, the column of a bare or
 * qualified column (`M.name`), as MariaDB names result columns; undefined for other expressions.
 */
function aliases(tokens: readonly Token[], from: number, to: number): (string | undefined)[] {
  const out: (string | undefined)[] = [];
  let depth = 0;
  let item: Token[] = [];
  const flush = () => {
    const sig = item.filter((t) => t.kind !== 'space');
    const last = sig[sig.length - 1];
    const named = sig.length >= 3 && word(sig[sig.length - 2], 'AS');
    const column = sig.length === 1 || (sig.length >= 3 && sig[sig.length - 2]!.text === '.' && sig.every((t, k) => (k % 2 ? t.text === '.' : t.kind !== 'other' || t.text.startsWith('`'))));
    out.push(last && (named || column) ? last.text.replace(/^`|`$/g, '').toLowerCase() : undefined);
    item = [];
  };
  for (let i = from; i < to; i++) {
    const t = tokens[i]!;
    if (t.text === '(') depth++;
    else if (t.text === ')') depth--;
    if (depth === 0 && t.text === ',') flush();
    else item.push(t);
  }
  flush();
  return out;
}

/** `sql` with each bare GROUP BY and ORDER BY item `name` that names an item of its own SELECT replaced by that item's position. */
export function groupByAliasAsPosition(sql: string, name: string): string {
  const tokens = tokenize(sql);
  const want = name.toLowerCase();
  const depthAt: number[] = [];
  let depth = 0;
  for (const t of tokens) {
    if (t.text === ')') depth--;
    depthAt.push(depth);
    if (t.text === '(') depth++;
  }
  let changed = false;
  for (let g = 0; g < tokens.length; g++) {
    if (!word(tokens[g], 'GROUP') && !word(tokens[g], 'ORDER')) continue;
    let by = g + 1;
    while (tokens[by]?.kind === 'space') by++;
    if (!word(tokens[by], 'BY')) continue;
    const d = depthAt[g]!;
    // This level's SELECT and FROM: the nearest before GROUP at the same depth.
    let select = -1;
    let from = -1;
    for (let i = g - 1; i >= 0 && depthAt[i]! >= d; i--) {
      if (depthAt[i] !== d) continue;
      if (word(tokens[i], 'FROM')) from = i;
      if (word(tokens[i], 'SELECT')) { select = i; break; }
    }
    if (select < 0 || from < 0) continue;
    const names = aliases(tokens, select + 1, from);
    const position = names.indexOf(want) + 1;
    if (position === 0) continue;
    // The GROUP BY items: to the clause's end at this depth.
    let start = by + 1;
    for (let i = by + 1; i <= tokens.length; i++) {
      const t = tokens[i];
      const end = t === undefined || depthAt[i]! < d || (depthAt[i] === d && (t.text === ',' || t.text === ';' || (t.kind === 'word' && CLAUSE_END.has(t.text.toUpperCase()))));
      if (!end) continue;
      const sig = tokens.slice(start, i).map((x, k) => [x, start + k] as const).filter(([x]) => x.kind !== 'space');
      const direction = sig.length === 2 && (word(sig[1]![0], 'ASC') || word(sig[1]![0], 'DESC'));
      if ((sig.length === 1 || direction) && sig[0]![0].kind === 'word' && sig[0]![0].text.toLowerCase() === want) {
        tokens[sig[0]![1]] = { kind: 'other', text: String(position) };
        changed = true;
      }
      if (t === undefined || t.text !== ',') break;
      start = i + 1;
    }
  }
  return changed ? tokens.map((t) => t.text).join('') : sql;
}

/** Prepares translated SQL; a GROUP BY name SQLite finds ambiguous is tried once more as the select alias it names. */
export function prepareTranslated(db: Database.Database, sql: string): Database.Statement {
  try {
    return db.prepare(sql);
  } catch (err) {
    const name = err instanceof Error ? AMBIGUOUS.exec(err.message)?.[1] : undefined;
    const retry = name === undefined ? sql : groupByAliasAsPosition(sql, name);
    if (retry === sql) throw err;
    return db.prepare(retry);
  }
}

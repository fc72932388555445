/** GraphTool's `mysql_util.reduce_regexp_usage`: a `.*` regexp becomes `true`, a `w1|w2` regexp an `IN` list. */
import { checkMySqlRegexp, type SqlValue } from '../../store/index.js';
import type { TypedValue } from '../inputs/index.js';
import type { SqlToken } from './sql-lexer.js';
import type { SqlFragment } from './sql-fragment.js';

/** A token while rendering: lexed text, a value already bound (an `IN` list part), or a spliced fragment. */
export type RenderToken =
  | SqlToken
  | { kind: 'param'; text: '?'; value: SqlValue }
  | { kind: 'fragment'; text: string; name: string; fragment: SqlFragment };

const ws = (): RenderToken => ({ kind: 'ws', text: ' ' });
const word = (text: string): RenderToken => ({ kind: 'word', text });

// GraphTool's `\w` was Python 2's ASCII class.
const WORD = /^[A-Za-z0-9_]+$/;
const KEYWORD_SEPARATORS = new Set(['and', 'or', 'not', 'xor', 'where']);
const SYMBOL_SEPARATORS = new Set(['&&', '||', '!']);

/** The index of a bind `:name` that follows `<ws> regexp <ws>`, from `from` on, or -1. */
function findRegexpBind(tokens: readonly RenderToken[], name: string, from: number): number {
  for (let k = from; k < tokens.length; k += 1) {
    const t = tokens[k]!;
    if (t.kind !== 'bind' || t.name !== name) continue;
    // GraphTool matched the lowercase keyword only (" regexp :v"), so `REGEXP` keeps its regexp.
    if (tokens[k - 1]?.kind === 'ws' && isWord(tokens[k - 2], 'regexp') && tokens[k - 3]?.kind === 'ws') return k;
  }
  return -1;
}

function isWord(t: RenderToken | undefined, text: string): boolean {
  return t?.kind === 'word' && t.text === text;
}

function matchingLparen(tokens: readonly RenderToken[], rparen: number): number {
  let depth = 0;
  for (let j = rparen; j >= 0; j -= 1) {
    const kind = tokens[j]!.kind;
    if (kind === 'rparen') depth += 1;
    else if (kind === 'lparen' && --depth === 0) return j;
  }
  return -1;
}

/**
 * The nearest logical separator left of `before` (the block's `(`), as `remove_to_the_left_until_mysql_operator`:
 * `(`, or AND/OR/NOT/XOR/WHERE (any case) after a space or `)` and before a space, or `&&`/`||`/`!` after
 * a space or `)`. A keyword right before the block (`OR(x) regexp :v`) counts too, so no operand of a
 * nearer operator is dropped. Returns -1 when there is none.
 */
function separatorBefore(tokens: readonly RenderToken[], before: number): number {
  for (let j = before - 1; j >= 0; j -= 1) {
    const t = tokens[j]!;
    if (t.kind === 'lparen') return j;
    if (t.kind !== 'word') continue;
    const prev = tokens[j - 1]?.kind;
    if (prev !== undefined && prev !== 'ws' && prev !== 'rparen') continue;
    const lower = t.text.toLowerCase();
    if (SYMBOL_SEPARATORS.has(lower)) return j;
    if (KEYWORD_SEPARATORS.has(lower) && (tokens[j + 1]?.kind === 'ws' || j + 1 === before)) return j;
  }
  return -1;
}

/** `X regexp :v` with `v = .*` → `true`. Returns the new tokens, or undefined when this occurrence is left alone. */
function reduceMatchAll(tokens: readonly RenderToken[], k: number): RenderToken[] | undefined {
  const operandEnd = k - 4;
  const last = tokens[operandEnd];
  if (last?.kind === 'rparen') {
    // `(…) regexp :v` and `f(…) regexp :v`: drop back to the previous AND/OR/NOT/XOR/WHERE or `(`, as
    // GraphTool did, so a function name before the parenthesis goes too.
    const open = matchingLparen(tokens, operandEnd);
    if (open < 0) return undefined;
    const sep = separatorBefore(tokens, open);
    if (sep < 0) return undefined;
    return [...tokens.slice(0, sep + 1), ws(), word('true'), ws(), ...tokens.slice(k + 1)];
  }
  let start = operandEnd;
  while (start >= 0) {
    const kind = tokens[start]!.kind;
    if (kind === 'ws' || kind === 'lparen' || kind === 'comment') break;
    start -= 1;
  }
  start += 1;
  if (start > operandEnd) return undefined;
  // GraphTool turned `X not regexp :v` into the broken `X true`; `not regexp '.*'` is left to the database.
  if (start === operandEnd && last?.kind === 'word' && last.text.toLowerCase() === 'not') return undefined;
  return [...tokens.slice(0, start), word('true'), ...tokens.slice(k + 1)];
}

/** `regexp :v` with `v = w1|w2` → `IN (?, ?)`, the parts bound (an exact match instead of a regexp search). */
function reduceWordList(tokens: readonly RenderToken[], k: number, parts: readonly string[]): RenderToken[] {
  const list: RenderToken[] = [];
  parts.forEach((part, i) => {
    if (i > 0) list.push(word(','), ws());
    list.push({ kind: 'param', text: '?', value: part });
  });
  return [...tokens.slice(0, k - 2), word('IN'), ws(), { kind: 'lparen', text: '(' }, ...list, { kind: 'rparen', text: ')' }, ...tokens.slice(k + 1)];
}

/**
 * Applies GraphTool's MySQL regexp reduction for every string-valued variable, in order:
 * - value exactly `.*`: `X regexp :v` becomes `true`; a parenthesised `(…) regexp :v` or `f(…) regexp :v`
 *   is removed back to the previous AND/OR/NOT/XOR/WHERE or `(` and replaced by `true`;
 * - value `w1|w2|…` with every part `^\w+$`: `regexp :v` becomes `IN (?, ?, …)` with the parts bound,
 *   so `vo=cms` matches `cms` exactly, not `uscms`.
 * Only the lowercase keyword `regexp` preceded and followed by whitespace is rewritten, as in GraphTool.
 * Unlike GraphTool, nothing inside string literals or comments is touched and values are bound, not spliced.
 */
export function reduceRegexpUsage(tokens: readonly RenderToken[], vars: Readonly<Record<string, TypedValue>>): RenderToken[] {
  let out = [...tokens];
  for (const [name, v] of Object.entries(vars)) {
    if (v.type !== 'string') continue;
    const parts = v.value.split('|');
    const matchAll = v.value === '.*';
    if (!matchAll && !parts.every((p) => WORD.test(p))) continue;
    let from = 0;
    for (;;) {
      const k = findRegexpBind(out, name, from);
      if (k < 0) break;
      // Still the client's pattern: one too long to compile is refused, not turned into 100,000 binds (a 500 on SQLite).
      if (from === 0) checkMySqlRegexp(v.value, name);
      const next = matchAll ? reduceMatchAll(out, k) : reduceWordList(out, k, parts);
      if (next) {
        // Resume at the end of the rewritten span: nothing left of it can still match.
        from = Math.max(0, k - (out.length - next.length));
        out = next;
      } else {
        from = k + 1;
      }
    }
  }
  return out;
}

/** Splits MySQL statement text into the tokens binding and the regexp reduction need: literals stay whole, binds are found. */

/** One lexical piece of a statement; concatenating every `text` gives the input back. */
export type SqlToken =
  | { kind: 'ws'; text: string }
  /** Any other run of code: keywords, names, numbers, operators. `&&`, `||` and a lone `!` are words of their own. */
  | { kind: 'word'; text: string }
  | { kind: 'lparen'; text: '(' }
  | { kind: 'rparen'; text: ')' }
  /** A `'…'` or `"…"` string literal as written (MySQL reads both as strings). */
  | { kind: 'string'; text: string }
  /** A `` `…` `` quoted identifier. */
  | { kind: 'identifier'; text: string }
  /** `-- …`, `# …` or `/* … *\/`. */
  | { kind: 'comment'; text: string }
  /** `:name`, a bind variable. */
  | { kind: 'bind'; text: string; name: string };

const BIND_START = /[A-Za-z_]/;
const BIND_CHAR = /[A-Za-z0-9_-]/;

/** The end of the quoted run starting at `start`, honouring backslash escapes and doubled quotes. */
function quotedEnd(sql: string, start: number, backslashEscapes: boolean): number {
  const quote = sql[start];
  let i = start + 1;
  while (i < sql.length) {
    const c = sql[i];
    if (backslashEscapes && c === '\\') i += 2;
    else if (c === quote && sql[i + 1] === quote) i += 2;
    else if (c === quote) return i + 1;
    else i += 1;
  }
  return sql.length;
}

function lineEnd(sql: string, from: number): number {
  const end = sql.indexOf('\n', from);
  return end < 0 ? sql.length : end;
}

/** What may follow a bind in GraphTool's MySQL binding: whitespace, one of `()!=&|,`, or the end. */
const BIND_END = /[\s()!=&|,]/;

/**
 * The longest of `names` (input names with characters a plain bind cannot have, such as Gratia-web's
 * `transfer_direction(in|out|both)`) written at `sql[at]` and followed by what GraphTool's binding accepts after one.
 */
function declaredBindAt(sql: string, at: number, names: readonly string[]): string | undefined {
  let best: string | undefined;
  for (const name of names) {
    if ((best === undefined || name.length > best.length) && sql.startsWith(name, at)) {
      const after = sql[at + name.length];
      if (after === undefined || BIND_END.test(after)) best = name;
    }
  }
  return best;
}

/**
 * Lexes MySQL text. A bind is `:` followed by `[A-Za-z_][A-Za-z0-9_-]*` outside literals, identifiers and
 * comments, and not part of `::`; trailing `-`s are left out of the name, so `:endtime-:span` is two binds.
 * `declared` are input names that plain binds cannot spell: `:name` of one of them is that bind, as GraphTool matched it.
 */
export function lexSql(sql: string, declared: readonly string[] = []): SqlToken[] {
  const unusual = declared.filter((n) => n !== '' && ![...n].every((ch) => BIND_CHAR.test(ch)));
  const tokens: SqlToken[] = [];
  let word = '';
  const flush = (): void => {
    if (word) tokens.push({ kind: 'word', text: word });
    word = '';
  };
  const push = (t: SqlToken): void => {
    flush();
    tokens.push(t);
  };
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    const next = sql[i + 1];
    if (/\s/.test(c)) {
      let j = i + 1;
      while (j < sql.length && /\s/.test(sql[j]!)) j += 1;
      push({ kind: 'ws', text: sql.slice(i, j) });
      i = j;
    } else if (c === "'" || c === '"' || c === '`') {
      const end = quotedEnd(sql, i, c !== '`');
      push({ kind: c === '`' ? 'identifier' : 'string', text: sql.slice(i, end) });
      i = end;
    } else if (c === '#' || (c === '-' && next === '-' && (i + 2 >= sql.length || /\s/.test(sql[i + 2]!)))) {
      const end = lineEnd(sql, i);
      push({ kind: 'comment', text: sql.slice(i, end) });
      i = end;
    } else if (c === '/' && next === '*') {
      const close = sql.indexOf('*/', i + 2);
      const end = close < 0 ? sql.length : close + 2;
      push({ kind: 'comment', text: sql.slice(i, end) });
      i = end;
    } else if (c === '(' || c === ')') {
      push(c === '(' ? { kind: 'lparen', text: '(' } : { kind: 'rparen', text: ')' });
      i += 1;
    } else if (c === ':' && unusual.length && sql[i - 1] !== ':' && declaredBindAt(sql, i + 1, unusual) !== undefined) {
      const name = declaredBindAt(sql, i + 1, unusual)!;
      push({ kind: 'bind', text: `:${name}`, name });
      i += name.length + 1;
    } else if (c === ':' && next !== undefined && BIND_START.test(next) && sql[i - 1] !== ':') {
      let j = i + 2;
      while (j < sql.length && BIND_CHAR.test(sql[j]!)) j += 1;
      while (sql[j - 1] === '-') j -= 1;
      push({ kind: 'bind', text: sql.slice(i, j), name: sql.slice(i + 1, j) });
      i = j;
    } else if ((c === '&' && next === '&') || (c === '|' && next === '|')) {
      push({ kind: 'word', text: c + c });
      i += 2;
    } else if (c === '!' && next !== '=') {
      push({ kind: 'word', text: '!' });
      i += 1;
    } else {
      word += c;
      i += 1;
    }
  }
  flush();
  return tokens;
}

const ESCAPES: Readonly<Record<string, string>> = { '0': '\0', b: '\b', n: '\n', r: '\r', t: '\t', Z: '\x1a' };

/** The value of a MySQL string literal token (`'it''s'`, `"a\"b"`), with MySQL's backslash escapes resolved. */
export function stringLiteralValue(text: string): string {
  const quote = text[0];
  let value = '';
  let i = 1;
  const end = text.length > 1 && text.endsWith(quote ?? '') ? text.length - 1 : text.length;
  while (i < end) {
    const c = text[i]!;
    if (c === '\\' && i + 1 < end) {
      const e = text[i + 1]!;
      // MySQL keeps the backslash before % and _ so LIKE patterns still see it.
      value += e === '%' || e === '_' ? '\\' + e : (ESCAPES[e] ?? e);
      i += 2;
    } else if (c === quote && text[i + 1] === quote) {
      value += c;
      i += 2;
    } else {
      value += c;
      i += 1;
    }
  }
  return value;
}

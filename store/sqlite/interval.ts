/**
 * MySQL's `INTERVAL expr unit` on SQLite: the statement's `DATE_ADD(d, INTERVAL n HOUR)`, `DATE_SUB(...)`,
 * `d + INTERVAL n DAY` and `d - INTERVAL n DAY` become calls of the emulated `date_add(d, n, 'HOUR')` and
 * `date_sub(...)`, whose arithmetic is MySQL's (months end-clamped, a date stays a date for whole-day units).
 */
import { toSqlDateTime } from '../../common/index.js';
import { parseMySqlDateTime } from './mysql-datetime.js';

/** The units an interval may have (MySQL's single-word units). */
export const INTERVAL_UNITS = ['MICROSECOND', 'SECOND', 'MINUTE', 'HOUR', 'DAY', 'WEEK', 'MONTH', 'QUARTER', 'YEAR'] as const;
type Unit = (typeof INTERVAL_UNITS)[number];
const UNITS = new Set<string>(INTERVAL_UNITS);
const CALLS = new Map([['DATE_ADD', 'date_add'], ['ADDDATE', 'date_add'], ['DATE_SUB', 'date_sub'], ['SUBDATE', 'date_sub']]);

export interface Token {
  kind: 'word' | 'other' | 'space';
  text: string;
}

/** Splits already-translated SQL into words, spaces and the rest; strings, identifiers and comments stay whole. */
export function tokenize(sql: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    let j = i + 1;
    let kind: Token['kind'] = 'other';
    if (/[A-Za-z_]/.test(c)) {
      while (j < sql.length && /[\w$]/.test(sql[j]!)) j++;
      kind = 'word';
    } else if (/\s/.test(c)) {
      while (j < sql.length && /\s/.test(sql[j]!)) j++;
      kind = 'space';
    } else if (c === "'" || c === '`') {
      // The translator wrote every string as '...' with '' for a quote.
      for (;;) {
        const end = sql.indexOf(c, j);
        if (end < 0) { j = sql.length; break; }
        j = end + 1;
        if (sql[j] !== c) break;
        j++;
      }
    } else if (c === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      j = end < 0 ? sql.length : end;
      kind = 'space';
    } else if (c === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      j = end < 0 ? sql.length : end + 2;
      kind = 'space';
    } else if (/\d/.test(c) || (c === '.' && /\d/.test(sql[i + 1] ?? ''))) {
      while (j < sql.length && /[\w.]/.test(sql[j]!)) j++;
    }
    out.push({ kind, text: sql.slice(i, j) });
    i = j;
  }
  return out;
}

const text = (tokens: readonly Token[], from: number, to: number) => tokens.slice(from, to).map((t) => t.text).join('');

function prevSignificant(tokens: readonly Token[], from: number): number {
  let i = from - 1;
  while (i >= 0 && tokens[i]!.kind === 'space') i--;
  return i;
}

/** The index of the `(` that opens the parenthesis `at` (a `)`) closes, or -1. */
function matchingOpen(tokens: readonly Token[], at: number): number {
  let depth = 0;
  for (let i = at; i >= 0; i--) {
    const t = tokens[i]!.text;
    if (t === ')') depth++;
    else if (t === '(' && --depth === 0) return i;
  }
  return -1;
}

/** The `(` of the call whose argument list holds `at`, or -1. */
function enclosingOpen(tokens: readonly Token[], at: number): number {
  let depth = 0;
  for (let i = at - 1; i >= 0; i--) {
    const t = tokens[i]!.text;
    if (t === ')') depth++;
    else if (t === '(' && depth-- === 0) return i;
  }
  return -1;
}

/** Where the operand ending at `end` starts: a call, a parenthesis, or a (qualified) name, literal or placeholder. */
function operandStart(tokens: readonly Token[], end: number): number {
  if (end < 0) return -1;
  let start = end;
  if (tokens[end]!.text === ')') {
    start = matchingOpen(tokens, end);
    if (start < 0) return -1;
    const name = prevSignificant(tokens, start);
    if (name >= 0 && tokens[name]!.kind === 'word' && name === start - 1) start = name;
    return start;
  }
  if (tokens[end]!.text === ',' || tokens[end]!.text === '(') return -1;
  while (start >= 2 && tokens[start - 1]!.text === '.' && tokens[start - 2]!.kind !== 'space') start -= 2;
  return start;
}

/** The statement with every `INTERVAL expr unit` it can place rewritten as a `date_add`/`date_sub` call. */
export function rewriteIntervals(sql: string): string {
  if (!/\binterval\b/i.test(sql)) return sql;
  let tokens = tokenize(sql);
  for (let k = 0; k < tokens.length; k++) {
    if (tokens[k]!.kind !== 'word' || tokens[k]!.text.toUpperCase() !== 'INTERVAL') continue;
    // The interval's expression runs to the first unit word outside parentheses.
    let depth = 0;
    let u = k + 1;
    for (; u < tokens.length; u++) {
      const t = tokens[u]!;
      if (t.text === '(') depth++;
      else if (t.text === ')' || t.text === ',') {
        if (depth === 0) { u = tokens.length; break; }
        if (t.text === ')') depth--;
      } else if (depth === 0 && t.kind === 'word' && UNITS.has(t.text.toUpperCase())) break;
    }
    if (u >= tokens.length || u === k + 1) continue;
    const amount = text(tokens, k + 1, u).trim();
    const unit = tokens[u]!.text.toUpperCase();
    const p = prevSignificant(tokens, k);
    const op = p >= 0 ? tokens[p]!.text : '';
    let replaced: { from: number; sql: string } | undefined;
    if (op === ',') {
      const open = enclosingOpen(tokens, p);
      const name = open > 0 ? prevSignificant(tokens, open) : -1;
      const fn = name >= 0 ? CALLS.get(tokens[name]!.text.toUpperCase()) : undefined;
      if (fn) {
        tokens[name] = { kind: 'word', text: fn };
        replaced = { from: k, sql: `(${amount}), '${unit}'` };
      }
    } else if (op === '+' || op === '-') {
      const start = operandStart(tokens, prevSignificant(tokens, p));
      if (start >= 0) replaced = { from: start, sql: `${op === '+' ? 'date_add' : 'date_sub'}(${text(tokens, start, prevSignificant(tokens, p) + 1)}, (${amount}), '${unit}')` };
    }
    if (!replaced) continue;
    const rewritten = [...tokens.slice(0, replaced.from), { kind: 'other' as const, text: replaced.sql }, ...tokens.slice(u + 1)];
    k = replaced.from;
    tokens = rewritten;
  }
  return tokens.map((t) => t.text).join('');
}

const DAYS_IN_MONTH = (y: number, m: number) => new Date(Date.UTC(y, m + 1, 0)).getUTCDate();

/**
 * MySQL's `DATE_ADD(date, INTERVAL amount unit)` (`sign` -1 for DATE_SUB): NULL for a NULL or invalid date or amount;
 * months, quarters and years keep the day, clamped to the month's last; a date-only input stays a date for whole-day
 * units, as MySQL returns DATE there.
 */
export function addInterval(date: string | null, amount: number | null, unit: string, sign: 1 | -1): string | null {
  if (date === null || amount === null || !Number.isFinite(amount)) return null;
  const u = unit.toUpperCase() as Unit;
  if (!UNITS.has(u)) return null;
  const seconds = parseMySqlDateTime(date.trim());
  if (seconds === undefined) return null;
  const dateOnly = /^\d{4}-\d{1,2}-\d{1,2}$/.test(date.trim());
  const fractional = u === 'SECOND' || u === 'MICROSECOND';
  const n = sign * (fractional ? amount : Math.round(amount));
  let ms = Math.round(seconds * 1000);
  const step: Partial<Record<Unit, number>> = { MICROSECOND: 0.001, SECOND: 1000, MINUTE: 60_000, HOUR: 3_600_000, DAY: 86_400_000, WEEK: 7 * 86_400_000 };
  if (step[u] !== undefined) ms += n * step[u];
  else {
    const months = n * (u === 'YEAR' ? 12 : u === 'QUARTER' ? 3 : 1);
    const d = new Date(ms);
    const total = d.getUTCFullYear() * 12 + d.getUTCMonth() + months;
    const [y, m] = [Math.floor(total / 12), ((total % 12) + 12) % 12];
    const day = Math.min(d.getUTCDate(), DAYS_IN_MONTH(y, m));
    ms = Date.UTC(y, m, day, d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds());
  }
  const result = new Date(Math.round(ms));
  if (dateOnly && !['MICROSECOND', 'SECOND', 'MINUTE', 'HOUR'].includes(u)) return toSqlDateTime(result).slice(0, 10);
  const whole = toSqlDateTime(result);
  const micros = Math.round((ms - Math.floor(ms / 1000) * 1000) * 1000);
  return micros === 0 ? whole : `${whole}.${String(micros).padStart(6, '0')}`;
}

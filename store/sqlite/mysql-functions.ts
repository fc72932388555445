/** MySQL functions registered on SQLite, so GraphTool SQL written for MySQL runs unchanged on the embedded store. */
import type Database from 'better-sqlite3';
import { compilePattern, toSqlDateTime, type Pattern } from '../../common/index.js';
import { formatMySqlDate } from './date-format.js';
import { addInterval } from './interval.js';
import { canonicalSeconds, parseMySqlDateTime } from './mysql-datetime.js';

type Value = number | bigint | string | Buffer | null;

/** MySQL's view of a value as a number: NULL stays NULL, a string is read up to its first non-numeric character. */
function toNumber(v: Value): number | null {
  if (v === null) return null;
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  const m = /^\s*[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?/i.exec(String(v));
  return m ? Number(m[0]) : 0;
}

function toText(v: Value): string | null {
  if (v === null) return null;
  if (Buffer.isBuffer(v)) return v.toString('utf8');
  return String(v);
}

/** A date argument as epoch seconds: date text, or MySQL's numeric `YYYYMMDD[HHMMSS]`. NULL when MySQL sees no date. */
function toEpochSeconds(v: Value): number | null {
  const text = toText(v);
  return text === null ? null : (parseMySqlDateTime(text) ?? null);
}

/** MySQL truthiness for IF(): non-zero and not NULL. */
function truthy(v: Value): boolean {
  const n = toNumber(v);
  return n !== null && n !== 0;
}

const regexCache = new Map<string, Pattern>();
const REGEX_CACHE_LIMIT = 1000;
/** Answers remembered per compiled pattern, and the longest text remembered. */
const ANSWER_CACHE_LIMIT = 4096;
const ANSWER_TEXT_LIMIT = 256;

/**
 * A pattern that remembers its answer per text. RE2 in JavaScript costs 1.5-3.5 µs a test where V8's engine takes
 * 0.05 µs, and a GraphTool query tests the same few hundred VO, site and probe names on every row it reads: the
 * memo keeps the linear-time engine's safety at about the old engine's speed.
 */
function memoized(re: Pattern): Pattern {
  const answers = new Map<string, boolean>();
  return {
    test(text: string): boolean {
      if (text.length > ANSWER_TEXT_LIMIT) return re.test(text);
      let answer = answers.get(text);
      if (answer === undefined) {
        answer = re.test(text);
        if (answers.size >= ANSWER_CACHE_LIMIT) answers.clear();
        answers.set(text, answer);
      }
      return answer;
    },
  };
}

// MySQL's (Henry Spencer's) word-boundary markers, which PCRE also reads: start and end of a word.
const WORD_START = /\[\[:<:\]\]/g;
const WORD_END = /\[\[:>:\]\]/g;

/**
 * Checks a MySQL/MariaDB regular expression a client sent, before any SQL runs: RE2 syntax (POSIX bracket
 * classes and the word-boundary markers included). Throws `AppError('bad_request')` naming `input` and, for
 * backreferences, lookaround and the like, the feature; so MariaDB's PCRE never runs what SQLite would refuse.
 */
export function checkMySqlRegexp(pattern: string, input: string): void {
  // As a plain boundary for the check only: the markers' own lookbehinds must not let the client's pass.
  const plain = pattern.replace(WORD_START, '\\b').replace(WORD_END, '\\b');
  compilePattern(plain, { input });
}

/**
 * Compiles a MySQL/MariaDB regular expression with RE2 (linear time, so a client's pattern cannot hold a
 * query worker): unanchored and case-insensitive, as MySQL matches non-binary strings; case-sensitive for
 * binary columns. POSIX bracket classes are RE2's own; the word-boundary markers become linear-time lookbehinds.
 */
export function compileMySqlRegexp(pattern: string, caseSensitive = false): Pattern {
  const key = caseSensitive ? `cs:${pattern}` : pattern;
  let re = regexCache.get(key);
  if (re) return re;
  // A pattern usually comes from a URL parameter: the caller's mistake, as MySQL's ER_REGEXP_ERROR is.
  checkMySqlRegexp(pattern, 'regexp');
  const hasMarkers = pattern.includes('[[:<:]]') || pattern.includes('[[:>:]]');
  const source = pattern.replace(WORD_START, '\\b(?<!\\w)').replace(WORD_END, '\\b(?<=\\w)');
  re = memoized(compilePattern(source, { input: 'regexp', caseInsensitive: !caseSensitive, internalLookbehinds: hasMarkers }));
  if (regexCache.size >= REGEX_CACHE_LIMIT) regexCache.clear();
  regexCache.set(key, re);
  return re;
}

/** `TRUNCATE(x, d)`: cut toward zero at `d` decimals (negative `d` cuts left of the point). */
function truncate(x: Value, d: Value): number | null {
  const n = toNumber(x);
  const places = toNumber(d);
  if (n === null || places === null) return null;
  const f = Math.pow(10, Math.trunc(places));
  let scaled = n * f;
  // Binary noise such as 1.15*100 = 114.99999999999999 sits right next to a whole number: round it away
  // there only, as toPrecision is slow and truncate() runs once per row in GraphTool's time buckets.
  const noise = Math.abs(scaled - Math.round(scaled));
  if (noise > 0 && noise < 1e-9 * Math.max(1, Math.abs(scaled))) scaled = Number(scaled.toPrecision(15));
  // `+ 0` turns -0 into 0: MySQL has no negative zero.
  return Math.trunc(scaled) / f + 0;
}

/**
 * GREATEST()/LEAST() by MySQL's rules: NULL if any argument is; numbers if any argument is a number (strings
 * read as numbers, so `GREATEST(2, '10')` is 10); otherwise strings in the default case-insensitive collation.
 */
function compareMixed(args: Value[], pickGreater: boolean): Value {
  if (args.length === 0 || args.some((a) => a === null)) return null;
  if (args.some((a) => typeof a === 'number' || typeof a === 'bigint')) {
    const numbers = args.map((a) => toNumber(a)!);
    return pickGreater ? Math.max(...numbers) : Math.min(...numbers);
  }
  const texts = args.map((a) => toText(a)!);
  let best = 0;
  for (let i = 1; i < texts.length; i++) {
    // utf8mb4_general_ci weighs letters by their upper case, so '_' sorts after 'a'.
    const a = texts[i]!.toUpperCase();
    const b = texts[best]!.toUpperCase();
    if (pickGreater ? a > b : a < b) best = i;
  }
  return texts[best]!;
}

function dateParts(v: Value): Date | null {
  const secs = toEpochSeconds(v);
  return secs === null ? null : new Date(Math.floor(secs * 1000));
}

/**
 * Wraps a one-argument function of text with a one-entry memo. Rows read through a time index (every
 * GraphTool query's `EndTime` range) repeat the same value run after run, and a call into JavaScript per
 * row is the emulation's main cost next to SQLite's own functions.
 */
function memoLast<R>(fn: (v: Value) => R): (v: Value) => R {
  let lastIn: string | undefined;
  let lastOut: R;
  return (v) => {
    if (typeof v !== 'string') return fn(v);
    if (v !== lastIn) {
      lastOut = fn(v);
      lastIn = v;
    }
    return lastOut;
  };
}

/** Registers every emulated MySQL function on a better-sqlite3 connection. `now` is the clock for NOW(). */
export function registerMySqlFunctions(db: Database.Database, now: () => Date = () => new Date()): void {
  const det = { deterministic: true };
  const detVar = { deterministic: true, varargs: true };

  // SQLite evaluates `X REGEXP Y` as regexp(Y, X).
  db.function('regexp', det, (pattern: Value, value: Value) => {
    if (pattern === null || value === null) return null;
    return compileMySqlRegexp(toText(pattern)!).test(toText(value)!) ? 1 : 0;
  });
  // `col MATCH x` is what the translator writes for REGEXP on a binary column: MariaDB matches those case-sensitively.
  db.function('match', det, (pattern: Value, value: Value) => {
    if (pattern === null || value === null) return null;
    return compileMySqlRegexp(toText(pattern)!, true).test(toText(value)!) ? 1 : 0;
  });
  // Two arities: the clock reading is not deterministic, the conversion is (and runs once per row, so no varargs).
  db.function('unix_timestamp', () => Math.floor(now().getTime() / 1000));
  db.function(
    'unix_timestamp',
    det,
    memoLast((v: Value) => {
      const secs = toEpochSeconds(v);
      // MariaDB answers NULL for dates before the epoch (MySQL 8 answers 0).
      return secs === null || secs < 0 ? null : secs;
    }),
  );
  db.function('from_unixtime', detVar, (...args: Value[]) => {
    const secs = toNumber(args[0] ?? null);
    // MariaDB answers NULL before the epoch.
    if (secs === null || secs < 0) return null;
    const d = new Date(Math.floor(secs) * 1000);
    if (args.length > 1) return args[1] === null ? null : formatMySqlDate(d, toText(args[1]!)!);
    const base = toSqlDateTime(d);
    if (Number.isInteger(secs)) return base;
    // As many fraction digits as the argument has (up to 6): MariaDB sizes the result by the literal's scale.
    const micros = String(Math.round((secs % 1) * 1e6)).padStart(6, '0').replace(/0+$/, '');
    return `${base}.${micros}`;
  });
  db.function('date_format', det, (date: Value, format: Value) => {
    const d = dateParts(date);
    return d === null || format === null ? null : formatMySqlDate(d, toText(format)!);
  });
  db.function('truncate', det, truncate);
  db.function('if', det, (cond: Value, a: Value, b: Value) => (truthy(cond) ? a : b));
  db.function('ifnull', det, (a: Value, b: Value) => (a === null ? b : a));
  db.function('greatest', detVar, (...args: Value[]) => compareMixed(args, true));
  db.function('least', detVar, (...args: Value[]) => compareMixed(args, false));
  db.function('concat', detVar, (...args: Value[]) => (args.some((a) => a === null) ? null : args.map((a) => toText(a)).join('')));
  db.function('concat_ws', detVar, (sep: Value, ...args: Value[]) =>
    sep === null ? null : args.filter((a) => a !== null).map((a) => toText(a)).join(toText(sep)!),
  );
  db.function(
    'date',
    det,
    memoLast((v: Value) => {
      // Stored DATETIMEs are canonical: their day is their first ten characters.
      if (typeof v === 'string' && canonicalSeconds(v) !== undefined) return v.length === 10 ? v : v.slice(0, 10);
      const d = dateParts(v);
      return d === null ? null : toSqlDateTime(d).slice(0, 10);
    }),
  );
  db.function('now', { varargs: true }, () => toSqlDateTime(now()));
  db.function('utc_timestamp', { varargs: true }, () => toSqlDateTime(now()));
  db.function('sysdate', { varargs: true }, () => toSqlDateTime(now()));
  db.function('curdate', () => toSqlDateTime(now()).slice(0, 10));
  db.function('utc_date', () => toSqlDateTime(now()).slice(0, 10));

  const part = (name: string, pick: (d: Date) => number) =>
    db.function(name, det, (v: Value) => {
      const d = dateParts(v);
      return d === null ? null : pick(d);
    });
  part('year', (d) => d.getUTCFullYear());
  part('month', (d) => d.getUTCMonth() + 1);
  part('dayofmonth', (d) => d.getUTCDate());
  part('day', (d) => d.getUTCDate());
  part('hour', (d) => d.getUTCHours());
  part('minute', (d) => d.getUTCMinutes());
  part('second', (d) => d.getUTCSeconds());
  part('dayofweek', (d) => d.getUTCDay() + 1);
  part('to_days', (d) => Math.floor(d.getTime() / 86_400_000) + 719_528);
  db.function('datediff', det, (a: Value, b: Value) => {
    const x = toEpochSeconds(a);
    const y = toEpochSeconds(b);
    if (x === null || y === null) return null;
    return Math.floor(x / 86_400) - Math.floor(y / 86_400);
  });

  db.function('left', det, (s: Value, len: Value) => {
    const t = toText(s);
    const k = toNumber(len);
    return t === null || k === null ? null : [...t].slice(0, Math.max(0, k)).join('');
  });
  db.function('right', det, (s: Value, len: Value) => {
    const t = toText(s);
    const k = toNumber(len);
    return t === null || k === null ? null : k <= 0 ? '' : [...t].slice(-k).join('');
  });
  db.function('substring_index', det, (s: Value, delim: Value, count: Value) => {
    const t = toText(s);
    const d = toText(delim);
    const k = toNumber(count);
    if (t === null || d === null || k === null) return null;
    if (d === '' || k === 0) return '';
    const parts = t.split(d);
    return k > 0 ? parts.slice(0, k).join(d) : parts.slice(k).join(d);
  });
  // What the translator makes of DATE_ADD(d, INTERVAL n unit), DATE_SUB(...) and d ± INTERVAL n unit.
  db.function('date_add', det, (d: Value, n: Value, unit: Value) => addInterval(toText(d), toNumber(n), toText(unit) ?? '', 1));
  db.function('date_sub', det, (d: Value, n: Value, unit: Value) => addInterval(toText(d), toNumber(n), toText(unit) ?? '', -1));
  // LOCATE(substr, str[, pos]): 1-based, 0 when absent, case-insensitive as MariaDB compares ordinary text.
  db.function('locate', { deterministic: true, varargs: true }, (sub: Value, str: Value, pos: Value = 1) => {
    const [needle, hay, from] = [toText(sub), toText(str), toNumber(pos)];
    if (needle === null || hay === null || from === null) return null;
    if (from < 1) return 0;
    const [h, w] = [[...hay.toLowerCase()], [...needle.toLowerCase()]];
    for (let i = Math.floor(from) - 1; i + w.length <= h.length; i++) if (w.every((c, j) => h[i + j] === c)) return i + 1;
    return 0;
  });
  db.function('lcase', det, (s: Value) => toText(s)?.toLowerCase() ?? null);
  db.function('ucase', det, (s: Value) => toText(s)?.toUpperCase() ?? null);
  db.function('char_length', det, (s: Value) => {
    const t = toText(s);
    return t === null ? null : [...t].length;
  });
}

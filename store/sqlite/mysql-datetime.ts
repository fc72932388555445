/** MySQL's reading of date and time text, shared by the emulated functions and the DATETIME columns on SQLite. */

/** `Y-M-D[( |T)h:m[:s[.frac]]]`, with one- or two-digit parts as MySQL allows. */
const DELIMITED = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.(\d*))?)?)?$/;
/** `YYYYMMDD[hhmmss[.frac]]`, MySQL's packed form (also how a number names a date). */
const PACKED = /^(\d{4})(\d{2})(\d{2})(?:(\d{2})(\d{2})(\d{2})(?:\.(\d*))?)?$/;

/**
 * Epoch seconds (UTC, with any fraction) of a MySQL date or datetime spelling, or undefined where MySQL
 * finds no valid date: impossible days such as `2024-02-30` included, which JavaScript's Date would roll over.
 * Strict mode is what a DATETIME column accepts; otherwise a trailing `Z`, which functions such as
 * UNIX_TIMESTAMP() ignore (with a warning), is allowed.
 */
export function parseMySqlDateTime(text: string, strict = false): number | undefined {
  const fast = canonicalSeconds(text);
  if (fast !== undefined) return fast;
  const trimmed = strict ? text : text.trim().replace(/Z$/, '');
  const m = DELIMITED.exec(trimmed) ?? PACKED.exec(trimmed);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map((part) => Number(part ?? 0)) as [number, number, number, number, number, number];
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || h > 23 || mi > 59 || s > 59) return undefined;
  const fraction = m[7] ? Number(`0.${m[7]}`) : 0;
  return Date.UTC(y, mo - 1, d, h, mi, s) / 1000 + fraction;
}

/** The digit at `i` of `t` (0-9), or a value above 9 when it is not a digit. */
const digit = (t: string, i: number) => (t.charCodeAt(i) - 48) >>> 0;

/**
 * Epoch seconds of exactly `YYYY-MM-DD HH:MM:SS` or `YYYY-MM-DD`, read by character codes: the spelling of
 * every stored DATETIME, so the emulated functions take this path once per row of a query (a regular
 * expression here made GROUP BY date(EndTime) five times slower than SQLite's own date()).
 */
export function canonicalSeconds(t: string): number | undefined {
  const long = t.length === 19;
  if ((!long && t.length !== 10) || t.charCodeAt(4) !== 45 || t.charCodeAt(7) !== 45) return undefined;
  const d0 = digit(t, 0), d1 = digit(t, 1), d2 = digit(t, 2), d3 = digit(t, 3);
  const m0 = digit(t, 5), m1 = digit(t, 6), a0 = digit(t, 8), a1 = digit(t, 9);
  if (d0 > 9 || d1 > 9 || d2 > 9 || d3 > 9 || m0 > 9 || m1 > 9 || a0 > 9 || a1 > 9) return undefined;
  const y = d0 * 1000 + d1 * 100 + d2 * 10 + d3;
  const mo = m0 * 10 + m1;
  const d = a0 * 10 + a1;
  let secs = 0;
  if (long) {
    if (t.charCodeAt(10) !== 32 || t.charCodeAt(13) !== 58 || t.charCodeAt(16) !== 58) return undefined;
    const h0 = digit(t, 11), h1 = digit(t, 12), i0 = digit(t, 14), i1 = digit(t, 15), s0 = digit(t, 17), s1 = digit(t, 18);
    if (h0 > 9 || h1 > 9 || i0 > 9 || i1 > 9 || s0 > 9 || s1 > 9) return undefined;
    const h = h0 * 10 + h1;
    const mi = i0 * 10 + i1;
    const s = s0 * 10 + s1;
    if (h > 23 || mi > 59 || s > 59) return undefined;
    secs = h * 3_600 + mi * 60 + s;
  }
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return undefined;
  return daysFromCivil(y, mo, d) * 86_400 + secs;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm): integer arithmetic, no Date object. */
function daysFromCivil(y: number, m: number, d: number): number {
  const year = m <= 2 ? y - 1 : y;
  const era = Math.floor(year / 400);
  const yoe = year - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month === 2 && leap ? 29 : MONTH_DAYS[month - 1]!;
}

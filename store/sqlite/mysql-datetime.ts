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
  const trimmed = strict ? text : text.trim().replace(/Z$/, '');
  const m = DELIMITED.exec(trimmed) ?? PACKED.exec(trimmed);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map((part) => Number(part ?? 0)) as [number, number, number, number, number, number];
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || h > 23 || mi > 59 || s > 59) return undefined;
  const fraction = m[7] ? Number(`0.${m[7]}`) : 0;
  return Date.UTC(y, mo - 1, d, h, mi, s) / 1000 + fraction;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

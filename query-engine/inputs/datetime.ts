/** GraphTool's `convert_to_datetime`: an expression in epoch seconds, or one of its strptime formats, read as UTC. */
import { evaluateExpression, ExpressionError } from './expression.js';

// Python's _strptime field patterns (C locale: %x = %m/%d/%y, %X = %H:%M:%S).
const Y4 = '(\\d\\d\\d\\d)';
const Y2 = '(\\d\\d)';
const MO = '(1[0-2]|0[1-9]|[1-9])';
const D = '(3[01]|[12]\\d|0[1-9]|[1-9]| [1-9])';
const H = '(2[0-3]|[0-1]\\d|\\d)';
const MI = '([0-5]\\d|\\d)';
const S = '(6[0-1]|[0-5]\\d|\\d)';

/** One strptime format as a regex; groups 4-6 are hour, minute, second when the format has them. */
interface CalendarFormat {
  name: string;
  pattern: RegExp;
  twoDigitYear: boolean;
  yearIndex: number;
  monthIndex: number;
  dayIndex: number;
}

function format(name: string, source: string, twoDigitYear: boolean, order: 'mdy' | 'ymd'): CalendarFormat {
  const [yearIndex, monthIndex, dayIndex] = order === 'mdy' ? [3, 1, 2] : [1, 2, 3];
  return { name, pattern: new RegExp(`^${source}$`, 'i'), twoDigitYear, yearIndex, monthIndex, dayIndex };
}

/** GraphTool's `datestrings`, in its order, plus `%Y-%m-%d` (see {@link parseGraphToolDateTime}). */
const FORMATS: readonly CalendarFormat[] = [
  format('%x %X', `${MO}/${D}/${Y2}\\s+${H}:${MI}:${S}`, true, 'mdy'),
  format('%x', `${MO}/${D}/${Y2}`, true, 'mdy'),
  format('%Y-%m-%d %H:%M:%S', `${Y4}-${MO}-${D}\\s+${H}:${MI}:${S}`, false, 'ymd'),
  format('%Y-%m-%d', `${Y4}-${MO}-${D}`, false, 'ymd'),
];
const LAST_GRAPHTOOL_FORMAT = FORMATS[2]!;

/** The formats a datetime input accepts, for error messages. */
const DATETIME_FORMATS_HELP =
  'an expression in UTC epoch seconds such as time.time()-86400, MM/DD/YY HH:MM:SS, MM/DD/YY, YYYY-MM-DD HH:MM:SS or YYYY-MM-DD';

// Python's datetime range; a Date outside it cannot be bound as `YYYY-MM-DD HH:MM:SS`.
const MIN_MS = new Date(0).setUTCFullYear(1, 0, 1);
const MAX_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

function strptime(text: string, f: CalendarFormat): Date | undefined {
  const m = f.pattern.exec(text);
  if (!m) return undefined;
  const num = (i: number): number => Number((m[i] ?? '0').trim());
  let year = num(f.yearIndex);
  // POSIX %y: 69-99 are 19xx, 00-68 are 20xx.
  if (f.twoDigitYear) year += year < 69 ? 2000 : 1900;
  if (year < 1) return undefined;
  const month = num(f.monthIndex);
  const day = num(f.dayIndex);
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  // Python rejects 02/30 (datetime.date raises); Date.UTC would roll it over to March.
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  // timegm() normalises seconds 60 and 61 into the next minute; Date does the same.
  date.setUTCHours(num(4), num(5), num(6), 0);
  return date;
}

/** The strptime formats GraphTool used, plus `%Y-%m-%d`. */
export const DATETIME_FORMATS = ['%x %X', '%x', '%Y-%m-%d %H:%M:%S', '%Y-%m-%d'] as const;
export type DateTimeFormat = (typeof DATETIME_FORMATS)[number];

/** Python `strptime(text, format)` for one of {@link DATETIME_FORMATS}, as UTC; undefined when it does not match. */
export function parseDateTimeFormat(text: string, name: DateTimeFormat): Date | undefined {
  const f = FORMATS.find((x) => x.name === name);
  return f ? strptime(text, f) : undefined;
}

/** Epoch seconds to a Date, as `datetime.utcfromtimestamp`; undefined outside years 1..9999. */
function fromEpochSeconds(seconds: number): Date | undefined {
  const ms = seconds * 1000;
  if (!Number.isFinite(ms) || ms < MIN_MS || ms > MAX_MS) return undefined;
  return new Date(ms);
}

/** Why a datetime text was refused. */
export class DateTimeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DateTimeError';
  }
}

/** Text shaped like a calendar date (`2026-13-45`, `11/31/26`, `2026-11-31 10:00`): digits joined by `-` or `/`. */
const DATE_SHAPED = /^\d{1,4}([-/])\d{1,2}\1\d{1,4}(\s|T|$)/;
/** A bare `YYYYMMDD` (years 1900-2999): as epoch seconds it would be a day in 1970-1973 that nobody means. */
const BARE_YYYYMMDD = /^(19|2\d)\d\d(0\d|1[0-2])([0-3]\d)$/;

/**
 * Refuses text that looks like a date but is not one of the calendar forms. GraphTool evaluated it as arithmetic:
 * `2026-13-45` is 1968, epoch second 1968, so a typo drew 1970 to today, a believable wrong graph.
 */
function refuseDateLookalike(trimmed: string, text: string): void {
  if (DATE_SHAPED.test(trimmed)) {
    throw new DateTimeError(`"${text}" is not a valid calendar date and time (month 1-12, a day that month has, hours 0-23); expected ${DATETIME_FORMATS_HELP}`);
  }
  if (BARE_YYYYMMDD.test(trimmed)) {
    const iso = `${trimmed.slice(0, 4)}-${trimmed.slice(4, 6)}-${trimmed.slice(6)}`;
    throw new DateTimeError(`"${text}" looks like a date without separators; write it as ${iso} (epoch seconds this small would mean 1970)`);
  }
}

/**
 * Reads a datetime input as GraphTool's `convert_to_datetime` does, in UTC:
 * 1. the calendar formats `%x %X` (`06/13/16 12:00:00`), `%x` (`06/13/16`), `%Y-%m-%d %H:%M:%S`,
 *    and `%Y-%m-%d` (midnight);
 * 2. else `%Y-%m-%d %H:%M:%S` again with the text after the last `.` dropped (`... 12:00:00.123`);
 * 3. else an expression ({@link evaluateExpression}) giving UTC epoch seconds.
 *
 * GraphTool tried the expression first, so a bare `2016-06-01` evaluated to 2009 (epoch second 2009,
 * 1970-01-01 00:33:29) and `06/13/16` to 0 (Python 2 integer division). Trying the calendar forms first
 * reads both as the dates they look like; no text that matches a calendar form is a sensible expression.
 * `%Y-%m-%d` is our addition. Surrounding whitespace is ignored. Text shaped like a date that is not a valid one
 * (`2026-13-45`, `2026-11-31`) and a bare `YYYYMMDD` are refused rather than evaluated as arithmetic.
 */
export function parseGraphToolDateTime(text: string, now: Date): Date {
  const trimmed = text.trim();
  for (const f of FORMATS) {
    const d = strptime(trimmed, f);
    if (d) return d;
  }
  const dot = trimmed.lastIndexOf('.');
  if (dot >= 0) {
    const d = strptime(trimmed.slice(0, dot), LAST_GRAPHTOOL_FORMAT);
    if (d) return d;
  }
  refuseDateLookalike(trimmed, text);
  try {
    const seconds = evaluateExpression(trimmed, { now }).value;
    const d = fromEpochSeconds(seconds);
    if (!d) throw new DateTimeError(`${seconds} epoch seconds is outside years 1 to 9999`);
    return d;
  } catch (err) {
    if (!(err instanceof ExpressionError)) throw err;
  }
  throw new DateTimeError(`cannot read "${text}" as a date and time; expected ${DATETIME_FORMATS_HELP}`);
}

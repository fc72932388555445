/** GraphTool's `to_timestamp`: a group value (number, numeric text or date text) to epoch seconds. */
import { parseDateTimeFormat, type DateTimeFormat } from '../inputs/index.js';
import { dataError } from './errors.js';
import type { Value } from './types.js';

// Py2 numeric literals: an int with a leading 0 is octal (so "09" is a SyntaxError), L = long.
const LITERAL = String.raw`(?:\d+\.\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?|\d+[eE][+-]?\d+|0[xX][0-9a-fA-F]+[lL]?|0[oO]?[0-7]*[lL]?|[1-9]\d*[lL]?)`;
const SIGNS = String.raw`(?:[+-]\s*)*`;
const ARITHMETIC = new RegExp(String.raw`^\s*${SIGNS}${LITERAL}(?:\s*[+-]\s*${SIGNS}${LITERAL})*\s*$`);
const TOKEN = new RegExp(String.raw`([+-])|(${LITERAL})`, 'g');

function literalValue(text: string): number {
  const t = text.replace(/[lL]$/, '');
  if (/[.eE]/.test(t) && !/^0[xX]/.test(t)) return Number(t);
  if (/^0[xX]/.test(t)) return parseInt(t.slice(2), 16);
  if (/^0[oO]?[0-7]*$/.test(t)) return t.length <= 1 ? 0 : parseInt(t.replace(/^0[oO]?/, '') || '0', 8);
  return Number(t);
}

/**
 * The part of `eval(str(x))` a group value can reach: numeric literals joined by `+`/`-`. This is
 * what makes GraphTool read a bare `2016-06-01` as 2016-6-1 = 2009 seconds (its known quirk).
 */
function evalArithmetic(text: string): number | undefined {
  if (!ARITHMETIC.test(text)) return undefined;
  // Validated above, so the tokens are literals with runs of signs between them; a binary and a
  // unary minus both just flip the sign of the literal that follows.
  let total = 0;
  let sign = 1;
  for (const m of text.matchAll(TOKEN)) {
    if (m[1] !== undefined) {
      if (m[1] === '-') sign = -sign;
      continue;
    }
    total += sign * literalValue(m[2] ?? '0');
    sign = 1;
  }
  return total;
}

// GraphTool's strptime formats, in its order; `%Y-%m-%d` alone is not one of them (a bare date is read by eval above).
const FORMATS: readonly DateTimeFormat[] = ['%x %X', '%x', '%Y-%m-%d %H:%M:%S'];

function strptime(text: string, format: DateTimeFormat): number | undefined {
  const date = parseDateTimeFormat(text, format);
  return date === undefined ? undefined : date.getTime() / 1000;
}

/**
 * `calendar.timegm(convert_to_datetime(x).timetuple())`: whole epoch seconds (fractions floor).
 * Tries `eval`, then the strptime formats, then the last format with a `.fraction` stripped.
 */
export function toTimestamp(x: Value): number {
  let seconds: number | undefined;
  if (typeof x === 'number') seconds = x;
  else if (typeof x === 'string') {
    seconds = evalArithmetic(x);
    for (const format of FORMATS) seconds ??= strptime(x, format);
    if (seconds === undefined) {
      const dot = x.lastIndexOf('.');
      seconds = strptime(dot >= 0 ? x.slice(0, dot) : x, '%Y-%m-%d %H:%M:%S');
    }
  }
  if (seconds === undefined || !Number.isFinite(seconds)) {
    throw dataError(`Unable to create time from ${JSON.stringify(x)}: a time group must be epoch seconds or a date`, { value: x });
  }
  return Math.floor(seconds);
}

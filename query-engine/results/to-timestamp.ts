/** GraphTool's `to_timestamp`: a group value (number, numeric text or date text) to epoch seconds. */
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

const FIELD = {
  m: '(1[0-2]|0[1-9]|[1-9])',
  d: '(3[01]|[12]\\d|0[1-9]|[1-9]| [1-9])',
  y: '(\\d\\d)',
  Y: '(\\d\\d\\d\\d)',
  H: '(2[0-3]|[0-1]\\d|\\d)',
  M: '([0-5]\\d|\\d)',
  S: '(6[0-1]|[0-5]\\d|\\d)',
};
// time.strptime's patterns for GraphTool's formats in the C locale: '%x %X', '%x', '%Y-%m-%d %H:%M:%S'.
const FORMATS: { re: RegExp; order: readonly ('Y' | 'y' | 'm' | 'd' | 'H' | 'M' | 'S')[] }[] = [
  { re: new RegExp(`^${FIELD.m}/${FIELD.d}/${FIELD.y}\\s+${FIELD.H}:${FIELD.M}:${FIELD.S}$`), order: ['m', 'd', 'y', 'H', 'M', 'S'] },
  { re: new RegExp(`^${FIELD.m}/${FIELD.d}/${FIELD.y}$`), order: ['m', 'd', 'y'] },
  { re: new RegExp(`^${FIELD.Y}-${FIELD.m}-${FIELD.d}\\s+${FIELD.H}:${FIELD.M}:${FIELD.S}$`), order: ['Y', 'm', 'd', 'H', 'M', 'S'] },
];

function strptime(text: string, format: (typeof FORMATS)[number]): number | undefined {
  const m = format.re.exec(text);
  if (!m) return undefined;
  const f: Record<string, number> = { Y: 1900, m: 1, d: 1, H: 0, M: 0, S: 0 };
  format.order.forEach((name, i) => {
    const n = Number((m[i + 1] ?? '0').trim());
    if (name === 'y') f.Y = n < 69 ? 2000 + n : 1900 + n;
    else f[name] = n;
  });
  const { Y = 1900, m: month = 1, d = 1, H = 0, M = 0, S = 0 } = f;
  // strptime refuses a day the month does not have (datetime.date(...) raises).
  if (d > new Date(Date.UTC(Y, month, 0)).getUTCDate()) return undefined;
  return Date.UTC(Y, month - 1, d, H, M, S) / 1000;
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
    const lastFormat = FORMATS[FORMATS.length - 1];
    if (seconds === undefined && lastFormat) {
      const dot = x.lastIndexOf('.');
      seconds = strptime(dot >= 0 ? x.slice(0, dot) : x, lastFormat);
    }
  }
  if (seconds === undefined || !Number.isFinite(seconds)) {
    throw dataError(`Unable to create time from ${JSON.stringify(x)}: a time group must be epoch seconds or a date`, { value: x });
  }
  return Math.floor(seconds);
}

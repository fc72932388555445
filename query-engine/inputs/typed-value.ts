/** A query input after typing: the value plus the Python type GraphTool would have held, which decides how it prints. */
import { toSqlDateTime } from '../../common/index.js';
import type { SqlValue } from '../../store/index.js';

/** The kinds of typed value; `timestamp` inputs give `int`, `eval` inputs `int` or `float`. */
export const TYPED_VALUE_KINDS = ['string', 'int', 'float', 'bool', 'datetime'] as const;
export type TypedValueKind = (typeof TYPED_VALUE_KINDS)[number];

/** A typed input value. Datetimes are UTC instants (GraphTool's naive datetimes were UTC). */
export type TypedValue =
  | { type: 'string'; value: string }
  | { type: 'int'; value: number }
  | { type: 'float'; value: number }
  | { type: 'bool'; value: boolean }
  | { type: 'datetime'; value: Date };

/** The bare JavaScript value, for results functions and graph code. */
export function plainValue(v: TypedValue): string | number | boolean | Date {
  return v.value;
}

/**
 * The value as bound to a `?` placeholder: datetimes as `YYYY-MM-DD HH:MM:SS` UTC text, booleans as 1/0
 * (MySQLdb sent Python's True as 1), numbers and strings unchanged.
 */
export function toSqlValue(v: TypedValue): SqlValue {
  switch (v.type) {
    case 'datetime':
      return toSqlDateTime(v.value);
    case 'bool':
      return v.value ? 1 : 0;
    default:
      return v.value;
  }
}

/**
 * The value as Python 2's `str()` printed it, which is what GraphTool showed in `<sqlvars>` and URLs:
 * `86400`, `10.0`, `1466121600.12` (12 significant digits), `True`, `2016-06-13 12:00:00[.123000]`.
 */
export function formatTypedValue(v: TypedValue): string {
  switch (v.type) {
    case 'string':
      return v.value;
    case 'int':
      return String(v.value);
    case 'float':
      return formatPythonFloat(v.value);
    case 'bool':
      return v.value ? 'True' : 'False';
    case 'datetime': {
      const ms = v.value.getUTCMilliseconds();
      const base = toSqlDateTime(v.value);
      return ms === 0 ? base : `${base}.${String(ms).padStart(3, '0')}000`;
    }
  }
}

/** Python 2 `str(float)`: `%.12g`, with `.0` added when the result looks like an integer. */
function formatPythonFloat(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const exponent = Math.floor(Math.log10(Math.abs(Number(x.toPrecision(12)))));
  let text: string;
  if (exponent < -4 || exponent >= 12) {
    const [mantissa = '', exp = '0'] = x.toExponential(11).split('e');
    const e = Number(exp);
    text = `${stripZeros(mantissa)}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
    return text;
  }
  text = stripZeros(x.toFixed(Math.max(0, 11 - exponent)));
  return text.includes('.') ? text : `${text}.0`;
}

function stripZeros(s: string): string {
  return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
}

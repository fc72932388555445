/** Python 2 value semantics the parsers depend on: float(), int(), str(), repr(), ordering and equality. */
import type { Key, Scalar, Value } from './types.js';

/** Python's `str.strip()` whitespace; JS `trim()` also strips Unicode spaces, which Py2 byte strings keep. */
export function pyStrip(s: string): string {
  return s.replace(/^[ \t\n\r\v\f]+|[ \t\n\r\v\f]+$/g, '');
}

/** Py2 `str.lower()` / `upper()` touch ASCII letters only (strings are UTF-8 bytes). */
export function asciiLower(s: string): string {
  return s.replace(/[A-Z]+/g, (m) => m.toLowerCase());
}
export function asciiUpper(s: string): string {
  return s.replace(/[a-z]+/g, (m) => m.toUpperCase());
}

const FLOAT_SYNTAX = /^[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|inf(?:inity)?|nan)$/i;

/** Python's `float(x)`, or `undefined` where Python raises (None, non-numeric text, tuples). */
export function pyFloat(x: unknown): number | undefined {
  if (typeof x === 'number') return x;
  if (typeof x === 'bigint') return Number(x);
  if (typeof x === 'boolean') return x ? 1 : 0;
  if (typeof x !== 'string') return undefined;
  const s = pyStrip(x);
  if (!FLOAT_SYNTAX.test(s)) return undefined;
  const body = s.replace(/^[+-]/, '').toLowerCase();
  const sign = s.startsWith('-') ? -1 : 1;
  if (body.startsWith('inf')) return sign * Infinity;
  if (body === 'nan') return NaN;
  return Number(s);
}

/** Python's `int(x)` for a number or an integer literal; `undefined` where Python raises. */
export function pyInt(x: unknown): number | undefined {
  if (typeof x === 'number') return Number.isFinite(x) ? Math.trunc(x) : undefined;
  if (typeof x === 'bigint') return Number(x);
  if (typeof x === 'boolean') return x ? 1 : 0;
  if (typeof x !== 'string') return undefined;
  const s = pyStrip(x);
  return /^[+-]?\d+$/.test(s) ? Number(s) : undefined;
}

/**
 * Turns a cell from the store into a `Scalar`: what MySQLdb handed GraphTool. Dates become epoch
 * seconds (the form every time group takes in the appliance), BLOBs their text (`array.tostring()`).
 */
export function normalizeCell(x: unknown): Scalar {
  if (x === null || x === undefined) return null;
  if (typeof x === 'string' || typeof x === 'number') return x;
  if (typeof x === 'bigint') return Number(x);
  if (typeof x === 'boolean') return x ? 1 : 0;
  if (x instanceof Date) return Math.floor(x.getTime() / 1000);
  if (x instanceof Uint8Array) return Buffer.from(x).toString('utf8');
  return pyStr(x);
}

/** Python's `str()` of an input value of any type (a datetime prints `YYYY-MM-DD HH:MM:SS`). */
export function pyStr(x: unknown): string {
  if (x === null || x === undefined) return 'None';
  if (typeof x === 'string') return x;
  if (typeof x === 'number') return keyString(x);
  if (typeof x === 'boolean') return x ? 'True' : 'False';
  if (typeof x === 'bigint') return x.toString();
  if (x instanceof Date) return x.toISOString().slice(0, 19).replace('T', ' ');
  if (Array.isArray(x)) return keyString(x.map(normalizeCell));
  return JSON.stringify(x) ?? typeof x;
}

function intString(n: number): string {
  if (Object.is(n, -0)) return '0';
  return Math.abs(n) < 1e21 ? String(n) : BigInt(n).toString();
}

/** Shortest round-trip digits of |x| and the decimal point's position (CPython's `decpt`). */
function digitsOf(x: number, significant?: number): { digits: string; decpt: number } {
  const [mantissa = '0', exponent = '0'] = Math.abs(x).toExponential(significant === undefined ? undefined : significant - 1).split('e');
  const digits = mantissa.replace('.', '').replace(/0+$/, '') || '0';
  return { digits, decpt: Number(exponent) + 1 };
}

function layout(sign: string, digits: string, decpt: number, useExp: boolean): string {
  if (useExp) {
    const e = decpt - 1;
    const tail = digits.slice(1);
    return `${sign}${digits.slice(0, 1)}${tail ? `.${tail}` : ''}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  }
  if (decpt <= 0) return `${sign}0.${'0'.repeat(-decpt)}${digits}`;
  if (decpt >= digits.length) return `${sign}${digits}${'0'.repeat(decpt - digits.length)}.0`;
  return `${sign}${digits.slice(0, decpt)}.${digits.slice(decpt)}`;
}

function nonFinite(x: number): string | undefined {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  return undefined;
}

/** `%.12g` with ADD_DOT_0 from `toPrecision(12)`'s fixed-point text, which has a point below 9e10 (12 digits, at most 11 before it). */
function fixedPointG12(text: string): string {
  let end = text.length;
  while (text.charCodeAt(end - 1) === 48 /* 0 */) end--;
  return text.charCodeAt(end - 1) === 46 /* . */ ? `${text.slice(0, end)}0` : text.slice(0, end);
}

/** Py2.7 `str(float)`: 12 significant digits, exponent form from 1e11 (`'g'` with ADD_DOT_0). */
function pyFloatStr(x: number): string {
  const special = nonFinite(x);
  if (special) return special;
  const sign = x < 0 || Object.is(x, -0) ? '-' : '';
  if (x === 0) return `${sign}0.0`;
  const abs = Math.abs(x);
  // Every value of a graph goes through here: in the fixed-point range, toPrecision(12) already has
  // the digits, and only its trailing zeros (and a bare point) need to go, then `.0` for a whole number.
  if (abs >= 1e-4 && abs < 9e10) return sign + fixedPointG12(abs.toPrecision(12));
  const { digits, decpt } = digitsOf(x, 12);
  return layout(sign, digits, decpt, decpt <= -4 || decpt > 11);
}

/** Py2.7 `repr(float)`: shortest round-trip digits, exponent form outside 1e-4 <= |x| < 1e16. */
export function pyFloatRepr(x: number): string {
  const special = nonFinite(x);
  if (special) return special;
  const sign = x < 0 || Object.is(x, -0) ? '-' : '';
  if (x === 0) return `${sign}0.0`;
  const { digits, decpt } = digitsOf(x);
  return layout(sign, digits, decpt, decpt <= -4 || decpt > 16);
}

/** Py2 `repr()` of a byte string: single quotes unless only double quotes avoid escaping. */
function pyStringRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const byte of Buffer.from(s, 'utf8')) {
    const ch = String.fromCharCode(byte);
    if (ch === quote || ch === '\\') out += `\\${ch}`;
    else if (ch === '\t') out += '\\t';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (byte < 0x20 || byte >= 0x7f) out += `\\x${byte.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out + quote;
}

// Integral numbers print as Python ints: groups are ints (make_int, to_timestamp), and the
// appliance cannot tell 3 from 3.0, so a whole float key prints like an int.
function scalarRepr(x: Scalar): string {
  if (x === null) return 'None';
  if (typeof x === 'string') return pyStringRepr(x);
  return Number.isInteger(x) ? intString(x) : pyFloatRepr(x);
}

function tupleRepr(items: readonly Scalar[], item: (x: Scalar) => string): string {
  return `(${items.map(item).join(', ')}${items.length === 1 ? ',' : ''})`;
}

/**
 * Python's `str()` of a pivot or group key, as the XML and CSV outputs print it: `None`, a string
 * as is, `1467158400` for a whole number, `12.5` for a float (Py2's 12 significant digits), and a
 * tuple as `('Nebraska', 'cms')`.
 */
export function keyString(key: Key): string {
  if (Array.isArray(key)) return tupleRepr(key, scalarRepr);
  if (key === null) return 'None';
  if (typeof key === 'string') return key;
  return Number.isInteger(key) ? intString(key) : pyFloatStr(key);
}

/** `repr()` of one tuple element: floats as Python's float repr, anything else as its scalar repr. */
function tupleElementRepr(x: Scalar): string {
  return typeof x === 'number' ? pyFloatRepr(x) : scalarRepr(x);
}

/**
 * Python's `str()` of a data value. Values went through `float()`, so numbers print as floats
 * (`3.0`, `123456.789012`); a tuple prints its floats' `repr()`.
 */
export function valueString(value: Value): string {
  if (Array.isArray(value)) return tupleRepr(value, tupleElementRepr);
  if (typeof value === 'number') return pyFloatStr(value);
  return keyString(value);
}

/** A string that is equal for keys Python's `==` finds equal; used to key maps. */
export function keyId(key: Key): string {
  const one = (x: Scalar): string =>
    x === null ? 'N' : typeof x === 'number' ? `n${Object.is(x, -0) ? 0 : x}` : `s${JSON.stringify(x)}`;
  return Array.isArray(key) ? `t[${key.map(one).join(',')}]` : one(key);
}

// Py2 orders None < numbers < other types by type name ('str' < 'tuple'); strings by bytes.
function typeRank(x: Key): number {
  if (x === null) return 0;
  if (typeof x === 'number') return 1;
  if (typeof x === 'string') return 2;
  return 3;
}

/** Python 2's ordering of keys (`sorted()`), for the parsers that sort groups. */
export function pyCompare(a: Key, b: Key): number {
  const ra = typeRank(a);
  const rb = typeRank(b);
  if (ra !== rb) return ra - rb;
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'string' && typeof b === 'string') return Buffer.compare(Buffer.from(a), Buffer.from(b));
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      const c = pyCompare(a[i] ?? null, b[i] ?? null);
      if (c !== 0) return c;
    }
    return a.length - b.length;
  }
  return 0;
}

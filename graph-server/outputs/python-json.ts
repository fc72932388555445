/** Python 2.7's `json.dumps(x, separators=(',',':'), indent=2)` with GraphTool's encoder, for `<json_query_metadata>`. */
import { pyFloatRepr, TYPED_VALUE_KINDS, type TypedValue } from '../../query-engine/index.js';

/** What GraphTool's `CustomDecimalDateObjectJSONEncoder` wrote for an object it could not encode. */
export const UNSUPPORTED_OBJECT = 'Not supported python object.';

// A JSON value as Python held it, before layout: numbers keep whether they were ints.
type PyJson =
  | { t: 'null' | 'true' | 'false' }
  | { t: 'int' | 'float'; n: number }
  | { t: 'str'; s: string }
  | { t: 'list'; items: PyJson[] }
  | { t: 'dict'; entries: [string, PyJson][] };

function isTypedValue(x: object): x is TypedValue {
  const keys = Object.keys(x);
  const type = (x as { type?: unknown }).type;
  return keys.length === 2 && 'value' in x && (TYPED_VALUE_KINDS as readonly unknown[]).includes(type);
}

// calendar.timegm(o.timetuple()): whole seconds, the fraction dropped.
function epochSeconds(d: Date): PyJson {
  return { t: 'int', n: Math.floor(d.getTime() / 1000) };
}

function number(n: number): PyJson {
  return Number.isInteger(n) ? { t: 'int', n } : { t: 'float', n };
}

function typed(v: TypedValue): PyJson {
  switch (v.type) {
    case 'datetime':
      return epochSeconds(v.value);
    case 'float':
      return { t: 'float', n: v.value };
    case 'int':
      return { t: 'int', n: v.value };
    case 'bool':
      return { t: v.value ? 'true' : 'false' };
    case 'string':
      return { t: 'str', s: v.value };
  }
}

/**
 * A JavaScript value as the Python object GraphTool would have dumped: a `TypedValue` as its
 * Python value, a `Date` as epoch seconds (the encoder's `timegm`), an `Error` as its message
 * (GraphTool printed a fixed sentence for exceptions), a function as `{}` (its empty `__dict__`),
 * any other non-plain object as {@link UNSUPPORTED_OBJECT}. Whole numbers print as ints, because
 * JavaScript cannot tell `3` from `3.0`. `undefined` members are left out, as Python has none.
 */
function toPyJson(x: unknown): PyJson {
  if (x === null || x === undefined) return { t: 'null' };
  if (typeof x === 'boolean') return { t: x ? 'true' : 'false' };
  if (typeof x === 'number') return number(x);
  if (typeof x === 'bigint') return { t: 'int', n: Number(x) };
  if (typeof x === 'string') return { t: 'str', s: x };
  if (typeof x === 'function') return { t: 'dict', entries: [] };
  if (typeof x !== 'object') return { t: 'str', s: UNSUPPORTED_OBJECT };
  if (Array.isArray(x)) return { t: 'list', items: x.map(toPyJson) };
  if (x instanceof Date) return epochSeconds(x);
  if (x instanceof Error) return { t: 'str', s: x.message };
  const proto: unknown = Object.getPrototypeOf(x);
  if (proto !== Object.prototype && proto !== null) return { t: 'str', s: UNSUPPORTED_OBJECT };
  if (isTypedValue(x)) return typed(x);
  const entries: [string, PyJson][] = [];
  for (const [k, v] of Object.entries(x)) if (v !== undefined) entries.push([k, toPyJson(v)]);
  return { t: 'dict', entries };
}

/** Characters `json.dumps` writes as they are: printable ASCII but `"` and `\`. */
const PLAIN_JSON_TEXT = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

/** `json.dumps` with `ensure_ascii`: everything outside printable ASCII as `\uXXXX` (UTF-16 units). */
function pyString(s: string): string {
  if (PLAIN_JSON_TEXT.test(s)) return `"${s}"`;
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const ch = s.charAt(i);
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (c < 0x20 || c > 0x7e) out += `\\u${c.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

// Python's json writes float repr(), and NaN/Infinity bare (allow_nan defaults to True).
function pyNumber(v: { t: 'int' | 'float'; n: number }): string {
  if (Number.isNaN(v.n)) return 'NaN';
  if (!Number.isFinite(v.n)) return v.n > 0 ? 'Infinity' : '-Infinity';
  if (v.t === 'float') return pyFloatRepr(v.n);
  return Math.abs(v.n) < 1e21 ? String(v.n) : BigInt(v.n).toString();
}

// indent=2 puts every member on its own line; without indent, members follow each other directly.
function layout(v: PyJson, level: number, indent: boolean): string {
  const inner = indent ? `\n${'  '.repeat(level + 1)}` : '';
  const close = indent ? `\n${'  '.repeat(level)}` : '';
  switch (v.t) {
    case 'null':
    case 'true':
    case 'false':
      return v.t;
    case 'int':
    case 'float':
      return pyNumber(v);
    case 'str':
      return pyString(v.s);
    case 'list':
      if (v.items.length === 0) return '[]';
      return `[${inner}${v.items.map((x) => layout(x, level + 1, indent)).join(`,${inner}`)}${close}]`;
    case 'dict':
      if (v.entries.length === 0) return '{}';
      return `{${inner}${v.entries.map(([k, x]) => `${pyString(k)}:${layout(x, level + 1, indent)}`).join(`,${inner}`)}${close}}`;
  }
}

/**
 * The text GraphTool put in `<json_query_metadata>`: `json.dumps(metadata, separators=(',',':'),
 * indent=2, cls=CustomDecimalDateObjectJSONEncoder)` under Python 2.7, keys in the order given.
 */
export function pythonJsonDumps(value: unknown): string {
  return layout(toPyJson(value), 0, true);
}

/** `json.dumps(x, separators=(',',':'))`: one line, as GraphTool encoded pivot names for Google Charts. */
export function pythonJsonCompact(value: unknown): string {
  return layout(toPyJson(value), 0, false);
}

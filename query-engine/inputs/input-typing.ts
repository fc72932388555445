/** Typing one query input as GraphTool's `Inputs.parse_type` did, then its `partial` rounding to the span. */
import { AppError, errorMessage } from '../../common/index.js';
import { DateTimeError, parseGraphToolDateTime } from './datetime.js';
import { evaluateExpression, ExpressionError } from './expression.js';
import { formatTypedValue, type TypedValue } from './typed-value.js';

/** `partial="down|up"` on an `<input>`. */
export const PARTIAL_DIRECTIONS = ['down', 'up'] as const;
export type PartialDirection = (typeof PARTIAL_DIRECTIONS)[number];

/** One `<input>` of a query's `<inputs>`. `default` is the element's stripped text. */
export interface InputDef {
  name: string;
  /** `int`, `float`, `eval`, `datetime`, `timestamp`, `bool`/`boolean`; anything else is string; absent = left as given. */
  type?: string;
  /** `sql` makes the input a bind variable. */
  kind?: string;
  partial?: PartialDirection;
  default: string;
}

/** What typing needs from the request: its clock (for `time.time()`) and, when known, the `span` for `partial`. */
export interface TypingContext {
  now: Date;
  span?: number;
}

/** A fixed clock for checking defaults at load time, so a check never depends on when it ran. */
export const DEFAULT_CHECK_NOW = new Date(Date.UTC(2016, 5, 13, 12, 0, 0));

/** Why a value does not fit its input's type (no input name; callers add it). */
class TypingError extends Error {}

const INT = /^\s*[+-]?\d+\s*$/;
const FLOAT = /^\s*[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)\s*$/;

function parseInt10(text: string): number {
  if (!INT.test(text)) throw new TypingError(`"${text}" is not an integer`);
  const n = Number(text.trim());
  if (!Number.isSafeInteger(n)) throw new TypingError(`"${text}" is too large an integer`);
  return n;
}

/** Types a string as `type` (no partial rounding). Throws TypingError. */
function typeText(type: string | undefined, text: string, now: Date): TypedValue {
  switch (type) {
    case undefined:
      return { type: 'string', value: text };
    case 'int':
      return { type: 'int', value: parseInt10(text) };
    case 'float': {
      // Python also reads inf and nan; neither can be bound sensibly, so they are refused.
      if (!FLOAT.test(text)) throw new TypingError(`"${text}" is not a number`);
      return { type: 'float', value: Number(text.trim()) };
    }
    case 'eval':
      return evaluateExpression(text, { now });
    case 'datetime':
      return { type: 'datetime', value: parseGraphToolDateTime(text, now) };
    case 'timestamp':
      return { type: 'int', value: Math.floor(parseGraphToolDateTime(text, now).getTime() / 1000) };
    case 'bool':
    case 'boolean': {
      const word = text.trim().toLowerCase();
      if (word === 'true') return { type: 'bool', value: true };
      if (word === 'false') return { type: 'bool', value: false };
      throw new TypingError(`"${text}" is not a boolean; valid inputs are 'true' or 'false'`);
    }
    default:
      return { type: 'string', value: text };
  }
}

/**
 * Re-types a value a child level already typed, as a parent's filter did in GraphTool: a value already of
 * the target type is kept; a number read as an int truncates (Python `int(5.7)`); a non-string read as a
 * bool is its truthiness; anything else is printed (Python `str()`) and parsed again.
 */
function retype(type: string | undefined, value: TypedValue, now: Date): TypedValue {
  if (value.type === 'string') return typeText(type, value.value, now);
  switch (type) {
    case undefined:
      return value;
    case 'int':
      if (value.type === 'int') return value;
      if (value.type === 'float') return { type: 'int', value: Math.trunc(value.value) };
      break;
    case 'float':
      if (value.type === 'int' || value.type === 'float') return { type: 'float', value: value.value };
      break;
    case 'eval':
      if (value.type === 'int' || value.type === 'float') return value;
      break;
    case 'datetime':
      if (value.type === 'datetime') return value;
      break;
    case 'timestamp':
      if (value.type === 'datetime') return { type: 'int', value: Math.floor(value.value.getTime() / 1000) };
      break;
    case 'bool':
    case 'boolean':
      return { type: 'bool', value: value.type === 'datetime' ? true : Boolean(value.value) };
    default:
      return { type: 'string', value: formatTypedValue(value) };
  }
  return typeText(type, formatTypedValue(value), now);
}

/**
 * GraphTool's `partial` rounding, only when a span is known and the value is a datetime:
 * `down` truncates to the hour for span 3600 and to midnight for spans of a day or more;
 * `up` gives `HH:59:59` / `23:59:59` under the same conditions; other spans leave the value alone.
 */
export function applyPartial(value: TypedValue, partial: PartialDirection | undefined, span: number | undefined): TypedValue {
  if (!partial || span === undefined || value.type !== 'datetime') return value;
  const d = new Date(value.value.getTime());
  if (span === 3600) {
    d.setUTCMinutes(partial === 'down' ? 0 : 59, partial === 'down' ? 0 : 59, 0);
  } else if (span >= 86400) {
    d.setUTCHours(partial === 'down' ? 0 : 23, partial === 'down' ? 0 : 59, partial === 'down' ? 0 : 59, 0);
  } else {
    return value;
  }
  return { type: 'datetime', value: d };
}

/** Types `value` (text or a child's typed value) with `def`'s type and partial. Throws TypingError. */
export function applyInputDef(def: InputDef, value: string | TypedValue, ctx: TypingContext): TypedValue {
  const typed = typeof value === 'string' ? typeText(def.type, value, ctx.now) : retype(def.type, value, ctx.now);
  return applyPartial(typed, def.partial, ctx.span);
}

/**
 * Types a URL value for `def` (type, then partial when `ctx.span` is known).
 * A value that does not fit throws `AppError('bad_request', 'input "<name>": ...')`.
 */
export function typeInputValue(def: InputDef, raw: string, ctx: TypingContext): TypedValue {
  try {
    return applyInputDef(def, raw, ctx);
  } catch (err) {
    throw urlValueError(def.name, raw, err);
  }
}

/**
 * Types `def`'s default. A default that does not fit is the query file's fault: it throws
 * `AppError('config', 'input "<name>": default "<text>": ...')`, never a 400.
 */
export function typeInputDefault(def: InputDef, ctx: TypingContext): TypedValue {
  try {
    return applyInputDef(def, def.default.trim(), ctx);
  } catch (err) {
    throw defaultValueError(def.name, def.default, err);
  }
}

/**
 * Checks a default at load time, evaluating with the fixed {@link DEFAULT_CHECK_NOW}. Returns what is
 * wrong (for the loader to report with the element's position), or undefined when it is fine. `partial`
 * on a non-datetime input is reported too: GraphTool asserted on it at request time.
 */
export function checkInputDefault(def: InputDef, now: Date = DEFAULT_CHECK_NOW): string | undefined {
  if (def.partial && def.type !== 'datetime') {
    return `input "${def.name}": partial="${def.partial}" needs type="datetime"`;
  }
  try {
    typeInputDefault(def, { now });
    return undefined;
  } catch (err) {
    return errorMessage(err);
  }
}

/** Errors that mean "this text does not fit the type", as opposed to bugs, which stay 500s. */
function isValueError(err: unknown): err is Error {
  return err instanceof TypingError || err instanceof ExpressionError || err instanceof DateTimeError;
}

/** The 400 for a URL value that does not fit its input. */
export function urlValueError(name: string, raw: string, err: unknown): unknown {
  if (!isValueError(err)) return err;
  return new AppError('bad_request', `input "${name}": ${err.message}`, { input: name, value: raw }, { cause: err });
}

/** The config error for a default that does not fit its input. */
export function defaultValueError(name: string, raw: string, err: unknown): unknown {
  if (!isValueError(err)) return err;
  return new AppError('config', `input "${name}": default "${raw.trim()}": ${err.message}`, { input: name, default: raw }, { cause: err });
}

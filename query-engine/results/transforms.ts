/** GraphTool's generic transforms (`graphtool.database.query_handler`): echo, make_*, adjust_time, pivot joining. */
import { dataError } from './errors.js';
import { asciiLower, keyString, pyFloat, pyInt, pyStrip } from './python-values.js';
import { toTimestamp } from './to-timestamp.js';
import type { Scalar, Transform, Value } from './types.js';

/** Python's `str()` of any transform argument (tuples included). */
export function strOf(x: Value): string {
  return keyString(x);
}

/** The first argument, or the failure Python gives a transform called with none. */
export function firstArg(args: readonly Value[], transform: string): Value {
  const first = args[0];
  if (first === undefined) throw dataError(`${transform}() got no argument`);
  return first;
}

/** The identity: one argument comes back as is, several as a tuple. */
export const echo: Transform = (args) => {
  if (args.length > 1) return args.map((a) => (Array.isArray(a) ? keyString(a) : a));
  return firstArg(args, 'echo');
};

/**
 * `int(x)`: truncates a number. The store returns DECIMAL columns (`truncate(..)*:span`) as text
 * where MySQLdb returned a `Decimal`, so numeric text truncates too rather than failing.
 */
export const makeInt: Transform = (args) => {
  const x = firstArg(args, 'make_int');
  const n = pyInt(x) ?? (typeof x === 'string' ? pyInt(pyFloat(x)) : undefined);
  if (n === undefined) throw dataError(`make_int: int() cannot convert ${JSON.stringify(x)}`, { value: x });
  return n;
};

/** `float(x)`. */
export const makeFloat: Transform = (args) => {
  const x = firstArg(args, 'make_float');
  const n = Array.isArray(x) ? undefined : pyFloat(x);
  if (n === undefined) throw dataError(`make_float: float() cannot convert ${JSON.stringify(x)}`, { value: x });
  return n;
};

/** `str(x)`. */
export const makeString: Transform = (args) => strOf(firstArg(args, 'make_string'));

/**
 * `adjust_time(t, adjust_hours=h)`: the time shifted by `h` hours. GraphTool returned a `datetime`;
 * we return epoch seconds, the form the appliance's time groups take.
 */
export const adjustTime: Transform = (args, kw) => {
  const hours = kw.adjust_hours === undefined ? 0 : pyFloat(kw.adjust_hours);
  if (hours === undefined) throw dataError(`adjust_time: adjust_hours=${JSON.stringify(kw.adjust_hours)} is not a number`);
  return toTimestamp(firstArg(args, 'adjust_time')) + hours * 3600;
};

function falsy(x: Value): boolean {
  return x === null || x === 0 || x === '' || (Array.isArray(x) && x.length === 0);
}

/**
 * `comma_separeted_pivot_arr` [sic]: the pivot columns joined with `", "`. A None, blank or
 * "unknown" column drops the row unless `exclude-empty-nulls-unkowns=NO`; then a falsy column
 * prints `Unknown`. Python's join fails on a number; we print it with `str()` instead.
 */
export const commaSeparatedPivotArr: Transform = (args, kw) => {
  const skip = kw['exclude-empty-nulls-unkowns'] !== 'NO';
  const parts: string[] = [];
  for (const part of args) {
    if (skip && (part === null || asciiLower(strOf(part)) === 'unknown' || pyStrip(strOf(part)) === '')) return null;
    parts.push(falsy(part) ? 'Unknown' : strOf(part));
  }
  return parts.join(', ');
};

/** `json_pivot_arr`: the pivot columns as a tuple, even when there is one. */
export const jsonPivotArr: Transform = (args) => args.map((a): Scalar => (Array.isArray(a) ? keyString(a) : a));

/** What every output reads off a result the way GraphTool did: the title, the merged variables, the columns, descending groups, time groups. */
import { formatTypedValue, keyString, pyCompare, toTimestamp, valueString, type Key, type PivotGroups, type TypedValue, type Value } from '../../query-engine/index.js';
import type { RenderableResult } from './types.js';

/** A variable as GraphTool's `given_kw` held it: a typed input, or an undeclared URL parameter's text. */
export type KwValue = TypedValue | string;

/** Python's `str()` of a variable. */
export function kwString(v: KwValue): string {
  return typeof v === 'string' ? v : formatTypedValue(v);
}

/**
 * GraphTool's `<sqlvars>`: `sql_vars` updated with `given_kw` (every typed query input plus the URL
 * parameters no input declares), which is also what `<url>` lists. GraphTool's dicts had no order;
 * ours is the sql vars, then the other inputs, then the undeclared parameters, each as the engine
 * listed them.
 */
export function mergedVars(result: RenderableResult): [string, KwValue][] {
  const merged = new Map<string, KwValue>();
  for (const [k, v] of Object.entries(result.sqlVars)) merged.set(k, result.inputs[k] ?? v);
  for (const [k, v] of Object.entries(result.inputs)) merged.set(k, v);
  for (const [k, v] of Object.entries(result.given)) if (!(k in result.inputs)) merged.set(k, v);
  return [...merged];
}

/** GraphTool's `given_kw`: every typed input plus the undeclared URL parameters. */
export function givenKw(result: RenderableResult): [string, KwValue][] {
  const kw = new Map<string, KwValue>(Object.entries(result.inputs));
  for (const [k, v] of Object.entries(result.given)) if (!kw.has(k)) kw.set(k, v);
  return [...kw];
}

/**
 * A metadata entry as text (GraphTool's `str(metadata.get(key))`), or undefined when absent or not
 * a plain value (attributes are text; numbers and booleans print as Python would).
 */
export function metaText(metadata: Record<string, unknown>, key: string): string | undefined {
  const v = metadata[key];
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return keyString(v);
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  return undefined;
}

/**
 * The XML title: the `title` attribute, or a `title` URL parameter, with `$name` replaced by each
 * sql var's `str()` (`expand_string`; only sql vars, because GraphTool expanded before merging the
 * inputs in). GraphTool replaced in dict order; longer names go first here, so `$starttime` is not
 * eaten by a `$start`.
 */
export function expandedTitle(result: RenderableResult): string {
  // A `title` input wins over a `title` URL parameter, as in `given_kw`.
  const override: KwValue | undefined = result.inputs.title ?? result.given.title;
  let title = override !== undefined ? kwString(override) : (metaText(result.metadata, 'title') ?? '');
  const vars = Object.entries(result.sqlVars).sort(([a], [b]) => b.length - a.length);
  for (const [k, v] of vars) title = title.split(`$${k}`).join(formatTypedValue(v));
  return title;
}

// Python's str.strip() whitespace (JS trim() also strips Unicode spaces, which Py2 byte strings kept).
function pyStrip(s: string): string {
  return s.replace(/^[ \t\n\r\v\f]+|[ \t\n\r\v\f]+$/g, '');
}

/** One column: a `column_names` entry and its `column_units` entry. */
export interface Column {
  name: string;
  unit: string;
}

/**
 * `write_columns`: `column_names` and `column_units` split on `,` and stripped, one column per
 * name. As in Python, `''.split(',')` is `['']`, so a query without columns still has one empty
 * column. A duplicated name takes the unit of its last pairing (GraphTool mapped name → unit); a
 * name past the last unit gets `''`, where GraphTool raised a KeyError.
 */
export function graphtoolColumns(metadata: Record<string, unknown>): Column[] {
  const names = (metaText(metadata, 'column_names') ?? '').split(',').map(pyStrip);
  const units = (metaText(metadata, 'column_units') ?? '').split(',').map(pyStrip);
  const unitOf = new Map<string, string>();
  for (let i = 0; i < Math.min(names.length, units.length); i++) unitOf.set(names[i] ?? '', units[i] ?? '');
  return names.map((name) => ({ name, unit: unitOf.get(name) ?? '' }));
}

/** A pivot's groups as GraphTool listed them: `keys.sort(); keys.reverse()`, so largest first. */
export function descendingGroups(pivot: PivotGroups): PivotGroups['groups'] {
  return [...pivot.groups].sort((a, b) => pyCompare(b.group, a.group));
}

/** GraphTool printed groups as dates when `grouping_name` is `time` in any case. */
export function isTimeGrouping(groupingName: string | undefined): boolean {
  return groupingName !== undefined && groupingName.replace(/[A-Z]+/g, (m) => m.toLowerCase()) === 'time';
}

/**
 * A time group as a UTC date (`utcfromtimestamp(to_timestamp(group))`), or undefined where
 * GraphTool raised (a tuple, text that is no date, a year outside 1..9999); the caller then prints
 * the group as it is.
 */
export function groupDate(group: Key): Date | undefined {
  if (Array.isArray(group) || group === null) return undefined;
  let seconds: number;
  try {
    seconds = toTimestamp(group);
  } catch {
    return undefined;
  }
  const date = new Date(seconds * 1000);
  const year = date.getUTCFullYear();
  return Number.isNaN(date.getTime()) || year < 1 || year > 9999 ? undefined : date;
}

/** `strftime('%x %X')` in the C locale: `06/13/16 12:00:00`. */
export function localeDateTimeString(date: Date): string {
  const two = (n: number): string => String(n).padStart(2, '0');
  const day = `${two(date.getUTCMonth() + 1)}/${two(date.getUTCDate())}/${two(date.getUTCFullYear() % 100)}`;
  return `${day} ${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())}`;
}

/** `addData`: one `str()` per element of a tuple value, else the value's `str()`. */
export function datumStrings(value: Value): string[] {
  return Array.isArray(value) ? value.map((x) => valueString(x)) : [valueString(value)];
}

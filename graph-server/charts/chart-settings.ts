/** The graph options GraphTool read with `find_info` (URL parameter before metadata), resolved once per chart. */
import { formatTypedValue, keyString, unanchorPlainName, type TypedValue } from '../../query-engine/index.js';
import type { ChartInput } from './types.js';

/** Everything a chart builder reads besides the data. */
export interface ChartSettings {
  graphType: string;
  /** The title after `$var` expansion, before any graph adds to it. */
  title: string;
  pivotName: string;
  groupingName: string;
  columnNames: string;
  columnUnits: string;
  /** DBGraph's axis labels: `ylabel` or `column_names [column_units]`; `grouping_name` or `xlabel`. */
  xlabel: string;
  ylabel: string;
  /** The bin width in seconds (URL, sql var, metadata, input), if any. */
  span: number | undefined;
  /** Whether `span` is a whole number (Python `range()` over the bins needed one). */
  spanIsInt: boolean;
  /** `entries` (default 20): summarizing graphs keep the top N-1 pivots and put the rest in `Other`. */
  entries: number;
  logY: boolean;
  logYMin: number;
  /** `legend` unless its text contains an `f` (GraphTool's boolean rule). */
  legend: boolean;
  colorOverride: Record<string, string>;
  /** Pivot name → colour from the stored registry (every graph draws a name in its colour); empty without one. */
  registeredColors: ReadonlyMap<string, string>;
  /** `is_cumulative`: true, false, or undefined when neither the query nor its results function set it. */
  isCumulative: boolean | undefined;
  /** `croptime` (metadata first, as GraphTool read it): x-range from the data instead of starttime..endtime. */
  croptime: boolean;
  /** `starttime`/`endtime` in epoch seconds (sql vars, then metadata, then inputs), if given. */
  starttime: number | undefined;
  endtime: number | undefined;
  /** The metadata, for graph-specific keys (`nbins`, `lineskip`, ...). */
  metadata: Record<string, unknown>;
}

const NO_COLORS: ReadonlyMap<string, string> = new Map();

function metaString(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return keyString(v);
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  return undefined;
}

function typedNumber(v: TypedValue | undefined): number | undefined {
  if (!v) return undefined;
  if (v.type === 'int' || v.type === 'float') return v.value;
  if (v.type === 'datetime') return Math.floor(v.value.getTime() / 1000);
  if (v.type === 'string') return numberText(v.value);
  return undefined;
}

function numberText(s: string): number | undefined {
  const n = Number(s.trim());
  return s.trim() !== '' && Number.isFinite(n) ? n : undefined;
}

function timeValue(v: unknown): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'object' && 'type' in v && 'value' in v) return typedNumber(v as TypedValue);
  if (v instanceof Date) return Math.floor(v.getTime() / 1000);
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    const n = numberText(v);
    if (n !== undefined) return n;
    const m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?/.exec(v.trim());
    if (m) return Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0)) / 1000;
  }
  return undefined;
}

/** GraphTool's boolean-from-text rule for prefs: false when the text contains an `f`. */
function flag(v: unknown, dflt: boolean): boolean {
  if (v === undefined || v === null) return dflt;
  if (typeof v === 'boolean') return v;
  if (typeof v !== 'string' && typeof v !== 'number') return dflt;
  return !String(v).toLowerCase().includes('f');
}

function parseColorOverride(v: unknown): Record<string, string> {
  let obj: unknown = v;
  if (typeof v === 'string' && v.trim().startsWith('{')) {
    try {
      obj = JSON.parse(v.trim().replace(/'/g, '"'));
    } catch {
      return {};
    }
  }
  if (!obj || typeof obj !== 'object' || Array.isArray(obj)) return {};
  const out: Record<string, string> = {};
  for (const [k, c] of Object.entries(obj as Record<string, unknown>)) if (typeof c === 'string') out[k] = c;
  return out;
}

/** `$name` replaced by each variable's text, longest names first so `$starttime` is not eaten by a `$start`. */
export function expandVars(text: string, vars: Record<string, string>): string {
  let out = text;
  for (const [k, v] of Object.entries(vars).sort(([a], [b]) => b.length - a.length)) out = out.split(`$${k}`).join(v);
  return out;
}

/**
 * Resolves the settings. URL parameters beat metadata for `title`, `column_names`, `column_units`,
 * `xlabel`, `ylabel`, `pivot_name`, `grouping_name`, `span` and `log_*`, as GraphTool's `find_info`.
 * `$vars` in the title expand from the URL parameters and the typed inputs (GraphTool expanded from
 * the URL keywords only, which left `$vo` literal whenever the default was used).
 */
export function resolveSettings(result: ChartInput, params: Record<string, string>, graphType: string): ChartSettings {
  const md = result.metadata;
  const find = (key: string): string => params[key] ?? metaString(md[key]) ?? '';
  const vars: Record<string, string> = {};
  for (const [k, v] of Object.entries(result.inputs)) vars[k] = formatTypedValue(v);
  for (const [k, v] of Object.entries(result.given)) vars[k] = v;
  for (const [k, v] of Object.entries(params)) vars[k] = v;
  // What the user asked for: the page anchors a plain `vo=cms` as `^cms$` to match it exactly; the title says `cms`.
  for (const [k, v] of Object.entries(vars)) vars[k] = unanchorPlainName(v);
  const title = expandVars(find('title'), vars);

  const columnNames = find('column_names');
  const columnUnits = find('column_units');
  const ylabel = find('ylabel') || (columnUnits.length > 0 ? `${columnNames} [${columnUnits}]` : columnNames);
  const groupingName = find('grouping_name');
  const xlabel = groupingName || find('xlabel');

  const spanText = params.span;
  const span =
    (spanText !== undefined ? numberText(spanText) : undefined) ??
    typedNumber(result.sqlVars.span) ??
    (typeof md.span === 'number' ? md.span : typeof md.span === 'string' ? numberText(md.span) : undefined) ??
    typedNumber(result.inputs.span);
  const spanTyped = result.sqlVars.span ?? result.inputs.span;
  const spanIsInt = span !== undefined && Number.isInteger(span) && (spanText !== undefined || spanTyped?.type !== 'float');

  const entriesNum = Number(metaString(md.entries) ?? '20');
  const logYMinNum = Number(find('log_ymin') || '-1');
  let isCumulative: boolean | undefined;
  const ic = md.is_cumulative;
  if (typeof ic === 'boolean') isCumulative = ic;
  else if (typeof ic === 'string') isCumulative = !ic.toLowerCase().includes('f') && !ic.toLowerCase().includes('n');
  else if (typeof ic === 'number') isCumulative = ic !== 0;

  return {
    graphType,
    title,
    pivotName: find('pivot_name'),
    groupingName,
    columnNames,
    columnUnits: columnUnits.trim(),
    xlabel,
    ylabel,
    span: span !== undefined && span > 0 ? span : undefined,
    spanIsInt,
    entries: Number.isFinite(entriesNum) && entriesNum >= 1 ? Math.trunc(entriesNum) : 20,
    logY: find('log_yaxis').toLowerCase().includes('r'),
    logYMin: Number.isFinite(logYMinNum) ? logYMinNum : -1,
    legend: flag(md.legend, true),
    colorOverride: parseColorOverride(md.color_override),
    registeredColors: NO_COLORS,
    isCumulative,
    croptime: (metaString(md.croptime) ?? params.croptime ?? '').toLowerCase().includes('t'),
    starttime: timeValue(result.sqlVars.starttime) ?? timeValue(md.starttime) ?? timeValue(result.inputs.starttime),
    endtime: timeValue(result.sqlVars.endtime) ?? timeValue(md.endtime) ?? timeValue(result.inputs.endtime),
    metadata: md,
  };
}

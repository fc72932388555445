/** The appliance's own JSON output (`/gratia/json/<query>`): the XML page's facts with keys and values as JSON values. */
import { formatTypedValue } from '../../query-engine/index.js';
import type { Key, Scalar, Value } from '../../query-engine/index.js';
import { descendingGroups, expandedTitle, graphtoolColumns, mergedVars, metaText, type Column, type KwValue } from './query-view.js';
import type { RenderableResult } from './types.js';

/** A pivot or group: a string, a number, `null` (SQL NULL), or an array for a tuple key. */
export type JsonKey = JsonScalar | JsonScalar[];
/** A value: a number (`null` for NaN/infinity, which JSON lacks), text for a text column, an array for several results columns. */
export type JsonValue = JsonScalar | JsonScalar[];
export type JsonScalar = string | number | null;

/**
 * The document `renderJson` returns:
 *
 * ```json
 * {
 *   "query": "vo_hours_bar_smry",
 *   "title": "Hours Spent on Jobs By VO",
 *   "kind": "pivot-group",
 *   "graph_type": "GratiaStackedBar",
 *   "pivot_name": "VO",
 *   "grouping_name": null,
 *   "columns": [{ "name": "Wall Time", "unit": "Hours" }],
 *   "sql_vars": { "starttime": "2016-06-17 00:00:00", "span": 86400, "vo": "cms|atlas" },
 *   "data": [
 *     { "pivot": "cms", "groups": [{ "group": 1467158400, "value": 123456.789012 }] }
 *   ]
 * }
 * ```
 *
 * - `title`: as the XML `<title>` (`$vars` expanded, a `title` parameter wins); `""` when none.
 * - `graph_type`, `pivot_name`, `grouping_name`: the query's attributes, `null` when unset.
 * - `columns`: `column_names` paired with `column_units` (split on `,`); `[]` without `column_names`.
 * - `sql_vars`: what the XML lists in `<sqlvars>`: the sql vars, every other input and the URL
 *   parameters no input declares. Numbers and booleans are JSON numbers and booleans; a datetime
 *   is text `YYYY-MM-DD HH:MM:SS` (UTC), the form the URL takes back.
 * - `data` by `kind`:
 *   - `pivot-group`: `[{ pivot, groups: [{ group, value }] }]`, each pivot's groups largest first
 *     as in the XML and CSV; time groups stay epoch seconds (numbers) whatever `grouping_name` is;
 *   - `pivot` and `complex-pivot`: `[{ pivot, value }]`, in the results' order.
 *   A tuple pivot (`('Nebraska', 'cms')`) is an array `["Nebraska", "cms"]`; a value with several
 *   results columns is an array of numbers, one per column.
 * - `error`: present only when the query failed; `data` is then what the results made of no rows.
 */
export interface QueryJson {
  query: string;
  title: string;
  kind: RenderableResult['kind'];
  graph_type: string | null;
  pivot_name: string | null;
  grouping_name: string | null;
  columns: Column[];
  sql_vars: Record<string, string | number | boolean>;
  data: { pivot: JsonKey; groups: { group: JsonKey; value: JsonValue }[] }[] | { pivot: JsonKey; value: JsonValue }[];
  error?: string;
}

function scalar(x: Scalar): JsonScalar {
  return typeof x === 'number' && !Number.isFinite(x) ? null : x;
}

function jsonKey(k: Key | Value): JsonKey {
  return Array.isArray(k) ? k.map(scalar) : scalar(k);
}

function jsonVar(v: KwValue): string | number | boolean {
  if (typeof v === 'string') return v;
  if (v.type === 'datetime') return formatTypedValue(v);
  return v.value;
}

/** The query document described at {@link QueryJson}. */
export function queryJson(result: RenderableResult): QueryJson {
  const { data, metadata } = result;
  const doc: QueryJson = {
    query: result.name,
    title: expandedTitle(result),
    kind: data.kind,
    graph_type: metaText(metadata, 'graph_type') ?? null,
    pivot_name: metaText(metadata, 'pivot_name') ?? null,
    grouping_name: metaText(metadata, 'grouping_name') ?? null,
    columns: metaText(metadata, 'column_names') ? graphtoolColumns(metadata) : [],
    sql_vars: Object.fromEntries(mergedVars(result).map(([k, v]) => [k, jsonVar(v)])),
    data:
      data.kind === 'pivot-group'
        ? data.pivots.map((p) => ({
            pivot: jsonKey(p.pivot),
            groups: descendingGroups(p).map((g) => ({ group: jsonKey(g.group), value: jsonKey(g.value) })),
          }))
        : data.entries.map((e) => ({ pivot: jsonKey(e.pivot), value: jsonKey(e.value) })),
  };
  if (result.error !== undefined) doc.error = result.error;
  return doc;
}

/** The JSON text served for a query: {@link QueryJson}, compact. */
export function renderJson(result: RenderableResult): string {
  return JSON.stringify(queryJson(result));
}

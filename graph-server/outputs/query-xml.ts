/** GraphTool's XML query page (`XmlGenerator.handle_results`), byte for byte: element order, tabs and newlines, escaping. */
import { toSqlDateTime } from '../../common/index.js';
import { keyString, valueString, type Key, type Value } from '../../query-engine/index.js';
import { pythonJsonCompact, pythonJsonDumps } from './python-json.js';
import {
  datumStrings,
  descendingGroups,
  expandedTitle,
  givenKw,
  graphtoolColumns,
  groupDate,
  isTimeGrouping,
  kwString,
  mergedVars,
  metaText,
  type KwValue,
} from './query-view.js';
import type { QueryXmlOptions, RenderableResult } from './types.js';
import { escapeText, quoteAttr, XmlWriter, type Attrs } from './xml-writer.js';

/** The stylesheet GraphTool's XML pages name; it renders them as HTML in a browser. */
export const XSLT_NAME = 'xml_results.xsl';

/** `startDocument`: declaration, stylesheet, DOCTYPE, `<graphtool>`, `static_base_url`, `html_title`. */
export function startDocument(staticBaseUrl: string, htmlTitle: string): XmlWriter {
  return new XmlWriter()
    .declaration()
    .raw(`<?xml-stylesheet type="text/xsl" href="${staticBaseUrl}/${XSLT_NAME}"?>\n`)
    .raw('<!DOCTYPE graphtool-data>\n')
    .start('graphtool')
    .text('\n\t')
    .element('attr', staticBaseUrl, [['name', 'static_base_url']])
    .text('\n\t')
    .element('html_title', htmlTitle)
    .text('\n\t');
}

/** `endDocument`. */
export function endDocument(w: XmlWriter): string {
  return w.end('graphtool').text('\n').toString();
}

// The attribute orders below are the order CPython 2 (64-bit) iterated GraphTool's attribute dicts,
// which is what every GraphTool XML page showed; the key sets are fixed, so the orders are too.
function dataAttrs(kind: 'pivot-group' | 'pivot', pivot: string, group: string, coords: boolean | undefined): Attrs {
  const a = { kind: ['kind', kind], pivot: ['pivot', pivot], group: ['group', group], coords: ['coords', coords ? 'True' : 'False'] } as const;
  if (coords === undefined) return pivot ? [a.pivot, a.kind] : [a.kind];
  if (pivot && group) return [a.pivot, a.kind, a.coords, a.group];
  if (pivot) return [a.pivot, a.kind, a.coords];
  if (group) return [a.coords, a.kind, a.group];
  return [a.kind, a.coords];
}

function sqlVarsElement(w: XmlWriter, vars: [string, KwValue][]): void {
  w.start('sqlvars');
  for (const [name, value] of vars) w.text('\n\t\t\t').element('var', kwString(value), [['name', name]]);
  w.text('\n\t\t').end('sqlvars').text('\n\t\t');
}

/**
 * The metadata GraphTool dumped into `<json_query_metadata>`, as it stood at that point: the
 * query's metadata with `sql_vars` already merged with `given_kw`, and `translate_mp_2_gc` set.
 * GraphTool's encoder turned the failure into a fixed sentence; the error message is kept here.
 */
function jsonMetadata(result: RenderableResult, vars: [string, KwValue][], kw: [string, KwValue][]): Record<string, unknown> {
  const meta: Record<string, unknown> = { ...result.metadata };
  meta.name ??= result.name;
  meta.kind ??= result.kind;
  meta.sql_vars = Object.fromEntries(vars);
  meta.given_kw = Object.fromEntries(kw);
  meta.translate_mp_2_gc = false;
  if (result.error !== undefined) meta.error = result.error;
  return meta;
}

// `write_graph_url`: a Google Charts query links back to this XML mount, a matplotlib one (the
// default) to its grapher when there is one, any other graph_kind to nothing.
function graphUrlBase(result: RenderableResult, opts: QueryXmlOptions): string | undefined {
  const graphKind = metaText(result.metadata, 'graph_kind');
  if (graphKind === 'google_charts') return opts.baseUrl;
  if (!graphKind || graphKind === 'matplotlib') return opts.graphUrl;
  return undefined;
}

function columnsElement(w: XmlWriter, metadata: Record<string, unknown>): void {
  const columns = graphtoolColumns(metadata);
  // Never empty: ''.split(',') is [''] (see graphtoolColumns); the check mirrors GraphTool's.
  if (columns.length === 0) return;
  w.start('columns');
  columns.forEach((c, i) => w.text('\n\t\t\t').element('column', c.name, [['index', String(i + 1)], ['unit', c.unit]]));
  w.text('\n\t\t').end('columns').text('\n\t\t');
}

/** `pivotName`: `str(pivot)`, or for Google Charts queries the pivot's JSON with a tuple's brackets dropped. */
function pivotName(pivot: Key, googleCharts: boolean): string {
  if (!googleCharts) return keyString(pivot);
  const json = pythonJsonCompact(pivot);
  return json.startsWith('[') ? json.slice(1, -1) : json;
}

// `addData` without image-map coordinates: the appliance draws no server-side image map. A number's
// `str()` is digits, a point, a sign or an exponent: nothing to escape.
function dataText(value: Value): string {
  if (typeof value === 'number') return `\n\t\t\t\t\t<d>${valueString(value)}</d>\n\t\t\t\t`;
  let out = '';
  for (const datum of datumStrings(value)) out += `\n\t\t\t\t\t<d>${escapeText(datum)}</d>`;
  return `${out}\n\t\t\t\t`;
}

/** A group's `value` attribute; every pivot repeats the same groups (the days), so each is worked out once per page. */
function groupLabeler(time: boolean): (group: Key) => string {
  const seen = new Map<Key, string>();
  return (group) => {
    if (Array.isArray(group)) return quoteAttr(keyString(group));
    let label = seen.get(group);
    if (label === undefined) {
      const date = time ? groupDate(group) : undefined;
      // `str(datetime)` is `2016-06-13 12:00:00`, the SQL form.
      label = quoteAttr(date ? toSqlDateTime(date) : keyString(group));
      seen.set(group, label);
    }
    return label;
  };
}

function dataElement(w: XmlWriter, result: RenderableResult): void {
  const { data, metadata } = result;
  const pivotText = metaText(metadata, 'pivot_name') ?? '';
  const googleCharts = metaText(metadata, 'graph_kind') === 'google_charts';
  columnsElement(w, metadata);
  if (data.kind === 'pivot-group') {
    const groupText = metaText(metadata, 'grouping_name') ?? '';
    const label = groupLabeler(isTimeGrouping(groupText));
    w.start('data', dataAttrs('pivot-group', pivotText, groupText, false));
    // Every page of a graph is mostly this loop: written in one go rather than an element at a time.
    let body = '';
    for (const pivot of data.pivots) {
      body += `\n\t\t\t<pivot name=${quoteAttr(pivotName(pivot.pivot, googleCharts))}>`;
      for (const { group, value } of descendingGroups(pivot)) body += `\n\t\t\t\t<group value=${label(group)}>${dataText(value)}</group>`;
      body += '</pivot>';
    }
    w.raw(body);
  } else {
    // complex-pivot is written with kind="pivot" and no coords attribute, as GraphTool did.
    w.start('data', dataAttrs('pivot', pivotText, '', data.kind === 'pivot' ? false : undefined));
    for (const { pivot, value } of data.entries) {
      w.text('\n\t\t\t').start('pivot', [['name', pivotName(pivot, googleCharts)]]);
      w.raw(dataText(value));
      w.text('\n\t\t\t').end('pivot');
    }
  }
  w.text('\n\t\t').end('data').text('\n\t');
}

/**
 * The query page GraphTool's `XmlGenerator` served (`/gratia/xml/<query>`), byte for byte as
 * GraphTool 0.6 wrote it under Python 2, including its blank indented lines.
 *
 * Where GraphTool left an order to Python's dict hashing (pivots, `<sqlvars>`, the `<url>`
 * parameters) the result's order is kept. `coords` is always `False`: GraphTool's image-map
 * polygons came from a matplotlib rendering that the appliance does not do.
 *
 * A failed query: GraphTool printed the page as usual, with the data its results function made of
 * no rows, and carried the failure only as `"error"` inside `<json_query_metadata>`. The page here
 * does the same, and adds an `<error>` element before `<columns>`; GraphTool's stylesheet and
 * clients select the elements they know by name, so an extra element leaves them working.
 */
export function renderQueryXml(result: RenderableResult, opts: QueryXmlOptions): string {
  const { metadata } = result;
  const title = expandedTitle(result);
  const w = startDocument(opts.staticBaseUrl, `Results of Query: ${title}`);
  w.start('query', result.name ? [['name', result.name]] : []).text('\n\t\t');
  if (title) w.element('title', title).text('\n\t\t');
  w.element('translate_mp_2_gc', 'FALSE').text('\n\t\t');
  for (const key of ['graph_type', 'graph_kind', 'js_chart_setup'] as const) {
    const text = metaText(metadata, key);
    if (text) w.element(key === 'graph_type' ? 'graph' : key, text).text('\n\t\t');
  }
  w.start('sql').text(result.sqlTemplate).text('\n\t\t').end('sql').text('\n\t\t');
  const vars = mergedVars(result);
  const kw = givenKw(result);
  sqlVarsElement(w, vars);
  w.text('\n\t\t');
  w.element('json_query_metadata', pythonJsonDumps(jsonMetadata(result, vars, kw))).text('\n\t\t');
  w.text('\n\t\t');
  w.element('attr', opts.baseUrl, [['name', 'base_url']]).text('\n\t\t');
  const urlBase = graphUrlBase(result, opts);
  if (urlBase !== undefined) {
    const params = kw.map(([k, v]) => `${k}=${kwString(v)}&`).join('');
    w.element('url', `${urlBase}/${result.name}?${params}`).text('\n\t\t');
  }
  if (result.error !== undefined) w.element('error', result.error).text('\n\t\t');
  dataElement(w, result);
  w.end('query').text('\n');
  return endDocument(w);
}

/**
 * The XML query page is GraphTool's, byte for byte.
 *
 * How the expected files were derived: by hand, from GraphTool 0.6's `XmlGenerator`
 * (`src/graphtool/tools/query_output.py`, the 2016 version with `translate_mp_2_gc` and
 * `json_query_metadata`) and Python 2.7's `XMLGenerator`:
 * - `startDocument`: the declaration + `\n`, the stylesheet PI and the DOCTYPE written straight to
 *   the stream, then `<graphtool>`, `\n\t`, `<attr name="static_base_url">`, `\n\t`, `<html_title>`, `\n\t`;
 * - `startPlot`: `<query name>` `\n\t\t`, then each of `<title>` (omitted when empty),
 *   `<translate_mp_2_gc>FALSE`, `<graph>`, `<graph_kind>`, `<js_chart_setup>` (each only when set)
 *   followed by `\n\t\t`; `<sql>` + the template + `\n\t\t` + `</sql>`; `write_sql_vars` ends with
 *   `\n\t\t` and `startPlot` adds another (hence the line holding only two tabs), likewise after
 *   `<json_query_metadata>`; then `<attr name="base_url">` and `<url>`, each followed by `\n\t\t`;
 * - `write_columns` then `<data>`: every `<pivot>` on `\n\t\t\t`, every `<group>` on `\n\t\t\t\t`, every
 *   `<d>` on `\n\t\t\t\t\t`, `addData` closing with `\n\t\t\t\t` (so `</group></pivot>` share a line in
 *   pivot-group pages, and pivot pages get a line of four tabs before `\n\t\t\t</pivot>`);
 * - text escapes only `& < >`; attribute values go through `quoteattr` (single quotes when the value
 *   holds `"` but not `'`, `&quot;` when it holds both); attribute order is the order CPython 2.7
 *   (64-bit) iterates GraphTool's attribute dicts (`pivot kind coords group`, `index unit`);
 * - numbers: `str()` of Python floats (12 significant digits, `3.0`, `1e-05`); groups `str()` of ints,
 *   or `str(utcfromtimestamp(...))` under `grouping_name` Time; tuples print their `repr()`;
 * - `<json_query_metadata>`: `json.dumps(metadata, separators=(',',':'), indent=2)`, datetimes as
 *   `calendar.timegm` epoch seconds, then XML-escaped like all text.
 * They were then checked against that GraphTool code itself, run under CPython 2.7.18 with
 * OrderedDicts where GraphTool's dict order was left to hashing (pivots, `sql_vars`, `given_kw`,
 * metadata).
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { renderQueryXml, type RenderableResult } from '../../graph-server/outputs/index.js';
import { XML_OPTS, broken, expected, sitePie, siteVoTime, topUsers, voHours } from './outputs-samples.js';

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', parseTagValue: false });

function valid(xml: string): string {
  expect(XMLValidator.validate(xml)).toBe(true);
  return xml;
}

describe('renderQueryXml', () => {
  it('writes a pivot-group page with epoch groups, escaped SQL, merged sqlvars and the grapher URL as GraphTool', () => {
    const xml = valid(renderQueryXml(voHours, { ...XML_OPTS, graphUrl: '/gratia/bar_graphs' }));
    expect(xml).toBe(expected('query-pivot-group-epoch.xml'));
  });

  it('writes Time groups as UTC dates, tuple pivots as repr(), one <d> per tuple element and expands $vars', () => {
    const xml = valid(renderQueryXml(siteVoTime, XML_OPTS));
    expect(xml).toBe(expected('query-pivot-group-time-tuples.xml'));
  });

  it('writes a pivot page for Google Charts with JSON pivot names, a URL to this mount and one empty column when there are none', () => {
    const xml = valid(renderQueryXml(sitePie, { ...XML_OPTS, graphUrl: '/gratia/pie_graphs' }));
    expect(xml).toBe(expected('query-pivot-google-charts.xml'));
  });

  it('writes a complex-pivot page in list order as kind="pivot" without coords', () => {
    const xml = valid(renderQueryXml(topUsers, { ...XML_OPTS, graphUrl: '/gratia/bar_graphs' }));
    expect(xml).toBe(expected('query-complex-pivot.xml'));
  });

  it('carries a query error in <json_query_metadata> as GraphTool did, and in an <error> element', () => {
    const xml = valid(renderQueryXml(broken, XML_OPTS));
    expect(xml).toBe(expected('query-error.xml'));
    const query = (parser.parse(xml) as { graphtool: { query: Record<string, unknown> } }).graphtool.query;
    expect(query.error).toBe("Table 'gratia.Nope' doesn't exist <1146>");
    expect(JSON.parse(String(query.json_query_metadata))).toMatchObject({ error: "Table 'gratia.Nope' doesn't exist <1146>" });
  });

  it('omits <url> without a grapher, and for a graph_kind that is neither matplotlib nor google_charts', () => {
    expect(renderQueryXml(voHours, XML_OPTS)).not.toContain('<url>');
    const other: RenderableResult = { ...voHours, metadata: { ...voHours.metadata, graph_kind: 'd3' } };
    const xml = valid(renderQueryXml(other, { ...XML_OPTS, graphUrl: '/gratia/bar_graphs' }));
    expect(xml).not.toContain('<url>');
    expect(xml).toContain('<graph_kind>d3</graph_kind>');
  });

  it('omits <title> when the title is empty but keeps the html_title prefix', () => {
    const untitled: RenderableResult = { ...topUsers, metadata: { pivot_name: 'User' } };
    const xml = valid(renderQueryXml(untitled, XML_OPTS));
    expect(xml).toContain('\t<html_title>Results of Query: </html_title>\n\t<query name="top_users">\n\t\t<translate_mp_2_gc>');
    expect(xml).not.toContain('<title>');
  });

  it('expands longer variable names first, so $starttime is not read as $start', () => {
    const r: RenderableResult = {
      ...siteVoTime,
      metadata: { ...siteVoTime.metadata, title: '$start/$starttime' },
      sqlVars: { start: { type: 'string', value: 'S' }, starttime: { type: 'int', value: 7 } },
    };
    expect(renderQueryXml(r, XML_OPTS)).toContain('<title>S/7</title>');
  });

  it('prints a Time group that is no time as it is, where GraphTool failed', () => {
    const r: RenderableResult = {
      ...siteVoTime,
      data: { kind: 'pivot-group', pivots: [{ pivot: 'x', groups: [{ group: 'later', value: 1 }] }] },
    };
    expect(valid(renderQueryXml(r, XML_OPTS))).toContain('<group value="later">');
  });
});

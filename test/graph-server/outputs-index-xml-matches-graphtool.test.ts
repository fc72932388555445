/**
 * The XML index page is GraphTool's `handle_list`, byte for byte.
 *
 * How expected/index.xml was derived: by hand from `XmlGenerator.handle_list` (query_output.py):
 * `startDocument(output, "XML Queries")` as for the query page; per SqlQueries object
 * `<pagelist name="{display_name, else Query}" id="{1..n}">` (CPython 2.7 iterates `{'name', 'id'}`
 * in that order), each query on `\n\t\t` as `<page title="{title attribute, else name}">` +
 * `base_url` (a `/` added) + the query name, then `\n\t</pagelist>\n\t`, and `</graphtool>\n` after the
 * last one (so it sits on a line that starts with a tab). Titles are not `$`-expanded. The display
 * name holds `"` but no `'`, so `quoteattr` single-quotes it. The file was then checked against
 * GraphTool's `handle_list` run under CPython 2.7.18 on the same sections.
 */
import { XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { renderIndexXml } from '../../graph-server/outputs/index.js';
import { XML_OPTS, expected, indexSections } from './outputs-samples.js';

describe('renderIndexXml', () => {
  it('lists every section as a <pagelist> of <page> links, as GraphTool', () => {
    const xml = renderIndexXml(indexSections, XML_OPTS);
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(xml).toBe(expected('index.xml'));
  });

  it('does not add a second slash to a base URL that ends with one', () => {
    const xml = renderIndexXml(indexSections, { ...XML_OPTS, baseUrl: '/gratia/xml/' });
    expect(xml).toBe(expected('index.xml'));
  });

  it('is an empty <graphtool> page without sections', () => {
    const xml = renderIndexXml([], XML_OPTS);
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(xml.endsWith('\t<html_title>XML Queries</html_title>\n\t</graphtool>\n')).toBe(true);
  });
});

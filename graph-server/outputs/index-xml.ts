/** GraphTool's XML index page (`XmlGenerator.handle_list`): one `<pagelist>` per SqlQueries object, one `<page>` per query. */
import { endDocument, startDocument } from './query-xml.js';
import type { IndexSection, IndexXmlOptions } from './types.js';

/**
 * The index GraphTool served at `/gratia/xml/`, byte for byte: `<html_title>XML Queries</html_title>`,
 * then per section `<pagelist name="{display_name|Query}" id="1..n">` holding
 * `<page title="{title|name}">{baseUrl}/{query}</page>`. Titles are printed as written, `$vars`
 * and all. Queries keep the order given (GraphTool listed a dict's keys).
 */
export function renderIndexXml(sections: readonly IndexSection[], opts: IndexXmlOptions): string {
  const base = opts.baseUrl === '' || opts.baseUrl.endsWith('/') ? opts.baseUrl : `${opts.baseUrl}/`;
  const w = startDocument(opts.staticBaseUrl, 'XML Queries');
  sections.forEach((section, i) => {
    // CPython 2 iterated {'name', 'id'} in this order.
    w.start('pagelist', [
      ['name', section.displayName ?? 'Query'],
      ['id', String(i + 1)],
    ]);
    for (const query of section.queries) {
      w.text('\n\t\t').element('page', `${base}${query.name}`, [['title', query.title ?? query.name]]);
    }
    w.text('\n\t').end('pagelist').text('\n\t');
  });
  return endDocument(w);
}

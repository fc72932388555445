/** The data outputs: GraphTool's XML query and index pages and its CSV, byte for byte, and the appliance's JSON. */
export { renderQueryXml, XSLT_NAME } from './query-xml.js';
export { renderIndexXml } from './index-xml.js';
export { renderCsv } from './csv.js';
export { queryJson, renderJson } from './json.js';
export type { JsonKey, JsonScalar, JsonValue, QueryJson } from './json.js';
export type { Column } from './query-view.js';
export type { IndexSection, IndexXmlOptions, QueryXmlOptions, RenderableResult } from './types.js';

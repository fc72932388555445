/** The graph server's URL tree from `website.xml`: data outputs, interactive pages and images for every mounted query. */
export { createGraphRoutes } from './graph-routes.js';
export type { GraphRoutes, GraphSection } from './graph-routes.js';
export { jsonGeneratorClassType } from './json-generator-type.js';
export { GW_SPAN_CHOICES } from './query-form.js';
export { DEFAULT_CONTENT_TYPES, GENERATOR_OUTPUTS, readWebsite } from './website.js';
export type { OutputKind, QueryMount, StaticMount, Website } from './website.js';
export type { ChartImageRenderer, ChartMaker, GraphRoutesOptions, ImageFormat, PageChart, QueryRunner } from './types.js';
export { switchableRouter } from './switchable-router.js';
export type { SwitchableRouter } from './switchable-router.js';

/** The graph server: the Express app every URL of the appliance is served from. */
export { createServer } from './server.js';
export { defaultHttpServerSettings, defaultServerNames, httpServerClassType, httpServerSettingsOf } from './http-settings.js';
export type { HttpServerSettings } from './http-settings.js';
export type { AccessGate, HomeSection, ReloadOutcome, ServerDeps } from './server.js';
export { useHandlebarsViews } from './view-engine.js';
export { queryJson, renderCsv, renderIndexXml, renderJson, renderQueryXml } from './outputs/index.js';
export type { IndexSection, QueryJson, QueryXmlOptions, RenderableResult } from './outputs/index.js';
export { createGrafanaRouter } from './grafana/index.js';
export { createGraphRoutes, jsonGeneratorClassType, readWebsite, switchableRouter } from './web/index.js';
export { buildChart, errorChart } from './charts/index.js';
export type { ChartSpec } from './charts/index.js';
export { createImageRenderer, defaultChromiumPath } from './images/index.js';
export type { ImageInput, ImageRenderer } from './images/index.js';
export { createQueryLimiter, queryClientOf, REFUSAL_REASONS } from './limits/index.js';
export type { ClientLimits, QueryClient, QueryLimiter, RefusalReason } from './limits/index.js';
export { createPivotColorRegistry, pivotColorMigrations } from './colors/index.js';
export type { PivotColorRegistry } from './colors/index.js';

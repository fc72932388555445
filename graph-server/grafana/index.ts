/** The Grafana JSON datasource (simple-json and simPod plugins) and its ready dashboards, mounted at `/grafana`. */
export { createGrafanaRouter } from './grafana-router.js';
export type { GrafanaEngine, GrafanaRouterOptions } from './grafana-router.js';
export { GRAFANA_PLUGINS } from './dashboards.js';
export type { DashboardJson, GrafanaPlugin } from './dashboards.js';
export type { Frame, TableFrame, TimeSeriesFrame } from './query-frames.js';

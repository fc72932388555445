/** The Nagios bridge's operator pages: outboxes, dead letters (retry, discard), the per-result trace, the generated config. */
export { NAGIOS_HOME_SECTION, nagiosPagesRouter } from './pages-router.js';
export type { NagiosPagesOptions } from './page-deps.js';
export type { PagesBridge } from './pages-source.js';

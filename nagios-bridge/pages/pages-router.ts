/** The Nagios bridge's operator pages and their JSON API, on one router. */
import express, { type Router } from 'express';
import { systemClock } from '../../common/index.js';
import { addConfigPage } from './config-page.js';
import { addDeadLetterRoutes } from './dead-letter-routes.js';
import { addOverviewPages } from './overview-pages.js';
import type { NagiosPagesOptions } from './page-deps.js';
import { addTracePages } from './trace-pages.js';

/** The home page's section for the bridge. */
export const NAGIOS_HOME_SECTION = {
  title: 'Nagios',
  links: [
    { title: 'Outboxes', href: '/nagios/', note: 'each target: depth, oldest, last error, deliveries per minute' },
    { title: 'Dead letters', href: '/nagios/dead-letters', note: 'retry or discard (admin)' },
    { title: 'Result trace', href: '/nagios/trace', note: 'received, queued, delivered or why not' },
    { title: 'Generated object config', href: '/nagios/config' },
  ],
};

/** `/nagios/`, `/nagios/targets/:name`, `/nagios/dead-letters`, `/nagios/trace`, `/nagios/config`, `/api/v1/nagios/dead-letters...`. */
export function nagiosPagesRouter(options: NagiosPagesOptions): Router {
  const deps = { active: () => true, clock: systemClock, ...options };
  const router = express.Router();
  addOverviewPages(router, deps);
  addDeadLetterRoutes(router, deps);
  addTracePages(router, deps);
  addConfigPage(router, deps);
  return router;
}

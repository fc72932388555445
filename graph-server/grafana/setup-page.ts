/** The Grafana set-up page (`GET /grafana/` from a browser): the datasource URL to enter, the plugins, and each shipped dashboard's JSON to import. */
import type { Request } from 'express';
import type { QueryInfo } from '../../query-engine/index.js';
import { dashboardSections, GRAFANA_PLUGINS, sectionDashboard } from './dashboards.js';

export interface SetupPage {
  datasourceUrl: string;
  plugins: readonly string[];
  dashboards: { slug: string; title: string; panels: number; href: string; simpleHref: string; text: string }[];
}

/** What the page shows, for the URL the browser reached the datasource at (behind a proxy: its forwarded host, when trusted). */
export function setupPage(req: Request, infos: readonly QueryInfo[]): SetupPage {
  const base = req.baseUrl;
  return {
    datasourceUrl: `${req.protocol}://${req.get('host') ?? 'localhost'}${base}`,
    plugins: GRAFANA_PLUGINS,
    dashboards: dashboardSections(infos).map((s) => ({
      slug: s.slug, title: s.title, panels: s.queries.length,
      href: `${base}/dashboards/${s.slug}.json`,
      simpleHref: `${base}/dashboards/${s.slug}.json?plugin=grafana-simple-json-datasource`,
      text: JSON.stringify(sectionDashboard(s, infos, GRAFANA_PLUGINS[0]), null, 2),
    })),
  };
}

/** The navigation every page's layout shows: the appliance's sections, the one the request is in, and its breadcrumb. */
import type { RequestHandler } from 'express';

/** One section of the navigation: its title, its page, and the URL prefixes that belong to it. */
export interface NavSection {
  title: string;
  href: string;
  /** Paths under these prefixes are this section's pages (highlighted, with a breadcrumb back to `href`). */
  prefixes: readonly string[];
}

/**
 * The appliance's sections, in the order the bar shows them. A stage with pages adds itself here with one entry
 * (Rules and Provisioning join when their pages exist).
 */
export const APPLIANCE_NAV: readonly NavSection[] = [
  { title: 'Graphs', href: '/gratia/', prefixes: ['/gratia/', '/dashboards/'] },
  { title: 'Probe status', href: '/rsv/', prefixes: ['/rsv/'] },
  { title: 'Samples', href: '/samples/', prefixes: ['/samples/'] },
  { title: 'Grafana', href: '/grafana/', prefixes: ['/grafana/'] },
  { title: 'Nagios', href: '/nagios/', prefixes: ['/nagios/'] },
  { title: 'Topology', href: '/topology/', prefixes: ['/topology/'] },
  { title: 'Accounting', href: '/accounting/', prefixes: ['/accounting/'] },
];

/** What the layout reads from `res.locals.nav`. */
export interface NavState {
  sections: { title: string; href: string; current: boolean }[];
  /** The section the page is in, unless the page is that section's own page (then no breadcrumb is needed). */
  crumb: { title: string; href: string } | undefined;
}

/** The section `path` belongs to: the longest prefix that matches (`/gratia` itself counts as `/gratia/`). */
export function sectionOf(sections: readonly NavSection[], path: string): NavSection | undefined {
  const p = path.endsWith('/') ? path : `${path}/`;
  let best: { section: NavSection; length: number } | undefined;
  for (const section of sections) {
    for (const prefix of section.prefixes) {
      if (p.startsWith(prefix) && (!best || prefix.length > best.length)) best = { section, length: prefix.length };
    }
  }
  return best?.section;
}

/** The navigation of one request's page. */
export function navState(sections: readonly NavSection[], path: string): NavState {
  const current = sectionOf(sections, path);
  const own = current !== undefined && (path === current.href || `${path}/` === current.href);
  return {
    sections: sections.map((s) => ({ title: s.title, href: s.href, current: s === current })),
    crumb: current && !own ? { title: current.title, href: current.href } : undefined,
  };
}

/** Sets `res.locals.nav` for the layout on every request (a page rendered later in the request reads it). */
export function navigation(sections: readonly NavSection[]): RequestHandler {
  return (req, res, next) => {
    res.locals.nav = navState(sections, req.path);
    next();
  };
}

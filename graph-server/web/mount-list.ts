/** The page above the mounts (`/gratia/`): every mount of `website.xml` under it, what it serves and its index. */
import type { OutputKind, Website } from './website.js';

/** What each output kind gives, as the mounts page says it. */
const OUTPUT_TEXT: Record<OutputKind, string> = {
  html: 'interactive pages: a form, the chart, the numbers',
  graph: 'PNG images (svg=1 for SVG)',
  xml: 'GraphTool XML (a page in a browser)',
  csv: 'GraphTool CSV, downloaded as a file',
  json: "the appliance's JSON",
};
/** Pages first: what a person opens; then images; then data for scripts. */
const ORDER: readonly OutputKind[] = ['html', 'graph', 'xml', 'csv', 'json'];

/** The folders that hold mounts but are none themselves (`/gratia` for `/gratia/xml`, ...): each gets the mounts page. */
export function mountParents(site: Website): string[] {
  const locations = new Set([...site.queryMounts, ...site.staticMounts].map((m) => m.location));
  const parents = new Set<string>();
  for (const loc of locations) {
    const parent = loc.slice(0, loc.lastIndexOf('/'));
    if (parent !== '' && !locations.has(parent)) parents.add(parent);
  }
  return [...parents];
}

export interface MountListing {
  mounts: { location: string; href: string; output: OutputKind; what: string; title: string; classes: string[] }[];
  statics: { location: string; paths: string[] }[];
}

/** The query mounts directly under `parent`, pages first, and its static mounts. */
export function mountList(site: Website, parent: string, displayNameOf: (className: string) => string | undefined): MountListing {
  const under = (loc: string) => loc.startsWith(`${parent}/`);
  return {
    mounts: site.queryMounts
      .filter((m) => under(m.location))
      .sort((a, b) => ORDER.indexOf(a.output) - ORDER.indexOf(b.output))
      .map((m) => ({
        location: m.location, href: `${m.location}/`, output: m.output, what: OUTPUT_TEXT[m.output],
        title: m.displayName ?? m.location.slice(parent.length + 1),
        classes: m.queryClasses.map((c) => displayNameOf(c) ?? c),
      })),
    statics: site.staticMounts.filter((m) => under(m.location)).map((m) => ({ location: m.location, paths: m.directories.map((d) => `${m.location}${d.urlPath}`) })),
  };
}

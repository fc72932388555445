/** Which queries each mount serves (those of the SqlQueries its generator lists) and which mounts serve a query. */
import type { QueryInfo } from '../../query-engine/index.js';
import type { QueryMount, OutputKind, Website } from './website.js';

/** The queries a mount serves, by bare name; when two of its classes define a name, the later class wins (GraphTool's rule). */
export function mountQueries(mount: QueryMount, queries: readonly QueryInfo[]): Map<string, QueryInfo> {
  const out = new Map<string, QueryInfo>();
  for (const cls of mount.queryClasses) {
    for (const q of queries) if (q.className === cls) out.set(q.name, q);
  }
  return out;
}

/** The first mount of `output` that serves `query` (its generator lists the query's class). */
export function mountFor(site: Website, output: OutputKind, query: QueryInfo): QueryMount | undefined {
  return site.queryMounts.find((m) => m.output === output && m.queryClasses.includes(query.className));
}

/** One SqlQueries class as the index pages show it: its `display_name` and queries in definition order. */
export interface CatalogSection {
  className: string;
  displayName: string | undefined;
  queries: QueryInfo[];
}

/** A mount's queries grouped by class, in its `<queryobj>` order. */
export function mountSections(mount: QueryMount, queries: readonly QueryInfo[], displayNameOf: (className: string) => string | undefined): CatalogSection[] {
  return mount.queryClasses
    .map((className) => ({ className, displayName: displayNameOf(className), queries: queries.filter((q) => q.className === className) }))
    .filter((s) => s.queries.length > 0);
}

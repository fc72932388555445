/** Which queries each mount serves (those of the SqlQueries its generator lists) and which mounts serve a query. */
import { unanchorPlainName, type QueryInfo } from '../../query-engine/index.js';
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

/** Defaults that match every name: a title says "all" for them rather than the regex. */
const MATCH_ALL = new Set(['', '.*', '.+', '^.*$', '.*.*']);

/**
 * A query's title for the index and page headings, before it has run for anyone: each `$input` reads as that input's
 * default, as a person would say it (a plain name as it is, a match-everything pattern as "all", `^cms$` as `cms`);
 * an input with no default is left as `$name`. GraphTool's lists showed "Wall Hours by Facility for $vo".
 */
export function displayTitle(query: Pick<QueryInfo, 'name' | 'title' | 'inputs'>): string {
  const title = query.title ?? query.name;
  if (!title.includes('$')) return title;
  const vars: Record<string, string> = {};
  for (const input of query.inputs) {
    const value = input.default.trim();
    if (!Object.hasOwn(vars, input.name)) vars[input.name] = MATCH_ALL.has(value) ? 'all' : unanchorPlainName(value);
  }
  let out = title;
  for (const [k, v] of Object.entries(vars).sort(([a], [b]) => b.length - a.length)) out = out.split(`$${k}`).join(v);
  return out;
}

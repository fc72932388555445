/**
 * What the /topology/ pages show, as plain JSON-safe data: the HTML pages render it and `/api/v1/topology/...`
 * answers it, so the two cannot disagree.
 */
import type { TopologyStatus } from '../loader.js';
import type { PlacedResource, Topology } from '../topology.js';
import type { TopologyCluster, TopologyResourceGroup, TopologySite, TopologyVo } from '../types.js';
import { textMatch, type TextMatch } from './text-filter.js';

export interface ResourceRow {
  name: string;
  fqdn: string;
  group: string;
  site: string;
  services: string[];
  owners: { vo: string; percent: number }[];
  active: boolean;
  disable: boolean;
}

export interface SiteRow {
  name: string;
  facility: string;
  groups: { name: string; resources: number }[];
  resources: number;
}

export interface VoRow {
  name: string;
  longName: string | null;
  active: boolean;
  primaryFields: string[];
  secondaryFields: string[];
  /** Resources it owns (percent above 0). */
  resources: number;
}

export interface ClusterRow {
  name: string;
  site: string | null;
  nodes: number;
}

/** A list cut at the page's limit: how many entries matched, and the ones shown. */
export interface Listing<T> {
  matched: number;
  rows: T[];
  /** Matched but not shown (past the limit). */
  more: number;
}

export interface OverviewModel {
  builtAt: string;
  filter: string | null;
  counts: { sites: number; resourceGroups: number; resources: number; vos: number; clusters: number };
  sites: Listing<SiteRow>;
  resources: Listing<ResourceRow>;
  vos: Listing<VoRow>;
  clusters: Listing<ClusterRow>;
  sources: TopologyStatus['sources'];
  /** Names a later source repeated and the registry left out. */
  duplicates: string[];
  tablesError: string | null;
}

function listing<T, R>(items: readonly T[], keep: (item: T) => boolean, row: (item: T) => R, limit: number): Listing<R> {
  const rows: R[] = [];
  let matched = 0;
  for (const item of items) {
    if (!keep(item)) continue;
    matched++;
    if (rows.length < limit) rows.push(row(item));
  }
  return { matched, rows, more: matched - rows.length };
}

export function resourceRow(r: PlacedResource): ResourceRow {
  return {
    name: r.name, fqdn: r.fqdn, group: r.group, site: r.site, services: r.services.map((s) => s.name), owners: r.owners.map((o) => ({ vo: o.vo, percent: o.percent })),
    active: r.active, disable: r.disable,
  };
}

function resourceMatches(match: TextMatch, r: PlacedResource): boolean {
  return match(r.name, r.fqdn, r.group, r.site, ...r.services.map((s) => s.name), ...r.owners.map((o) => o.vo));
}

function ownedCounts(topology: Topology): Map<string, number> {
  const counts = new Map<string, number>();
  for (const o of topology.ownership()) if (o.percent > 0) counts.set(o.vo.toLowerCase(), (counts.get(o.vo.toLowerCase()) ?? 0) + 1);
  return counts;
}

/** The overview: every kind of entry that matches `filter` (each list cut at `limit`), the sources' standing. */
export function overviewModel(topology: Topology, status: TopologyStatus, filter: string | undefined, limit: number): OverviewModel {
  const match = textMatch(filter);
  const owned = ownedCounts(topology);
  const siteRow = (s: TopologySite): SiteRow => {
    const groups = topology.groupsOf(s.name);
    return { name: s.name, facility: s.facility, groups: groups.map((g) => ({ name: g.name, resources: g.resources.length })), resources: groups.reduce((n, g) => n + g.resources.length, 0) };
  };
  // A site is found by its own names or by any of its groups' and resources' (searching for a host finds its site).
  const siteMatches = (s: TopologySite) =>
    match(s.name, s.facility) || topology.groupsOf(s.name).some((g) => match(g.name) || g.resources.some((r) => match(r.name, r.fqdn)));
  const voRow = (v: TopologyVo): VoRow => ({
    name: v.name, longName: v.longName ?? null, active: v.active, primaryFields: v.primaryFields, secondaryFields: v.secondaryFields, resources: owned.get(v.name.toLowerCase()) ?? 0,
  });
  const clusterRow = (c: TopologyCluster): ClusterRow => ({ name: c.name, site: c.site ?? null, nodes: c.nodes.length });
  return {
    builtAt: status.builtAt,
    filter: filter ?? null,
    counts: { sites: topology.sites().length, resourceGroups: topology.resourceGroups().length, resources: topology.resources().length, vos: topology.vos().length, clusters: topology.clusters().length },
    sites: listing(topology.sites(), siteMatches, siteRow, limit),
    resources: listing(topology.resources(), (r) => resourceMatches(match, r), resourceRow, limit),
    vos: listing(topology.vos(), (v) => match(v.name, v.longName, ...v.primaryFields, ...v.secondaryFields), voRow, limit),
    clusters: listing(topology.clusters(), (c) => match(c.name, c.site) || c.nodes.some((n) => match(n)), clusterRow, limit),
    sources: status.sources,
    duplicates: status.duplicates,
    tablesError: status.tablesError ?? null,
  };
}

export interface SiteModel {
  name: string;
  id: number;
  facility: string;
  description: string | null;
  resourceGroups: { name: string; gridType: string; disable: boolean; resources: ResourceRow[] }[];
  clusters: ClusterRow[];
}

export function siteModel(topology: Topology, site: TopologySite): SiteModel {
  return {
    name: site.name, id: site.id, facility: site.facility, description: site.description ?? null,
    resourceGroups: topology.groupsOf(site.name).map((g) => ({ name: g.name, gridType: g.gridType, disable: g.disable, resources: g.resources.flatMap((r) => placed(topology, r.name)) })),
    clusters: topology.clusters().filter((c) => c.site === site.name).map((c) => ({ name: c.name, site: c.site ?? null, nodes: c.nodes.length })),
  };
}

const placed = (topology: Topology, name: string): ResourceRow[] => {
  const r = topology.resource(name);
  return r ? [resourceRow(r)] : [];
};

export interface GroupModel {
  name: string;
  id: number;
  site: string;
  gridType: string;
  disable: boolean;
  description: string | null;
  resources: ResourceRow[];
}

export function groupModel(topology: Topology, group: TopologyResourceGroup): GroupModel {
  return {
    name: group.name, id: group.id, site: group.site, gridType: group.gridType, disable: group.disable, description: group.description ?? null,
    resources: group.resources.flatMap((r) => placed(topology, r.name)),
  };
}

export interface ResourceModel extends ResourceRow {
  id: number;
  gridType: string;
  description: string | null;
  serviceDetails: { name: string; description: string | null }[];
  wlcg: { accountingName: string | null; interopMonitoring: boolean; interopAccounting: boolean; interopBdii: boolean } | null;
  /** Types and names only: the pages are readable by anyone with read access, and OSG's public summaries hide e-mail too. */
  contacts: { type: string; name: string }[];
  /** The clusters whose nodes include this resource's FQDN. */
  clusters: string[];
}

export function resourceModel(topology: Topology, r: PlacedResource): ResourceModel {
  return {
    ...resourceRow(r),
    id: r.id, gridType: r.gridType, description: r.description ?? null,
    serviceDetails: r.services.map((s) => ({ name: s.name, description: s.description ?? null })),
    wlcg: r.wlcg ? { accountingName: r.wlcg.accountingName ?? null, interopMonitoring: r.wlcg.interopMonitoring, interopAccounting: r.wlcg.interopAccounting, interopBdii: r.wlcg.interopBdii } : null,
    contacts: r.contacts.map((c) => ({ type: c.type, name: c.name })),
    clusters: topology.clustersOf(r.fqdn),
  };
}

export interface VoModel {
  name: string;
  id: number;
  longName: string | null;
  active: boolean;
  disable: boolean;
  primaryFields: string[];
  secondaryFields: string[];
  /** The resources it owns a share of (percent above 0; OIM's 0 % rows own nothing). */
  owns: { resource: string; site: string; group: string; percent: number }[];
}

export function voModel(topology: Topology, vo: TopologyVo): VoModel {
  const wanted = vo.name.toLowerCase();
  const owns = topology.ownership().flatMap((o) => {
    const r = o.percent > 0 && o.vo.toLowerCase() === wanted ? topology.resource(o.resource) : undefined;
    return r ? [{ resource: r.name, site: r.site, group: r.group, percent: o.percent }] : [];
  });
  return { name: vo.name, id: vo.id, longName: vo.longName ?? null, active: vo.active, disable: vo.disable, primaryFields: vo.primaryFields, secondaryFields: vo.secondaryFields, owns };
}

export interface ClusterModel {
  name: string;
  site: string | null;
  /** Whether the registry has the cluster's site (the page links it only then). */
  siteKnown: boolean;
  filter: string | null;
  nodes: Listing<{ name: string; resource: string | null }>;
  total: number;
}

/** A cluster and its nodes matching `filter`, at most `limit` of them; a node that is a resource's FQDN names it. */
export function clusterModel(topology: Topology, cluster: TopologyCluster, filter: string | undefined, limit: number): ClusterModel {
  const match = textMatch(filter);
  return {
    name: cluster.name, site: cluster.site ?? null, siteKnown: cluster.site !== undefined && topology.site(cluster.site) !== undefined, filter: filter ?? null,
    nodes: listing(cluster.nodes, (n) => match(n), (n) => ({ name: n, resource: topology.resourceByFqdn(n)?.name ?? null }), limit),
    total: cluster.nodes.length,
  };
}

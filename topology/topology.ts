/** `Topology`: the one registry of sites, resource groups, resources, VOs and clusters that every stage reads. */
import { mergeTopology } from './merge.js';
import type { TopologyCluster, TopologyData, TopologyResource, TopologyResourceGroup, TopologySite, TopologyVo } from './types.js';

/** A resource with the group and site it belongs to. */
export interface PlacedResource extends TopologyResource {
  group: string;
  site: string;
  gridType: string;
}

/** A VO's share of a resource, by names (OIM's `vo_resource_ownership` joined with `resource` and `vo`). */
export interface ResourceOwnership {
  resource: string;
  vo: string;
  percent: number;
}

/**
 * The OIM feeds Gratia-web's results functions and transforms read (the query engine's `OimData` shape), built from
 * the registry: resource groups with their resources and WLCG names, VO names, fields of science, ownership.
 */
export interface TopologyOimFeeds {
  resourceGroups: { name: string; resources: { name: string; wlcgAccountingName?: string }[] }[];
  voNames: string[];
  /** Each VO's first field of science (primary, else secondary). */
  voFieldsOfScience: { vo: string; field: string }[];
  /** Every (VO, field) pair, primary fields first (`RSVQueries.field_of_science`). */
  fieldsOfScience: { vo: string; field: string }[];
  projectFieldsOfScience: { project: string; field: string }[];
  /** Every ownership with its percent (`RSVQueries.ownership`). */
  resourceOwnership: ResourceOwnership[];
  /** Resource → WLCG accounting name (`RSVQueries.resource_to_federation`). */
  resourceFederations: { resource: string; federation: string }[];
  /** Every resource name (`RSVQueries.resources`). */
  resourceNames: string[];
}

/** An immutable registry; a refresh builds a new one and swaps it in whole. */
export class Topology {
  private readonly byName = new Map<string, PlacedResource>();
  private readonly byFqdn = new Map<string, PlacedResource>();
  private readonly clusterByName = new Map<string, TopologyCluster>();
  private readonly siteByName = new Map<string, TopologySite>();
  private readonly groupByName = new Map<string, TopologyResourceGroup>();
  private readonly voByName = new Map<string, TopologyVo>();
  private feeds: TopologyOimFeeds | undefined;
  private nodeClusters: Map<string, string[]> | undefined;

  private constructor(readonly data: Readonly<TopologyData>) {
    for (const group of data.resourceGroups) {
      for (const r of group.resources) {
        const placed: PlacedResource = { ...r, group: group.name, site: group.site, gridType: group.gridType };
        this.byName.set(r.name, placed);
        // The first resource with an FQDN answers for it (a host may carry several OIM resources).
        if (r.fqdn && !this.byFqdn.has(r.fqdn.toLowerCase())) this.byFqdn.set(r.fqdn.toLowerCase(), placed);
      }
    }
    for (const c of data.clusters) this.clusterByName.set(c.name, c);
    for (const s of data.sites) this.siteByName.set(s.name, s);
    for (const g of data.resourceGroups) this.groupByName.set(g.name, g);
    for (const v of data.vos) this.voByName.set(v.name.toLowerCase(), v);
  }

  /** The registry of `parts` merged in order (see {@link mergeTopology}), and the repeated names left out. */
  static from(parts: readonly TopologyData[]): { topology: Topology; duplicates: string[] } {
    const { data, duplicates } = mergeTopology(parts);
    return { topology: new Topology(data), duplicates };
  }

  /** An empty registry (nothing configured). */
  static empty(): Topology {
    return Topology.from([]).topology;
  }

  sites(): readonly TopologySite[] {
    return this.data.sites;
  }

  site(name: string): TopologySite | undefined {
    return this.siteByName.get(name);
  }

  resourceGroups(): readonly TopologyResourceGroup[] {
    return this.data.resourceGroups;
  }

  resourceGroup(name: string): TopologyResourceGroup | undefined {
    return this.groupByName.get(name);
  }

  /** The resource groups of `site`, in registry order. */
  groupsOf(site: string): TopologyResourceGroup[] {
    return this.data.resourceGroups.filter((g) => g.site === site);
  }

  /** Every resource with its group and site, in registry order. */
  resources(): PlacedResource[] {
    return [...this.byName.values()];
  }

  resource(name: string): PlacedResource | undefined {
    return this.byName.get(name);
  }

  /** The resource at host `fqdn` (compared case-insensitively, as DNS names are). */
  resourceByFqdn(fqdn: string): PlacedResource | undefined {
    return this.byFqdn.get(fqdn.toLowerCase());
  }

  vos(): readonly TopologyVo[] {
    return this.data.vos;
  }

  /** The VO named `name`, compared case-insensitively (as OIM matched VO names). */
  vo(name: string): TopologyVo | undefined {
    return this.voByName.get(name.toLowerCase());
  }

  clusters(): readonly TopologyCluster[] {
    return this.data.clusters;
  }

  cluster(name: string): TopologyCluster | undefined {
    return this.clusterByName.get(name);
  }

  /** The member nodes of `cluster`, or an empty list when there is no such cluster. */
  nodesOf(cluster: string): readonly string[] {
    return this.clusterByName.get(cluster)?.nodes ?? [];
  }

  /** The clusters `node` is a member of. */
  clustersOf(node: string): string[] {
    if (!this.nodeClusters) {
      // Built on first use: correlation asks per sample, and a cluster may hold 100,000 nodes.
      this.nodeClusters = new Map();
      for (const c of this.data.clusters) {
        for (const n of new Set(c.nodes)) {
          const list = this.nodeClusters.get(n);
          if (list) list.push(c.name);
          else this.nodeClusters.set(n, [c.name]);
        }
      }
    }
    return [...(this.nodeClusters.get(node) ?? [])];
  }

  /** Every VO share of a resource, percent included (0 too: callers that follow OIM drop those). */
  ownership(): ResourceOwnership[] {
    return this.resources().flatMap((r) => r.owners.map((o) => ({ resource: r.name, vo: o.vo, percent: o.percent })));
  }

  /** Resource names with a WLCG accounting name (Gratia-web's `resource_to_federation()` keys). */
  wlcgResources(): string[] {
    return this.resources().filter((r) => r.wlcg?.accountingName).map((r) => r.name);
  }

  /** The distinct fields of science, in first-seen order. */
  fieldsOfScience(): string[] {
    return [...new Set(this.data.vos.flatMap((v) => [...v.primaryFields, ...v.secondaryFields]))];
  }

  /** The OIM feeds, built once per registry. */
  oimFeeds(): TopologyOimFeeds {
    return (this.feeds ??= this.buildFeeds());
  }

  private buildFeeds(): TopologyOimFeeds {
    const resources = this.resources();
    return {
      resourceGroups: this.data.resourceGroups.map((g) => ({
        name: g.name,
        resources: g.resources.map((r) => ({ name: r.name, ...(r.wlcg?.accountingName ? { wlcgAccountingName: r.wlcg.accountingName } : {}) })),
      })),
      voNames: this.data.vos.map((v) => v.name),
      voFieldsOfScience: this.data.vos.flatMap((v) => {
        const field = v.primaryFields[0] ?? v.secondaryFields[0];
        return field === undefined ? [] : [{ vo: v.name, field }];
      }),
      fieldsOfScience: this.data.vos.flatMap((v) => [...v.primaryFields, ...v.secondaryFields].map((field) => ({ vo: v.name, field }))),
      projectFieldsOfScience: [],
      resourceOwnership: this.ownership(),
      resourceFederations: resources.flatMap((r) => (r.wlcg?.accountingName ? [{ resource: r.name, federation: r.wlcg.accountingName }] : [])),
      resourceNames: resources.map((r) => r.name),
    };
  }
}

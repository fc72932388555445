/** Merges topology parts (configuration first, then each OSG Topology summary) into one data set with unique ids. */
import { emptyTopologyData, type TopologyData, type TopologyResource, type TopologyVo } from './types.js';

/** One part's contribution and what was left out of it. */
export interface MergeResult {
  data: TopologyData;
  /** Entries that repeat a name an earlier part already gave (the earlier one is kept). */
  duplicates: string[];
}

const lower = (s: string) => s.toLowerCase();

/**
 * Merges `parts` in order: the first entry with a name wins (sites, resource groups, resources and clusters by
 * exact name, VOs case-insensitively, as OIM matched them). Ids of 0 (not given) are assigned above the largest
 * given id of their kind, in document order; a repeated id is reassigned the same way. VOs an ownership names but
 * no part declares are added (active), so every owner has a VO row.
 */
export function mergeTopology(parts: readonly TopologyData[]): MergeResult {
  const out = emptyTopologyData();
  const duplicates: string[] = [];
  const seen = { site: new Set<string>(), group: new Set<string>(), resource: new Set<string>(), vo: new Set<string>(), cluster: new Set<string>() };
  for (const part of parts) {
    for (const site of part.sites) {
      if (seen.site.has(site.name)) continue;
      seen.site.add(site.name);
      out.sites.push({ ...site });
    }
    for (const group of part.resourceGroups) {
      if (seen.group.has(group.name)) {
        duplicates.push(`resource group "${group.name}"`);
        continue;
      }
      seen.group.add(group.name);
      const resources: TopologyResource[] = [];
      for (const r of group.resources) {
        if (seen.resource.has(r.name)) {
          duplicates.push(`resource "${r.name}"`);
          continue;
        }
        seen.resource.add(r.name);
        resources.push({ ...r, services: [...r.services], owners: [...r.owners], contacts: [...r.contacts] });
      }
      out.resourceGroups.push({ ...group, resources });
    }
    for (const vo of part.vos) {
      if (seen.vo.has(lower(vo.name))) {
        duplicates.push(`VO "${vo.name}"`);
        continue;
      }
      seen.vo.add(lower(vo.name));
      out.vos.push({ ...vo, primaryFields: [...vo.primaryFields], secondaryFields: [...vo.secondaryFields] });
    }
    for (const cluster of part.clusters) {
      if (seen.cluster.has(cluster.name)) {
        duplicates.push(`cluster "${cluster.name}"`);
        continue;
      }
      seen.cluster.add(cluster.name);
      out.clusters.push({ ...cluster, nodes: [...cluster.nodes] });
    }
  }
  for (const group of out.resourceGroups) {
    if (!seen.site.has(group.site)) {
      seen.site.add(group.site);
      out.sites.push({ id: 0, name: group.site, facility: group.site });
    }
    for (const r of group.resources) {
      for (const owner of r.owners) {
        if (seen.vo.has(lower(owner.vo))) continue;
        seen.vo.add(lower(owner.vo));
        out.vos.push(implicitVo(owner.vo));
      }
    }
  }
  assignIds(out.sites);
  assignIds(out.resourceGroups);
  assignIds(out.resourceGroups.flatMap((g) => g.resources));
  assignIds(out.vos);
  return { data: out, duplicates };
}

function implicitVo(name: string): TopologyVo {
  return { id: 0, name, active: true, disable: false, primaryFields: [], secondaryFields: [] };
}

/** Gives every entry without an id (0) or with one already taken the next id above the largest one given. */
function assignIds(entries: readonly { id: number }[]): void {
  let next = Math.max(0, ...entries.map((e) => e.id)) + 1;
  const taken = new Set<number>();
  for (const e of entries) {
    if (e.id > 0 && !taken.has(e.id)) {
      taken.add(e.id);
      continue;
    }
    e.id = next++;
    taken.add(e.id);
  }
}

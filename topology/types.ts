/** The topology's public types: sites, resource groups, resources and their services, VOs, ownership, clusters. */

/** A service a resource provides (OSG Topology's service types: `CE`, `SRMv2`, `XRootD origin server`, ...). */
export interface TopologyService {
  name: string;
  description?: string;
}

/** A VO's share of a resource (OIM's `vo_resource_ownership.percent`, 0-100). */
export interface TopologyOwner {
  vo: string;
  percent: number;
}

/** A resource's WLCG interoperability (OIM's `resource_wlcg`): the federation it reports accounting under. */
export interface TopologyWlcg {
  /** The WLCG federation's accounting name (`T2_US_Nebraska`), the "interop accounting name". */
  accountingName?: string;
  interopMonitoring: boolean;
  interopAccounting: boolean;
  interopBdii: boolean;
}

/** One person on a resource's contact list. */
export interface TopologyContact {
  type: string;
  name: string;
  email?: string;
}

/** A host (or a named service endpoint) with its services. */
export interface TopologyResource {
  id: number;
  name: string;
  fqdn: string;
  active: boolean;
  disable: boolean;
  description?: string;
  services: TopologyService[];
  owners: TopologyOwner[];
  wlcg?: TopologyWlcg;
  contacts: TopologyContact[];
}

/** A resource group (OIM's `resource_group`): the resources a site runs together. */
export interface TopologyResourceGroup {
  id: number;
  name: string;
  /** The site's name. */
  site: string;
  /** `OSG Production Resource` or `OSG Integration Test Bed Resource`. */
  gridType: string;
  disable: boolean;
  description?: string;
  resources: TopologyResource[];
}

/** A site: a facility's location holding resource groups. */
export interface TopologySite {
  id: number;
  name: string;
  /** The institution that runs it (OSG Topology's Facility). */
  facility: string;
  description?: string;
}

/** A virtual organisation, with its fields of science (primary first). */
export interface TopologyVo {
  id: number;
  name: string;
  longName?: string;
  active: boolean;
  disable: boolean;
  primaryFields: string[];
  secondaryFields: string[];
}

/** A cluster of worker nodes (the fabric-monitoring view: correlation rules ask which nodes a cluster has). */
export interface TopologyCluster {
  name: string;
  site?: string;
  nodes: string[];
}

/** Everything one registry holds, as plain data. */
export interface TopologyData {
  sites: TopologySite[];
  resourceGroups: TopologyResourceGroup[];
  vos: TopologyVo[];
  clusters: TopologyCluster[];
}

/** OSG Topology's grid type of production resources (OIM `osg_grid_type` 1). */
export const PRODUCTION_GRID_TYPE = 'OSG Production Resource';
/** OSG Topology's grid type of integration test bed resources (OIM `osg_grid_type` 2). */
export const ITB_GRID_TYPE = 'OSG Integration Test Bed Resource';

export function emptyTopologyData(): TopologyData {
  return { sites: [], resourceGroups: [], vos: [], clusters: [] };
}

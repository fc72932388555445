/** The topology registry: sites, resource groups, resources, VOs, ownership and clusters, from configuration and OSG Topology. */
export { Topology } from './topology.js';
export type { PlacedResource, ResourceOwnership, TopologyOimFeeds } from './topology.js';
export { createTopologyLoader } from './loader.js';
export type { SourceStatus, TopologyLoader, TopologyLoaderOptions, TopologyStatus } from './loader.js';
export { SUMMARY_KINDS, TOPOLOGY_DEFAULTS, topologyClassType } from './topology-class.js';
export type { SummaryKind, SummarySource, TopologyConfig } from './topology-class.js';
export { parseOsgSummary, SummaryError } from './osg-summary.js';
export { mergeTopology } from './merge.js';
export { METRIC_STATUSES, oimRows, TOPOLOGY_SCHEMAS, topologyMigrations, writeOimTables } from './oim-tables.js';
export type * from './types.js';
export { emptyTopologyData, ITB_GRID_TYPE, PRODUCTION_GRID_TYPE } from './types.js';
export type { FetchFn } from './fetch-summary.js';
export { TOPOLOGY_HOME_SECTION, topologyPagesRouter } from './pages/index.js';
export type { ClusterModel, GroupModel, OverviewModel, ResourceModel, SiteModel, TopologyPagesOptions, VoModel } from './pages/index.js';

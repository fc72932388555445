/** The topology's pages: `/topology/...` and their JSON twin `/api/v1/topology/...`. */
export { TOPOLOGY_HOME_SECTION, topologyPagesRouter } from './topology-routes.js';
export type { TopologyPagesOptions } from './topology-routes.js';
export type { ClusterModel, GroupModel, OverviewModel, ResourceModel, SiteModel, VoModel } from './page-models.js';

/** Queries: the `SqlQueries` and `VoOwnership` class types, and base chains linked and merged by GraphTool's rules. */
export { queryEngineClassTypes } from './class-types.js';
export { OPPORTUNISTIC_BIND, opportunisticHookEnabled } from './dynamic-sql.js';
export { linkQueries } from './link-queries.js';
export { DEFAULT_MAX_SQL_QUERY_TIMEOUT, MAX_TIMER_SECONDS, defaultQueryLimits, queryLimitsOf, queryLimitsType } from './query-limits-type.js';
export type { QueryLimits } from './query-limits-type.js';
export type { QueryCatalog } from './link-queries.js';
export { sqlQueriesType } from './sql-queries-type.js';
export type * from './types.js';
export { voOwnershipType } from './vo-ownership-type.js';

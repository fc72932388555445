/** The query engine: GraphTool queries, SQL rendering and results parsers, and the `ConnectionManager` class type. */
export { connectionManagerType, INTERFACES, toStoreConnection } from './config/index.js';
export type { ConnectionDef, ConnectionManagerConfig, DbInterface } from './config/index.js';
export { queryEngineClassTypes, linkQueries, sqlQueriesType, voOwnershipType } from './queries/index.js';
export { DEFAULT_MAX_SQL_QUERY_TIMEOUT, MAX_TIMER_SECONDS, defaultQueryLimits, queryLimitsOf, queryLimitsType } from './queries/index.js';
export type { QueryCatalog, QueryDefinition, QueryLimits, SqlQueriesClass } from './queries/index.js';
export * from './engine/index.js';
export type { TypedValue } from './inputs/index.js';
export { formatTypedValue, gwSpanForRange, gwUiParameters, TYPED_VALUE_KINDS, unanchorPlainName } from './inputs/index.js';
export type { Key, OimData, Ownership, PivotGroups, ResultData, ResultKind, Scalar, Value } from './results/index.js';
export { keyString, pyCompare, pyFloatRepr, toTimestamp, valueString } from './results/index.js';
/** Checks a client's REGEXP pattern as the engine does before any SQL runs (RE2 syntax; a 400 naming the input and refused feature). */
export { checkMySqlRegexp as checkQueryPattern } from '../store/index.js';

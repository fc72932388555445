/** The query engine: the GraphTool configuration grammar, queries, SQL rendering and results parsers. */
export * from './config/index.js';
export { queryEngineClassTypes, linkQueries, sqlQueriesType, voOwnershipType } from './queries/index.js';
export type { QueryCatalog, QueryDefinition, SqlQueriesClass } from './queries/index.js';
export * from './engine/index.js';
export type { TypedValue } from './inputs/index.js';
export { formatTypedValue } from './inputs/index.js';
export type { Key, OimData, Ownership, ResultData, ResultKind, Value } from './results/index.js';
export { keyString, valueString } from './results/index.js';


/** The query engine: the GraphTool configuration grammar, queries, SQL rendering and results parsers. */
import { graphToolPassThroughTypes as rawGraphToolTypes, type ClassTypeHandler } from './config/index.js';
import { voOwnershipType } from './queries/index.js';

export * from './config/index.js';
export { queryEngineClassTypes, linkQueries, sqlQueriesType, voOwnershipType } from './queries/index.js';
export type { QueryCatalog, QueryDefinition, SqlQueriesClass } from './queries/index.js';
export * from './engine/index.js';
export type { TypedValue } from './inputs/index.js';
export { formatTypedValue } from './inputs/index.js';
export type { Key, OimData, Ownership, ResultData, ResultKind, Value } from './results/index.js';
export { keyString, valueString } from './results/index.js';

/**
 * GraphTool's class types kept raw, plus `VoOwnership`, so a loader still built on the raw types reads the shipped
 * `config/vo_ownership.xml`. Shadows the config folder's list of the same name; use `queryEngineClassTypes` instead
 * (it builds `SqlQueries` too), and drop this once the composition root does.
 */
export const graphToolPassThroughTypes: readonly ClassTypeHandler[] = [...rawGraphToolTypes, voOwnershipType];

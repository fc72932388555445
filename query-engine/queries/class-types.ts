/** The class types the query engine understands: GraphTool's, with `SqlQueries` built for real, plus `VoOwnership` and `QueryLimits`. */
import { graphToolPassThroughTypes, type ClassTypeHandler } from '../../grammar/index.js';
import { connectionManagerType } from '../config/index.js';
import { queryLimitsType } from './query-limits-type.js';
import { sqlQueriesType } from './sql-queries-type.js';
import { voOwnershipType } from './vo-ownership-type.js';

/**
 * `SqlQueries` (built), `VoOwnership`, `ConnectionManager`, `QueryLimits`, and GraphTool's other types kept as raw classes for the
 * graph server (`XmlGenerator`, `Grapher`, `WebHost`, ...). Pass these to `loadConfig` with each stage's own types.
 */
export const queryEngineClassTypes: readonly ClassTypeHandler[] = [
  sqlQueriesType,
  voOwnershipType,
  connectionManagerType,
  queryLimitsType,
  ...graphToolPassThroughTypes.filter((t) => t.type !== sqlQueriesType.type),
];

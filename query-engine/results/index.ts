/** Results parsers and transforms: GraphTool's and Gratia-web's functions that turn SQL rows into graph data. */
export type {
  Key,
  OimData,
  OimResourceGroup,
  Ownership,
  PivotGroups,
  ResultData,
  ResultKind,
  ResultsContext,
  ResultsFunction,
  ResultsOutput,
  ResultsVars,
  Scalar,
  Transform,
  Value,
} from './types.js';
export { RESULT_KINDS } from './types.js';
export { keyString, pyCompare, pyFloatRepr, valueString } from './python-values.js';
export { toTimestamp } from './to-timestamp.js';
export { RESULTS_FUNCTION_NAMES, UNSUPPORTED_RESULTS_FUNCTIONS, resolveResultsFunction, unsupportedResultsFunction } from './registry.js';
export { TRANSFORM_NAMES, UNSUPPORTED_TRANSFORMS, resolveTransform, unsupportedTransform } from './transform-registry.js';
export type { TransformName } from './transform-registry.js';

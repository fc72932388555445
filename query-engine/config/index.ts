/** The GraphTool configuration grammar shared by every stage: positioned XML, imports, classes, issues. */
export { connectionManagerType, INTERFACES, toStoreConnection } from './connection-manager.js';
export type { ConnectionDef, ConnectionManagerConfig, DbInterface } from './connection-manager.js';
export { expandVars } from './expand.js';
export type { Env } from './expand.js';
export { GRAPHTOOL_CLASS_TYPES, graphToolPassThroughTypes } from './graphtool-types.js';
export { configErrors, formatIssue, formatPos } from './issues.js';
export { parseBoolean, warnUnknownAttribute, warnUnknownAttributes } from './attribute-values.js';
export { closeNames, didYouMean, loadConfig, objectsOfType } from './loader.js';
export type { LoadOptions } from './loader.js';
export { descendants, parseXml } from './xml-tree.js';
export type * from './types.js';

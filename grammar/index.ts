/** The configuration language every stage reads: positioned XML, imports, classes, attributes and issues (`file:line:col`). */
export { expandVars } from './expand.js';
export type { Env } from './expand.js';
export { GRAPHTOOL_CLASS_TYPES, graphToolPassThroughTypes } from './graphtool-types.js';
export { configErrors, formatIssue, formatPos } from './issues.js';
export { parseBoolean, warnUnknownAttribute, warnUnknownAttributes } from './attribute-values.js';
export { closeNames, didYouMean, loadConfig, objectsOfType, readConfigFile } from './loader.js';
export type { LoadOptions } from './loader.js';
export { descendants, parseXml } from './xml-tree.js';
export type * from './types.js';

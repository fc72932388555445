/** The query engine: runs linked GraphTool queries on their connections and returns the result model. */
export { createQueryEngine } from './query-engine.js';
export { QUERY_ERROR_STAGES } from './result-model.js';
export type { OimFeeds, QueryEngine, QueryEngineOptions, QueryErrorStage, QueryInfo, QueryInputInfo, QueryResult, QueryRun } from './result-model.js';
export { TIMEOUT_FLAVOURS, TIMEOUT_INPUT, statementTimeoutFlavour, withStatementTimeout } from './statement-timeout.js';
export type { TimeoutFlavour } from './statement-timeout.js';

/** The query engine: the GraphTool configuration grammar, queries, SQL rendering and results parsers. */
export * from './config/index.js';

/** Query SQL: template filling, `:name` binding to `?` placeholders, GraphTool's regexp reduction, the opportunistic filter. */
export { fillTemplate, templateSlots, templateText } from './template.js';
export type { SqlTemplate } from './template.js';
export { renderSql } from './render-sql.js';
export type { RenderOptions, RenderedSql } from './render-sql.js';
export type { SqlFragment } from './sql-fragment.js';
export { lexSql, stringLiteralValue } from './sql-lexer.js';
export { qualifiedAsPrefixed } from './qualified-names.js';
export type { SqlToken } from './sql-lexer.js';
export { OPPORTUNISTIC_FILTER_VALUES, buildOpportunisticFilter, loadOwnershipLookup } from './opportunistic-filter.js';
export type { OpportunisticFilterOptions, OpportunisticFilterValue, OwnershipLookup, OwnershipMatch } from './opportunistic-filter.js';

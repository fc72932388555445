/** Pivot colours kept in the store: one colour per name on every graph, in every process. */
export { createPivotColorRegistry, pivotColorMigrations } from './pivot-color-registry.js';
export type { PivotColorRegistry } from './pivot-color-registry.js';

/** `appliance demo`: deterministic, realistic Gratia accounting data for a fresh store. */
export { DEMO_RECORD_PREFIX, DEMO_TABLES, hasDemoData, seedDemoData } from './seed.js';
export type { DemoOptions, DemoSummary, DemoTable } from './seed.js';
export { DEMO_RESOURCE_TYPES } from './jobs.js';
export type { DemoResourceType } from './jobs.js';
export { DEMO_GRIDS, DEMO_VO_OWNERSHIP } from './sites.js';
export type { DemoGrid } from './sites.js';
export { DEMO_PROJECTS } from './vos.js';

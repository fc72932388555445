/** `appliance demo`: deterministic, realistic Gratia accounting data for a fresh store. */
export { DEMO_TABLES, hasDemoData, seedDemoData } from './seed.js';
export type { DemoOptions, DemoSummary } from './seed.js';
export { DEMO_VO_OWNERSHIP } from './sites.js';

/**
 * Accounting: OpenNebula importers, VM usage records, Gratia summarisation, rate cards and billing exports.
 * Its data model (`VmSegment`, `UsageSlice`) and tables are below; the stage is being built by issue 12.
 */
export { VM_STATUSES, sliceKey } from './usage-slice.js';
export type { UsageSlice, VmSegment, VmStatus } from './usage-slice.js';
export { SEGMENTS_TABLE, USAGE_TABLE, accountingMigrations, readSlices, writeSegments } from './usage-store.js';
export type { SliceChange, SliceRange } from './usage-store.js';
export { applySliceChange, defaultVmGratiaSettings, VM_RESOURCE_TYPE, vmProbeName, vmRecordId } from './gratia/index.js';
export type { ApplySliceChangeOptions, GratiaChange, SummaryDay, VmGratiaSettings } from './gratia/index.js';

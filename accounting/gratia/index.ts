/** VM usage in Gratia: day slices as `OneVM` job records and their daily summary, recomputed per probe-day. */
export { applySliceChange } from './apply-slice-change.js';
export type { ApplySliceChangeOptions, GratiaChange } from './apply-slice-change.js';
export { defaultVmGratiaSettings, vmProbeName } from './vm-gratia-settings.js';
export type { VmGratiaSettings } from './vm-gratia-settings.js';
export { VM_RESOURCE_TYPE, vmCommonName, vmRecordId } from './vm-job-rows.js';
export { dayBounds, recomputeSummary } from './vm-summary.js';
export type { SummaryDay } from './vm-summary.js';
export { gratiaPart } from './gratia-part.js';
export { vmGratiaClassType, vmGratiaSettingsOf } from './vm-gratia-class.js';
export { topVms, usageByGroup, usageRange } from './usage-dashboard.js';

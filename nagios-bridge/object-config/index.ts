/** The Nagios object-config generator: hosts and services seen, retirement, hand-written objects respected, `nagios4 -v` before replacing. */
export { generateObjectConfig } from './generate-object-config.js';
export type { GenerateObjectConfigOptions, GeneratedObjectConfig, ObjectConfigStats, SkippedObject } from './generate-object-config.js';
export { readHandWrittenObjects, handServiceKey } from './hand-written-objects.js';
export type { HandWrittenObjects } from './hand-written-objects.js';
export { defineBlock, HOST_TEMPLATE, NO_LONGER_REPORTING, renderObjectConfig, SERVICE_TEMPLATE, STALE_COMMAND } from './object-format.js';
export type { GeneratedHost, GeneratedService, ObjectConfigModel } from './object-format.js';
export { DEFAULT_ILLEGAL_OBJECT_NAME_CHARS, unsafeNameReason } from './object-names.js';
export { DEFAULT_CHECK_DUMMY, DEFAULT_NAGIOS_CFG, OBJECT_CONFIG_ATTRIBUTES, objectConfigSettings, readObjectConfigSettings } from './object-settings.js';
export type { ObjectConfigSettings } from './object-settings.js';
export { freshnessThreshold, LIFECYCLE_STATES, lifecycleState, reportingInterval } from './retirement.js';
export type { LifecycleState } from './retirement.js';
export { readSeen, recordSeen, SEEN_TABLE, seenObjectsMigration } from './seen-objects.js';
export type { SeenObject } from './seen-objects.js';
export { DEFAULT_NAGIOS_BIN, ObjectConfigRejectedError, writeObjectConfig } from './write-object-config.js';
export type { WriteObjectConfigOptions } from './write-object-config.js';
export { OBJECT_CONFIG_PATH, objectConfigRouter } from './object-config-router.js';
export type { ObjectConfigRouterOptions } from './object-config-router.js';

/** The Actuator Dispatcher (per-node FIFO, persistent handles, node states, crash truth) and actuator kinds. */
export { createActuatorDispatcher } from './dispatcher.js';
export type { ActuatorDispatcher, ActuatorDispatcherOptions, NodeStateOptions } from './dispatcher.js';
export { actuatorMigrations } from './schema.js';
export { actuatorConfigProblems, actuatorsClassType, actuatorsClassTypeWith, actuatorSettingsOf, defaultActuatorSettings } from './settings.js';
export type { ActuatorSettings } from './settings.js';
export { commandKind, echoKind } from './kinds/index.js';
export type { CommandSettings } from './kinds/index.js';
export { FINAL_STATUSES, MAINTENANCE_MODES, NODE_STATES, REQUEST_STATUSES } from './types.js';
export type {
  ActuatorDefinition, ActuatorElement, ActuatorKind, ActuatorOutcome, ActuatorRun, AttemptRecord, DispatchOptions, HandleStatus, MaintenanceMode, NodeState, NodeStatus, RequestStatus,
} from './types.js';
export { dispatchApiRouter } from './api-router.js';
export type { DispatchApiOptions } from './api-router.js';

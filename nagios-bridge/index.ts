/** The Nagios bridge: the cmd.cgi and NRDP entries, the durable outbox per target (results, downtimes, acknowledgements) and its transports. */
export { createNagiosBridge } from './create-bridge.js';
export type { NagiosBridge, NagiosBridgeOptions, TargetStats } from './create-bridge.js';
export { nagiosBridgeMigrations, DELIVERED_TABLE } from './outbox-schema.js';
export { commandDedupKey, outboxQueueName, resultDedupKey, serviceKey } from './outbox.js';
export { checkCommand, CommandFieldError, MAX_COMMAND_FIELD_BYTES } from './command-fields.js';
export type { Outbox } from './outbox.js';
export { commandFileTarget, defaultBridgeSettings, nagiosBridgeClassType, nagiosBridgeSettingsOf, TARGET_TYPES } from './settings.js';
export type { NagiosBridgeSettings, RouteSettings, TargetSettings, TargetType } from './settings.js';
export { createCommandFileTransport, formatCommand, formatExternalCommand } from './transports/index.js';
export type { DeliveryOutcome, Transport } from './transports/index.js';
export { COMMAND_ACTIONS, ENTRY_SOURCES, isCommand, RESULT_KINDS, UnroutedResultError } from './types.js';
export type { Acknowledge, BridgeCommand, CommandAction, EntrySource, OutboxItem, PassiveResult, RemoveDowntime, ResultKind, ScheduleDowntime, SubmitCommands, SubmitResults } from './types.js';
export { CMD_CGI_PATHS, cmdCgiRouter, entrySettings, NRDP_PATHS, nrdpRouter } from './entries/index.js';
export type { CmdCgiRouterOptions, EntrySettings, NrdpRouterOptions } from './entries/index.js';
export { bridgeActive, bridgeConfigProblems, bridgeSettingsFor, NAGIOS_ENTRY_PATHS, nagiosEntriesRouter } from './appliance-wiring.js';
export type { NagiosEntriesOptions } from './appliance-wiring.js';

/** The Nagios bridge: the cmd.cgi and NRDP entries, stored RSV records on a leased cursor, the durable outbox per target (results, downtimes, acknowledgements), its transports and the generated object config. */
export { createNagiosBridge } from './create-bridge.js';
export type { NagiosBridge, NagiosBridgeOptions, TargetStats } from './create-bridge.js';
export { nagiosBridgeMigrations, DELIVERED_TABLE } from './outbox-schema.js';
export { commandDedupKey, outboxQueueName, resultDedupKey, serviceKey } from './outbox.js';
export { checkCommand, CommandFieldError, MAX_COMMAND_FIELD_BYTES } from './command-fields.js';
export type { DeadLetter, DeadLetters } from './dead-letters.js';
export { NAGIOS_HOME_SECTION, nagiosPagesRouter } from './pages/index.js';
export type { NagiosPagesOptions, PagesBridge } from './pages/index.js';
export type { DeliveryMinutes, MinuteRow } from './delivery-minutes.js';
export { MAX_PATTERN_SCAN, TRACE_EVENTS, TRACE_MATCHES } from './result-trace.js';
export type { ResultTrace, TraceEvent, TraceEventRow, TracedResult, TraceMatch, TraceSearch } from './result-trace.js';
export type { Outbox } from './outbox.js';
export { commandFileTarget, defaultBridgeSettings, nagiosBridgeClassType, nagiosBridgeSettingsOf, TARGET_TYPES } from './settings.js';
export type { CmdCgiTargetSettings, CommandFileTargetSettings, HttpTargetSettings, IcingaTargetSettings, NagiosBridgeSettings, NrdpTargetSettings, RouteSettings, TargetSettings, TargetType } from './settings.js';
export { classifyAnswer, createCmdCgiTransport, createCommandFileTransport, createIcingaTransport, createNrdpTransport, formatCommand, formatExternalCommand } from './transports/index.js';
export type { DeliveryOutcome, Transport } from './transports/index.js';
export { RSV_CURSOR } from './rsv-forwarder.js';
export type { RsvRecordFeed } from './rsv-forwarder.js';
export { rsvRecordResult } from './rsv-record-results.js';
export type { RsvRecord } from './rsv-record-results.js';
export { defaultRsvSettings, RSV_HOST_SOURCES, RSV_OUTPUT_SOURCES, RSV_START_POINTS } from './rsv-settings.js';
export type { RsvHostSource, RsvOutputSource, RsvSettings, RsvStart } from './rsv-settings.js';
export { CHILD_HOSTS_OPTIONS, COMMAND_ACTIONS, ENTRY_SOURCES, isCommand, RESULT_KINDS, UnroutedResultError } from './types.js';
export type {
  Acknowledge, BridgeCommand, ChildHostsOption, CommandAction, EntrySource, OutboxItem, PassiveResult, QueuedCommand, RemoveAcknowledgement, RemoveDowntime, ResultKind, ScheduleDowntime, SubmitCommands, SubmitResults,
} from './types.js';
export { COMMANDS_TABLE, MAX_COMMANDS_LISTED } from './command-log.js';
export type { CommandAtTarget, CommandLog, LoggedCommand } from './command-log.js';
export { CMD_CGI_PATHS, cmdCgiRouter, COMMANDS_PATH, commandsRouter, entrySettings, NRDP_PATHS, nrdpRouter } from './entries/index.js';
export type { CmdCgiRouterOptions, CommandsRouterOptions, EntrySettings, NrdpRouterOptions } from './entries/index.js';
export { bridgeActive, bridgeConfigProblems, bridgeSettingsFor, NAGIOS_ENTRY_PATHS, nagiosEntriesRouter } from './appliance-wiring.js';
export type { NagiosEntriesOptions } from './appliance-wiring.js';
export {
  DEFAULT_NAGIOS_BIN, DEFAULT_NAGIOS_CFG, generateObjectConfig, lifecycleState, NO_LONGER_REPORTING, OBJECT_CONFIG_PATH, objectConfigRouter, objectConfigSettings,
  ObjectConfigRejectedError, readHandWrittenObjects, readSeen, unsafeNameReason, writeObjectConfig,
} from './object-config/index.js';
export type { GeneratedObjectConfig, GenerateObjectConfigOptions, LifecycleState, ObjectConfigSettings, ObjectConfigStats, SeenObject, SkippedObject } from './object-config/index.js';

/** The bridge's own vocabulary: one passive check result as it travels from an entry to a target's outbox. */
import { AppError } from '../common/index.js';

export const RESULT_KINDS = ['service', 'host'] as const;
/** A service result (`PROCESS_SERVICE_CHECK_RESULT`) or a host result (`PROCESS_HOST_CHECK_RESULT`). */
export type ResultKind = (typeof RESULT_KINDS)[number];

export const ENTRY_SOURCES = ['cmd.cgi', 'nrdp', 'rsv'] as const;
/** Where a result came in. */
export type EntrySource = (typeof ENTRY_SOURCES)[number];

/**
 * One passive check result, already validated: names hold no `;`, `[`, `]`, newline or NUL; `output` is the first line
 * of plugin output, `longOutput` the rest (real newlines; a transport escapes them for its protocol).
 */
export interface PassiveResult {
  kind: ResultKind;
  host: string;
  /** Set for service results, absent for host results. */
  service?: string;
  /** Nagios return code: 0 OK / UP, 1 WARNING / DOWN, 2 CRITICAL / UNREACHABLE, 3 UNKNOWN. */
  state: 0 | 1 | 2 | 3;
  output: string;
  longOutput?: string;
  perfdata?: string;
  /** The original check time, epoch seconds (what Nagios shows as last_check). */
  checkTime: number;
  source: EntrySource;
  /** The probe's own schedule in seconds, when the source knows it (RSV's metric interval): the generated config's freshness threshold follows it. */
  scheduleSeconds?: number;
  /** Who submitted it (user or token name), for the trace. */
  submittedBy?: string;
}

/**
 * What an entry hands accepted results to; it resolves only once they are durably queued for every target. It rejects
 * with {@link UnroutedResultError} when a result matches no target's routes (nothing of the batch is queued), and with
 * the queue's `QueueFullError` (`retryAfterSeconds`) when an outbox is full.
 */
export type SubmitResults = (results: readonly PassiveResult[]) => Promise<void>;

/** No target's routes take this result: refused, so the client keeps it, rather than acknowledged and dropped. */
export class UnroutedResultError extends AppError {
  constructor(result: OutboxItem) {
    const what = result.kind !== 'host' && result.service !== undefined ? `service "${result.service}" on host "${result.host}"` : `host "${result.host}"`;
    const items = result.kind === 'command' ? 'commands' : 'results';
    super('unprocessable', `no Nagios target's routes take ${items} for ${what}; nothing was queued`, { host: result.host, service: result.service });
    this.name = 'UnroutedResultError';
  }
}

export const COMMAND_ACTIONS = ['schedule_downtime', 'remove_downtime', 'acknowledge', 'remove_acknowledgement'] as const;
/**
 * `schedule_downtime` (Nagios `SCHEDULE_HOST_DOWNTIME` / `SCHEDULE_SVC_DOWNTIME`, Icinga `schedule-downtime`),
 * `remove_downtime` (Nagios `DEL_DOWNTIME_BY_HOST_NAME`, or `DEL_HOST_DOWNTIME` / `DEL_SVC_DOWNTIME` by id; Icinga
 * `remove-downtime`), `acknowledge` (Nagios `ACKNOWLEDGE_HOST_PROBLEM` / `ACKNOWLEDGE_SVC_PROBLEM`, Icinga
 * `acknowledge-problem`), `remove_acknowledgement` (Nagios `REMOVE_HOST_ACKNOWLEDGEMENT` /
 * `REMOVE_SVC_ACKNOWLEDGEMENT`, Icinga `remove-acknowledgement`).
 */
export type CommandAction = (typeof COMMAND_ACTIONS)[number];

interface CommandBase {
  /** Tells an outbox item that is a command from a result (whose `kind` is `service` or `host`). */
  kind: 'command';
  host: string;
  /** The service the command is for; absent: the host. */
  service?: string;
  /** When it was submitted, epoch seconds (the entry time Nagios records). */
  submittedAt: number;
  /** Who submitted it (user or token name), for the trace. */
  submittedBy?: string;
  /**
   * The client's id of this request: a command re-sent with the same id (and the same fields) is queued once. Without
   * one, every submit is a new command (scheduling the same downtime twice makes two).
   */
  requestId?: string;
  /**
   * The appliance's id of this command (32 hex digits), given when it is submitted: what the commands API answers and
   * lists, and what the trace's events of the command name. Absent on commands queued before ids existed.
   */
  commandId?: string;
}

/** A downtime from `start` to `end` (epoch seconds); flexible (`fixed: false`) ones last `duration` seconds from when the problem starts. */
export interface ScheduleDowntime extends CommandBase {
  action: 'schedule_downtime';
  start: number;
  end: number;
  fixed: boolean;
  /** Seconds; required when not fixed (Nagios refuses a flexible downtime of 0). */
  duration?: number;
  author: string;
  comment: string;
  /**
   * A host downtime's child hosts: `triggered` (Nagios `SCHEDULE_AND_PROPAGATE_TRIGGERED_HOST_DOWNTIME`: theirs start
   * with this one), `non_triggered` (`SCHEDULE_AND_PROPAGATE_HOST_DOWNTIME`: theirs have the same times); absent: none.
   */
  childHosts?: ChildHostsOption;
}

export const CHILD_HOSTS_OPTIONS = ['triggered', 'non_triggered'] as const;
export type ChildHostsOption = (typeof CHILD_HOSTS_OPTIONS)[number];

/**
 * Removes downtimes of the host (and, without `service`, those of all its services, as Nagios's
 * `DEL_DOWNTIME_BY_HOST_NAME` does) or of the service, narrowed to those starting at `start` and with `comment` when
 * given. With `downtimeId` (a Nagios downtime id, or an Icinga downtime name) exactly that one is removed.
 */
export interface RemoveDowntime extends CommandBase {
  action: 'remove_downtime';
  start?: number;
  comment?: string;
  downtimeId?: string;
  /**
   * The appliance's id of the `schedule_downtime` command whose downtime goes (what the commands API answered for it).
   * `submitCommands` turns it into that downtime's host, service, start and comment (Nagios's own ids differ per
   * Nagios and are not known when the downtime is scheduled), so every target removes the downtime it was given.
   */
  scheduleId?: string;
}

/** Acknowledges the current problem of the host or service. */
export interface Acknowledge extends CommandBase {
  action: 'acknowledge';
  author: string;
  comment: string;
  /** Kept until the object is OK again (Nagios type 2), rather than removed at the next state change. */
  sticky: boolean;
  /** Sends the acknowledgement notification. */
  notify: boolean;
  /** Keeps the acknowledgement's comment after the acknowledgement ends. */
  persistent: boolean;
}

/** Removes the acknowledgement of the host's or service's problem. */
export interface RemoveAcknowledgement extends CommandBase {
  action: 'remove_acknowledgement';
}

/** A command beside results in a target's outbox, in the same per-(host, service) partition as that object's results. */
export type BridgeCommand = ScheduleDowntime | RemoveDowntime | Acknowledge | RemoveAcknowledgement;

/** What a target's outbox holds: a passive result or a command (`kind: 'command'`). */
export type OutboxItem = PassiveResult | BridgeCommand;

export const isCommand = (item: OutboxItem): item is BridgeCommand => item.kind === 'command';

/** One command as queued: its id and the targets it went to; `duplicate` when its `requestId` was queued before (the id is that command's). */
export interface QueuedCommand {
  id: string;
  targets: string[];
  duplicate: boolean;
}

/**
 * Queues commands like {@link SubmitResults} queues results: resolves once durably queued for every routed target,
 * with each command's id and targets (in the order given).
 */
export type SubmitCommands = (commands: readonly BridgeCommand[]) => Promise<QueuedCommand[]>;

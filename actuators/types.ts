/** The Actuator Dispatcher's public types: request statuses, node states, dispatch options, the actuator kind interface. */
import type { SourcePos } from '../grammar/index.js';

export const REQUEST_STATUSES = ['QUEUED', 'RUNNING', 'TIMEOUT', 'FINISHED', 'ABANDONED'] as const;
/**
 * `QUEUED`: waiting for its node; `RUNNING`: its actuator runs; `TIMEOUT`: its timeout passed before it started (it
 * never ran); `FINISHED`: its actuator ended, its exit code passed on uninterpreted; `ABANDONED`: the process running
 * it died (kill -9, power loss), so its outcome is unknown.
 */
export type RequestStatus = (typeof REQUEST_STATUSES)[number];
/** The statuses a request never leaves. */
export const FINAL_STATUSES: readonly RequestStatus[] = ['TIMEOUT', 'FINISHED', 'ABANDONED'];

export const NODE_STATES = ['production', 'maintenance'] as const;
/** `production`: only non-intrusive actuators run; `maintenance`: anything runs (WP4 §4.2.1). */
export type NodeState = (typeof NODE_STATES)[number];

export const MAINTENANCE_MODES = ['drain', 'force'] as const;
/** `drain`: wait until the node's queued non-intrusive work is done (with a deadline); `force`: at once. */
export type MaintenanceMode = (typeof MAINTENANCE_MODES)[number];

export interface DispatchOptions {
  /** Goes before the node's queued requests (never pre-empts a running one). */
  urgent?: boolean;
  /** Lock names held together with the node while it runs, e.g. every node of a virtual cluster. */
  concurrencyKey?: readonly string[];
  /** Passed to the actuator (the command kind sets them as `ACTUATOR_PARAM_<NAME>`). */
  params?: Readonly<Record<string, string>>;
}

/** One attempt at running a request (an idempotent request abandoned by a crash gets another). */
export interface AttemptRecord {
  attempt: number;
  owner: string;
  startedAt: number;
  endedAt: number | undefined;
  /** `RUNNING`, `FINISHED` or `ABANDONED`. */
  outcome: RequestStatus;
  exitCode: number | null | undefined;
}

/** What `getStatus` says of a handle. Times are epoch milliseconds. */
export interface HandleStatus {
  handle: string;
  actuator: string;
  node: string;
  status: RequestStatus;
  urgent: boolean;
  concurrencyKey: string[];
  params: Record<string, string>;
  queuedAt: number;
  /** When it must have started by (queuedAt + timeout). */
  deadline: number;
  startedAt: number | undefined;
  endedAt: number | undefined;
  /** The actuator's exit code, uninterpreted (null: it ended by a signal or was killed at its run limit). */
  exitCode: number | null | undefined;
  /** Captured stdout and stderr, bounded (the end is kept). */
  output: string;
  /** Why it ended as it did when the exit code does not say (killed at its run limit, abandoned by a crash, ...). */
  note: string | undefined;
  attempts: AttemptRecord[];
}

/** A node's standing: its state and its unfinished requests in the order they will run. */
export interface NodeStatus {
  node: string;
  state: NodeState;
  since: number | undefined;
  reason: string | undefined;
  running: HandleStatus[];
  queued: HandleStatus[];
}

/** What an actuator run produced. */
export interface ActuatorOutcome {
  exitCode: number | null;
  output: string;
  note?: string;
}

/** One run of an actuator, as a kind receives it. */
export interface ActuatorRun {
  handle: string;
  node: string;
  params: Readonly<Record<string, string>>;
  /** Bytes of output kept (the end); more is dropped and said so. */
  outputLimit: number;
  /** The longest the run may take (the actuator's `timeout`): the kind ends it then. */
  runLimitMs: number;
  /** Aborted when the dispatcher stops: the kind ends its work (the command kind kills its process group). */
  signal: AbortSignal;
}

/**
 * An actuator kind (command, echo; provisioning adds OpenNebula ones): builds a runnable actuator from its
 * configuration element, reporting problems at the element's position.
 */
export interface ActuatorKind<S = unknown> {
  readonly kind: string;
  /** The element's attributes and children this kind reads; problems go to `issue`. Undefined when unusable. */
  build(element: ActuatorElement, issue: (pos: SourcePos, message: string) => void): S | undefined;
  run(settings: S, run: ActuatorRun): Promise<ActuatorOutcome>;
}

/** An `<actuator>` element as a kind sees it. */
export interface ActuatorElement {
  name: string;
  attrs: Readonly<Record<string, string>>;
  /** `<arg>` texts, in order. */
  args: readonly { text: string; pos: SourcePos }[];
  /** `<env name= value=/>` pairs. */
  env: readonly { name: string; value: string; pos: SourcePos }[];
  pos: SourcePos;
}

/** A registered actuator: its name, flags and the kind's settings. */
export interface ActuatorDefinition {
  name: string;
  kind: string;
  /** Runs only while its node is in maintenance. */
  intrusive: boolean;
  /** Safe to run again: a run abandoned by a crash is re-run (a new attempt). */
  idempotent: boolean;
  /** The longest one run may take; past it the kind ends it (default 5 min). */
  runLimitMs: number;
  settings: unknown;
  pos?: SourcePos;
}

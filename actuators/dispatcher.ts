/**
 * The Actuator Dispatcher (WP4 §15.5): persistent handles stored before `dispatch` returns, per-node strict FIFO run
 * one at a time (urgent first), concurrency-key locks, node states, and crash truth, all on the store so that several
 * appliances sharing one database never run one node's requests at once.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { AppError, silentLogger, systemClock, type Clock, type Logger } from '../common/index.js';
import type { Store } from '../store/index.js';
import { BUILTIN_KINDS } from './kinds/index.js';
import {
  claimRuns, countByStatus, finishRun, insertRequest, nodeDrained, purgeEnded, readNodeQueue, readNodeState, readNodeStates, readRecent, readStatus, renewRun, writeNodeState,
  type ClaimedRun,
} from './request-store.js';
import { defaultActuatorSettings, type ActuatorSettings } from './settings.js';
import { FINAL_STATUSES, MAINTENANCE_MODES, NODE_STATES, type ActuatorKind, type ActuatorOutcome, type DispatchOptions, type HandleStatus, type MaintenanceMode, type NodeState, type NodeStatus } from './types.js';
import { validateDispatch } from './validate-dispatch.js';

export interface ActuatorDispatcherOptions {
  store: Store;
  settings?: ActuatorSettings;
  /** Kinds besides the built-in command and echo (provisioning's). */
  kinds?: readonly ActuatorKind<never>[];
  clock?: Clock;
  logger?: Logger;
  /** Names this process's claims (default host:pid:random). */
  owner?: string;
  /** How often the loop looks for work others queued (default 250 ms); local dispatches wake it at once. */
  pollMs?: number;
}

export interface NodeStateOptions {
  /** Entering maintenance: `drain` (default) waits for the node's non-intrusive work; `force` does not. */
  mode?: MaintenanceMode;
  /** How long a drain may wait (default 5 min); past it the node stays in production and the call fails 409. */
  drainTimeoutMs?: number;
  reason?: string;
}

export interface ActuatorDispatcher {
  /** Stores the request and returns its handle once committed; unknown actuator or node, or a bad option: AppError bad_request, nothing stored. */
  dispatch(actuator: string, node: string, timeoutMs: number | undefined, options?: DispatchOptions): Promise<string>;
  getStatus(handle: string): Promise<HandleStatus | undefined>;
  /** Resolves with the status once it is final, or with the status at `timeoutMs` (default 60 s) if it is not yet. */
  waitForCompletion(handle: string, options?: { timeoutMs?: number }): Promise<HandleStatus>;
  nodeStatus(node: string): Promise<NodeStatus>;
  setNodeState(node: string, state: NodeState, options?: NodeStateOptions): Promise<NodeStatus>;
  /** Newest first. */
  recent(limit: number, node?: string): Promise<HandleStatus[]>;
  /** Configured nodes with their states. */
  nodeStates(): Promise<{ node: string; state: NodeState; since: number | undefined }[]>;
  counts(): Promise<Record<string, number>>;
  settings(): ActuatorSettings;
  /** Runs in this process now. */
  running(): number;
  /** Checks the settings name only kinds this dispatcher has; returns problems. */
  validate(settings: ActuatorSettings): string[];
  applyConfig(settings: ActuatorSettings): void;
  start(): void;
  /** Stops claiming, ends the runs in progress (their kinds kill what they started) and records their outcome. */
  stop(): Promise<void>;
}

const PURGE_EVERY_MS = 60_000;
const WAIT_POLL_MS = 100;

export function createActuatorDispatcher(options: ActuatorDispatcherOptions): ActuatorDispatcher {
  const { store } = options;
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const owner = options.owner ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const pollMs = options.pollMs ?? 250;
  const kinds = new Map<string, ActuatorKind<unknown>>([...BUILTIN_KINDS, ...(options.kinds ?? [])].map((k) => [k.kind, k as ActuatorKind<unknown>]));
  let settings = options.settings ?? defaultActuatorSettings();
  const active = new Map<number, { run: ClaimedRun; done: Promise<void> }>();
  const abort = new AbortController();
  const finishedListeners = new Set<() => void>();
  let started = false;
  let stopping = false;
  let timer: NodeJS.Timeout | undefined;
  let ticking: Promise<void> | undefined;
  let again = false;
  let lastPurge = 0;

  const now = () => clock().getTime();
  const notifyFinished = () => {
    for (const l of [...finishedListeners]) l();
  };

  const schedule = (ms: number) => {
    if (!started || stopping) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void tick(), ms);
  };

  const wake = () => {
    if (!started || stopping) return;
    if (ticking) again = true;
    else schedule(0);
  };

  const execute = async (run: ClaimedRun) => {
    const def = settings.actuators.get(run.actuator);
    const kind = def ? kinds.get(def.kind) : undefined;
    const leaseMs = settings.leaseMs;
    const renew = setInterval(() => {
      renewRun(store, run, owner, now() + leaseMs).then(
        (held) => held || logger.warn(`actuators: the lease of ${run.handle} (${run.actuator} on ${run.node}) was lost; its outcome will not be stored`),
        (err: unknown) => logger.warn(`actuators: renewing the lease of ${run.handle} failed: ${(err as Error).message}`),
      );
    }, Math.max(200, Math.floor(leaseMs / 3)));
    let outcome: ActuatorOutcome;
    try {
      outcome = def && kind
        ? await kind.run(def.settings, { handle: run.handle, node: run.node, params: run.params, outputLimit: settings.outputLimit, runLimitMs: def.runLimitMs, signal: abort.signal })
        : { exitCode: null, output: '', note: `actuator "${run.actuator}" is no longer registered; it did not run` };
    } catch (err) {
      outcome = { exitCode: null, output: '', note: `the actuator failed to run: ${(err as Error).message}` };
    } finally {
      clearInterval(renew);
    }
    // The outcome must be stored: retry a failing store a bounded number of times before giving the run up to the lease.
    for (let i = 0; i < 5; i++) {
      try {
        const stored = await finishRun(store, run, owner, outcome, now());
        if (!stored) logger.warn(`actuators: ${run.handle} ended but was no longer this process's attempt; its outcome was not stored`);
        break;
      } catch (err) {
        logger.warn(`actuators: storing the outcome of ${run.handle} failed (${(err as Error).message}); retrying`);
        await new Promise((r) => setTimeout(r, 200 * (i + 1)));
      }
    }
  };

  const tick = async (): Promise<void> => {
    if (ticking || stopping) return;
    timer = undefined;
    ticking = (async () => {
      try {
        const t = now();
        const free = settings.maxParallel - active.size;
        const report = await claimRuns(store, { owner, now: t, leaseMs: settings.leaseMs, max: free, idempotent: (a) => settings.actuators.get(a)?.idempotent === true });
        if (report.abandoned || report.requeued) logger.warn(`actuators: ${report.abandoned} run(s) abandoned and ${report.requeued} idempotent run(s) queued again after their process stopped`);
        if (report.timedOut || report.abandoned) notifyFinished();
        for (const run of report.runs) {
          const done = execute(run).finally(() => {
            active.delete(run.id);
            notifyFinished();
            wake();
          });
          active.set(run.id, { run, done });
        }
        if (t - lastPurge >= PURGE_EVERY_MS) {
          lastPurge = t;
          const purged = await purgeEnded(store, t - settings.retentionMs);
          if (purged) logger.info(`actuators: purged ${purged} status(es) past their retention`);
        }
      } catch (err) {
        logger.warn(`actuators: claim failed: ${(err as Error).message}`);
      }
    })();
    await ticking;
    ticking = undefined;
    if (again) {
      again = false;
      schedule(0);
    } else schedule(pollMs);
  };

  const status = async (handle: string) => readStatus(store, handle);

  const nodeStatus = async (node: string): Promise<NodeStatus> => {
    const st = await readNodeState(store, node);
    const unfinished = await readNodeQueue(store, node, 1_000);
    return {
      node, state: (st?.state as NodeState | undefined) ?? 'production', since: st?.since, reason: st?.reason,
      running: unfinished.filter((s) => s.status === 'RUNNING'), queued: unfinished.filter((s) => s.status === 'QUEUED'),
    };
  };

  const knownNode = (node: string) => {
    if (!settings.nodes.has(node)) throw new AppError('not_found', `node "${node}" is not a configured node (an <node> of the Actuators class)`, { field: 'node' });
  };

  return {
    async dispatch(actuator, node, timeoutMs, opts = {}) {
      const v = validateDispatch(settings, actuator, node, timeoutMs, opts);
      const handle = randomUUID();
      const t = now();
      const def = settings.actuators.get(actuator)!;
      await insertRequest(store, { handle, actuator, node, urgent: v.urgent, locks: v.locks, params: v.params, intrusive: def.intrusive, queuedAt: t, deadline: t + v.timeoutMs });
      wake();
      return handle;
    },
    getStatus: status,
    async waitForCompletion(handle, opts = {}) {
      const until = now() + (opts.timeoutMs ?? 60_000);
      for (;;) {
        const s = await status(handle);
        if (!s) throw new AppError('not_found', `handle "${handle}" is unknown (never dispatched, or purged after its retention)`);
        const left = until - now();
        if (FINAL_STATUSES.includes(s.status) || left <= 0) return s;
        // Woken by a local run's end; other processes' runs are seen by the poll.
        await new Promise<void>((resolve) => {
          const done = () => {
            clearTimeout(t);
            finishedListeners.delete(done);
            resolve();
          };
          const t = setTimeout(done, Math.min(WAIT_POLL_MS, left));
          finishedListeners.add(done);
        });
      }
    },
    nodeStatus: async (node) => {
      knownNode(node);
      return nodeStatus(node);
    },
    async setNodeState(node, state, opts = {}) {
      knownNode(node);
      if (!(NODE_STATES as readonly string[]).includes(state)) throw new AppError('bad_request', `state: must be one of ${NODE_STATES.join(', ')}`, { field: 'state' });
      const mode = opts.mode ?? 'drain';
      if (!(MAINTENANCE_MODES as readonly string[]).includes(mode)) throw new AppError('bad_request', `mode: must be one of ${MAINTENANCE_MODES.join(', ')}`, { field: 'mode' });
      if (state === 'maintenance' && mode === 'drain') {
        const until = now() + (opts.drainTimeoutMs ?? 300_000);
        while (!(await nodeDrained(store, node))) {
          if (now() >= until) throw new AppError('conflict', `node "${node}" did not drain within ${opts.drainTimeoutMs ?? 300_000} ms (non-intrusive work still queued or running); it stays in production (use mode "force" to enter maintenance at once)`, { field: 'drainTimeout' });
          await new Promise((r) => setTimeout(r, Math.min(WAIT_POLL_MS, Math.max(1, until - now()))));
        }
      }
      await writeNodeState(store, node, state, now(), opts.reason);
      wake();
      return nodeStatus(node);
    },
    recent: (limit, node) => readRecent(store, limit, node),
    async nodeStates() {
      const states = await readNodeStates(store);
      return [...settings.nodes].sort().map((node) => ({ node, state: (states.get(node)?.state as NodeState | undefined) ?? 'production', since: states.get(node)?.since }));
    },
    counts: () => countByStatus(store),
    settings: () => settings,
    running: () => active.size,
    validate(next) {
      return [...next.actuators.values()].filter((d) => !kinds.has(d.kind)).map((d) => `actuator "${d.name}": kind "${d.kind}" is not available in this appliance`);
    },
    applyConfig(next) {
      settings = next;
      wake();
    },
    start() {
      if (started) return;
      started = true;
      schedule(0);
    },
    async stop() {
      stopping = true;
      if (timer) clearTimeout(timer);
      if (ticking) await ticking;
      abort.abort();
      await Promise.all([...active.values()].map((a) => a.done));
    },
  };
}

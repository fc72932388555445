/** The sensor agent (WP4 MSA): runs configured sensors on their schedules, bounded per group, and hands samples on. */
import { STATUS_WORDS, type SampleInput, type SampleSink } from '../types.js';
import { Counter, Gauge, type Registry } from 'prom-client';
import { errorMessage, silentLogger, systemClock, systemScheduler, type Clock, type Logger, type Scheduler } from '../../common/index.js';
import { formatDuration } from './duration.js';
import { parsePluginOutput, stateCode } from './plugin-output.js';
import { runCommand, type CommandResult } from './run-command.js';
import { nextRun } from './schedule.js';
import type { SensorDef, SensorsConfig } from './sensors-class-type.js';

/** The `source` of the agent's samples. */
export const SENSOR_SOURCE = 'sensor';

export interface SensorAgentOptions {
  sink: SampleSink;
  clock?: Clock;
  /** The timer that wakes the agent at the earliest due sensor (default Node's); tests pass their own and call tick(). */
  scheduler?: Scheduler;
  logger?: Logger;
  /** Self-metrics are registered here when given. */
  metrics?: Registry;
  /** Runs a sensor's command (default: a child process); tests of the scheduler may pass their own. */
  run?: (argv: readonly string[], timeoutMs: number, signal: AbortSignal) => Promise<CommandResult>;
}

export interface SensorAgent {
  /** Schedules every sensor from now. */
  start(): void;
  /** Stops scheduling, drops queued runs, kills running commands and waits for them; no sample is written after. */
  stop(): Promise<void>;
  /** Replaces the sensors (one `SensorsConfig` per `Sensors` class); a run in progress finishes and reports. */
  applyConfig(configs: readonly SensorsConfig[]): void;
  /**
   * What the timer does, once: starts the sensors due at the clock's now (skipping those still busy), then resolves
   * when every run in progress has finished and its samples were handed on. Tests call it instead of waiting.
   */
  tick(): Promise<void>;
}

/**
 * The samples of one run: the state sample (metric = the sensor's metric, value = state code 0..3, summary = the
 * first line, details = the long output) and one sample per perfdata item (`metric.label`, its UOM and thresholds as
 * tags). An overrun or a command that cannot start is UNKNOWN with a summary saying so, and no perfdata.
 */
export function runSamples(def: SensorDef, node: string, time: Date, result: CommandResult): SampleInput[] {
  const base = { node, time, source: SENSOR_SOURCE };
  if (result.spawnError !== undefined) {
    return [{ ...base, metric: def.metric, value: 3, summary: `UNKNOWN: cannot run ${def.argv[0] ?? ''}: ${result.spawnError}` }];
  }
  if (result.timedOut) {
    return [{ ...base, metric: def.metric, value: 3, summary: `UNKNOWN: sensor "${def.name}" overran its ${formatDuration(def.timeoutMs)} timeout and was killed` }];
  }
  const parsed = parsePluginOutput(result.stdout);
  const state = stateCode(result.exitCode);
  const firstStderr = result.stderr.trim().split('\n')[0] ?? '';
  const summary = parsed.output || firstStderr || `(no output; ${result.signal ? `killed by ${result.signal}` : `exit ${result.exitCode}`})`;
  const stateSample: SampleInput = { ...base, metric: def.metric, value: state, summary };
  if (parsed.longOutput) stateSample.details = parsed.longOutput;
  const samples = [stateSample];
  if (!def.perfdata) return samples;
  for (const d of parsed.perfdata) {
    if (d.value === undefined) continue;
    const tags: Record<string, string> = {};
    if (d.uom) tags.uom = d.uom;
    if (d.warn !== undefined) tags.warn = d.warn;
    if (d.crit !== undefined) tags.crit = d.crit;
    if (d.min !== undefined) tags.min = String(d.min);
    if (d.max !== undefined) tags.max = String(d.max);
    samples.push({ ...base, metric: `${def.metric}.${d.label}`, value: d.value, ...(Object.keys(tags).length ? { tags } : {}) });
  }
  return samples;
}

interface Group {
  config: SensorsConfig;
  active: number;
  queue: SensorState[];
}

interface SensorState {
  key: string;
  def: SensorDef;
  group: Group;
  next: Date | undefined;
  running: boolean;
  queued: boolean;
}

/**
 * The agent. One timer wakes it at the earliest due sensor; a due sensor still running or waiting from its last slot
 * skips this slot (counted), so a slow sensor never piles up runs. Each `Sensors` class runs at most `concurrency`
 * sensors at once; the others wait in order.
 */
export function createSensorAgent(options: SensorAgentOptions): SensorAgent {
  const clock = options.clock ?? systemClock;
  const scheduler = options.scheduler ?? systemScheduler;
  const logger = options.logger ?? silentLogger;
  const run = options.run ?? runCommand;
  const registers = options.metrics ? [options.metrics] : [];
  const runs = new Counter({ name: 'appliance_sensor_runs_total', help: 'Sensor runs by sensor and resulting state.', labelNames: ['sensor', 'state'] as const, registers });
  const overruns = new Counter({ name: 'appliance_sensor_overruns_total', help: 'Sensor runs killed at their timeout (reported UNKNOWN).', labelNames: ['sensor'] as const, registers });
  const skipped = new Counter({ name: 'appliance_sensor_skipped_total', help: 'Slots skipped because the sensor was still running or waiting.', labelNames: ['sensor'] as const, registers });
  const sinkFailures = new Counter({ name: 'appliance_sensor_sink_failures_total', help: 'Runs whose samples the repository did not take.', registers });
  const running = new Gauge({ name: 'appliance_sensor_running', help: 'Sensor commands running now.', registers });

  let groups = new Map<string, Group>();
  let states = new Map<string, SensorState>();
  let timer: unknown;
  let started = false;
  let abort = new AbortController();
  const inflight = new Set<Promise<void>>();

  const arm = () => {
    scheduler.clearTimeout(timer);
    timer = undefined;
    if (!started) return;
    let earliest: number | undefined;
    for (const s of states.values()) if (s.next && (earliest === undefined || s.next.getTime() < earliest)) earliest = s.next.getTime();
    if (earliest === undefined) return;
    // Timers are capped at 2^31-1 ms; a far-off cron slot is reached by waking up early and re-arming.
    timer = scheduler.setTimeout(runDue, Math.min(Math.max(0, earliest - clock().getTime()), 2 ** 31 - 1));
  };

  const execute = async (s: SensorState) => {
    const group = s.group;
    group.active++;
    running.inc();
    const time = clock();
    const signal = abort.signal;
    try {
      const result = await run(s.def.argv, s.def.timeoutMs, signal);
      if (signal.aborted) return;
      const samples = runSamples(s.def, group.config.node, time, result);
      const state = STATUS_WORDS[samples[0]!.value] ?? 'UNKNOWN';
      runs.inc({ sensor: s.key, state });
      if (result.timedOut) {
        overruns.inc({ sensor: s.key });
        logger.warn(`sensor ${s.key} overran its ${formatDuration(s.def.timeoutMs)} timeout and was killed`);
      }
      try {
        await options.sink.insertSamples(samples);
      } catch (err) {
        sinkFailures.inc();
        logger.error(`sensor ${s.key}: samples not stored: ${errorMessage(err)}`);
      }
    } finally {
      group.active--;
      running.dec();
      s.running = false;
      // A reload while it ran made a new state object for the same sensor, which inherited `running`.
      const current = states.get(s.key);
      if (current) current.running = false;
      pump(group);
    }
  };

  const pump = (group: Group) => {
    while (started && group.active < group.config.concurrency && group.queue.length) {
      const s = group.queue.shift()!;
      s.queued = false;
      s.running = true;
      const p = execute(s).finally(() => inflight.delete(p));
      inflight.add(p);
    }
  };

  const runDue = () => {
    timer = undefined;
    const now = clock();
    const touched = new Set<Group>();
    for (const s of states.values()) {
      if (!s.next || s.next.getTime() > now.getTime()) continue;
      if (s.running || s.queued) {
        skipped.inc({ sensor: s.key });
        logger.debug(`sensor ${s.key} is still ${s.running ? 'running' : 'waiting'}; this slot is skipped`);
      } else {
        s.queued = true;
        s.group.queue.push(s);
        touched.add(s.group);
      }
      s.next = nextRun(s.def.schedule, now);
    }
    for (const g of touched) pump(g);
    arm();
  };

  const agent: SensorAgent = {
    start() {
      if (started) return;
      started = true;
      abort = new AbortController();
      const now = clock();
      for (const s of states.values()) s.next = nextRun(s.def.schedule, now);
      arm();
    },
    async stop() {
      started = false;
      scheduler.clearTimeout(timer);
      timer = undefined;
      for (const g of groups.values()) {
        for (const s of g.queue) s.queued = false;
        g.queue = [];
      }
      abort.abort();
      await Promise.all([...inflight]);
    },
    applyConfig(configs) {
      const nextGroups = new Map<string, Group>();
      const nextStates = new Map<string, SensorState>();
      const now = clock();
      for (const config of configs) {
        // A group keeps its object (and so the count of its runs in progress) across reloads.
        const group = groups.get(config.name) ?? { config, active: 0, queue: [] };
        group.config = config;
        group.queue = [];
        nextGroups.set(config.name, group);
        for (const def of config.sensors) {
          const key = `${config.name}/${def.name}`;
          const old = states.get(key);
          nextStates.set(key, { key, def, group, next: started ? nextRun(def.schedule, now) : undefined, running: old?.running ?? false, queued: false });
        }
      }
      groups = nextGroups;
      states = nextStates;
      arm();
    },
    async tick() {
      runDue();
      // Runs waiting for a concurrency slot start as others finish, so wait until none is left.
      while (inflight.size) await Promise.all([...inflight]);
    },
  };
  return agent;
}

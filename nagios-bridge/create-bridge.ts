/** The Nagios bridge as a lifecycle component: `submit` queues results for every routed target in one commit; a consumer per target delivers them. */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Registry } from 'prom-client';
import { AppError, errorMessage, silentLogger, systemClock, systemScheduler, type Clock, type Logger } from '../common/index.js';
import { formatPos } from '../grammar/index.js';
import { createConsumer, type Consumer, type Scheduler } from '../queue/index.js';
import { createGroupCommit, type Store, type Transaction } from '../store/index.js';
import { createBridgeMetrics } from './bridge-metrics.js';
import { createDeadLetters, type DeadLetters } from './dead-letters.js';
import { createDeliveryMinutes, type DeliveryMinutes } from './delivery-minutes.js';
import { createDeliveryRecord } from './delivery-record.js';
import { createResultTrace, type ResultTrace } from './result-trace.js';
import { targetAddress } from './target-address.js';
import { createDeliveryHandler } from './outbox-delivery.js';
import { recordSeen } from './object-config/index.js';
import { createOutbox, outboxQueueName, type Outbox } from './outbox.js';
import { commandFileTarget, defaultBridgeSettings, type NagiosBridgeSettings, type TargetSettings } from './settings.js';
import { createRsvForwarder, type RsvRecordFeed } from './rsv-forwarder.js';
import { sameTarget, transportForTarget } from './target-transport.js';
import type { Transport } from './transports/index.js';
import { checkCommand, COMMAND_ID, CommandFieldError } from './command-fields.js';
import { createCommandLog, type CommandLog } from './command-log.js';
import { commandDedupKey } from './outbox.js';
import { isCommand, UnroutedResultError, type BridgeCommand, type OutboxItem, type PassiveResult, type QueuedCommand, type RemoveDowntime, type SubmitCommands, type SubmitResults } from './types.js';

export interface NagiosBridgeOptions {
  store: Store;
  settings?: NagiosBridgeSettings;
  /** The one-flag quick start: adds a command-file target (named `command-file`) that gets every result. */
  commandFile?: string;
  clock?: Clock;
  logger?: Logger;
  registry?: Registry;
  /** Timers of the delivery loops (tests drive them). */
  scheduler?: Scheduler;
  /** How long an idle delivery loop waits before looking again (default 1 s; results submitted here wake it at once). */
  pollMs?: number;
  /** Builds a target's transport (tests pass their own). */
  transportFor?: (target: TargetSettings, settings: NagiosBridgeSettings) => Transport;
  /** The stored RSV records (the collector's record feed); forwarded when the settings' `rsv.forward` is on. */
  records?: RsvRecordFeed;
  /** This process in the RSV cursor's lease (default `host:pid`). */
  owner?: string;
  /** How long the per-result trace and the per-minute counts are kept (default 7 days). */
  traceRetentionMs?: number;
  /** The most results the trace keeps; beyond it the oldest go first (default 200,000). */
  traceMaxResults?: number;
  /** How often each target's depth is sampled for the chart and the trace purged (default 60 s; `housekeep()` does it at once). */
  housekeepingMs?: number;
}

/** One target as `stats()` reports it. */
export interface TargetStats {
  name: string;
  type: string;
  /** Where it delivers (a path or a URL without credentials): never a secret. */
  address: string;
  queued: number;
  delivering: number;
  dead: number;
  oldestAgeMs: number;
  lastError?: { reason: string; at: string };
}

export interface NagiosBridge {
  /** Queues results for every target whose routes match, in one store transaction; resolves once committed. Throws QueueFullError when a target's outbox is full. */
  submit: SubmitResults;
  /**
   * Queues downtime and acknowledgement commands like `submit` queues results: routed by host and service, in the same
   * per-(host, service) partitions, so a command stays in order with that object's results. Throws CommandFieldError
   * (400, naming the field) for a bad command, nothing queued.
   */
  submitCommands: SubmitCommands;
  start(): void;
  stop(): Promise<void>;
  /** Problems of `next` as `file:line:col: message` (none: it can be applied). */
  validate(next: NagiosBridgeSettings): string[];
  /** Switches targets and routes; loops of removed targets stop (their queued results stay for when they return). */
  applyConfig(next: NagiosBridgeSettings): Promise<void>;
  stats(): Promise<TargetStats[]>;
  /** One target's outbox (for pages and tests). */
  outbox(target: string): Outbox | undefined;
  /** RSV records were committed in this process: the forwarder looks now instead of at its next poll. */
  recordsCommitted(): void;
  /** One target's dead letters, for the operator pages. */
  deadLetters(target: string): DeadLetters | undefined;
  /** The per-result trace: received, queued, delivered or why not. */
  readonly trace: ResultTrace;
  /** Deliveries, failures and depth per target and minute. */
  readonly minutes: DeliveryMinutes;
  /** The commands queued, by the id `submitCommands` answered, with what happened to them per target. */
  readonly commands: CommandLog;
  /** Samples every target's depth into this minute's row and purges the trace past its retention (the timer does it every `housekeepingMs`). */
  housekeep(): Promise<void>;
}

interface Running {
  settings: TargetSettings;
  outbox: Outbox;
  transport: Transport;
  consumer: Consumer;
  dead: DeadLetters;
  lastError?: { reason: string; at: Date };
}

/** How long the command log keeps a command (its id stays usable for removing the downtime it scheduled): 400 days. */
const COMMANDS_KEPT_MS = 400 * 86_400_000;

/** Builds the bridge; nothing is delivered until `start()`. */
export function createNagiosBridge(options: NagiosBridgeOptions): NagiosBridge {
  const { store } = options;
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const transportFor = options.transportFor ?? ((t: TargetSettings, s: NagiosBridgeSettings) => transportForTarget(t, clock, Math.min(10_000, s.retryMaxMs)));
  const running = new Map<string, Running>();
  const trace = createResultTrace(store);
  const commits = createGroupCommit(store);
  const minutes = createDeliveryMinutes(store);
  const commandLog = createCommandLog(store, options.traceRetentionMs ?? 7 * 86_400_000, clock);
  const scheduler = options.scheduler ?? systemScheduler;
  const housekeepingMs = options.housekeepingMs ?? 60_000;
  const traceRetentionMs = options.traceRetentionMs ?? 7 * 86_400_000;
  let housekeeping: unknown;
  let loops = 0;
  let settings = withQuickStart(options.settings ?? defaultBridgeSettings(), options.commandFile);
  let started = false;

  const metrics = createBridgeMetrics(options.registry, async () => {
    const depths = new Map<string, number>();
    for (const [name, r] of running) {
      const s = await r.outbox.queue.stats(clock());
      depths.set(name, s.depth.queued + s.depth.leased);
    }
    return depths;
  });

  const build = (t: TargetSettings, s: NagiosBridgeSettings): Running => {
    const outbox = createOutbox({ store, target: t.name, settings: s, registry: options.registry, clock });
    const transport = transportFor(t, s);
    const run: Running = { settings: t, outbox, transport, consumer: undefined as unknown as Consumer, dead: createDeadLetters(store, outbox, trace) };
    const handler = createDeliveryHandler({
      outbox,
      transport,
      metrics,
      record: createDeliveryRecord({ store, outbox, trace, minutes }),
      clock,
      deadLetterAfterMs: s.deadLetterAfterMs,
      onFailure: (reason, at) => (run.lastError = { reason, at }),
    });
    run.consumer = createConsumer({
      queue: outbox.queue,
      owner: `${hostname()}:${process.pid}:nagios:${t.name}`,
      handler,
      batch: s.batchSize,
      leaseMs: s.deliveryLeaseMs,
      pollMs: options.pollMs,
      clock,
      scheduler: options.scheduler,
      logger,
    });
    return run;
  };

  const install = async (next: NagiosBridgeSettings) => {
    const keep = new Set(next.targets.map((t) => t.name));
    for (const [name, r] of running) {
      const t = next.targets.find((x) => x.name === name);
      // A changed limit, backoff or batch size rebuilds the loop too: they are the queue's declaration.
      if (keep.has(name) && t && sameTarget(t, r.settings) && sameLimits(next, settings)) continue;
      await r.consumer.stop();
      r.transport.close?.();
      running.delete(name);
    }
    for (const t of next.targets) {
      if (running.has(t.name)) continue;
      const r = build(t, next);
      running.set(t.name, r);
      if (started) r.consumer.start();
    }
    settings = next;
  };
  const ready = install(settings);

  const routesOf = (r: OutboxItem): Running[] => {
    const out: Running[] = [];
    for (const [name, run] of running) {
      const routes = settings.routes.filter((x) => x.target === name);
      if (!routes.length || routes.some((x) => (!x.host || x.host.test(r.host)) && (!x.service || x.service.test(r.service ?? '')))) out.push(run);
    }
    return out;
  };

  /** The items per target their routes take, and those no route takes. */
  const byTarget = <T extends OutboxItem>(items: readonly T[]) => {
    const perTarget = new Map<Running, OutboxItem[]>();
    const unrouted: T[] = [];
    for (const r of items) {
      const targets = routesOf(r);
      if (!targets.length) unrouted.push(r);
      for (const t of targets) {
        const list = perTarget.get(t);
        if (list) list.push(r);
        else perTarget.set(t, [r]);
      }
    }
    return { perTarget, unrouted };
  };

  /**
   * One commit: `within` (the caller's own write, e.g. a cursor's advance) first, then every target's items; consumers
   * are woken after it. Commands are logged with the targets that took them; a command whose request id was queued
   * before is not queued again and answers that command's id. Returns, per command id, how it was queued.
   */
  const enqueue = async (perTarget: Map<Running, OutboxItem[]>, within?: (tx: Transaction) => Promise<void>) => {
    const now = clock();
    // Shared with the submits that arrive at the same time: one commit (one fsync) for many single-result requests.
    const queuedCommands = await commits.run(async (tx) => {
      await within?.(tx);
      const commands = [...new Set([...perTarget.values()].flat())].filter(isCommand);
      const keyOf = new Map(commands.map((c) => [c.commandId!, commandDedupKey(c)]));
      const earlier = await commandLog.idsOf(tx, [...keyOf.values()].filter((k): k is string => k !== undefined));
      const answer = new Map<string, QueuedCommand>();
      for (const c of commands) {
        const first = earlier.get(keyOf.get(c.commandId!) ?? '');
        answer.set(c.commandId!, first ? { id: first, targets: [], duplicate: true } : { id: c.commandId!, targets: [], duplicate: false });
      }
      const queued = new Map<string, PassiveResult[]>();
      for (const [t, all] of perTarget) {
        const rs = all.filter((r) => !isCommand(r) || !answer.get(r.commandId!)!.duplicate);
        const fresh = rs.length ? await t.outbox.enqueue(tx, rs, now) : [];
        queued.set(t.outbox.target, rs.filter((r, i): r is PassiveResult => fresh[i] === true && !isCommand(r)));
        for (const [i, r] of rs.entries()) if (isCommand(r) && fresh[i]) answer.get(r.commandId!)!.targets.push(t.outbox.target);
      }
      const logged = commands.filter((c) => answer.get(c.commandId!)!.targets.length > 0);
      await commandLog.record(tx, logged.map((c) => ({ command: c, dedupKey: keyOf.get(c.commandId!), targets: answer.get(c.commandId!)!.targets })));
      // In the same commit: a result in the trace was queued, and a queued one is in the trace (a re-sent one once).
      await trace.received(tx, queued, now);
      // The generated object config's view of what exists, in the same commit as the results (commands are not results).
      const results = [...new Set([...perTarget.values()].flat())].filter((i): i is PassiveResult => !isCommand(i));
      if (results.length) await recordSeen(tx, results, now, settings.objects.retireAfterMs / 1000);
      return answer;
    });
    for (const t of perTarget.keys()) t.outbox.queue.wake();
    // A command whose request id another appliance was queueing at the same instant (MariaDB: its row was not yet
    // committed when this transaction read the log, and its queue item won the dedup key) was queued by that one:
    // read its id now, after both commits, so this answer names the one command instead of an id that exists nowhere.
    const lost = [...queuedCommands.entries()].filter(([, q]) => !q.duplicate && q.targets.length === 0);
    if (lost.length) {
      const commands = new Map([...new Set([...perTarget.values()].flat())].filter(isCommand).map((c) => [c.commandId!, c]));
      const keys = lost.map(([id]) => commandDedupKey(commands.get(id)!)).filter((k): k is string => k !== undefined);
      const winners = await commandLog.idsOf(store, keys);
      for (const [id] of lost) {
        const key = commandDedupKey(commands.get(id)!);
        const first = key === undefined ? undefined : winners.get(key);
        if (first === undefined) throw new Error(`nagios bridge: command ${id} collided with a queued one whose id is not in the command log; send it again`);
        queuedCommands.set(id, { id: first, targets: [], duplicate: true });
      }
    }
    return queuedCommands;
  };

  const queueItems = async (items: readonly OutboxItem[]) => {
    await ready;
    if (!items.length) return;
    const { perTarget, unrouted } = byTarget(items);
    if (unrouted.length) {
      // Acknowledging a result nothing will deliver would lose it: refuse the batch so the client keeps it.
      metrics.unrouted.inc();
      throw new UnroutedResultError(unrouted[0]!);
    }
    // One commit for every target: acknowledged means queued for all of them, or for none.
    return enqueue(perTarget);
  };

  /**
   * A removal naming the appliance's schedule_downtime (`scheduleId`) becomes a removal by that downtime's host,
   * service, start and comment: what every target can match, Nagios's own downtime ids being unknown here.
   */
  const resolveSchedule = async (c: BridgeCommand, index: number): Promise<BridgeCommand> => {
    if (c.action !== 'remove_downtime' || c.scheduleId === undefined) return c;
    if (typeof c.scheduleId !== 'string' || !COMMAND_ID.test(c.scheduleId)) throw new CommandFieldError('schedule_id', 'must be the id the appliance answered for a schedule_downtime (32 hexadecimal digits)', index);
    const scheduled = await commandLog.find(c.scheduleId);
    if (!scheduled) throw new CommandFieldError('schedule_id', `no command with id ${c.scheduleId} is known (or it is older than the commands kept)`, index);
    if (scheduled.action !== 'schedule_downtime') throw new CommandFieldError('schedule_id', `command ${c.scheduleId} is a ${scheduled.action}, not a schedule_downtime`, index);
    if (c.start !== undefined || c.comment !== undefined) throw new CommandFieldError('schedule_id', 'names the downtime already; leave out start and comment', index);
    // Host and service may be left out: they are the downtime's.
    const given = c.host !== undefined || c.service !== undefined;
    if (given && (c.host !== scheduled.host || c.service !== scheduled.service)) {
      const what = scheduled.service === undefined ? `host "${scheduled.host}"` : `service "${scheduled.service}" on host "${scheduled.host}"`;
      throw new CommandFieldError('schedule_id', `command ${c.scheduleId} scheduled a downtime for ${what}; give that host and service (or leave both out)`, index);
    }
    const removal: RemoveDowntime = { ...c, host: scheduled.host, start: scheduled.start, comment: scheduled.comment };
    if (scheduled.service === undefined) delete removal.service;
    else removal.service = scheduled.service;
    return removal;
  };

  const forwarder = options.records
    ? createRsvForwarder({
        store,
        feed: options.records,
        owner: options.owner ?? `${hostname()}:${process.pid}`,
        settings: () => settings,
        // A record no route takes is counted and passed over: a stored record has no client to hand a refusal back to.
        queue: async (results, within) => {
          await ready;
          const { perTarget, unrouted } = byTarget(results);
          await enqueue(perTarget, within);
          return unrouted;
        },
        clock,
        scheduler,
        logger,
        registry: options.registry,
        pollMs: options.pollMs,
      })
    : undefined;

  const housekeep = async () => {
    await ready;
    const now = clock();
    for (const [name, r] of running) {
      const s = await r.outbox.queue.stats(now);
      await minutes.sampleDepth(name, s.depth.queued + s.depth.leased, now);
    }
    await trace.purge(now, traceRetentionMs, options.traceMaxResults ?? 200_000);
    // Kept far longer than the trace: a downtime scheduled weeks ahead is removed by its id.
    await commandLog.purge(new Date(now.getTime() - COMMANDS_KEPT_MS), 100_000);
    await minutes.purge(new Date(now.getTime() - traceRetentionMs));
  };

  return {
    async submit(results) {
      await queueItems(results);
    },

    async submitCommands(commands) {
      await ready;
      const named = commands.map((c) => ({ ...c, commandId: c.commandId ?? randomUUID().replace(/-/g, '') }));
      const check = (c: BridgeCommand, i: number) => {
        try {
          checkCommand(c);
        } catch (err) {
          if (err instanceof CommandFieldError) throw new CommandFieldError(err.field, err.problem, i);
          throw err;
        }
      };
      const resolved: (BridgeCommand & { commandId: string })[] = [];
      for (const [i, c] of named.entries()) {
        const r = { ...(await resolveSchedule(c, i)), commandId: c.commandId };
        check(r, i);
        resolved.push(r);
      }
      const answer = await queueItems(resolved);
      return resolved.map((c) => answer?.get(c.commandId) ?? { id: c.commandId, targets: [], duplicate: false });
    },

    start() {
      started = true;
      for (const r of running.values()) r.consumer.start();
      forwarder?.start();
      // A stop and start while a round runs must not leave two loops: only the latest start's loop goes on.
      const loop = ++loops;
      const every = () => {
        housekeeping = scheduler.setTimeout(() => {
          void housekeep().catch((err: unknown) => logger.warn('nagios bridge: sampling the outbox depth or purging the trace failed', { error: errorMessage(err) })).finally(() => {
            if (started && loop === loops) every();
          });
        }, housekeepingMs);
      };
      every();
    },

    async stop() {
      started = false;
      scheduler.clearTimeout(housekeeping);
      await ready;
      // The forwarder first: what it queues on its way out still has its consumers.
      await forwarder?.stop();
      await Promise.all([...running.values()].map((r) => r.consumer.stop()));
      for (const r of running.values()) r.transport.close?.();
    },

    validate(next) {
      const problems: string[] = [];
      const names = new Set<string>();
      for (const t of withQuickStart(next, options.commandFile).targets) {
        const where = t.pos ? `${formatPos(t.pos)}: ` : '';
        if (names.has(t.name)) problems.push(`${where}NagiosBridge: target "${t.name}" is defined twice${t.name === 'command-file' ? ' (the quick start adds one of that name)' : ''}`);
        names.add(t.name);
        if (outboxQueueName(t.name).length > 64) problems.push(`${where}NagiosBridge: target name "${t.name}" is too long`);
      }
      return problems;
    },

    async applyConfig(next) {
      const problems = this.validate(next);
      if (problems.length) throw new AppError('bad_request', problems.join('; '));
      await ready;
      await install(withQuickStart(next, options.commandFile));
      // Forwarding may have been turned on or off.
      forwarder?.wake();
    },

    async stats() {
      await ready;
      const now = clock();
      const out: TargetStats[] = [];
      for (const [name, r] of running) {
        const s = await r.outbox.queue.stats(now).catch((err: unknown) => {
          logger.warn(`nagios bridge: reading outbox ${name} failed`, { error: errorMessage(err) });
          return undefined;
        });
        out.push({
          name,
          type: r.settings.type,
          queued: s?.depth.queued ?? 0,
          delivering: s?.depth.leased ?? 0,
          dead: s?.depth.dead ?? 0,
          address: targetAddress(r.settings),
          oldestAgeMs: s?.oldestAgeMs ?? 0,
          ...(r.lastError ? { lastError: { reason: r.lastError.reason, at: r.lastError.at.toISOString() } } : {}),
        });
      }
      return out;
    },

    outbox: (target) => running.get(target)?.outbox,
    recordsCommitted: () => forwarder?.wake(),
    deadLetters: (target) => running.get(target)?.dead,
    trace,
    minutes,
    commands: commandLog,

    housekeep,
  };
}

function sameLimits(a: NagiosBridgeSettings, b: NagiosBridgeSettings): boolean {
  return a.maxQueued === b.maxQueued && a.batchSize === b.batchSize && a.retryMinMs === b.retryMinMs && a.retryMaxMs === b.retryMaxMs && a.deliveryLeaseMs === b.deliveryLeaseMs && a.deadLetterAfterMs === b.deadLetterAfterMs;
}

/** The settings with the quick start's command-file target added (no route names it, so it gets every result). */
function withQuickStart(s: NagiosBridgeSettings, commandFile: string | undefined): NagiosBridgeSettings {
  return commandFile ? { ...s, targets: [...s.targets, commandFileTarget(commandFile)] } : s;
}

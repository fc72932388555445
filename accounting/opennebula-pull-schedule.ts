/**
 * Scheduled pulls: one croner job per `OpenNebulaSource`, each tick one {@link pullEndpoint}. A failed pull is retried
 * on a later tick once its backoff (doubling from retry_seconds up to retry_cap_seconds) has passed; a tick while the
 * endpoint's previous pull still runs, or while another appliance holds its lease, does nothing. Counters and gauges
 * per endpoint go to /metrics.
 */
import { Cron } from 'croner';
import { Counter, Gauge, type Registry } from 'prom-client';
import { backoff, errorMessage, silentLogger, systemClock, type Clock, type Logger } from '../common/index.js';
import { pullEndpoint, type PullDeps, type PullOutcome } from './opennebula-pull.js';
import type { OpenNebulaSourceSettings } from './opennebula-source.js';

export interface PullSchedulerOptions extends PullDeps {
  sources: readonly OpenNebulaSourceSettings[];
  logger?: Logger;
  registry?: Registry;
}

/** Where one endpoint's schedule stands, for pages and tests. */
export interface EndpointStanding {
  endpoint: string;
  running: boolean;
  consecutiveFailures: number;
  /** Epoch ms before which a tick does not retry (0: no backoff). */
  retryAfter: number;
  last?: PullOutcome;
}

export interface PullScheduler {
  start(): void;
  /** Stops the schedules and waits for pulls in progress. */
  stop(): Promise<void>;
  /** Replaces the endpoints (a reload): schedules restart, standings of endpoints kept by name stay. */
  apply(sources: readonly OpenNebulaSourceSettings[]): void;
  /** Runs one tick of `endpoint` now, as its schedule would (backoff included); undefined when skipped. */
  tick(endpoint: string): Promise<PullOutcome | undefined>;
  standings(): EndpointStanding[];
}

interface Endpoint {
  source: OpenNebulaSourceSettings;
  job?: Cron;
  running?: Promise<PullOutcome | undefined>;
  standing: EndpointStanding;
}

function pullMetrics(registry: Registry | undefined) {
  const registers = registry ? [registry] : [];
  return {
    pulls: new Counter({ name: 'appliance_opennebula_pulls_total', help: 'OpenNebula pulls by endpoint and outcome (ok, failed, held: another appliance had the lease, backoff: skipped while waiting to retry).', labelNames: ['endpoint', 'outcome'] as const, registers }),
    failures: new Counter({ name: 'appliance_opennebula_pull_failures_total', help: 'Failed OpenNebula pulls by endpoint and kind (authentication, timeout, fault, http, import, ...).', labelNames: ['endpoint', 'kind'] as const, registers }),
    consecutive: new Gauge({ name: 'appliance_opennebula_pull_consecutive_failures', help: 'Failed pulls of an endpoint since its last success.', labelNames: ['endpoint'] as const, registers }),
    lastSuccess: new Gauge({ name: 'appliance_opennebula_pull_last_success_timestamp_seconds', help: 'When an endpoint was last pulled successfully (epoch seconds).', labelNames: ['endpoint'] as const, registers }),
    records: new Counter({ name: 'appliance_opennebula_pull_records_total', help: 'History records imported by pulls, by endpoint.', labelNames: ['endpoint'] as const, registers }),
  };
}

export function createPullScheduler(options: PullSchedulerOptions): PullScheduler {
  const clock: Clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const metrics = pullMetrics(options.registry);
  const endpoints = new Map<string, Endpoint>();
  let started = false;

  const schedule = (e: Endpoint) => {
    e.job = new Cron(e.source.schedule, { protect: true }, () => {
      void run(e).catch((err) => logger.error(`OpenNebula pull of ${e.source.name} failed unexpectedly: ${errorMessage(err)}`, { endpoint: e.source.name }));
    });
  };

  const settle = (e: Endpoint, outcome: PullOutcome) => {
    const { source, standing } = e;
    const labels = { endpoint: source.name };
    metrics.pulls.inc({ ...labels, outcome: outcome.status });
    if (outcome.status === 'ok') {
      standing.consecutiveFailures = 0;
      standing.retryAfter = 0;
      metrics.lastSuccess.set(labels, Math.floor(clock().getTime() / 1000));
      metrics.records.inc(labels, outcome.records);
      logger.info(`pulled OpenNebula endpoint ${source.name}: ${outcome.records} record(s), ${outcome.rejected} rejected, window [${outcome.from}, ${outcome.to})`, labels);
    } else if (outcome.status === 'failed') {
      standing.consecutiveFailures += 1;
      const delay = backoff(standing.consecutiveFailures, { baseMs: source.retryBaseMs, capMs: source.retryCapMs, jitter: 0.2 });
      standing.retryAfter = clock().getTime() + delay;
      metrics.failures.inc({ ...labels, kind: outcome.kind });
      logger.warn(`OpenNebula pull of ${source.name} failed (${outcome.kind}): ${outcome.reason}; retried on a tick after ${Math.round(delay / 1000)} s`, labels);
    }
    metrics.consecutive.set(labels, standing.consecutiveFailures);
    standing.last = outcome;
  };

  const run = (e: Endpoint): Promise<PullOutcome | undefined> => {
    if (e.running) return Promise.resolve(undefined);
    if (clock().getTime() < e.standing.retryAfter) {
      metrics.pulls.inc({ endpoint: e.source.name, outcome: 'backoff' });
      return Promise.resolve(undefined);
    }
    e.standing.running = true;
    const p = pullEndpoint(options, e.source)
      .then((outcome) => {
        settle(e, outcome);
        return outcome;
      })
      .finally(() => {
        e.running = undefined;
        e.standing.running = false;
      });
    e.running = p;
    return p;
  };

  const apply = (sources: readonly OpenNebulaSourceSettings[]) => {
    for (const [name, e] of endpoints) {
      e.job?.stop();
      if (!sources.some((s) => s.name === name)) endpoints.delete(name);
    }
    for (const source of sources) {
      const e = endpoints.get(source.name);
      if (e) e.source = source;
      else endpoints.set(source.name, { source, standing: { endpoint: source.name, running: false, consecutiveFailures: 0, retryAfter: 0 } });
    }
    if (started) for (const e of endpoints.values()) schedule(e);
  };
  apply(options.sources);

  return {
    start() {
      if (started) return;
      started = true;
      for (const e of endpoints.values()) schedule(e);
    },
    async stop() {
      started = false;
      for (const e of endpoints.values()) e.job?.stop();
      await Promise.allSettled([...endpoints.values()].flatMap((e) => (e.running ? [e.running] : [])));
    },
    apply,
    tick(endpoint) {
      const e = endpoints.get(endpoint);
      return e ? run(e) : Promise.resolve(undefined);
    },
    standings: () => [...endpoints.values()].map((e) => ({ ...e.standing })),
  };
}

/** `createCollector`: the collector stage assembled: repository, ingest routes, pages, auth, self-metrics, retention. */
import express, { type RequestHandler, type Router } from 'express';
import type { Registry } from 'prom-client';
import { silentLogger, systemClock, type Clock, type Logger } from '../common/index.js';
import { objectsOfType, type LoadedConfig } from '../grammar/index.js';
import type { Migration, Store } from '../store/index.js';
import { metricsClassType, type MetricDeclaration } from './metrics-class.js';
import { collectorMigrations } from './migrations.js';
import { createMonitoringRepository, type MonitoringRepository } from './monitoring-repository.js';
import { addRsvRoutes } from './rsv-routes.js';
import { addSampleRoutes } from './sample-routes.js';
import { createCollectorMetrics } from './self-metrics.js';
import { collectorClassType, type CollectorSettings } from './settings.js';
import { addStatusPages } from './status-pages.js';
import { writeGate, type CollectorAccess } from './write-gate.js';

/** The collector's part of a loaded configuration. */
export interface CollectorConfig {
  settings: CollectorSettings;
  /** Every `Metrics` class's declarations, in definition order. */
  metrics: readonly MetricDeclaration[];
}

export interface CollectorOptions {
  /** A store migrated with `collectorMigrations`. */
  store: Store;
  access: CollectorAccess;
  settings?: CollectorSettings;
  metrics?: readonly MetricDeclaration[];
  /** Where the self-metrics are registered (the appliance's /metrics registry). */
  registry?: Registry;
  logger?: Logger;
  clock?: Clock;
  /** How often retention clean-up runs (default hourly; 0 turns the timer off). */
  cleanUpIntervalMs?: number;
  /**
   * Called after each commit that stored probe records: a wake-up, carrying nothing, for a reader that tails
   * `probe_records` from the store (the Nagios bridge). It must return at once; what it throws is ignored.
   */
  onRecordsCommitted?: () => void;
  /** Runs `fn` every `ms` until the returned function is called (default: an unref'd setInterval); tests pass a fake. */
  every?: (ms: number, fn: () => void) => () => void;
}

export interface Collector {
  /** `POST /rsv/records`, `/api/v1/samples*`, `/rsv/*` pages, `/samples/` explorer, `/collector-static/*`. */
  router(): Router;
  /** The collector's write rule (role, loopback default), for other ingest routes such as line protocol. */
  writeGate(): RequestHandler;
  repository: MonitoringRepository;
  migrations: readonly Migration[];
  /**
   * Applies new settings and metric declarations (validated by the config loader before). Rejects when the
   * declarations cannot be recorded; the settings then stay as they were.
   */
  applyConfig(config: CollectorConfig): Promise<void>;
  /** Ends the open event streams, which a closing HTTP server would otherwise wait on for ever. */
  endStreams(): void;
  /** One pass of the retention loop at the collector's clock's now, as its timer runs it (tests call it instead of waiting). */
  tick(): Promise<void>;
  /** Waits for queued writes, ends event streams, stops the clean-up timer. */
  stop(): Promise<void>;
}

/** The class types the collector adds to the configuration grammar. */
export const collectorClassTypes = [collectorClassType, metricsClassType] as const;

/** The collector's settings and declared metrics from a loaded configuration (defaults without a Collector class). */
export function collectorConfigOf(config: LoadedConfig): CollectorConfig {
  const settings = objectsOfType<CollectorSettings>(config, 'Collector')[0]?.value ?? collectorClassType.defaults();
  const seen = new Set<string>();
  const metrics: MetricDeclaration[] = [];
  for (const { value } of objectsOfType<MetricDeclaration[]>(config, 'Metrics')) {
    for (const d of value) {
      if (seen.has(d.name)) continue;
      seen.add(d.name);
      metrics.push(d);
    }
  }
  return { settings, metrics };
}

export function createCollector(options: CollectorOptions): Collector {
  const logger = options.logger ?? silentLogger;
  const clock = options.clock ?? systemClock;
  let settings = options.settings ?? collectorClassType.defaults();
  const current = () => settings;
  const streams = new Set<() => void>();
  // The self-metrics read the subscriber count from the repository, which exists only after them.
  const parts: { repository?: MonitoringRepository } = {};
  const metrics = createCollectorMetrics(options.registry, () => parts.repository?.subscriberCount() ?? 0);
  const { repository, writer, catalog } = createMonitoringRepository({
    store: options.store,
    settings: current,
    clock,
    logger,
    onCommit: (samples) => {
      metrics.countSamples(samples);
      if (options.onRecordsCommitted && samples.some((x) => x.source === 'rsv')) {
        try {
          options.onRecordsCommitted();
        } catch (err) {
          logger.warn('collector: the records-committed wake-up failed', { error: (err as Error).message });
        }
      }
    },
  });
  parts.repository = repository;

  const configure = (decls: readonly MetricDeclaration[]) =>
    catalog.configure(decls).catch((err: unknown) => logger.error('collector: cannot record the declared metrics', { error: (err as Error).message }));
  let configured = configure(options.metrics ?? []);

  const interval = options.cleanUpIntervalMs ?? 3_600_000;
  const tick = () =>
    repository.cleanUp().then(
      () => undefined,
      (err: unknown) => logger.error('collector: retention clean-up failed', { error: (err as Error).message }),
    );
  const every = options.every ?? defaultEvery;
  const cancel = interval > 0 ? every(interval, () => void tick()) : undefined;

  return {
    repository,
    migrations: collectorMigrations,
    writeGate: () => writeGate(options.access, current),
    router() {
      const router = express.Router();
      const read = options.access.requireRead;
      const write = writeGate(options.access, current);
      addRsvRoutes(router, { writer, catalog, settings: current, clock, metrics, write });
      addSampleRoutes(router, { repository, settings: current, clock, metrics, read, write, streams });
      addStatusPages(router, { repository, store: options.store, settings: current, clock, read });
      return router;
    },
    async applyConfig(config) {
      await configured;
      // A reload must learn that the declarations were not saved (it rolls back and says so), unlike the start-up call.
      const saving = catalog.configure(config.metrics);
      configured = saving.catch(() => undefined);
      await saving;
      settings = config.settings;
    },
    tick,
    endStreams() {
      for (const close of [...streams]) close();
    },
    async stop() {
      cancel?.();
      for (const close of [...streams]) close();
      await configured;
      await writer.flush();
    },
  };
}

/** setInterval that does not keep the process alive. */
function defaultEvery(ms: number, fn: () => void): () => void {
  const timer = setInterval(fn, ms);
  timer.unref();
  return () => clearInterval(timer);
}

/** The composition root: loads configuration, opens the store, wires every stage, serves HTTP. */
import { ACCOUNTING_CLASS_TYPES, ACCOUNTING_PARTS, ACCOUNTING_SELF_PARSED_PATHS, accountingMigrations, billingMigrations, createAccounting, importHistoryMigrations } from './accounting/index.js';
import { accessMigrations, checkAccessSettings, createAccess, usersClassType, type AccessSettings } from './access/index.js';
import {
  collectorClassTypes, collectorConfigOf, collectorMigrations, createCollector, createInfluxExport, createLineProtocolRouter, createSensorAgent,
  influxExportClassType, influxExportMigrations, influxExportSettingsOf, probeRecordFeed, SELF_PARSED_PATHS, sensorsClassType, sensorsConfigsOf,
} from './collector/index.js';
import { mkdirSync, statSync, accessSync, constants } from 'node:fs';
import type { Server } from 'node:http';
import { join, resolve } from 'node:path';
import { describeLoopbackWrites } from './collector/index.js';
import { httpServerClassType, httpServerSettingsOf } from './graph-server/index.js';
import { Router, type Express } from 'express';
import { collectDefaultMetrics, Gauge, Counter, Registry } from 'prom-client';
import { AppError, createLifecycle, packageRoot, silentLogger, type Component, type Logger } from './common/index.js';
import {
  buildChart, createGrafanaRouter, createGraphMetrics, createGraphRoutes, createImageRenderer, createPivotColorRegistry, pivotColorMigrations, createQueryLimiter, createServer, errorChart, jsonGeneratorClassType,
  switchableRouter, type ClientLimits, type HomeSection, type ReloadOutcome,
} from './graph-server/index.js';
import {
  createQueryEngine, linkQueries, queryEngineClassTypes, queryLimitsOf, toStoreConnection, type ConnectionManagerConfig, type OimFeeds, type Ownership, type QueryEngine,
} from './query-engine/index.js';
import { configErrors, formatIssue, loadConfig, objectsOfType, type ConfigIssue, type LoadedConfig } from './grammar/index.js';
import { gratiaMigrations, openStore, parseStoreUrl, seedDemoData, type Migration, type Store, type StoreConnection } from './store/index.js';
import { cursorMigrations, queueMigrations } from './queue/index.js';
import { actuatorConfigProblems, actuatorMigrations, actuatorsClassType, actuatorSettingsOf, createActuatorDispatcher, dispatchApiRouter } from './actuators/index.js';
import { createTopologyLoader, Topology, TOPOLOGY_HOME_SECTION, TOPOLOGY_SCHEMAS, topologyPagesRouter, topologyClassType, topologyMigrations, writeOimTables, type TopologyConfig, type TopologyLoader, type TopologyStatus } from './topology/index.js';
import {
  bridgeActive, bridgeConfigProblems, bridgeSettingsFor, createNagiosBridge, generateObjectConfig, objectConfigRouter, NAGIOS_ENTRY_PATHS, NAGIOS_HOME_SECTION, nagiosPagesRouter, nagiosBridgeClassType, nagiosBridgeMigrations, nagiosEntriesRouter,
} from './nagios-bridge/index.js';

/** Every stage's migrations, in the order they are applied (the leased cursors before the export, whose version 2 moves its positions into them). */
export const ALL_MIGRATIONS: readonly Migration[] = [...gratiaMigrations, ...accessMigrations, ...collectorMigrations, ...cursorMigrations, ...queueMigrations, ...influxExportMigrations, ...nagiosBridgeMigrations, ...topologyMigrations, ...pivotColorMigrations, ...accountingMigrations, ...billingMigrations, ...importHistoryMigrations, ...actuatorMigrations];

/** The class types the appliance understands, from every stage. */
export const APPLIANCE_CLASS_TYPES = [
  ...queryEngineClassTypes, usersClassType, jsonGeneratorClassType, ...collectorClassTypes, sensorsClassType, influxExportClassType, httpServerClassType, nagiosBridgeClassType, topologyClassType, ...ACCOUNTING_CLASS_TYPES, actuatorsClassType,
];

export interface ApplianceOptions {
  /** The configuration directory (default: the shipped `config/`). */
  configDir?: string;
  /** The data directory (default `./data`). */
  dataDir?: string;
  /** A store URL that overrides DBParam.xml (`sqlite:PATH` or `mysql://...`). */
  dbUrl?: string;
  /** An htpasswd file that overrides the Users class's `users_file`. */
  usersFile?: string;
  /** Seed demo data when the embedded store is new (default true). */
  seedDemo?: boolean;
  /** The Nagios bridge's quick start: a command-file target (Nagios's command FIFO) that gets every result. */
  nagiosCommandFile?: string;
  logger?: Logger;
  env?: Readonly<Record<string, string | undefined>>;
}

/** A configuration that failed to load: every issue, each `file:line:col: message`. */
export class ConfigLoadError extends AppError {
  constructor(readonly issues: readonly ConfigIssue[]) {
    super('config', `configuration has ${issues.length} error(s):\n${issues.map(formatIssue).join('\n')}`);
  }
}

export function defaultConfigDir(): string {
  return join(packageRoot(), 'config');
}

/** Makes sure the data directory exists and is writable; one clear error otherwise. */
export function prepareDataDir(dir: string): string {
  const abs = resolve(dir);
  try {
    if (!statSync(abs).isDirectory()) throw new AppError('config', `--data ${abs} is not a directory; pass a directory for the appliance's data`);
  } catch (err) {
    if (err instanceof AppError) throw err;
    try {
      mkdirSync(abs, { recursive: true });
    } catch (mkErr) {
      throw new AppError('config', `cannot create the data directory ${abs}: ${(mkErr as Error).message}; pass a writable --data DIR`);
    }
  }
  try {
    accessSync(abs, constants.W_OK);
  } catch {
    throw new AppError('config', `the data directory ${abs} is not writable; fix its permissions or pass another --data DIR`);
  }
  return abs;
}

/** Loads the configuration directory with every stage's class types; `$APPLIANCE_DATA` is the data directory. */
export function loadApplianceConfig(configDir: string, dataDir: string, env: Readonly<Record<string, string | undefined>> = process.env): LoadedConfig {
  const config = loadConfig(configDir, { classTypes: APPLIANCE_CLASS_TYPES, env: { ...env, APPLIANCE_DATA: dataDir } });
  // Linking query base chains adds their problems (dangling bases, unknown slots, ...) to config.issues.
  linkQueries(config);
  return config;
}

/** {@link loadApplianceConfig} for work that needs a valid configuration: throws ConfigLoadError listing every error. */
export function loadValidConfig(configDir: string, dataDir: string, env: Readonly<Record<string, string | undefined>> = process.env): LoadedConfig {
  const config = loadApplianceConfig(configDir, dataDir, env);
  const errors = configErrors(config);
  if (errors.length) throw new ConfigLoadError(errors);
  return config;
}

/** What stops a start or a reload: the configuration's errors and those of the users file its access settings name. */
function blockingIssues(config: LoadedConfig, access: AccessSettings): ConfigIssue[] {
  return [...configErrors(config), ...checkAccessSettings(access).filter((i) => i.severity === 'error')];
}

/** What /healthz shows of the registry: its size and whether each summary source's last fetch worked. */
function topologyHealth(status: TopologyStatus) {
  return {
    sites: status.sites, resources: status.resources, vos: status.vos, clusters: status.clusters, builtAt: status.builtAt,
    sources: status.sources.map((s) => ({ kind: s.kind, ok: s.ok, ...(s.lastSuccess ? { lastSuccess: s.lastSuccess } : {}) })),
    ...(status.tablesError !== undefined ? { tablesFailed: true } : {}),
  };
}

/** The `Topology` classes of a loaded configuration, in definition order. */
export function topologyConfigsOf(config: LoadedConfig): TopologyConfig[] {
  return objectsOfType<TopologyConfig>(config, 'Topology').map((o) => o.value);
}

const feedsCache = new WeakMap<Topology, OimFeeds>();

/** The OIM feeds the query engine reads, from the registry (built once per registry, so caches keyed on them hold). */
function topologyFeeds(topology: Topology, configured: readonly Ownership[]): OimFeeds {
  let feeds = feedsCache.get(topology);
  if (!feeds) {
    // As Gratia-web read OIM: an owner with 0 percent does not own the resource. VoOwnership classes, if any, still count.
    const owned = topology.ownership().filter((o) => o.percent > 0).map((o) => ({ vo: o.vo, resource: o.resource }));
    feeds = { ownership: [...configured, ...owned], oim: topology.oimFeeds(), wlcgResources: topology.wlcgResources() };
    feedsCache.set(topology, feeds);
  }
  return feeds;
}

/**
 * The query engine over a loaded configuration; the appliance's own store serves its `appliance_store` connection, and
 * holds the `oim.*` and `rsvprocess.*` tables. `topology` is the registry in effect (default: the configuration's own
 * Topology classes and summary files, for one-shot commands).
 */
export function createApplianceQueryEngine(config: LoadedConfig, store: Store, logger: Logger = silentLogger, topology?: () => Topology): QueryEngine {
  const current = topology ?? (() => fixed);
  const fixed = topology ? Topology.empty() : Topology.from(topologyConfigsOf(config).map((c) => c.data)).topology;
  const configured = objectsOfType<Ownership[]>(config, 'VoOwnership').flatMap((o) => o.value);
  return createQueryEngine({
    config, applianceStore: store, logger, resolvePath: (p) => resolve(p), applianceSchemas: TOPOLOGY_SCHEMAS, feeds: () => topologyFeeds(current(), configured),
  });
}

/** The graph server's per-client limits from a configuration's `QueryLimits` (a slot is held at most the statement ceiling). */
export function clientLimitsOf(config: LoadedConfig): ClientLimits {
  const limits = queryLimitsOf(config);
  return { perAddress: limits.maxQueriesPerAddress, perUser: limits.maxQueriesPerUser, holdMs: limits.maxSqlQueryTimeout * 1000 };
}

/** The connection the appliance keeps its store in: `dbUrl`, else the ConnectionManager that names `appliance_store`, else the first one's default. */
export function storeConnectionOf(config: LoadedConfig, dbUrl?: string): StoreConnection {
  if (dbUrl) return parseStoreUrl(dbUrl);
  const managers = objectsOfType<ConnectionManagerConfig>(config, 'ConnectionManager');
  const chosen = managers.find((m) => m.value.applianceStore) ?? managers[0];
  if (!chosen) throw new AppError('config', 'no ConnectionManager in the configuration: add a DBParam.xml (see config/DBParam.xml)');
  const name = chosen.value.applianceStore ?? chosen.value.default;
  const def = name ? chosen.value.connections.get(name) : undefined;
  if (!def) throw new AppError('config', `ConnectionManager "${chosen.name}" has no usable default connection for the appliance's store`);
  return toStoreConnection(def, (p) => resolve(p));
}

/** The access settings of a loaded configuration, with the CLI's users file winning. */
export function accessSettingsOf(config: LoadedConfig, usersFile?: string): AccessSettings {
  const users = objectsOfType<AccessSettings>(config, 'Users')[0]?.value;
  const base: AccessSettings = users ?? usersClassType.defaults();
  return usersFile ? { ...base, usersFile } : base;
}

/** Opens the store and applies every migration; says clearly when the database cannot be reached. */
export async function openMigratedStore(conn: StoreConnection, logger: Logger = silentLogger): Promise<{ store: Store; created: boolean }> {
  const store = openStore(conn, { logger });
  try {
    // At start a server that does not answer is a setup mistake: say so within seconds, not after a minute of retries.
    await store.ping({ timeoutMs: 5_000 });
    const report = await store.migrate(ALL_MIGRATIONS);
    for (const m of report.applied) logger.info(`applied migration ${m.stage} ${m.version}: ${m.name}`);
    return { store, created: report.applied.some((m) => m.stage === 'gratia' && m.version === 1) };
  } catch (err) {
    await store.close().catch(() => undefined);
    if (err instanceof AppError) throw new AppError(err.code, `cannot open the store (${store.description}): ${err.message}`, err.context);
    throw err;
  }
}

export interface RunningAppliance {
  readonly url: string;
  readonly store: Store;
  /** The anonymous loopback-write exemption as the start-up log states it: on, or off and why. */
  loopbackWrites(): string;
  reload(): Promise<ReloadOutcome>;
  /** Stops accepting requests, lets the open ones finish, closes the store. */
  stop(): Promise<void>;
}

/** What a reload replaces; access control keeps its object and takes new settings. */
interface ApplianceState {
  config: LoadedConfig;
  queries: QueryEngine;
}

/** The configuration every part of the appliance is validated against and applied from. */
interface ApplianceConfig {
  config: LoadedConfig;
  access: AccessSettings;
}

/** Starts the appliance on `port` (0 = any free port). Throws ConfigLoadError or AppError with one clear message. */
export async function startAppliance(port: number, options: ApplianceOptions = {}): Promise<RunningAppliance> {
  const logger = options.logger ?? silentLogger;
  const env = options.env ?? process.env;
  const configDir = resolve(options.configDir ?? defaultConfigDir());
  const dataDir = prepareDataDir(options.dataDir ?? './data');
  const config = loadApplianceConfig(configDir, dataDir, env);
  for (const w of config.issues.filter((i) => i.severity === 'warning')) logger.warn(formatIssue(w));
  const accessSettings = accessSettingsOf(config, options.usersFile);
  // Checked before the store is opened: a bad users file must not first migrate (or create and seed) a store.
  const issues = blockingIssues(config, accessSettings);
  issues.push(...bridgeConfigProblems(config, options.nagiosCommandFile), ...actuatorConfigProblems(config));
  if (issues.length) throw new ConfigLoadError(issues);
  const imageCacheMb = Number(env.APPLIANCE_IMAGE_CACHE_MB ?? 64);
  if (!(imageCacheMb >= 1)) throw new AppError('config', `APPLIANCE_IMAGE_CACHE_MB "${env.APPLIANCE_IMAGE_CACHE_MB}" is not a number of megabytes (at least 1)`);

  const conn = storeConnectionOf(config, options.dbUrl);
  const { store, created } = await openMigratedStore(conn, logger);
  if (created && store.backend === 'sqlite' && options.seedDemo !== false) {
    logger.info('new embedded store: seeding demo data (--no-demo skips this)');
    // A failed seed releases the store, as a failed listen does below: the CLI then exits instead of hanging on a pool.
    const demo = await seedDemoData(store, {}).catch(async (err: unknown) => {
      await store.close();
      throw err;
    });
    logger.info(`seeded demo data: ${demo.rows.JobUsageRecord} job records and ${demo.rows.MasterSummaryData} summary rows over ${demo.days} days`);
  }

  const metrics = new Registry();
  collectDefaultMetrics({ register: metrics, prefix: 'appliance_process_' });
  const reloads = new Counter({ name: 'appliance_config_reloads_total', help: 'Configuration reloads, by result.', labelNames: ['result'] as const, registers: [metrics] });
  const configFiles = new Gauge({ name: 'appliance_config_files', help: 'Configuration files loaded.', registers: [metrics] });
  configFiles.set(config.files.length);
  new Gauge({
    name: 'appliance_schema_migrations',
    help: 'Schema migrations applied to the store.',
    registers: [metrics],
    async collect() {
      this.set((await store.schemaVersion()).total);
    },
  });

  // The one topology registry: the query engine, the Nagios object config and the /topology/ page read loader.current().
  const topology: TopologyLoader = createTopologyLoader({ registry: metrics, logger, onChange: (t) => writeOimTables(store, t) });
  const access = createAccess({ store, settings: accessSettings, logger });
  const commandFile = options.nagiosCommandFile === undefined ? undefined : resolve(options.nagiosCommandFile);
  let bridgeSettings = bridgeSettingsFor(config, commandFile);
  // The bridge tails the stored RSV records on its own cursor; the collector's commits only wake it.
  const bridge = createNagiosBridge({ store, settings: bridgeSettings, commandFile, registry: metrics, logger, records: probeRecordFeed(store) });
  const collectorConfig = collectorConfigOf(config);
  const collector = createCollector({
    store, access, registry: metrics, logger, settings: collectorConfig.settings, metrics: collectorConfig.metrics, onRecordsCommitted: () => bridge.recordsCommitted(),
  });
  const lineProtocol = createLineProtocolRouter({ sink: collector.repository, gate: { write: collector.writeGate() } });
  const influxExport = createInfluxExport({ feed: collector.repository, store, settings: influxExportSettingsOf(config), metrics, logger });
  const sensorAgent = createSensorAgent({ sink: collector.repository, metrics, logger });
  sensorAgent.applyConfig(sensorsConfigsOf(config));
  if (commandFile) logger.info(`nagios bridge: every result goes to the command file ${commandFile} (target command-file)`);
  // GET /nagios/objects.cfg: the generated object config for the settings in effect (read role), written nowhere.
  const nagiosObjects = objectConfigRouter({ generate: () => generateObjectConfig({ store, settings: bridgeSettings.objects, topology: topology.current() }), requireRead: access.requireRead, logger });
  // The operator pages: outboxes, dead letters (retry and discard need admin), the trace, the config as a page.
  const nagiosPages = nagiosPagesRouter({
    bridge,
    generate: () => generateObjectConfig({ store, settings: bridgeSettings.objects, topology: topology.current() }),
    requireRead: access.requireRead,
    requireAdmin: access.requireRole('admin'),
    active: () => bridgeActive(bridgeSettings, commandFile),
  });
  // /topology/ and /api/v1/topology/: the registry in effect, and how each of its sources stands.
  const topologyPages = topologyPagesRouter({ topology: () => topology.current(), status: () => topology.status(), requireRead: access.requireRead });
  const nagiosEntries = nagiosEntriesRouter({ submit: bridge.submit, submitCommands: bridge.submitCommands, commands: bridge.commands, access, settings: () => bridgeSettings, active: () => bridgeActive(bridgeSettings, commandFile), logger });
  // The accounting stage: import, Gratia writer, billing, exports and scheduled pulls, as the parts of one component.
  const accounting = createAccounting({
    store, config, parts: ACCOUNTING_PARTS, logger,
    requireRead: access.requireRead, requireOperator: access.requireRole('operator'), requireAdmin: access.requireRole('admin'),
  });
  // The Actuator Dispatcher: its queue, node states and statuses are in the store; the API dispatches through it.
  const dispatcher = createActuatorDispatcher({ store, settings: actuatorSettingsOf(config), logger });
  const dispatchApi = dispatchApiRouter({ dispatcher, access });
  // Query time by query, cache lookups, Chromium's render time and pages, on /metrics.
  const graphMetrics = createGraphMetrics(metrics);
  const state: ApplianceState = { config, queries: graphMetrics.timed(createApplianceQueryEngine(config, store, logger, () => topology.current())) };
  // One limiter for graph URLs and Grafana: they share the query workers.
  const limiter = createQueryLimiter({ limits: clientLimitsOf(config), registry: metrics });
  const startedAt = Date.now();

  // One reload at a time, validate-all-then-apply with rollback: the lifecycle below does it; this reads the files and says what happened.
  const reload = async (): Promise<ReloadOutcome> => {
    const next = loadApplianceConfig(configDir, dataDir, env);
    const outcome = await lifecycle.reload({ config: next, access: accessSettingsOf(next, options.usersFile) });
    if (outcome.applied) {
      reloads.inc({ result: 'applied' });
      for (const w of next.issues.filter((i) => i.severity === 'warning')) logger.warn(formatIssue(w));
      logger.info(`configuration reloaded from ${configDir} (${next.files.length} files)`);
      return { applied: true, issues: next.issues.map(formatIssue) };
    }
    if (outcome.failed === undefined) {
      reloads.inc({ result: 'rejected' });
      logger.error(`configuration reload rejected; the running configuration stays:\n${outcome.issues.join('\n')}`);
      return { applied: false, issues: outcome.issues };
    }
    reloads.inc({ result: 'failed' });
    const back = outcome.rolledBack?.length ? `rolled back ${outcome.rolledBack.join(', ')}` : 'nothing to roll back';
    logger.error(`configuration reload failed in ${outcome.failed} (${back}); the previous configuration stays:\n${outcome.issues.join('\n')}`);
    return { applied: false, failed: outcome.failed, issues: outcome.issues };
  };

  const health = async () => {
    let status: 'ok' | 'degraded' = 'ok';
    let schema: unknown;
    try {
      await store.ping();
      schema = (await store.schemaVersion()).stages;
    } catch (err) {
      status = 'degraded';
      schema = { error: (err as Error).message };
    }
    return {
      status,
      store: { backend: store.backend, description: store.description, schema: JSON.stringify(schema).replace(/"/g, '') },
      schemaVersion: schema,
      uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
      configFiles: state.config.files.length,
      // A count only: /healthz answers without a login, and the warnings name files; the home page lists them.
      configWarnings: configWarnings().length,
      // Counts and each source's standing only, as for the warnings: the messages name files; /metrics has the sources.
      topology: topologyHealth(topology.status()),
    };
  };
  /** The running configuration's warnings (unknown names, unsupported functions, mounts of missing classes), `file:line:col: ...`. */
  const configWarnings = (): string[] => [...state.config.issues, ...graph.issues].filter((i) => i.severity === 'warning').map(formatIssue);

  const home = async (): Promise<HomeSection[]> => [
    ...graph.sections(),
    {
      title: 'Monitoring',
      links: [
        { title: 'Probe status', href: '/rsv/', note: 'RSV/WLCG results by host and metric' },
        { title: 'Sample explorer', href: '/samples/', note: 'any node and metric over time' },
        { title: 'Latest samples (JSON)', href: '/api/v1/samples/latest' },
      ],
    },
    NAGIOS_HOME_SECTION,
    TOPOLOGY_HOME_SECTION,
    {
      title: 'Appliance',
      links: [
        { title: 'Health', href: '/healthz', note: 'store backend, schema version, uptime' },
        { title: 'Metrics', href: '/metrics', note: 'Prometheus text format' },
      ],
    },
  ];

  // Routers hold this view of the engine, so a reload's new engine serves them without remounting.
  const queries = {
    runQuery: (name: string, params?: Readonly<Record<string, string>>) => state.queries.runQuery(name, params),
    queries: () => state.queries.queries(),
  };
  const grafana = Router();
  grafana.use('/grafana', access.requireRead, createGrafanaRouter({ engine: queries, logger, limiter }));

  // One colour per pivot name on every graph, kept in the store (so across restarts and appliances sharing it).
  const pivotColors = createPivotColorRegistry({ store });
  // One image renderer for the appliance's life: Chromium starts on the first image request and stays warm.
  const images = createImageRenderer({ logger, onRender: graphMetrics.renderTime, ...(env.APPLIANCE_CHROMIUM ? { chromiumPath: env.APPLIANCE_CHROMIUM } : {}) });
  graphMetrics.watchPool(() => images.stats());
  const graphRoutesFor = (cfg: LoadedConfig) =>
    createGraphRoutes({ config: cfg, engine: queries, charts: { buildChart, errorChart }, images, imageCacheBytes: imageCacheMb * 1024 * 1024, logger, limiter, requireRead: access.requireRead, colors: pivotColors, onCacheLookup: graphMetrics.cacheLookup });
  let graph = graphRoutesFor(config);
  for (const w of graph.issues) logger.warn(formatIssue(w));
  const graphRouter = switchableRouter(graph.router);

  const app = createServer({
    logger,
    metrics,
    viewsDir: join(packageRoot(), 'views'),
    access,
    health,
    home,
    warnings: configWarnings,
    reload,
    routers: [grafana, graphRouter.router, collector.router(), lineProtocol, nagiosObjects, nagiosPages, topologyPages, nagiosEntries, accounting.router(), dispatchApi],
    selfParsedPaths: [...SELF_PARSED_PATHS, ...NAGIOS_ENTRY_PATHS, ...ACCOUNTING_SELF_PARSED_PATHS],
    http: () => httpServerSettingsOf(state.config),
  });

  let server: Server | undefined;
  const closeServer = (s: Server) =>
    new Promise<void>((done) => {
      s.close(() => done());
      // Idle keep-alive connections and the collector's event streams would hold close() open; requests in flight finish.
      s.closeIdleConnections();
      collector.endStreams();
    });

  // The appliance's parts in start order; they stop in reverse, and a reload validates all, then applies in this order.
  const components: Component<ApplianceConfig>[] = [
    {
      name: 'configuration',
      validate: (next) => configErrors(next.config).map(formatIssue),
      apply: (next) => {
        state.config = next.config;
        configFiles.set(next.config.files.length);
      },
    },
    { name: 'store', stop: () => store.close() },
    // Before the query engine and the routes that read it; a failed URL refresh keeps the last good registry.
    {
      name: 'topology',
      start: async () => {
        await topology.applyConfig(topologyConfigsOf(config));
        topology.start();
      },
      stop: () => topology.stop(),
      validate: (next) => topology.validate(topologyConfigsOf(next.config)),
      apply: async (next, previous) => {
        await topology.applyConfig(topologyConfigsOf(next.config));
        return () => topology.applyConfig(topologyConfigsOf(previous.config));
      },
    },
    {
      name: 'query engine',
      stop: () => state.queries.close(),
      apply: (next, previous) => {
        const [old, engine] = [state.queries, graphMetrics.timed(createApplianceQueryEngine(next.config, store, logger, () => topology.current()))];
        state.queries = engine;
        limiter.setLimits(clientLimitsOf(next.config));
        // Requests already running keep the old engine's connections until they finish.
        const retire = setTimeout(() => void old.close().catch(() => undefined), 60_000).unref();
        return async () => {
          clearTimeout(retire);
          state.queries = old;
          limiter.setLimits(clientLimitsOf(previous.config));
          await engine.close();
        };
      },
    },
    { name: 'image renderer', stop: () => images.close() },
    {
      name: 'influx export',
      start: () => influxExport.start(),
      stop: () => influxExport.stop(),
      apply: (next) => influxExport.applyConfig(influxExportSettingsOf(next.config)),
    },
    {
      name: 'access',
      validate: (next) => checkAccessSettings(next.access).filter((i) => i.severity === 'error').map(formatIssue),
      apply: (next) => access.applyConfig(next.access),
    },
    {
      name: 'graph routes',
      apply: (next) => {
        const old = graph;
        // New URL tree from the new website.xml, with fresh caches so nothing from the old configuration is served.
        graph = graphRoutesFor(next.config);
        graphRouter.replace(graph.router);
        for (const w of graph.issues) logger.warn(formatIssue(w));
        return () => {
          graph = old;
          graphRouter.replace(old.router);
        };
      },
    },
    // Stops after the server: it flushes the writes the last requests queued.
    { name: 'collector', stop: () => collector.stop(), apply: (next) => collector.applyConfig(collectorConfigOf(next.config)) },
    // Delivers from the durable outbox; stops after the server, so the last requests' results are queued first.
    {
      name: 'nagios bridge',
      start: () => bridge.start(),
      stop: () => bridge.stop(),
      validate: (next) => [...bridgeConfigProblems(next.config, commandFile).map(formatIssue), ...bridge.validate(bridgeSettingsFor(next.config, commandFile))],
      apply: async (next) => {
        const [old, fresh] = [bridgeSettings, bridgeSettingsFor(next.config, commandFile)];
        await bridge.applyConfig(fresh);
        bridgeSettings = fresh;
        return async () => {
          await bridge.applyConfig(old);
          bridgeSettings = old;
        };
      },
    },
    // Before the server: its schedules run, and its routes answer, on the settings in effect.
    {
      name: 'accounting',
      start: () => accounting.start(),
      stop: () => accounting.stop(),
      validate: (next) => accounting.validate(next.config),
      apply: async (next, previous) => {
        await accounting.applyConfig(next.config);
        return () => accounting.applyConfig(previous.config);
      },
    },
    // Stops after the server: a dispatch the last requests stored is in the store; the runs in progress are ended and recorded.
    {
      name: 'actuator dispatcher',
      start: () => dispatcher.start(),
      stop: () => dispatcher.stop(),
      validate: (next) => [...actuatorConfigProblems(next.config).map(formatIssue), ...dispatcher.validate(actuatorSettingsOf(next.config))],
      apply: (next, previous) => {
        dispatcher.applyConfig(actuatorSettingsOf(next.config));
        return () => dispatcher.applyConfig(actuatorSettingsOf(previous.config));
      },
    },
    {
      name: 'http',
      start: async () => {
        server = await listen(app, port);
      },
      stop: () => (server ? closeServer(server) : undefined),
    },
    // Last to start, first to stop: nothing is written after their commands are stopped.
    {
      name: 'sensor agent',
      start: () => sensorAgent.start(),
      stop: () => sensorAgent.stop(),
      apply: (next) => sensorAgent.applyConfig(sensorsConfigsOf(next.config)),
    },
  ];
  const lifecycle = createLifecycle(components, { config, access: accessSettings }, { logger });
  // A failed start stops what it started, the store included: no loops or handles are left behind.
  await lifecycle.start();
  const address = server!.address();
  const boundPort = typeof address === 'object' && address ? address.port : port;

  let stopping: Promise<void> | undefined;
  return {
    url: `http://localhost:${boundPort}/`,
    store,
    reload,
    loopbackWrites: () => describeLoopbackWrites(collectorConfigOf(state.config).settings, httpServerSettingsOf(state.config).trustProxy !== false),
    stop: () => (stopping ??= lifecycle.stop()),
  };
}

/** Listens on `port`; a port in use is one clear error. */
function listen(app: Express, port: number): Promise<Server> {
  return new Promise((resolveListen, reject) => {
    // Express 5 calls the listen callback on failure too, with the error: only a call without one is success.
    const s = app.listen(port, (err?: NodeJS.ErrnoException) => {
      if (!err) return resolveListen(s);
      reject(err.code === 'EADDRINUSE' ? new AppError('config', `port ${port} is in use; pass another --port`) : err);
    });
  });
}

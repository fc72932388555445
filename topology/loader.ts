/** The topology loader: builds the one registry from configuration and OSG summaries, refreshes URL summaries, keeps the last good. */
import { Counter, Gauge, type Registry } from 'prom-client';
import { errorMessage, silentLogger, systemClock, systemScheduler, type Clock, type Logger, type Scheduler } from '../common/index.js';
import { formatPos, readConfigFile } from '../grammar/index.js';
import { fetchBounded, type FetchFn } from './fetch-summary.js';
import { parseOsgSummary } from './osg-summary.js';
import type { SummarySource, TopologyConfig } from './topology-class.js';
import { Topology } from './topology.js';
import type { TopologyData } from './types.js';

/** How one summary source stands. */
export interface SourceStatus {
  source: string;
  kind: string;
  ok: boolean;
  /** ISO times. */
  lastAttempt?: string;
  lastSuccess?: string;
  /** Why the last attempt failed; the registry then keeps this source's last good data. */
  error?: string;
}

export interface TopologyStatus {
  sites: number;
  resources: number;
  vos: number;
  clusters: number;
  builtAt: string;
  sources: SourceStatus[];
  /** Names a later source repeated (the first one is kept). */
  duplicates: string[];
  /** Set when the registry's tables could not be written (see onChange). */
  tablesError?: string;
}

export interface TopologyLoaderOptions {
  fetch?: FetchFn;
  clock?: Clock;
  scheduler?: Scheduler;
  logger?: Logger;
  /** Self-metrics: `appliance_topology_*`. */
  registry?: Registry;
  /** Called with each new registry, one call at a time (the OIM tables are written here). */
  onChange?: (topology: Topology) => Promise<void>;
}

export interface TopologyLoader {
  /** The registry in effect: every reader asks this, so a refresh is seen everywhere at once. */
  current(): Topology;
  /** Problems that stop `configs` being applied (a summary file that cannot be read), as `file:line:col: message`. */
  validate(configs: readonly TopologyConfig[]): string[];
  /** Builds the registry from `configs` and their summary files, with each URL's last good summary; throws on a bad file. */
  applyConfig(configs: readonly TopologyConfig[]): Promise<void>;
  /** Fetches every URL summary now; a failed one keeps its last good data and is reported in status() and /metrics. */
  refresh(): Promise<void>;
  /** Refreshes now and then every `refresh_seconds`. */
  start(): void;
  stop(): Promise<void>;
  status(): TopologyStatus;
}

const sourceName = (s: SummarySource): string => s.url ?? s.file ?? '';
const key = (s: SummarySource): string => `${s.kind} ${sourceName(s)}`;

/** Reads a summary file: the configuration reader's bounds (regular files up to 16 MiB), then the summary parser. */
function readSummaryFile(s: SummarySource): TopologyData {
  let body: string;
  try {
    body = readConfigFile(s.file!);
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : errorMessage(err);
    throw new Error(`${formatPos(s.pos)}: <summary> cannot read ${s.file}: ${reason}`, { cause: err });
  }
  return parseOsgSummary(s.kind, body, s.file!);
}

export function createTopologyLoader(options: TopologyLoaderOptions = {}): TopologyLoader {
  const logger = options.logger ?? silentLogger;
  const clock = options.clock ?? systemClock;
  const scheduler = options.scheduler ?? systemScheduler;
  const fetchFn: FetchFn = options.fetch ?? ((url, init) => fetch(url, init));
  const registers = options.registry ? [options.registry] : [];
  const failures = new Counter({ name: 'appliance_topology_refresh_failures_total', help: 'Topology summary fetches that failed, by source (the last good summary stays).', labelNames: ['source'] as const, registers });
  const up = new Gauge({ name: 'appliance_topology_source_up', help: 'Whether the last fetch of a topology summary succeeded (1) or failed (0).', labelNames: ['source'] as const, registers });
  const lastSuccess = new Gauge({ name: 'appliance_topology_source_last_success_seconds', help: 'When a topology summary was last read successfully (Unix time).', labelNames: ['source'] as const, registers });
  const entries = new Gauge({ name: 'appliance_topology_entries', help: 'Entries in the topology registry, by kind.', labelNames: ['kind'] as const, registers });

  let configs: readonly TopologyConfig[] = [];
  let topology = Topology.empty();
  let duplicates: string[] = [];
  let builtAt = clock();
  let tablesError: string | undefined;
  /** Each source's last good data (URLs keep theirs across reloads) and standing. */
  const good = new Map<string, TopologyData>();
  const standing = new Map<string, SourceStatus>();
  let changes: Promise<void> = Promise.resolve();
  let timer: unknown;
  let running: Promise<void> | undefined;
  let stopped = true;

  const summaries = (): SummarySource[] => configs.flatMap((c) => c.summaries);

  const publish = async (): Promise<void> => {
    const parts = [...configs.map((c) => c.data), ...summaries().flatMap((s) => good.get(key(s)) ?? [])];
    const built = Topology.from(parts);
    topology = built.topology;
    if (built.duplicates.join() !== duplicates.join() && built.duplicates.length) {
      logger.warn(`topology: left out (an earlier entry has the name): ${built.duplicates.join(', ')}`);
    }
    duplicates = built.duplicates;
    builtAt = clock();
    entries.set({ kind: 'sites' }, topology.sites().length);
    entries.set({ kind: 'resources' }, topology.resources().length);
    entries.set({ kind: 'vos' }, topology.vos().length);
    entries.set({ kind: 'clusters' }, topology.clusters().length);
    const next = topology;
    // One write at a time, in registry order: a slow write never lands after a newer one.
    changes = changes.then(async () => {
      if (!options.onChange) return;
      try {
        await options.onChange(next);
        tablesError = undefined;
      } catch (err) {
        tablesError = errorMessage(err);
        logger.error(`topology: writing the registry's tables failed: ${tablesError}`);
      }
    });
    await changes;
  };

  const record = (s: SummarySource, error?: string): void => {
    const name = sourceName(s);
    const now = clock().toISOString();
    const prev = standing.get(key(s));
    const status: SourceStatus = { source: name, kind: s.kind, ok: error === undefined, lastAttempt: now, ...(prev?.lastSuccess ? { lastSuccess: prev.lastSuccess } : {}) };
    if (error === undefined) {
      status.lastSuccess = now;
      lastSuccess.set({ source: name }, clock().getTime() / 1000);
    } else {
      status.error = error;
      failures.inc({ source: name });
    }
    up.set({ source: name }, error === undefined ? 1 : 0);
    standing.set(key(s), status);
  };

  const readFiles = (list: readonly TopologyConfig[]): Map<string, TopologyData> => {
    const out = new Map<string, TopologyData>();
    for (const s of list.flatMap((c) => c.summaries)) if (s.file !== undefined) out.set(key(s), readSummaryFile(s));
    return out;
  };

  const fetchAll = async (): Promise<void> => {
    const urls = summaries().filter((s) => s.url !== undefined);
    await Promise.all(
      urls.map(async (s) => {
        const c = configs.find((cfg) => cfg.summaries.includes(s))!;
        try {
          const body = await fetchBounded(fetchFn, s.url!, c.fetchTimeoutSeconds * 1000, c.maxBytes);
          good.set(key(s), parseOsgSummary(s.kind, body, s.url!));
          record(s);
        } catch (err) {
          const message = errorMessage(err);
          record(s, message);
          logger.warn(`topology: ${s.kind} ${s.url!} not refreshed, the last good one stays: ${message}`);
        }
      }),
    );
  };

  const schedule = (): void => {
    if (stopped) return;
    const seconds = Math.min(...configs.map((c) => c.refreshSeconds), 86400);
    timer = scheduler.setTimeout(() => run(), seconds * 1000);
  };

  /** One refresh in the background, then the next one scheduled. */
  const run = (): void => {
    running = refresh()
      .catch((err: unknown) => logger.error(`topology: refresh failed: ${errorMessage(err)}`))
      .finally(() => {
        running = undefined;
        schedule();
      });
  };

  const refresh = async (): Promise<void> => {
    if (!summaries().some((s) => s.url !== undefined)) return;
    await fetchAll();
    await publish();
  };

  return {
    current: () => topology,
    validate(list) {
      try {
        readFiles(list);
        return [];
      } catch (err) {
        return [errorMessage(err)];
      }
    },
    async applyConfig(list) {
      const files = readFiles(list);
      configs = list;
      const wanted = new Set(summaries().map(key));
      for (const k of [...good.keys()]) if (!wanted.has(k)) good.delete(k);
      for (const k of [...standing.keys()]) if (!wanted.has(k)) standing.delete(k);
      for (const s of summaries()) {
        if (s.file === undefined) continue;
        good.set(key(s), files.get(key(s))!);
        record(s);
      }
      await publish();
    },
    refresh,
    start() {
      stopped = false;
      run();
    },
    async stop() {
      stopped = true;
      if (timer !== undefined) scheduler.clearTimeout(timer);
      await running?.catch(() => undefined);
      await changes;
    },
    status: () => ({
      sites: topology.sites().length,
      resources: topology.resources().length,
      vos: topology.vos().length,
      clusters: topology.clusters().length,
      builtAt: builtAt.toISOString(),
      sources: [...standing.values()],
      duplicates,
      ...(tablesError !== undefined ? { tablesError } : {}),
    }),
  };
}

/** The InfluxDB export: every configured target's loop, its configuration changes, and its self-metrics. */
import { setLogger } from '@influxdata/influxdb-client';
import { Counter, Gauge, type Registry } from 'prom-client';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { silentLogger, systemClock, systemScheduler, type Clock, type Logger, type Scheduler } from '../../common/index.js';
import { createCursors, type CursorStore } from '../../queue/index.js';
import { ExportTarget, type SampleFeed } from './export-target.js';
import type { InfluxExportSettings } from './settings.js';

export interface InfluxExportOptions {
  /** The monitoring repository's feed of stored samples, ascending by id. */
  feed: SampleFeed;
  /** Where the leased cursors live (the appliance store, migrated with `cursorMigrations` and `influxExportMigrations`). */
  store: CursorStore;
  /** This instance's name in the cursors' leases; default `host:pid:random`, unique per process. */
  owner?: string;
  /** The targets (one per `InfluxExport` class); empty exports nothing. */
  settings: readonly InfluxExportSettings[];
  /** Self-metrics are registered here when given. */
  metrics?: Registry;
  clock?: Clock;
  /** The timers of each target's loop (default Node's); tests pass one that never fires and call tick(). */
  scheduler?: Scheduler;
  logger?: Logger;
}

export interface InfluxExport {
  /** Starts each target's loop, after one try at its cursor's lease (a held lease makes it stand by). */
  start(): Promise<void>;
  /** Stops every loop after its write in flight, releases the leases, flushes and closes the clients. The cursors stay where they are. */
  stop(): Promise<void>;
  /** Restarts the targets whose settings changed, starts new ones, stops removed ones; unchanged ones keep running. */
  applyConfig(settings: readonly InfluxExportSettings[]): Promise<void>;
  /** Makes every target look for new samples now rather than at its next poll. */
  poke(): void;
  /**
   * One turn of every started target's loop, as its timer runs it (take or renew the lease, write a batch when one
   * is due), without the wait after it. For tests whose scheduler does not fire: no turns then overlap.
   */
  tick(): Promise<void>;
}

/** The client logs every failed write itself; ours already says it once with context, so its lines go to debug. */
function routeClientLog(logger: Logger): void {
  setLogger({
    error: (message: string, err?: unknown) => logger.debug(`influxdb-client: ${message}${err instanceof Error ? `: ${err.message}` : ''}`),
    warn: (message: string, err?: unknown) => logger.debug(`influxdb-client: ${message}${err instanceof Error ? `: ${err.message}` : ''}`),
  });
}

/**
 * Exports samples to InfluxDB or VictoriaMetrics. Each target reads the feed after its leased cursor, writes a
 * batch, and advances the cursor only once the server acknowledged it, so an outage loses nothing: when the server is
 * back, everything missed is written, once. Of several appliances on one store only the lease holder exports; the
 * others take over when it stops or its lease expires. (A crash, or a stall past the lease, between the
 * acknowledgement and the advance re-sends that batch; InfluxDB keeps one point per series and timestamp, so it is
 * stored once.)
 */
export function createInfluxExport(options: InfluxExportOptions): InfluxExport {
  const clock = options.clock ?? systemClock;
  const scheduler = options.scheduler ?? systemScheduler;
  const logger = options.logger ?? silentLogger;
  routeClientLog(logger);
  const registers = options.metrics ? [options.metrics] : [];
  const leases = { cursors: createCursors(options.store), owner: options.owner ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}` };
  const targets = new Map<string, ExportTarget>();
  let started = false;

  const written = new Counter({ name: 'appliance_influx_export_written_total', help: 'Lines the InfluxDB server acknowledged, per export.', labelNames: ['export'] as const, registers });
  const failed = new Counter({
    name: 'appliance_influx_export_failed_total',
    help: 'Lines of failed writes per export: retry (will be sent again) or refused (the server rejected them for good).',
    labelNames: ['export', 'reason'] as const,
    registers,
  });
  const cursor = new Gauge({ name: 'appliance_influx_export_cursor', help: 'Id of the last sample written, per export.', labelNames: ['export'] as const, registers });
  const holding = new Gauge({
    name: 'appliance_influx_export_holding',
    help: '1 when this appliance holds the export\'s lease and writes; 0 when it stands by for another appliance.',
    labelNames: ['export'] as const,
    registers,
  });
  new Gauge({
    name: 'appliance_influx_export_lag_seconds',
    help: 'Seconds since the export last had nothing left to write (0 when caught up).',
    labelNames: ['export'] as const,
    registers,
    collect() {
      this.reset();
      const now = clock().getTime();
      for (const [name, t] of targets) {
        // A standby instance has no lag of its own: the holder reports the export's.
        if (!t.holding) continue;
        const since = t.caughtUpAt ?? t.startedAt;
        // Caught up at a recent look (two polls and a second of slack for a busy event loop): no lag.
        const lag = t.caughtUpAt && now - since.getTime() <= 2 * t.settings.pollIntervalMs + 1000 ? 0 : (now - since.getTime()) / 1000;
        this.set({ export: name }, lag);
      }
    },
  });

  const create = (s: InfluxExportSettings) =>
    new ExportTarget(s, options.feed, leases, {
      written: (n) => written.inc({ export: s.name }, n),
      failed: (reason, n) => failed.inc({ export: s.name, reason }, n),
      cursor: (id) => cursor.set({ export: s.name }, id),
      holding: (held) => holding.set({ export: s.name }, held ? 1 : 0),
    }, clock, logger, scheduler);

  let current = [...options.settings];
  const key = (s: InfluxExportSettings) => JSON.stringify(s);

  return {
    async start() {
      if (started) return;
      started = true;
      for (const s of current) {
        const t = create(s);
        targets.set(s.name, t);
        await t.start();
        logger.info(`influx export ${s.name}: writing samples to ${s.url} (${s.mode}${s.mode === 'v1' ? ` db=${s.database}` : ` bucket=${s.bucket}`})`);
      }
    },
    async stop() {
      started = false;
      const all = [...targets.values()];
      targets.clear();
      await Promise.all(all.map((t) => t.stop()));
    },
    async applyConfig(settings) {
      const next = new Map(settings.map((s) => [s.name, s]));
      current = [...settings];
      if (!started) return;
      for (const [name, t] of [...targets]) {
        const wanted = next.get(name);
        if (wanted && key(wanted) === key(t.settings)) continue;
        targets.delete(name);
        await t.stop();
      }
      for (const s of settings) {
        if (targets.has(s.name)) continue;
        const t = create(s);
        targets.set(s.name, t);
        await t.start();
      }
    },
    poke() {
      for (const t of targets.values()) t.poke();
    },
    async tick() {
      await Promise.all([...targets.values()].map((t) => t.turn()));
    },
  };
}

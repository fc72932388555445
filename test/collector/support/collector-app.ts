/** The appliance's real Express app (graph-server's createServer) with the real access stage and the collector mounted. */
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Router } from 'express';
import { Registry } from 'prom-client';
import { accessMigrations, createAccess, usersClassType, type Access, type AccessSettings } from '../../../access/index.js';
import { createCollector, collectorMigrations, defaultCollectorSettings, SELF_PARSED_PATHS, type Collector, type CollectorSettings, type MetricDeclaration } from '../../../collector/index.js';
import { packageRoot, type Clock } from '../../../common/index.js';
import { createServer } from '../../../graph-server/index.js';
import type { Migration, Store } from '../../../store/index.js';

/** Every migration a collector app needs. */
export const COLLECTOR_APP_MIGRATIONS: readonly Migration[] = [...accessMigrations, ...collectorMigrations];

export interface CollectorApp {
  url: string;
  collector: Collector;
  access: Access;
  registry: Registry;
  close(): Promise<void>;
}

export interface CollectorAppOptions {
  settings?: Partial<CollectorSettings>;
  access?: Partial<AccessSettings>;
  metrics?: readonly MetricDeclaration[];
  clock?: Clock;
  /** Routers mounted after the collector's own (e.g. line protocol behind the access stage's gate). */
  routers?: (parts: { collector: Collector; access: Access }) => Router[];
  /** Paths the app's body parsers skip (default: the collector's own, as the appliance mounts it). */
  selfParsedPaths?: readonly string[];
  /** The collector's wake-up after commits that stored probe records. */
  onRecordsCommitted?: () => void;
}

/** Starts the app on 127.0.0.1 (so requests are loopback unless they say otherwise through X-Forwarded-For). */
export async function startCollectorApp(store: Store, options: CollectorAppOptions = {}): Promise<CollectorApp> {
  const access = createAccess({ store, settings: { ...usersClassType.defaults(), ...options.access }, ...(options.clock ? { clock: options.clock } : {}) });
  const registry = new Registry();
  const collector = createCollector({
    store,
    access,
    registry,
    // Loopback writes on, as the shipped config/collector.xml sets them (the code's default is off).
    settings: { ...defaultCollectorSettings(), allowLoopbackWrites: true, ...options.settings },
    metrics: options.metrics ?? [],
    cleanUpIntervalMs: 0,
    ...(options.onRecordsCommitted ? { onRecordsCommitted: options.onRecordsCommitted } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
  });
  const app = createServer({
    logger: { debug() {}, info() {}, warn() {}, error: (m, f) => console.error(m, f) },
    metrics: registry,
    access,
    viewsDir: join(packageRoot(), 'views'),
    health: async () => ({ status: 'ok' }),
    home: async () => [],
    reload: async () => ({ applied: true, issues: [] }),
    routers: [collector.router(), ...(options.routers?.({ collector, access }) ?? [])],
    selfParsedPaths: options.selfParsedPaths ?? SELF_PARSED_PATHS,
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    collector,
    access,
    registry,
    close: async () => {
      await collector.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A WLCG record as a probe prints it (the reference's example, with overridable fields). */
export function wlcgRecord(fields: Record<string, string> = {}, details = 'Host osg-edu is alive and responding to pings!'): string {
  const f: Record<string, string> = {
    metricName: 'org.osg.general.ping-host',
    metricType: 'status',
    timestamp: '2010-07-25T05:18:14Z',
    metricStatus: 'OK',
    serviceType: 'OSG-CE',
    serviceURI: 'osg-edu.cs.wisc.edu:2119',
    gatheredAt: 'rsv.example.edu',
    summaryData: 'OK',
    ...fields,
  };
  return Object.entries(f).map(([k, v]) => `${k}: ${v}`).join('\n') + `\ndetailsData: ${details}\nEOT\n`;
}

/** POSTs a body to the app. */
export function post(app: CollectorApp, path: string, body: string | Buffer, headers: Record<string, string> = { 'content-type': 'text/plain' }): Promise<Response> {
  return fetch(app.url + path, { method: 'POST', headers, body: typeof body === 'string' ? body : new Uint8Array(body) });
}

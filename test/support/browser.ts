/** Graph-server test kit: the shipped configuration's graph routes over a seeded store in a real HTTP server, and Debian's Chromium through playwright-core. */
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { join, resolve } from 'node:path';
import { Router, type RequestHandler } from 'express';
import { chromium, type Browser } from 'playwright-core';
import { Registry } from 'prom-client';
import { packageRoot, silentLogger } from '../../common/index.js';
import { createServer } from '../../graph-server/index.js';
import { createGraphRoutes, type ChartImageRenderer, type ChartMaker, type GraphRoutes, type PageChart } from '../../graph-server/web/index.js';
import { createQueryEngine, linkQueries, type QueryEngine } from '../../query-engine/index.js';
import { loadConfig, type LoadedConfig } from '../../grammar/index.js';
import { gratiaMigrations, openStore, seedDemoData, type Store } from '../../store/index.js';
import { serviceMissing } from './services.js';
import { tempDir } from './temp-files.js';
import { APPLIANCE_CLASS_TYPES } from '../../appliance.js';

/** Debian's Chromium (`apt-get install chromium`). */
export const CHROMIUM_PATH = process.env.APPLIANCE_CHROMIUM || '/usr/bin/chromium';

/** The flags platform.md found necessary: headless without a sandbox, and no attempts to reach the internet. */
export const CHROMIUM_TEST_FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
] as const;

/** Launches Chromium, or reports it missing (a loud skip locally, a failure under CI) and returns undefined. */
export async function launchTestBrowser(): Promise<Browser | undefined> {
  if (!existsSync(CHROMIUM_PATH)) {
    serviceMissing('Chromium', `no ${CHROMIUM_PATH}; apt-get install chromium (or set APPLIANCE_CHROMIUM)`);
    return undefined;
  }
  // playwright-core gives each launch a fresh profile directory, which platform.md asks for.
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_TEST_FLAGS], headless: true });
}

/** The time the demo data ends and the engine's clock stands at, so "the last 14 days" always has data. */
export const DEMO_NOW = new Date(Date.UTC(2024, 2, 15, 12, 0, 0));

/** The `/gratia/json` mount the shipped website.xml gains once the appliance registers `JsonGenerator`. */

export interface GraphTestApp {
  url: string;
  store: Store;
  engine: QueryEngine;
  config: LoadedConfig;
  routes: GraphRoutes;
  close(): Promise<void>;
}

export interface GraphTestAppOptions<S extends PageChart> {
  charts: ChartMaker<S>;
  images?: ChartImageRenderer;
  /** Configuration files or directories and environment, given the data directory (whose `appliance.db` is the seeded store); default: the shipped `config/`. */
  configure?: (dataDir: string) => { paths: string[]; env?: Record<string, string> };
  cache?: { maxEntries?: number; ttlMs?: number };
  /** Wraps the engine (to count runs, say). */
  wrapEngine?: (engine: QueryEngine) => Pick<QueryEngine, 'runQuery' | 'queries'>;
  /** More routers mounted before the graph routes, given the engine (the Grafana datasource, dashboards). */
  routers?: (engine: QueryEngine, config: LoadedConfig) => Router[];
}

const open: RequestHandler = (_req, _res, next) => next();

/**
 * The appliance's server (`createServer`) with only the graph routes wired, over a new SQLite store seeded with
 * 30 days of demo data up to {@link DEMO_NOW}, listening on a free port. Access control is open (not under test here).
 */
export async function startGraphTestApp<S extends PageChart>(options: GraphTestAppOptions<S>): Promise<GraphTestApp> {
  const dataDir = tempDir();
  const store = openStore({ interface: 'sqlite', file: join(dataDir, 'appliance.db') });
  await store.migrate(gratiaMigrations);
  await seedDemoData(store, { days: 30, scale: 0.2, seed: 3, now: DEMO_NOW });
  const { paths, env } = options.configure?.(dataDir) ?? { paths: [join(packageRoot(), 'config')] };
  const config = loadConfig(paths, { classTypes: APPLIANCE_CLASS_TYPES, env: { APPLIANCE_DATA: dataDir, ...env } });
  linkQueries(config);
  const engine = createQueryEngine({ config, applianceStore: store, clock: () => DEMO_NOW, resolvePath: (p) => resolve(p) });
  const routes = createGraphRoutes({
    config, engine: options.wrapEngine ? options.wrapEngine(engine) : engine, charts: options.charts,
    ...(options.images ? { images: options.images } : {}), ...(options.cache ? { cache: options.cache } : {}), clock: () => DEMO_NOW,
  });
  const app = createServer({
    logger: silentLogger,
    metrics: new Registry(),
    access: { authenticate: open, csrf: open, requireRead: open, requireRole: () => open, router: () => Router() },
    viewsDir: join(packageRoot(), 'views'),
    health: () => Promise.resolve({ status: 'ok' as const, store: { backend: 'sqlite', description: 'test', schema: '' }, uptimeSeconds: 0 }),
    home: () => Promise.resolve(routes.sections()),
    reload: () => Promise.resolve({ applied: false, issues: [] }),
    routers: [...(options.routers?.(engine, config) ?? []), routes.router],
  });
  const server: Server = await new Promise((ok) => {
    const s = app.listen(0, '127.0.0.1', () => ok(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    store,
    engine,
    config,
    routes,
    close: async () => {
      await new Promise<void>((ok) => {
        server.close(() => ok());
        server.closeIdleConnections();
      });
      await engine.close();
      await store.close();
    },
  };
}

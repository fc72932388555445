/** The Grafana datasource under test: a real query engine over a seeded SQLite store, served on an ephemeral port. */
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import express from 'express';
import { createGrafanaRouter, type Frame } from '../../../graph-server/grafana/index.js';
import { createQueryEngine, queryEngineClassTypes, type QueryEngine } from '../../../query-engine/index.js';
import { loadConfig } from '../../../grammar/index.js';
import { gratiaMigrations, openStore, seedDemoData, type Store } from '../../../store/index.js';
import { packageRoot } from '../../../common/index.js';
import { removeTempDirs, tempDir } from '../../support/temp-files.js';

/** The seed's `now`; the fixtures' ranges lie in the 30 days before it. */
export const NOW = new Date(Date.UTC(2024, 2, 15, 12, 0, 0));

const QUERY_FILES = ['generic_queries.xml', 'gratia_bar_queries.xml', 'gratia_pie_queries.xml', 'gratia_cumulative_queries.xml', 'vo_ownership.xml'];

export interface DatasourceUnderTest {
  url: string;
  engine: QueryEngine;
  post(path: string, body: unknown): Promise<{ status: number; json: unknown }>;
  get(path: string): Promise<{ status: number; json: unknown }>;
  close(): Promise<void>;
}

/** A request body from `grafana-fixtures/<name>.json`. */
export function fixture(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(import.meta.dirname, `${name}.json`), 'utf8')) as Record<string, unknown>;
}

export async function startDatasource(): Promise<DatasourceUnderTest> {
  const dir = tempDir();
  const store: Store = openStore({ interface: 'sqlite', file: join(dir, 'appliance.db') });
  await store.migrate(gratiaMigrations);
  await seedDemoData(store, { days: 30, scale: 0.2, seed: 3, now: NOW });
  // The shipped DBParam.xml points at $APPLIANCE_DATA/appliance.db.
  const config = loadConfig(QUERY_FILES.map((f) => join(packageRoot(), 'config', f)), { classTypes: queryEngineClassTypes, env: { APPLIANCE_DATA: dir } });
  const engine = createQueryEngine({ config, clock: () => NOW });
  const app = express();
  app.use('/grafana', createGrafanaRouter({ engine }));
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/grafana`;
  const answer = async (res: Response) => {
    const text = await res.text();
    return { status: res.status, json: text ? (JSON.parse(text) as unknown) : undefined };
  };
  return {
    url,
    engine,
    post: async (path, body) =>
      answer(await fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) })),
    get: async (path) => answer(await fetch(`${url}${path}`)),
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await engine.close();
      await store.close();
      removeTempDirs();
    },
  };
}

/** A shipped dashboard as the tests read it. */
export interface DashboardPanels {
  title: string;
  time: { from: string; to: string };
  panels: { title: string; type: string; targets: Record<string, unknown>[] }[];
}

/**
 * Every shipped dashboard and the `/query` answer to all its panels at once over the fixtures' 14 days, as Grafana
 * asks when the dashboard opens: panel i's target has refId `P<i>`.
 */
export async function dashboardAnswers(ds: DatasourceUnderTest): Promise<{ dashboard: DashboardPanels; status: number; frames: Frame[] }[]> {
  const out: { dashboard: DashboardPanels; status: number; frames: Frame[] }[] = [];
  for (const { slug } of (await ds.get('/dashboards/')).json as { slug: string }[]) {
    const dashboard = (await ds.get(`/dashboards/${slug}.json`)).json as DashboardPanels;
    const res = await ds.post('/query', {
      range: { from: '2024-03-01T12:00:00.000Z', to: '2024-03-15T12:00:00.000Z', raw: { from: dashboard.time.from, to: dashboard.time.to } },
      intervalMs: 1_200_000,
      maxDataPoints: 1000,
      targets: dashboard.panels.map((p, i) => ({ ...p.targets[0], refId: `P${i}` })),
    });
    out.push({ dashboard, status: res.status, frames: res.json as Frame[] });
  }
  return out;
}

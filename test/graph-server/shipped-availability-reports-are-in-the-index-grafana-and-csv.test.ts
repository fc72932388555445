/** The shipped availability reports are ordinary queries: a home-page section, CSV, the HTML page's quality map, Grafana's metrics and series. */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectorMigrations, sampleRow, type StoredSample } from '../../collector/index.js';
import * as charts from '../../graph-server/charts/index.js';
import { createGrafanaRouter } from '../../graph-server/grafana/index.js';
import { startGraphTestApp, type GraphTestApp } from '../support/browser.js';
import { removeTempDirs } from '../support/temp-files.js';

let app: GraphTestApp;
let grafana: Server;
let grafanaUrl: string;
const DAY0 = Date.UTC(2024, 2, 12) / 1000;
const RANGE = { starttime: '2024-03-12 00:00:00', endtime: '2024-03-14 00:00:00' };

beforeAll(async () => {
  app = await startGraphTestApp({ charts });
  // The samples table, then the other collector migrations, which fill latest_samples (a host's site) from the samples.
  await app.store.migrate(collectorMigrations.slice(0, 1));
  // ce1: OK all day 1 every 30 min, CRITICAL for the first 6 h of day 2 then OK; ce2: WARNING throughout.
  const samples: StoredSample[] = [];
  let id = 1;
  for (let t = DAY0; t < DAY0 + 2 * 86_400; t += 1800) {
    samples.push({ id: id++, node: 'ce1.example.org', metric: 'org.osg.general.ping-host', time: new Date(t * 1000), value: t >= DAY0 + 86_400 && t < DAY0 + 86_400 + 6 * 3600 ? 2 : 0, source: 'rsv', tags: { serviceType: 'CE', site: 'SiteA' } });
    samples.push({ id: id++, node: 'ce2.example.org', metric: 'org.osg.general.ping-host', time: new Date(t * 1000), value: 1, source: 'rsv', tags: { serviceType: 'CE', site: 'SiteB' } });
  }
  await app.store.insertMany('samples', ['id', 'node', 'metric', 'time', 'value', 'source', 'summary', 'details', 'tags'], samples.map(sampleRow));
  await app.store.migrate(collectorMigrations);
  const g = express();
  g.use('/grafana', createGrafanaRouter({ engine: app.engine }));
  grafana = await new Promise((ok) => {
    const s = g.listen(0, '127.0.0.1', () => ok(s));
  });
  grafanaUrl = `http://127.0.0.1:${(grafana.address() as AddressInfo).port}/grafana`;
}, 120_000);

afterAll(async () => {
  await new Promise<void>((ok) => (grafana ? grafana.close(() => ok()) : ok()));
  await app?.close();
  removeTempDirs();
});

describe('the availability reports', () => {
  it('are a section of the home page and the graph index', async () => {
    const section = app.routes.sections().find((s) => s.title === 'Probe availability (WLCG)');
    expect(section?.links.map((l) => l.href)).toEqual(expect.arrayContaining(['/gratia/html/rsv_host_availability', '/gratia/html/rsv_site_availability', '/gratia/html/rsv_host_availability_bars']));
    const xml = await (await fetch(`${app.url}/gratia/xml/`)).text();
    expect(xml).toContain('<page title="Availability by Host">/gratia/xml/rsv_host_availability</page>');
  });

  it('download as CSV with one row per host and day', async () => {
    const res = await fetch(`${app.url}/gratia/csv/rsv_host_availability?${new URLSearchParams(RANGE)}`);
    expect(res.status).toBe(200);
    const lines = (await res.text()).trim().split('\n');
    expect(lines[0]).toBe('Host,Day,Availability');
    const rows = lines.slice(1).map((l) => l.split(','));
    const ce1 = rows.filter((r) => r[0] === 'ce1.example.org').map((r) => Number(r[2]));
    // Day 1 all OK; day 2 CRITICAL from 00:00 to 06:00, 6 of its 24 h.
    expect(ce1.sort()).toEqual([0.75, 1]);
    expect(rows.filter((r) => r[0] === 'ce2.example.org').map((r) => Number(r[2]))).toEqual([0, 0]);
  });

  it('draw as a quality map (host × day) and as bars', async () => {
    const map = charts.buildChart(await app.engine.runQuery('rsv_host_availability', RANGE), {});
    expect(((map.options.series ?? []) as { type?: string }[]).every((s) => s.type === 'heatmap')).toBe(true);
    const bars = charts.buildChart(await app.engine.runQuery('rsv_site_availability_bars', RANGE), {});
    expect(bars.table.rows.map((r) => [r[0], r[1]])).toEqual([['SiteA', 87.5], ['SiteB', 0]]);
    const page = await fetch(`${app.url}/gratia/html/rsv_host_availability?${new URLSearchParams(RANGE)}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Availability by Host');
  });

  it("are Grafana metrics whose series are each host's daily availability", async () => {
    const metrics = (await (await fetch(`${grafanaUrl}/metrics`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).json()) as { value: string }[];
    expect(metrics.map((m) => m.value)).toEqual(expect.arrayContaining(['rsv_host_availability', 'rsv_site_reliability']));
    const res = await fetch(`${grafanaUrl}/query`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ range: { from: '2024-03-12T00:00:00.000Z', to: '2024-03-14T00:00:00.000Z' }, targets: [{ refId: 'A', target: 'rsv_host_availability' }] }),
    });
    expect(res.status).toBe(200);
    const series = (await res.json()) as { target: string; datapoints: [number, number][] }[];
    const ce1 = series.find((s) => s.target === 'ce1.example.org');
    expect(ce1?.datapoints).toEqual([[1, DAY0 * 1000], [0.75, (DAY0 + 86_400) * 1000]]);
  });
});

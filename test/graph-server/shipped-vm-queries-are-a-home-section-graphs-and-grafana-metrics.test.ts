/** The shipped VM queries (config/vm_queries.xml) are ordinary queries: a home-page section, the graph index, CSV, Grafana's search and series. */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountingMigrations, applySliceChange, defaultVmGratiaSettings, writeSegments } from '../../accounting/index.js';
import * as charts from '../../graph-server/charts/index.js';
import { createGrafanaRouter } from '../../graph-server/grafana/index.js';
import { startGraphTestApp, type GraphTestApp } from '../support/browser.js';
import { removeTempDirs } from '../support/temp-files.js';
import { DAY, utcSlices, vmSegment } from '../accounting/support/vm-slices.js';

let app: GraphTestApp;
let grafana: Server;
let grafanaUrl: string;
// Years before the demo data (which has OneVM records of its own), so only these VMs are in the range.
const DAY0 = Date.UTC(2020, 4, 4) / 1000;
const RANGE = { starttime: '2020-05-04 00:00:00', endtime: '2020-05-06 00:00:00', probe: '^onevm:one-test$' };

beforeAll(async () => {
  app = await startGraphTestApp({ charts });
  await app.store.migrate(accountingMigrations);
  // VM 1 (group atlas) all of day 1 and 12 h of day 2; VM 2 (group cms) 6 h of day 2.
  const segments = [
    vmSegment({ endpoint: 'one-test', vmId: 1, start: DAY0, end: DAY0 + DAY + 12 * 3600, runEnd: DAY0 + DAY + 12 * 3600, groupName: 'atlas', hostname: 'hv1', status: 'completed' }),
    vmSegment({ endpoint: 'one-test', vmId: 2, start: DAY0 + DAY, end: DAY0 + DAY + 6 * 3600, runEnd: DAY0 + DAY + 6 * 3600, groupName: 'cms', hostname: 'hv2', status: 'completed' }),
  ];
  const now = DAY0 + 3 * DAY;
  await app.store.transaction(async (tx) => {
    const change = await writeSegments(tx, segments, segments.flatMap((s) => utcSlices(s, now)), now);
    await applySliceChange(tx, change, { settings: defaultVmGratiaSettings({ defaultSite: 'TEST_CLOUD' }), now });
  });
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

describe('the VM queries', () => {
  it('are the home page section "Virtual machines" and in the graph index', async () => {
    const section = app.routes.sections().find((s) => s.title === 'Virtual machines');
    expect(section?.links.map((l) => l.href)).toEqual([
      '/gratia/html/vm_wall_hours_by_group', '/gratia/html/vm_wall_hours_by_user', '/gratia/html/vm_wall_hours_by_host',
      '/gratia/html/vm_running_by_group', '/gratia/html/vm_memory_gb_hours_by_group',
    ]);
    const xml = await (await fetch(`${app.url}/gratia/xml/`)).text();
    expect(xml).toContain('<page title="VM Wall Hours by Group">/gratia/xml/vm_wall_hours_by_group</page>');
    const page = await fetch(`${app.url}/gratia/html/vm_wall_hours_by_host?${new URLSearchParams(RANGE)}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('VM Wall Hours by Host');
  });

  it('download as CSV: one row per group and day', async () => {
    const res = await fetch(`${app.url}/gratia/csv/vm_wall_hours_by_group?${new URLSearchParams(RANGE)}`);
    expect(res.status).toBe(200);
    const lines = (await res.text()).trim().split('\n');
    expect(lines[0]).toMatch(/^Group,/);
    const rows = lines.slice(1).map((l) => l.split(',')).map((r) => [r[0], Number(r[2])]);
    expect(rows.sort()).toEqual([['atlas', 12], ['atlas', 24], ['cms', 6]]);
  });

  it('are listed by Grafana search and answer its queries with the hours per day', async () => {
    const search = (await (await fetch(`${grafanaUrl}/search`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).json()) as unknown[];
    const names = search.map((x) => (typeof x === 'string' ? x : (x as { value: string }).value));
    expect(names).toEqual(expect.arrayContaining(['vm_wall_hours_by_group', 'vm_wall_hours_by_user', 'vm_wall_hours_by_host', 'vm_running_by_group', 'vm_memory_gb_hours_by_group']));
    const res = await fetch(`${grafanaUrl}/query`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ range: { from: '2020-05-04T00:00:00.000Z', to: '2020-05-06T00:00:00.000Z' }, targets: [{ refId: 'A', target: 'vm_wall_hours_by_host', payload: { probe: '^onevm:one-test$' } }] }),
    });
    expect(res.status).toBe(200);
    const series = (await res.json()) as { target: string; datapoints: [number, number][] }[];
    expect(series.find((s) => s.target === 'hv1')?.datapoints).toEqual([[24, DAY0 * 1000], [12, (DAY0 + DAY) * 1000]]);
    expect(series.find((s) => s.target === 'hv2')?.datapoints).toEqual([[6, (DAY0 + DAY) * 1000]]);
  });
});

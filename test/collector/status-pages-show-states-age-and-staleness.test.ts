/** The probe status pages: the hosts × metrics matrix coloured by state with age and stale marks, host and metric pages, the explorer, Highcharts served locally. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqliteBackend } from '../support/stores.js';
import { useFreshStore } from '../store/support/fresh-store.js';
import { fakeClock } from '../access/support/access-app.js';
import { COLLECTOR_APP_MIGRATIONS, post, startCollectorApp, wlcgRecord, type CollectorApp } from './support/collector-app.js';

describe('collector pages', () => {
  const fresh = useFreshStore(sqliteBackend, { per: 'suite', migrations: COLLECTOR_APP_MIGRATIONS });
  let app: CollectorApp;
  const time = fakeClock('2026-03-01T12:00:00Z');
  beforeAll(async () => {
    app = await startCollectorApp(fresh().store, { clock: time.clock, settings: { staleAfterMinutes: 60 } });
    const body =
      wlcgRecord({ hostName: 'ce1.example', timestamp: '2026-03-01T11:50:00Z' }) +
      wlcgRecord({ hostName: 'ce1.example', metricName: 'org.osg.certificates.cacert-expiry', metricStatus: 'CRITICAL', summaryData: 'CA expired', timestamp: '2026-03-01T08:00:00Z' }) +
      wlcgRecord({ hostName: 'ce2.example', metricStatus: 'WARNING', timestamp: '2026-03-01T11:00:00Z' }) +
      wlcgRecord({ hostName: 'ce2.example', metricStatus: 'OK', timestamp: '2026-03-01T11:30:00Z' });
    expect((await post(app, '/rsv/records', body)).status).toBe(200);
  });
  afterAll(() => app.close());
  const page = async (path: string) => {
    const res = await fetch(app.url + path, { headers: { accept: 'text/html' } });
    return { status: res.status, html: await res.text() };
  };

  it('the matrix has a row per host and a column per metric, coloured by the latest state, with its age; old results are stale', async () => {
    const { status, html } = await page('/rsv/');
    expect(status).toBe(200);
    expect(html).toContain('<title>Probe status · Fabric Appliance</title>');
    const cells = [...html.matchAll(/<td class="cell state-(\w+)( stale)?" data-node="([^"]+)" data-metric="([^"]+)" data-state="(\w+)"[^>]*>\s*<a href="\/rsv\/result\/\d+">\w+<br><span class="age">([^<]+)<\/span>/g)]
      .map((m) => ({ cls: m[1], stale: Boolean(m[2]), state: m[5], metric: m[4], host: m[3], age: m[6] }));
    expect(cells).toEqual([
      { cls: 'critical', stale: true, state: 'CRITICAL', metric: 'org.osg.certificates.cacert-expiry', host: 'ce1.example', age: '4 h' },
      { cls: 'ok', stale: false, state: 'OK', metric: 'org.osg.general.ping-host', host: 'ce1.example', age: '10 min' },
      { cls: 'ok', stale: false, state: 'OK', metric: 'org.osg.general.ping-host', host: 'ce2.example', age: '30 min' },
    ]);
    expect(html).toContain('<td class="cell empty" data-node="ce2.example" data-metric="org.osg.certificates.cacert-expiry"></td>');
    expect(html).toContain('1 stale');
  });

  it('the host page lists each metric with state, age and summary', async () => {
    const { html } = await page('/rsv/host/ce1.example');
    expect(html).toMatch(/<tr class="stale" data-metric="org.osg.certificates.cacert-expiry">\s*<td><a href="\/rsv\/metric\/org.osg.certificates.cacert-expiry\?host=ce1.example">/);
    expect(html).toContain('CA expired');
    expect((await page('/rsv/host/nowhere.example')).status).toBe(404);
  });

  it('the metric page charts the history with Highcharts served from node_modules, and lists state changes', async () => {
    const { html } = await page('/rsv/metric/org.osg.general.ping-host?host=ce2.example');
    expect(html).toContain('<script src="/collector-static/highcharts.js"></script>');
    const chart = JSON.parse(/rsvHistoryChart\('history-chart', (\{.*\})\), "/.exec(html)![1]!) as { states: boolean; series: { name: string; data: { x: number; y: number }[] }[] };
    expect(chart.states).toBe(true);
    expect(chart.series).toEqual([{ name: 'ce2.example', data: [{ x: Date.parse('2026-03-01T11:00:00Z'), y: 1, summary: 'OK' }, { x: Date.parse('2026-03-01T11:30:00Z'), y: 0, summary: 'OK' }] }]);
    expect(html).toMatch(/<td><a href="\/rsv\/result\/\d+">2026-03-01T11:30:00.000Z<\/a><\/td><td>ce2.example<\/td><td>WARNING<\/td><td class="state-ok">OK<\/td>/);
    const js = await fetch(`${app.url}/collector-static/highcharts.js`);
    expect(js.status).toBe(200);
    expect((await js.text()).slice(0, 200)).toContain('Highcharts');
  });

  it('the sample explorer offers the nodes and metrics and shows the picked series', async () => {
    const empty = await page('/samples/');
    expect(empty.html).toContain('<option>ce1.example</option>');
    const { html } = await page('/samples/?node=ce1.example&metric=org.osg.general.ping-host&start=2026-03-01T00:00:00Z&end=2026-03-01T12:00:00Z');
    expect(html).toContain('<option selected>ce1.example</option>');
    expect(html).toContain("rsvHistoryChart('series-chart'");
    expect(html).toMatch(/<td>2026-03-01T11:50:00.000Z<\/td><td>0<\/td><td>rsv<\/td>/);
  });
  it('names with #, ? or a space are encoded in the links, and the links lead to their pages', async () => {
    const sample = { node: 'rack 7#a', metric: 'disk?root', time: '2026-03-01T11:55:00Z', value: 2, source: 'sensor', tags: { status: 'CRITICAL' } };
    const posted = await post(app, '/api/v1/samples', JSON.stringify([sample]), { 'content-type': 'application/json' });
    expect(posted.status).toBe(200);
    const { html } = await page('/rsv/');
    expect(html).toContain('<a href="/rsv/host/rack%207%23a">rack 7#a</a>');
    expect(html).toContain('<a href="/rsv/metric/disk%3Froot">disk?root</a>');
    const host = await page('/rsv/host/rack%207%23a');
    expect(host.status).toBe(200);
    expect(host.html).toContain('<a href="/rsv/metric/disk%3Froot?host=rack%207%23a">disk?root</a>');
    const metric = await page('/rsv/metric/disk%3Froot?host=rack%207%23a');
    expect(metric.status).toBe(200);
    expect(metric.html).toContain('<a href="/rsv/host/rack%207%23a">rack 7#a</a>');
  });
});

/**
 * In Debian's Chromium: a cell of /rsv/ opens its result (summary, details, times, raw record, all escaped), the pages
 * turn "live" on the event stream and show a new result without a reload, the metric page without a host draws one
 * series per host in its legend's colours with the state changes newest first, and nothing logs a console error.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchTestBrowser } from '../support/browser.js';
import { sqliteBackend } from '../support/stores.js';
import { COLLECTOR_APP_MIGRATIONS, post, startCollectorApp, wlcgRecord, type CollectorApp } from '../collector/support/collector-app.js';
import type { Store } from '../../store/index.js';

const browser: Browser | undefined = await launchTestBrowser();
let app: CollectorApp;
let store: Store;
let dispose: () => Promise<void> = async () => {};
const PING = 'org.osg.general.ping-host';
const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString().replace(/\.\d+Z$/, 'Z');
const HOSTILE = '<script>window.__injected = 1</script><b>not bold</b>';

async function record(fields: Record<string, string>, details?: string): Promise<void> {
  const res = await post(app, '/rsv/records', wlcgRecord({ metricName: PING, ...fields }, details));
  expect(res.status).toBe(200);
}

/** A page that records console errors, uncaught exceptions and failed requests. */
async function openPage(path: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser!.newPage();
  const errors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(`${msg.text()} ${msg.location().url}`);
  });
  page.on('pageerror', (err) => errors.push(err.message));
  page.on('response', (r) => {
    if (r.status() >= 400) errors.push(`${r.status()} ${r.url()}`);
  });
  const res = await page.goto(`${app.url}${path}`);
  expect(res?.status()).toBe(200);
  return { page, errors };
}

const waitLive = (page: Page) => page.waitForSelector('#live-indicator[data-live="live"]', { timeout: 15_000 });

describe.skipIf(!browser)('probe pages in Chromium', () => {
  beforeAll(async () => {
    const db = await sqliteBackend.create();
    dispose = db.dispose;
    store = db.open();
    await store.migrate(COLLECTOR_APP_MIGRATIONS);
    app = await startCollectorApp(store, { settings: { staleAfterMinutes: 60 } });
    await record({ hostName: 'ce1.example', timestamp: ago(50), metricStatus: 'OK', summaryData: 'ping fine' });
    await record({ hostName: 'ce1.example', timestamp: ago(30), metricStatus: 'CRITICAL', summaryData: 'no answer', siteName: 'SiteA' }, HOSTILE);
    await record({ hostName: 'ce2.example', timestamp: ago(40), metricStatus: 'WARNING', summaryData: 'slow' });
    await record({ hostName: 'ce2.example', timestamp: ago(20), metricStatus: 'OK', summaryData: 'fast again' });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await store?.close();
    await dispose();
  });

  it('a cell opens its result: state, summary, escaped details, times and the raw record', async () => {
    const { page, errors } = await openPage('/rsv/');
    await page.locator(`td.cell[data-node="ce1.example"][data-metric="${PING}"] a`).click();
    await page.waitForURL(/\/rsv\/result\/\d+$/);
    expect(await page.locator('.state-badge').textContent()).toBe('CRITICAL');
    expect(await page.locator('.rsv-summary').textContent()).toBe('no answer');
    expect(await page.locator('pre.rsv-details').textContent()).toBe(HOSTILE);
    expect(await page.evaluate(() => (window as unknown as { __injected?: number }).__injected)).toBeUndefined();
    expect(await page.locator('pre.rsv-details b').count()).toBe(0);
    const raw = await page.locator('pre.rsv-raw').textContent();
    expect(raw).toContain(`metricName: ${PING}`);
    expect(raw).toContain('siteName: SiteA');
    expect(await page.locator('table.rsv-result-fields').textContent()).toMatch(/Received \(UTC\)\d{4}-\d\d-\d\dT/);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('the host page shows each result with its details', async () => {
    const { page, errors } = await openPage('/rsv/host/ce1.example');
    await page.locator('details.rsv-row-details summary').click();
    expect(await page.locator('details.rsv-row-details pre').textContent()).toBe(HOSTILE);
    await waitLive(page);
    await record({ hostName: 'ce1.example', timestamp: ago(1), metricStatus: 'OK', summaryData: 'back on the host page' });
    await page.waitForFunction(() => document.querySelector('table.rsv-host td.summary')?.textContent?.includes('back on the host page'), undefined, { timeout: 15_000 });
    expect(await page.locator('table.rsv-host td.state').getAttribute('data-state')).toBe('OK');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('the matrix turns live and shows a new result without a reload', async () => {
    const { page, errors } = await openPage('/rsv/');
    await waitLive(page);
    await page.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true));
    const cell = page.locator(`td.cell[data-node="ce2.example"][data-metric="${PING}"]`);
    expect(await cell.getAttribute('data-state')).toBe('OK');
    await record({ hostName: 'ce2.example', timestamp: ago(0), metricStatus: 'CRITICAL', summaryData: 'down now' });
    await page.waitForFunction((metric) => document.querySelector(`td.cell[data-node="ce2.example"][data-metric="${metric}"]`)?.getAttribute('data-state') === 'CRITICAL', PING, { timeout: 15_000 });
    expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
    const href = await cell.locator('a').getAttribute('href');
    const opened = await (await fetch(`${app.url}${href}`)).text();
    expect(opened).toContain('down now');
    expect(await page.locator('.legend .state-critical').textContent()).toBe('CRITICAL 1');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('the metric page without a host draws a series per host in its legend colours, changes newest first, and adds new results live', async () => {
    const { page, errors } = await openPage(`/rsv/metric/${PING}`);
    await page.waitForFunction(() => (window as unknown as { Highcharts?: { charts: unknown[] } }).Highcharts?.charts.some(Boolean));
    const drawn = await page.evaluate(() => {
      const chart = (window as unknown as { Highcharts: { charts: ({ series: { name: string; color: string; points: unknown[] }[] } | undefined)[] } }).Highcharts.charts.find(Boolean)!;
      const legend = [...document.querySelectorAll('.highcharts-legend-item')].map((item) => ({
        name: item.querySelector('text')?.textContent ?? '',
        stroke: item.querySelector('.highcharts-graph')?.getAttribute('stroke') ?? '',
      }));
      return { series: chart.series.map((s) => ({ name: s.name, color: s.color, points: s.points.length })), legend };
    });
    expect(drawn.series.map((s) => s.name)).toEqual(['ce1.example', 'ce2.example']);
    expect(new Set(drawn.series.map((s) => s.color)).size).toBe(2);
    expect(drawn.legend).toEqual(drawn.series.map((s) => ({ name: s.name, stroke: s.color })));
    const times = await page.locator('table.rsv-changes tbody tr td:first-child').allTextContents();
    expect(times.length).toBeGreaterThanOrEqual(4);
    expect([...times].sort().reverse()).toEqual(times);

    await waitLive(page);
    const before = drawn.series.find((s) => s.name === 'ce1.example')!.points;
    await record({ hostName: 'ce1.example', timestamp: ago(0), metricStatus: 'WARNING', summaryData: 'warning live' });
    await page.waitForFunction((n) => {
      const chart = (window as unknown as { Highcharts: { charts: ({ series: { name: string; points: unknown[] }[] } | undefined)[] } }).Highcharts.charts.find(Boolean)!;
      return chart.series.find((s) => s.name === 'ce1.example')!.points.length === n + 1;
    }, before, { timeout: 15_000 });
    expect(await page.locator('table.rsv-changes tbody tr').first().textContent()).toContain('warning live');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('the sample explorer adds new samples live; the indicator says when the stream is gone', async () => {
    const q = new URLSearchParams({ node: 'ce2.example', metric: PING, start: ago(120) });
    const { page, errors } = await openPage(`/samples/?${q}`);
    await waitLive(page);
    const rows = await page.locator('#samples-table tbody tr').count();
    await record({ hostName: 'ce2.example', timestamp: ago(0), metricStatus: 'OK', summaryData: 'explorer live' });
    await page.waitForFunction((n) => document.querySelectorAll('#samples-table tbody tr').length === n + 1, rows, { timeout: 15_000 });
    expect(await page.locator('#samples-table tbody tr').first().textContent()).toContain('explorer live');
    // The collector ends its streams when it stops: the page says so and waits before trying again.
    await app.collector.stop();
    await page.waitForSelector('#live-indicator[data-live="disconnected"]', { timeout: 15_000 });
    expect(await page.locator('#live-indicator').textContent()).toMatch(/retrying in 5 s/);
    expect(errors).toEqual([]);
    await page.close();
  });
});

/** In Debian's Chromium against a real appliance process: every section page has the navigation with its section highlighted and no console errors, fits a 400 px screen (only boxes scroll), and follows a dark colour scheme, the query page's chart and an SVG graph too. */
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DARK_INK } from '../../graph-server/charts/index.js';
import { APPLIANCE_NAV } from '../../graph-server/index.js';
import { gratiaMigrations, openStore, seedDemoData } from '../../store/index.js';
import { startApplianceProcess, type ApplianceProcess } from '../support/appliance-process.js';
import { launchTestBrowser } from '../support/browser.js';
import { removeTempDirs, tempDir } from '../support/temp-files.js';

const browser: Browser | undefined = await launchTestBrowser();
let appliance: ApplianceProcess;
let base: string;

/** The section pages of the shipped appliance and the nav entry each highlights. */
const PAGES: readonly [string, string | null][] = [
  ['/', null], ['/gratia/', '/gratia/'], ['/gratia/html/', '/gratia/'], ['/gratia/html/vo_hours_bar_smry', '/gratia/'],
  ['/gratia/xml/vo_hours_bar_smry', '/gratia/'], ['/rsv/', '/rsv/'], ['/samples/', '/samples/'], ['/grafana/', '/grafana/'],
  ['/accounting/', '/accounting/'], ['/accounting/imports', '/accounting/'],
];

async function open(path: string, options: { width?: number; dark?: boolean } = {}): Promise<{ page: Page; errors: string[] }> {
  const page = await browser!.newPage({ viewport: { width: options.width ?? 1200, height: 900 }, colorScheme: options.dark ? 'dark' : 'light' });
  const errors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(`${msg.text()} ${msg.location().url}`);
  });
  page.on('pageerror', (err) => errors.push(err.message));
  page.on('response', (r) => {
    if (r.status() >= 400) errors.push(`${r.status()} ${r.url()}`);
  });
  const res = await page.goto(`${base}${path.slice(1)}`);
  expect(res?.status(), path).toBe(200);
  return { page, errors };
}

describe.skipIf(!browser)('operator pages in Chromium', () => {
  beforeAll(async () => {
    const dataDir = tempDir();
    const store = openStore({ interface: 'sqlite', file: join(dataDir, 'appliance.db') });
    await store.migrate(gratiaMigrations);
    await seedDemoData(store, { days: 14, scale: 0.2, seed: 3 });
    await store.close();
    appliance = await startApplianceProcess({ dataDir });
    base = appliance.url;
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await appliance?.stop();
    removeTempDirs();
  });

  it('every section page shows the navigation with its section highlighted, without console errors', async () => {
    for (const [path, current] of PAGES) {
      const { page, errors } = await open(path);
      const entries = await page.locator('header nav.sections a').evaluateAll((as) => as.map((a) => ({ href: a.getAttribute('href'), current: a.classList.contains('current') })));
      expect(entries.map((e) => e.href), path).toEqual(APPLIANCE_NAV.map((e) => e.href));
      expect(entries.filter((e) => e.current).map((e) => e.href), path).toEqual(current ? [current] : []);
      expect(errors, path).toEqual([]);
      await page.close();
    }
  }, 120_000);

  it('at 400 px every page fits the screen: nothing but boxes scroll sideways, the chart comes before the form', async () => {
    for (const [path] of PAGES) {
      const { page, errors } = await open(path, { width: 400 });
      const width = await page.evaluate(() => document.scrollingElement!.scrollWidth);
      expect(width, path).toBeLessThanOrEqual(400);
      expect(errors, path).toEqual([]);
      await page.close();
    }
    const { page } = await open('/gratia/html/vo_hours_bar_smry', { width: 400 });
    const [chartTop, formTop] = await page.evaluate(() => [document.getElementById('chart')!.getBoundingClientRect().top, document.getElementById('query-form')!.getBoundingClientRect().top]);
    expect(chartTop).toBeLessThan(formTop ?? 0);
    await page.close();
  }, 120_000);

  it('with a dark colour scheme the pages, the query chart and an SVG graph are dark; light stays light', async () => {
    const { page, errors } = await open('/gratia/html/vo_hours_bar_smry', { dark: true });
    await page.waitForFunction(() => 'appliancePage' in window);
    const body = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(body).toBe('rgb(15, 20, 25)');
    const chartBg = await page.evaluate(() => (window as unknown as { appliancePage: { chart: { options: { chart: { backgroundColor: string } } } } }).appliancePage.chart.options.chart.backgroundColor);
    expect(chartBg).toBe(DARK_INK['#ffffff']);
    expect(errors).toEqual([]);
    await page.close();

    const light = await open('/gratia/html/vo_hours_bar_smry');
    await light.page.waitForFunction(() => 'appliancePage' in window);
    expect(await light.page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgb(246, 248, 250)');
    expect(await light.page.evaluate(() => (window as unknown as { appliancePage: { chart: { options: { chart: { backgroundColor: string } } } } }).appliancePage.chart.options.chart.backgroundColor)).toBe('#ffffff');
    await light.page.close();

    const svg = await (await fetch(`${base}gratia/bar_graphs/vo_hours_bar_smry?svg=1&theme=dark`)).text();
    expect(svg).toContain(`fill="${DARK_INK['#ffffff']}"`);
    const hinted = await fetch(`${base}gratia/bar_graphs/vo_hours_bar_smry?svg=1`, { headers: { 'sec-ch-prefers-color-scheme': '"dark"' } });
    expect(hinted.headers.get('vary')).toContain('Sec-CH-Prefers-Color-Scheme');
    expect(await hinted.text()).toContain(`fill="${DARK_INK['#ffffff']}"`);
    const plain = await (await fetch(`${base}gratia/bar_graphs/vo_hours_bar_smry?svg=1`)).text();
    expect(plain).not.toContain(`fill="${DARK_INK['#ffffff']}"`);
    expect((await fetch(`${base}gratia/bar_graphs/vo_hours_bar_smry?theme=purple`)).status).toBe(400);
  }, 120_000);

  it('an XML URL opened in the browser is a page with the numbers and a working XML link', async () => {
    const { page, errors } = await open('/gratia/xml/vo_hours_bar_smry?span=86400');
    expect(await page.locator('h1').textContent()).toMatch(/Hours Spent on Jobs By VO/);
    expect(await page.locator('#numbers tbody tr').count()).toBeGreaterThan(0);
    const xmlHref = await page.locator('a[data-output="XML"]').getAttribute('href');
    const xml = await page.request.get(`${base}${xmlHref!.slice(1)}`, { headers: { accept: 'text/html,application/xml;q=0.9' } });
    expect(xml.headers()['content-type']).toMatch(/^text\/xml/);
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);
});

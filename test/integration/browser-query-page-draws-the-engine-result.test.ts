/** In Debian's Chromium: the home page and a query page load without console errors, the chart holds the engine's series and points, the legend hides a series, and the form redraws with other inputs. */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as charts from '../../graph-server/charts/index.js';
import type { QueryResult } from '../../query-engine/index.js';
import { launchTestBrowser, startGraphTestApp, type GraphTestApp } from '../support/browser.js';
import { removeTempDirs } from '../support/temp-files.js';

interface DrawnSeries {
  name: string;
  visible: boolean;
  points: [number, number][];
}

const browser: Browser | undefined = await launchTestBrowser();
let app: GraphTestApp;

/** A page that records console errors and uncaught exceptions. */
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

const drawnSeries = (page: Page): Promise<DrawnSeries[]> =>
  page.evaluate(() => {
    const chart = (window as unknown as { Highcharts: { charts: ({ series: { name: string; visible: boolean; points: { x: number; y: number }[] }[] } | undefined)[] } }).Highcharts.charts.find(Boolean)!;
    return chart.series.map((s) => ({ name: s.name, visible: s.visible, points: s.points.map((p): [number, number] => [p.x, p.y]) }));
  });

/** The engine's pivot-group result as chart points: epoch ms and value, by pivot. */
function expectedSeries(result: QueryResult): Map<string, [number, number][]> {
  if (result.data.kind !== 'pivot-group') throw new Error(`expected pivot-group data, got ${result.data.kind}`);
  return new Map(result.data.pivots.map((p) => [String(p.pivot), p.groups.map((g): [number, number] => [Number(g.group) * 1000, Number(g.value)]).sort((a, b) => a[0] - b[0])]));
}

function expectChartMatches(drawn: DrawnSeries[], result: QueryResult): void {
  const expected = expectedSeries(result);
  expect(expected.size).toBeGreaterThan(0);
  expect(drawn.map((s) => s.name).sort()).toEqual([...expected.keys()].sort());
  for (const s of drawn) {
    const want = expected.get(s.name)!;
    const got = s.points.filter((p) => p[1] !== 0 && p[1] !== null).sort((a, b) => a[0] - b[0]);
    expect(got.map((p) => p[0]), s.name).toEqual(want.map((p) => p[0]));
    got.forEach((p, i) => expect(p[1]).toBeCloseTo(want[i]![1], 6));
  }
}

/** A datetime-local value (`2024-03-02T00:00`: Chromium drops zero seconds) as the query takes it. */
const pickerTime = (v: string) => (v.length === 16 ? `${v}:00` : v).replace('T', ' ');

describe.skipIf(!browser)('query pages in Chromium', () => {
  beforeAll(async () => {
    app = await startGraphTestApp({ charts });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    removeTempDirs();
  });

  it('the home page loads without console errors and links every query page', async () => {
    const { page, errors } = await openPage('/');
    const hrefs = await page.locator('a[href^="/gratia/html/"]').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    expect(hrefs).toContain('/gratia/html/vo_hours_bar_smry');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('a query page draws the engine\'s series and points without console errors; a legend click hides a series', async () => {
    const { page, errors } = await openPage('/gratia/html/vo_hours_bar_smry?span=86400');
    await page.waitForFunction(() => 'appliancePage' in window);
    const result = await app.engine.runQuery('GratiaBarQueries.vo_hours_bar_smry', { span: '86400' });
    const drawn = await drawnSeries(page);
    expectChartMatches(drawn, result);
    expect(drawn.every((s) => s.visible)).toBe(true);

    const victim = drawn[1]!.name;
    await page.locator('.highcharts-legend-item', { hasText: victim }).first().click();
    await page.waitForFunction((name) => {
      const chart = (window as unknown as { Highcharts: { charts: ({ series: { name: string; visible: boolean }[] } | undefined)[] } }).Highcharts.charts.find(Boolean)!;
      return chart.series.find((s) => s.name === name)?.visible === false;
    }, victim);
    const after = await drawnSeries(page);
    expect(after.filter((s) => !s.visible).map((s) => s.name)).toEqual([victim]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('submitting the form with another VO and span redraws the chart with that run', async () => {
    const { page, errors } = await openPage('/gratia/html/vo_hours_bar_smry');
    await page.waitForFunction(() => 'appliancePage' in window);
    const before = await drawnSeries(page);
    expect(before.length).toBeGreaterThan(1);
    const start = await page.locator('#in-starttime').inputValue();
    const end = await page.locator('#in-endtime').inputValue();

    await page.locator('#in-vo').fill('cms');
    await page.locator('#in-span').selectOption('604800');
    await Promise.all([page.waitForURL(/vo=cms/), page.locator('#query-form button[type=submit]').click()]);
    await page.waitForFunction(() => 'appliancePage' in window);
    const drawn = await drawnSeries(page);
    expect(drawn.map((s) => s.name)).toEqual(['cms']);
    // The form sent what GW's refine form sent: the pickers' times, the span, the VO anchored to an exact match.
    const result = await app.engine.runQuery('GratiaBarQueries.vo_hours_bar_smry', {
      starttime: pickerTime(start), endtime: pickerTime(end), span: '604800', vo: '^cms$',
    });
    expectChartMatches(drawn, result);
    expect(drawn[0]!.points.length).toBeLessThan(before[0]!.points.length);
    expect(errors).toEqual([]);
    await page.close();
  });
  it('the XML page, as the browser shows it through the XSL, links the interactive page with the same parameters', async () => {
    const page = await browser!.newPage();
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    const res = await page.goto(`${app.url}/gratia/xml/vo_hours_bar_smry?vo=${encodeURIComponent('cms|at.+')}&span=604800`);
    expect(res?.status()).toBe(200);
    const link = page.locator('a', { hasText: 'Interactive page' });
    const href = (await link.getAttribute('href'))!;
    expect(href).toMatch(/^\/gratia\/html\/vo_hours_bar_smry\?/);
    const linked = new URL(href, app.url).searchParams;
    expect(linked.get('vo')).toBe('cms|at.+');
    expect(linked.get('span')).toBe('604800');

    await Promise.all([page.waitForURL(/\/gratia\/html\//), link.click()]);
    await page.waitForFunction(() => 'appliancePage' in window);
    expect(await page.locator('#in-vo').inputValue()).toBe('cms|at.+');
    expect(await page.locator('#in-span').inputValue()).toBe('604800');
    const drawn = await drawnSeries(page);
    expect(drawn.map((s) => s.name).sort()).toEqual(['atlas', 'cms']);
    expect(errors).toEqual([]);
    await page.close();
  });
});

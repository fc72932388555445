/**
 * In Debian's Chromium, against Debian's nagios4: a result sent to the bridge's NRDP entry while Nagios is down is
 * dead-lettered after dead_letter_after; the overview and the target page (chart drawn) load without console errors
 * and fit 400 px; an admin logged in through the form clicks Retry, the page says so and the target page shows it
 * back in the outbox; once delivery runs, Nagios's status.dat holds it with its original check time.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { accessMigrations } from '../../access/index.js';
import { defaultBridgeSettings, nagiosBridgeMigrations } from '../../nagios-bridge/index.js';
import { queueMigrations } from '../../queue/index.js';
import { openStore, type Store } from '../../store/index.js';
import { launchTestBrowser } from '../support/browser.js';
import { createNagios, nagiosAvailable, until, type NagiosInstance } from '../support/nagios.js';
import { removeTempDirs, tempDir } from '../support/temp-files.js';
import { PASSWORDS, startPagesApp, type PagesApp } from '../nagios-bridge/support/pages-app.js';

const canRun = nagiosAvailable();
const browser: Browser | undefined = canRun ? await launchTestBrowser() : undefined;
const HOST = 'ce1.browser';
const SERVICE = 'org.osg.general.ping-host';
const CHECK_TIME = Math.floor(Date.now() / 1000) - 120;

let nagios: NagiosInstance;
let store: Store;
let app: PagesApp;

/** A page of the app that records console errors, uncaught exceptions and failed requests. */
async function open(page: Page, path: string, errors: string[]): Promise<void> {
  const res = await page.goto(`${app.url}${path}`);
  expect(res?.status(), path).toBe(200);
  expect(errors, path).toEqual([]);
}

/** Nothing wider than the viewport: tables scroll inside their own box. */
const fits = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

describe.skipIf(!browser)('the Nagios pages in Chromium, delivering into Nagios 4', () => {
  beforeAll(async () => {
    nagios = createNagios({ [HOST]: [SERVICE] });
    store = openStore({ interface: 'sqlite', file: `${tempDir()}/appliance.db` });
    await store.migrate([...queueMigrations, ...nagiosBridgeMigrations, ...accessMigrations]);
    const settings = {
      ...defaultBridgeSettings(),
      targets: [{ name: 'nagios4', type: 'command_file' as const, path: nagios.commandFile }],
      deadLetterAfterMs: 1_000,
      retryMinMs: 100,
      retryMaxMs: 300,
    };
    // The real command-file transport: Nagios is not started yet, so its FIFO is missing (retryable, then dead).
    app = await startPagesApp(store, { settings, pollMs: 50 });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await store?.close();
    await nagios?.dispose();
    removeTempDirs();
  });

  it('shows the dead letter, retries it as admin back into the outbox, and Nagios gets it with its check time', async () => {
    expect(await app.nrdp([[HOST, SERVICE, 1, 'WARNING: packet loss 40%', CHECK_TIME]])).toBe(0);
    const dead = app.bridge.deadLetters('nagios4')!;
    await vi.waitFor(async () => expect((await dead.list(10)).total).toBe(1), { timeout: 15_000, interval: 100 });
    expect((await dead.list(10)).letters[0]!.reason).toMatch(/undelivered for longer than the dead-letter age/);
    // Delivery paused while the admin acts, so the retried result is seen waiting in the outbox; Nagios comes up meanwhile.
    await app.bridge.stop();
    await nagios.start();

    const page = await browser!.newPage({ viewport: { width: 400, height: 800 } });
    const errors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(`${m.text()} ${m.location().url}`));
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('response', (r) => r.status() >= 400 && errors.push(`${r.status()} ${r.url()}`));

    await open(page, '/login?next=/nagios/', errors);
    await page.fill('#username', 'admin');
    await page.fill('#password', PASSWORDS.admin);
    await Promise.all([page.waitForURL(/\/nagios\/$/), page.click('button[type=submit]')]);
    expect(errors).toEqual([]);
    const row = page.locator('tr[data-target="nagios4"]');
    await expect.poll(() => row.locator('a[href="/nagios/dead-letters?target=nagios4"]').textContent()).toBe('1');
    expect(await row.textContent()).toMatch(/FIFO|command file/i);
    expect(await fits(page)).toBe(true);

    await open(page, '/nagios/targets/nagios4?hours=1', errors);
    await page.waitForFunction(() => {
      const charts = (window as unknown as { Highcharts?: { charts: ({ series: { name: string; points: unknown[] }[] } | undefined)[] } }).Highcharts?.charts ?? [];
      return charts.some((c) => c && c.series.length === 3);
    });
    const drawn = await page.evaluate(() => {
      const chart = (window as unknown as { Highcharts: { charts: ({ series: { name: string; points: { y: number }[] }[]; chartWidth: number } | undefined)[] } }).Highcharts.charts.find(Boolean)!;
      return { names: chart.series.map((s) => s.name), failed: chart.series[1]!.points.reduce((n, p) => n + p.y, 0), width: chart.chartWidth };
    });
    expect(drawn.names).toEqual(['delivered', 'failed attempts', 'depth']);
    expect(drawn.failed).toBeGreaterThanOrEqual(2);
    expect(drawn.width).toBeLessThanOrEqual(400);
    expect(await fits(page)).toBe(true);
    expect(await page.locator('#depth').getAttribute('data-depth')).toBe('0');

    await open(page, '/nagios/dead-letters', errors);
    const letter = page.locator('table.dead-letters tbody tr').first();
    expect(await letter.textContent()).toContain('WARNING: packet loss 40%');
    await Promise.all([page.waitForURL(/done=retried&n=1/), letter.locator('button', { hasText: 'Retry' }).click()]);
    expect(await page.locator('.notice').textContent()).toMatch(/1 retried at nagios4: back in its outbox/);
    expect(await page.locator('table.dead-letters').count()).toBe(0);
    expect(await fits(page)).toBe(true);

    await open(page, '/nagios/targets/nagios4', errors);
    expect(await page.locator('#depth').getAttribute('data-depth')).toBe('1');

    app.bridge.start();
    await until(() => nagios.service(HOST, SERVICE)?.plugin_output === 'WARNING: packet loss 40%', 'the retried result in status.dat', 20_000);
    const status = nagios.service(HOST, SERVICE)!;
    expect([status.current_state, status.last_check, status.has_been_checked]).toEqual(['1', String(CHECK_TIME), '1']);

    await open(page, `/nagios/trace?host=${HOST}`, errors);
    await expect.poll(async () => page.locator('table.trace tbody tr').first().textContent(), { timeout: 10_000 }).toMatch(/nagios4: delivered/);
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);
});

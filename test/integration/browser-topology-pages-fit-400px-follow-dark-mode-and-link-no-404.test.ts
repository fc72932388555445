/** In Debian's Chromium against a real appliance process with the shipped demo topology: the /topology/ pages show the navigation with Topology current, have no console errors, fit a 400 px screen, follow a dark colour scheme, every link on them resolves, and the filter box narrows the lists. */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApplianceProcess, type ApplianceProcess } from '../support/appliance-process.js';
import { launchTestBrowser } from '../support/browser.js';
import { removeTempDirs, tempDir } from '../support/temp-files.js';

const browser: Browser | undefined = await launchTestBrowser();
let appliance: ApplianceProcess;
let base: string;

const PAGES = [
  '/topology/', '/topology/?q=unl.edu', '/topology/sites/Nebraska', '/topology/resource-groups/Nebraska', '/topology/resources/Nebraska',
  '/topology/vos/cms', '/topology/clusters/Nebraska-workers',
] as const;

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

describe.skipIf(!browser)('the topology pages in Chromium', () => {
  beforeAll(async () => {
    appliance = await startApplianceProcess({ dataDir: tempDir() });
    base = appliance.url;
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await appliance?.stop();
    removeTempDirs();
  });

  it('each page has the navigation with Topology current, no console errors, and every link on it answers below 400', async () => {
    const checked = new Set<string>();
    for (const path of PAGES) {
      const { page, errors } = await open(path);
      const current = await page.locator('header nav.sections a.current').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
      expect(current, path).toEqual(['/topology/']);
      const hrefs = await page.locator('a[href]').evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).href));
      for (const href of hrefs.filter((h) => h.startsWith(base) && !checked.has(h))) {
        checked.add(href);
        const res = await page.request.get(href, { headers: { accept: 'text/html' } });
        expect(res.status(), `${href} (linked from ${path})`).toBeLessThan(400);
      }
      expect(errors, path).toEqual([]);
      await page.close();
    }
    expect(checked.size).toBeGreaterThan(40);
  }, 180_000);

  it('at 400 px every page fits the screen (only table boxes scroll), dark when the browser prefers it', async () => {
    for (const path of PAGES) {
      const { page, errors } = await open(path, { width: 400, dark: true });
      expect(await page.evaluate(() => document.scrollingElement!.scrollWidth), path).toBeLessThanOrEqual(400);
      expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor), path).toBe('rgb(15, 20, 25)');
      expect(errors, path).toEqual([]);
      await page.close();
    }
  }, 120_000);

  it('the filter box narrows the lists and keeps what was typed', async () => {
    const { page, errors } = await open('/topology/', { width: 400 });
    const all = await page.locator('tr[data-resource]').count();
    await page.locator('input[name=q]').fill('CRANE');
    await Promise.all([page.waitForURL(/\?q=CRANE$/), page.locator('form.search button[type=submit]').click()]);
    expect(await page.locator('tr[data-site]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-site')))).toEqual(['Crane']);
    const crane = await page.locator('tr[data-resource]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-resource')));
    expect(crane).toEqual(['Crane', 'Crane-crane-ce1']);
    expect(all).toBeGreaterThan(crane.length);
    expect(await page.locator('input[name=q]').inputValue()).toBe('CRANE');
    expect(await page.evaluate(() => document.scrollingElement!.scrollWidth)).toBeLessThanOrEqual(400);
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);
});

/** In Debian's Chromium: /accounting/usage draws its Highcharts chart of VM hours by group, lists the top VMs, has no console errors and fits a 400 px screen. */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gratiaPart, writeSegments, type SliceContext } from '../../accounting/index.js';
import { gratiaMigrations, openStore, type Store } from '../../store/index.js';
import { ACCOUNTING_APP_MIGRATIONS, startAccountingApp, type AccountingApp } from '../accounting/support/accounting-app.js';
import { DAY, OCT1, utcSlices, vmSegment } from '../accounting/support/vm-slices.js';
import { launchTestBrowser } from '../support/browser.js';
import { removeTempDirs, tempDir } from '../support/temp-files.js';

const browser: Browser | undefined = await launchTestBrowser();

describe.skipIf(!browser)('the VM usage page in Chromium', () => {
  let store: Store;
  let app: AccountingApp;
  beforeAll(async () => {
    store = openStore({ interface: 'sqlite', file: `${tempDir()}/a.db` });
    await store.migrate([...gratiaMigrations, ...ACCOUNTING_APP_MIGRATIONS]);
    app = await startAccountingApp(store, { parts: [gratiaPart], clock: () => new Date((OCT1 + 3 * DAY) * 1000) });
    const segs = Array.from({ length: 12 }, (_, i) => vmSegment({
      vmId: 100 + i, vmName: `a-rather-long-virtual-machine-name-${i}`, start: OCT1 + i * 3600, end: OCT1 + 2 * DAY, runEnd: OCT1 + 2 * DAY,
      groupName: ['fermilab', 'nova', 'cms'][i % 3]!, status: 'completed',
    }));
    const now = OCT1 + 3 * DAY;
    const context: SliceContext = { endpoint: 'one-a', importId: 1, now, timeZone: 'UTC' };
    await store.transaction(async (tx) => {
      const change = await writeSegments(tx, segs, segs.flatMap((s) => utcSlices(s, now)), now);
      for (const listener of app.accounting.sliceListeners()) await listener(tx, change, context);
    });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await store?.close();
    removeTempDirs();
  });

  it('draws the chart and the table without console errors, within 400 px', async () => {
    for (const width of [1200, 400]) {
      const page = await browser!.newPage({ viewport: { width, height: 900 } });
      const errors: string[] = [];
      page.on('console', (msg) => {
        if (msg.type() === 'error') errors.push(msg.text());
      });
      page.on('pageerror', (err) => errors.push(err.message));
      page.on('response', (r) => {
        if (r.status() >= 400) errors.push(`${r.status()} ${r.url()}`);
      });
      const res = await page.goto(`${app.url}/accounting/usage?from=2026-10-01&to=2026-10-03`);
      expect(res?.status()).toBe(200);
      await page.locator('#usage-chart svg.highcharts-root').waitFor();
      expect(await page.locator('#usage-chart .highcharts-series-group .highcharts-series').count()).toBe(3);
      expect(await page.locator('table.top-vms tbody tr').count()).toBe(10);
      expect(await page.evaluate(() => document.scrollingElement!.scrollWidth), `width ${width}`).toBeLessThanOrEqual(width);
      expect(errors).toEqual([]);
      await page.close();
    }
  }, 60_000);
});

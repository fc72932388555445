/** A query that failed (its table gone, as when the database is down) is not cached: once the database is back, the next request gets the data, not the failure. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChartMaker } from '../../graph-server/web/index.js';
import { startGraphTestApp, type GraphTestApp } from '../support/browser.js';
import { removeTempDirs } from '../support/temp-files.js';

const noCharts: ChartMaker = {
  buildChart: () => { throw new Error('the data mounts must not build charts'); },
  errorChart: () => { throw new Error('the data mounts must not build charts'); },
};

let app: GraphTestApp;
let runs = 0;

beforeAll(async () => {
  app = await startGraphTestApp({
    charts: noCharts,
    // A long lifetime: without the rule, the failure would be served for all of it.
    cache: { ttlMs: 3_600_000 },
    wrapEngine: (engine) => ({ queries: () => engine.queries(), runQuery: (name, params) => (runs++, engine.runQuery(name, params)) }),
  });
});
afterAll(async () => {
  await app.close();
  removeTempDirs();
});

const url = () => `${app.url}/gratia/json/vo_hours_bar_smry?span=86400&starttime=2024-03-05%2000:00:00`;

describe('graph cache: failures are never cached', () => {
  it('a run that failed on SQL is run again on the next request, and a good run is then cached', async () => {
    await app.store.execute('ALTER TABLE MasterSummaryData RENAME TO MasterSummaryData_away');
    const failed = await fetch(url());
    const failedBody = await failed.text();
    expect(failedBody).toMatch(/MasterSummaryData/);
    expect(runs).toBe(1);

    await app.store.execute('ALTER TABLE MasterSummaryData_away RENAME TO MasterSummaryData');
    const recovered = await fetch(url());
    expect(recovered.status).toBe(200);
    const body = JSON.parse(await recovered.text()) as { error?: string };
    expect(body.error).toBeUndefined();
    expect(runs).toBe(2);

    // The good answer is kept as before.
    await fetch(url());
    expect(runs).toBe(2);
  });
});

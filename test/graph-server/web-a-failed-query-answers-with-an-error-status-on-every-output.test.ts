/** A query whose SQL fails answers with an error status on every output (XML keeps GraphTool's <error>, CSV is the error line alone, JSON its error, the page its message), never a 200 a script reads as no usage. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as charts from '../../graph-server/charts/index.js';
import { startGraphTestApp, type GraphTestApp } from '../support/browser.js';
import { removeTempDirs } from '../support/temp-files.js';

let app: GraphTestApp;

beforeAll(async () => {
  app = await startGraphTestApp({ charts });
  // As when the database lost a table: every run of the query fails in the database.
  await app.store.execute('ALTER TABLE MasterSummaryData RENAME TO MasterSummaryData_away');
});
afterAll(async () => {
  await app.close();
  removeTempDirs();
});

const get = async (path: string) => {
  const res = await fetch(`${app.url}${path}`);
  return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
};
const QUERY = 'vo_hours_bar_smry?span=86400&starttime=2024-03-05%2000:00:00';

describe('a failed query run', () => {
  it('is a 500 with GraphTool\'s <error> element in XML', async () => {
    const r = await get(`/gratia/xml/${QUERY}`);
    expect(r.status).toBe(500);
    expect(r.type).toMatch(/^text\/xml/);
    expect(r.text).toMatch(/<error>[^<]*MasterSummaryData[^<]*<\/error>/);
  });

  it('is a 500 whose CSV body is the error line alone, not a header row with no data', async () => {
    const r = await get(`/gratia/csv/${QUERY}`);
    expect(r.status).toBe(500);
    expect(r.type).toMatch(/^text\/plain/);
    expect(r.text).toMatch(/^error: .*MasterSummaryData/);
    expect(r.text.split('\n').filter(Boolean)).toHaveLength(1);
  });

  it('is a 500 with the error in JSON', async () => {
    const r = await get(`/gratia/json/${QUERY}`);
    expect(r.status).toBe(500);
    expect((JSON.parse(r.text) as { error?: string }).error).toMatch(/MasterSummaryData/);
  });

  it('is a 500 page that shows the error', async () => {
    const r = await get(`/gratia/html/${QUERY}`);
    expect(r.status).toBe(500);
    expect(r.text).toContain('MasterSummaryData');
  });

  it('leaves a good query on the same app answering 200', async () => {
    await app.store.execute('ALTER TABLE MasterSummaryData_away RENAME TO MasterSummaryData');
    try {
      expect((await get(`/gratia/csv/${QUERY}`)).status).toBe(200);
    } finally {
      await app.store.execute('ALTER TABLE MasterSummaryData RENAME TO MasterSummaryData_away');
    }
  });
});

/**
 * Bad input to POST /rsv/records: a 4xx naming the record and line, none of the request's records stored
 * (all or nothing), limits named in the error, and the process answering the next request.
 */
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { useFreshStore } from '../store/support/fresh-store.js';
import { testBackends } from '../support/stores.js';
import { COLLECTOR_APP_MIGRATIONS, post, startCollectorApp, wlcgRecord, type CollectorApp } from './support/collector-app.js';

interface ErrorBody {
  error: { code: string; message: string; problems?: { record: number; line: number; message: string }[]; limit?: number; setting?: string; accepted?: number };
}

describe.each(testBackends())('bad records on $name', (backend) => {
  const fresh = useFreshStore(backend, { per: 'suite', migrations: COLLECTOR_APP_MIGRATIONS });
  let app: CollectorApp;
  const start = async (settings = {}) => {
    await app?.close();
    app = await startCollectorApp(fresh().store, { settings });
  };
  beforeEach(async () => {
    for (const t of ['samples', 'probe_records']) await fresh().store.execute(`DELETE FROM ${t}`);
    await start();
  });
  afterAll(() => app?.close());

  const stored = async () => (await fresh().store.query('SELECT id FROM probe_records')).length + (await fresh().store.query('SELECT id FROM samples')).length;
  const stillUp = async () => {
    const res = await post(app, '/rsv/records', wlcgRecord({ hostName: 'after.example' }));
    expect(res.status).toBe(200);
  };

  it('a bad status word in record 3 stores none of the five, and the 400 names record 3 and its line', async () => {
    const body = wlcgRecord() + wlcgRecord({ hostName: 'h2' }) + wlcgRecord({ metricStatus: 'Ok' }) + wlcgRecord({ hostName: 'h4' }) + wlcgRecord({ hostName: 'h5' });
    const res = await post(app, '/rsv/records', body);
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as ErrorBody;
    expect(error.message).toMatch(/^1 of 5 records is invalid, so none were stored; record 3, line 25: metricStatus "Ok"/);
    expect(error.problems).toEqual([{ record: 3, line: 25, message: expect.stringContaining('not a status word') as unknown }]);
    expect(await stored()).toBe(0);
    await stillUp();
  });

  it('a missing EOT or a missing field is a 400 naming the record and line', async () => {
    const noEot = await post(app, '/rsv/records', wlcgRecord() + wlcgRecord().replace(/EOT\n$/, ''));
    expect(noEot.status).toBe(400);
    expect(((await noEot.json()) as ErrorBody).error.message).toContain('record 2, line 11: record 2 has no EOT line');
    const noField = await post(app, '/rsv/records', wlcgRecord().replace('metricType: status\n', ''));
    expect(((await noField.json()) as ErrorBody).error.message).toContain('record 1, line 1: missing required field metricType');
    expect(await stored()).toBe(0);
  });

  it('binary junk is a 400 naming where the binary data starts', async () => {
    const junk = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256));
    const res = await post(app, '/rsv/records', junk, { 'content-type': 'application/octet-stream' });
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as ErrorBody;
    expect(error.message).toMatch(/^record 1, line 1: the body is not UTF-8 text \(binary data at byte \d+\)/);
    expect(await stored()).toBe(0);
    await stillUp();
  });

  it('a 10 MB body is a 413 that names the configured limit', async () => {
    const big = wlcgRecord().repeat(Math.ceil((10 * 1024 * 1024) / wlcgRecord().length));
    const res = await post(app, '/rsv/records', big);
    expect(res.status).toBe(413);
    const { error } = (await res.json()) as ErrorBody;
    expect(error.message).toContain("larger than the collector's limit of 8 MiB (setting max_body_bytes)");
    expect(error).toMatchObject({ limit: 8 * 1024 * 1024, setting: 'max_body_bytes', accepted: 0 });
    expect(await stored()).toBe(0);
    await stillUp();
  });

  it('100,000 records in one request are a 413 that names the records limit, and a raised limit takes them all', async () => {
    const body = Array.from({ length: 100_000 }, (_, i) => wlcgRecord({ hostName: `wn${i}.example` }, 'ok')).join('');
    await start({ maxBodyBytes: 64 * 1024 * 1024 });
    const res = await post(app, '/rsv/records', body);
    expect(res.status).toBe(413);
    const { error } = (await res.json()) as ErrorBody;
    expect(error.message).toContain('more than 10000 records (collector setting max_records_per_request)');
    expect(error).toMatchObject({ limit: 10_000, setting: 'max_records_per_request' });
    expect(await stored()).toBe(0);
    await start({ maxBodyBytes: 64 * 1024 * 1024, maxRecordsPerRequest: 100_000 });
    const all = await post(app, '/rsv/records', body);
    expect(await all.json()).toEqual({ received: 100_000, accepted: 100_000, duplicates: 0 });
  }, 120_000);

  it('an unknown format is a 400 listing the formats', async () => {
    const res = await post(app, '/rsv/records?format=xml', wlcgRecord());
    expect(res.status).toBe(400);
    expect(((await res.json()) as ErrorBody).error.message).toBe('format "xml" is not one of wlcg, wlcg-multiple, brief, json');
  });
});

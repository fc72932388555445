/**
 * RSV record timestamps follow the samples' range rule (1970..9999): a 12-digit epoch (year 33658) or year 0000
 * is a 400 naming the record and the timestamp field, never the database's error; the edges of the range are
 * stored and read back exactly on every backend.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useFreshStore } from '../store/support/fresh-store.js';
import { testBackends } from '../support/stores.js';
import { COLLECTOR_APP_MIGRATIONS, post, startCollectorApp, wlcgRecord, type CollectorApp } from '../collector/support/collector-app.js';

interface ErrorBody {
  message: string;
  error: { code: string; problems?: { record: number; line: number; message: string }[] };
}

describe.each(testBackends())('RSV timestamps on $name', (backend) => {
  const fresh = useFreshStore(backend, { per: 'suite', migrations: COLLECTOR_APP_MIGRATIONS });
  let app: CollectorApp;
  beforeAll(async () => {
    app = await startCollectorApp(fresh().store);
  });
  afterAll(() => app?.close());

  const stored = async () => (await fresh().store.query('SELECT id FROM probe_records')).length;

  it.each([
    ['999999999999', 'a 12-digit epoch (year 33658)'],
    ['0000-01-01T00:00:00Z', 'year 0000'],
    ['1969-12-31T23:59:59Z', 'a second before 1970'],
  ])('timestamp %s (%s) in record 2 is a 400 naming record 2, its line and the field', async (timestamp) => {
    const before = await stored();
    const body = wlcgRecord({ hostName: 'first.example' }) + wlcgRecord({ hostName: 'second.example', timestamp });
    const res = await post(app, '/rsv/records', body);
    expect(res.status).toBe(400);
    const text = await res.text();
    expect(text).not.toMatch(/SQL|datetime value|INSERT|probe_records/i);
    const { error, message } = JSON.parse(text) as ErrorBody;
    expect(error.code).toBe('bad_request');
    // The timestamp is line 3 of the second eleven-line record.
    expect(message).toContain(`record 2, line 14: timestamp "${timestamp}"`);
    expect(message).toContain('outside 1970..9999');
    expect(error.problems).toEqual([{ record: 2, line: 14, message: expect.stringContaining('timestamp') as unknown }]);
    expect(await stored()).toBe(before);
  });

  it.each([
    ['2026-02-30T00:00:00Z', 'February 30th (Date rolls it into March)'],
    ['2026-01-01T24:00:00Z', 'hour 24 (Date rolls it into the next day)'],
    ['2026-04-31T10:00:00+02:00', 'April 31st with an offset'],
  ])('timestamp %s (%s) is a 400 naming record and line, not stored as another date', async (timestamp) => {
    const before = await stored();
    const res = await post(app, '/rsv/records', wlcgRecord({ hostName: 'impossible.example', timestamp }));
    expect(res.status).toBe(400);
    expect(((await res.json()) as ErrorBody).message).toContain(`record 1, line 3: timestamp "${timestamp}" is not a real date`);
    expect(await stored()).toBe(before);
  });

  it('the same rule holds for JSON records, naming the record and the field', async () => {
    const res = await post(app, '/rsv/records', JSON.stringify([{ metricName: 'org.osg.x', metricType: 'status', timestamp: 999999999999, metricStatus: 'OK', serviceType: 'CE', hostName: 'h.example', summaryData: 's', detailsData: 'd' }]), {
      'content-type': 'application/json',
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as ErrorBody).message).toMatch(/record 1: timestamp "999999999999" is outside 1970\.\.9999 \(field timestamp\)$/);
  });

  it('the first and last second of the range are stored and read back exactly', async () => {
    const edges = ['1970-01-01T00:00:00Z', '9999-12-31T23:59:59Z', '4102444800'];
    const body = edges.map((timestamp, i) => wlcgRecord({ hostName: `edge${i}.example`, timestamp })).join('');
    const res = await post(app, '/rsv/records', body);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ received: 3, accepted: 3, duplicates: 0 });
    const read = await fetch(`${app.url}/api/v1/samples?node=edge0.example,edge1.example,edge2.example&start=1970-01-01T00:00:00Z&end=9999-12-31T23:59:59Z`);
    expect(read.status).toBe(200);
    const { samples } = (await read.json()) as { samples: { node: string; time: string }[] };
    expect(samples.map((s) => [s.node, s.time])).toEqual([
      ['edge0.example', '1970-01-01T00:00:00.000Z'],
      ['edge1.example', '9999-12-31T23:59:59.000Z'],
      ['edge2.example', '2100-01-01T00:00:00.000Z'],
    ]);
  });
});

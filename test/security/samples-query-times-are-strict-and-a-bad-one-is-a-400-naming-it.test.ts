/**
 * `GET /api/v1/samples?start=&end=` takes epoch seconds or strict ISO-8601 within 1970..9999: an out-of-range
 * number is a 400 naming the parameter (it was a 500 carrying the SQL statement), and text a lenient date parser
 * would have read (`a 1` as 2001-01-01) is a 400 too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useFreshStore } from '../store/support/fresh-store.js';
import { testBackends } from '../support/stores.js';
import { COLLECTOR_APP_MIGRATIONS, startCollectorApp, type CollectorApp } from '../collector/support/collector-app.js';

describe.each(testBackends())('sample query times on $name', (backend) => {
  const fresh = useFreshStore(backend, { per: 'suite', migrations: COLLECTOR_APP_MIGRATIONS });
  let app: CollectorApp;
  beforeAll(async () => {
    app = await startCollectorApp(fresh().store);
    const res = await fetch(`${app.url}/api/v1/samples`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ node: 'wn1', metric: 'load', time: '2026-03-01T10:00:00Z', value: 1 }]),
    });
    expect(res.status).toBe(200);
  });
  afterAll(() => app?.close());

  const get = (query: string) => fetch(`${app.url}/api/v1/samples?${query}`);

  it.each([
    ['start', '99999999999999999999', 'is outside 1970..9999'],
    ['end', '999999999999', 'is outside 1970..9999'],
    ['start', '0000-01-01', 'is outside 1970..9999'],
    ['start', "' AND SLEEP(5)", 'is not a time'],
    ['start', 'a 1', 'is not a time'],
    ['end', 'Tue 5', 'is not a time'],
    ['start', '1e9', 'is not a time'],
    ['start', '-5', 'is not a time'],
    ['start', '2026-02-30', 'is not a real date'],
    ['end', '2026-03-01T24:00', 'is not a real date'],
  ])('%s=%s is a 400 naming the parameter', async (name, value, why) => {
    const res = await get(`${name}=${encodeURIComponent(value)}`);
    const text = await res.text();
    expect(res.status).toBe(400);
    expect(text).not.toMatch(/SELECT|FROM samples|SQL/);
    const body = JSON.parse(text) as { message: string; error: { field: string } };
    expect(body.error.field).toBe(name);
    expect(body.message).toContain(`${name} "${value}" ${why}`);
  });

  it.each([
    ['start=1772359200&end=1772359200', 1],
    ['start=1772359199.5&end=1772359200.5', 1],
    ['start=2026-03-01T10:00:00Z&end=2026-03-01T10:00:00Z', 1],
    ['start=2026-03-01T11:00:00%2B01:00&end=2026-03-01T10:00:00.000Z', 1],
    ['start=2026-03-01 10:00&end=2026-03-01T10:00:00', 1],
    ['start=2026-03-01&end=2026-03-02', 1],
    ['start=1970-01-01T00:00:00Z&end=9999-12-31T23:59:59Z', 1],
    ['start=2026-03-01T10:00:01Z&end=2026-03-02', 0],
  ])('%s is read as written (%i sample)', async (query, count) => {
    const res = await get(`node=wn1&${query}`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { count: number }).count).toBe(count);
  });
});

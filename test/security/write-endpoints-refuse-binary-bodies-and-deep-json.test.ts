/**
 * Every write endpoint refuses what is not text (invalid UTF-8, NUL bytes) with a 4xx naming the line, in its own
 * protocol, and stores nothing; a JSON body nested deeper than the limit is a 400 naming the limit, found before
 * JSON.parse could hold the event loop.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLineProtocolRouter } from '../../collector/line-protocol/index.js';
import { MAX_JSON_DEPTH } from '../../collector/json-depth.js';
import { COLLECTOR_APP_MIGRATIONS, post, startCollectorApp, type CollectorApp } from '../collector/support/collector-app.js';
import { useFreshStore } from '../store/support/fresh-store.js';
import { sqliteBackend } from '../support/stores.js';

const fresh = useFreshStore(sqliteBackend, { per: 'suite', migrations: COLLECTOR_APP_MIGRATIONS });
let app: CollectorApp;
const json = { 'content-type': 'application/json' };
const text = { 'content-type': 'text/plain; charset=utf-8' };
const count = async () => Number((await fresh().store.query<{ n: number }>('SELECT count(*) AS n FROM samples'))[0]!.n);

beforeAll(async () => {
  app = await startCollectorApp(fresh().store, { routers: ({ collector }) => [createLineProtocolRouter({ sink: collector.repository })] });
});
afterAll(() => app?.close());

/** A body with `bad` spliced in on its second line. */
function withBinary(first: string, second: string, bad: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`${first}\n`), Buffer.from(second.slice(0, 10)), bad, Buffer.from(second.slice(10))]);
}

describe('binary bodies are refused on every write endpoint', () => {
  const cases: [string, Buffer][] = [
    ['invalid UTF-8', Buffer.from([0xc3, 0x28])],
    ['a NUL byte', Buffer.from([0])],
  ];

  it.each(cases)('POST /api/v1/samples with %s: 400 naming line 2, nothing stored', async (_, bad) => {
    const body = withBinary('[{"node": "wn1", "metric": "m", "value": 1},', '{"node": "wn2", "metric": "m", "value": 2}]', bad);
    const res = await post(app, '/api/v1/samples', body, json);
    expect(res.status).toBe(400);
    const answer = (await res.json()) as { message: string };
    expect(answer.message).toMatch(/^line 2: the body is not UTF-8 text \(binary data at byte \d+\); nothing was stored$/);
    expect(await count()).toBe(0);
  });

  it.each(cases)('POST /write with %s: InfluxDB 1.x error naming line 2, nothing stored', async (_, bad) => {
    const res = await post(app, '/write?db=telegraf&precision=s', withBinary('cpu,host=wn1 idle=1 1714564800', 'cpu,host=wn2 idle=2 1714564800', bad), text);
    expect(res.status).toBe(400);
    const answer = (await res.json()) as { error: string; line: number };
    expect(answer.error).toMatch(/^error parsing line 2 \(1-based\): the body is not UTF-8 text/);
    expect(answer.line).toBe(2);
    expect(await count()).toBe(0);
  });

  it.each(cases)('POST /api/v2/write with %s: InfluxDB 2.x error naming line 2, nothing stored', async (_, bad) => {
    const res = await post(app, '/api/v2/write?bucket=telegraf&precision=s', withBinary('cpu,host=wn1 idle=1 1714564800', 'cpu,host=wn2 idle=2 1714564800', bad), text);
    expect(res.status).toBe(400);
    const answer = (await res.json()) as { code: string; message: string; line: number };
    expect(answer).toMatchObject({ code: 'invalid', line: 2 });
    expect(answer.message).toMatch(/line 2 .*not UTF-8 text/);
    expect(await count()).toBe(0);
  });

  it('still takes text with multi-byte characters', async () => {
    const res = await post(app, '/api/v1/samples', JSON.stringify([{ node: 'wn-ü', metric: 'm', value: 1, summary: 'größer ✓' }]), json);
    expect(res.status).toBe(200);
    expect(await count()).toBe(1);
    await fresh().store.execute('DELETE FROM samples');
  });
});

describe('deeply nested JSON is refused before it is parsed', () => {
  const deep = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

  it.each(['/api/v1/samples', '/rsv/records'])('POST %s: 400 naming the depth limit, also for an 8 MB body, in well under a second', async (path) => {
    for (const body of [deep(MAX_JSON_DEPTH + 1), deep(4 * 1024 * 1024)]) {
      const started = performance.now();
      const res = await post(app, path, body, json);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { message: string }).message).toMatch(new RegExp(`nests deeper than ${MAX_JSON_DEPTH} levels .*limit on nesting depth is ${MAX_JSON_DEPTH}`));
      // The pre-scan is linear; JSON.parse of the 8 MB body took 5 s before it.
      expect(performance.now() - started).toBeLessThan(2_000);
    }
    expect(await count()).toBe(0);
  });

  it('brackets inside strings do not count, and a normal body nests well within the limit', async () => {
    const res = await post(app, '/api/v1/samples', JSON.stringify({ samples: [{ node: 'wn1', metric: 'm', value: 1, tags: { t: '['.repeat(100) } }] }), json);
    expect(res.status).toBe(200);
  });
});

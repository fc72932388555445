/**
 * A NUL byte or invalid UTF-8 in a write body is refused, but JSON can spell the same in an escape: `"a\u0000b"` was
 * stored with its NUL, and `"\ud800"` (a lone surrogate) came back as U+FFFD. Both are a 400 naming the sample or
 * record and its field, and nothing of the request is stored.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COLLECTOR_APP_MIGRATIONS, post, startCollectorApp, type CollectorApp } from '../collector/support/collector-app.js';
import { useFreshStore } from '../store/support/fresh-store.js';
import { sqliteBackend } from '../support/stores.js';

const fresh = useFreshStore(sqliteBackend, { per: 'suite', migrations: COLLECTOR_APP_MIGRATIONS });
let app: CollectorApp;
const json = { 'content-type': 'application/json' };
const count = async (table: string) => Number((await fresh().store.query<{ n: number }>(`SELECT count(*) AS n FROM ${table}`))[0]!.n);

beforeAll(async () => {
  app = await startCollectorApp(fresh().store);
});
afterAll(() => app?.close());

// JSON text as a client sends it: the backslash escapes are in the body, not decoded characters.
const escapes: [string, string, RegExp][] = [
  ['a NUL escape', String.raw`wn\u0000x`, /holds a NUL character \(\\u0000\) at character 3, which is not text/],
  ['a lone high surrogate', String.raw`wn\ud800x`, /holds a lone surrogate \(\\ud800\) at character 3, which is not text/],
  ['a lone low surrogate', String.raw`\udc00`, /holds a lone surrogate \(\\udc00\) at character 1, which is not text/],
];

describe('POST /api/v1/samples', () => {
  it.each(escapes)('%s in a node name is a 400 naming sample 2 and node, nothing stored', async (_what, escaped, message) => {
    const before = await count('samples');
    const body = `[{"node":"ok","metric":"m.x","value":1},{"node":"${escaped}","metric":"m.x","value":2}]`;
    const res = await post(app, '/api/v1/samples', body, json);
    expect(res.status).toBe(400);
    const answer = (await res.json()) as { message: string };
    expect(answer.message).toMatch(/^sample 2: node /);
    expect(answer.message).toMatch(message);
    expect(await count('samples')).toBe(before);
  });

  it('a NUL escape in a tag value or tag name is a 400 naming the tag', async () => {
    for (const tags of [String.raw`{"site":"a\u0000"}`, String.raw`{"si\u0000te":"a"}`]) {
      const res = await post(app, '/api/v1/samples', `[{"node":"wn1","metric":"m.x","value":1,"tags":${tags}}]`, json);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { message: string }).message).toMatch(/^sample 1: (tag site|a tag name) holds a NUL character/);
    }
  });

  it('a surrogate pair written as escapes is a real character and is stored', async () => {
    const res = await post(app, '/api/v1/samples', String.raw`[{"node":"wn-\ud83d\ude00","metric":"m.x","value":1}]`, json);
    expect(res.status).toBe(200);
    const rows = await fresh().store.query<{ node: string }>('SELECT node FROM samples WHERE node = ?', ['wn-😀']);
    expect(rows).toHaveLength(1);
  });
});

describe('POST /rsv/records as JSON', () => {
  const record = (host: string) =>
    `{"metricName":"org.osg.x","metricType":"status","timestamp":"2026-11-20T10:00:00Z","metricStatus":"OK","serviceType":"CE","hostName":"${host}","summaryData":"s","detailsData":"d"}`;

  it.each(escapes)('%s in hostName is a 400 naming record 2 and the field, nothing stored', async (_what, escaped, message) => {
    const before = await count('probe_records');
    const res = await post(app, '/rsv/records', `[${record('ok.example')},${record(escaped)}]`, json);
    expect(res.status).toBe(400);
    const answer = (await res.json()) as { message: string };
    expect(answer.message).toMatch(/record 2: hostName holds /);
    expect(answer.message).toMatch(message);
    expect(answer.message).toMatch(/\(field hostName\)$/);
    expect(await count('probe_records')).toBe(before);
  });
});

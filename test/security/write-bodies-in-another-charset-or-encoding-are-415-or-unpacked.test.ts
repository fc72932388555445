/**
 * The collector's write endpoints read their bodies themselves, so the app's parsers' charset and Content-Encoding
 * checks never ran there: a `Content-Encoding: br`/`zstd` or `charset=latin9` body was stored as if it were plain
 * UTF-8, and a gzip JSON body was refused as binary. Now an unknown encoding or charset is a 415 naming the header
 * and nothing is stored; gzip, deflate and br are unpacked within max_body_bytes.
 */
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLineProtocolRouter } from '../../collector/line-protocol/index.js';
import { COLLECTOR_APP_MIGRATIONS, post, startCollectorApp, wlcgRecord, type CollectorApp } from '../collector/support/collector-app.js';
import { useFreshStore } from '../store/support/fresh-store.js';
import { sqliteBackend } from '../support/stores.js';

const fresh = useFreshStore(sqliteBackend, { per: 'suite', migrations: COLLECTOR_APP_MIGRATIONS });
let app: CollectorApp;
const count = async () => Number((await fresh().store.query<{ n: number }>('SELECT count(*) AS n FROM samples'))[0]!.n);
const samples = (node: string) => JSON.stringify([{ node, metric: 'm.x', time: 1_780_000_000, value: 1, source: 't' }]);

beforeAll(async () => {
  app = await startCollectorApp(fresh().store, {
    settings: { maxBodyBytes: 64 * 1024 },
    routers: ({ collector }) => [createLineProtocolRouter({ sink: collector.repository })],
  });
});
afterAll(() => app?.close());

describe('a body in a charset or encoding the collector does not read', () => {
  const endpoints: [string, string, string][] = [
    ['/api/v1/samples', 'application/json', samples('wn1')],
    ['/rsv/records', 'text/plain', wlcgRecord()],
    ['/write?db=x', 'text/plain', 'cpu,host=h1 v=1 1780000000000000000'],
    ['/api/v2/write?org=o&bucket=b', 'text/plain', 'cpu,host=h1 v=1 1780000000000000000'],
  ];

  it.each(endpoints)('POST %s with charset=latin9 is a 415 naming the charset, nothing stored', async (path, type, body) => {
    const before = await count();
    const res = await post(app, path, body, { 'content-type': `${type}; charset=latin9` });
    expect(res.status).toBe(415);
    expect(await res.text()).toMatch(/charset \\?"latin9\\?"/);
    expect(await count()).toBe(before);
  });

  it.each(endpoints.slice(0, 2))('POST %s with Content-Encoding: zstd is a 415 naming the encoding, nothing stored', async (path, type, body) => {
    const before = await count();
    const res = await post(app, path, body, { 'content-type': type, 'content-encoding': 'zstd' });
    expect(res.status).toBe(415);
    expect(((await res.json()) as { message: string }).message).toMatch(/^Content-Encoding "zstd" is not supported/);
    expect(await count()).toBe(before);
  });

  it.each(endpoints.slice(0, 2))('POST %s with Content-Encoding: br over a plain body is a 400, nothing stored', async (path, type, body) => {
    const before = await count();
    const res = await post(app, path, body, { 'content-type': type, 'content-encoding': 'br' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toMatch(/^the body cannot be unpacked as br \(Content-Encoding\)/);
    expect(await count()).toBe(before);
  });

  it('a gzip body that unpacks past max_body_bytes is a 413 naming the setting', async () => {
    const bomb = gzipSync(`[${Array.from({ length: 2000 }, () => samples('wn1').slice(1, -1)).join(',')}]`);
    expect(bomb.length).toBeLessThan(64 * 1024);
    const res = await post(app, '/api/v1/samples', bomb, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { message: string }).message).toMatch(/^the unpacked body .* \(setting max_body_bytes\)/);
  });
});

describe('a compressed body the collector reads', () => {
  it.each([
    ['gzip', gzipSync],
    ['deflate', deflateSync],
    ['br', brotliCompressSync],
  ] as const)('POST /api/v1/samples with Content-Encoding: %s stores the unpacked samples', async (encoding, pack) => {
    const node = `packed-${encoding}`;
    const res = await post(app, '/api/v1/samples', pack(Buffer.from(samples(node))), { 'content-type': 'application/json', 'content-encoding': encoding });
    expect(res.status).toBe(200);
    const rows = await fresh().store.query<{ node: string }>('SELECT node FROM samples WHERE node = ?', [node]);
    expect(rows).toHaveLength(1);
  });

  it('POST /rsv/records with a gzip body and charset=utf-8 stores the record', async () => {
    const res = await post(app, '/rsv/records', gzipSync(wlcgRecord({ hostName: 'gz.example.org' })), { 'content-type': 'text/plain; charset=UTF-8', 'content-encoding': 'gzip' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ accepted: 1 });
  });
});

/**
 * The export loop against a stand-in HTTP server (the real InfluxDB and VictoriaMetrics suites are in
 * test/integration/collector-influx-*): acknowledged batches move the cursor, failures are retried without loss,
 * refused lines are counted and skipped, a 413 halves the batch, filters skip samples but not the cursor.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { Registry } from 'prom-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { StoredSample } from '../../collector/index.js';
import {
  createInfluxExport, defaultExportSettings, exportTestMigrations, loadCursorForTests, type InfluxExport, type InfluxExportSettings,
} from './influx-export-support.js';
import { sqliteBackend } from '../support/stores.js';
import type { Store } from '../../store/index.js';

interface Seen {
  url: string;
  authorization: string | undefined;
  lines: string[];
}

let server: Server;
let url = '';
const seen: Seen[] = [];
/** Statuses the next requests get, in order; afterwards 204. */
const replies: { status: number; headers?: Record<string, string>; body?: string }[] = [];

async function body(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const raw = Buffer.concat(chunks);
  return (req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw).toString('utf8');
}

let store: Store;
let dispose: () => Promise<void>;
beforeAll(async () => {
  server = createServer((req, res) => {
    void body(req).then((text) => {
      seen.push({ url: req.url ?? '', authorization: req.headers.authorization, lines: text.split('\n') });
      const reply = replies.shift() ?? { status: 204 };
      res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers }).end(reply.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const db = await sqliteBackend.create();
  store = db.open();
  dispose = db.dispose;
  await store.migrate(exportTestMigrations);
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await store.close();
  await dispose();
});

let running: InfluxExport | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
  seen.splice(0);
  replies.splice(0);
  await store.execute('DELETE FROM cursors');
});

const T0 = Date.UTC(2024, 4, 1, 12);
function samples(n: number, from = 1, metric = 'load.load1'): StoredSample[] {
  return Array.from({ length: n }, (_, i) => ({ id: from + i, node: 'n1', metric, time: new Date(T0 + (from + i) * 1000), value: from + i, source: 'test' }));
}
/** A feed over a fixed list, as the repository's readAfter answers. */
const feedOf = (all: StoredSample[]) => ({ readAfter: async (id: number, limit: number) => all.filter((s) => s.id > id).slice(0, limit) });

function settings(over: Partial<InfluxExportSettings> = {}): InfluxExportSettings {
  return { ...defaultExportSettings('test', url), bucket: 'mon', org: 'site', token: 'tok', batchSize: 10, pollIntervalMs: 20, minRetryDelayMs: 20, maxRetryDelayMs: 40, ...over };
}

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

function start(feed: ReturnType<typeof feedOf>, s: InfluxExportSettings, metrics?: Registry): Promise<void> {
  running = createInfluxExport({ feed, store, settings: [s], metrics });
  return running.start();
}

const sentLines = () => seen.flatMap((r) => r.lines);
const cursor = () => loadCursorForTests(store, 'test');

describe('the influx export loop', () => {
  it('writes batches to /api/v2/write with the token and moves the cursor to the last acknowledged id', async () => {
    const metrics = new Registry();
    await start(feedOf(samples(25)), settings(), metrics);
    await until('cursor at 25', async () => (await cursor()) === 25);
    expect(seen.map((r) => [r.url, r.authorization, r.lines.length])).toEqual([
      ['/api/v2/write?org=site&bucket=mon&precision=ms', 'Token tok', 10],
      ['/api/v2/write?org=site&bucket=mon&precision=ms', 'Token tok', 10],
      ['/api/v2/write?org=site&bucket=mon&precision=ms', 'Token tok', 5],
    ]);
    expect(sentLines()[0]).toBe(`load,host=n1 load1=1 ${T0 + 1000}`);
    const text = await metrics.metrics();
    expect(text).toMatch(/appliance_influx_export_written_total\{export="test"\} 25/);
    expect(text).toMatch(/appliance_influx_export_cursor\{export="test"\} 25/);
  });

  it('keeps the cursor through failures and sends every sample once accepted', async () => {
    replies.push({ status: 503 }, { status: 500 });
    const metrics = new Registry();
    await start(feedOf(samples(5)), settings(), metrics);
    await until('cursor at 5', async () => (await cursor()) === 5);
    expect(seen.map((r) => r.lines.length)).toEqual([5, 5, 5]);
    // The two failed attempts and the accepted one carried the same lines; only the accepted one counts as written.
    expect(seen[2]!.lines).toEqual(seen[0]!.lines);
    expect(await metrics.metrics()).toMatch(/appliance_influx_export_failed_total\{export="test",reason="retry"\} 10/);
  });

  it('keeps the cursor while the server is unreachable', async () => {
    await start(feedOf(samples(3)), settings({ url: 'http://127.0.0.1:1' }));
    await new Promise((r) => setTimeout(r, 150));
    expect(await cursor()).toBe(0);
  });

  it('counts lines the server refuses for good (400) and moves on', async () => {
    replies.push({ status: 400, body: '{"error":"partial write: field type conflict"}' });
    const metrics = new Registry();
    await start(feedOf(samples(15)), settings(), metrics);
    await until('cursor at 15', async () => (await cursor()) === 15);
    expect(seen.map((r) => r.lines.length)).toEqual([10, 5]);
    expect(await metrics.metrics()).toMatch(/appliance_influx_export_failed_total\{export="test",reason="refused"\} 10/);
  });

  it('halves the batch while the server answers 413', async () => {
    replies.push({ status: 413 }, { status: 413 });
    await start(feedOf(samples(10)), settings({ batchSize: 8 }));
    await until('cursor at 10', async () => (await cursor()) === 10);
    expect(seen.map((r) => r.lines.length)).toEqual([8, 4, 2, 2, 2, 2, 2]);
    expect(new Set(sentLines().slice(3))).toEqual(new Set(samples(10).map((s) => `load,host=n1 load1=${s.value} ${s.time.getTime()}`)));
  });

  it('waits the Retry-After seconds of a 429', async () => {
    replies.push({ status: 429, headers: { 'retry-after': '1' } });
    await start(feedOf(samples(1)), settings());
    await until('the retry', () => seen.length === 2, 3000);
    // The server has seen the retry before the export commits the cursor it acknowledges.
    await until('cursor at 1', async () => (await cursor()) === 1);
    expect(seen).toHaveLength(2);
  });

  it('exports only matching metrics and nodes, and moves the cursor past the others', async () => {
    const all = [...samples(3, 1, 'load.load1'), ...samples(3, 4, 'cpu.usage_idle'), { ...samples(1, 7)[0]!, node: 'other' }];
    await start(feedOf(all), settings({ metrics: ['load.*'], nodes: ['n?'] }));
    await until('cursor at 7', async () => (await cursor()) === 7);
    expect(sentLines().map((l) => l.split(' ')[0])).toEqual(['load,host=n1', 'load,host=n1', 'load,host=n1']);
  });

  it('writes v1 to /write?db=&rp=&precision=ms with basic credentials', async () => {
    await start(feedOf(samples(1)), settings({ mode: 'v1', database: 'mon', retentionPolicy: 'autogen', username: 'u', password: 'p', token: '' }));
    await until('cursor at 1', async () => (await cursor()) === 1);
    expect(seen[0]).toMatchObject({ url: '/write?db=mon&rp=autogen&precision=ms', authorization: `Basic ${Buffer.from('u:p').toString('base64')}` });
  });

  it('resumes after a restart at the stored cursor', async () => {
    const all = samples(4);
    await start(feedOf(all), settings());
    await until('cursor at 4', async () => (await cursor()) === 4);
    await running!.stop();
    all.push(...samples(2, 5));
    await start(feedOf(all), settings());
    await until('cursor at 6', async () => (await cursor()) === 6);
    expect(seen.map((r) => r.lines.length)).toEqual([4, 2]);
  });

  it('applies a changed configuration to the running target and leaves an unchanged one alone', async () => {
    await start(feedOf(samples(2)), settings());
    await until('cursor at 2', async () => (await cursor()) === 2);
    await running!.applyConfig([settings()]);
    await running!.applyConfig([settings({ name: 'second' })]);
    await until('second cursor at 2', async () => (await loadCursorForTests(store, 'second')) === 2);
    expect(seen.map((r) => r.lines.length)).toEqual([2, 2]);
  });
});

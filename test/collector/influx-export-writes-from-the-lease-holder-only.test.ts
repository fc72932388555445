/**
 * Two exports of one name on one store (as two appliances on one database), against a stand-in HTTP server: only the
 * lease holder writes, the other stands by and takes over where the holder stopped; a holder whose lease was taken
 * over sends nothing more and cannot move the cursor back.
 */
import { createServer, type Server } from 'node:http';
import { Registry } from 'prom-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { StoredSample } from '../../collector/index.js';
import { createCursors } from '../../queue/index.js';
import type { Store } from '../../store/index.js';
import { sqliteBackend } from '../support/stores.js';
import {
  createInfluxExport, defaultExportSettings, exportCursorName, exportTestMigrations, loadCursorForTests, type InfluxExport, type InfluxExportSettings,
} from './influx-export-support.js';

let server: Server;
let url = '';
const lines: string[] = [];
let store: Store;
let dispose: () => Promise<void>;
beforeAll(async () => {
  server = createServer((req, res) => {
    let text = '';
    req.on('data', (d: Buffer) => (text += d.toString()));
    req.on('end', () => {
      lines.push(...text.split('\n').filter(Boolean));
      res.writeHead(204).end();
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

const running: InfluxExport[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((e) => e.stop()));
  lines.splice(0);
  await store.execute('DELETE FROM cursors');
});

const T0 = Date.UTC(2024, 4, 1, 12);
const all: StoredSample[] = [];
const add = (n: number) => {
  for (let i = 0; i < n; i++) {
    const id = all.length + 1;
    all.push({ id, node: 'n1', metric: 'load.load1', time: new Date(T0 + id * 1000), value: id, source: 'test' });
  }
};
const feed = { readAfter: async (id: number, limit: number) => all.filter((s) => s.id > id).slice(0, limit) };
const settings: InfluxExportSettings = { ...defaultExportSettings('shared', url), bucket: 'mon', batchSize: 10, pollIntervalMs: 20, leaseMs: 60_000 };

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function startExport(owner: string, metrics: Registry, clock?: () => Date): Promise<InfluxExport> {
  const e = createInfluxExport({ feed, store, owner, metrics, clock, settings: [{ ...settings, url }] });
  running.push(e);
  await e.start();
  return e;
}
const gauge = async (m: Registry, name: string) => (await m.getSingleMetric(name)!.get()).values[0]?.value;

describe('two exports of one name on one store', () => {
  it('write each sample once: the second stands by, then takes over from the cursor when the first stops', async () => {
    all.splice(0);
    add(25);
    const ma = new Registry();
    const mb = new Registry();
    const a = await startExport('a', ma);
    const b = await startExport('b', mb);
    await until('a at 25', async () => (await loadCursorForTests(store, 'shared')) === 25);
    expect(await gauge(ma, 'appliance_influx_export_holding')).toBe(1);
    expect(await gauge(mb, 'appliance_influx_export_holding')).toBe(0);
    add(5);
    b.poke();
    await until('a at 30', async () => (await loadCursorForTests(store, 'shared')) === 30);

    await a.stop();
    running.splice(running.indexOf(a), 1);
    add(12);
    await until('b at 42', async () => (await loadCursorForTests(store, 'shared')) === 42);
    expect(await gauge(mb, 'appliance_influx_export_holding')).toBe(1);
    expect(await gauge(mb, 'appliance_influx_export_written_total')).toBe(12);
    expect(await gauge(ma, 'appliance_influx_export_written_total')).toBe(30);
    expect(lines).toEqual(all.map((s) => `load,host=n1 load1=${s.value} ${s.time.getTime()}`));
  });

  it('stops a holder whose lease was taken over: it sends nothing more and the cursor does not go back', async () => {
    all.splice(0);
    add(10);
    // a's clock starts at T0; the intruder acts at a time when a's lease has expired, as if a had stalled past it.
    const started = Date.now();
    const ma = new Registry();
    await startExport('a', ma, () => new Date(T0 + Date.now() - started));
    await until('a at 10', async () => (await loadCursorForTests(store, 'shared')) === 10);
    const intruder = (await createCursors(store).acquire(exportCursorName('shared'), 'intruder', 60_000, new Date(T0 + 120_001)))!;
    expect(intruder).toBeDefined();
    add(10);
    expect(await intruder.advance(15, new Date(T0 + 120_002))).toBe(true);
    running[0]!.poke();
    await until('a to stand by', async () => (await gauge(ma, 'appliance_influx_export_holding')) === 0);
    // a wrote 11..20 once more before its advance was refused; it must not have moved the cursor to 20 or back to 10.
    expect(await loadCursorForTests(store, 'shared')).toBe(15);
    const sent = lines.length;
    add(5);
    running[0]!.poke();
    await new Promise((r) => setTimeout(r, 200));
    expect(lines.length).toBe(sent);
    expect(await createCursors(store).read(exportCursorName('shared'))).toMatchObject({ owner: 'intruder', position: 15 });
  });
});

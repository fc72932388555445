/**
 * The InfluxDB export's loop takes an injectable scheduler beside its clock and exposes one tick: with timers that
 * never fire, each tick() is one turn (a batch written and the cursor advanced), an idle poll waits for the clock, and
 * poke() makes the next turn read new samples before the poll is due (it used to wait out the poll anyway).
 * Against a stand-in HTTP server on SQLite.
 */
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredSample } from '../../collector/index.js';
import type { Scheduler } from '../../common/index.js';
import type { Store } from '../../store/index.js';
import { sqliteBackend } from '../support/stores.js';
import { createInfluxExport, defaultExportSettings, exportTestMigrations, loadCursorForTests } from './influx-export-support.js';

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

const T0 = Date.UTC(2024, 4, 1, 12);

describe('the InfluxDB export driven by tick()', () => {
  it('writes one batch per tick, waits for the clock when idle, and reads at once after a poke', async () => {
    const all: StoredSample[] = [];
    const add = (n: number) => {
      for (let i = 0; i < n; i++) all.push({ id: all.length + 1, node: 'n1', metric: 'load.load1', time: new Date(T0 + all.length * 1000), value: all.length, source: 'test' });
    };
    const feed = { readAfter: async (id: number, limit: number) => all.filter((s) => s.id > id).slice(0, limit) };
    let now = T0;
    const armed: number[] = [];
    const scheduler: Scheduler = { setTimeout: (_fn, ms) => armed.push(ms), clearTimeout: () => undefined };
    const settings = { ...defaultExportSettings('ticked', url), bucket: 'mon', batchSize: 10, pollIntervalMs: 5_000, leaseMs: 60_000 };
    const exporter = createInfluxExport({ feed, store, owner: 'a', clock: () => new Date(now), scheduler, settings: [settings] });
    add(25);
    await exporter.start();
    try {
      expect(armed).toEqual([0]);
      const cursor = () => loadCursorForTests(store, 'ticked');
      await exporter.tick();
      expect([lines.length, await cursor()]).toEqual([10, 10]);
      await exporter.tick();
      await exporter.tick();
      expect([lines.length, await cursor()]).toEqual([25, 25]);

      // Caught up: the next pass is due a poll interval later on the export's clock.
      add(3);
      await exporter.tick();
      expect(lines).toHaveLength(25);
      exporter.poke();
      await exporter.tick();
      expect([lines.length, await cursor()]).toEqual([28, 28]);

      add(2);
      now += 4_999;
      await exporter.tick();
      expect(lines).toHaveLength(28);
      now += 1;
      await exporter.tick();
      expect([lines.length, await cursor()]).toEqual([30, 30]);
      expect(lines.at(-1)).toBe(`load,host=n1 load1=29 ${T0 + 29_000}`);
    } finally {
      await exporter.stop();
    }
  });
});

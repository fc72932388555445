/**
 * Two appliance processes on one MariaDB, each storing samples and running the InfluxDB export, against a real
 * influxd 1.6: one exports, the other stands by; when the holder stops, the other takes over from the cursor. Every
 * sample stored through either reaches InfluxDB, and the two exports together sent each exactly once.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_MIGRATIONS } from '../../appliance.js';
import { createCursors } from '../../queue/index.js';
import type { Store, StoreConnection } from '../../store/index.js';
import { INFLUXD, installed, startInfluxd, type Influxd } from '../support/influx.js';
import { serviceMissing } from '../support/services.js';
import { testBackends, type TestBackend } from '../support/stores.js';

const script = fileURLToPath(new URL('./influx-export-process.ts', import.meta.url));
const mysql = testBackends().find((b) => b.name === 'mysql');
const influxAvailable = installed(INFLUXD);
if (!influxAvailable) serviceMissing('InfluxDB', `${INFLUXD} is missing: apt-get install -y influxdb`);
const COUNT = 600;

interface Appliance {
  owner: string;
  child: ChildProcess;
  output(): string;
  waitFor(re: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
}

function startProcess(connection: StoreConnection, influxUrl: string, owner: string, t0: number): Appliance {
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    env: {
      ...process.env, EXPORT_STORE: JSON.stringify(connection), EXPORT_INFLUX_URL: influxUrl, EXPORT_OWNER: owner,
      EXPORT_COUNT: String(COUNT), EXPORT_CHUNK: '20', EXPORT_T0: String(t0),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  return {
    owner, child,
    output: () => out,
    async waitFor(re, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const m = re.exec(out);
        if (m) return m;
        if (child.exitCode !== null && !re.exec(out)) throw new Error(`${owner} exited (${child.exitCode}) before ${re}:\n${out}`);
        if (Date.now() > deadline) throw new Error(`${owner} printed no ${re} within ${timeoutMs} ms:\n${out}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
  };
}

describe.skipIf(!mysql || !influxAvailable)('two appliances exporting from one MariaDB', () => {
  let influx: Influxd;
  let db: Awaited<ReturnType<TestBackend['create']>>;
  let store: Store;
  const running: Appliance[] = [];

  beforeAll(async () => {
    influx = await startInfluxd();
    await influx.query('CREATE DATABASE mon');
    db = await mysql!.create();
    store = db.open();
    await store.migrate(ALL_MIGRATIONS);
  });
  afterAll(async () => {
    for (const a of running) if (a.child.exitCode === null) a.child.kill('SIGKILL');
    await store?.close();
    await db?.dispose();
    await influx?.dispose();
  });

  const countInInflux = async () => {
    const r = await influx.query('SELECT count(load1) FROM "load"', 'mon');
    return Number(r.results[0]?.series?.[0]?.values[0]?.[1] ?? 0);
  };
  const stop = async (a: Appliance) => {
    a.child.kill('SIGTERM');
    const [, inserted, written] = await a.waitFor(/final inserted=(\d+) written=(\d+)/);
    return { inserted: Number(inserted), written: Number(written) };
  };

  it('sends every sample to InfluxDB exactly once, across a handover', { timeout: 180_000 }, async () => {
    const t0 = Math.floor(Date.now() / 1000) * 1000 - 3_600_000;
    const a = startProcess(db.connection, influx.url, 'a', t0);
    running.push(a);
    await a.waitFor(/started holding=1/);
    const b = startProcess(db.connection, influx.url, 'b', t0);
    running.push(b);
    await b.waitFor(/started holding=0/);

    // Both store samples; a exports them all while b stands by.
    await new Promise((r) => setTimeout(r, 1500));
    expect((await createCursors(store).read('influx_export/shared'))?.owner).toBe('a');
    const first = await stop(a);
    expect(first.written).toBeGreaterThan(0);
    // b takes over from the position a released and exports the rest, including what it stored while standing by.
    await b.waitFor(/inserted all 600/);
    await expect.poll(async () => (await createCursors(store).read('influx_export/shared'))?.owner, { timeout: 30_000 }).toBe('b');
    const total = first.inserted + COUNT;
    await expect.poll(countInInflux, { timeout: 60_000, interval: 200 }).toBe(total);
    const second = await stop(b);
    expect(second.inserted).toBe(COUNT);
    expect(second.written).toBeGreaterThan(0);
    // Exactly once: the two exports' acknowledged lines add up to the samples stored, none sent by both.
    expect(first.written + second.written).toBe(total);
    expect(await countInInflux()).toBe(total);
    const [stored] = await store.query<{ n: number | string }>('SELECT count(*) AS n FROM samples');
    expect(Number(stored!.n)).toBe(total);
  });
});

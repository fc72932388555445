/** The v1 export against Debian's InfluxDB 1.6.7 (`/write?db=&rp=&precision=ms`): the points read back with InfluxQL. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInfluxExport, defaultExportSettings, type InfluxExport } from '../../collector/influx-export/index.js';
import type { Store } from '../../store/index.js';
import { INFLUXD, installed, startInfluxd, type Influxd } from '../support/influx.js';
import { serviceMissing } from '../support/services.js';
import { sqliteBackend } from '../support/stores.js';
import { openExportTestDatabase, type ExportTestDatabase } from './collector-influx-repository.js';

const available = installed(INFLUXD);
if (!available) serviceMissing('InfluxDB', `${INFLUXD} is missing: apt-get install -y influxdb`);

describe.skipIf(!available)('the v1 export writes to InfluxDB 1.6', () => {
  let influx: Influxd;
  let db: ExportTestDatabase;
  let store: Store;
  let samples: ExportTestDatabase['samples'];
  let exporter: InfluxExport | undefined;

  beforeAll(async () => {
    influx = await startInfluxd();
    await influx.query('CREATE DATABASE mon');
    db = await openExportTestDatabase(sqliteBackend);
    ({ store, samples } = db);
  });
  afterAll(async () => {
    await exporter?.stop();
    await db?.close();
    await influx?.dispose();
  });

  it('writes every sample as a point with its host, tags and value, read back with InfluxQL', async () => {
    const t0 = Math.floor(Date.now() / 1000) * 1000 - 3_600_000;
    await samples.insertSamples([
      { node: 'wn01', metric: 'load.load1', time: new Date(t0), value: 0.5, source: 'sensor' },
      { node: 'wn01', metric: 'load.load1', time: new Date(t0 + 1000), value: 0.75, source: 'sensor' },
      { node: 'wn 02', metric: 'load.load1', time: new Date(t0), value: 2, source: 'sensor' },
      { node: 'wn01', metric: 'cpu.usage_idle', time: new Date(t0), value: 97.5, source: 'line-protocol', tags: { cpu: 'cpu,0' } },
      { node: 'ce01', metric: 'org.osg.general.ping-host', time: new Date(t0), value: 2, source: 'rsv' },
    ]);
    exporter = createInfluxExport({
      feed: samples,
      store,
      settings: [{ ...defaultExportSettings('old-influx', influx.url), mode: 'v1', database: 'mon', retentionPolicy: 'autogen', pollIntervalMs: 50 }],
    });
    await exporter.start();

    const load = async () => (await influx.query('SELECT host, load1 FROM "load" ORDER BY time', 'mon')).results[0]?.series?.[0]?.values ?? [];
    const deadline = Date.now() + 10_000;
    while ((await load()).length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const byTimeAndHost = (rows: unknown[][]) => rows.map((r) => JSON.stringify(r)).sort();
    expect(byTimeAndHost(await load())).toEqual(byTimeAndHost([[t0, 'wn 02', 2], [t0, 'wn01', 0.5], [t0 + 1000, 'wn01', 0.75]]));

    const cpu = await influx.query('SELECT * FROM cpu', 'mon');
    expect(cpu.results[0]!.series![0]).toMatchObject({ name: 'cpu', columns: ['time', 'cpu', 'host', 'usage_idle'], values: [[t0, 'cpu,0', 'wn01', 97.5]] });
    const rsv = await influx.query('SELECT host, "osg.general.ping-host" FROM org', 'mon');
    expect(rsv.results[0]!.series![0]!.values).toEqual([[t0, 'ce01', 2]]);
  });

  it('keeps retrying while the database does not exist, and writes everything once it is created', async () => {
    await exporter?.stop();
    const t0 = Math.floor(Date.now() / 1000) * 1000 - 1_800_000;
    await samples.insertSamples(Array.from({ length: 20 }, (_, i) => ({ node: 'wn01', metric: 'late.value', time: new Date(t0 + i * 1000), value: i, source: 'test' })));
    exporter = createInfluxExport({
      feed: samples,
      store,
      settings: [{ ...defaultExportSettings('late-db', influx.url), mode: 'v1', database: 'late', pollIntervalMs: 20, minRetryDelayMs: 50, maxRetryDelayMs: 100 }],
    });
    await exporter.start();
    // InfluxDB answers 404 "database not found": an operator's fix, so the samples wait rather than being dropped.
    await new Promise((r) => setTimeout(r, 300));
    await influx.query('CREATE DATABASE late');
    const count = async () => Number((await influx.query('SELECT count(value) FROM late', 'late')).results[0]?.series?.[0]?.values[0]?.[1] ?? 0);
    const deadline = Date.now() + 10_000;
    while ((await count()) < 20 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(await count()).toBe(20);
  });
});

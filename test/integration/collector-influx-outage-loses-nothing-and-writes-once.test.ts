/**
 * The outage scenario against Debian's InfluxDB 1.6.7: stop influxd mid-stream, keep inserting, restart it; every
 * sample arrives exactly once (count and values), and the export acknowledged each line once. On every store backend,
 * since the cursor lives in the store.
 */
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInfluxExport, defaultExportSettings, type InfluxExport } from '../../collector/influx-export/index.js';
import type { Store } from '../../store/index.js';
import { INFLUXD, installed, startInfluxd, type Influxd } from '../support/influx.js';
import { serviceMissing } from '../support/services.js';
import { testBackends } from '../support/stores.js';
import { openExportTestDatabase, type ExportTestDatabase, type SampleInput } from './collector-influx-repository.js';

const available = installed(INFLUXD);
if (!available) serviceMissing('InfluxDB', `${INFLUXD} is missing: apt-get install -y influxdb`);

const TOTAL = 600;

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.each(available ? testBackends() : [])('an InfluxDB outage on $name', (backend) => {
  let influx: Influxd;
  let db: ExportTestDatabase;
  let store: Store;
  let samples: ExportTestDatabase['samples'];
  let exporter: InfluxExport | undefined;
  const metrics = new Registry();

  beforeAll(async () => {
    influx = await startInfluxd();
    await influx.query('CREATE DATABASE mon');
    db = await openExportTestDatabase(backend);
    ({ store, samples } = db);
  });
  afterAll(async () => {
    await exporter?.stop();
    await db?.close();
    await influx?.dispose();
  });

  const t0 = Math.floor(Date.now() / 1000) * 1000 - 2 * 3_600_000;
  // One second apart (the repository keeps seconds), a value that names its sample.
  const sample = (i: number): SampleInput => ({ node: `wn${i % 3}`, metric: 'load.load1', time: new Date(t0 + i * 1000), value: i + 0.25, source: 'test' });
  const insert = (from: number, to: number) => samples.insertSamples(Array.from({ length: to - from }, (_, k) => sample(from + k)));
  const countInInflux = async () => {
    const r = await influx.query('SELECT count(load1) FROM "load"', 'mon').catch(() => undefined);
    return Number(r?.results[0]?.series?.[0]?.values[0]?.[1] ?? 0);
  };
  const lag = async () => (await metrics.getSingleMetric('appliance_influx_export_lag_seconds')!.get()).values[0]?.value ?? 0;
  const written = async () => (await metrics.getSingleMetric('appliance_influx_export_written_total')!.get()).values.reduce((n, v) => n + v.value, 0);

  it('writes everything inserted while InfluxDB was down once it is back, each sample once', async () => {
    exporter = createInfluxExport({
      feed: samples,
      store,
      metrics,
      settings: [{
        ...defaultExportSettings('outage', influx.url), mode: 'v1', database: 'mon', batchSize: 50, pollIntervalMs: 20, minRetryDelayMs: 50, maxRetryDelayMs: 200, timeoutMs: 2000,
      }],
    });
    await exporter.start();

    await insert(0, 100);
    await until('the first 100 in InfluxDB', async () => (await countInInflux()) === 100);

    // Mid-stream: samples keep arriving while the server goes away and stays away.
    const whileStopping = insert(100, 200);
    await influx.stop();
    await whileStopping;
    for (let from = 200; from < 500; from += 100) {
      await insert(from, from + 100);
      await new Promise((r) => setTimeout(r, 100));
    }
    const failedText = await metrics.metrics();
    expect(failedText).toMatch(/appliance_influx_export_failed_total\{export="outage",reason="retry"\} [1-9]/);
    await until('the lag to show the outage', async () => (await lag()) > 0);

    await influx.start();
    await insert(500, TOTAL);
    await until(`all ${TOTAL} in InfluxDB`, async () => (await countInInflux()) === TOTAL);

    const rows = (await influx.query('SELECT host, load1 FROM "load"', 'mon')).results[0]!.series![0]!.values;
    expect(rows).toHaveLength(TOTAL);
    expect(rows.map(([time, host, value]) => [time, host, value])).toEqual(
      Array.from({ length: TOTAL }, (_, i) => [t0 + i * 1000, `wn${i % 3}`, i + 0.25]),
    );
    // Each line was acknowledged once: none was sent again after the server took it.
    await until('the export to count its last batch', async () => (await written()) >= TOTAL);
    expect(await written()).toBe(TOTAL);
    await until('the lag to clear', async () => (await lag()) === 0);
  });
});

/**
 * One appliance's sample path in a process of its own, for the two-appliance export suite: the collector's repository
 * and the InfluxDB export on a shared store. It inserts CHUNK samples every 50 ms (node `<OWNER>-wn<i%4>`) up to
 * COUNT, and on SIGTERM stops both and prints `final inserted=N written=M`.
 * Env: EXPORT_STORE (StoreConnection JSON), EXPORT_INFLUX_URL, EXPORT_OWNER, EXPORT_COUNT, EXPORT_CHUNK, EXPORT_T0.
 */
import { Registry } from 'prom-client';
import { createInfluxExport, defaultExportSettings } from '../../collector/influx-export/index.js';
import { openStore, type StoreConnection } from '../../store/index.js';
import { openTestRepository } from './collector-influx-repository.js';

const env = (name: string) => {
  const v = process.env[name];
  if (v === undefined) throw new Error(`${name} is not set`);
  return v;
};
const owner = env('EXPORT_OWNER');
const count = Number(env('EXPORT_COUNT'));
const chunk = Number(env('EXPORT_CHUNK'));
const t0 = Number(env('EXPORT_T0'));
const store = openStore(JSON.parse(env('EXPORT_STORE')) as StoreConnection);
const repo = await openTestRepository(store);
const metrics = new Registry();
const exporter = createInfluxExport({
  feed: repo.repository, store, owner, metrics,
  settings: [{
    ...defaultExportSettings('shared', env('EXPORT_INFLUX_URL')), mode: 'v1', database: 'mon',
    batchSize: 100, pollIntervalMs: 50, timeoutMs: 2000, leaseMs: 4000, minRetryDelayMs: 50, maxRetryDelayMs: 500,
  }],
});
await exporter.start();
const sum = async (name: string) => (await metrics.getSingleMetric(name)!.get()).values.reduce((n, v) => n + v.value, 0);

let inserted = 0;
let stopping = false;
const inserting = (async () => {
  while (!stopping && inserted < count) {
    const n = Math.min(chunk, count - inserted);
    const batch = Array.from({ length: n }, (_, k) => {
      const i = inserted + k;
      return { node: `${owner}-wn${i % 4}`, metric: 'load.load1', time: new Date(t0 + i * 1000), value: i, source: 'test' };
    });
    await repo.repository.insertSamples(batch);
    inserted += n;
    exporter.poke();
    await new Promise((r) => setTimeout(r, 50));
  }
  process.stdout.write(`inserted all ${inserted}\n`);
})();

process.once('SIGTERM', () => {
  stopping = true;
  void (async () => {
    await inserting;
    await exporter.stop();
    await repo.stop();
    await store.close();
    process.stdout.write(`final inserted=${inserted} written=${await sum('appliance_influx_export_written_total')}\n`);
    process.exit(0);
  })();
});
process.stdout.write(`started holding=${await sum('appliance_influx_export_holding')}\n`);

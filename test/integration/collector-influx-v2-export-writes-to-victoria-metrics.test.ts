/** The v2 export against Debian's VictoriaMetrics (`/api/v2/write`): the series read back from `/api/v1/export`. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInfluxExport, defaultExportSettings, type InfluxExport } from '../../collector/influx-export/index.js';
import type { Store } from '../../store/index.js';
import { installed, startVictoriaMetrics, VICTORIA_METRICS, type ExportedSeries, type VictoriaMetrics } from '../support/influx.js';
import { serviceMissing } from '../support/services.js';
import { sqliteBackend } from '../support/stores.js';
import { openExportTestDatabase, type ExportTestDatabase } from './collector-influx-repository.js';

const available = installed(VICTORIA_METRICS);
if (!available) serviceMissing('VictoriaMetrics', `${VICTORIA_METRICS} is missing: apt-get install -y victoria-metrics`);

describe.skipIf(!available)('the v2 export writes to VictoriaMetrics', () => {
  let vm: VictoriaMetrics;
  let db: ExportTestDatabase;
  let store: Store;
  let samples: ExportTestDatabase['samples'];
  let exporter: InfluxExport | undefined;

  beforeAll(async () => {
    vm = await startVictoriaMetrics();
    db = await openExportTestDatabase(sqliteBackend);
    ({ store, samples } = db);
  });
  afterAll(async () => {
    await exporter?.stop();
    await db?.close();
    await vm?.dispose();
  });

  it('writes the selected samples as measurement_field series with host and tags', async () => {
    const t0 = Math.floor(Date.now() / 1000) * 1000 - 600_000;
    await samples.insertSamples([
      { node: 'wn01', metric: 'load.load1', time: new Date(t0), value: 0.5, source: 'sensor' },
      { node: 'wn01', metric: 'load.load1', time: new Date(t0 + 1000), value: 0.75, source: 'sensor' },
      { node: 'wn02', metric: 'load.load5', time: new Date(t0), value: 1.5, source: 'sensor' },
      { node: 'wn01', metric: 'cpu.usage_idle', time: new Date(t0), value: 97.5, source: 'line-protocol', tags: { cpu: 'cpu0' } },
      { node: 'wn01', metric: 'mem.used', time: new Date(t0), value: 1, source: 'line-protocol' },
    ]);
    exporter = createInfluxExport({
      feed: samples,
      store,
      settings: [{ ...defaultExportSettings('vm', vm.url), mode: 'v2', org: '', bucket: 'mon', pollIntervalMs: 50, metrics: ['load.*', 'cpu.*'] }],
    });
    await exporter.start();

    const series = async () => (await vm.exportSeries('{__name__=~"load_.*|cpu_.*|mem_.*"}')).sort((a, b) => JSON.stringify(a.metric).localeCompare(JSON.stringify(b.metric)));
    let found: ExportedSeries[] = [];
    const deadline = Date.now() + 10_000;
    while (found.reduce((n, s) => n + s.values.length, 0) < 4 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      found = await series();
    }
    expect(found).toEqual([
      { metric: { __name__: 'cpu_usage_idle', cpu: 'cpu0', host: 'wn01' }, values: [97.5], timestamps: [t0] },
      { metric: { __name__: 'load_load1', host: 'wn01' }, values: [0.5, 0.75], timestamps: [t0, t0 + 1000] },
      { metric: { __name__: 'load_load5', host: 'wn02' }, values: [1.5], timestamps: [t0] },
    ]);
  });
});

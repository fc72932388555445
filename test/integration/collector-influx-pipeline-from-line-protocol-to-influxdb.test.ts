/**
 * The whole path of DESIGN.md's data flow for agents: a client writes line protocol to the appliance's `/write`, the
 * samples land in the collector's repository, and the export writes them to Debian's InfluxDB 1.6.7 as they came in.
 */
import { InfluxDB, Point } from '@influxdata/influxdb-client';
import express from 'express';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInfluxExport, defaultExportSettings, influxExportMigrations, type InfluxExport } from '../../collector/influx-export/index.js';
import { cursorMigrations } from '../../queue/index.js';
import { createLineProtocolRouter } from '../../collector/line-protocol/index.js';
import type { Store } from '../../store/index.js';
import { INFLUXD, installed, startInfluxd, type Influxd } from '../support/influx.js';
import { serviceMissing } from '../support/services.js';
import { sqliteBackend } from '../support/stores.js';
import { openTestRepository, type TestRepository } from './collector-influx-repository.js';

const available = installed(INFLUXD);
if (!available) serviceMissing('InfluxDB', `${INFLUXD} is missing: apt-get install -y influxdb`);

describe.skipIf(!available)('line protocol in, InfluxDB out', () => {
  let influx: Influxd;
  let store: Store;
  let dispose: () => Promise<void>;
  let repo: TestRepository;
  let exporter: InfluxExport;
  let server: Server;
  let url = '';

  beforeAll(async () => {
    influx = await startInfluxd();
    await influx.query('CREATE DATABASE grafana');
    const db = await sqliteBackend.create();
    dispose = db.dispose;
    store = db.open();
    await store.migrate([...cursorMigrations, ...influxExportMigrations]);
    repo = await openTestRepository(store);
    const app = express();
    app.use(createLineProtocolRouter({ sink: repo.repository }));
    server = await new Promise((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    const address = server.address();
    url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    exporter = createInfluxExport({
      feed: repo.repository,
      store,
      settings: [{ ...defaultExportSettings('grafana', influx.url), mode: 'v1', database: 'grafana', pollIntervalMs: 50 }],
    });
    await exporter.start();
  });
  afterAll(async () => {
    await exporter?.stop();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await repo?.stop();
    await store?.close();
    await dispose?.();
    await influx?.dispose();
  });

  it('delivers what an agent wrote to the appliance into InfluxDB, series by series', async () => {
    const t = Math.floor(Date.now() / 1000) - 600;
    const agent = new InfluxDB({ url }).getWriteApi('', 'telegraf', 's');
    agent.path = '/write?db=telegraf&precision=s';
    agent.writePoints([
      new Point('cpu').tag('host', 'wn01').tag('cpu', 'cpu-total').floatField('usage_idle', 97.5).floatField('usage_user', 1.5).timestamp(t),
      new Point('cpu').tag('host', 'wn02').tag('cpu', 'cpu-total').floatField('usage_idle', 50).floatField('usage_user', 45).timestamp(t),
      new Point('system').tag('host', 'wn01').intField('uptime', 3600).timestamp(t + 1),
    ]);
    await agent.close();

    const rows = async () => (await influx.query('SELECT * FROM cpu', 'grafana')).results[0]?.series?.[0]?.values ?? [];
    const deadline = Date.now() + 10_000;
    while ((await rows()).length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const cpu = (await influx.query('SELECT * FROM cpu', 'grafana')).results[0]!.series![0]!;
    expect(cpu.columns).toEqual(['time', 'cpu', 'host', 'usage_idle', 'usage_user']);
    expect(cpu.values.map((v) => JSON.stringify(v)).sort()).toEqual([
      [t * 1000, 'cpu-total', 'wn01', 97.5, 1.5],
      [t * 1000, 'cpu-total', 'wn02', 50, 45],
    ].map((v) => JSON.stringify(v)).sort());
    const system = (await influx.query('SELECT host, uptime FROM system', 'grafana')).results[0]!.series![0]!;
    expect(system.values).toEqual([[(t + 1) * 1000, 'wn01', 3600]]);
  });
});

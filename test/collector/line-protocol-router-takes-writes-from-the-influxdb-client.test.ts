/** `@influxdata/influxdb-client` writing to the appliance as it would to InfluxDB: v2 by default, v1 through its path, gzip above 1 KB. */
import { InfluxDB, Point } from '@influxdata/influxdb-client';
import express from 'express';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SampleInput } from '../../collector/index.js';
import { createLineProtocolRouter } from '../../collector/line-protocol/index.js';

const stored: SampleInput[] = [];
let server: Server;
let url = '';
const encodings: string[] = [];

beforeAll(async () => {
  const app = express();
  app.use((req, _res, next) => {
    encodings.push(req.headers['content-encoding'] ?? 'identity');
    next();
  });
  app.use(createLineProtocolRouter({ sink: { insertSamples: async (s) => void stored.push(...s) } }));
  server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const address = server.address();
  url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('writes from @influxdata/influxdb-client', () => {
  it('stores points written through /api/v2/write, gzipped when large', async () => {
    stored.splice(0);
    const api = new InfluxDB({ url, token: 'ignored' }).getWriteApi('site', 'mon', 'ms');
    const t = Date.UTC(2024, 4, 1, 12);
    api.writePoints(Array.from({ length: 50 }, (_, i) => new Point('cpu').tag('host', `wn${i}`).tag('cpu', 'cpu-total').floatField('usage_idle', 90 + i / 10).intField('n', i).timestamp(new Date(t + i))));
    await api.close();
    expect(encodings.pop()).toBe('gzip');
    expect(stored).toHaveLength(100);
    expect(stored[0]).toEqual({ node: 'wn0', metric: 'cpu.n', time: new Date(t), value: 0, source: 'line-protocol', tags: { cpu: 'cpu-total' } });
    expect(stored[99]).toEqual({ node: 'wn49', metric: 'cpu.usage_idle', time: new Date(t + 49), value: 94.9, source: 'line-protocol', tags: { cpu: 'cpu-total' } });
  });

  it('stores points written through the v1 path', async () => {
    stored.splice(0);
    const api = new InfluxDB({ url }).getWriteApi('', 'mon', 's');
    api.path = '/write?db=mon&rp=autogen&precision=s';
    api.writePoint(new Point('mem').tag('host', 'wn1').stringField('state', 'ok, "fine"').booleanField('up', true).timestamp(1714564800));
    await api.close();
    expect(stored).toEqual([
      { node: 'wn1', metric: 'mem.state', time: new Date(1714564800_000), value: 0, source: 'line-protocol', summary: 'ok, "fine"' },
      { node: 'wn1', metric: 'mem.up', time: new Date(1714564800_000), value: 1, source: 'line-protocol' },
    ]);
  });
});

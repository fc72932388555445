/** `POST /write` and `POST /api/v2/write`: samples from fields, gzip bodies, 204, and InfluxDB's error bodies naming the line. */
import express, { type RequestHandler } from 'express';
import type { Server } from 'node:http';
import { gzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SampleInput } from '../../collector/index.js';
import { createLineProtocolRouter, STRING_FIELD_VALUE } from '../../collector/line-protocol/index.js';
import { AppError } from '../../common/index.js';

const NOW = new Date('2024-05-01T12:00:00.000Z');
const stored: SampleInput[] = [];
let url = '';
let server: Server;

// Lets a request through only with the right header: stands for the appliance's write authentication.
const gate: { write: RequestHandler } = {
  write: (req, res, next) => (req.headers.authorization === 'Token secret' ? next() : void res.status(401).json({ error: 'unauthorized' })),
};

beforeAll(async () => {
  const app = express();
  app.use(createLineProtocolRouter({
    sink: {
      insertSamples: async (samples) => {
        // Stands for the repository's reject policy: an undeclared metric is the client's error.
        const bad = samples.find((s) => s.metric.startsWith('undeclared.'));
        if (bad) throw new AppError('bad_request', `metric "${bad.metric}" is not declared`);
        stored.push(...samples);
      },
    },
    gate,
    limits: { maxBodyBytes: 10_000, maxLines: 5 },
    clock: () => NOW,
  }));
  server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const address = server.address();
  url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
afterEach(() => void stored.splice(0));

const post = (path: string, body: string | Buffer, headers: Record<string, string> = {}) =>
  fetch(url + path, { method: 'POST', body: typeof body === 'string' ? body : new Uint8Array(body), headers: { authorization: 'Token secret', 'content-type': 'text/plain; charset=utf-8', ...headers } });

describe('line protocol writes', () => {
  it('stores one sample per field on /write: metric measurement.field, node the host tag, other tags kept', async () => {
    const res = await post('/write?db=telegraf&precision=s', 'cpu,host=node1,cpu=cpu0 usage_idle=97.5,usage_user=1.25 1714564800\nsystem,host=node2 uptime=3600i,load1=0.5 1714564801');
    expect(res.status).toBe(204);
    expect(stored).toEqual([
      { node: 'node1', metric: 'cpu.usage_idle', time: new Date('2024-05-01T12:00:00Z'), value: 97.5, source: 'line-protocol', tags: { cpu: 'cpu0' } },
      { node: 'node1', metric: 'cpu.usage_user', time: new Date('2024-05-01T12:00:00Z'), value: 1.25, source: 'line-protocol', tags: { cpu: 'cpu0' } },
      { node: 'node2', metric: 'system.uptime', time: new Date('2024-05-01T12:00:01Z'), value: 3600, source: 'line-protocol' },
      { node: 'node2', metric: 'system.load1', time: new Date('2024-05-01T12:00:01Z'), value: 0.5, source: 'line-protocol' },
    ]);
  });

  it('stores on /api/v2/write with ns timestamps by default, booleans as 1/0, strings as the summary', async () => {
    const res = await post('/api/v2/write?org=site&bucket=mon', 'svc,host=n ok=t,down=F,state="degraded: disk \\"sda\\"" 1714564800123456789');
    expect(res.status).toBe(204);
    expect(stored.map((s) => [s.metric, s.value, s.summary, s.time.toISOString()])).toEqual([
      ['svc.ok', 1, undefined, '2024-05-01T12:00:00.123Z'],
      ['svc.down', 0, undefined, '2024-05-01T12:00:00.123Z'],
      ['svc.state', STRING_FIELD_VALUE, 'degraded: disk "sda"', '2024-05-01T12:00:00.123Z'],
    ]);
  });

  it('uses the server time for points without a timestamp and the sender address for points without host', async () => {
    expect((await post('/write?db=x', 'mem used=1')).status).toBe(204);
    expect(stored).toEqual([{ node: '127.0.0.1', metric: 'mem.used', time: NOW, value: 1, source: 'line-protocol' }]);
  });

  it('unpacks gzip bodies', async () => {
    const res = await post('/api/v2/write?bucket=b&precision=ms', gzipSync('disk,host=h free=10i 1714564800000\n'), { 'content-encoding': 'gzip' });
    expect(res.status).toBe(204);
    expect(stored).toMatchObject([{ node: 'h', metric: 'disk.free', value: 10, time: new Date('2024-05-01T12:00:00Z') }]);
  });

  it('reads every v1 precision and refuses the v1-only ones on v2', async () => {
    expect((await post('/write?db=x&precision=h', 'm,host=h v=1 1')).status).toBe(204);
    expect(stored[0]!.time).toEqual(new Date(3_600_000));
    const res = await post('/api/v2/write?bucket=b&precision=h', 'm v=1 1');
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ code: 'invalid', message: 'invalid precision "h"; use one of ns, us, ms, s' });
  });
});

describe('refused writes', () => {
  it('answers 400 naming the bad line on v1, storing nothing of the request', async () => {
    const res = await post('/write?db=x', 'cpu v=1\ncpu v=2\ncpu v=oops\ncpu v=4');
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: `failed to parse line protocol: error parsing line 3 (1-based): unable to parse 'cpu v=oops': invalid field value for field "v": oops (floats as 1.5, integers 1i, unsigned 1u, strings "quoted", booleans t/f)`,
      line: 3,
    });
    expect(stored).toEqual([]);
  });

  it('answers 400 in the v2 shape naming the bad line', async () => {
    const res = await post('/api/v2/write?bucket=b', 'cpu v=1\n\ncpu,host v=1');
    expect(res.status).toBe(400);
    const body = (await res.json()) as { code: string; message: string; line: number };
    expect(body.code).toBe('invalid');
    expect(body.message).toMatch(/^failed to parse line protocol: error parsing line 3 \(1-based\): unable to parse 'cpu,host v=1': missing tag value/);
    expect(body.line).toBe(3);
  });

  it('requires db on v1 and bucket on v2, as InfluxDB does', async () => {
    expect(await (await post('/write', 'm v=1')).json()).toEqual({ error: 'database is required' });
    expect(await (await post('/api/v2/write?org=o', 'm v=1')).json()).toEqual({ code: 'invalid', message: 'bucket not specified' });
  });

  it('refuses bodies over the byte limit, also once unpacked, and requests over the line limit, naming the limit', async () => {
    const big = await post('/write?db=x', `m v=1\n`.repeat(2000));
    expect(big.status).toBe(413);
    expect(await big.json()).toMatchObject({ limit: 10_000 });
    const bomb = await post('/api/v2/write?bucket=b', gzipSync(`m v=1\n`.repeat(2000)), { 'content-encoding': 'gzip' });
    expect(bomb.status).toBe(413);
    expect(await bomb.json()).toMatchObject({ code: 'request too large', limit: 10_000 });
    const many = await post('/write?db=x', `m v=1\n`.repeat(6));
    expect(many.status).toBe(413);
    expect(await many.json()).toEqual({ error: 'the body has more than 5 lines; send at most 5 lines per request', limit: 5 });
    expect(stored).toEqual([]);
  });

  it('refuses a corrupt gzip body and an unknown encoding', async () => {
    const corrupt = await post('/write?db=x', Buffer.from('not gzip at all'), { 'content-encoding': 'gzip' });
    expect(corrupt.status).toBe(400);
    expect(await corrupt.json()).toMatchObject({ error: expect.stringMatching(/gzip body cannot be unpacked/) as unknown });
    expect((await post('/write?db=x', 'm v=1', { 'content-encoding': 'br' })).status).toBe(415);
  });

  it('passes a refusal of the repository on in InfluxDB\'s shape', async () => {
    const res = await post('/api/v2/write?bucket=b', 'undeclared,host=h v=1');
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ code: 'invalid', message: 'metric "undeclared.v" is not declared' });
    expect(await (await post('/write?db=x', 'undeclared,host=h v=1')).json()).toEqual({ error: 'metric "undeclared.v" is not declared' });
  });

  it('puts the gate in front of both write routes', async () => {
    for (const path of ['/write?db=x', '/api/v2/write?bucket=b']) {
      expect((await post(path, 'm v=1', { authorization: 'Token wrong' })).status).toBe(401);
    }
    expect(stored).toEqual([]);
  });
});

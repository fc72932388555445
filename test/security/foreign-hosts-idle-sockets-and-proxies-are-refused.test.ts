/**
 * The real appliance refuses a request naming a foreign Host on every path (DNS rebinding), closes sockets that never
 * send a byte, caps connections per client, and turns anonymous loopback writes off once a proxy is configured.
 */
import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAppliance, type RunningAppliance } from '../../appliance.js';
import { copyShippedConfig } from '../support/config-dir.js';
import { removeTempDirs, tempDir } from '../support/temp-files.js';

let app: RunningAppliance;
let configDir: string;
let port = 0;

function setServerAttribute(name: string, value: string): void {
  const file = join(configDir, 'server.xml');
  const text = readFileSync(file, 'utf8').replace(new RegExp(`(<attribute name="${name}">)[^<]*(</attribute>)`), `$1 ${value} $2`);
  writeFileSync(file, text);
}

beforeAll(async () => {
  configDir = copyShippedConfig();
  setServerAttribute('server_names', 'appliance.example.org');
  setServerAttribute('headers_timeout_seconds', '1');
  setServerAttribute('max_connections_per_client', '5');
  app = await startAppliance(0, { configDir, dataDir: join(tempDir(), 'data'), seedDemo: false, env: {} });
  port = Number(new URL(app.url).port);
}, 120_000);

afterAll(async () => {
  await app?.stop();
  removeTempDirs();
});

/** A request with its own Host header (fetch does not let a caller set one), as a rebinding page's browser sends it. */
function send(method: string, path: string, host: string, body?: string, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers: { host, ...headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (c: string) => (text += c)).on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** A socket that never sends anything; resolves with what it received once the server closes it. */
function silentSocket(): { socket: Socket; closed: Promise<string> } {
  const socket = connect(port, '127.0.0.1');
  let received = '';
  socket.setEncoding('utf8').on('data', (c: string) => (received += c));
  return { socket, closed: new Promise((resolve) => socket.on('close', () => resolve(received))) };
}

describe('Host names', () => {
  it.each([['GET', '/healthz'], ['GET', '/'], ['POST', '/write?db=telegraf'], ['POST', '/api/v1/samples']])('%s %s with Host evil.example is 421 naming the setting', async (method, path) => {
    const res = await send(method, path, `evil.example:${port}`, method === 'POST' ? 'cpu,host=rebind usage_idle=1' : undefined, { 'content-type': 'text/plain' });
    expect(res.status).toBe(421);
    expect(res.text).toBe(`Host "evil.example" is not a name of this appliance; add it to server_names of the HttpServer class (config/server.xml)\n`);
  });

  it.each([['localhost'], ['127.0.0.1'], ['[::1]'], [hostname()], ['appliance.example.org'], ['APPLIANCE.example.org.']])('answers /healthz for Host %s', async (host) => {
    expect((await send('GET', '/healthz', `${host}:${port}`)).status).toBe(200);
  });
});

describe('connections', () => {
  it('closes a socket that never sends a byte after headers_timeout_seconds (within a generous bound)', async () => {
    const started = Date.now();
    const { closed } = silentSocket();
    const received = await closed;
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(received).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('answers the connection over max_connections_per_client with 503 and closes it; the others still work', async () => {
    const held = Array.from({ length: 5 }, () => silentSocket());
    await Promise.all(held.map((h) => new Promise((r) => h.socket.once('connect', r))));
    const extra = silentSocket();
    const received = await extra.closed;
    expect(received).toMatch(/^HTTP\/1\.1 503 Service Unavailable\r\n/);
    expect(received).toContain('too many open connections from 127.0.0.1 (max_connections_per_client 5)');
    for (const h of held) h.socket.destroy();
    await Promise.all(held.map((h) => h.closed));
    expect((await send('GET', '/healthz', 'localhost')).status).toBe(200);
  });
});

describe('the loopback exemption and a proxy', () => {
  it('is on as the shipped config says, and off once trust_proxy is set, as the start-up line says', async () => {
    expect(app.loopbackWrites()).toMatch(/^anonymous writes from loopback: on/);
    expect((await send('POST', '/write?db=telegraf', 'localhost', 'cpu,host=local usage_idle=1', { 'content-type': 'text/plain' })).status).toBe(204);

    setServerAttribute('trust_proxy', 'loopback');
    expect((await app.reload()).applied).toBe(true);
    expect(app.loopbackWrites()).toBe('anonymous writes from loopback: off (trust_proxy is set, so every client may arrive from loopback)');
    // A same-host proxy that does not forward the client's address: the request arrives from loopback, without X-Forwarded-For.
    expect((await send('POST', '/write?db=telegraf', 'localhost', 'cpu,host=proxied usage_idle=1', { 'content-type': 'text/plain' })).status).toBe(401);
  });
});

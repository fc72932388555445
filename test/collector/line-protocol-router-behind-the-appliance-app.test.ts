/**
 * The line-protocol router mounted in the appliance's own Express app (graph-server's createServer, the real access stage
 * and the collector's repository): the gate refuses anonymous writers, a token holder's text/plain body is stored, and a body
 * an earlier form parser consumed (curl's default Content-Type) is refused with the fix instead of stored wrong.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessMigrations, createAccess, usersClassType, type Access } from '../../access/index.js';
import { collectorMigrations, createCollector, defaultCollectorSettings, type Collector } from '../../collector/index.js';
import { createLineProtocolRouter } from '../../collector/line-protocol/index.js';
import { packageRoot, silentLogger } from '../../common/index.js';
import { createServer } from '../../graph-server/index.js';
import type { Store } from '../../store/index.js';
import { sqliteBackend } from '../support/stores.js';

describe('line protocol in the appliance app', () => {
  let store: Store;
  let dispose: () => Promise<void>;
  let collector: Collector;
  let access: Access;
  let server: Server;
  let url = '';

  beforeAll(async () => {
    const db = await sqliteBackend.create();
    dispose = db.dispose;
    store = db.open();
    await store.migrate([...accessMigrations, ...collectorMigrations]);
    access = createAccess({ store, settings: usersClassType.defaults() });
    const registry = new Registry();
    collector = createCollector({ store, access, registry, settings: defaultCollectorSettings(), cleanUpIntervalMs: 0 });
    // Writers need the operator role here (the appliance passes the collector's own write gate, which also lets loopback in).
    const gate = { write: access.requireRole('operator') };
    const app = createServer({
      logger: silentLogger, metrics: registry, access, viewsDir: join(packageRoot(), 'views'),
      health: async () => ({ status: 'ok' }), home: async () => [], reload: async () => ({ applied: true, issues: [] }),
      routers: [collector.router(), createLineProtocolRouter({ sink: collector.repository, gate })],
    });
    server = app.listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => server.once('listening', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await collector?.stop();
    server?.closeAllConnections();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await store?.close();
    await dispose?.();
  });

  it('refuses anonymous writes through the gate', async () => {
    const res = await fetch(`${url}/write?db=telegraf`, { method: 'POST', body: 'cpu,host=wn01 usage_idle=1', headers: { 'content-type': 'text/plain' } });
    expect(res.status).toBe(401);
  });

  it('stores a text/plain body from a writer with a token, and explains a form-encoded one instead of storing it wrong', async () => {
    const { token } = await access.tokens.create('telegraf', 'telegraf', 'operator');
    const headers = { authorization: `Bearer ${token}` };
    const ok = await fetch(`${url}/api/v2/write?bucket=telegraf&precision=s`, { method: 'POST', body: 'cpu,host=wn01 usage_idle=97.5 1714564800', headers: { ...headers, 'content-type': 'text/plain; charset=utf-8' } });
    expect(ok.status).toBe(204);
    const latest = await collector.repository.getLastSamples(['wn01'], ['cpu.usage_idle']);
    expect(latest).toMatchObject([{ node: 'wn01', metric: 'cpu.usage_idle', value: 97.5, time: new Date('2024-05-01T12:00:00Z'), source: 'line-protocol' }]);

    const form = await fetch(`${url}/write?db=telegraf`, { method: 'POST', body: 'cpu,host=wn02 usage_idle=1', headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' } });
    expect(form.status).toBe(415);
    expect(await form.json()).toEqual({ error: 'the body was already read as a form; send line protocol with Content-Type: text/plain' });
    expect(await collector.repository.getLastSamples(['wn02'], [])).toEqual([]);
  });
});

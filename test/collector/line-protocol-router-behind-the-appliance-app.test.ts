/**
 * The line-protocol router mounted in the appliance's own Express app (graph-server's createServer, the real access stage
 * and the collector's repository): the gate refuses anonymous writers, a token holder's text/plain body is stored, and a body
 * an earlier form parser consumed (curl's default Content-Type) is refused with the fix instead of stored wrong.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Access } from '../../access/index.js';
import type { Collector } from '../../collector/index.js';
import { createLineProtocolRouter } from '../../collector/line-protocol/index.js';
import { useFreshStore } from '../store/support/fresh-store.js';
import { sqliteBackend } from '../support/stores.js';
import { COLLECTOR_APP_MIGRATIONS, startCollectorApp, type CollectorApp } from './support/collector-app.js';

describe('line protocol in the appliance app', () => {
  const fresh = useFreshStore(sqliteBackend, { per: 'suite', migrations: COLLECTOR_APP_MIGRATIONS });
  let app: CollectorApp;
  let collector: Collector;
  let access: Access;
  let url = '';

  beforeAll(async () => {
    app = await startCollectorApp(fresh().store, {
      // The app's form parser runs on every path here, so the router meets a body it has already consumed.
      selfParsedPaths: [],
      // Writers need the operator role here (the appliance passes the collector's own write gate, which also lets loopback in).
      routers: ({ collector, access }) => [createLineProtocolRouter({ sink: collector.repository, gate: { write: access.requireRole('operator') } })],
    });
    ({ collector, access, url } = app);
  });
  afterAll(() => app?.close());

  it('refuses anonymous writes through the gate', async () => {
    const res = await fetch(`${url}/write?db=telegraf`, { method: 'POST', body: 'cpu,host=wn01 usage_idle=1', headers: { 'content-type': 'text/plain' } });
    expect(res.status).toBe(401);
  });

  it('stores a text/plain body from a writer with a token, and explains a form-encoded one instead of storing it wrong', async () => {
    const { token } = await access.tokens.create('telegraf', null, 'operator');
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

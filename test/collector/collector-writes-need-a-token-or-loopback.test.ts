/** Writes need a Basic user or API token with the write role; anonymous writes only from loopback when allowed; reads follow requireRead. */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { basic } from '../access/support/access-app.js';
import { PASSWORDS, standardSettings } from '../access/support/users-fixture.js';
import { useFreshStore } from '../store/support/fresh-store.js';
import { testBackends } from '../support/stores.js';
import { removeTempDirs } from '../support/temp-files.js';
import { COLLECTOR_APP_MIGRATIONS, post, startCollectorApp, wlcgRecord, type CollectorApp } from './support/collector-app.js';

afterAll(removeTempDirs);

describe.each(testBackends())('collector write authentication on $name', (backend) => {
  const fresh = useFreshStore(backend, { per: 'suite', migrations: COLLECTOR_APP_MIGRATIONS });
  let app: CollectorApp | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });
  const remote = { 'content-type': 'text/plain', 'x-forwarded-for': '203.0.113.7' };
  const sample = JSON.stringify([{ node: 'n', metric: 'm', value: 1 }]);

  it('anonymous writes from loopback pass by default; from another address they get 401 with the Basic challenge', async () => {
    app = await startCollectorApp(fresh().store, { access: standardSettings({ anonymousRead: true }) });
    expect((await post(app, '/rsv/records', wlcgRecord({ hostName: 'local.example' }))).status).toBe(200);
    const res = await post(app, '/rsv/records', wlcgRecord({ hostName: 'remote.example' }), remote);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Basic/);
    expect((await post(app, '/api/v1/samples', sample, { 'content-type': 'application/json', 'x-forwarded-for': '203.0.113.7' })).status).toBe(401);
  });

  it('with loopback writes turned off, only credentials with the write role write', async () => {
    app = await startCollectorApp(fresh().store, { access: standardSettings({ anonymousRead: true }), settings: { allowLoopbackWrites: false } });
    expect((await post(app, '/rsv/records', wlcgRecord())).status).toBe(401);
    // bob is an operator, carol a viewer.
    expect((await post(app, '/rsv/records', wlcgRecord({ hostName: 'b.example' }), { 'content-type': 'text/plain', authorization: basic('bob', PASSWORDS.bob) })).status).toBe(200);
    const viewer = await post(app, '/rsv/records', wlcgRecord(), { 'content-type': 'text/plain', authorization: basic('carol', PASSWORDS.carol) });
    expect(viewer.status).toBe(403);
    expect((await post(app, '/rsv/records', wlcgRecord(), { 'content-type': 'text/plain', authorization: basic('bob', 'wrong') })).status).toBe(401);
  });

  it('probe tokens (the access stage API tokens) write as Bearer from anywhere; a viewer token or a revoked one does not', async () => {
    app = await startCollectorApp(fresh().store, { access: standardSettings({ anonymousRead: true }) });
    const probe = await app.access.tokens.create('rsv probe', 'bob', 'operator');
    const viewer = await app.access.tokens.create('reader', 'carol', 'viewer');
    const ok = await post(app, '/rsv/records', wlcgRecord({ hostName: 'token.example' }), { ...remote, authorization: `Bearer ${probe.token}` });
    expect(ok.status).toBe(200);
    expect((await post(app, '/api/v1/samples', sample, { 'content-type': 'application/json', authorization: `Bearer ${probe.token}`, 'x-forwarded-for': '203.0.113.7' })).status).toBe(200);
    expect((await post(app, '/rsv/records', wlcgRecord(), { ...remote, authorization: `Bearer ${viewer.token}` })).status).toBe(403);
    await app.access.tokens.revoke(probe.id);
    expect((await post(app, '/rsv/records', wlcgRecord(), { ...remote, authorization: `Bearer ${probe.token}` })).status).toBe(401);
  });

  it("an API token sent as InfluxDB 2's `Authorization: Token T` (Telegraf's outputs.influxdb_v2) writes as Bearer does", async () => {
    app = await startCollectorApp(fresh().store, { access: standardSettings({ anonymousRead: true }) });
    const telegraf = await app.access.tokens.create('telegraf', 'bob', 'operator');
    expect((await post(app, '/api/v1/samples', sample, { 'content-type': 'application/json', authorization: `Token ${telegraf.token}`, 'x-forwarded-for': '203.0.113.7' })).status).toBe(200);
    expect((await post(app, '/rsv/records', wlcgRecord(), { ...remote, authorization: 'Token not-a-token' })).status).toBe(401);
  });

  it('reads follow the appliance setting: without anonymous read, the API and pages need a login', async () => {
    app = await startCollectorApp(fresh().store, { access: standardSettings({ anonymousRead: false }) });
    expect((await fetch(`${app.url}/api/v1/samples/latest`)).status).toBe(401);
    expect((await fetch(`${app.url}/rsv/`)).status).toBe(401);
    expect((await fetch(`${app.url}/api/v1/samples/latest`, { headers: { authorization: basic('carol', PASSWORDS.carol) } })).status).toBe(200);
  });
});

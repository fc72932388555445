/**
 * A web page the appliance's host opens is not a probe on the host: a browser's cross-site "simple" write gets no
 * anonymous loopback exemption on any of the four write endpoints, nor does a write a proxy relayed; scripts on the
 * host still write without credentials, and a browser write with a token still works.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLineProtocolRouter } from '../../collector/index.js';
import { basic } from '../access/support/access-app.js';
import { PASSWORDS, standardSettings } from '../access/support/users-fixture.js';
import { COLLECTOR_APP_MIGRATIONS, startCollectorApp, wlcgRecord, type CollectorApp } from '../collector/support/collector-app.js';
import { useFreshStore } from '../store/support/fresh-store.js';
import { sqliteBackend } from '../support/stores.js';
import { removeTempDirs } from '../support/temp-files.js';

afterAll(removeTempDirs);

/** What Chromium sends with `fetch(url, {method: 'POST', mode: 'no-cors', body})` from a page of https://evil.example. */
const CROSS_SITE = {
  'content-type': 'text/plain;charset=UTF-8',
  origin: 'https://evil.example',
  'sec-fetch-site': 'cross-site',
  'sec-fetch-mode': 'no-cors',
  'sec-fetch-dest': 'empty',
  'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
};

describe('anonymous loopback writes are for scripts on the host, not for web pages', () => {
  const fresh = useFreshStore(sqliteBackend, { per: 'suite', migrations: COLLECTOR_APP_MIGRATIONS });
  let app: CollectorApp;
  let n = 0;

  beforeAll(async () => {
    app = await startCollectorApp(fresh().store, {
      access: standardSettings({ anonymousRead: true }),
      routers: ({ collector }) => [createLineProtocolRouter({ sink: collector.repository, gate: { write: collector.writeGate() } })],
    });
  });
  afterAll(() => app?.close());

  /** A body for each endpoint that stores a sample on node `node`. */
  const writes = (node: string): [string, string][] => [
    ['/rsv/records', wlcgRecord({ hostName: node })],
    ['/api/v1/samples', JSON.stringify([{ node, metric: 'm', value: 1 }])],
    ['/write?db=telegraf', `cpu,host=${node} usage_idle=1`],
    ['/api/v2/write?bucket=telegraf', `cpu,host=${node} usage_idle=1`],
  ];
  const stored = async (node: string) => (await app.collector.repository.getLastSamples([node], [])).length;
  const send = (path: string, body: string, headers: Record<string, string>) => fetch(app.url + path, { method: 'POST', headers, body });

  it.each([
    ['a cross-site page', CROSS_SITE],
    ['a same-site page of another origin (localhost:3000)', { ...CROSS_SITE, origin: 'http://localhost:3000', 'sec-fetch-site': 'same-site' }],
    ['an opaque origin (sandboxed frame)', { ...CROSS_SITE, origin: 'null' }],
    ['an old browser that sends only Origin', { 'content-type': 'text/plain', origin: 'https://evil.example' }],
    ['a request relayed by a proxy on the host', { 'content-type': 'text/plain', 'x-forwarded-for': '127.0.0.1' }],
  ])('%s gets 401 on every write endpoint and stores nothing', async (_what, headers) => {
    for (const [path, body] of writes(`page${++n}.example`)) {
      const res = await send(path, body, headers);
      expect(res.status, path).toBe(401);
    }
    expect(await stored(`page${n}.example`)).toBe(0);
  });

  it('a script on the host (no browser headers) still writes anonymously on every endpoint', async () => {
    for (const [path, body] of writes('script.example')) {
      const res = await send(path, body, { 'content-type': path.startsWith('/api/v1') ? 'application/json' : 'text/plain' });
      expect(res.status, path).toBeLessThan(300);
    }
    // One latest sample per metric: the RSV metric, m, and cpu.usage_idle (both line-protocol writes).
    expect(await stored('script.example')).toBe(3);
  });

  it("the appliance's own pages (same origin) still write from the host", async () => {
    const res = await send('/api/v1/samples', JSON.stringify([{ node: 'own.example', metric: 'm', value: 1 }]), {
      ...CROSS_SITE, 'content-type': 'application/json', origin: app.url, 'sec-fetch-site': 'same-origin',
    });
    expect(res.status).toBeLessThan(300);
  });

  it('a cross-site write with real credentials: a Bearer token writes, a browser-replayed Basic login does not', async () => {
    const { token } = await app.access.tokens.create('probe', 'bob', 'operator');
    expect((await send('/write?db=telegraf', 'cpu,host=bearer.example usage_idle=1', { ...CROSS_SITE, authorization: `Bearer ${token}` })).status).toBe(204);
    expect((await send('/write?db=telegraf', 'cpu,host=basic.example usage_idle=1', { ...CROSS_SITE, authorization: basic('bob', PASSWORDS.bob) })).status).toBe(403);
    expect(await stored('basic.example')).toBe(0);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ALL_MIGRATIONS, startAppliance, type RunningAppliance } from '../../appliance.js';
import { usersFileLine } from '../../access/index.js';
import { copyShippedConfig } from '../support/config-dir.js';
import { removeTempDirs, tempDir } from '../support/temp-files.js';

let app: RunningAppliance;
let configDir: string;
let usersFile: string;
const logLines: string[] = [];
const logger = {
  debug: () => {},
  info: (m: string) => logLines.push(`INFO ${m}`),
  warn: (m: string) => logLines.push(`WARN ${m}`),
  error: (m: string) => logLines.push(`ERROR ${m}`),
};
const basic = (user: string, password: string) => ({ Authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` });

beforeAll(async () => {
  configDir = copyShippedConfig();
  const secrets = tempDir();
  usersFile = join(secrets, 'users');
  writeFileSync(usersFile, `${usersFileLine('admin', 'admin-secret')}\n${usersFileLine('reader', 'reader-secret')}\n`);
  app = await startAppliance(0, { configDir, dataDir: join(tempDir(), 'data'), usersFile, logger });
}, 120_000);

afterAll(async () => {
  await app?.stop();
  removeTempDirs();
});

describe('a new embedded appliance', () => {
  it('seeds demo data on first start and says so', async () => {
    expect(logLines.some((l) => /^INFO seeded demo data: \d+ job records and \d+ summary rows over 30 days$/.test(l))).toBe(true);
    const [row] = await app.store.query<{ n: number }>('SELECT count(*) AS n FROM MasterSummaryData');
    expect(row!.n).toBeGreaterThan(1000);
  });

  it('answers /healthz with status, store backend, schema version and uptime', async () => {
    const res = await fetch(new URL('healthz', app.url));
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ status: 'ok', store: { backend: 'sqlite' }, schemaVersion: { gratia: 2, access: 1, collector: 3, queue_cursors: 1, influx_export: 2 } });
    expect(typeof body.uptimeSeconds).toBe('number');
  });

  it('serves the home page and Prometheus metrics without login (anonymous read is the default)', async () => {
    const home = await fetch(app.url);
    expect(home.status).toBe(200);
    expect(await home.text()).toContain('<h1>Fabric Appliance</h1>');
    const metrics = await (await fetch(new URL('metrics', app.url))).text();
    expect(metrics).toMatch(/^appliance_http_requests_total\{method="GET",route="\/",status="200"\} \d+$/m);
    expect(metrics).toMatch(new RegExp(`^appliance_schema_migrations ${ALL_MIGRATIONS.length}$`, 'm'));
  });

  it('serves the Grafana datasource over the shipped queries, and JSON errors carry a top-level message', async () => {
    const health = await fetch(new URL('grafana/', app.url));
    expect(health.status).toBe(200);
    expect(((await health.json()) as { queries: number }).queries).toBeGreaterThan(20);
    const missing = await fetch(new URL('no-such-page', app.url));
    expect(await missing.json()).toEqual({ message: 'no page at /no-such-page', error: { code: 'not_found', message: 'no page at /no-such-page' } });
  });

  it('takes a probe record from loopback and shows it on the probe status page and in the latest samples', async () => {
    const record = [
      'metricName: org.osg.general.ping-host', 'metricType: status', `timestamp: ${new Date().toISOString().slice(0, 19)}Z`,
      'metricStatus: CRITICAL', 'serviceType: OSG-CE', 'serviceURI: ce.example.edu:2119', 'gatheredAt: rsv.example.edu',
      'summaryData: host unreachable', 'detailsData: no answer', 'EOT', '',
    ].join('\n');
    const res = await fetch(new URL('rsv/records', app.url), { method: 'POST', headers: { 'content-type': 'text/plain' }, body: record });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ accepted: 1 });
    const page = await (await fetch(new URL('rsv/', app.url))).text();
    expect(page).toContain('ce.example.edu');
    const latest = (await (await fetch(new URL('api/v1/samples/latest?node=ce.example.edu', app.url))).json()) as unknown;
    expect(JSON.stringify(latest)).toContain('org.osg.general.ping-host');
  });

  it('takes InfluxDB line protocol from loopback (Telegraf) as samples, and names a bad line', async () => {
    const ok = await fetch(new URL('write?db=telegraf&precision=s', app.url), {
      method: 'POST', headers: { 'content-type': 'text/plain' }, body: `load,host=wn01.example.edu load1=0.64,load5=0.5 ${Math.floor(Date.now() / 1000)}\n`,
    });
    expect(ok.status).toBe(204);
    const latest = JSON.stringify(await (await fetch(new URL('api/v1/samples/latest?node=wn01.example.edu', app.url))).json());
    expect(latest).toContain('load.load1');
    const bad = await fetch(new URL('write?db=telegraf', app.url), { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'ok value=1\nbroken\n' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toMatch(/line 2/);
  });

  it('a second appliance on a port in use fails with one clear error and releases its store', async () => {
    const port = Number(new URL(app.url).port);
    const dataDir = join(tempDir(), 'second');
    await expect(startAppliance(port, { configDir, dataDir, seedDemo: false })).rejects.toThrow(`port ${port} is in use; pass another --port`);
    // The failed start closed its store: the same data directory opens again at once.
    const again = await startAppliance(0, { configDir, dataDir, seedDemo: false });
    await again.stop();
  });

  it('needs the admin role to reload', async () => {
    expect((await fetch(new URL('api/v1/admin/reload', app.url), { method: 'POST' })).status).toBe(401);
    expect((await fetch(new URL('api/v1/admin/reload', app.url), { method: 'POST', headers: basic('reader', 'reader-secret') })).status).toBe(403);
    const ok = await fetch(new URL('api/v1/admin/reload', app.url), { method: 'POST', headers: basic('admin', 'admin-secret') });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { applied: boolean }).applied).toBe(true);
  });

  it('rejects a reload with a broken file, reports every error with its place, and keeps running the old config', async () => {
    writeFileSync(join(configDir, 'broken.xml'), '<graphtool-config>\n  <class type="NoSuchType" name="X"/>\n  <class type="Users" name="Y">\n');
    const res = await fetch(new URL('api/v1/admin/reload', app.url), { method: 'POST', headers: basic('admin', 'admin-secret') });
    expect(res.status).toBe(422);
    const body = (await res.json()) as { applied: boolean; issues: string[] };
    expect(body.applied).toBe(false);
    expect(body.issues).toEqual([expect.stringMatching(/broken\.xml:3:3: malformed XML: <graphtool-config>, <class> not closed before the end of the file$/)]);
    expect((await fetch(new URL('healthz', app.url))).status).toBe(200);
    expect((await fetch(app.url, { headers: basic('admin', 'admin-secret') })).status).toBe(200);
  });

  it('rejects a reload whose users file is broken, and the old users still log in', async () => {
    writeFileSync(join(configDir, 'broken.xml'), '<graphtool-config/>\n');
    appendFileSync(usersFile, 'not a valid line\n');
    const res = await fetch(new URL('api/v1/admin/reload', app.url), { method: 'POST', headers: basic('admin', 'admin-secret') });
    expect(res.status).toBe(422);
    expect(((await res.json()) as { issues: string[] }).issues[0]).toMatch(/users:3:\d+: /);
    const still = await fetch(new URL('api/v1/admin/reload', app.url), { method: 'POST', headers: basic('reader', 'reader-secret') });
    expect(still.status).toBe(403);
  });
});

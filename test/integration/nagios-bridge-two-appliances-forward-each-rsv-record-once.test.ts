/**
 * Two appliance processes on one MariaDB, both forwarding RSV records into one real Nagios 4: only the holder of the
 * `nagios:rsv` cursor's lease forwards (records POSTed to the other are forwarded by the holder); `kill -9` of the
 * holder hands the cursor to the other after the lease expires; every record is queued and shown once, in order.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usersFileLine } from '../../access/index.js';
import { ALL_MIGRATIONS } from '../../appliance.js';
import { RSV_CURSOR } from '../../nagios-bridge/index.js';
import { createCursors } from '../../queue/index.js';
import type { Store } from '../../store/index.js';
import { startApplianceProcess, type ApplianceProcess } from '../support/appliance-process.js';
import { copyShippedConfig } from '../support/config-dir.js';
import { createNagios, nagiosAvailable, until, type NagiosInstance } from '../support/nagios.js';
import { mysqlUrlOf, testBackends, type TestBackend } from '../support/stores.js';
import { removeTempDirs, tempDir } from '../support/temp-files.js';

const mysql = testBackends().find((b) => b.name === 'mysql');
const HOST = 'rsv-central.example.edu';
const SERVICES = ['org.osg.two.a', 'org.osg.two.b'];
const PER_ROUND = 10;
const operator = { Authorization: `Basic ${Buffer.from('operator:op-secret').toString('base64')}` };
const t0 = Math.floor(Date.now() / 1000) - 3600;

/** A fixed host, as RSV_HOST; a 2 s lease so the takeover is quick. */
const BRIDGE_XML = `<graphtool-config>
<class type="NagiosBridge" name="nagios">
  <attribute name="forward_rsv_records">true</attribute>
  <attribute name="rsv_host">${HOST}</attribute>
  <attribute name="rsv_lease">2s</attribute>
  <attribute name="retry_min">100ms</attribute>
  <attribute name="retry_max">500ms</attribute>
</class>
</graphtool-config>
`;

const iso = (epoch: number) => new Date(epoch * 1000).toISOString().replace('.000Z', 'Z');
const records = (from: number) =>
  Array.from({ length: PER_ROUND }, (_, k) => from + k).flatMap((n) => SERVICES.map((s) =>
    `metricName: ${s}\nmetricType: status\ntimestamp: ${iso(t0 + n)}\nmetricStatus: CRITICAL\nserviceType: OSG-CE\nhostName: ce${n}.example.edu\nsummaryData: CRITICAL\ndetailsData: n=${n}\nEOT\n`)).join('');
const post = (app: ApplianceProcess, body: string) => fetch(`${app.url}rsv/records`, { method: 'POST', headers: { ...operator, 'Content-Type': 'text/plain' }, body });
const metricsOf = async (app: ApplianceProcess) => (await fetch(`${app.url}metrics`)).text();
const loggedOrder = (nagios: NagiosInstance, service: string) =>
  [...nagios.log().matchAll(new RegExp(`EXTERNAL COMMAND: PROCESS_SERVICE_CHECK_RESULT;${HOST.replace(/\./g, '\\.')};${service.replace(/\./g, '\\.')};2;n=(\\d+)`, 'g'))].map((m) => Number(m[1]));

describe.runIf(mysql && nagiosAvailable())('two appliances forwarding RSV records from one MariaDB', () => {
  let nagios: NagiosInstance;
  let db: Awaited<ReturnType<TestBackend['create']>>;
  let store: Store;
  const apps: ApplianceProcess[] = [];
  let start: () => Promise<ApplianceProcess>;

  beforeAll(async () => {
    nagios = createNagios({ [HOST]: SERVICES });
    await nagios.start();
    db = await mysql!.create();
    store = db.open();
    await store.migrate(ALL_MIGRATIONS);
    const usersFile = join(tempDir(), 'users');
    writeFileSync(usersFile, `${usersFileLine('operator', 'op-secret')}\n`);
    const configDir = copyShippedConfig();
    writeFileSync(join(configDir, 'nagios_bridge.xml'), BRIDGE_XML);
    start = async () => {
      const app = await startApplianceProcess({ dataDir: tempDir(), args: ['--config', configDir, '--users', usersFile, '--db', mysqlUrlOf(db.connection), '--nagios-command-file', nagios.commandFile] });
      apps.push(app);
      return app;
    };
  }, 90_000);

  afterAll(async () => {
    // Settled, not all: one failed stop must not leave Nagios or the database behind.
    await Promise.allSettled(apps.map((a) => a.stop()));
    await store?.close();
    await db?.dispose();
    await nagios?.dispose();
    removeTempDirs();
  });

  const holder = async () => (await createCursors(store).read(RSV_CURSOR))?.owner;
  const shown = (n: number) => () => SERVICES.every((s) => nagios.service(HOST, s)?.last_check === String(t0 + n));

  it('forwards from the lease holder only, hands over after a kill -9, and delivers each record once', { timeout: 150_000 }, async () => {
    const a = await start();
    for (let i = 0; i < 200 && (await holder()) === undefined; i++) await new Promise((r) => setTimeout(r, 50));
    expect(await holder()).toMatch(new RegExp(`:${a.child.pid}$`));
    const b = await start();

    // Records stored through b are forwarded by a, the holder; b stands by.
    expect((await post(b, records(0))).status, b.log()).toBe(200);
    await until(shown(PER_ROUND - 1), 'the first round in status.dat', 30_000);
    expect(await holder()).toMatch(new RegExp(`:${a.child.pid}$`));
    expect(await metricsOf(a)).toContain(`appliance_nagios_rsv_records_total{outcome="queued"} ${PER_ROUND * SERVICES.length}`);
    const standby = await metricsOf(b);
    expect(standby).toContain('appliance_nagios_rsv_holding 0');
    expect(standby).not.toMatch(/appliance_nagios_rsv_records_total\{outcome="queued"\} [1-9]/);

    // The holder dies without releasing: b takes the cursor once the 2 s lease has run out, and forwards the rest.
    const exited = new Promise((done) => a.child.once('exit', done));
    a.child.kill('SIGKILL');
    await exited;
    apps.splice(apps.indexOf(a), 1);
    expect((await post(b, records(PER_ROUND))).status).toBe(200);
    await until(shown(2 * PER_ROUND - 1), 'the second round in status.dat', 60_000);
    expect(await holder()).toMatch(new RegExp(`:${b.child.pid}$`));
    expect(await metricsOf(b)).toContain(`appliance_nagios_rsv_records_total{outcome="queued"} ${PER_ROUND * SERVICES.length}`);

    for (const s of SERVICES) expect(loggedOrder(nagios, s), s).toEqual(Array.from({ length: 2 * PER_ROUND }, (_, i) => i));
    const [row] = await store.query<{ n: number | string; distinct_keys: number | string }>(
      "SELECT count(*) AS n, count(DISTINCT dedup_key) AS distinct_keys FROM queue_items WHERE queue = 'nagios:command-file'",
    );
    expect([Number(row!.n), Number(row!.distinct_keys)]).toEqual([2 * PER_ROUND * SERVICES.length, 2 * PER_ROUND * SERVICES.length]);
  });
});

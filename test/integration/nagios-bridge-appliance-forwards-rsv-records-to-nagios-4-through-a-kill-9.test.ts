/**
 * RSV records POSTed to `/rsv/records` of a real appliance process reach Debian's real Nagios 4 through the command
 * file, read back from status.dat with the record's own time as last_check; and a `kill -9` while the forwarder is
 * part-way through the records (the outbox full because Nagios is down) loses nothing and shows nothing twice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { usersFileLine } from '../../access/index.js';
import { openStore } from '../../store/index.js';
import { startApplianceProcess, type ApplianceProcess } from '../support/appliance-process.js';
import { copyShippedConfig } from '../support/config-dir.js';
import { createNagios, nagiosAvailable, until, type NagiosInstance } from '../support/nagios.js';
import { removeTempDirs, tempDir } from '../support/temp-files.js';

const HOST = 'osg-edu.cs.wisc.edu';
const SEQ = ['org.osg.seq.a', 'org.osg.seq.b', 'org.osg.seq.c'];
const COUNT = 40;
const operator = { Authorization: `Basic ${Buffer.from('operator:op-secret').toString('base64')}` };
const t0 = Math.floor(Date.now() / 1000) - 7200;

/** Forwarding on, hosts by serviceURI; a small outbox and batches, so the forwarder is caught part-way while Nagios is down. */
const BRIDGE_XML = `<graphtool-config>
<class type="NagiosBridge" name="nagios">
  <attribute name="forward_rsv_records">true</attribute>
  <attribute name="rsv_host_from">service_uri</attribute>
  <attribute name="max_queued">30</attribute>
  <attribute name="batch_size">5</attribute>
  <attribute name="retry_min">100ms</attribute>
  <attribute name="retry_max">500ms</attribute>
</class>
</graphtool-config>
`;

const iso = (epoch: number) => new Date(epoch * 1000).toISOString().replace('.000Z', 'Z');
const rsvRecord = (metric: string, time: number, status: string, details: string, extra = '') =>
  `metricName: ${metric}\nmetricType: status\ntimestamp: ${iso(time)}\nmetricStatus: ${status}\nserviceType: OSG-CE\nserviceURI: ${HOST}:2119\n` +
  `gatheredAt: rsv.example.edu\nsummaryData: ${status}\n${extra}detailsData: ${details}\nEOT\n`;

const post = (app: ApplianceProcess, body: string) => fetch(`${app.url}rsv/records`, { method: 'POST', headers: { ...operator, 'Content-Type': 'text/plain' }, body });
const metric = async (app: ApplianceProcess, name: string) => {
  const text = await (await fetch(`${app.url}metrics`)).text();
  const m = new RegExp(`^${name.replace(/[{}"]/g, '\\$&')} (\\S+)$`, 'm').exec(text);
  return m ? Number(m[1]) : undefined;
};
/** Polls an async condition (the appliance's /metrics) until it holds. */
async function poll(ok: () => Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
/** The `n` of each result Nagios processed for `service`, in the order it processed them. */
const loggedOrder = (nagios: NagiosInstance, service: string) =>
  [...nagios.log().matchAll(new RegExp(`EXTERNAL COMMAND: PROCESS_SERVICE_CHECK_RESULT;${HOST.replace(/\./g, '\\.')};${service.replace(/\./g, '\\.')};1;n=(\\d+)`, 'g'))].map((m) => Number(m[1]));

describe.runIf(nagiosAvailable())('RSV records from /rsv/records into a real Nagios 4', () => {
  let nagios: NagiosInstance;
  let app: ApplianceProcess | undefined;
  let configDir: string;
  let dataDir: string;
  let usersFile: string;
  const start = () => startApplianceProcess({ dataDir, args: ['--config', configDir, '--users', usersFile, '--nagios-command-file', nagios.commandFile] });

  beforeAll(async () => {
    nagios = createNagios({ [HOST]: ['org.osg.general.ping-host', ...SEQ] });
    await nagios.start();
    usersFile = join(tempDir(), 'users');
    writeFileSync(usersFile, `${usersFileLine('operator', 'op-secret')}\n`);
    configDir = copyShippedConfig();
    writeFileSync(join(configDir, 'nagios_bridge.xml'), BRIDGE_XML);
    dataDir = tempDir();
    app = await start();
  }, 90_000);

  afterAll(async () => {
    await app?.stop().catch(() => undefined);
    await nagios?.dispose();
    removeTempDirs();
  });

  it('shows a stored record as its service on the serviceURI host, with the record time as last_check, long output and perfdata', async () => {
    const time = t0 - 60;
    const body = rsvRecord('org.osg.general.ping-host', time, 'WARNING', 'Host osg-edu answers slowly\nrtt 900 ms\nloss 0%', 'performanceData: rtt=900ms;500;1000\n');
    const res = await post(app!, body);
    expect(res.status, app!.log()).toBe(200);
    expect(await res.json()).toMatchObject({ accepted: 1 });
    await until(() => nagios.service(HOST, 'org.osg.general.ping-host')?.last_check === String(time), 'the record in status.dat', 20_000);
    expect(nagios.service(HOST, 'org.osg.general.ping-host')).toMatchObject({
      current_state: '1', check_type: '1', plugin_output: 'Host osg-edu answers slowly', long_plugin_output: 'rtt 900 ms\\nloss 0%', performance_data: 'rtt=900ms;500;1000',
    });
  });

  it('survives a kill -9 part-way through the records: after restart every one is delivered once, in order, with its own time', { timeout: 120_000 }, async () => {
    await nagios.stop();
    const times = Array.from({ length: COUNT }, (_, i) => t0 + i);
    const body = times.flatMap((t, i) => SEQ.map((s) => rsvRecord(s, t, 'WARNING', `n=${i}`))).join('');
    const res = await post(app!, body);
    expect(await res.json()).toMatchObject({ accepted: COUNT * SEQ.length });
    // Nagios is down: the outbox fills to max_queued and the forwarder stops short, its cursor in the middle.
    await poll(async () => (await metric(app!, 'appliance_nagios_outbox_depth{target="command-file"}')) === 30, 'the outbox full while Nagios is down');
    const queued = await metric(app!, 'appliance_nagios_rsv_records_total{outcome="queued"}');
    // One from the first test, then at most the 30 the outbox holds: most records still wait behind the cursor.
    expect(queued).toBeGreaterThan(1);
    expect(queued).toBeLessThanOrEqual(31);

    const killed = app!;
    const exited = new Promise((done) => killed.child.once('exit', done));
    killed.child.kill('SIGKILL');
    await exited;
    app = undefined;

    await nagios.start();
    app = await start();
    const lastTime = String(times[times.length - 1]!);
    await until(() => SEQ.every((s) => nagios.service(HOST, s)?.last_check === lastTime), 'the last record of each service in status.dat', 60_000);
    for (const s of SEQ) {
      expect(loggedOrder(nagios, s), s).toEqual(times.map((_, i) => i));
      expect(nagios.service(HOST, s)).toMatchObject({ current_state: '1', plugin_output: `n=${COUNT - 1}` });
    }
    await app.stop();
    app = undefined;
    // Each record was queued once: the cursor moved only in the commits that queued what it passed.
    const store = openStore({ interface: 'sqlite', file: join(dataDir, 'appliance.db') });
    try {
      const [row] = await store.query<{ n: number | string; distinct_keys: number | string }>(
        "SELECT count(*) AS n, count(DISTINCT dedup_key) AS distinct_keys FROM queue_items WHERE queue = 'nagios:command-file'",
      );
      expect([Number(row!.n), Number(row!.distinct_keys)]).toEqual([COUNT * SEQ.length + 1, COUNT * SEQ.length + 1]);
    } finally {
      await store.close();
    }
  });
});

/**
 * `appliance serve --nagios-command-file` end to end against Debian's real Nagios 4: RSV's exact cmd.cgi request (401,
 * then Basic) and NRDP submitchecks (XML and JSON) end in status.dat; results acknowledged while Nagios is down
 * survive a `kill -9` of the appliance and reach Nagios once each, in order per service, with their original times.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { usersFileLine } from '../../access/index.js';
import { startApplianceProcess, type ApplianceProcess } from '../support/appliance-process.js';
import { copyShippedConfig } from '../support/config-dir.js';
import { createNagios, nagiosAvailable, until, type NagiosInstance } from '../support/nagios.js';
import { removeTempDirs, tempDir } from '../support/temp-files.js';

const RSV_HOST = 'osg-edu.cs.wisc.edu';
const AGENT_HOST = 'ncpa1.example.org';
const SEQ = ['seq-a', 'seq-b'];
const TOKEN = 'nrdp-token-for-the-e2e-test';
const operator = { Authorization: `Basic ${Buffer.from('operator:op-secret').toString('base64')}` };
const now = Math.floor(Date.now() / 1000);

/**
 * The NagiosBridge class of the second appliance: NRDP's token, short retries and a short delivery lease (the kill -9
 * may land while the killed process holds a claim: its items wait out the lease), the flag still adds the target.
 */
const BRIDGE_XML = `<graphtool-config>
<class type="NagiosBridge" name="nagios">
  <attribute name="retry_min">100ms</attribute>
  <attribute name="retry_max">500ms</attribute>
  <attribute name="delivery_lease">2s</attribute>
  <nrdp_token name="agent" token="${TOKEN}"/>
</class>
</graphtool-config>
`;

const form = (fields: Record<string, string>) => ({
  method: 'POST',
  headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(fields).toString(),
});
const jsonResult = (service: string, time: number, output: string) => ({ checkresult: { type: 'service' }, hostname: AGENT_HOST, servicename: service, state: '1', output, time: String(time) });

/** The `n` of each result Nagios processed for `service`, in the order it processed them. */
const loggedOrder = (nagios: NagiosInstance, service: string) =>
  [...nagios.log().matchAll(new RegExp(`EXTERNAL COMMAND: PROCESS_SERVICE_CHECK_RESULT;${AGENT_HOST.replace(/\./g, '\\.')};${service};1;n=(\\d+)`, 'g'))].map((m) => Number(m[1]));

describe.runIf(nagiosAvailable())('appliance serve with --nagios-command-file into a real Nagios 4', () => {
  let nagios: NagiosInstance;
  let quickStart: ApplianceProcess;
  let configured: ApplianceProcess | undefined;
  let usersFile: string;
  let configuredDir: string;
  let configuredData: string;
  const startConfigured = () =>
    startApplianceProcess({ dataDir: configuredData, args: ['--config', configuredDir, '--users', usersFile, '--nagios-command-file', nagios.commandFile] });

  beforeAll(async () => {
    nagios = createNagios({ [RSV_HOST]: ['org.osg.general.ping-host'], [AGENT_HOST]: ['disk', 'load', ...SEQ] });
    await nagios.start();
    usersFile = join(tempDir(), 'users');
    // The shipped users.xml gives the user named operator the operator role.
    writeFileSync(usersFile, `${usersFileLine('operator', 'op-secret')}\n`);
    configuredDir = copyShippedConfig();
    writeFileSync(join(configuredDir, 'nagios_bridge.xml'), BRIDGE_XML);
    configuredData = tempDir();
    // The quick start alone: the shipped configuration and the flag, nothing else.
    [quickStart, configured] = await Promise.all([
      startApplianceProcess({ dataDir: tempDir(), args: ['--users', usersFile], env: { APPLIANCE_NAGIOS_COMMAND_FILE: nagios.commandFile } }),
      startConfigured(),
    ]);
  }, 90_000);

  afterAll(async () => {
    await Promise.all([quickStart?.stop(), configured?.stop()]);
    await nagios?.dispose();
    removeTempDirs();
  });

  it("takes RSV's exact request after a Basic challenge and Nagios shows its text at the time it arrived", async () => {
    const url = `${quickStart.url}nagios/cgi-bin/cmd.cgi?cmd_typ=30&cmd_mod=2&service=org.osg.general.ping-host&host=${RSV_HOST}&plugin_state=0&plugin_output=Host%2Bosg-edu%2Bis%2Balive%2Band%2Bresponding&btnSubmit=Commited`;
    const first = await fetch(url);
    expect(first.status).toBe(401);
    expect(first.headers.get('www-authenticate')).toBe('Basic realm="Nagios Access"');
    const before = Math.floor(Date.now() / 1000);
    const second = await fetch(url, { headers: operator });
    const after = Math.floor(Date.now() / 1000);
    expect(second.status, quickStart.log()).toBe(200);
    expect(await second.text()).toContain('Your command request was successfully submitted to Nagios for processing.');
    await until(() => nagios.service(RSV_HOST, 'org.osg.general.ping-host')?.plugin_output === 'Host osg-edu is alive and responding', 'the RSV result in status.dat', 15_000);
    const shown = nagios.service(RSV_HOST, 'org.osg.general.ping-host')!;
    expect(shown.current_state).toBe('0');
    expect(Number(shown.last_check)).toBeGreaterThanOrEqual(before);
    expect(Number(shown.last_check)).toBeLessThanOrEqual(after);
  });

  it('takes NRDP submitchecks as XML and as JSON and Nagios shows them with their own check times', async () => {
    const xml = `<?xml version='1.0'?><checkresults><checkresult type='service'><hostname>${AGENT_HOST}</hostname><servicename>disk</servicename><state>1</state><output>WARNING: / 91% used|used=91%;90;95</output><time>${now - 120}</time></checkresult></checkresults>`;
    const x = await fetch(`${configured!.url}nrdp/`, form({ cmd: 'submitcheck', token: TOKEN, XMLDATA: xml }));
    expect(x.status).toBe(200);
    expect(await x.text()).toContain('<status>0</status>');
    const json = { checkresults: [{ checkresult: { type: 'service' }, hostname: AGENT_HOST, servicename: 'load', state: '2', output: 'CRITICAL: load 31', time: String(now - 60) }] };
    const j = await fetch(`${configured!.url}nrdp/`, form({ cmd: 'submitcheck', token: TOKEN, JSONDATA: JSON.stringify(json) }));
    expect(j.status).toBe(200);
    expect(await j.json()).toMatchObject({ result: { status: 0, message: 'OK' } });
    await until(() => nagios.service(AGENT_HOST, 'disk')?.last_check === String(now - 120) && nagios.service(AGENT_HOST, 'load')?.last_check === String(now - 60), 'both NRDP results in status.dat', 15_000);
    expect(nagios.service(AGENT_HOST, 'disk')).toMatchObject({ current_state: '1', plugin_output: 'WARNING: / 91% used', performance_data: 'used=91%;90;95' });
    expect(nagios.service(AGENT_HOST, 'load')).toMatchObject({ current_state: '2', plugin_output: 'CRITICAL: load 31' });
  });

  it('delivers what it acknowledged while Nagios was down, across a kill -9, once each, in order, with the original times', async () => {
    await nagios.stop();
    // Ten results per service, one NRDP post each, acknowledged while nothing can be delivered.
    const times = Array.from({ length: 10 }, (_, i) => now - 50 + i);
    for (const [i, t] of times.entries()) {
      const res = await fetch(`${configured!.url}nrdp/`, form({ cmd: 'submitcheck', token: TOKEN, JSONDATA: JSON.stringify({ checkresults: SEQ.map((s) => jsonResult(s, t, `n=${i}`)) }) }));
      expect(res.status).toBe(200);
    }
    const killed = configured!;
    const exited = new Promise((done) => killed.child.once('exit', done));
    killed.child.kill('SIGKILL');
    await exited;
    configured = undefined;

    await nagios.start();
    configured = await startConfigured();
    const last = times[times.length - 1]!;
    await until(() => SEQ.every((s) => nagios.service(AGENT_HOST, s)?.last_check === String(last)), 'the last acknowledged result of each service in status.dat', 20_000);
    for (const s of SEQ) {
      expect(loggedOrder(nagios, s), s).toEqual(times.map((_, i) => i));
      expect(nagios.service(AGENT_HOST, s)).toMatchObject({ current_state: '1', plugin_output: 'n=9' });
    }
  });
});

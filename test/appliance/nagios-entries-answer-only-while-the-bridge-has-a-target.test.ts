/**
 * The Nagios bridge inside `appliance serve`: the shipped configuration has no Nagios (cmd.cgi and NRDP answer 404),
 * a NagiosBridge class with nowhere to deliver is refused at start and at reload, and a reload that adds a target
 * turns the entries on (results durably queued in the target's outbox) and one that removes it turns them off.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigLoadError, loadApplianceConfig, startAppliance, type RunningAppliance } from '../../appliance.js';
import { usersFileLine } from '../../access/index.js';
import { copyShippedConfig } from '../support/config-dir.js';
import { removeTempDirs, tempDir } from '../support/temp-files.js';

const SECRET = 'nrdp-secret-0123456789';
const env = { ...process.env, TEST_NRDP_SECRET: SECRET };
const admin = { Authorization: `Basic ${Buffer.from('admin:admin-secret').toString('base64')}` };
const operator = { Authorization: `Basic ${Buffer.from('operator:op-secret').toString('base64')}` };
let app: RunningAppliance;
let configDir: string;
let usersFile: string;
let fifo: string;

const bridgeXml = (target: string) => `<graphtool-config>
<class type="NagiosBridge" name="nagios">
  <attribute name="authorized_for_all_service_commands">operator</attribute>
  ${target}
  <nrdp_token name="agent" token="\${TEST_NRDP_SECRET}"/>
</class>
</graphtool-config>
`;
const reload = () => fetch(new URL('api/v1/admin/reload', app.url), { method: 'POST', headers: admin });
const cmdCgi = () => fetch(new URL('nagios/cgi-bin/cmd.cgi?cmd_typ=30&cmd_mod=2&host=ce1&service=ping&plugin_state=0&plugin_output=OK', app.url), { headers: operator });
const nrdp = (body: string) => fetch(new URL('nrdp/', app.url), { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body });
const submitcheck = () =>
  nrdp(new URLSearchParams({ cmd: 'submitcheck', token: SECRET, JSONDATA: JSON.stringify({ checkresults: [{ checkresult: { type: 'service' }, hostname: 'ce1', servicename: 'ping', state: '0', output: 'OK from NRDP' }] }) }).toString());
/** The target's outbox depth, as /metrics reports it. */
const queued = async () => Number(/appliance_nagios_outbox_depth\{target="local"\} (\d+)/.exec(await (await fetch(new URL('metrics', app.url), { headers: admin })).text())?.[1]);

beforeAll(async () => {
  configDir = copyShippedConfig();
  usersFile = join(tempDir(), 'users');
  writeFileSync(usersFile, `${usersFileLine('admin', 'admin-secret')}\n${usersFileLine('operator', 'op-secret')}\n`);
  // Not a FIFO: delivery keeps failing as retryable, so what was queued stays in the outbox to be counted.
  fifo = join(tempDir(), 'not-yet-nagios.cmd');
  app = await startAppliance(0, { configDir, dataDir: join(tempDir(), 'data'), usersFile, seedDemo: false, env });
}, 120_000);
afterAll(async () => {
  await app?.stop();
  removeTempDirs();
});

describe('the Nagios entries in the appliance', () => {
  it('answer 404 with the shipped configuration, which has no Nagios', async () => {
    expect((await cmdCgi()).status).toBe(404);
    expect((await nrdp('cmd=hello')).status).toBe(404);
  });

  it('the shipped example, uncommented, loads without a problem', () => {
    const dir = copyShippedConfig();
    const file = join(dir, 'nagios_bridge.xml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('<!--\n  <class', '<class').replace('</class>\n  -->', '</class>'));
    const config = loadApplianceConfig(dir, tempDir(), { ...env, APPLIANCE_NRDP_TOKEN: SECRET });
    expect(config.issues.map((i) => i.message)).toEqual([]);
    expect(config.objects.has('nagios')).toBe(true);
  });

  it('a reload to a NagiosBridge class with no target is refused, naming the class, and the entries stay off', async () => {
    writeFileSync(join(configDir, 'nagios_bridge.xml'), bridgeXml(''));
    const res = await reload();
    expect(res.status).toBe(422);
    expect(((await res.json()) as { issues: string[] }).issues.join('\n')).toMatch(/nagios_bridge\.xml:2:\d+: NagiosBridge "nagios" defines no <target>/);
    expect((await nrdp('cmd=hello')).status).toBe(404);
  });

  it('a start with that class is refused before anything listens', async () => {
    const start = startAppliance(0, { configDir, dataDir: join(tempDir(), 'data'), usersFile, seedDemo: false, env });
    await expect(start).rejects.toBeInstanceOf(ConfigLoadError);
    await expect(start).rejects.toThrow(/defines no <target> and no --nagios-command-file/);
  });

  it('a reload that adds a target turns both entries on and queues what they accept; removing it turns them off', async () => {
    writeFileSync(join(configDir, 'nagios_bridge.xml'), bridgeXml(`<target name="local" type="command_file" path="${fifo}"/>`));
    expect((await reload()).status).toBe(200);
    const page = await cmdCgi();
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('successfully submitted');
    const answer = await submitcheck();
    expect(answer.status).toBe(200);
    expect(await answer.json()).toMatchObject({ result: { status: 0 } });
    expect(await queued()).toBe(2);

    rmSync(join(configDir, 'nagios_bridge.xml'));
    expect((await reload()).status).toBe(200);
    expect((await cmdCgi()).status).toBe(404);
    expect((await submitcheck()).status).toBe(404);
  });
});

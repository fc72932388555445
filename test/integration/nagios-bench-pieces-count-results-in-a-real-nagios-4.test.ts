/**
 * The pieces of `npm run bench -- nagios` (not its speed): the result layout and request bodies cover every result
 * once and in order per host, FIFO writes are whole commands within PIPE_BUF, and on a tiny run against Debian's real
 * nagios4 (and nsca-ng, and an appliance process) status.dat is read as done only once every last result shows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { benchObjects, commandLines, finalOutputs, HOSTS, hostName, outputOf, SERVICES, SERVICES_PER_HOST, serviceName } from '../../bench/nagios/bench-results.js';
import { applianceNrdpPeer } from '../../bench/nagios/appliance-peer.js';
import { CMD_CGI, startCmdCgiRunner } from '../support/cmd-cgi-runner.js';
import { pipeBufWrites, writeIntoFifo } from '../../bench/nagios/fifo-limit.js';
import { NSCA_NG, nscaNgPeer, SEND_NSCA } from '../../bench/nagios/nsca-ng-peer.js';
import { cmdCgiForm, debianCmdCgiForm, NRDP_POST_RESULTS, nrdpPost, nrdpPostsFor } from '../../bench/nagios/request-bodies.js';
import { untilStatusShows } from '../../bench/nagios/status-watch.js';
import { createNagios, nagiosAvailable, until, type NagiosInstance } from '../support/nagios.js';
import { serviceMissing } from '../support/services.js';
import { removeTempDirs } from '../support/temp-files.js';

const TOKEN = 'nrdp-token-of-the-nagios-bench';
const tiny = { results: SERVICES, single: SERVICES, cgi: SERVICES };

describe('the Nagios benchmark\'s request bodies', () => {
  it('NRDP posts carry each host\'s results once, in order, with a short last post', () => {
    const rounds = 9; // 9 × 64 = 576 results per host: one full post of 512 and one of 64
    const posts = nrdpPostsFor(rounds);
    expect(posts).toBe(HOSTS * 2);
    const seen = new Map<string, string[]>();
    for (let i = 0; i < posts; i++) {
      const form = new URLSearchParams(nrdpPost(i, TOKEN, rounds, 1_700_000_000));
      expect(form.get('token')).toBe(TOKEN);
      const { checkresults } = JSON.parse(form.get('JSONDATA')!) as { checkresults: { hostname: string; servicename: string; output: string; time: string }[] };
      expect(checkresults.length).toBe(i < HOSTS ? NRDP_POST_RESULTS : rounds * SERVICES_PER_HOST - NRDP_POST_RESULTS);
      // The striped load's client c sends posts c, c + 16, ...: each post holds one host only, that client's.
      expect(new Set(checkresults.map((c) => c.hostname))).toEqual(new Set([hostName(i % HOSTS)]));
      for (const c of checkresults) seen.set(`${c.hostname};${c.servicename}`, [...(seen.get(`${c.hostname};${c.servicename}`) ?? []), `${c.time} ${c.output}`]);
    }
    expect(seen.size).toBe(SERVICES);
    for (const list of seen.values()) expect(list).toEqual(Array.from({ length: rounds }, (_, r) => `${1_700_000_000 + r} ${outputOf(r)}|round=${r}`));
  });

  it('cmd.cgi form i is host i % 16, and that host\'s forms walk its services round by round', () => {
    const forms = Array.from({ length: 2 * SERVICES }, (_, i) => new URLSearchParams(cmdCgiForm(i)));
    expect(forms.every((f, i) => f.get('host') === hostName(i % HOSTS) && f.get('cmd_typ') === '30' && f.get('cmd_mod') === '2')).toBe(true);
    const host3 = forms.filter((_, i) => i % HOSTS === 3).map((f) => `${f.get('service')} ${f.get('plugin_output')}`);
    expect(host3).toEqual(Array.from({ length: 2 * SERVICES_PER_HOST }, (_, k) => `${serviceName(k % SERVICES_PER_HOST)} ${outputOf(Math.floor(k / SERVICES_PER_HOST))}`));
  });

  it('FIFO writes are whole commands of at most PIPE_BUF bytes, all of them in order', () => {
    const lines = commandLines(3, 1_700_000_000);
    expect(lines.length).toBe(3 * SERVICES);
    const writes = pipeBufWrites(lines);
    expect(writes.every((w) => w.length <= 4096 && w.at(-1) === 0x0a)).toBe(true);
    expect(Buffer.concat(writes).toString()).toBe(lines.join(''));
  });
});

describe.runIf(nagiosAvailable())('the Nagios benchmark\'s pieces against a real Nagios 4', () => {
  let nagios: NagiosInstance;
  beforeAll(async () => {
    nagios = createNagios(benchObjects());
    await nagios.start();
  }, 60_000);
  afterAll(async () => {
    await nagios?.dispose();
    removeTempDirs();
  });

  it('status.dat counts as done only when every service shows its last round, and then shows that round\'s time', async () => {
    const firstTime = Math.floor(Date.now() / 1000) - 100;
    writeIntoFifo(nagios.commandFile, pipeBufWrites(commandLines(2, firstTime)));
    const statusFile = join(nagios.dir, 'status.dat');
    const reached = await untilStatusShows(statusFile, finalOutputs(2), 30_000);
    expect(reached.writtenAt).toBeGreaterThan(0);
    // One read of status.dat (each nagios.service() call parses all of it).
    const shown = nagios.status().filter((b) => b.type === 'servicestatus' && b.fields.host_name!.startsWith('bench-'));
    expect(shown.length).toBe(SERVICES);
    for (const b of shown) expect(b.fields).toMatchObject({ plugin_output: outputOf(1), last_check: String(firstTime + 1), performance_data: 'round=1' });
    // A round never sent is never reported as shown.
    await expect(untilStatusShows(statusFile, finalOutputs(3), 2_500)).rejects.toThrow(/on 0 of 1024 services/);
  }, 60_000);

  it('the appliance line delivers a tiny run through a real appliance process and checks its counters', async () => {
    const [line] = await applianceNrdpPeer.run(tiny, []);
    expect(line).toMatchObject({ key: 'appliance-nrdp', results: SERVICES });
    expect(line!.note).toContain(`${SERVICES} delivered, 0 failed`);
    expect(line!.rate).toBeGreaterThan(0);
  }, 120_000);

  const cmdCgiInstalled = existsSync(CMD_CGI) && process.getuid?.() === 0;
  it.runIf(cmdCgiInstalled)("the CGI runner runs Debian's cmd.cgi behind Basic auth, and its page and Nagios show the result", async () => {
    const runner = await startCmdCgiRunner({ nagiosDir: nagios.dir, users: { bench: 'pw' } });
    try {
      const post = (auth: string) => fetch(runner.url, { method: 'POST', headers: { authorization: auth, cookie: 'NagFormId=b3c4', 'content-type': 'application/x-www-form-urlencoded' }, body: debianCmdCgiForm(5 * HOSTS + 2, 'b3c4') });
      expect((await post(`Basic ${Buffer.from('bench:wrong').toString('base64')}`)).status).toBe(401);
      const ok = await post(`Basic ${Buffer.from('bench:pw').toString('base64')}`);
      expect(await ok.text()).toContain('Your command request was successfully submitted to Nagios for processing.');
      expect(runner.requests.filter((r) => r.message !== undefined)).toHaveLength(1);
      // Form 5 × 16 + 2 is host 2's sixth result: service 5 of round 0.
      await until(() => nagios.service(hostName(2), serviceName(5))?.performance_data === 'round=0', 'the cmd.cgi result in status.dat', 15_000);
    } finally {
      await runner.close();
    }
  }, 60_000);
  if (!cmdCgiInstalled) serviceMissing("Debian's cmd.cgi", 'needs /usr/lib/cgi-bin/nagios4/cmd.cgi (apt-get install nagios4-cgi) and root');

  const nscaInstalled = existsSync(NSCA_NG) && existsSync(SEND_NSCA);
  if (!nscaInstalled) serviceMissing('NSCA-ng', `needs ${NSCA_NG} and ${SEND_NSCA} (apt-get install nsca-ng-server nsca-ng-client)`);
  it.runIf(nscaInstalled)('the NSCA-ng line sends a tiny run through real send_nsca and nsca-ng into Nagios', async () => {
    const [line] = await nscaNgPeer.run(tiny, []);
    expect(line).toMatchObject({ key: 'nsca-ng', results: SERVICES });
    expect(line!.rate).toBeGreaterThan(0);
  }, 120_000);
});

/** A real appliance process with the quick start's command-file target at a Nagios FIFO, an NRDP token and a cmd.cgi user. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { usersFileLine } from '../../access/index.js';
import { startApplianceProcess, type ApplianceProcess } from '../../test/support/appliance-process.js';
import { copyShippedConfig } from '../../test/support/config-dir.js';
import { tempDir } from '../../test/support/temp-files.js';
import { postLoadInWorker, type LoadJob } from '../collector/load-in-worker.js';
import { formatCount } from '../support/timing.js';
import { finalOutputs, roundsFor, SERVICES } from './bench-results.js';
import { statusTimeoutMs, withFreshNagios } from './fresh-nagios.js';
import type { Peer, PeerOptions } from './peers.js';
import { NRDP_POST_RESULTS, nrdpPostsFor } from './request-bodies.js';
import { untilStatusShows } from './status-watch.js';

export const NRDP_TOKEN = 'nrdp-token-of-the-nagios-bench';
/** The shipped users.xml gives the user named operator the operator role, which cmd.cgi needs. */
const USER = 'operator';
const PASSWORD = 'bench-secret';
export const BASIC_AUTH = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;

/**
 * Starts `appliance serve` on a fresh data directory (SQLite, synchronous=full: every acknowledged result is fsynced
 * before the answer) with `--nagios-command-file fifo`, and a `NagiosBridge` class whose outbox can hold `maxQueued`.
 */
export async function startBenchAppliance(fifo: string, maxQueued: number, profileDir?: string): Promise<ApplianceProcess> {
  const config = copyShippedConfig();
  writeFileSync(
    join(config, 'nagios_bridge.xml'),
    `<graphtool-config>
<class type="NagiosBridge" name="nagios">
  <attribute name="max_queued">${maxQueued}</attribute>
  <attribute name="authorized_for_all_service_commands">${USER}</attribute>
  <nrdp_token name="bench" token="${NRDP_TOKEN}"/>
</class>
</graphtool-config>
`,
  );
  const users = join(tempDir(), 'users');
  writeFileSync(users, `${usersFileLine(USER, PASSWORD)}\n`);
  const nodeOptions = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  const app = await startApplianceProcess({ dataDir: tempDir(), args: ['--config', config, '--users', users, '--nagios-command-file', fifo], nodeOptions });
  // One hello, so the first measured request is not the one that loads the routes.
  const hello = await fetch(new URL('nrdp/?cmd=hello', app.url));
  if (!hello.ok) throw new Error(`the appliance's NRDP entry answered ${hello.status} to hello:\n${app.log()}`);
  return app;
}

const CONCURRENCY = 16;

/** With `--cpu-prof 1`: the directory the appliance process of this line writes its CPU profile into (node's --cpu-prof-dir). */
const profileDirOf = (o: PeerOptions, line: string): string | undefined => (o.profileDir ? join(o.profileDir, line) : undefined);
const BODIES = new URL('./request-bodies.ts', import.meta.url).href;

/** Rows of `appliance_nagios_*` counters in the appliance's /metrics, to check nothing failed or was dropped. */
async function bridgeCounters(app: ApplianceProcess): Promise<{ delivered: number; failures: number }> {
  const text = await (await fetch(new URL('metrics', app.url))).text();
  const sum = (name: string) => [...text.matchAll(new RegExp(`^${name}\\{[^}]*\\} (\\d+(?:\\.\\d+)?)$`, 'gm'))].reduce((n, m) => n + Number(m[1]), 0);
  return { delivered: sum('appliance_nagios_delivered_total'), failures: sum('appliance_nagios_delivery_failures_total') };
}

/** Sends `job` at a fresh appliance in front of a fresh Nagios and times it from the first request to status.dat. */
async function endToEnd(results: number, rounds: number, job: (app: ApplianceProcess) => Omit<LoadJob, 'concurrency' | 'striped' | 'prebuilt'>, profileDir?: string): Promise<{ ms: number; requestMs: number; requests: number; note: string }> {
  return withFreshNagios(async (nagios, statusFile) => {
    const app = await startBenchAppliance(nagios.commandFile, Math.max(100_000, 2 * results), profileDir);
    try {
      const load = await postLoadInWorker({ ...job(app), concurrency: CONCURRENCY, striped: true, prebuilt: true });
      const { writtenAt } = await untilStatusShows(statusFile, finalOutputs(rounds), statusTimeoutMs(results));
      const counters = await bridgeCounters(app);
      if (counters.delivered < results || counters.failures > 0) {
        throw new Error(`the appliance delivered ${counters.delivered} of ${results} results with ${counters.failures} failed deliveries:\n${app.log().slice(-2000)}`);
      }
      return { ms: writtenAt - load.startedAt, requestMs: load.ms, requests: load.requests, note: `${counters.delivered} delivered, 0 failed; durable` };
    } finally {
      await app.stop();
    }
  });
}

/** (a) NRDP posts of 512 results (JSONDATA), one client per host. */
export const applianceNrdpPeer: Peer = {
  name: 'appliance: NRDP posts of 512 results',
  async run(o) {
    const rounds = roundsFor(o.results);
    const results = rounds * SERVICES;
    const firstTime = Math.floor(Date.now() / 1000) - rounds - 60;
    const posts = nrdpPostsFor(rounds);
    const r = await endToEnd(results, rounds, (app) => ({
      url: new URL('nrdp/', app.url).href, count: posts, contentType: 'application/x-www-form-urlencoded', bodyModule: BODIES, bodyExport: 'nrdpPost', offset: 0, bodyArgs: [NRDP_TOKEN, rounds, firstTime],
    }), profileDirOf(o, 'nrdp'));
    return [{ key: 'appliance-nrdp', peer: 'appliance', work: `NRDP, ${formatCount(posts)} posts of ${NRDP_POST_RESULTS}`, results, ms: r.ms, rate: (results * 1000) / r.ms, requestsPerSecond: (r.requests * 1000) / r.requestMs, note: r.note }];
  },
};

/** (b) One cmd.cgi request (POST form, Basic auth) per result. */
export const applianceCmdCgiPeer: Peer = {
  name: 'appliance: one cmd.cgi request per result',
  async run(o) {
    const rounds = roundsFor(o.single);
    const results = rounds * SERVICES;
    const r = await endToEnd(results, rounds, (app) => ({
      url: new URL('nagios/cgi-bin/cmd.cgi', app.url).href, count: results, contentType: 'application/x-www-form-urlencoded', bodyModule: BODIES, bodyExport: 'cmdCgiForm', offset: 0, headers: { authorization: BASIC_AUTH },
    }), profileDirOf(o, 'cmd-cgi'));
    return [{ key: 'appliance-cmd-cgi', peer: 'appliance', work: 'cmd.cgi, 1 result per request (Basic)', results, ms: r.ms, rate: (results * 1000) / r.ms, requestsPerSecond: (results * 1000) / r.requestMs, note: r.note }];
  },
};

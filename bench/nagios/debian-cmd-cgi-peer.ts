/**
 * The cmd.cgi peer: Debian's real cmd.cgi run as a CGI (one process per request, Basic auth checked in front of it, as
 * Apache does; test/support/cmd-cgi-runner.ts) into a fresh Nagios, sent the same single-result forms as the appliance's cmd.cgi entry.
 */
import { postLoadInWorker } from '../collector/load-in-worker.js';
import { existsSync } from 'node:fs';
import { CMD_CGI, startCmdCgiRunner } from '../../test/support/cmd-cgi-runner.js';
import { finalOutputs, roundsFor, SERVICES } from './bench-results.js';
import { statusTimeoutMs, withFreshNagios } from './fresh-nagios.js';
import type { Peer } from './peers.js';
import { untilStatusShows } from './status-watch.js';

const USER = 'bench';
const PASSWORD = 'bench-cgi-secret';
/** The CSRF double submit Debian's cmd.cgi checks: this cookie and the same `nagFormId` parameter. */
const FORM_ID = 'b3c4';
const BODIES = new URL('./request-bodies.ts', import.meta.url).href;
const SUCCESS = 'Your command request was successfully submitted to Nagios for processing.';

export const debianCmdCgiPeer: Peer = {
  name: "Debian's cmd.cgi as a CGI, one process per request",
  async run(o) {
    const key = 'debian-cmd-cgi';
    if (!existsSync(CMD_CGI) || process.getuid?.() !== 0) return [{ key, peer: 'Debian cmd.cgi', work: '', unmeasured: `needs ${CMD_CGI} (apt-get install nagios4-cgi) and root` }];
    const rounds = roundsFor(o.cgi);
    const results = rounds * SERVICES;
    return withFreshNagios(async (nagios, statusFile) => {
      const runner = await startCmdCgiRunner({ nagiosDir: nagios.dir, users: { [USER]: PASSWORD } });
      try {
        const load = await postLoadInWorker({
          url: runner.url, count: results, concurrency: 16, striped: true, contentType: 'application/x-www-form-urlencoded', bodyModule: BODIES, bodyExport: 'debianCmdCgiForm', offset: 0,
          bodyArgs: [FORM_ID], headers: { authorization: `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`, cookie: `NagFormId=${FORM_ID}` },
        });
        // cmd.cgi answers 200 whatever happened: only its page says whether the command was written.
        const refused = runner.requests.filter((r) => !r.message?.includes(SUCCESS));
        if (refused.length) throw new Error(`Debian's cmd.cgi refused ${refused.length} of ${results} requests, e.g. ${refused[0]!.message ?? `HTTP ${refused[0]!.status}`}`);
        const { writtenAt } = await untilStatusShows(statusFile, finalOutputs(rounds), statusTimeoutMs(results));
        const ms = writtenAt - load.startedAt;
        return [{ key, peer: 'Debian cmd.cgi 4.4.6', work: 'CGI, 1 result per request (Basic, CSRF cookie)', results, ms, rate: (results * 1000) / ms, requestsPerSecond: (results * 1000) / load.ms, note: 'a process per request; not durable' }];
      } finally {
        await runner.close();
      }
    });
  },
};

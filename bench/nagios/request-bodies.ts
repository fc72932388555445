/**
 * Request bodies of the appliance's two entries for the load worker (it imports this module by URL): NRDP posts of a
 * host's results in order, and single cmd.cgi forms. Request `i` belongs to host `i % HOSTS`, so the striped load's
 * client `c` sends host `c`'s results only, in order.
 */
import { HOSTS, hostResult, serviceName, hostName, SERVICES_PER_HOST, outputOf } from './bench-results.js';

/** Results per NRDP post: eight rounds of a host's 64 services. */
export const NRDP_POST_RESULTS = 512;

/** How many NRDP posts carry `rounds` rounds of every host. */
export const nrdpPostsFor = (rounds: number): number => HOSTS * Math.ceil((rounds * SERVICES_PER_HOST) / NRDP_POST_RESULTS);

/** NRDP post `i`: `cmd=submitcheck`, the token, and JSONDATA with host `i % HOSTS`'s next results (the last post may be short). */
export function nrdpPost(i: number, token: string, rounds: number, firstTime: number): string {
  const h = i % HOSTS;
  const from = Math.floor(i / HOSTS) * NRDP_POST_RESULTS;
  const to = Math.min(from + NRDP_POST_RESULTS, rounds * SERVICES_PER_HOST);
  const checkresults = [];
  for (let k = from; k < to; k++) {
    const r = hostResult(h, k, firstTime);
    checkresults.push({ checkresult: { type: 'service' }, hostname: r.host, servicename: r.service, state: String(r.state), output: `${r.output}|${r.perfdata}`, time: String(r.checkTime) });
  }
  return new URLSearchParams({ cmd: 'submitcheck', token, JSONDATA: JSON.stringify({ checkresults }) }).toString();
}

/** cmd.cgi form `i` (POSTed, as cmd.cgi takes): host `i % HOSTS`, then that host's services round by round. */
export function cmdCgiForm(i: number): string {
  const h = i % HOSTS;
  const k = Math.floor(i / HOSTS);
  return new URLSearchParams({
    cmd_typ: '30', cmd_mod: '2', host: hostName(h), service: serviceName(k % SERVICES_PER_HOST), plugin_state: '0',
    plugin_output: outputOf(Math.floor(k / SERVICES_PER_HOST)), performance_data: `round=${Math.floor(k / SERVICES_PER_HOST)}`,
  }).toString();
}

/** Form `i` for Debian's cmd.cgi: {@link cmdCgiForm} plus the CSRF parameter matching the `NagFormId` cookie sent with it. */
export function debianCmdCgiForm(i: number, formId: string): string {
  return `${cmdCgiForm(i)}&nagFormId=${formId}`;
}

/** Which transport a target's settings make: the command FIFO (with its spool), Icinga 2's API, a remote cmd.cgi, or an NRDP server. */
import type { Clock } from '../common/index.js';
import type { TargetSettings } from './settings.js';
import { createCmdCgiTransport, createCommandFileTransport, createIcingaTransport, createNrdpTransport, type BasicEndpoint, type Transport } from './transports/index.js';

/**
 * The transport of `t`. `authHoldMs`: after refused credentials, how long a remote cmd.cgi or NRDP transport makes no
 * request (the bridge passes its retry_max, at most 10 s), so a wrong password costs one attempt per hold, not one per result.
 */
export function transportForTarget(t: TargetSettings, clock: Clock, authHoldMs = 10_000): Transport {
  const now = () => clock().getTime();
  switch (t.type) {
    case 'command_file':
      return createCommandFileTransport({ path: t.path, spool: t.spool, clock });
    case 'icinga2':
      return createIcingaTransport({ ...basicEndpointOf(t), parallel: t.parallel });
    case 'cmd_cgi':
      return createCmdCgiTransport({
        ...basicEndpointOf(t),
        concurrency: t.concurrency,
        dateFormat: t.dateFormat,
        timeZone: t.timeZone,
        authHoldMs,
        now,
      });
    case 'nrdp':
      return createNrdpTransport({ url: t.url, token: t.token, tokenFile: t.tokenFile, caFile: t.caFile, insecure: t.insecure, timeoutMs: t.timeoutMs, authHoldMs, now });
  }
}

/** The endpoint part of an icinga2 or cmd_cgi target's settings. */
function basicEndpointOf(t: BasicEndpoint): BasicEndpoint {
  return { url: t.url, user: t.user, password: t.password, passwordFile: t.passwordFile, caFile: t.caFile, insecure: t.insecure, timeoutMs: t.timeoutMs };
}

/** Whether two settings of one target make the same transport (position aside); otherwise its loop is rebuilt. */
export function sameTarget(a: TargetSettings, b: TargetSettings): boolean {
  const { pos: _a, ...x } = a;
  const { pos: _b, ...y } = b;
  return JSON.stringify(x, Object.keys(x).sort()) === JSON.stringify(y, Object.keys(y).sort());
}

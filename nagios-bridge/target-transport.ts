/** Which transport a target's settings make: the command FIFO (with its spool) or Icinga 2's API. */
import type { Clock } from '../common/index.js';
import type { TargetSettings } from './settings.js';
import { createCommandFileTransport, createIcingaTransport, type Transport } from './transports/index.js';

/** The transport of `t`. */
export function transportForTarget(t: TargetSettings, clock: Clock): Transport {
  switch (t.type) {
    case 'command_file':
      return createCommandFileTransport({ path: t.path, spool: t.spool, clock });
    case 'icinga2':
      return createIcingaTransport({
        url: t.url,
        user: t.user,
        password: t.password,
        passwordFile: t.passwordFile,
        caFile: t.caFile,
        insecure: t.insecure,
        parallel: t.parallel,
        timeoutMs: t.timeoutMs,
      });
  }
}

/** Whether two settings of one target make the same transport (position aside); otherwise its loop is rebuilt. */
export function sameTarget(a: TargetSettings, b: TargetSettings): boolean {
  const { pos: _a, ...x } = a;
  const { pos: _b, ...y } = b;
  return JSON.stringify(x, Object.keys(x).sort()) === JSON.stringify(y, Object.keys(y).sort());
}

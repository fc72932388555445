/** Waits until status.dat shows the expected output on every service, and says when Nagios wrote that status.dat. */
import { readFileSync, statSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseStatus } from '../../test/support/nagios.js';

/** How many services of `expected` (`host;service` → plugin_output) status.dat text shows with that output, and one that does not. */
export function servicesShowing(statusText: string, expected: ReadonlyMap<string, string>): { showing: number; behind?: string } {
  let showing = 0;
  let behind: string | undefined;
  for (const b of parseStatus(statusText)) {
    if (b.type !== 'servicestatus') continue;
    const key = `${b.fields.host_name};${b.fields.service_description}`;
    const want = expected.get(key);
    if (want === undefined) continue;
    if (b.fields.plugin_output === want) showing++;
    else behind ??= `${key} shows "${b.fields.plugin_output ?? ''}" (last_check ${b.fields.last_check ?? '?'}), not "${want}"`;
  }
  return { showing, behind };
}

export interface StatusReached {
  /** Epoch ms at which Nagios wrote the first status.dat that showed every expected output (its mtime). */
  writtenAt: number;
  /** How many status.dat files were read on the way. */
  reads: number;
}

/**
 * Polls `statusFile` (read again only when its mtime moves: Nagios rewrites it once per status_update_interval) until
 * every service in `expected` shows its output; throws naming how many did after `timeoutMs`.
 */
export async function untilStatusShows(statusFile: string, expected: ReadonlyMap<string, string>, timeoutMs: number): Promise<StatusReached> {
  const deadline = Date.now() + timeoutMs;
  let seen = -1;
  let reads = 0;
  let state: { showing: number; behind?: string } = { showing: 0 };
  while (Date.now() < deadline) {
    let mtime: number;
    try {
      mtime = statSync(statusFile).mtimeMs;
    } catch {
      mtime = -1;
    }
    if (mtime > 0 && mtime !== seen) {
      seen = mtime;
      reads++;
      state = servicesShowing(readFileSync(statusFile, 'utf8'), expected);
      if (state.showing === expected.size) return { writtenAt: mtime, reads };
    }
    await sleep(20);
  }
  throw new Error(`status.dat showed the last result on ${state.showing} of ${expected.size} services after ${timeoutMs} ms; e.g. ${state.behind ?? 'none'}`);
}

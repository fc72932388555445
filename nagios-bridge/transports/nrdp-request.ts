/** What the NRDP client transport sends: one `cmd=submitcheck` form with the batch as `JSONDATA`, as send_nrdp and NCPA do. */
import type { PassiveResult } from '../types.js';
import { checkNames, UnsendableResult } from './command-format.js';

/** Most results in one NRDP post (the appliance's own NRDP entry takes 10,000; NRDP writes one spool file each). */
export const NRDP_MAX_PER_POST = 1_000;

/** One `checkresults[]` entry of NRDP's JSON. */
export interface NrdpCheckResult {
  checkresult: { type: 'service' | 'host'; checktype: '1' };
  hostname: string;
  servicename?: string;
  state: string;
  /** `text|perfdata`, then the long output lines: what NRDP writes to the spool as the plugin output. */
  output: string;
  /**
   * The original check time. NRDP Core ignores it (Nagios then shows the time it reads the spool file); Nagios XI's
   * NRDP uses it with `allow_old_results`, and the appliance's own NRDP entry keeps it.
   */
  time: string;
}

/** The plugin output in NRDP's field: Nagios's own layout, real newlines (NRDP escapes them for the spool). */
export function nrdpOutput(r: PassiveResult): string {
  const first = r.output.replace(/\r\n?|\n/g, ' ');
  const perf = r.perfdata ? `|${r.perfdata.replace(/\r\n?|\n/g, ' ')}` : '';
  return `${first}${perf}${r.longOutput ? `\n${r.longOutput}` : ''}`;
}

/** The JSON entry of one result. Throws {@link UnsendableResult} for names Nagios could never take. */
export function nrdpCheckResult(r: PassiveResult): NrdpCheckResult {
  checkNames(r);
  if (r.kind === 'host' && r.state === 3) throw new UnsendableResult('a host result has state 3; Nagios takes 0 (UP), 1 (DOWN) or 2 (UNREACHABLE)');
  if (r.output.includes('\0') || r.longOutput?.includes('\0')) throw new UnsendableResult('the output holds a NUL character');
  return {
    checkresult: { type: r.kind, checktype: '1' },
    hostname: r.host,
    ...(r.kind === 'service' ? { servicename: r.service! } : {}),
    state: String(r.state),
    output: nrdpOutput(r),
    time: String(Math.floor(r.checkTime)),
  };
}

/** The form of one post: `token`, `cmd=submitcheck`, `JSONDATA`. */
export function nrdpForm(token: string, entries: readonly NrdpCheckResult[]): [string, string][] {
  return [
    ['token', token],
    ['cmd', 'submitcheck'],
    ['JSONDATA', JSON.stringify({ checkresults: entries })],
  ];
}

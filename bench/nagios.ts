/**
 * `npm run bench -- nagios`: passive results per second from HTTP at a real appliance process to status.dat in a real
 * Nagios 4, beside the limit (the same results written straight into that Nagios's FIFO) and the peers a site would
 * otherwise pick (NSCA-ng, Debian's cmd.cgi, Icinga's API), all measured in this run with each peer started fresh.
 */
import { mkdtempSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { removeTempDirs } from '../test/support/temp-files.js';
import { integerOptions, type Benchmark } from './support/benchmark.js';
import { formatCount, printTable } from './support/timing.js';
import { SERVICES } from './nagios/bench-results.js';
import { NAGIOS_PEERS, type PeerLine, type PeerOptions } from './nagios/peers.js';
import { nagiosAvailable } from '../test/support/nagios.js';

/** Targets from the Nagios bridge issue. */
const BATCHED_TARGET_RATIO = 0.8;
const CMD_CGI_TARGET_RATIO = 10;
/** The issue sets none for Icinga: durable and ordered, the bridge should cost little beside the bare requests it makes. */
const ICINGA_TARGET_RATIO = 0.8;

const loadAverage = () => loadavg().map((l) => l.toFixed(2)).join(', ');

function target(text: string, met: boolean): string {
  return `target ${text} ${met ? 'met' : 'MISSED'}`;
}

export const benchmark: Benchmark = {
  description:
    'passive results from HTTP (NRDP batches, single cmd.cgi requests) through a real appliance to status.dat of a real Nagios 4, vs the FIFO limit, NSCA-ng, Debian cmd.cgi as a CGI and the API of Icinga 2 (--results N (default 100,000) --single N (4,096; also the Icinga lines) --cgi N (256), --smoke 1 for a quick try, --cpu-prof 1 for CPU profiles of the appliance)',
  async run(args) {
    const given = integerOptions(args, { results: 100_000, single: 4_096, cgi: 256, smoke: 0, 'cpu-prof': 0 });
    const sizes = given.smoke ? { results: 4 * SERVICES, single: 2 * SERVICES, cgi: SERVICES } : given;
    // Kept after the run (outside the removed temporary directories): open the .cpuprofile files in Chrome's DevTools.
    const profileDir = given['cpu-prof'] ? mkdtempSync(join(tmpdir(), 'nagios-bench-cpu-prof-')) : undefined;
    const o: PeerOptions = { results: sizes.results, single: sizes.single, cgi: sizes.cgi, profileDir };
    if (o.results < 1 || o.single < 1 || o.cgi < 1) throw new Error('--results, --single and --cgi need at least 1');
    if (!nagiosAvailable()) throw new Error('the Nagios benchmark needs Debian\'s nagios4 and root (see above)');
    const load = loadavg()[0]!;
    console.log(`nagios benchmark: load average at start ${loadAverage()} (1, 5, 15 min)${load >= 1 ? ' — the machine is busy with other work: every figure below is measured under that load' : ''}`);
    console.log('keep-alive HTTP at concurrency 16 (one client per host, each sending its own results in order; the client runs in a worker thread)');
    console.log('end to end = from the first request (or write) to the first status.dat that shows every result; Nagios writes status.dat once a second, so each time is up to 1 s late');
    console.log('durability: the appliance acknowledges a result only after it is fsynced in its outbox (SQLite synchronous=full); the FIFO and NSCA-ng hold results in memory only\n');

    const lines: PeerLine[] = [];
    for (const peer of NAGIOS_PEERS) {
      process.stderr.write(`  ${peer.name}\n`);
      try {
        lines.push(...(await peer.run(o, lines)));
      } catch (err) {
        // One line failing (a result missing from status.dat, a peer that would not start) must not hide the others.
        lines.push({ key: `failed:${peer.name}`, peer: peer.name, work: '', unmeasured: `failed: ${err instanceof Error ? err.message : String(err)}` });
      } finally {
        removeTempDirs();
      }
    }

    const table = [['peer', 'work', 'results', 'end to end', 'rate', 'requests/s', 'note']];
    for (const l of lines) {
      if (l.unmeasured) continue;
      table.push([l.peer, l.work, l.results ? formatCount(l.results) : '', l.ms ? `${(l.ms / 1000).toFixed(2)} s` : '', l.rate ? `${formatCount(l.rate)}/s` : '', l.requestsPerSecond ? formatCount(l.requestsPerSecond) : '', l.note ?? '']);
    }
    console.log('');
    printTable(table);
    console.log('');
    const find = (key: string) => lines.find((l) => l.key === key && !l.unmeasured);
    /** A target line: met or MISSED with the ratio, or why it could not be decided. */
    const ratioTarget = (text: string, a: number | undefined, b: number | undefined, need: number, digits: number, unit = '') => {
      if (!a || !b) return console.log(`target ${text}: not measured (a line it compares is missing, see below)`);
      const ratio = a / b;
      console.log(target(`${text} (${ratio.toFixed(digits)}${unit})`, ratio >= need));
    };
    const limit = find('limit');
    const batched = find('appliance-nrdp');
    const single = find('appliance-cmd-cgi');
    const nsca = find('nsca-ng');
    const cgi = find('debian-cmd-cgi');
    ratioTarget(`appliance NRDP batches >= ${BATCHED_TARGET_RATIO} x FIFO limit`, batched?.rate, limit?.rate, BATCHED_TARGET_RATIO, 2);
    ratioTarget('appliance NRDP batches >= NSCA-ng end to end', batched?.rate, nsca?.rate, 1, 2, ' x');
    ratioTarget(`appliance cmd.cgi requests/s >= ${CMD_CGI_TARGET_RATIO} x Debian cmd.cgi as a CGI`, single?.requestsPerSecond, cgi?.requestsPerSecond, CMD_CGI_TARGET_RATIO, 1, ' x');
    ratioTarget(`results into Icinga 2 through the bridge >= ${ICINGA_TARGET_RATIO} x one API request per result`, find('icinga-bridge')?.rate, find('icinga-direct')?.rate, ICINGA_TARGET_RATIO, 2, ' x');
    for (const l of lines) if (l.unmeasured) console.log(`${l.peer}: not measured: ${l.unmeasured}`);
    if (profileDir) console.log(`CPU profiles of the appliance processes (one folder per line): ${profileDir}`);
    console.log(`load average at end ${loadAverage()}`);
  },
};

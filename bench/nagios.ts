/**
 * `npm run bench -- nagios`: passive results per second from HTTP at a real appliance process to status.dat in a real
 * Nagios 4, beside the limit (the same results written straight into that Nagios's FIFO) and the peers a site would
 * otherwise pick (NSCA-ng, Debian's cmd.cgi, Icinga's API), all measured in this run with each peer started fresh.
 */
import { loadavg } from 'node:os';
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
    'passive results from HTTP (NRDP batches, single cmd.cgi requests) through a real appliance to status.dat of a real Nagios 4, vs the FIFO limit, NSCA-ng, Debian cmd.cgi as a CGI and the API of Icinga 2 (--results N --single N --cgi N, or --smoke 1 for a quick try)',
  async run(args) {
    const given = integerOptions(args, { results: 100_000, single: 10_000, cgi: 1_024, smoke: 0 });
    const o: PeerOptions = given.smoke ? { results: 4 * SERVICES, single: 2 * SERVICES, cgi: SERVICES } : given;
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
      } finally {
        removeTempDirs();
      }
    }

    const table = [['peer', 'work', 'results', 'end to end', 'rate', 'requests/s', 'note']];
    for (const l of lines) {
      table.push([l.peer, l.work, l.results ? formatCount(l.results) : '', l.ms ? `${(l.ms / 1000).toFixed(2)} s` : '', l.rate ? `${formatCount(l.rate)}/s` : '', l.requestsPerSecond ? formatCount(l.requestsPerSecond) : '', l.note ?? '']);
    }
    console.log('');
    printTable(table);
    console.log('');
    const find = (key: string) => lines.find((l) => l.key === key);
    const limit = find('limit');
    const batched = find('appliance-nrdp');
    const single = find('appliance-cmd-cgi');
    const nsca = find('nsca-ng');
    const cgi = find('debian-cmd-cgi');
    if (limit?.rate && batched?.rate) console.log(target(`appliance NRDP batches >= ${BATCHED_TARGET_RATIO} x FIFO limit (${(batched.rate / limit.rate).toFixed(2)})`, batched.rate >= BATCHED_TARGET_RATIO * limit.rate));
    if (batched?.rate && nsca?.rate) console.log(target(`appliance NRDP batches >= NSCA-ng end to end (${(batched.rate / nsca.rate).toFixed(2)} x)`, batched.rate >= nsca.rate));
    if (single?.requestsPerSecond && cgi?.requestsPerSecond) {
      const ratio = single.requestsPerSecond / cgi.requestsPerSecond;
      console.log(target(`appliance cmd.cgi requests/s >= ${CMD_CGI_TARGET_RATIO} x Debian cmd.cgi as a CGI (${ratio.toFixed(1)} x)`, ratio >= CMD_CGI_TARGET_RATIO));
    }
    const icingaDirect = find('icinga-direct');
    const icingaBridge = find('icinga-bridge');
    if (icingaDirect?.rate && icingaBridge?.rate) {
      const ratio = icingaBridge.rate / icingaDirect.rate;
      console.log(target(`results into Icinga 2 through the bridge >= ${ICINGA_TARGET_RATIO} x one API request per result (${ratio.toFixed(2)} x)`, ratio >= ICINGA_TARGET_RATIO));
    }
    for (const l of lines) if (l.unmeasured) console.log(`${l.peer}: not measured: ${l.unmeasured}`);
    console.log(`load average at end ${loadAverage()}`);
  },
};

/**
 * The NSCA-ng line: Debian's `nsca-ng` server writing into a fresh Nagios's FIFO, and `send_nsca` clients sending the
 * same results as the appliance's NRDP clients (one client per host, its results in pushes of 512, 16 hosts at once).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { createServer, connect, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { tempDir } from '../../test/support/temp-files.js';
import { finalOutputs, HOSTS, hostResult, roundsFor, SERVICES, SERVICES_PER_HOST } from './bench-results.js';
import { statusTimeoutMs, withFreshNagios } from './fresh-nagios.js';
import type { Peer } from './peers.js';
import { NRDP_POST_RESULTS } from './request-bodies.js';
import { untilStatusShows } from './status-watch.js';

export const NSCA_NG = '/usr/sbin/nsca-ng';
export const SEND_NSCA = '/usr/sbin/send_nsca';
const PASSWORD = 'nsca-ng-bench-secret';
/** send_nsca's default separator between check results (ASCII ETB). */
const ETB = '\x17';

/** A TCP port free on loopback just now. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function untilListening(port: number, server: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`nsca-ng exited (${server.exitCode}):\n${log()}`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1', () => (s.end(), resolve(true)));
      s.on('error', () => resolve(false));
    });
    if (ok) return;
    await sleep(50);
  }
  throw new Error(`nsca-ng did not listen on 127.0.0.1:${port} within 10 s:\n${log()}`);
}

/** One `send_nsca` run: `input` on stdin; rejects with its stderr when it fails. */
function sendNsca(config: string, input: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(SEND_NSCA, ['-c', config], { stdio: ['pipe', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`send_nsca exited ${code}: ${err}`))));
    child.stdin.end(input);
  });
}

/** Host `h`'s results `from` to `to` - 1 in send_nsca's input format (host, service, rc, output, ETB-separated). */
function nscaInput(h: number, from: number, to: number, firstTime: number): string {
  let text = '';
  for (let k = from; k < to; k++) {
    const r = hostResult(h, k, firstTime);
    text += `${r.host}\t${r.service!}\t${r.state}\t${r.output}|${r.perfdata!}${ETB}`;
  }
  return text;
}

export const nscaNgPeer: Peer = {
  name: 'NSCA-ng: send_nsca clients into nsca-ng into the FIFO',
  async run(o) {
    if (!existsSync(NSCA_NG) || !existsSync(SEND_NSCA)) {
      return [{ key: 'nsca-ng', peer: 'NSCA-ng', work: '', unmeasured: `needs ${NSCA_NG} and ${SEND_NSCA} (apt-get install nsca-ng-server nsca-ng-client)` }];
    }
    const rounds = roundsFor(o.results);
    const results = rounds * SERVICES;
    const perHost = rounds * SERVICES_PER_HOST;
    const firstTime = Math.floor(Date.now() / 1000) - rounds - 60;
    return withFreshNagios(async (nagios, statusFile) => {
      const dir = tempDir();
      const port = await freePort();
      const serverConfig = join(dir, 'nsca-ng.cfg');
      // max_command_size stays at its default (16384): send_nsca sends each check result as its own command, so no
      // push comes near it and none becomes a PROCESS_FILE (that happens to one command too long for the FIFO).
      writeFileSync(serverConfig, `command_file = "${nagios.commandFile}"\nlisten = "127.0.0.1:${port}"\ntemp_directory = "${dir}"\nauthorize "*" {\n  password = "${PASSWORD}"\n  commands = ".*"\n}\n`);
      const clientConfig = join(dir, 'send_nsca.cfg');
      writeFileSync(clientConfig, `server = "127.0.0.1"\nport = ${port}\nidentity = "bench"\npassword = "${PASSWORD}"\n`);
      let log = '';
      const server = spawn(NSCA_NG, ['-c', serverConfig, '-F', '-l', '1'], { stdio: ['ignore', 'pipe', 'pipe'] });
      server.stdout.on('data', (d: Buffer) => (log += d.toString()));
      server.stderr.on('data', (d: Buffer) => (log += d.toString()));
      try {
        await untilListening(port, server, () => log);
        // Each push's input is built before the clock starts; a client per host sends its pushes one after the other.
        const pushes = Array.from({ length: HOSTS }, (_, h) => {
          const inputs: string[] = [];
          for (let from = 0; from < perHost; from += NRDP_POST_RESULTS) inputs.push(nscaInput(h, from, Math.min(perHost, from + NRDP_POST_RESULTS), firstTime));
          return inputs;
        });
        const start = Date.now();
        await Promise.all(pushes.map(async (inputs) => {
          for (const input of inputs) await sendNsca(clientConfig, input);
        }));
        const sentMs = Date.now() - start;
        const { writtenAt } = await untilStatusShows(statusFile, finalOutputs(rounds), statusTimeoutMs(results));
        const ms = writtenAt - start;
        const runs = pushes.reduce((n, p) => n + p.length, 0);
        return [{
          key: 'nsca-ng', peer: 'NSCA-ng 1.6', work: `${runs} send_nsca runs of ${NRDP_POST_RESULTS}, 16 at once`, results, ms, rate: (results * 1000) / ms,
          requestsPerSecond: (runs * 1000) / sentMs, note: 'queued in memory, not durable; check time = arrival',
        }];
      } finally {
        server.kill('SIGTERM');
        if (server.exitCode === null) await new Promise((resolve) => server.once('exit', resolve));
      }
    });
  },
};

/**
 * A private Icinga 2 (Debian's icinga2) in a temporary directory for tests: its own icinga2.conf and paths, a CA and
 * node certificate made by `icinga2 pki`, the `api` listener on a free loopback port, an ApiUser with a password, and
 * passive hosts and services (`check_command = "dummy"`, `enable_active_checks = false`). The packaged daemon and
 * /etc/icinga2 are never touched.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serviceMissing } from './services.js';
import { until } from './nagios.js';

export const ICINGA_BIN = '/usr/sbin/icinga2';
/** The certificate's name and the host of `url`: TLS checks the name, so tests verify the certificate for real. */
const NODE = 'localhost';

/** True when the suite can run; otherwise says why (a loud skip locally, a failure under CI=true). */
export function icingaAvailable(): boolean {
  if (existsSync(ICINGA_BIN) && process.getuid?.() === 0) return true;
  serviceMissing('Icinga 2', `needs ${ICINGA_BIN} (apt-get install icinga2) and root to start it as its nagios user`);
  return false;
}

/** One answer of the API. */
export interface ApiAnswer {
  status: number;
  json: { results?: Record<string, unknown>[]; [k: string]: unknown };
}

export interface IcingaInstance {
  dir: string;
  /** `https://localhost:PORT`. */
  url: string;
  port: number;
  /** The instance's CA certificate (what a target's `ca_file` names). */
  caFile: string;
  user: string;
  password: string;
  start(): Promise<void>;
  /** SIGTERM, then waits for the process to exit. */
  stop(): Promise<void>;
  running(): boolean;
  /** Any API call as the test's ApiUser (`GET` unless a body is given, then `POST`). */
  api(path: string, body?: unknown, method?: 'GET' | 'POST'): Promise<ApiAnswer>;
  /** A service's attributes (`last_check_result`, `acknowledgement`, ...), or undefined. */
  service(host: string, service: string): Promise<Record<string, unknown> | undefined>;
  host(host: string): Promise<Record<string, unknown> | undefined>;
  /** Every Downtime object's attributes. */
  downtimes(): Promise<Record<string, unknown>[]>;
  /**
   * Subscribes to Icinga's event stream (`/v1/events`) for `types` (e.g. `CheckResult`): every event Icinga emits from
   * now on, in the order it processed them. Resolves once subscribed; `close()` ends the stream.
   */
  events(types: readonly string[]): Promise<{ events: Record<string, unknown>[]; close(): void }>;
  log(): string;
  /** Stops it and removes its directory. */
  dispose(): Promise<void>;
}

/** A free loopback port (closed again at once; Icinga binds it a moment later). */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

const str = (s: string) => JSON.stringify(s);

function objects(hosts: Record<string, readonly string[]>): string {
  const parts: string[] = [];
  for (const [host, services] of Object.entries(hosts)) {
    parts.push(`object Host ${str(host)} {\n  check_command = "dummy"\n  enable_active_checks = false\n  enable_notifications = false\n}`);
    for (const s of services) parts.push(`object Service ${str(s)} {\n  host_name = ${str(host)}\n  check_command = "dummy"\n  enable_active_checks = false\n  enable_notifications = false\n}`);
  }
  return `${parts.join('\n')}\n`;
}

/** Writes a private instance with `hosts` (host → its passive services), makes its certificates and validates it (`icinga2 daemon -C`). Not started. */
export async function createIcinga(hosts: Record<string, readonly string[]>): Promise<IcingaInstance> {
  const dir = mkdtempSync(join(tmpdir(), 'appliance-icinga-'));
  const port = await freePort();
  const password = randomBytes(12).toString('hex');
  const user = 'bridge';
  const sub = ['data', 'data/certs', 'log', 'cache', 'spool', 'run'];
  for (const d of sub) mkdirSync(join(dir, d), { recursive: true });
  writeFileSync(join(dir, 'objects.conf'), objects(hosts));
  writeFileSync(
    join(dir, 'icinga2.conf'),
    [
      'const PluginDir = "/usr/lib/nagios/plugins"',
      'include <itl>',
      'object Endpoint NodeName {}',
      'object Zone ZoneName { endpoints = [ NodeName ] }',
      `object ApiListener "api" {\n  bind_host = "127.0.0.1"\n  bind_port = ${port}\n}`,
      `object ApiUser ${str(user)} {\n  password = ${str(password)}\n  permissions = [ "actions/*", "objects/query/*", "events/*" ]\n}`,
      `include ${str(join(dir, 'objects.conf'))}`,
      '',
    ].join('\n'),
  );
  // Icinga drops to its user (nagios) and the pki commands too: that user must own every directory.
  const nagios = { uid: Number(execFileSync('id', ['-u', 'nagios']).toString()), gid: Number(execFileSync('id', ['-g', 'nagios']).toString()) };
  for (const d of ['', ...sub]) chownSync(join(dir, d), nagios.uid, nagios.gid);
  const defines = [
    `Configuration.DataDir=${join(dir, 'data')}`,
    `Configuration.LogDir=${join(dir, 'log')}`,
    `Configuration.CacheDir=${join(dir, 'cache')}`,
    `Configuration.SpoolDir=${join(dir, 'spool')}`,
    `Configuration.InitRunDir=${join(dir, 'run')}`,
    `Configuration.PidPath=${join(dir, 'run', 'icinga2.pid')}`,
    `NodeName=${NODE}`,
    `ZoneName=${NODE}`,
  ].flatMap((d) => ['-D', d]);
  const certs = join(dir, 'data', 'certs');
  const run = (args: string[]) => {
    try {
      execFileSync(ICINGA_BIN, [...args, ...defines], { stdio: 'pipe' });
    } catch (err) {
      const e = err as { stdout?: Buffer; stderr?: Buffer };
      throw new Error(`icinga2 ${args.join(' ')} failed:\n${String(e.stdout ?? '')}${String(e.stderr ?? '')}`, { cause: err });
    }
  };
  // The CA under DataDir/ca, the node's key and certificate under DataDir/certs, where the ApiListener looks for them.
  run(['pki', 'new-ca']);
  run(['pki', 'new-cert', '--cn', NODE, '--key', join(certs, `${NODE}.key`), '--csr', join(certs, `${NODE}.csr`)]);
  run(['pki', 'sign-csr', '--csr', join(certs, `${NODE}.csr`), '--cert', join(certs, `${NODE}.crt`)]);
  const caFile = join(certs, 'ca.crt');
  writeFileSync(caFile, readFileSync(join(dir, 'data', 'ca', 'ca.crt')));
  chownSync(caFile, nagios.uid, nagios.gid);
  const config = ['-c', join(dir, 'icinga2.conf')];
  run(['daemon', '-C', ...config]);

  const url = `https://${NODE}:${port}`;
  const agent = new Agent({ ca: readFileSync(caFile), keepAlive: false });
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  let output = '';

  const api = (path: string, body?: unknown, method: 'GET' | 'POST' = body === undefined ? 'GET' : 'POST'): Promise<ApiAnswer> =>
    new Promise((resolve, reject) => {
      const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
      const headers: Record<string, string> = { Accept: 'application/json', Authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` };
      if (data) Object.assign(headers, { 'Content-Type': 'application/json', 'Content-Length': String(data.length) });
      // A query with a filter goes as a POST that Icinga reads as a GET.
      if (data && method === 'GET') headers['X-HTTP-Method-Override'] = 'GET';
      const req = request(new URL(path, url), { method: data ? 'POST' : 'GET', agent, headers, timeout: 10_000 }, (res) => {
        const parts: Buffer[] = [];
        res.on('data', (c: Buffer) => parts.push(c));
        res.on('end', () => {
          const text = Buffer.concat(parts).toString('utf8');
          try {
            resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) as ApiAnswer['json'] });
          } catch {
            resolve({ status: res.statusCode ?? 0, json: { text } });
          }
        });
      });
      req.on('timeout', () => req.destroy(new Error(`no answer from ${url}${path}`)));
      req.on('error', reject);
      req.end(data);
    });

  const objectAttrs = async (type: 'services' | 'hosts', filter: string, vars: Record<string, string>) => {
    const a = await api(`/v1/objects/${type}`, { filter, filter_vars: vars }, 'GET');
    return a.json.results?.[0]?.attrs as Record<string, unknown> | undefined;
  };

  const instance: IcingaInstance = {
    dir,
    url,
    port,
    caFile,
    user,
    password,
    async start() {
      output = '';
      const c = spawn(ICINGA_BIN, ['daemon', ...config, ...defines], { stdio: ['ignore', 'pipe', 'pipe'] });
      child = c;
      c.stdout.on('data', (d: Buffer) => (output += d.toString()));
      c.stderr.on('data', (d: Buffer) => (output += d.toString()));
      exited = new Promise((resolve) => c.once('exit', () => resolve()));
      // Ready once the API answers with every configured service loaded.
      const want = Object.values(hosts).reduce((n, s) => n + s.length, 0);
      let loaded = -1;
      await until(() => {
        if (c.exitCode !== null) throw new Error(`icinga2 exited at start:\n${output}`);
        void api('/v1/objects/services?attrs=name').then(
          (a) => (loaded = a.status === 200 ? (a.json.results?.length ?? 0) : -1),
          () => (loaded = -1),
        );
        return loaded === want;
      }, 'Icinga 2 to start and answer on its API', 30_000);
    },
    async stop() {
      const c = child;
      if (!c || c.exitCode !== null || c.signalCode !== null) return;
      c.kill('SIGTERM');
      await exited;
      child = undefined;
    },
    running: () => child !== undefined && child.exitCode === null && child.signalCode === null,
    api,
    service: (host, service) => objectAttrs('services', 'host.name == h && service.name == s', { h: host, s: service }),
    host: (host) => objectAttrs('hosts', 'host.name == h', { h: host }),
    async downtimes() {
      const a = await api('/v1/objects/downtimes');
      return (a.json.results ?? []).map((r) => r.attrs as Record<string, unknown>);
    },
    events(types) {
      return new Promise((resolve, reject) => {
        const data = Buffer.from(JSON.stringify({ queue: `test-${randomBytes(4).toString('hex')}`, types }));
        const headers = {
          Accept: 'application/json',
          'Content-Type': 'application/json',
          'Content-Length': String(data.length),
          Authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`,
        };
        const req = request(new URL('/v1/events', url), { method: 'POST', agent, headers }, (res) => {
          if (res.statusCode !== 200) return reject(new Error(`/v1/events answered ${res.statusCode}`));
          const events: Record<string, unknown>[] = [];
          let rest = '';
          res.on('data', (c: Buffer) => {
            rest += c.toString('utf8');
            const lines = rest.split('\n');
            rest = lines.pop()!;
            for (const line of lines) if (line.trim()) events.push(JSON.parse(line) as Record<string, unknown>);
          });
          res.on('error', () => undefined);
          resolve({ events, close: () => req.destroy() });
        });
        req.on('error', (err) => reject(err));
        req.end(data);
      });
    },
    log: () => output,
    async dispose() {
      await instance.stop();
      agent.destroy();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return instance;
}

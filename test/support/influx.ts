/** Throwaway InfluxDB 1.x (`influxd`) and VictoriaMetrics instances for tests, on loopback ports in temp dirs. */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, closeSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const INFLUXD = process.env.APPLIANCE_TEST_INFLUXD ?? '/usr/bin/influxd';
export const VICTORIA_METRICS = process.env.APPLIANCE_TEST_VICTORIA_METRICS ?? '/usr/bin/victoria-metrics';

/** Whether a server binary is installed; suites call `serviceMissing` when not. */
export function installed(binary: string): boolean {
  return existsSync(binary);
}

/** A port nobody listens on right now (asked of the kernel, then released). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/** A server process that can be stopped and started again on the same port and data (for outage tests). */
export interface TestServer {
  readonly url: string;
  readonly dir: string;
  /** Starts the process (again) and waits until it answers. */
  start(): Promise<void>;
  /** Stops the process (SIGTERM, SIGKILL after 10 s) and waits for it to exit. */
  stop(): Promise<void>;
  /** Stops it and removes its directory. */
  dispose(): Promise<void>;
}

async function waitReady(url: string, child: ChildProcess, logFile: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}:\n${readFileSync(logFile, 'utf8').slice(-2000)}`);
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the server did not answer ${url} within ${timeoutMs} ms:\n${readFileSync(logFile, 'utf8').slice(-2000)}`);
}

function testServer(dir: string, url: string, readyPath: string, command: string, args: readonly string[]): TestServer {
  let child: ChildProcess | undefined;
  const logFile = join(dir, 'server.log');
  const stop = async () => {
    const c = child;
    child = undefined;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => c.once('exit', () => resolve()));
    c.kill('SIGTERM');
    const timer = setTimeout(() => c.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };
  return {
    url,
    dir,
    async start() {
      if (child) return;
      const log = openSync(logFile, 'a');
      child = spawn(command, args, { stdio: ['ignore', log, log] });
      closeSync(log);
      await waitReady(url + readyPath, child, logFile);
    },
    stop,
    async dispose() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** InfluxDB 1.x on 127.0.0.1, reporting off, data in a temp dir; `query` runs InfluxQL. */
export interface Influxd extends TestServer {
  /** Runs InfluxQL (`/query`, POST) and returns its JSON. */
  query(q: string, db?: string): Promise<InfluxQlResult>;
}

export interface InfluxQlResult {
  results: { statement_id: number; error?: string; series?: { name: string; tags?: Record<string, string>; columns: string[]; values: unknown[][] }[] }[];
}

/**
 * Starts `start` with fresh ports, again with other ports when it fails: a port found free can be taken by another
 * suite before the server binds it.
 */
async function withFreshPorts<T>(start: () => Promise<T>, attempts = 3): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await start();
    } catch (err) {
      if (i >= attempts) throw err;
    }
  }
}

/** Two different free ports. */
async function twoFreePorts(): Promise<[number, number]> {
  const a = await freePort();
  let b = await freePort();
  while (b === a) b = await freePort();
  return [a, b];
}

/** Starts a private `influxd` (Debian's 1.6.7 here). */
export function startInfluxd(): Promise<Influxd> {
  return withFreshPorts(startInfluxdOnce);
}

async function startInfluxdOnce(): Promise<Influxd> {
  const dir = mkdtempSync(join(tmpdir(), 'appliance-influxd-'));
  const [http, rpc] = await twoFreePorts();
  const config = `reporting-disabled = true
bind-address = "127.0.0.1:${rpc}"
[meta]
  dir = "${dir}/meta"
[data]
  dir = "${dir}/data"
  wal-dir = "${dir}/wal"
  query-log-enabled = false
[http]
  bind-address = "127.0.0.1:${http}"
  log-enabled = false
[monitor]
  store-enabled = false
[continuous_queries]
  enabled = false
[logging]
  level = "warn"
`;
  writeFileSync(join(dir, 'influxdb.conf'), config);
  const url = `http://127.0.0.1:${http}`;
  const server = testServer(dir, url, '/ping', INFLUXD, ['-config', join(dir, 'influxdb.conf')]);
  await server.start().catch(async (err: unknown) => {
    await server.dispose();
    throw err;
  });
  return {
    ...server,
    async query(q, db) {
      const body = new URLSearchParams({ q, ...(db ? { db } : {}), epoch: 'ms' });
      const res = await fetch(`${url}/query`, { method: 'POST', body });
      if (!res.ok) throw new Error(`InfluxQL ${q}: HTTP ${res.status} ${await res.text()}`);
      return (await res.json()) as InfluxQlResult;
    },
  };
}

/** One series of VictoriaMetrics' `/api/v1/export` (JSON lines). */
export interface ExportedSeries {
  metric: Record<string, string>;
  values: number[];
  timestamps: number[];
}

/** VictoriaMetrics on 127.0.0.1 with a 100-year retention (tests write old timestamps); `exportSeries` reads back. */
export interface VictoriaMetrics extends TestServer {
  /** Flushes what was written and returns every series matching the selector, e.g. `{__name__=~"load.*"}`. */
  exportSeries(match: string): Promise<ExportedSeries[]>;
}

/** Starts a private `victoria-metrics`. */
export function startVictoriaMetrics(): Promise<VictoriaMetrics> {
  return withFreshPorts(startVictoriaMetricsOnce);
}

async function startVictoriaMetricsOnce(): Promise<VictoriaMetrics> {
  const dir = mkdtempSync(join(tmpdir(), 'appliance-victoria-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const server = testServer(dir, url, '/health', VICTORIA_METRICS, [
    `-storageDataPath=${join(dir, 'data')}`, `-httpListenAddr=127.0.0.1:${port}`, '-retentionPeriod=100y', '-loggerLevel=ERROR',
  ]);
  await server.start().catch(async (err: unknown) => {
    await server.dispose();
    throw err;
  });
  return {
    ...server,
    async exportSeries(match) {
      // Rows written in the last seconds sit in memory until flushed; the test wants them now.
      await fetch(`${url}/internal/force_flush`);
      const res = await fetch(`${url}/api/v1/export`, { method: 'POST', body: new URLSearchParams({ 'match[]': match, start: '0' }) });
      if (!res.ok) throw new Error(`export ${match}: HTTP ${res.status} ${await res.text()}`);
      return (await res.text()).split('\n').filter(Boolean).map((l) => JSON.parse(l) as ExportedSeries);
    },
  };
}

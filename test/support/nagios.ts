/** A private Nagios 4 (Debian's nagios4) in a temporary directory for tests: its own config, FIFO, spool and status.dat. */
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serviceMissing } from './services.js';

export const NAGIOS_BIN = '/usr/sbin/nagios4';
const CHECK_DUMMY = '/usr/lib/nagios/plugins/check_dummy';

/** True when the suite can run; otherwise says why (a loud skip locally, a failure under CI=true). */
export function nagiosAvailable(): boolean {
  if (existsSync(NAGIOS_BIN) && existsSync(CHECK_DUMMY) && process.getuid?.() === 0) return true;
  serviceMissing('Nagios 4', `needs ${NAGIOS_BIN} and ${CHECK_DUMMY} (apt-get install nagios4-core monitoring-plugins-basic) and root to start it as its nagios user`);
  return false;
}

/** One block of status.dat (`servicestatus`, `hoststatus`, ...) with its fields. */
export interface StatusBlock {
  type: string;
  fields: Record<string, string>;
}

export interface NagiosInstance {
  dir: string;
  /** Its nagios.cfg. */
  mainConfig: string;
  /** The external command FIFO (Nagios recreates it on every start). */
  commandFile: string;
  /** `check_result_path`. */
  spoolDir: string;
  start(): Promise<void>;
  /** SIGTERM by the PID in the lock file, then waits for the process to be gone. */
  stop(): Promise<void>;
  running(): boolean;
  status(): StatusBlock[];
  service(host: string, service: string): Record<string, string> | undefined;
  host(host: string): Record<string, string> | undefined;
  log(): string;
  /** Stops it and removes its directory. */
  dispose(): Promise<void>;
}

const TIMEPERIOD = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'].map((d) => `  ${d} 00:00-24:00`).join('\n');

/** Passive hosts and services, each directive on its own line (Nagios ignores one on the `{` line). */
function objects(hosts: Record<string, readonly string[]>): string {
  const parts = [
    `define timeperiod {\n  timeperiod_name always\n  alias always\n${TIMEPERIOD}\n}`,
    `define command {\n  command_name no-result\n  command_line ${CHECK_DUMMY} 3 "no result received"\n}`,
    'define contact {\n  contact_name nobody\n  service_notification_period always\n  host_notification_period always\n  service_notification_options n\n  host_notification_options n\n  service_notification_commands no-result\n  host_notification_commands no-result\n}',
  ];
  const common = '  check_command no-result\n  max_check_attempts 1\n  check_period always\n  notification_period always\n  notification_interval 0\n  contacts nobody\n  active_checks_enabled 0\n  passive_checks_enabled 1\n  check_freshness 0\n  notifications_enabled 0\n  flap_detection_enabled 0';
  for (const [host, services] of Object.entries(hosts)) {
    parts.push(`define host {\n  host_name ${host}\n  address 127.0.0.1\n${common}\n}`);
    for (const s of services) parts.push(`define service {\n  host_name ${host}\n  service_description ${s}\n  check_interval 5\n  retry_interval 1\n${common}\n}`);
  }
  return `${parts.join('\n\n')}\n`;
}

/** Additions to a private instance: main-config settings that replace the kit's, and object files beside objects.cfg. */
export interface NagiosOptions {
  /** nagios.cfg keys to set (they replace the kit's value of the same key). */
  settings?: Record<string, string | number>;
  /** Files to write into the instance's directory before `nagios4 -v` (relative name → content). */
  files?: Record<string, string>;
  /** More `cfg_file=` lines, relative to the instance's directory, after objects.cfg. */
  cfgFiles?: readonly string[];
}

function mainConfig(dir: string, options: NagiosOptions = {}): string {
  const settings: Record<string, string | number> = {
    log_file: join(dir, 'nagios.log'),
    cfg_file: join(dir, 'objects.cfg'),
    object_cache_file: join(dir, 'objects.cache'),
    precached_object_file: join(dir, 'objects.precache'),
    status_file: join(dir, 'status.dat'),
    status_update_interval: 1,
    state_retention_file: join(dir, 'retention.dat'),
    retain_state_information: 1,
    command_file: join(dir, 'rw', 'nagios.cmd'),
    query_socket: join(dir, 'rw', 'nagios.qh'),
    lock_file: join(dir, 'nagios.lock'),
    temp_file: join(dir, 'nagios.tmp'),
    temp_path: join(dir, 'tmp'),
    check_result_path: join(dir, 'checkresults'),
    check_result_reaper_frequency: 1,
    max_check_result_file_age: 3600,
    nagios_user: 'nagios',
    nagios_group: 'nagios',
    check_external_commands: 1,
    accept_passive_service_checks: 1,
    accept_passive_host_checks: 1,
    execute_service_checks: 0,
    execute_host_checks: 0,
    check_service_freshness: 0,
    check_host_freshness: 0,
    enable_notifications: 0,
    enable_flap_detection: 0,
    use_syslog: 0,
    log_passive_checks: 1,
    daemon_dumps_core: 0,
    ...options.settings,
  };
  const extra = (options.cfgFiles ?? []).map((f) => `cfg_file=${join(dir, f)}`);
  return [...Object.entries(settings).map(([k, v]) => `${k}=${v}`), ...extra].join('\n') + '\n';
}

/** Parses status.dat: `name {` / `\tkey=value` / `\t}` blocks. */
export function parseStatus(text: string): StatusBlock[] {
  const blocks: StatusBlock[] = [];
  let current: StatusBlock | undefined;
  for (const line of text.split('\n')) {
    const open = /^(\w+) \{$/.exec(line);
    if (open) current = { type: open[1]!, fields: {} };
    else if (line.trim() === '}' && current) {
      blocks.push(current);
      current = undefined;
    } else if (current) {
      const eq = line.indexOf('=');
      if (eq > 0) current.fields[line.slice(0, eq).trim()] = line.slice(eq + 1);
    }
  }
  return blocks;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until `ok()` holds, polling; throws `what` with the last state after `timeoutMs`. */
export async function until(ok: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(50);
  }
}

/** Writes a private instance with `hosts` (host → its passive services) and checks it with `nagios4 -v`. Not started. */
export function createNagios(hosts: Record<string, readonly string[]>, options: NagiosOptions = {}): NagiosInstance {
  const dir = mkdtempSync(join(tmpdir(), 'appliance-nagios-'));
  for (const sub of ['rw', 'tmp', 'checkresults']) mkdirSync(join(dir, sub));
  writeFileSync(join(dir, 'objects.cfg'), objects(hosts));
  for (const [name, content] of Object.entries(options.files ?? {})) writeFileSync(join(dir, name), content);
  const cfg = join(dir, 'nagios.cfg');
  writeFileSync(cfg, mainConfig(dir, options));
  // Nagios drops to its user: it must own its directories (the tests run as root and write as root).
  for (const p of [dir, join(dir, 'rw'), join(dir, 'tmp'), join(dir, 'checkresults')]) chownSync(p, uidOf('nagios'), gidOf('nagios'));
  try {
    execFileSync(NAGIOS_BIN, ['-v', cfg], { stdio: 'pipe' });
  } catch (err) {
    throw new Error(`nagios4 -v refused the test configuration:\n${String((err as { stdout?: Buffer }).stdout ?? err)}`, { cause: err });
  }
  const lockFile = join(dir, 'nagios.lock');
  const commandFile = join(dir, 'rw', 'nagios.cmd');
  const statusFile = join(dir, 'status.dat');
  const pid = () => (existsSync(lockFile) ? Number(readFileSync(lockFile, 'utf8').trim()) : 0);
  const alive = (p: number) => {
    if (!p) return false;
    try {
      process.kill(p, 0);
      return true;
    } catch {
      return false;
    }
  };
  const status = () => (existsSync(statusFile) ? parseStatus(readFileSync(statusFile, 'utf8')) : []);
  const isFifo = () => existsSync(commandFile) && statSync(commandFile).isFIFO();

  const instance: NagiosInstance = {
    dir,
    mainConfig: cfg,
    commandFile,
    spoolDir: join(dir, 'checkresults'),
    async start() {
      const before = status().find((b) => b.type === 'programstatus')?.fields.nagios_pid;
      execFileSync(NAGIOS_BIN, ['-d', cfg], { stdio: 'pipe' });
      await until(() => alive(pid()) && isFifo(), 'Nagios to start and create its command file');
      // status.dat of this run: its programstatus names the new PID.
      await until(() => {
        const p = status().find((b) => b.type === 'programstatus')?.fields.nagios_pid;
        return p !== undefined && p !== before && Number(p) === pid();
      }, 'the first status.dat of this Nagios run');
    },
    async stop() {
      const p = pid();
      if (!alive(p)) return;
      process.kill(p, 'SIGTERM');
      await until(() => !alive(p), `Nagios (pid ${p}) to exit`);
    },
    running: () => alive(pid()),
    status,
    service: (host, service) => status().find((b) => b.type === 'servicestatus' && b.fields.host_name === host && b.fields.service_description === service)?.fields,
    host: (host) => status().find((b) => b.type === 'hoststatus' && b.fields.host_name === host)?.fields,
    log: () => (existsSync(join(dir, 'nagios.log')) ? readFileSync(join(dir, 'nagios.log'), 'utf8') : ''),
    async dispose() {
      await instance.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return instance;
}

function uidOf(user: string): number {
  return Number(execFileSync('id', ['-u', user]).toString().trim());
}
function gidOf(user: string): number {
  return Number(execFileSync('id', ['-g', user]).toString().trim());
}

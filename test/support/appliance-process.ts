/** A real appliance process (`appliance serve` from source) for tests that need one, optionally run under a tracer. */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

export interface ApplianceProcess {
  url: string;
  child: ChildProcess;
  /** Everything the process wrote to stderr so far. */
  log(): string;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
}

export interface ApplianceProcessOptions {
  /** `--data` directory. */
  dataDir: string;
  /** Extra `serve` arguments (e.g. `--db sqlite:...`). */
  args?: readonly string[];
  /** A command the process runs under, e.g. `['strace', '-f', '-o', FILE]`. */
  wrapper?: readonly string[];
  env?: Record<string, string>;
  /** Options for node itself, before the script (e.g. `['--cpu-prof', '--cpu-prof-dir=DIR']`, which NODE_OPTIONS refuses). */
  nodeOptions?: readonly string[];
}

/** Starts `appliance serve --port 0 --no-demo` and resolves with its URL once it listens. */
export async function startApplianceProcess(options: ApplianceProcessOptions): Promise<ApplianceProcess> {
  // node itself, not the tsx wrapper, so signals (and a tracer) reach the appliance's own process.
  const command = [...(options.wrapper ?? []), process.execPath, ...(options.nodeOptions ?? []), '--import', 'tsx', join(root, 'bin/appliance.ts'), 'serve', '--data', options.dataDir, '--port', '0', '--no-demo', ...(options.args ?? [])];
  const child = spawn(command[0]!, command.slice(1), { cwd: root, env: { ...process.env, APPLIANCE_USERS_FILE: '', ...options.env } });
  let log = '';
  child.stderr.on('data', (d: Buffer) => (log += d.toString()));
  child.stdout.on('data', (d: Buffer) => (log += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the appliance printed no URL within 60 s:\n${log}`)), 60_000);
    const look = () => {
      const m = /listening on (http:\/\/localhost:\d+\/)/.exec(log);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stderr.on('data', look);
    void exited.then((code) => reject(new Error(`the appliance exited (${code}) before listening:\n${log}`)));
  });
  return {
    url,
    child,
    log: () => log,
    stop: async () => {
      if (child.exitCode === null) {
        // Under a wrapper the appliance is the wrapper's child: signal it, and the wrapper ends with it.
        const target = options.wrapper?.length ? tracee(child.pid!) : child.pid;
        if (target) process.kill(target, 'SIGTERM');
        const force = setTimeout(() => child.kill('SIGKILL'), 20_000);
        void exited.then(() => clearTimeout(force));
      }
      return exited;
    },
  };
}

/** The first child process of `pid` (Linux /proc), or undefined when it has none. */
function tracee(pid: number): number | undefined {
  try {
    const first = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/)[0];
    return first ? Number(first) : undefined;
  } catch {
    return undefined;
  }
}

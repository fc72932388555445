/** Runs one sensor command: no shell, its own process group, output capped, killed with its children on timeout. */
import { spawn } from 'node:child_process';

export interface CommandResult {
  /** Exit status; null when killed by a signal or never started. */
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** It overran its timeout and was killed. */
  timedOut: boolean;
  /** It could not be started (e.g. ENOENT); the message says why. */
  spawnError?: string;
  durationMs: number;
}

/** Nagios 4 keeps 8 KB of plugin output per check by default; 64 KB is plenty for a sensor. */
const MAX_OUTPUT = 64 * 1024;
/** How long a process has after SIGTERM before SIGKILL. */
const KILL_GRACE_MS = 1000;

/**
 * Runs `argv` with `timeoutMs`; never rejects. `signal` kills it early (the agent stopping). `LC_ALL=C` keeps plugins'
 * numbers in the `1.5` form perfdata needs.
 */
export function runCommand(argv: readonly string[], timeoutMs: number, signal?: AbortSignal): Promise<CommandResult> {
  const started = Date.now();
  return new Promise((resolve) => {
    const [command = '', ...args] = argv;
    // detached: the child leads its own process group, so a timeout kills what a wrapper script started too.
    const child = spawn(command, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_ALL: 'C' } });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outSize = 0;
    let errSize = 0;
    let timedOut = false;
    let spawnError: string | undefined;
    child.stdout.on('data', (c: Buffer) => {
      if (outSize < MAX_OUTPUT) out.push(c);
      outSize += c.length;
    });
    child.stderr.on('data', (c: Buffer) => {
      if (errSize < MAX_OUTPUT) err.push(c);
      errSize += c.length;
    });
    const killGroup = (signal: NodeJS.Signals) => {
      try {
        if (child.pid) process.kill(-child.pid, signal);
      } catch {
        // Already gone.
      }
    };
    let grace: NodeJS.Timeout | undefined;
    const terminate = () => {
      killGroup('SIGTERM');
      grace ??= setTimeout(() => killGroup('SIGKILL'), KILL_GRACE_MS);
    };
    const timer = setTimeout(() => {
      timedOut = true;
      terminate();
    }, timeoutMs);
    signal?.addEventListener('abort', terminate, { once: true });
    child.once('error', (e) => {
      spawnError = e.message;
    });
    child.once('close', (code, exitSignal) => {
      clearTimeout(timer);
      clearTimeout(grace);
      signal?.removeEventListener('abort', terminate);
      // A plugin that leaves children behind on timeout must not keep them.
      if (timedOut) killGroup('SIGKILL');
      resolve({
        exitCode: code,
        signal: exitSignal,
        stdout: Buffer.concat(out).subarray(0, MAX_OUTPUT).toString('utf8'),
        stderr: Buffer.concat(err).subarray(0, MAX_OUTPUT).toString('utf8'),
        timedOut,
        ...(spawnError === undefined ? {} : { spawnError }),
        durationMs: Date.now() - started,
      });
    });
  });
}

/**
 * The command kind: an argv (never a shell) with its environment and working directory, in its own process group,
 * killed as a group at the run limit or when the dispatcher stops; stdout and stderr captured together, bounded.
 */
import { spawn } from 'node:child_process';
import type { ActuatorKind, ActuatorOutcome, ActuatorRun } from '../types.js';
import { boundedOutput } from './bounded-output.js';

export interface CommandSettings {
  argv: string[];
  env: Record<string, string>;
  cwd: string | undefined;
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Grace between SIGTERM to the group and SIGKILL. */
const KILL_GRACE_MS = 2_000;

function killGroup(pid: number | undefined, signal: NodeJS.Signals) {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is gone already.
  }
}

/** Runs `settings.argv`; resolves when the process has exited and its output is read. */
export function runCommand(settings: CommandSettings, run: ActuatorRun): Promise<ActuatorOutcome> {
  const output = boundedOutput(run.outputLimit);
  const paramEnv = Object.fromEntries(Object.entries(run.params).map(([k, v]) => [`ACTUATOR_PARAM_${k.toUpperCase()}`, v]));
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', ...settings.env, ...paramEnv, ACTUATOR_NODE: run.node, ACTUATOR_HANDLE: run.handle };
  return new Promise((resolve) => {
    let note: string | undefined;
    const child = spawn(settings.argv[0]!, settings.argv.slice(1), { cwd: settings.cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'], shell: false });
    child.stdout.on('data', (d: Buffer) => output.add(d));
    child.stderr.on('data', (d: Buffer) => output.add(d));
    let killTimer: NodeJS.Timeout | undefined;
    const end = (why: string) => {
      if (note) return;
      note = why;
      killGroup(child.pid, 'SIGTERM');
      killTimer = setTimeout(() => killGroup(child.pid, 'SIGKILL'), KILL_GRACE_MS);
    };
    const limit = setTimeout(() => end(`killed (process group) at its run limit of ${run.runLimitMs} ms`), run.runLimitMs);
    const onAbort = () => end('killed (process group): the dispatcher stopped');
    run.signal.addEventListener('abort', onAbort, { once: true });
    let settled = false;
    const finish = (outcome: ActuatorOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(limit);
      if (killTimer) clearTimeout(killTimer);
      run.signal.removeEventListener('abort', onAbort);
      // Whatever the leader left behind in its group goes too.
      killGroup(child.pid, 'SIGKILL');
      resolve(outcome);
    };
    child.on('error', (err) => finish({ exitCode: null, output: output.text(), note: `could not start ${settings.argv[0]}: ${err.message}` }));
    child.on('close', (code, signal) => {
      const why = note ?? (signal ? `ended by signal ${signal}` : undefined);
      finish({ exitCode: code, output: output.text(), ...(why ? { note: why } : {}) });
    });
  });
}

export const commandKind: ActuatorKind<CommandSettings> = {
  kind: 'command',
  build(el, issue) {
    const what = `<actuator name="${el.name}" kind="command">`;
    let ok = true;
    const argv = el.args.map((a) => a.text.trim());
    if (!argv.length || !argv[0]) {
      issue(el.pos, `${what}: needs <arg> elements, the first the program's absolute path (it is run without a shell)`);
      ok = false;
    } else if (!argv[0].startsWith('/')) {
      issue(el.args[0]!.pos, `${what}: the first <arg> "${argv[0]}" must be an absolute path (it is run without a shell)`);
      ok = false;
    }
    const env: Record<string, string> = {};
    for (const e of el.env) {
      if (!ENV_NAME.test(e.name)) {
        issue(e.pos, `${what}: <env name="${e.name}">: not a variable name`);
        ok = false;
      } else env[e.name] = e.value;
    }
    const cwd = el.attrs.cwd?.trim();
    if (cwd !== undefined && !cwd.startsWith('/')) {
      issue(el.pos, `${what}: cwd="${cwd}" must be an absolute path`);
      ok = false;
    }
    return ok ? { argv, env, cwd } : undefined;
  },
  run: runCommand,
};

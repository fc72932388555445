/** The command kind against real processes: argv without a shell, environment, cwd, exit code, bounded output, group kill at the run limit. */
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commandKind, type CommandSettings } from '../../actuators/index.js';

const run = (settings: CommandSettings, over: { runLimitMs?: number; outputLimit?: number; params?: Record<string, string>; signal?: AbortSignal } = {}) =>
  commandKind.run(settings, { handle: 'h1', node: 'n1', params: over.params ?? {}, outputLimit: over.outputLimit ?? 65_536, runLimitMs: over.runLimitMs ?? 10_000, signal: over.signal ?? new AbortController().signal });

describe('command actuator', () => {
  it('runs its argv without a shell in its directory and environment, and passes the exit code on', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'actuator-cmd-'));
    const out = await run({ argv: ['/bin/sh', '-c', 'pwd; echo "$GREETING $ACTUATOR_NODE $ACTUATOR_PARAM_WHAT"; echo oops >&2; exit 3'], env: { GREETING: 'hello' }, cwd: dir }, { params: { what: 'x;$(rm -rf /)' } });
    expect(out.exitCode).toBe(3);
    expect(out.output).toContain(`${dir}\n`);
    // A parameter is data in the environment, never shell text.
    expect(out.output).toContain('hello n1 x;$(rm -rf /)\n');
    expect(out.output).toContain('oops');
    const literal = await run({ argv: ['/bin/echo', '$HOME', '`id`', '; ls'], env: {}, cwd: undefined });
    expect(literal.output).toBe('$HOME `id` ; ls\n');
  });

  it('keeps the end of a long output within its bound and says how much it dropped', async () => {
    const out = await run({ argv: ['/bin/sh', '-c', 'seq 1 100000'], env: {}, cwd: undefined }, { outputLimit: 1_000 });
    expect(out.exitCode).toBe(0);
    expect(out.output).toMatch(/^\[\d+ bytes of output dropped\]\n/);
    expect(out.output.endsWith('99999\n100000\n')).toBe(true);
    expect(Buffer.byteLength(out.output.split('\n').slice(1).join('\n'))).toBeLessThanOrEqual(1_000);
  });

  it('kills the whole process group at its run limit, a background child included', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'actuator-kill-'));
    const marker = join(dir, 'child-survived');
    const pidFile = join(dir, 'child.pid');
    const started = Date.now();
    const out = await run({ argv: ['/bin/sh', '-c', `(sleep 2; touch ${marker}) & echo $! > ${pidFile}; sleep 30`], env: {}, cwd: undefined }, { runLimitMs: 300 });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(out.exitCode).toBeNull();
    expect(out.note).toMatch(/run limit of 300 ms/);
    const child = Number(readFileSync(pidFile, 'utf8'));
    let alive = true;
    for (let i = 0; i < 100 && alive; i++) {
      try {
        process.kill(child, 0);
        await new Promise((r) => setTimeout(r, 20));
      } catch {
        alive = false;
      }
    }
    expect(alive).toBe(false);
    expect(existsSync(marker)).toBe(false);
  });

  it('a program that cannot start is an outcome with a note, not a crash', async () => {
    const out = await run({ argv: ['/nonexistent/program'], env: {}, cwd: undefined });
    expect(out.exitCode).toBeNull();
    expect(out.note).toMatch(/could not start \/nonexistent\/program/);
  });
});

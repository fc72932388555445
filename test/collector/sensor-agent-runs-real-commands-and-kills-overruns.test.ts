/** Real child processes: exit codes and output reach the samples, an overrun is killed with its whole process group. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCommand, runSamples, type SensorDef } from '../../collector/sensor-agent/index.js';

const def = (argv: string[], timeoutMs = 5000): SensorDef => ({
  name: 'probe', metric: 'probe', commandLine: argv.join(' '), argv, schedule: { kind: 'interval', everyMs: 60_000, offsetMs: 0 }, timeoutMs, perfdata: true,
  pos: { file: 'x.xml', line: 1, column: 1 },
});
const time = new Date('2024-05-01T12:00:00Z');

/** Whether a process runs: a zombie (killed, waiting for a reaper that a container's init may never be) counts as gone. */
function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

describe('running sensor commands', () => {
  it('turns a plugin\'s exit code, first line, long output and perfdata into samples', async () => {
    const argv = ['/bin/sh', '-c', 'echo "DISK WARNING - 10% free | \'/var lib\'=90%;80;95;0;100"; echo "sda1 ok"; echo "sdb1 full"; exit 1'];
    const result = await runCommand(argv, 5000);
    expect(result).toMatchObject({ exitCode: 1, timedOut: false });
    expect(runSamples(def(argv), 'wn01', time, result)).toEqual([
      { node: 'wn01', metric: 'probe', time, value: 1, source: 'sensor', summary: 'DISK WARNING - 10% free', details: 'sda1 ok\nsdb1 full' },
      { node: 'wn01', metric: 'probe./var lib', time, value: 90, source: 'sensor', tags: { uom: '%', warn: '80', crit: '95', min: '0', max: '100' } },
    ]);
  });

  it('reports an exit code above 3 as UNKNOWN and uses stderr when stdout is empty', async () => {
    const argv = ['/bin/sh', '-c', 'echo "broken config" >&2; exit 7'];
    expect(runSamples(def(argv), 'n', time, await runCommand(argv, 5000))).toEqual([{ node: 'n', metric: 'probe', time, value: 3, source: 'sensor', summary: 'broken config' }]);
  });

  it('reports a command that cannot start as UNKNOWN saying why', async () => {
    const argv = ['/nonexistent/check_nothing'];
    const [sample] = runSamples(def(argv), 'n', time, await runCommand(argv, 5000));
    expect(sample).toMatchObject({ value: 3, summary: expect.stringMatching(/^UNKNOWN: cannot run \/nonexistent\/check_nothing: spawn .*ENOENT/) as unknown });
  });

  it('kills an overrunning command and the children it started, even ones ignoring SIGTERM, and reports UNKNOWN', async () => {
    // The grandchild ignores SIGTERM (inherited from the trap), so only the group-wide SIGKILL after the grace ends it.
    const argv = ['/bin/sh', '-c', 'trap "" TERM; sleep 30 & echo $!; wait; wait'];
    const started = Date.now();
    const result = await runCommand(argv, 300);
    expect(result.timedOut).toBe(true);
    // 300 ms, then 1 s of grace before SIGKILL; the rest is slack for a loaded machine.
    expect(Date.now() - started).toBeLessThan(5000);
    const grandchild = Number(result.stdout.trim());
    expect(grandchild).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 100));
    expect(alive(grandchild)).toBe(false);
    expect(runSamples(def(argv, 300), 'n', time, result)).toEqual([
      { node: 'n', metric: 'probe', time, value: 3, source: 'sensor', summary: 'UNKNOWN: sensor "probe" overran its 300ms timeout and was killed' },
    ]);
  });

  it('stops a running command when aborted', async () => {
    const abort = new AbortController();
    const pending = runCommand(['/bin/sleep', '30'], 60_000, abort.signal);
    setTimeout(() => abort.abort(), 100);
    const result = await pending;
    expect(result).toMatchObject({ timedOut: false, signal: 'SIGTERM' });
  });
});

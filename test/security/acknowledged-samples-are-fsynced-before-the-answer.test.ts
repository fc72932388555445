import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startApplianceProcess, type ApplianceProcess } from '../support/appliance-process.js';
import { serviceMissing } from '../support/services.js';
import { removeTempDirs, tempDir } from '../support/temp-files.js';

/** strace must exist and be allowed to trace (containers often forbid ptrace). */
function straceWorks(): boolean {
  const probe = spawnSync('strace', ['-f', '-e', 'trace=fsync', '-o', '/dev/null', 'true'], { stdio: 'ignore' });
  return probe.status === 0;
}

const available = straceWorks();
if (!available) serviceMissing('strace (ptrace)', 'install strace (apt-get install strace, see .ci/run) and allow ptrace');

const traceFile = join(tempDir(), 'trace.txt');
let app: ApplianceProcess;

beforeAll(async () => {
  if (!available) return;
  // -yy prints each descriptor's path or socket, -s the first bytes of reads and writes (the request line, the status).
  app = await startApplianceProcess({
    dataDir: join(tempDir(), 'data'),
    wrapper: ['strace', '-f', '--seccomp-bpf', '-yy', '-s', '48', '-e', 'trace=read,writev,write,pwrite64,fsync,fdatasync', '-o', traceFile],
  });
}, 120_000);

afterAll(async () => {
  await app?.stop();
  removeTempDirs();
}, 30_000);

/** The trace lines from the request's arrival to its answer. */
function requestWindow(trace: string[], marker: string): string[] {
  // A call another thread interrupts is printed in two parts: the data is on its `<... read resumed>` line.
  const start = trace.findIndex((l) => /\bread\(\d+<TCP(v6)?:|<\.\.\. read resumed>/.test(l) && l.includes(marker));
  if (start < 0) return [];
  const end = trace.findIndex((l, i) => i > start && /\bwritev?\(\d+<TCP(v6)?:/.test(l) && l.includes('HTTP/1.1 200'));
  return end < 0 ? [] : trace.slice(start, end + 1);
}

/**
 * Where the WAL's fsync succeeded: its own line, or (run on a thread-pool thread while another thread made calls)
 * strace's `<unfinished ...>` line followed by the same thread's `<... resumed>) = 0`.
 */
function syncedAt(window: string[]): number {
  for (let i = 0; i < window.length; i++) {
    const m = /^(\d+)\s+(fsync|fdatasync)\(\d+<[^>]*appliance\.db-wal>(\) = 0| <unfinished \.\.\.>)/.exec(window[i]!);
    if (!m) continue;
    if (m[3] !== ' <unfinished ...>') return i;
    const resumed = window.findIndex((l, j) => j > i && new RegExp(`^${m[1]}\\s+<\\.\\.\\. ${m[2]} resumed>\\)\\s*= 0`).test(l));
    if (resumed > i) return i;
  }
  return -1;
}

describe.skipIf(!available)('an acknowledged POST /api/v1/samples is on disk before the 200 is sent', () => {
  it('fsyncs the WAL between reading each request and writing its answer', async () => {
    for (const n of [1, 2]) {
      const res = await fetch(new URL(`api/v1/samples?try=${n}`, app.url), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify([{ node: 'wn1', metric: 'durable', time: 1_700_000_000 + n, value: n }]),
      });
      expect(res.status).toBe(200);
      // strace writes its file as the calls return; the answer is only sent after the window closes.
      await expect
        .poll(() => requestWindow(readFileSync(traceFile, 'utf8').split('\n'), `try=${n}`).length, { timeout: 10_000 })
        .toBeGreaterThan(0);
      const window = requestWindow(readFileSync(traceFile, 'utf8').split('\n'), `try=${n}`);
      const walWrite = window.findIndex((l) => /\bpwrite64\(\d+<[^>]*appliance\.db-wal>/.test(l));
      const walSync = syncedAt(window);
      expect(walWrite, `no WAL write while request ${n} was handled:\n${window.join('\n')}`).toBeGreaterThanOrEqual(0);
      expect(walSync, `no fsync of the WAL before the answer to request ${n}:\n${window.join('\n')}`).toBeGreaterThan(walWrite);
    }
  }, 60_000);
});

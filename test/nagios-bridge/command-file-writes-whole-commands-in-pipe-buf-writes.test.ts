/** The command-file transport on a real FIFO: whole commands per write, no reader is retryable, too long goes to the spool. */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createCommandFileTransport, packLines, PIPE_BUF } from '../../nagios-bridge/transports/index.js';
import type { PassiveResult } from '../../nagios-bridge/types.js';
import { removeTempDirs, tempDir } from '../support/temp-files.js';

afterAll(removeTempDirs);

const result = (i: number, over: Partial<PassiveResult> = {}): PassiveResult => ({
  kind: 'service', host: `host-${i}`, service: `svc-${i}`, state: 0, output: `OK ${i} ${'x'.repeat(i % 97)}`, checkTime: 1795311000 + i, source: 'nrdp', ...over,
});

/** A reader on the FIFO (as Nagios would be) that copies what it reads into a file. */
function readInto(fifo: string, out: string): ChildProcess {
  return spawn('sh', ['-c', `exec cat "$0" > "$1"`, fifo, out], { stdio: 'ignore' });
}
const exited = (p: ChildProcess) => new Promise<void>((done) => (p.exitCode !== null ? done() : p.once('exit', () => done())));

describe('packing commands into writes', () => {
  it('never splits a command and never exceeds PIPE_BUF', () => {
    const lines = Array.from({ length: 500 }, (_, i) => `[1] PROCESS_SERVICE_CHECK_RESULT;h;s${i};0;${'y'.repeat(i * 7 % 300)}\n`);
    const { buffers, owner } = packLines(lines);
    expect(buffers.length).toBeGreaterThan(1);
    for (const b of buffers) {
      expect(b.length).toBeLessThanOrEqual(PIPE_BUF);
      expect(b.toString().endsWith('\n')).toBe(true);
    }
    expect(Buffer.concat(buffers).toString()).toBe(lines.join(''));
    expect(owner.every((b, i) => i === 0 || b >= owner[i - 1]!)).toBe(true);
  });
});

describe('command-file transport', () => {
  it('delivers a batch to a reader, in order, every command whole', async () => {
    const dir = tempDir();
    const fifo = join(dir, 'nagios.cmd');
    execFileSync('mkfifo', [fifo]);
    const out = join(dir, 'read.txt');
    const reader = readInto(fifo, out);
    // Opening for write while `cat` has not opened yet would be ENXIO: wait for the reader to be there.
    const transport = createCommandFileTransport({ path: fifo });
    const results = Array.from({ length: 300 }, (_, i) => result(i));
    let outcomes = await transport.deliver(results);
    for (let tries = 0; outcomes.some((o) => o.status !== 'ok') && tries < 100; tries++) {
      await new Promise((r) => setTimeout(r, 20));
      outcomes = await transport.deliver(results);
    }
    expect(outcomes.every((o) => o.status === 'ok')).toBe(true);
    await exited(reader);
    const lines = readFileSync(out, 'utf8').split('\n').slice(0, -1);
    expect(lines).toHaveLength(300);
    expect(lines[0]).toBe('[1795311000] PROCESS_SERVICE_CHECK_RESULT;host-0;svc-0;0;OK 0 ');
    expect(lines.map((l) => /;host-(\d+);/.exec(l)?.[1])).toEqual(results.map((_, i) => String(i)));
  });

  it('answers "no reader" as retryable at once instead of blocking', async () => {
    const dir = tempDir();
    const fifo = join(dir, 'nagios.cmd');
    execFileSync('mkfifo', [fifo]);
    const started = Date.now();
    const [o] = await createCommandFileTransport({ path: fifo }).deliver([result(1)]);
    expect(o).toMatchObject({ status: 'retryable' });
    expect(o?.status === 'retryable' && o.reason).toContain('no process reads the command file');
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('refuses a regular file in the FIFO place, and a missing FIFO, as retryable', async () => {
    const dir = tempDir({ 'plain.cmd': '' });
    const [plain] = await createCommandFileTransport({ path: join(dir, 'plain.cmd') }).deliver([result(1)]);
    expect(plain).toMatchObject({ status: 'retryable' });
    expect(plain?.status === 'retryable' && plain.reason).toContain('is not a FIFO');
    expect(readFileSync(join(dir, 'plain.cmd'), 'utf8')).toBe('');
    const [missing] = await createCommandFileTransport({ path: join(dir, 'gone.cmd') }).deliver([result(1)]);
    expect(missing).toMatchObject({ status: 'retryable' });
    expect(missing?.status === 'retryable' && missing.reason).toContain('does not exist');
  });

  it('fails a command too long for one write for good without a spool, and spools it with one', async () => {
    const dir = tempDir();
    const fifo = join(dir, 'nagios.cmd');
    execFileSync('mkfifo', [fifo]);
    const long = result(1, { longOutput: 'z'.repeat(5000) });
    const [noSpool] = await createCommandFileTransport({ path: fifo }).deliver([long]);
    expect(noSpool).toMatchObject({ status: 'final' });
    expect(noSpool?.status === 'final' && noSpool.reason).toContain('longer than one atomic write (4096)');

    const spool = tempDir();
    const [spooled] = await createCommandFileTransport({ path: fifo, spool, clock: () => new Date(1795312000_000) }).deliver([long]);
    expect(spooled).toEqual({ status: 'ok' });
    const files = readdirSync(spool).sort();
    expect(files).toHaveLength(2);
    expect(files[0]).toMatch(/^c[A-Za-z0-9]{6}$/);
    expect(files[1]).toBe(`${files[0]}.ok`);
    const text = readFileSync(join(spool, files[0]!), 'utf8');
    expect(text).toContain('file_time=1795312000\n\nhost_name=host-1\nservice_description=svc-1\n');
    expect(text).toContain(`output=OK 1 x\\n${'z'.repeat(5000)}\n`);
    expect(existsSync(join(spool, files[1]!))).toBe(true);
  });

  it('fails an injected name for good and still delivers the rest of the batch', async () => {
    const dir = tempDir();
    const fifo = join(dir, 'nagios.cmd');
    execFileSync('mkfifo', [fifo]);
    const out = join(dir, 'read.txt');
    const reader = readInto(fifo, out);
    const transport = createCommandFileTransport({ path: fifo });
    const batch = [result(1), result(2, { host: 'evil\n[1] SHUTDOWN_PROGRAM' }), result(3)];
    let outcomes = await transport.deliver(batch);
    for (let tries = 0; outcomes[0]!.status !== 'ok' && tries < 100; tries++) {
      await new Promise((r) => setTimeout(r, 20));
      outcomes = await transport.deliver(batch);
    }
    expect(outcomes.map((o) => o.status)).toEqual(['ok', 'final', 'ok']);
    await exited(reader);
    expect(readFileSync(out, 'utf8')).not.toContain('SHUTDOWN_PROGRAM');
  });
});

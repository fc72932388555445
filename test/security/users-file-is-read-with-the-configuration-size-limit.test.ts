/**
 * The users file is configuration too, so it is read as the configuration files are: `--users /dev/zero` made
 * `check-config` (and `serve`, and every reload) grow without end, a FIFO blocked the process before a byte arrived.
 * Both are now one error line naming the file; a real process is used because the old reads never returned.
 */
import { execFile } from 'node:child_process';
import { truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../common/index.js';
import { mkfifoSync } from '../grammar/support/mkfifo.js';
import { removeTempDirs, tempDir } from '../support/temp-files.js';

afterAll(removeTempDirs);

const cli = join(packageRoot(), 'bin/appliance.ts');

/** `appliance check-config --users FILE`: its exit code and output (a process that has not answered in 60 s fails). */
async function checkConfig(usersFile: string): Promise<{ code: number; output: string }> {
  const env = { ...process.env, APPLIANCE_USERS_FILE: '' };
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', cli, 'check-config', '--users', usersFile], { env, timeout: 60_000, cwd: packageRoot() });
    return { code: 0, output: stdout + stderr };
  } catch (err) {
    const e = err as { code?: number | string; killed?: boolean; stdout?: string; stderr?: string };
    if (e.killed) throw new Error(`check-config --users ${usersFile} did not answer within 60 s`, { cause: err });
    return { code: Number(e.code), output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

describe('the users file is read with the configuration size limit', () => {
  it('a FIFO is an error naming the file, without waiting for a writer', async () => {
    const fifo = join(tempDir(), 'users.fifo');
    mkfifoSync(fifo);
    const { code, output } = await checkConfig(fifo);
    expect(code).toBe(1);
    expect(output).toContain(`${fifo}:1:1: cannot read the users file: not a regular file; a configuration file must be a plain file`);
  }, 90_000);

  it('/dev/zero is an error naming the file, read not at all', async () => {
    const { code, output } = await checkConfig('/dev/zero');
    expect(code).toBe(1);
    expect(output).toContain('/dev/zero:1:1: cannot read the users file: not a regular file');
  }, 90_000);

  it('a file over 16 MiB is an error naming its size', async () => {
    const big = join(tempDir(), 'users');
    writeFileSync(big, 'admin:$2y$10$0123456789012345678901uVnE4d7e0p9RjC0Xz3H6k8m2b5n7q9s1\n');
    truncateSync(big, 16 * 1024 * 1024 + 1);
    const { code, output } = await checkConfig(big);
    expect(code).toBe(1);
    expect(output).toContain(`${big}:1:1: cannot read the users file: 16777217 bytes is larger than the 16 MiB a configuration file may have`);
  }, 90_000);
});

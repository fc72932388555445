/** Closing the embedded store resolves even when nothing else keeps the process alive (the checkpoint worker is unref'd). */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, tempDir } from '../support/temp-files.js';

afterAll(removeTempDirs);

describe('the SQLite store in a plain process', () => {
  it('close() resolves after a checkpoint was handed to the worker, and the process exits 0', () => {
    const file = join(tempDir({}), 'store.db');
    const script = new URL('./support/open-write-close.ts', import.meta.url).pathname;
    const run = spawnSync(process.execPath, ['--import', 'tsx', script, file], { encoding: 'utf8', timeout: 60_000 });
    // Before the fix the process ended with 13 (an unsettled top-level await) and never printed "closed".
    expect(run.stderr).toBe('');
    expect(run.stdout.trim()).toBe('closed');
    expect(run.status).toBe(0);
  });
});

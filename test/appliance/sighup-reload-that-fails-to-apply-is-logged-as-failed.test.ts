/** SIGHUP to a running `appliance serve`: a reload whose metric declarations cannot be saved is logged as a failure with its rollback, never as "configuration reloaded". */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../common/index.js';
import { openStore } from '../../store/index.js';
import { copyShippedConfig } from '../support/config-dir.js';
import { removeTempDirs, tempDir } from '../support/temp-files.js';

const cli = join(packageRoot(), 'bin', 'appliance.ts');
afterAll(() => removeTempDirs());

describe('serve on SIGHUP', () => {
  it('logs a reload that a part cannot apply as failed, naming the part and what was rolled back', async () => {
    const [configDir, data] = [copyShippedConfig(), tempDir()];
    // node itself, not the tsx wrapper, so the signal reaches the appliance's process.
    const child = spawn(process.execPath, ['--import', 'tsx', cli, 'serve', '--config', configDir, '--data', data, '--port', '0', '--no-demo'], {
      env: { ...process.env, APPLIANCE_USERS_FILE: '', APPLIANCE_LOG_FORMAT: '' },
    });
    let log = '';
    child.stderr.on('data', (d: Buffer) => (log += d.toString()));
    const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      await expect.poll(() => log, { timeout: 60_000, interval: 100 }).toMatch(/listening on http:\/\/localhost:\d+\//);
      const store = openStore({ interface: 'sqlite', file: join(data, 'appliance.db') });
      await store.execute('ALTER TABLE metrics RENAME TO metrics_away');
      await store.close();
      writeFileSync(join(configDir, 'declared.xml'), '<graphtool-config><class type="Metrics" name="D"><metric name="org.example.d">d</metric></class></graphtool-config>\n');
      child.kill('SIGHUP');
      await expect.poll(() => log, { timeout: 20_000, interval: 100 }).toMatch(/^\S+Z ERROR configuration reload failed in collector \(rolled back collector, graph routes, access, /m);
      expect(log).not.toMatch(/configuration reloaded/);
    } finally {
      child.kill('SIGTERM');
      await exit;
    }
  }, 120_000);
});

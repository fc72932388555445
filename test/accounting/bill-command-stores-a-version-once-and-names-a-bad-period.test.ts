/** `appliance bill`: a month billed from the command line stores each invoice once; a re-run stores nothing; bad options are named. */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { ALL_MIGRATIONS } from '../../appliance.js';
import { packageRoot } from '../../common/index.js';
import { openStore } from '../../store/index.js';
import { copyShippedConfig } from '../support/config-dir.js';
import { removeTempDirs, tempDir } from '../support/temp-files.js';
import { at, importSegments, segment } from './billing-support.js';

afterAll(removeTempDirs);

const run = promisify(execFile);
const tsx = join(packageRoot(), 'node_modules/.bin/tsx');
const cli = join(packageRoot(), 'bin/appliance.ts');

async function appliance(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { ...process.env, APPLIANCE_DEBUG: '', APPLIANCE_USERS_FILE: '', APPLIANCE_DB: '' };
  try {
    const { stdout, stderr } = await run(tsx, [cli, ...args], { env, timeout: 240_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('appliance bill', () => {
  it('bills a month with the configured rate card, then finds nothing new to store', async () => {
    const config = copyShippedConfig();
    writeFileSync(join(config, 'rate_card_test.xml'), `<graphtool-config>
  <class type="RateCard" name="standard"><attribute name="currency">EUR</attribute><price core_hour="0.05" vm_fee="1"/></class>
</graphtool-config>\n`);
    const data = tempDir();
    const db = join(data, 'billing.db');
    const store = openStore({ interface: 'sqlite', file: db });
    await store.migrate(ALL_MIGRATIONS);
    await importSegments(store, [
      segment({ vmId: 1, start: at('2026-11-01T00:00:00Z'), end: at('2026-12-01T00:00:00Z'), runEnd: at('2026-12-01T00:00:00Z') }),
      segment({ vmId: 2, groupName: 'cms', start: at('2026-11-30T00:00:00Z'), end: at('2026-12-02T00:00:00Z'), runEnd: at('2026-12-02T00:00:00Z') }),
    ]);
    await store.close();
    const args = ['--config', config, '--data', data, '--db', `sqlite:${db}`, 'bill', '--period', '2026-11'];
    const first = await appliance(args);
    expect(first.stderr).toBe('');
    expect(first.stdout).toBe(
      '2026-11 group cms: version 1, 2 lines, total 2.20 EUR\n' +
      '2026-11 group fermilab: version 1, 2 lines, total 37.00 EUR\n' +
      '2026-11 by group (rate card standard, UTC): 31 slices, 2 invoices, 2 new versions, 0 unchanged\n',
    );
    const again = await appliance(args);
    expect(again.stdout).toBe('2026-11 by group (rate card standard, UTC): 31 slices, 2 invoices, 0 new versions, 2 unchanged\n');
    const byUser = await appliance([...args, '--by', 'user']);
    expect(byUser.stdout).toContain('2026-11 user alice: version 1, 4 lines, total 39.20 EUR\n');
  }, 300_000);

  it('names a bad period, grouping or rate card and exits 1', async () => {
    const data = tempDir();
    const base = ['--data', data, '--db', `sqlite:${join(data, 'x.db')}`, 'bill'];
    const last = (r: { stderr: string }) => r.stderr.trimEnd().split('\n').pop();
    const badPeriod = await appliance([...base, '--period', '2026-13', '--by', 'user']);
    expect([badPeriod.code, last(badPeriod)]).toEqual([1, 'appliance: period "2026-13" is not a month written YYYY-MM (e.g. 2026-10)']);
    const badBy = await appliance([...base, '--period', '2026-10', '--by', 'site']);
    expect([badBy.code, last(badBy)]).toEqual([1, 'appliance: by must be one of group, user, vo, not "site"']);
    const badCard = await appliance([...base, '--period', '2026-10', '--rate-card', 'gold']);
    expect([badCard.code, last(badCard)]).toEqual([1, 'appliance: no RateCard class is called "gold"']);
  }, 300_000);
});

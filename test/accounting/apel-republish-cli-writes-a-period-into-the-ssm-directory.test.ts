import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../common/index.js';
import { openStore } from '../../store/index.js';
import { copyShippedConfig } from '../support/config-dir.js';
import { removeTempDirs, tempDir } from '../support/temp-files.js';
import { loadScenario } from './export-scenario.js';

afterAll(removeTempDirs);

const run = promisify(execFile);
const tsx = join(packageRoot(), 'node_modules/.bin/tsx');
const cli = join(packageRoot(), 'bin/appliance.ts');

async function appliance(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { ...process.env, APPLIANCE_DEBUG: '', APPLIANCE_USERS_FILE: '', APPLIANCE_DB: '' };
  try {
    const { stdout, stderr } = await run(tsx, [cli, ...args], { env, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const EXPORT_CLASS = `<graphtool-config>
  <class type="AccountingExport" name="exports">
    <attribute name="site_name">FERMICLOUD</attribute>
    <attribute name="cloud_compute_service">FERMICLOUD-ONE</attribute>
    <attribute name="benchmark_type">HEPSPEC</attribute>
    <attribute name="benchmark">10.5</attribute>
    <attribute name="records_per_message">2</attribute>
    <attribute name="endpoint_urls">one-a=https://one-a.example.org:2633 one-b=https://one-b.example.org:2633</attribute>
  </class>
</graphtool-config>
`;

/** The golden republish run's messages for October and November (its 2nd to 4th messages). */
const goldenOctNov = () =>
  readFileSync(new URL('./golden/apel-v0.4-republish-2026-09-to-2027-01.txt', import.meta.url), 'utf8')
    .split(/(?=^APEL-cloud-message: )/m).slice(1, 4);

function queued(dir: string): string[] {
  return readdirSync(dir).sort().flatMap((sub) => readdirSync(join(dir, sub)).sort().map((n) => readFileSync(join(dir, sub, n), 'utf8')));
}

describe('appliance apel republish', () => {
  it('writes the months from --from to --to into the outgoing directory as the golden run did', async () => {
    const config = copyShippedConfig();
    writeFileSync(join(config, 'accounting_export.xml'), EXPORT_CLASS);
    const data = tempDir();
    const db = join(data, 'acct.db');
    const store = openStore({ interface: 'sqlite', file: db });
    await loadScenario(store);
    await store.close();
    const out = join(data, 'outgoing');
    const args = ['apel', 'republish', '--from', '2026-10', '--to', '2026-11', '--config', config, '--data', data, '--db', `sqlite:${db}`, '--out', out];
    const first = await appliance(args);
    expect(first.stderr).toMatch(/2026-10: 3 record\(s\) in 2 message\(s\)/);
    expect(first.stderr).toMatch(/5 APEL v0\.4 record\(s\) in 3 message\(s\) written to /);
    expect(first.code).toBe(0);
    expect(queued(out)).toEqual(goldenOctNov());
  }, 180_000);

  it('refuses a configuration without AccountingExport and a reversed period, before opening the store', async () => {
    const data = tempDir();
    const base = ['apel', 'republish', '--data', data, '--db', `sqlite:${join(data, 'a.db')}`];
    const noClass = await appliance([...base, '--from', '2026-10', '--to', '2026-12', '--config', copyShippedConfig()]);
    expect(noClass.stderr).toMatch(/no <class type="AccountingExport">/);
    expect(noClass.code).toBe(1);
    const config = copyShippedConfig();
    writeFileSync(join(config, 'accounting_export.xml'), EXPORT_CLASS);
    const reversed = await appliance([...base, '--from', '2026-12', '--to', '2026-10', '--config', config]);
    expect(reversed.stderr).toMatch(/to \(2026-10\) is before from \(2026-12\)/);
    expect(reversed.code).toBe(1);
  }, 180_000);

  it('check-config names the file and line of a wrong AccountingExport attribute', async () => {
    const config = copyShippedConfig();
    writeFileSync(join(config, 'accounting_export.xml'),
      '<graphtool-config>\n  <class type="AccountingExport" name="x">\n    <attribute name="benchmark">ten</attribute>\n    <attribute name="records_per_message">0</attribute>\n  </class>\n</graphtool-config>\n');
    const r = await appliance(['check-config', '--config', config, '--data', tempDir()]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/accounting_export\.xml:2:3: AccountingExport "x": needs <attribute name="site_name">/);
    expect(r.stdout).toMatch(/accounting_export\.xml:3:5: AccountingExport "x": benchmark "ten" is not a decimal/);
    expect(r.stdout).toMatch(/accounting_export\.xml:4:5: AccountingExport "x": records_per_message "0" is not a whole number from 1 to 1000/);
  }, 120_000);
});

import { afterAll, describe, expect, it } from 'vitest';
import { execFile, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { packageRoot } from '../../common/index.js';
import { copyShippedConfig } from '../support/config-dir.js';
import { removeTempDirs, tempDir } from '../support/temp-files.js';

afterAll(removeTempDirs);

const run = promisify(execFile);
const tsx = join(packageRoot(), 'node_modules/.bin/tsx');
const cli = join(packageRoot(), 'bin/appliance.ts');

/** Runs the CLI from source; resolves with the exit code and output instead of throwing on failure. */
async function appliance(args: string[], input?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { ...process.env, APPLIANCE_DEBUG: '', APPLIANCE_USERS_FILE: '', APPLIANCE_DB: '' };
  try {
    const child = run(tsx, [cli, ...args], { env, timeout: 60_000 });
    if (input !== undefined) {
      child.child.stdin?.end(input);
    }
    const { stdout, stderr } = await child;
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('the appliance CLI', () => {
  it('check-config on the shipped configuration finds no errors', async () => {
    const r = await appliance(['check-config', '--data', tempDir()]);
    expect(r.stdout).toMatch(/file\(s\) checked in .*: 0 error\(s\)/);
    expect(r.code).toBe(0);
  });

  it('check-config reports every error of every file as file:line:col and exits 1', async () => {
    const config = copyShippedConfig();
    writeFileSync(join(config, 'a.xml'), '<graphtool-config>\n  <class type="Nope" name="A"/>\n  <class name="C"/>\n</graphtool-config>\n');
    writeFileSync(join(config, 'b.xml'), '<graphtool-config>\n  <class type="Users" name="B">\n    <attribute name="anonymous_read">maybe</attribute>\n  </class>\n</graphtool-config>\n');
    const r = await appliance(['check-config', '--config', config, '--data', tempDir()]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/a\.xml:2:3: warning: class "A": unknown class type "Nope", so this class is not loaded/);
    expect(r.stdout).toMatch(/a\.xml:3:3: <class> needs both/);
    expect(r.stdout).toMatch(/b\.xml:3:5: .*anonymous_read/);
    expect(r.stdout).toMatch(/: 2 error\(s\), 1 warning\(s\)/);
  });

  it('check-config passes with warnings; --strict makes each warning an error at its file:line:col and exits 1', async () => {
    const config = copyShippedConfig();
    const local = '<graphtool-config>\n  <class type="SiteDashboard" name="A"/>\n  <class type="SqlQueries" name="Local"><attribute name="connection_manager">GratiaConnMan</attribute>\n' +
      '    <query name="local_q"><sql>SELECT 1</sql><results module="mysite" function="parse"/></query>\n  </class>\n</graphtool-config>\n';
    writeFileSync(join(config, 'local.xml'), local);
    const data = tempDir();
    const lenient = await appliance(['check-config', '--config', config, '--data', data]);
    expect(lenient.code).toBe(0);
    expect(lenient.stdout).toMatch(/local\.xml:2:3: warning: class "A": unknown class type "SiteDashboard"/);
    expect(lenient.stdout).toMatch(/local\.xml:4:46: warning: query "local_q": unknown results function "mysite\.parse", so this query will report an error/);
    expect(lenient.stdout).toMatch(/: 0 error\(s\), 2 warning\(s\)/);
    const strict = await appliance(['check-config', '--strict', '--config', config, '--data', data]);
    expect(strict.code).toBe(1);
    expect(strict.stdout).toMatch(/local\.xml:2:3: class "A": unknown class type "SiteDashboard"/);
    expect(strict.stdout).toMatch(/local\.xml:4:46: query "local_q": unknown results function "mysite\.parse"/);
    expect(strict.stdout).not.toMatch(/warning: /);
    expect(strict.stdout).toMatch(/: 2 error\(s\) \(2 of them warnings, errors under --strict\), 0 warning\(s\)/);
  });

  it('serve with a broken configuration prints every error and exits 1 without a stack trace', async () => {
    const config = copyShippedConfig();
    writeFileSync(join(config, 'a.xml'), '<graphtool-config>\n  <class type="Users" name="A"><attribute name="anonymous_read">maybe</attribute></class>\n  <class name="B"/>\n</graphtool-config>\n');
    const r = await appliance(['serve', '--config', config, '--data', tempDir(), '--port', '0']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/a\.xml:2:32: .*anonymous_read.*\n.*a\.xml:3:3: <class> needs both type="\.\.\." and name="\.\.\."/);
    expect(r.stderr).toMatch(/appliance: 2 configuration error\(s\); nothing was started/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('a --data path that is a file is one clear line, exit 1', async () => {
    const file = join(tempDir(), 'plain-file');
    writeFileSync(file, 'x');
    const r = await appliance(['serve', '--data', file, '--port', '0']);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(`appliance: --data ${file} is not a directory; pass a directory for the appliance's data`);
  });

  it('an unknown command prints the usage and exits 2', async () => {
    const r = await appliance(['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown command "frobnicate"[\s\S]*Usage: appliance/);
  });

  it('demo refuses to seed twice, and token create/list/revoke work on the store', async () => {
    const data = tempDir();
    const first = await appliance(['demo', '--days', '3', '--data', data]);
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ days: 3, seed: '1' });
    const second = await appliance(['demo', '--days', '3', '--data', data]);
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(/^appliance: the store already holds demo data/);

    // A token is for a user of the users file (there is none here) or, asked for by name, a service token.
    const ownerless = await appliance(['token', 'create', 'nightly', '--role', 'viewer', '--data', data]);
    expect(ownerless.code).toBe(1);
    expect(ownerless.stderr).toMatch(/either --user U .* or --service/);
    const created = await appliance(['token', 'create', 'nightly', '--role', 'viewer', '--service', '--data', data]);
    expect(created.code).toBe(0);
    const id = /^token (\S+) \(viewer, service token\): (\S+)$/m.exec(created.stdout);
    expect(id).not.toBeNull();
    expect((await appliance(['token', 'list', '--data', data])).stdout).toContain(id![1]!);
    expect((await appliance(['token', 'revoke', id![1]!, '--data', data])).code).toBe(0);
    expect((await appliance(['token', 'revoke', 'nope', '--data', data])).code).toBe(1);
  }, 120_000);

  it('user add writes a bcrypt entry the appliance accepts', async () => {
    const users = join(tempDir(), 'htpasswd');
    writeFileSync(users, '# site users\nold:{SHA}qUqP5cyxm6YcTAhz05Hph5gvu9M=\n');
    const r = await appliance(['user', 'add', 'alice', '--users', users], 'wonderland\n');
    expect(r.code).toBe(0);
    const check = await appliance(['check-config', '--users', users, '--data', tempDir()]);
    expect(check.code).toBe(0);
    const { readFileSync } = await import('node:fs');
    const text = readFileSync(users, 'utf8');
    expect(text).toMatch(/^# site users\nold:\{SHA\}.*\nalice:\$2[aby]\$\d\d\$.{53}\n$/);
  });

  it('serve prints its URL, reloads on SIGHUP, and exits 0 after draining on SIGTERM', async () => {
    // node itself, not the tsx wrapper, so the signals reach the appliance's process.
    const child = spawn(process.execPath, ['--import', 'tsx', cli, 'serve', '--data', tempDir(), '--port', '0', '--no-demo'], { env: { ...process.env, APPLIANCE_USERS_FILE: '' } });
    let log = '';
    child.stderr.on('data', (d: Buffer) => (log += d.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no URL printed:\n${log}`)), 30_000);
      child.stderr.on('data', () => {
        const m = /listening on (http:\/\/localhost:\d+\/)/.exec(log);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      });
    });
    expect((await fetch(new URL('healthz', url))).status).toBe(200);
    child.kill('SIGHUP');
    await expect.poll(() => log, { timeout: 10_000 }).toMatch(/configuration reloaded/);
    const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
    expect(log).toMatch(/SIGTERM: draining requests and closing the store/);
  });

  it('query prints a shipped query as JSON, XML or CSV, and names a bad input', async () => {
    const data = tempDir();
    expect((await appliance(['demo', '--days', '14', '--data', data])).code).toBe(0);
    const json = await appliance(['query', 'vo_hours_bar_smry', '--data', data]);
    expect(json.code).toBe(0);
    const parsed = JSON.parse(json.stdout) as { query: string; kind: string; data: unknown[] };
    expect(parsed).toMatchObject({ query: 'vo_hours_bar_smry', kind: 'pivot-group' });
    expect(parsed.data.length).toBeGreaterThan(5);
    const xml = await appliance(['query', 'vo_hours_bar_smry', 'span=86400', '--format', 'xml', '--data', data]);
    expect(xml.stdout).toMatch(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n[\s\S]*<query name="vo_hours_bar_smry">[\s\S]*<data [^>]*kind="pivot-group"/);
    const csv = await appliance(['query', 'vo_hours_bar_smry', '--format', 'csv', '--data', data]);
    expect(csv.stdout.split('\n')[0]).toBe('VO,Unknown Grouping,Wall Time');
    const bad = await appliance(['query', 'vo_hours_bar_smry', 'span=nope', '--data', data]);
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim()).toBe('appliance: input "span": "nope" is not an integer');
  });
});

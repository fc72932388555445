/**
 * The bridge's cmd_cgi target against Debian's real cmd.cgi (run as a CGI behind test/support/cmd-cgi-runner.ts)
 * into a private Nagios 4, read back from status.dat: the CSRF handshake, a wrong password, HTTPS with a CA file.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queueMigrations } from '../../queue/index.js';
import type { Store } from '../../store/index.js';
import {
  createNagiosBridge,
  defaultBridgeSettings,
  nagiosBridgeMigrations,
  type CmdCgiTargetSettings,
  type NagiosBridge,
  type PassiveResult,
  type TargetStats,
} from '../../nagios-bridge/index.js';
import { cmdCgiAvailable, startCmdCgiRunner, type CmdCgiRunner } from '../support/cmd-cgi-runner.js';
import { createNagios, nagiosAvailable, until, type NagiosInstance } from '../support/nagios.js';
import { sqliteBackend } from '../support/stores.js';
import { removeTempDirs, tempDir } from '../support/temp-files.js';

const HOST = 'ce1.example.org';
const SERVICES = ['ping', 'certs', 'locked-out', 'tls', 'unknown-ca'];
const PASSWORD = 'cgi secret $1';
const now = Math.floor(Date.now() / 1000);

const svc = (service: string, over: Partial<PassiveResult> = {}): PassiveResult => ({
  kind: 'service', host: HOST, service, state: 0, output: `OK ${service}`, checkTime: now - 600, source: 'nrdp', ...over,
});

afterAll(removeTempDirs);

describe.runIf(nagiosAvailable() && cmdCgiAvailable())("cmd_cgi target through Debian's cmd.cgi into Nagios 4", () => {
  let nagios: NagiosInstance;
  let runner: CmdCgiRunner;
  let store: Store;
  let dispose: () => Promise<void>;
  let secrets: string;
  const bridges: NagiosBridge[] = [];

  const target = (name: string, over: Partial<CmdCgiTargetSettings> = {}): CmdCgiTargetSettings => ({
    name, type: 'cmd_cgi', url: runner.url, user: 'nagiosadmin', passwordFile: join(secrets, 'password'), insecure: false, timeoutMs: 10_000, concurrency: 4, ...over,
  });
  const bridgeWith = (t: CmdCgiTargetSettings) => {
    const bridge = createNagiosBridge({ store, settings: { ...defaultBridgeSettings(), targets: [t], retryMinMs: 50, retryMaxMs: 300 }, pollMs: 50 });
    bridges.push(bridge);
    bridge.start();
    return bridge;
  };
  const statsOf = async (bridge: NagiosBridge): Promise<TargetStats> => (await bridge.stats())[0]!;

  beforeAll(async () => {
    nagios = createNagios({ [HOST]: SERVICES, 'se1.example.org': [] });
    await nagios.start();
    runner = await startCmdCgiRunner({ nagiosDir: nagios.dir, users: { nagiosadmin: PASSWORD } });
    secrets = tempDir({ password: `${PASSWORD}\n`, wrong: 'not the password\n' });
    const db = await sqliteBackend.create();
    store = db.open();
    dispose = db.dispose;
    await store.migrate([...queueMigrations, ...nagiosBridgeMigrations]);
  }, 30_000);

  afterAll(async () => {
    for (const b of bridges) await b.stop();
    await runner?.close();
    await store?.close();
    await dispose?.();
    await nagios?.dispose();
  });

  it('delivers state, output, long output and perfdata of service and host results, doing the CSRF handshake its first request needs', async () => {
    const bridge = bridgeWith(target('remote'));
    const sent = Date.now() / 1000;
    await bridge.submit([
      svc('ping', { state: 2, output: 'CRITICAL: x', perfdata: 'rta=0.5ms;1;2', longOutput: 'line two\nline C:\\three' }),
      svc('certs', { state: 1, output: 'WARNING: expires + soon & 100%', perfdata: 'days=3' }),
      { kind: 'host', host: 'se1.example.org', state: 1, output: 'DOWN: no route', checkTime: now - 300, source: 'cmd.cgi' },
    ]);
    await until(() => nagios.service(HOST, 'certs')?.current_state === '1' && nagios.service(HOST, 'ping')?.current_state === '2' && nagios.host('se1.example.org')?.current_state === '1', 'the results in status.dat', 20_000);
    // status.dat escapes a newline of the long output as `\n` and a backslash as `\\`.
    expect(nagios.service(HOST, 'ping')).toMatchObject({ plugin_output: 'CRITICAL: x', long_plugin_output: 'line two\\nline C:\\\\three', performance_data: 'rta=0.5ms;1;2', check_type: '1' });
    expect(nagios.service(HOST, 'certs')).toMatchObject({ plugin_output: 'WARNING: expires + soon & 100%', performance_data: 'days=3' });
    expect(nagios.host('se1.example.org')).toMatchObject({ plugin_output: 'DOWN: no route' });
    // cmd.cgi stamps the time it runs: the original check time cannot reach Nagios this way.
    expect(Number(nagios.service(HOST, 'ping')!.last_check)).toBeGreaterThanOrEqual(Math.floor(sent));

    const [first, second, ...rest] = runner.requests;
    expect(first).toMatchObject({ status: 200, message: '<p>Error: Invalid or missing CSRF cookie!</p>' });
    expect(first!.cookie).toBeUndefined();
    expect(second!.cookie).toMatch(/^NagFormId=[0-9a-f]+$/);
    expect(second!.form).toContain(`nagFormId=${second!.cookie!.slice('NagFormId='.length)}`);
    for (const r of [second!, ...rest]) expect(r.message).toContain('Your command request was successfully submitted');
    expect(rest).toHaveLength(2);
    // Nagios may show a result before the bridge has recorded its delivery: wait for the queue, not for status.dat.
    let stats: TargetStats | undefined;
    await until(() => {
      void statsOf(bridge).then((s) => (stats = s));
      return stats?.queued === 0 && stats.delivering === 0;
    }, 'the queue to record the deliveries', 20_000);
    expect(stats).toMatchObject({ queued: 0, delivering: 0, dead: 0 });
  }, 30_000);

  it('holds results refused for a wrong password (401, retryable, the reason as the last error) and delivers them once the password file is fixed', async () => {
    const file = join(secrets, 'locked-out-password');
    writeFileSync(file, 'not the password\n');
    const bridge = bridgeWith(target('wrong-password', { passwordFile: file }));
    const before = runner.requests.length;
    await bridge.submit([svc('locked-out', { state: 2, output: 'CRITICAL: held' })]);
    let stats: TargetStats | undefined;
    await until(() => {
      void statsOf(bridge).then((s) => (stats = s));
      return stats?.lastError !== undefined;
    }, 'the refused delivery');
    expect(stats!.lastError!.reason).toBe(`${runner.url} refused user "nagiosadmin" (HTTP 401): check the target's user and password`);
    expect(stats!.dead).toBe(0);
    expect(stats!.queued + stats!.delivering).toBe(1);
    expect(runner.requests.slice(before).every((r) => r.status === 401)).toBe(true);
    expect(nagios.service(HOST, 'locked-out')?.plugin_output).not.toBe('CRITICAL: held');

    writeFileSync(file, `${PASSWORD}\n`);
    await until(() => nagios.service(HOST, 'locked-out')?.plugin_output === 'CRITICAL: held', 'the held result after the fix', 20_000);
    await until(() => {
      void statsOf(bridge).then((s) => (stats = s));
      return stats?.queued === 0 && stats.delivering === 0;
    }, 'an empty outbox');
    expect(stats!.dead).toBe(0);
  }, 30_000);

  it('speaks HTTPS to a self-signed cmd.cgi with ca_file, and keeps results (retryable) for one whose certificate it cannot verify', async () => {
    const dir = tempDir({});
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'pipe' });
    const tls = await startCmdCgiRunner({ nagiosDir: nagios.dir, users: { nagiosadmin: PASSWORD }, tls: { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') } });
    try {
      expect(tls.url).toMatch(/^https:/);
      const good = bridgeWith(target('tls', { url: tls.url, caFile: join(dir, 'cert.pem') }));
      const bad = bridgeWith(target('unknown-ca', { url: tls.url }));
      await good.submit([svc('tls', { state: 1, output: 'WARNING: over TLS' })]);
      await bad.submit([svc('unknown-ca', { state: 2, output: 'CRITICAL: never' })]);
      await until(() => nagios.service(HOST, 'tls')?.plugin_output === 'WARNING: over TLS', 'the HTTPS result', 20_000);
      let stats: TargetStats | undefined;
      await until(() => {
        void statsOf(bad).then((s) => (stats = s));
        return stats?.lastError !== undefined;
      }, 'the unverifiable delivery');
      expect(stats!.lastError!.reason).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/cgi-bin\/nagios4\/cmd\.cgi: cannot reach 127\.0\.0\.1:\d+: self-signed certificate/);
      expect(stats).toMatchObject({ dead: 0 });
      expect(nagios.service(HOST, 'unknown-ca')?.plugin_output).not.toBe('CRITICAL: never');
    } finally {
      await Promise.all(bridges.splice(-2).map((b) => b.stop()));
      await tls.close();
    }
  }, 40_000);
});

/** The generated object config against Debian's real nagios4: passes `nagios4 -v`, respects hand-written objects, never replaced by a bad file, retired shows why. */
import { appendFileSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queueMigrations } from '../../queue/index.js';
import type { Store } from '../../store/index.js';
import {
  createNagiosBridge, defaultBridgeSettings, generateObjectConfig, nagiosBridgeMigrations, objectConfigSettings, ObjectConfigRejectedError, writeObjectConfig,
  type NagiosBridge, type PassiveResult,
} from '../../nagios-bridge/index.js';
import { createNagios, nagiosAvailable, until, type NagiosInstance } from '../support/nagios.js';
import { sqliteBackend } from '../support/stores.js';
import { hostBlock, serviceBlock } from '../nagios-bridge/support/object-blocks.js';

const CE = 'ce1.example.org';
const HAND = 'hand.example.org';
const start = Math.floor(Date.now() / 1000);
// Short times, so Nagios's freshness check runs within seconds: thresholds are 2 x 1 s + 1 s.
const objects = objectConfigSettings({ retireAfterMs: 3600_000, removeAfterMs: 7200_000, defaultIntervalMs: 1000, freshnessMarginMs: 1000 });
const svc = (host: string, service: string, over: Partial<PassiveResult> = {}): PassiveResult => ({
  kind: 'service', host, service, state: 0, output: `OK from ${service}`, checkTime: start, source: 'nrdp', ...over,
});

describe.runIf(nagiosAvailable())('generated Nagios object config in a real Nagios 4', () => {
  let nagios: NagiosInstance;
  let store: Store;
  let dispose: () => Promise<void>;
  let bridge: NagiosBridge;
  let clock = new Date((start - 5400) * 1000);
  let out: string;
  let good: string;

  beforeAll(async () => {
    nagios = createNagios(
      { [HAND]: ['hand-svc'] },
      {
        // Debian's defaults for checks and freshness, with Nagios's freshness check every second and no extra latency.
        settings: { execute_service_checks: 1, check_service_freshness: 1, service_freshness_check_interval: 1, additional_freshness_latency: 0 },
        files: { 'generated.cfg': '# not generated yet\n' },
        cfgFiles: ['generated.cfg'],
      },
    );
    out = join(nagios.dir, 'generated.cfg');
    const db = await sqliteBackend.create();
    store = db.open();
    dispose = db.dispose;
    await store.migrate([...queueMigrations, ...nagiosBridgeMigrations]);
    bridge = createNagiosBridge({
      store,
      clock: () => clock,
      settings: { ...defaultBridgeSettings(), objects, targets: [{ name: 'local', type: 'command_file', path: nagios.commandFile }], retryMinMs: 50, retryMaxMs: 300 },
      pollMs: 50,
    });
    // Seen 90 minutes ago and silent since: retired (retire_after 1 h), not removed (2 h).
    await bridge.submit([svc(CE, 'old-probe', { checkTime: start - 5400 })]);
    clock = new Date(start * 1000);
    await bridge.submit([svc(CE, 'ping'), svc(HAND, 'hand-svc'), svc(HAND, 'new-on-hand'), { kind: 'host', host: 'se1.example.org', state: 0, output: 'UP', checkTime: start, source: 'cmd.cgi' }]);
  }, 30_000);

  afterAll(async () => {
    await bridge?.stop();
    await store?.close();
    await dispose?.();
    await nagios?.dispose();
  });

  it('passes nagios4 -v, defines only what is not hand-written, and replaces the file', async () => {
    const { text, stats } = await generateObjectConfig({ store, settings: objects, nagiosCfg: nagios.mainConfig, outFile: out, now: clock });
    expect(stats).toMatchObject({ hosts: 2, services: 3, retiredServices: 1, handWrittenHosts: 1, handWrittenServices: 1, skipped: [] });
    expect(stats.nagiosCfg).toEqual({ path: nagios.mainConfig, files: [join(nagios.dir, 'objects.cfg')] });
    expect(hostBlock(text, HAND)).toBeUndefined();
    expect(serviceBlock(text, HAND, 'hand-svc')).toBeUndefined();
    expect(serviceBlock(text, HAND, 'new-on-hand')).toMatchObject({ use: 'appliance-passive-service', freshness_threshold: '3' });
    expect(hostBlock(text, 'se1.example.org')).toMatchObject({ check_freshness: '1', freshness_threshold: '3' });
    await writeObjectConfig({ text, out, nagiosCfg: nagios.mainConfig });
    expect(readFileSync(out, 'utf8')).toBe(text);
    good = text;
    expect(readdirSync(nagios.dir).filter((f) => f.includes('.new'))).toEqual([]);
  });

  it('runs in Nagios: results land on the passive services, and the retired one answers "no longer reporting" after its freshness threshold', async () => {
    await nagios.start();
    bridge.start();
    await until(() => nagios.service(CE, 'ping')?.last_check === String(start), 'the delivered result in status.dat', 15_000);
    expect(nagios.service(CE, 'ping')).toMatchObject({ plugin_output: 'OK from ping', active_checks_enabled: '0', passive_checks_enabled: '1', notifications_enabled: '1' });
    await until(() => /^UNKNOWN: Probe no longer reporting/.test(nagios.service(CE, 'old-probe')?.plugin_output ?? ''), 'the retired service\'s freshness result', 20_000);
    expect(nagios.service(CE, 'old-probe')).toMatchObject({ current_state: '3', notifications_enabled: '0', check_type: '0' });
    expect(nagios.service(CE, 'old-probe')?.plugin_output).toContain(`no result since ${new Date((start - 5400) * 1000).toISOString().replace('.000Z', 'Z')}, retired after 1h without results, removed after 2h`);
    // The active service goes stale too once its threshold passes without a result, and says so.
    await until(() => /No passive result received within 3 s/.test(nagios.service(CE, 'ping')?.plugin_output ?? ''), 'the active service\'s staleness result', 20_000);
    expect(nagios.service(HAND, 'new-on-hand')).toBeDefined();
    expect(nagios.status().filter((b) => b.type === 'hoststatus' && b.fields.host_name === HAND)).toHaveLength(1);
  }, 60_000);

  it('keeps the previous file when a hand-written duplicate it could not see makes nagios4 -v fail, and says why', async () => {
    const before = statSync(out);
    // Written after the text was generated: the reader could not see it.
    writeFileSync(join(nagios.dir, 'late.cfg'), `define host {\n  host_name ${CE}\n  max_check_attempts 1\n}\n`);
    appendFileSync(nagios.mainConfig, `cfg_file=${join(nagios.dir, 'late.cfg')}\n`);
    const err = await writeObjectConfig({ text: good, out, nagiosCfg: nagios.mainConfig }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ObjectConfigRejectedError);
    expect((err as Error).message).toContain(`/usr/sbin/nagios4 -v refused the generated config (exit 1); ${out} was not changed:`);
    expect((err as Error).message).toMatch(/Duplicate definition found for host 'ce1\.example\.org'/);
    expect(readFileSync(out, 'utf8')).toBe(good);
    expect(statSync(out).mtimeMs).toBe(before.mtimeMs);
    expect(readdirSync(nagios.dir).filter((f) => f.includes('.new'))).toEqual([]);
    // Generated again, the hand-written host is seen and not defined again: it passes.
    const again = await generateObjectConfig({ store, settings: objects, nagiosCfg: nagios.mainConfig, outFile: out, now: clock });
    expect(hostBlock(again.text, CE)).toBeUndefined();
    expect(serviceBlock(again.text, CE, 'ping')).toBeDefined();
    await writeObjectConfig({ text: again.text, out, nagiosCfg: nagios.mainConfig });
    expect(readFileSync(out, 'utf8')).toBe(again.text);
    good = again.text;
  });

  it('refuses a duplicate service too, which nagios4 -v only warns about', async () => {
    writeFileSync(join(nagios.dir, 'late-svc.cfg'), `define service {\n  host_name ${CE}\n  service_description ping\n  max_check_attempts 1\n  check_command no-result\n}\n`);
    appendFileSync(nagios.mainConfig, `cfg_file=${join(nagios.dir, 'late-svc.cfg')}\n`);
    const err = await writeObjectConfig({ text: good, out, nagiosCfg: nagios.mainConfig }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ObjectConfigRejectedError);
    expect((err as Error).message).toMatch(/Duplicate definition found for service 'ping' on host 'ce1\.example\.org'/);
    expect(readFileSync(out, 'utf8')).toBe(good);
  });
});

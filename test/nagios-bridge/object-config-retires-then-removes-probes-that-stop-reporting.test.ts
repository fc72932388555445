/** Seen hosts and services (SQLite, and MariaDB when configured): recorded in the submit's commit, interval estimated, then active, retired, removed. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compilePattern } from '../../common/index.js';
import { queueMigrations } from '../../queue/index.js';
import type { Store } from '../../store/index.js';
import {
  createNagiosBridge, defaultBridgeSettings, generateObjectConfig, lifecycleState, nagiosBridgeMigrations, objectConfigSettings, readSeen, UnroutedResultError,
  type NagiosBridge, type PassiveResult,
} from '../../nagios-bridge/index.js';
import { freshnessThreshold, reportingInterval } from '../../nagios-bridge/object-config/index.js';
import { testBackends } from '../support/stores.js';
import { serviceBlock } from './support/object-blocks.js';

const DAY = 86_400;
const T0 = 1_800_000_000;
const svc = (host: string, service: string, checkTime: number, over: Partial<PassiveResult> = {}): PassiveResult => ({
  kind: 'service', host, service, state: 0, output: 'OK', checkTime, source: 'nrdp', ...over,
});
const objects = objectConfigSettings({ retireAfterMs: 2 * DAY * 1000, removeAfterMs: 10 * DAY * 1000, freshnessMarginMs: 60_000, defaultIntervalMs: 3600_000 });

describe('retirement rules', () => {
  it('is active until retire_after of silence, retired until remove_after, then removed', () => {
    expect(lifecycleState(T0, T0 + 2 * DAY - 1, objects)).toBe('active');
    expect(lifecycleState(T0, T0 + 2 * DAY, objects)).toBe('retired');
    expect(lifecycleState(T0, T0 + 10 * DAY - 1, objects)).toBe('retired');
    expect(lifecycleState(T0, T0 + 10 * DAY, objects)).toBe('removed');
  });

  it('builds the freshness threshold on the schedule, else the measured interval, else the default, twice plus the margin', () => {
    expect(reportingInterval({ scheduleSeconds: 900, intervalSeconds: 300 }, objects)).toBe(900);
    expect(reportingInterval({ intervalSeconds: 300 }, objects)).toBe(300);
    expect(reportingInterval({}, objects)).toBe(3600);
    expect(freshnessThreshold(300, objects)).toBe(660);
  });
});

for (const backend of testBackends()) {
  describe(`seen hosts and services on ${backend.name}`, () => {
    let store: Store;
    let dispose: () => Promise<void>;
    let now = new Date(T0 * 1000);
    let bridge: NagiosBridge;

    beforeAll(async () => {
      const db = await backend.create();
      store = db.open();
      dispose = db.dispose;
      await store.migrate([...queueMigrations, ...nagiosBridgeMigrations]);
      bridge = createNagiosBridge({
        store,
        clock: () => now,
        settings: {
          ...defaultBridgeSettings(),
          objects,
          targets: [{ name: 'local', type: 'command_file', path: '/unused' }],
          routes: [{ target: 'local', host: compilePattern('^(?:(?:ce|se)\\d\\..*)$', { input: 'host' }) }],
        },
      });
    });
    afterAll(async () => {
      await bridge.stop();
      await store.close();
      await dispose();
    });

    const seen = async (host: string, service?: string) => (await readSeen(store)).find((r) => r.host === host && r.service === service);

    it('estimates the interval from successive check times, ignoring late and repeated ones, with first and last seen', async () => {
      for (const t of [T0, T0 + 300, T0 + 600]) await bridge.submit([svc('ce1.a', 'ping', t)]);
      expect(await seen('ce1.a', 'ping')).toMatchObject({ firstSeen: T0, lastSeen: T0, lastCheck: T0 + 600, intervalSeconds: 300, source: 'nrdp' });
      // A late result and a re-sent one change nothing; a longer gap moves the average a quarter of the way.
      await bridge.submit([svc('ce1.a', 'ping', T0 + 100), svc('ce1.a', 'ping', T0 + 600)]);
      now = new Date((T0 + 1000) * 1000);
      await bridge.submit([svc('ce1.a', 'ping', T0 + 1500)]);
      expect(await seen('ce1.a', 'ping')).toMatchObject({ firstSeen: T0, lastSeen: T0 + 1000, lastCheck: T0 + 1500, intervalSeconds: 450 });
      // Several check times of one service in one submit count in order.
      await bridge.submit([svc('ce1.a', 'batch', T0 + 240), svc('ce1.a', 'batch', T0), svc('ce1.a', 'batch', T0 + 120)]);
      expect(await seen('ce1.a', 'batch')).toMatchObject({ lastCheck: T0 + 240, intervalSeconds: 120 });
      // A host result has its own row; a source's schedule is kept.
      await bridge.submit([{ kind: 'host', host: 'se1.a', state: 0, output: 'UP', checkTime: T0, source: 'cmd.cgi' }, svc('se1.a', 'rsv', T0, { source: 'rsv', scheduleSeconds: 900 })]);
      expect(await seen('se1.a')).toMatchObject({ lastCheck: T0, source: 'cmd.cgi' });
      expect(await seen('se1.a', 'rsv')).toMatchObject({ scheduleSeconds: 900, source: 'rsv' });
      expect((await seen('se1.a'))?.intervalSeconds).toBeUndefined();
    });

    it('records nothing of a batch that is refused (same transaction as the queue)', async () => {
      await expect(bridge.submit([svc('ce2.a', 'new', T0), svc('unrouted.example', 'x', T0)])).rejects.toBeInstanceOf(UnroutedResultError);
      expect(await seen('ce2.a', 'new')).toBeUndefined();
    });

    it('defines active services, retires silent ones (notifications off, "no longer reporting") and removes long-silent ones', async () => {
      now = new Date((T0 + 20 * DAY) * 1000);
      await bridge.submit([svc('ce3.b', 'new', T0 + 20 * DAY)]);
      now = new Date((T0 + 21 * DAY) * 1000);
      await bridge.submit([svc('ce3.b', 'old', T0 + 21 * DAY), svc('ce4.b', 'alone', T0 + 21 * DAY)]);
      // ce3.b/new: silent 5 days (retired); ce3.b/old, ce4.b/alone: 4 days; ce1.a and se1.a: 25 days (removed).
      const at = new Date((T0 + 25 * DAY) * 1000);
      const { text, stats } = await generateObjectConfig({ store, settings: objects, nagiosCfg: false, now: at });
      expect(stats).toMatchObject({ hosts: 2, services: 3, retiredHosts: 2, retiredServices: 3, removedHosts: 2, removedServices: 3, skipped: [] });
      expect(text).not.toContain('ce1.a');
      expect(serviceBlock(text, 'ce3.b', 'new')).toMatchObject({
        use: 'appliance-passive-service',
        notifications_enabled: '0',
        check_command: `appliance-passive-stale!3!Probe no longer reporting: no result since ${new Date((T0 + 20 * DAY) * 1000).toISOString().replace('.000Z', 'Z')}, retired after 2d without results, removed after 10d`,
      });
      expect(serviceBlock(text, 'ce4.b', 'alone')?.notifications_enabled).toBe('0');
      // Seen again: active again (the 5 days of silence are not its interval).
      now = at;
      await bridge.submit([svc('ce3.b', 'new', T0 + 25 * DAY)]);
      const again = await generateObjectConfig({ store, settings: objects, nagiosCfg: false, now: at });
      expect(again.stats).toMatchObject({ hosts: 2, retiredHosts: 1, services: 3, retiredServices: 2 });
      expect(serviceBlock(again.text, 'ce3.b', 'new')).toEqual({
        use: 'appliance-passive-service',
        host_name: 'ce3.b',
        service_description: 'new',
        freshness_threshold: '7260',
        check_command: 'appliance-passive-stale!3!No passive result received within 7260 s (expected about every 3600 s)',
      });
    });

    it('leaves out names Nagios would refuse, saying which and why', async () => {
      now = new Date((T0 + 25 * DAY) * 1000);
      await bridge.submit([svc('ce5.c', 'disk (root)', T0 + 25 * DAY), svc('ce5.c', 'fine', T0 + 25 * DAY)]);
      const { text, stats } = await generateObjectConfig({ store, settings: objects, nagiosCfg: false, now });
      expect(stats.skipped).toEqual([{ host: 'ce5.c', service: 'disk (root)', reason: 'service description it holds "(", one of Nagios\'s illegal_object_name_chars' }]);
      expect(serviceBlock(text, 'ce5.c', 'fine')).toBeDefined();
      expect(text).not.toContain('disk (root)');
    });
  });
}

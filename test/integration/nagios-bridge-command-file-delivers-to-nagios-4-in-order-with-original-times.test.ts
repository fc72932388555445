/** The bridge's outbox and command-file transport against Debian's real Nagios 4, read back from status.dat. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queueMigrations } from '../../queue/index.js';
import type { Store } from '../../store/index.js';
import { createNagiosBridge, defaultBridgeSettings, nagiosBridgeMigrations, type NagiosBridge, type PassiveResult, type TargetStats } from '../../nagios-bridge/index.js';
import { createNagios, nagiosAvailable, until, type NagiosInstance } from '../support/nagios.js';
import { sqliteBackend } from '../support/stores.js';

const HOST = 'ce1.example.org';
const SERVICES = ['org.osg.general.ping-host', 'org.osg.certificates.cacert-expiry', 'seq', 'outage-a', 'outage-b', 'long', 'quick'];
const now = Math.floor(Date.now() / 1000);

const svc = (service: string, checkTime: number, over: Partial<PassiveResult> = {}): PassiveResult => ({
  kind: 'service', host: HOST, service, state: 0, output: `OK ${checkTime}`, checkTime, source: 'nrdp', ...over,
});

/** The `n` of each `PROCESS_SERVICE_CHECK_RESULT` Nagios logged for `service`, in the order it processed them. */
const loggedOrder = (nagios: NagiosInstance, service: string) =>
  [...nagios.log().matchAll(new RegExp(`EXTERNAL COMMAND: PROCESS_SERVICE_CHECK_RESULT;${HOST};${service};\\d;n=(\\d+)`, 'g'))].map((m) => Number(m[1]));

describe.runIf(nagiosAvailable())('Nagios bridge into a real Nagios 4 through its command file', () => {
  let nagios: NagiosInstance;
  let store: Store;
  let dispose: () => Promise<void>;
  let bridge: NagiosBridge;

  beforeAll(async () => {
    nagios = createNagios({ [HOST]: SERVICES, 'se1.example.org': [] });
    await nagios.start();
    const db = await sqliteBackend.create();
    store = db.open();
    dispose = db.dispose;
    await store.migrate([...queueMigrations, ...nagiosBridgeMigrations]);
    bridge = createNagiosBridge({
      store,
      settings: { ...defaultBridgeSettings(), targets: [{ name: 'local', type: 'command_file', path: nagios.commandFile, spool: nagios.spoolDir }], retryMinMs: 50, retryMaxMs: 300 },
      pollMs: 50,
    });
    bridge.start();
  }, 30_000);

  afterAll(async () => {
    await bridge?.stop();
    await store?.close();
    await dispose?.();
    await nagios?.dispose();
  });

  it('shows state, output, long output, perfdata and the original check time of service and host results', async () => {
    await bridge.submit([
      svc('org.osg.general.ping-host', now - 600, { state: 2, output: 'CRITICAL: x', perfdata: 'rta=0.5ms;1;2', longOutput: 'line two\nline three' }),
      svc('org.osg.certificates.cacert-expiry', now - 300, { state: 1, output: 'WARNING: C:\\certs expire soon', perfdata: 'days=3' }),
      { kind: 'host', host: 'se1.example.org', state: 1, output: 'DOWN: no route', checkTime: now - 120, source: 'cmd.cgi' },
    ]);
    await until(() => nagios.service(HOST, 'org.osg.certificates.cacert-expiry')?.last_check === String(now - 300) && nagios.host('se1.example.org')?.last_check === String(now - 120), 'the results in status.dat', 15_000);
    expect(nagios.service(HOST, 'org.osg.general.ping-host')).toMatchObject({
      current_state: '2',
      plugin_output: 'CRITICAL: x',
      long_plugin_output: 'line two\\nline three',
      performance_data: 'rta=0.5ms;1;2',
      last_check: String(now - 600),
      check_type: '1',
    });
    expect(nagios.service(HOST, 'org.osg.certificates.cacert-expiry')).toMatchObject({ current_state: '1', plugin_output: 'WARNING: C:\\certs expire soon', performance_data: 'days=3' });
    expect(nagios.host('se1.example.org')).toMatchObject({ current_state: '1', plugin_output: 'DOWN: no route', last_check: String(now - 120) });
  });

  it('keeps the order of one service and never goes back in time', async () => {
    for (let n = 0; n < 20; n++) await bridge.submit([svc('seq', now - 100 + n, { output: `n=${n}` })]);
    // An older result arriving late is not delivered after the newer ones.
    await until(() => nagios.service(HOST, 'seq')?.last_check === String(now - 81), 'the 20th result', 15_000);
    await bridge.submit([svc('seq', now - 100, { output: 'n=99' })]);
    let dead: string[] = [];
    await until(() => {
      void bridge.outbox('local')!.queue.dead().then((d) => (dead = d.map((x) => x.lastError ?? '')));
      return dead.length > 0;
    }, 'the late result to be dead-lettered');
    expect(dead).toEqual([`stale: check time ${now - 100} is older than ${now - 81}, a result already delivered for the same service`]);
    expect(loggedOrder(nagios, 'seq')).toEqual(Array.from({ length: 20 }, (_, n) => n));
    expect(nagios.service(HOST, 'seq')).toMatchObject({ plugin_output: 'n=19', last_check: String(now - 81) });
  });

  it('holds results while Nagios is down and delivers all of them, in order with their times, once it is back (FIFO re-opened)', async () => {
    await nagios.stop();
    for (let n = 0; n < 10; n++) await bridge.submit([svc('outage-a', now - 50 + n, { output: `n=${n}` }), svc('outage-b', now - 40 + n, { output: `n=${n}` })]);
    let during: TargetStats | undefined;
    await until(() => {
      void bridge.stats().then(([t]) => (during = t));
      return /no process reads the command file/.test(during?.lastError?.reason ?? '');
    }, 'a failed delivery while Nagios is down');
    expect(loggedOrder(nagios, 'outage-a')).toEqual([]);
    expect(during!.queued + during!.delivering).toBeGreaterThanOrEqual(2);
    await nagios.start();
    await until(() => nagios.service(HOST, 'outage-a')?.last_check === String(now - 41) && nagios.service(HOST, 'outage-b')?.last_check === String(now - 31), 'the held results after the restart', 15_000);
    expect(loggedOrder(nagios, 'outage-a')).toEqual(Array.from({ length: 10 }, (_, n) => n));
    expect(loggedOrder(nagios, 'outage-b')).toEqual(Array.from({ length: 10 }, (_, n) => n));
    expect(nagios.service(HOST, 'outage-b')).toMatchObject({ plugin_output: 'n=9', current_state: '0' });
    const [after] = await bridge.stats();
    expect(after).toMatchObject({ queued: 0, delivering: 0 });
  }, 40_000);

  it('delivers a result too long for one FIFO write through the check-result spool', async () => {
    const long = Array.from({ length: 60 }, (_, i) => `detail line ${i} ${'x'.repeat(80)}`).join('\n');
    await bridge.submit([svc('long', now - 30, { state: 2, output: 'CRITICAL: long', perfdata: 'n=60', longOutput: long })]);
    await until(() => nagios.service(HOST, 'long')?.last_check === String(now - 30), 'the spooled result', 20_000);
    expect(nagios.service(HOST, 'long')).toMatchObject({ current_state: '2', plugin_output: 'CRITICAL: long', performance_data: 'n=60', long_plugin_output: long.replace(/\n/g, '\\n') });
  }, 30_000);

  it('refuses a name that would inject a command, for good, and delivers the quick-start target', async () => {
    const quick = createNagiosBridge({ store, commandFile: nagios.commandFile, pollMs: 50 });
    quick.start();
    try {
      await quick.submit([svc('quick', now - 10, { output: 'n=1' }), svc('quick\n[1] SHUTDOWN_PROGRAM', now - 10)]);
      await until(() => nagios.service(HOST, 'quick')?.last_check === String(now - 10), 'the quick-start result', 15_000);
      let dead: string[] = [];
      await until(() => {
        void quick.outbox('command-file')!.queue.dead().then((d) => (dead = d.map((x) => x.lastError ?? '')));
        return dead.length > 0;
      }, 'the injected name to be dead-lettered');
      expect(dead).toHaveLength(1);
      expect(dead[0]).toContain('would end the external command');
      expect(nagios.running()).toBe(true);
      expect(nagios.log()).not.toContain('SHUTDOWN_PROGRAM');
    } finally {
      await quick.stop();
    }
  });
});

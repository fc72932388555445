/** Downtime and acknowledgement commands through the outbox and the command file into Debian's real Nagios 4, read back from status.dat. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queueMigrations } from '../../queue/index.js';
import type { Store } from '../../store/index.js';
import { createNagiosBridge, defaultBridgeSettings, nagiosBridgeMigrations, type BridgeCommand, type NagiosBridge, type PassiveResult } from '../../nagios-bridge/index.js';
import { createNagios, nagiosAvailable, until, type NagiosInstance } from '../support/nagios.js';
import { sqliteBackend } from '../support/stores.js';

const HOST = 'ce1.example.org';
const now = Math.floor(Date.now() / 1000);
const base = { kind: 'command', host: HOST, submittedAt: now } as const;

const critical = (service: string | undefined, checkTime: number): PassiveResult =>
  service === undefined
    ? { kind: 'host', host: HOST, state: 1, output: 'DOWN: no route', checkTime, source: 'nrdp' }
    : { kind: 'service', host: HOST, service, state: 2, output: 'CRITICAL: broken', checkTime, source: 'nrdp' };

describe.runIf(nagiosAvailable())('Nagios bridge commands into a real Nagios 4 through its command file', () => {
  let nagios: NagiosInstance;
  let store: Store;
  let dispose: () => Promise<void>;
  let bridge: NagiosBridge;
  const downtimes = (type: 'hostdowntime' | 'servicedowntime') => nagios.status().filter((b) => b.type === type).map((b) => b.fields);

  beforeAll(async () => {
    nagios = createNagios({ [HOST]: ['dt-a', 'dt-b', 'ack'] });
    await nagios.start();
    const db = await sqliteBackend.create();
    store = db.open();
    dispose = db.dispose;
    await store.migrate([...queueMigrations, ...nagiosBridgeMigrations]);
    bridge = createNagiosBridge({
      store,
      settings: { ...defaultBridgeSettings(), targets: [{ name: 'local', type: 'command_file', path: nagios.commandFile }], retryMinMs: 50, retryMaxMs: 300 },
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

  it('schedules host and service downtimes with their times, author and comment, then removes them by host and service', async () => {
    const dt = (service: string | undefined, comment: string, over: Partial<Extract<BridgeCommand, { action: 'schedule_downtime' }>> = {}): BridgeCommand => ({
      ...base, action: 'schedule_downtime', ...(service ? { service } : {}), start: now - 60, end: now + 3600, fixed: true, author: 'maint', comment, ...over,
    });
    await bridge.submitCommands([dt('dt-a', 'kernel a'), dt('dt-b', 'kernel b'), dt(undefined, 'host window', { fixed: false, duration: 600, start: now + 600, end: now + 7200 })]);
    await until(() => downtimes('servicedowntime').length === 2 && downtimes('hostdowntime').length === 1, 'two service downtimes and a host downtime in status.dat', 15_000);
    expect(downtimes('servicedowntime').find((d) => d.service_description === 'dt-a')).toMatchObject({
      host_name: HOST, start_time: String(now - 60), end_time: String(now + 3600), fixed: '1', duration: '3660', author: 'maint', comment: 'kernel a', entry_time: String(now),
    });
    expect(downtimes('hostdowntime')[0]).toMatchObject({ host_name: HOST, start_time: String(now + 600), end_time: String(now + 7200), fixed: '0', duration: '600', comment: 'host window' });
    // A fixed downtime that has started is in effect.
    await until(() => nagios.service(HOST, 'dt-a')?.scheduled_downtime_depth === '1', 'dt-a to be in downtime');

    // By service: only dt-a's goes.
    await bridge.submitCommands([{ ...base, action: 'remove_downtime', service: 'dt-a' }]);
    await until(() => downtimes('servicedowntime').length === 1, 'dt-a\'s downtime to be removed', 15_000);
    expect(downtimes('servicedowntime')[0]).toMatchObject({ service_description: 'dt-b' });
    expect(downtimes('hostdowntime')).toHaveLength(1);
    await until(() => nagios.service(HOST, 'dt-a')?.scheduled_downtime_depth === '0', 'dt-a out of downtime');

    // By id, as Nagios numbers it.
    const id = downtimes('servicedowntime')[0]!.downtime_id!;
    await bridge.submitCommands([{ ...base, action: 'remove_downtime', service: 'dt-b', downtimeId: id }]);
    await until(() => downtimes('servicedowntime').length === 0, 'dt-b\'s downtime removed by its id', 15_000);

    // By host, narrowed by its comment: the host's own downtime goes.
    await bridge.submitCommands([dt('dt-a', 'again'), { ...base, action: 'remove_downtime', comment: 'host window' }]);
    await until(() => downtimes('hostdowntime').length === 0 && downtimes('servicedowntime').length === 1, 'the host downtime removed, dt-a\'s new one kept', 15_000);
    // By host alone: every downtime of the host and its services.
    await bridge.submitCommands([{ ...base, action: 'remove_downtime' }]);
    await until(() => downtimes('servicedowntime').length === 0, 'every downtime of the host removed', 15_000);
    const [stats] = await bridge.stats();
    expect(stats).toMatchObject({ queued: 0, delivering: 0, dead: 0 });
  }, 60_000);

  it('acknowledges a service problem and a host problem after the result that made it one, in order', async () => {
    // The result and its acknowledgement share a partition: Nagios sees the problem before the acknowledgement.
    await bridge.submit([critical('ack', now - 30), critical(undefined, now - 30)]);
    await bridge.submitCommands([
      { ...base, action: 'acknowledge', service: 'ack', author: 'ops', comment: 'known, ticket 42', sticky: true, notify: false, persistent: false },
      { ...base, action: 'acknowledge', author: 'ops', comment: 'host known', sticky: false, notify: false, persistent: true },
    ]);
    await until(() => nagios.service(HOST, 'ack')?.problem_has_been_acknowledged === '1' && nagios.host(HOST)?.problem_has_been_acknowledged === '1', 'the acknowledgements in status.dat', 15_000);
    expect(nagios.service(HOST, 'ack')).toMatchObject({ current_state: '2', acknowledgement_type: '2' });
    expect(nagios.host(HOST)).toMatchObject({ current_state: '1', acknowledgement_type: '1' });
    expect(nagios.log()).toContain(`EXTERNAL COMMAND: ACKNOWLEDGE_SVC_PROBLEM;${HOST};ack;2;0;0;ops;known, ticket 42`);
  }, 30_000);

  it('holds commands while Nagios is down and delivers them after its restart', async () => {
    await nagios.stop();
    await bridge.submitCommands([{ ...base, action: 'schedule_downtime', service: 'dt-b', start: now + 100, end: now + 200, fixed: true, author: 'maint', comment: 'after restart' }]);
    let reason = '';
    await until(() => {
      void bridge.stats().then(([t]) => (reason = t?.lastError?.reason ?? ''));
      return /no process reads the command file/.test(reason);
    }, 'a failed delivery while Nagios is down');
    await nagios.start();
    await until(() => downtimes('servicedowntime').some((d) => d.comment === 'after restart'), 'the held downtime after the restart', 15_000);
  }, 40_000);
});

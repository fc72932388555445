/** The bridge's icinga2 target against Debian's real Icinga 2: results, order per service, an outage, downtimes and acknowledgements, read back through its API. */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { queueMigrations } from '../../queue/index.js';
import type { Store } from '../../store/index.js';
import {
  createNagiosBridge, defaultBridgeSettings, nagiosBridgeMigrations,
  type BridgeCommand, type IcingaTargetSettings, type NagiosBridge, type PassiveResult, type TargetStats,
} from '../../nagios-bridge/index.js';
import { createIcinga, icingaAvailable, type IcingaInstance } from '../support/icinga.js';
import { until } from '../support/nagios.js';
import { sqliteBackend } from '../support/stores.js';

const HOST = 'ce1.example.org';
const SERVICES = ['org.osg.general.ping-host', 'burst-a', 'burst-b', 'burst-c', 'outage-a', 'outage-b', 'dt-a', 'dt-b', 'ack', 'ok-svc', 'refused'];
const now = Math.floor(Date.now() / 1000);

const svc = (service: string, checkTime: number, over: Partial<PassiveResult> = {}): PassiveResult => ({
  kind: 'service', host: HOST, service, state: 0, output: `n=${checkTime}`, checkTime, source: 'nrdp', ...over,
});
type Fields<T> = T extends unknown ? Omit<T, 'kind' | 'host' | 'submittedAt'> & { host?: string } : never;
const cmd = (c: Fields<BridgeCommand>): BridgeCommand => ({ kind: 'command', host: HOST, submittedAt: now, ...c });
const lastResult = (attrs: Record<string, unknown> | undefined) => attrs?.last_check_result as Record<string, unknown> | undefined;

describe.runIf(icingaAvailable())('Nagios bridge into a real Icinga 2 through its API', () => {
  let icinga: IcingaInstance;
  let store: Store;
  let dispose: () => Promise<void>;
  let bridge: NagiosBridge;
  const bridges: NagiosBridge[] = [];
  let target: IcingaTargetSettings;
  const stats = async (b = bridge): Promise<TargetStats> => (await b.stats())[0]!;
  const deadOf = async (b: NagiosBridge, name: string) => (await b.outbox(name)!.queue.dead()).map((d) => d.lastError ?? '');

  beforeAll(async () => {
    icinga = await createIcinga({ [HOST]: SERVICES, 'se1.example.org': [] });
    await icinga.start();
    const db = await sqliteBackend.create();
    store = db.open();
    dispose = db.dispose;
    await store.migrate([...queueMigrations, ...nagiosBridgeMigrations]);
    target = { name: 'icinga', type: 'icinga2', url: icinga.url, user: icinga.user, password: icinga.password, caFile: icinga.caFile, insecure: false, parallel: 4, timeoutMs: 5000 };
    bridge = createNagiosBridge({ store, settings: { ...defaultBridgeSettings(), targets: [target], retryMinMs: 50, retryMaxMs: 300 }, pollMs: 50 });
    bridges.push(bridge);
    bridge.start();
  }, 60_000);

  afterAll(async () => {
    for (const b of bridges) await b.stop();
    await store?.close();
    await dispose?.();
    await icinga?.dispose();
  });

  it('shows exit status, output with long output, perfdata and the original check time of service and host results', async () => {
    await bridge.submit([
      svc('org.osg.general.ping-host', now - 600, { state: 2, output: 'CRITICAL: x', longOutput: 'line two\nline three', perfdata: "rta=0.5ms;1;2 'packet loss'=0%" }),
      { kind: 'host', host: 'se1.example.org', state: 2, output: 'UNREACHABLE: no route', checkTime: now - 120, source: 'cmd.cgi' },
    ]);
    let attrs: Record<string, unknown> | undefined;
    let host: Record<string, unknown> | undefined;
    await until(() => {
      void icinga.service(HOST, 'org.osg.general.ping-host').then((a) => (attrs = a));
      void icinga.host('se1.example.org').then((a) => (host = a));
      return lastResult(attrs)?.execution_start === now - 600 && lastResult(host)?.execution_start === now - 120;
    }, 'both results in Icinga', 15_000);
    // Icinga keeps a passive result's exit status as the result's state.
    expect(lastResult(attrs)).toMatchObject({ state: 2, output: 'CRITICAL: x\nline two\nline three', performance_data: ['rta=0.5ms;1;2', "'packet loss'=0%"], execution_end: now - 600 });
    expect(attrs!.state).toBe(2);
    // Icinga takes 0 and 1 for hosts: UNREACHABLE goes as DOWN (the host's state 1; its check result holds it as 2).
    expect(host!.state).toBe(1);
    expect(lastResult(host)).toMatchObject({ output: 'UNREACHABLE: no route' });
    // Icinga has applied both before the outbox commits their completion: wait for that commit.
    await vi.waitFor(async () => expect(await stats()).toMatchObject({ queued: 0, delivering: 0, dead: 0 }), { timeout: 10_000 });
  });

  it('applies every result of each service in order when services interleave and arrive in bursts', async () => {
    const stream = await icinga.events(['CheckResult']);
    try {
      const burst = ['burst-a', 'burst-b', 'burst-c'];
      // Interleaved across services, several per service in one submit, services in a different order each time.
      for (let round = 0; round < 5; round++) {
        const batch: PassiveResult[] = [];
        for (const [k, service] of [...burst.slice(round % 3), ...burst.slice(0, round % 3)].entries()) {
          for (let j = 0; j < 4; j++) batch.push(svc(service, now - 300 + round * 10 + j, { output: `r${round}j${j}`, state: ((round + j + k) % 3) as 0 | 1 | 2 }));
        }
        await bridge.submit(batch);
      }
      const applied = (service: string) =>
        stream.events.filter((e) => e.host === HOST && e.service === service).map((e) => (e.check_result as Record<string, unknown>).execution_start as number);
      await until(() => burst.every((s) => applied(s).length === 20), 'twenty check results per service in the event stream', 20_000);
      const expected = Array.from({ length: 5 }, (_, round) => Array.from({ length: 4 }, (__, j) => now - 300 + round * 10 + j)).flat();
      for (const s of burst) expect(applied(s)).toEqual(expected);
      expect(lastResult(await icinga.service(HOST, 'burst-c'))).toMatchObject({ output: 'r4j3', execution_start: now - 300 + 43 });
    } finally {
      stream.close();
    }
  }, 40_000);

  it('holds results while Icinga is down, retries, and delivers them with their times after its restart', async () => {
    await icinga.stop();
    for (let n = 0; n < 5; n++) await bridge.submit([svc('outage-a', now - 50 + n), svc('outage-b', now - 40 + n)]);
    let during: TargetStats | undefined;
    await until(() => {
      void stats().then((t) => (during = t));
      return /did not answer: .*ECONNREFUSED/.test(during?.lastError?.reason ?? '');
    }, 'a failed delivery while Icinga is down');
    expect(during!.queued + during!.delivering).toBeGreaterThanOrEqual(2);
    await icinga.start();
    let a: Record<string, unknown> | undefined;
    let b: Record<string, unknown> | undefined;
    await until(() => {
      void icinga.service(HOST, 'outage-a').then((x) => (a = x));
      void icinga.service(HOST, 'outage-b').then((x) => (b = x));
      return lastResult(a)?.execution_start === now - 46 && lastResult(b)?.execution_start === now - 36;
    }, 'the held results after the restart', 20_000);
    expect(lastResult(a)).toMatchObject({ output: `n=${now - 46}` });
    expect(await stats()).toMatchObject({ queued: 0, delivering: 0, dead: 0 });
  }, 60_000);

  it('schedules service and host downtimes, removes them by service and by host, and acknowledges problems', async () => {
    await bridge.submitCommands([
      cmd({ action: 'schedule_downtime', service: 'dt-a', start: now - 60, end: now + 3600, fixed: true, author: 'maint', comment: 'kernel a' }),
      cmd({ action: 'schedule_downtime', service: 'dt-b', start: now + 60, end: now + 7200, fixed: false, duration: 600, author: 'maint', comment: 'kernel b' }),
      cmd({ action: 'schedule_downtime', start: now - 60, end: now + 3600, fixed: true, author: 'maint', comment: 'host window' }),
    ]);
    let downtimes: Record<string, unknown>[] = [];
    const readDowntimes = async () => (downtimes = await icinga.downtimes());
    await until(() => {
      void readDowntimes();
      return downtimes.length === 3;
    }, 'three downtimes in Icinga', 15_000);
    expect(downtimes.find((d) => d.service_name === 'dt-a')).toMatchObject({ host_name: HOST, start_time: now - 60, end_time: now + 3600, fixed: true, author: 'maint', comment: 'kernel a' });
    expect(downtimes.find((d) => d.service_name === 'dt-b')).toMatchObject({ fixed: false, duration: 600, comment: 'kernel b' });
    expect(downtimes.find((d) => d.service_name === '')).toMatchObject({ host_name: HOST, comment: 'host window' });

    await bridge.submitCommands([cmd({ action: 'remove_downtime', service: 'dt-a' })]);
    await until(() => {
      void readDowntimes();
      return downtimes.length === 2 && !downtimes.some((d) => d.service_name === 'dt-a');
    }, 'dt-a\'s downtime removed', 15_000);
    // Without a service: the host's downtime and its services' (as Nagios's DEL_DOWNTIME_BY_HOST_NAME); a second
    // removal finds nothing to remove and is done, not retried.
    await bridge.submitCommands([cmd({ action: 'remove_downtime' }), cmd({ action: 'remove_downtime', service: 'dt-b', comment: 'kernel b' })]);
    await until(() => {
      void readDowntimes();
      return downtimes.length === 0;
    }, 'every downtime of the host removed', 15_000);

    // The problem first, then its acknowledgement, in the same partition.
    await bridge.submit([svc('ack', now - 10, { state: 2, output: 'CRITICAL: broken' }), { kind: 'host', host: 'se1.example.org', state: 1, output: 'DOWN', checkTime: now - 10, source: 'nrdp' }]);
    await bridge.submitCommands([
      cmd({ action: 'acknowledge', service: 'ack', author: 'ops', comment: 'ticket 42', sticky: true, notify: false, persistent: false }),
      cmd({ action: 'acknowledge', host: 'se1.example.org', author: 'ops', comment: 'host known', sticky: false, notify: false, persistent: true }),
    ]);
    let ack: Record<string, unknown> | undefined;
    let hostAck: Record<string, unknown> | undefined;
    await until(() => {
      void icinga.service(HOST, 'ack').then((x) => (ack = x));
      void icinga.host('se1.example.org').then((x) => (hostAck = x));
      return ack?.acknowledgement === 2 && hostAck?.acknowledgement === 1;
    }, 'the acknowledgements in Icinga (2 sticky, 1 normal)', 15_000);
    await bridge.submitCommands([cmd({ action: 'remove_acknowledgement', service: 'ack' })]);
    await until(() => {
      void icinga.service(HOST, 'ack').then((x) => (ack = x));
      return ack?.acknowledgement === 0;
    }, 'the service acknowledgement removed in Icinga', 15_000);
    const [s] = await bridge.stats();
    expect(s).toMatchObject({ queued: 0, delivering: 0, dead: 0 });
  }, 60_000);

  it('dead-letters what Icinga refuses for good with its reason, and retries an unknown object and bad credentials', async () => {
    // Icinga answers 409 to an acknowledgement of an object that is OK: final.
    await bridge.submit([svc('ok-svc', now - 5)]);
    await bridge.submitCommands([cmd({ action: 'acknowledge', service: 'ok-svc', author: 'ops', comment: 'nothing to ack', sticky: false, notify: false, persistent: false })]);
    let dead: string[] = [];
    await until(() => {
      void deadOf(bridge, 'icinga').then((d) => (dead = d));
      return dead.length > 0;
    }, 'the refused acknowledgement dead-lettered');
    expect(dead).toEqual([`Icinga answered 409 for ${HOST}!ok-svc: Service ${HOST}!ok-svc is OK.`]);

    // An object Icinga does not have (yet) is retried: a config deploy may add it.
    await bridge.submit([svc('not-deployed', now - 5)]);
    await until(() => {
      void stats().then((t) => (dead = [t.lastError?.reason ?? '']));
      return /no object ce1\.example\.org!not-deployed/.test(dead[0]!);
    }, 'the unknown service retried');
    expect((await stats()).dead).toBe(1);

    // Wrong credentials: retried for an admin to fix, named in the reason.
    const wrong = createNagiosBridge({
      store, pollMs: 50,
      settings: { ...defaultBridgeSettings(), targets: [{ ...target, name: 'wrong-password', password: 'nope' }], retryMinMs: 50, retryMaxMs: 300 },
    });
    bridges.push(wrong);
    wrong.start();
    await wrong.submit([svc('refused', now - 5)]);
    let reason = '';
    await until(() => {
      void stats(wrong).then((t) => (reason = t.lastError?.reason ?? ''));
      return reason !== '';
    }, 'a delivery with the wrong password');
    expect(reason).toMatch(/^Icinga refused the API user's credentials \(401\)/);
    expect(await stats(wrong)).toMatchObject({ dead: 0 });
    expect((await stats(wrong)).queued + (await stats(wrong)).delivering).toBe(1);
  }, 40_000);
});

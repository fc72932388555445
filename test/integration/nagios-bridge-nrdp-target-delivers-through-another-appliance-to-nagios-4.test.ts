/**
 * The bridge's nrdp target against the appliance's own NRDP entry: bridge A --nrdp--> appliance B's /nrdp/ --> B's
 * outbox --> command file --> a private Nagios 4, read back from status.dat; B's real `status -1` answers classed.
 * Commands go the same way as `cmd=submitcmd` posts (downtimes, acknowledgements, their removal).
 */
import express from 'express';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queueMigrations } from '../../queue/index.js';
import type { Store } from '../../store/index.js';
import {
  createNagiosBridge,
  defaultBridgeSettings,
  entrySettings,
  nagiosBridgeMigrations,
  nrdpRouter,
  type BridgeCommand,
  type NagiosBridge,
  type NrdpTargetSettings,
  type PassiveResult,
  type TargetStats,
} from '../../nagios-bridge/index.js';
import { createNagios, nagiosAvailable, until, type NagiosInstance } from '../support/nagios.js';
import { sqliteBackend } from '../support/stores.js';

const HOST = 'ce1.example.org';
const OTHER = 'se1.example.org';
const SERVICES = ['ping', 'certs', 'held', 'fine-1', 'too-long', 'fine-2', 'allowed', 'dt', 'ack'];
const TOKEN = 'a-to-b-token-0123456789';
const LIMITED = 'only-ce1-token-0123456789';
/** B takes at most this much output plus perfdata per result. */
const B_MAX_OUTPUT = 300;
const now = Math.floor(Date.now() / 1000);

const svc = (service: string, checkTime: number, over: Partial<PassiveResult> = {}): PassiveResult => ({
  kind: 'service', host: HOST, service, state: 0, output: `OK ${service}`, checkTime, source: 'nrdp', ...over,
});

async function migratedStore(): Promise<{ store: Store; dispose: () => Promise<void> }> {
  const db = await sqliteBackend.create();
  const store = db.open();
  await store.migrate([...queueMigrations, ...nagiosBridgeMigrations]);
  return { store, dispose: async () => (await store.close(), await db.dispose()) };
}

describe.runIf(nagiosAvailable())("nrdp target into another appliance's NRDP entry and on into Nagios 4", () => {
  let nagios: NagiosInstance;
  let b: { bridge: NagiosBridge; server: Server; url: string; dispose: () => Promise<void> };
  let a: { store: Store; dispose: () => Promise<void> };
  const bridges: NagiosBridge[] = [];

  const target = (name: string, over: Partial<NrdpTargetSettings> = {}): NrdpTargetSettings => ({ name, type: 'nrdp', url: b.url, token: TOKEN, insecure: false, timeoutMs: 10_000, ...over });
  const bridgeWith = (t: NrdpTargetSettings) => {
    const bridge = createNagiosBridge({ store: a.store, settings: { ...defaultBridgeSettings(), targets: [t], retryMinMs: 50, retryMaxMs: 300 }, pollMs: 50 });
    bridges.push(bridge);
    bridge.start();
    return bridge;
  };
  const downtimes = () => nagios.status().filter((x) => x.type === 'servicedowntime').map((x) => x.fields);
  const statsOf = async (bridge: NagiosBridge): Promise<TargetStats> => (await bridge.stats())[0]!;
  const deadOf = async (bridge: NagiosBridge, t: string) => (await bridge.outbox(t)!.queue.dead()).map((d) => [d.partition, d.lastError]);

  beforeAll(async () => {
    nagios = createNagios({ [HOST]: SERVICES, [OTHER]: ['denied'] });
    await nagios.start();
    // Appliance B: its own store and bridge (a command-file target), its NRDP entry on a port of its own.
    const bs = await migratedStore();
    const bridge = createNagiosBridge({ store: bs.store, settings: { ...defaultBridgeSettings(), targets: [{ name: 'nagios', type: 'command_file', path: nagios.commandFile }], retryMinMs: 50, retryMaxMs: 300 }, pollMs: 50 });
    bridge.start();
    const settings = entrySettings({ nrdpTokens: [{ name: 'a', secret: TOKEN }, { name: 'limited', secret: LIMITED, hosts: 'ce1\\.example\\.org' }], maxOutputBytes: B_MAX_OUTPUT });
    const app = express();
    app.use(nrdpRouter({ submit: bridge.submit, submitCommands: bridge.submitCommands, settings: () => settings }));
    const server = app.listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => server.once('listening', resolve));
    b = {
      bridge,
      server,
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/nrdp/`,
      dispose: async () => {
        await bridge.stop();
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await bs.dispose();
      },
    };
    a = await migratedStore();
  }, 30_000);

  afterAll(async () => {
    for (const x of bridges) await x.stop();
    await b?.dispose();
    await a?.dispose();
    await nagios?.dispose();
  });

  it('delivers a batch with state, output, long output, perfdata and, through the appliance entry, the original check times', async () => {
    const bridge = bridgeWith(target('b'));
    await bridge.submit([
      svc('ping', now - 600, { state: 2, output: 'CRITICAL: x & <y>', perfdata: 'rta=0.5ms;1;2', longOutput: 'line two\nline three' }),
      svc('certs', now - 500, { state: 1, output: 'WARNING: soon', perfdata: 'days=3' }),
      { kind: 'host', host: OTHER, state: 1, output: 'DOWN: no route', checkTime: now - 400, source: 'cmd.cgi' },
    ]);
    await until(() => nagios.service(HOST, 'certs')?.last_check === String(now - 500) && nagios.service(HOST, 'ping')?.last_check === String(now - 600) && nagios.host(OTHER)?.last_check === String(now - 400), 'the results in status.dat', 20_000);
    expect(nagios.service(HOST, 'ping')).toMatchObject({ current_state: '2', plugin_output: 'CRITICAL: x & <y>', long_plugin_output: 'line two\\nline three', performance_data: 'rta=0.5ms;1;2' });
    expect(nagios.service(HOST, 'certs')).toMatchObject({ current_state: '1', plugin_output: 'WARNING: soon', performance_data: 'days=3' });
    expect(nagios.host(OTHER)).toMatchObject({ current_state: '1', plugin_output: 'DOWN: no route' });
    expect(await statsOf(bridge)).toMatchObject({ queued: 0, delivering: 0, dead: 0 });
  }, 30_000);

  it("keeps results B refuses for a bad token (status -1 BAD TOKEN: retryable, the reason as the last error)", async () => {
    const bridge = bridgeWith(target('bad-token', { token: 'not-the-token' }));
    await bridge.submit([svc('held', now - 100, { state: 2, output: 'CRITICAL: never' })]);
    let stats: TargetStats | undefined;
    await until(() => {
      void statsOf(bridge).then((s) => (stats = s));
      return stats?.lastError !== undefined;
    }, 'the refused post');
    expect(stats!.lastError!.reason).toBe(`NRDP at ${b.url} answered status -1 "BAD TOKEN" (check the target's token)`);
    expect(stats).toMatchObject({ dead: 0 });
    expect(stats!.queued + stats!.delivering).toBe(1);
    expect(nagios.service(HOST, 'held')?.plugin_output).not.toBe('CRITICAL: never');
  });

  it('dead-letters only the result B names as unreadable (output over its limit) and delivers the rest of the batch', async () => {
    const bridge = bridgeWith(target('blame'));
    await bridge.submit([svc('fine-1', now - 50), svc('too-long', now - 50, { output: `CRITICAL: ${'x'.repeat(B_MAX_OUTPUT)}` }), svc('fine-2', now - 50)]);
    await until(() => nagios.service(HOST, 'fine-1')?.last_check === String(now - 50) && nagios.service(HOST, 'fine-2')?.last_check === String(now - 50), 'the good results', 20_000);
    let dead: unknown[] = [];
    await until(() => {
      void deadOf(bridge, 'blame').then((d) => (dead = d));
      return dead.length > 0;
    }, 'the refused result to be dead-lettered');
    expect(dead).toEqual([[`${HOST}|too-long`, `NRDP at ${b.url} answered status -1 "BAD JSON": checkresults[1]: output and output together are longer than the limit of ${B_MAX_OUTPUT} bytes`]]);
    expect(nagios.service(HOST, 'too-long')?.last_check).toBe('0');
  }, 30_000);

  it('narrows a refusal that names no result (NOT AUTHORIZED for one host) to that result, one post each, and delivers the others', async () => {
    const bridge = bridgeWith(target('limited', { token: LIMITED }));
    await bridge.submit([svc('allowed', now - 40, { state: 1, output: 'WARNING: allowed' }), { kind: 'service', host: OTHER, service: 'denied', state: 2, output: 'CRITICAL: denied', checkTime: now - 40, source: 'nrdp' }]);
    await until(() => nagios.service(HOST, 'allowed')?.last_check === String(now - 40), 'the allowed result', 20_000);
    let stats: TargetStats | undefined;
    await until(() => {
      void statsOf(bridge).then((s) => (stats = s));
      return stats?.lastError !== undefined && stats.queued + stats.delivering === 1;
    }, 'the refused result to wait for its retry');
    expect(stats!.lastError!.reason).toBe(`NRDP at ${b.url} answered status -1 "NOT AUTHORIZED": token "limited" may not submit results for service "denied" on host "${OTHER}"`);
    expect(stats!.dead).toBe(0);
    expect(nagios.service(OTHER, 'denied')?.last_check).toBe('0');
  }, 30_000);

  it('carries downtimes and acknowledgements as submitcmd posts that B queues behind the results of their service', async () => {
    const bridge = bridgeWith(target('commands'));
    const base = { kind: 'command', host: HOST, submittedAt: now } as const;
    const downtime: BridgeCommand = { ...base, action: 'schedule_downtime', service: 'dt', start: now - 60, end: now + 3600, fixed: true, author: 'maint', comment: 'kernel and reboot' };
    await bridge.submitCommands([downtime]);
    await until(() => downtimes().some((d) => d.service_description === 'dt'), "dt's downtime in status.dat", 20_000);
    expect(downtimes().find((d) => d.service_description === 'dt')).toMatchObject({
      host_name: HOST, start_time: String(now - 60), end_time: String(now + 3600), fixed: '1', author: 'maint', comment: 'kernel and reboot',
    });
    // The result that makes the problem, then its acknowledgement: one partition, so Nagios sees them in that order.
    await bridge.submit([svc('ack', now - 30, { state: 2, output: 'CRITICAL: broken' })]);
    await bridge.submitCommands([{ ...base, action: 'acknowledge', service: 'ack', author: 'ops', comment: 'ticket 42', sticky: true, notify: false, persistent: false }]);
    await until(() => nagios.service(HOST, 'ack')?.problem_has_been_acknowledged === '1', 'the acknowledgement in status.dat', 20_000);
    expect(nagios.service(HOST, 'ack')).toMatchObject({ current_state: '2', acknowledgement_type: '2' });
    await bridge.submitCommands([{ ...base, action: 'remove_downtime', service: 'dt' }]);
    await until(() => !downtimes().some((d) => d.service_description === 'dt'), "dt's downtime removed", 20_000);
    expect(await statsOf(bridge)).toMatchObject({ queued: 0, delivering: 0, dead: 0 });
  }, 60_000);

  it("keeps a command B's token limits refuse (NOT AUTHORIZED: retried, the reason as the last error) and applies none of it", async () => {
    const bridge = bridgeWith(target('limited-commands', { token: LIMITED }));
    await bridge.submitCommands([{ kind: 'command', host: OTHER, service: 'denied', submittedAt: now, action: 'schedule_downtime', start: now, end: now + 60, fixed: true, author: 'x', comment: 'not here' }]);
    let stats: TargetStats | undefined;
    await until(() => {
      void statsOf(bridge).then((x) => (stats = x));
      return stats?.lastError !== undefined;
    }, 'the refused command');
    expect(stats!.lastError!.reason).toBe(`NRDP at ${b.url} answered status -1 "NOT AUTHORIZED": token "limited" may not submit commands for service "denied" on host "${OTHER}"`);
    expect(stats).toMatchObject({ dead: 0 });
    expect(downtimes().some((d) => d.comment === 'not here')).toBe(false);
  }, 30_000);
});

/**
 * `POST /api/v1/nagios/commands` end to end: downtimes (with child hosts), removal by the id the API answered,
 * acknowledgements and their removal, through each transport that carries commands into Debian's real Nagios 4,
 * read back from status.dat.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessMigrations } from '../../access/index.js';
import { createNagiosBridge, defaultBridgeSettings, nagiosBridgeMigrations, type NagiosBridge, type NagiosBridgeSettings, type PassiveResult, type TargetSettings } from '../../nagios-bridge/index.js';
import { queueMigrations } from '../../queue/index.js';
import type { Store } from '../../store/index.js';
import { basic } from '../access/support/access-app.js';
import { PASSWORDS, standardSettings } from '../access/support/users-fixture.js';
import { startCommandsApp, type CommandsApp } from '../nagios-bridge/support/commands-app.js';
import { cmdCgiAvailable, startCmdCgiRunner } from '../support/cmd-cgi-runner.js';
import { createNagios, nagiosAvailable, until, type NagiosInstance } from '../support/nagios.js';
import { sqliteBackend } from '../support/stores.js';
import { removeTempDirs } from '../support/temp-files.js';

afterAll(removeTempDirs);

const HOST = 'ce1.example.org';
const CHILD = 'wn1.example.org';
const COMMON = '  check_command no-result\n  max_check_attempts 1\n  check_period always\n  notification_period always\n  notification_interval 0\n  contacts nobody\n  active_checks_enabled 0\n  passive_checks_enabled 1\n  check_freshness 0\n  notifications_enabled 0\n  flap_detection_enabled 0';
/** A host behind ce1, so a host downtime's child option has a child to reach. */
const CHILD_HOST = `define host {\n  host_name ${CHILD}\n  address 127.0.0.2\n  parents ${HOST}\n${COMMON}\n}\n`;

/** How each transport reaches the Nagios under test; `close` stops what it started. */
interface CommandRoute {
  name: string;
  /** Whether the transport can run here (real components present); otherwise the suite skips loudly. */
  available: () => boolean;
  target: (nagios: NagiosInstance) => Promise<{ target: TargetSettings; close(): Promise<void>; sent?: () => string[] }>;
  /** The `cmd_typ` codes (or command names) a suite's commands must have gone as, when the route records them. */
  expectSent?: readonly string[];
}

const routes: CommandRoute[] = [
  {
    name: 'the command file',
    available: () => true,
    target: (nagios) => Promise.resolve({ target: { name: 'nagios', type: 'command_file', path: nagios.commandFile }, close: () => Promise.resolve() }),
  },
  {
    // Debian's cmd.cgi run as a CGI (CSRF handshake included); removals find Nagios's ids in statusjson.cgi beside it.
    name: "Debian's cmd.cgi",
    available: () => cmdCgiAvailable(),
    target: async (nagios) => {
      const runner = await startCmdCgiRunner({ nagiosDir: nagios.dir, users: { nagiosadmin: 'cgi-secret' } });
      return {
        target: { name: 'nagios', type: 'cmd_cgi', url: runner.url, user: 'nagiosadmin', password: 'cgi-secret', insecure: false, timeoutMs: 10_000, concurrency: 2 },
        close: () => runner.close(),
        // The commits cmd.cgi took (its success line), as `cmd_typ=N`, and the statusjson.cgi lookups.
        sent: () => runner.requests.filter((r) => r.message?.includes('successfully submitted') || r.form.startsWith('query=')).map((r) => /cmd_typ=\d+|query=downtimelist/.exec(r.form)?.[0] ?? r.form),
      };
    },
    // 56/55 schedule, 79/78 delete by Nagios's id, 30/87 the results, 34/33 acknowledge, 52 remove the acknowledgement.
    expectSent: ['cmd_typ=56', 'cmd_typ=55', 'query=downtimelist', 'cmd_typ=79', 'cmd_typ=78', 'cmd_typ=30', 'cmd_typ=87', 'cmd_typ=34', 'cmd_typ=33', 'cmd_typ=52'],
  },
];

for (const route of routes) {
  describe.runIf(nagiosAvailable() && route.available())(`the commands API into a real Nagios 4 through ${route.name}`, () => {
    let nagios: NagiosInstance;
    let store: Store;
    let dispose: () => Promise<void>;
    let bridge: NagiosBridge;
    let app: CommandsApp;
    let closeTarget: () => Promise<void> = () => Promise.resolve();
    let sent: (() => string[]) | undefined;
    const now = Math.floor(Date.now() / 1000);
    const bob = { authorization: basic('bob', PASSWORDS.bob), 'content-type': 'application/json' };
    const post = async (commands: unknown[]) => {
      const res = await fetch(`${app.url}/api/v1/nagios/commands`, { method: 'POST', headers: bob, body: JSON.stringify({ commands }) });
      expect(res.status).toBe(202);
      return ((await res.json()) as { commands: { id: string; targets: string[] }[] }).commands;
    };
    const downtimes = (type: 'hostdowntime' | 'servicedowntime') => nagios.status().filter((b) => b.type === type).map((b) => b.fields);

    beforeAll(async () => {
      nagios = createNagios({ [HOST]: ['dt', 'ack'] }, { files: { 'child.cfg': CHILD_HOST }, cfgFiles: ['child.cfg'] });
      await nagios.start();
      const db = await sqliteBackend.create();
      store = db.open();
      dispose = db.dispose;
      await store.migrate([...accessMigrations, ...queueMigrations, ...nagiosBridgeMigrations]);
      const made = await route.target(nagios);
      closeTarget = () => made.close();
      sent = made.sent;
      const settings: NagiosBridgeSettings = { ...defaultBridgeSettings(), targets: [made.target], retryMinMs: 50, retryMaxMs: 300 };
      bridge = createNagiosBridge({ store, settings, pollMs: 50 });
      bridge.start();
      app = await startCommandsApp(store, standardSettings(), bridge, settings);
    }, 60_000);

    afterAll(async () => {
      await app?.close();
      await bridge?.stop();
      await closeTarget();
      await store?.close();
      await dispose?.();
      await nagios?.dispose();
    });

    it('schedules a fixed service downtime and a flexible host downtime with its child hosts, then removes each by the id the API answered', async () => {
      const [svc, host] = await post([
        { command: 'schedule_downtime', host: HOST, service: 'dt', start: now - 60, end: now + 3600, comment: 'kernel update' },
        { command: 'schedule_downtime', host: HOST, start: now + 600, end: now + 7200, fixed: false, duration: 1800, author: 'maint', comment: 'network window', child_hosts: 'non_triggered' },
      ]);
      await until(() => downtimes('servicedowntime').length === 1 && downtimes('hostdowntime').length === 2, 'a service downtime and downtimes of the host and its child in status.dat', 20_000);
      expect(downtimes('servicedowntime')[0]).toMatchObject({ host_name: HOST, service_description: 'dt', start_time: String(now - 60), end_time: String(now + 3600), fixed: '1', comment: 'kernel update' });
      const byHost = new Map(downtimes('hostdowntime').map((d) => [d.host_name, d]));
      expect(byHost.get(HOST)).toMatchObject({ start_time: String(now + 600), end_time: String(now + 7200), fixed: '0', duration: '1800', comment: 'network window' });
      expect(byHost.get(CHILD)).toMatchObject({ start_time: String(now + 600), end_time: String(now + 7200), fixed: '0', duration: '1800' });
      await until(() => nagios.service(HOST, 'dt')?.scheduled_downtime_depth === '1', 'the service in downtime');

      // Nagios numbered them itself; the removal by the appliance's id finds them by host, service, start and comment.
      await post([{ command: 'remove_downtime', schedule_id: svc!.id }]);
      await until(() => downtimes('servicedowntime').length === 0, "the service downtime removed by the appliance's id", 20_000);
      expect(downtimes('hostdowntime')).toHaveLength(2);
      await post([{ command: 'remove_downtime', schedule_id: host!.id }]);
      await until(() => !downtimes('hostdowntime').some((d) => d.host_name === HOST), "the host downtime removed by the appliance's id", 20_000);
    }, 90_000);

    it('acknowledges a service and a host problem after the results that made them problems, and removes the service acknowledgement', async () => {
      const critical: PassiveResult[] = [
        { kind: 'service', host: HOST, service: 'ack', state: 2, output: 'CRITICAL: broken', checkTime: now - 30, source: 'nrdp' },
        { kind: 'host', host: HOST, state: 1, output: 'DOWN: no route', checkTime: now - 30, source: 'nrdp' },
      ];
      await bridge.submit(critical);
      await post([
        { command: 'acknowledge', host: HOST, service: 'ack', comment: 'known, ticket 42', sticky: true, notify: false, persistent: false },
        { command: 'acknowledge', host: HOST, comment: 'host known', sticky: false, notify: false, persistent: true },
      ]);
      await until(() => nagios.service(HOST, 'ack')?.problem_has_been_acknowledged === '1' && nagios.host(HOST)?.problem_has_been_acknowledged === '1', 'both acknowledgements in status.dat', 20_000);
      expect(nagios.service(HOST, 'ack')).toMatchObject({ current_state: '2', acknowledgement_type: '2' });
      expect(nagios.host(HOST)).toMatchObject({ current_state: '1', acknowledgement_type: '1' });

      const [removal] = await post([{ command: 'remove_acknowledgement', host: HOST, service: 'ack' }]);
      await until(() => nagios.service(HOST, 'ack')?.problem_has_been_acknowledged === '0', 'the service acknowledgement removed', 20_000);
      expect(nagios.host(HOST)?.problem_has_been_acknowledged).toBe('1');

      const listed = (await (await fetch(`${app.url}/api/v1/nagios/commands?host=${HOST}&service=ack`, { headers: bob })).json()) as { commands: { id: string; targets: { state: string }[] }[] };
      expect(listed.commands[0]).toMatchObject({ id: removal!.id, targets: [{ state: 'delivered' }] });
      expect((await bridge.stats())[0]).toMatchObject({ dead: 0 });
      if (route.expectSent) expect(new Set(sent!())).toEqual(new Set(route.expectSent));
    }, 60_000);
  });
}

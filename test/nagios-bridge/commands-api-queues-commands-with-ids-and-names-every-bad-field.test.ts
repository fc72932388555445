/** `POST`/`GET /api/v1/nagios/commands`: ids answered once queued, every bad field named with nothing queued, auth and CSRF as the appliance's, and what each target did. */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { accessMigrations } from '../../access/index.js';
import {
  createNagiosBridge, defaultBridgeSettings, nagiosBridgeMigrations, type BridgeCommand, type DeliveryOutcome, type NagiosBridge, type NagiosBridgeSettings, type Transport,
} from '../../nagios-bridge/index.js';
import { queueMigrations } from '../../queue/index.js';
import { basic, client } from '../access/support/access-app.js';
import { PASSWORDS, standardSettings } from '../access/support/users-fixture.js';
import { useFreshStore } from '../store/support/fresh-store.js';
import { sqliteBackend } from '../support/stores.js';
import { removeTempDirs } from '../support/temp-files.js';
import { startCommandsApp, type CommandsApp } from './support/commands-app.js';

afterAll(removeTempDirs);

const HOST = 'ce1.example.org';
const PATH = '/api/v1/nagios/commands';

/** A stand-in target that records the commands handed to it (the real targets are tested in test/integration/). */
function recorder(carriesCommands = true) {
  const seen: BridgeCommand[] = [];
  const transport: Transport = {
    type: carriesCommands ? 'test' : 'results_only',
    deliver: (results) => Promise.resolve(results.map((): DeliveryOutcome => ({ status: 'ok' }))),
    ...(carriesCommands
      ? {
          deliverCommands(commands: readonly BridgeCommand[]) {
            seen.push(...commands);
            return Promise.resolve(commands.map((): DeliveryOutcome => ({ status: 'ok' })));
          },
        }
      : {}),
  };
  return { transport, seen };
}

describe('the commands API', () => {
  const fresh = useFreshStore(sqliteBackend, { per: 'suite', migrations: [...accessMigrations, ...queueMigrations, ...nagiosBridgeMigrations] });
  const main = recorder();
  const resultsOnly = recorder(false);
  let bridge: NagiosBridge;
  let app: CommandsApp;
  const settings: NagiosBridgeSettings = {
    ...defaultBridgeSettings(),
    targets: [
      { name: 'main', type: 'command_file', path: '/unused' },
      { name: 'results-only', type: 'command_file', path: '/unused' },
    ],
    // results-only takes one host's commands, so most tests see one target.
    routes: [
      { target: 'main' },
      { target: 'results-only', host: /^ce9\.example\.org$/ },
    ],
    retryMinMs: 1,
    retryMaxMs: 5,
  };

  beforeAll(async () => {
    bridge = createNagiosBridge({
      store: fresh().store,
      settings,
      pollMs: 10,
      transportFor: (t) => (t.name === 'main' ? main.transport : resultsOnly.transport),
    });
    bridge.start();
    app = await startCommandsApp(fresh().store, standardSettings(), bridge, settings);
  });
  afterAll(async () => {
    await app?.close();
    await bridge?.stop();
  });
  afterEach(() => {
    main.seen.length = 0;
  });

  const bob = { authorization: basic('bob', PASSWORDS.bob) };
  const post = (body: unknown, headers: Record<string, string> = bob) =>
    fetch(app.url + PATH, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  const list = async (query: string) => (await (await fetch(`${app.url}${PATH}?${query}`, { headers: bob })).json()) as { commands: { id: string; command: BridgeCommand; targets: { target: string; state: string; detail?: string }[] }[] };
  const now = Math.floor(Date.now() / 1000);
  const downtime = { command: 'schedule_downtime', host: HOST, service: 'org.osg.ping', start: now, end: now + 3600, comment: 'kernel update' };

  it('queues downtimes and acknowledgements, answers 202 with each command\'s id, and lists what the target did', async () => {
    const res = await post({
      commands: [
        downtime,
        { command: 'schedule_downtime', host: HOST, start: now + 60, end: now + 7200, fixed: false, duration: 600, author: 'maint', comment: 'host window', child_hosts: 'triggered' },
        { command: 'acknowledge', host: HOST, service: 'org.osg.cert', comment: 'on it', sticky: false, notify: false, persistent: true },
        { command: 'remove_acknowledgement', host: HOST, service: 'org.osg.cert' },
      ],
    });
    expect(res.status).toBe(202);
    const { commands } = (await res.json()) as { commands: { id: string; targets: string[]; duplicate: boolean }[] };
    expect(commands).toHaveLength(4);
    for (const c of commands) expect(c).toEqual({ id: expect.stringMatching(/^[0-9a-f]{32}$/) as string, targets: ['main'], duplicate: false });
    expect(new Set(commands.map((c) => c.id)).size).toBe(4);

    await vi.waitFor(() => expect(main.seen).toHaveLength(4), { timeout: 5000 });
    // The author defaults to the user, fixed to true, the acknowledgement's booleans as given.
    expect(main.seen[0]).toMatchObject({ action: 'schedule_downtime', host: HOST, service: 'org.osg.ping', start: now, end: now + 3600, fixed: true, author: 'bob', comment: 'kernel update', submittedBy: 'bob', commandId: commands[0]!.id });
    expect(main.seen[1]).toMatchObject({ action: 'schedule_downtime', fixed: false, duration: 600, author: 'maint', childHosts: 'triggered', commandId: commands[1]!.id });
    expect(main.seen[1]!.service).toBeUndefined();
    expect(main.seen[2]).toMatchObject({ action: 'acknowledge', sticky: false, notify: false, persistent: true, author: 'bob' });
    expect(main.seen[3]).toMatchObject({ action: 'remove_acknowledgement', service: 'org.osg.cert' });

    await vi.waitFor(async () => {
      const listed = await list(`host=${HOST}`);
      expect(listed.commands.map((c) => c.id)).toEqual(commands.map((c) => c.id).reverse());
      for (const c of listed.commands) expect(c.targets).toEqual([expect.objectContaining({ target: 'main', state: 'delivered' })]);
    }, { timeout: 5000 });
    // One service's commands, and the host's own ('' is the host).
    expect((await list(`host=${HOST}&service=org.osg.cert`)).commands.map((c) => c.command.action)).toEqual(['remove_acknowledgement', 'acknowledge']);
    expect((await list(`host=${HOST}&service=`)).commands.map((c) => c.id)).toEqual([commands[1]!.id]);
    expect((await list(`host=${HOST}&limit=1`)).commands).toHaveLength(1);
  });

  it.each([
    ['an unknown kind', { commands: [{ command: 'shutdown_nagios', host: HOST }] }, 'commands[0].command: must be one of schedule_downtime, remove_downtime, acknowledge, remove_acknowledgement'],
    ['an end before the start', { commands: [{ ...downtime, end: now - 1 }] }, 'commands[0].end: must be after start'],
    ['a host with ";"', { commands: [{ ...downtime, host: 'ce1;SHUTDOWN_PROGRAM' }] }, 'commands[0].host: must not contain ";"'],
    ['a service with "["', { commands: [{ ...downtime, service: 'a[1]' }] }, 'commands[0].service: must not contain "["'],
    ['a comment with a newline', { commands: [{ ...downtime, comment: 'one\n[1] SHUTDOWN_PROGRAM' }] }, 'commands[0].comment: must not contain a newline'],
    ['a too-long comment', { commands: [{ ...downtime, comment: 'x'.repeat(1024) }] }, 'commands[0].comment: is longer than 1023 bytes'],
    ['a field the command does not have', { commands: [{ ...downtime, sticky: true }] }, 'commands[0].sticky: is not a field of schedule_downtime'],
    ['a start that is not epoch seconds', { commands: [{ ...downtime, start: '2026-12-01' }] }, 'commands[0].start: must be a time in whole epoch seconds (required)'],
    ['a flexible downtime without a duration', { commands: [{ ...downtime, fixed: false }] }, 'commands[0].duration: is required for a flexible downtime'],
    ['child hosts on a service downtime', { commands: [{ ...downtime, child_hosts: 'triggered' }] }, 'commands[0].child_hosts: is for a host downtime'],
    ['an acknowledgement without a comment', { commands: [{ command: 'acknowledge', host: HOST }] }, 'commands[0].comment: is required (a string)'],
    ['a bad second command after a good one', { commands: [downtime, { ...downtime, host: 'a\nb' }] }, 'commands[1].host: must not contain a newline'],
    ['a removal by an id never answered', { commands: [{ command: 'remove_downtime', schedule_id: 'f'.repeat(32) }] }, `commands[0].schedule_id: no command with id ${'f'.repeat(32)} is known`],
    ['no commands', { commands: [] }, 'commands: must be a non-empty array of commands'],
    ['a body that is not an object', [downtime], 'body: must be a JSON object'],
  ])('refuses %s with a 400 naming the field, queueing nothing', async (_what, body, message) => {
    const res = await post(body);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toContain(message);
    const queued = await bridge.outbox('main')!.queue.stats(new Date());
    expect(queued.depth.queued + queued.depth.leased).toBe(0);
    expect(main.seen).toEqual([]);
  });

  it('refuses a body that is not JSON (415) and JSON it cannot read (400)', async () => {
    const form = await fetch(app.url + PATH, { method: 'POST', headers: { ...bob, 'content-type': 'application/x-www-form-urlencoded' }, body: 'command=acknowledge' });
    expect(form.status).toBe(415);
    expect(((await form.json()) as { message: string }).message).toContain('Content-Type: application/json');
    expect((await post('{"commands": [')).status).toBe(400);
  });

  it('needs the operator role: 401 anonymous, 403 for a viewer; an operator\'s token works', async () => {
    expect((await post({ commands: [downtime] }, {})).status).toBe(401);
    expect((await post({ commands: [downtime] }, { authorization: basic('carol', PASSWORDS.carol) })).status).toBe(403);
    const { token } = await app.access.tokens.create('maint', 'bob', 'operator');
    const res = await post({ commands: [{ ...downtime, comment: 'by token' }] }, { authorization: `Bearer ${token}` });
    expect(res.status).toBe(202);
    await vi.waitFor(() => expect(main.seen.map((c) => c.action === 'schedule_downtime' && c.comment)).toEqual(['by token']), { timeout: 5000 });
  });

  it('needs the session\'s CSRF token for a browser session\'s post', async () => {
    const browser = client(app.url);
    const login = await browser.send('/login', { json: { username: 'bob', password: PASSWORDS.bob } });
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    expect((await browser.send(PATH, { json: { commands: [downtime] } })).status).toBe(403);
    expect(main.seen).toEqual([]);
    const ok = await browser.send(PATH, { json: { commands: [{ ...downtime, comment: 'from the browser' }] }, headers: { 'x-csrf-token': csrfToken } });
    expect(ok.status).toBe(202);
    await vi.waitFor(() => expect(main.seen).toHaveLength(1), { timeout: 5000 });
  });

  it('answers a re-sent request id with the first command\'s id (200) and queues it once', async () => {
    const first = await post({ commands: [{ ...downtime, comment: 'once', request_id: 'maint-42' }] });
    expect(first.status).toBe(202);
    const [a] = ((await first.json()) as { commands: { id: string }[] }).commands;
    const again = await post({ commands: [{ ...downtime, comment: 'once', request_id: 'maint-42' }] });
    expect(again.status).toBe(200);
    expect(((await again.json()) as { commands: unknown[] }).commands).toEqual([{ id: a!.id, targets: [], duplicate: true }]);
    await vi.waitFor(() => expect(main.seen).toHaveLength(1), { timeout: 5000 });
    // Still once after it was delivered.
    const late = await post({ commands: [{ ...downtime, comment: 'once', request_id: 'maint-42' }] });
    expect(((await late.json()) as { commands: { id: string }[] }).commands[0]!.id).toBe(a!.id);
    await new Promise((r) => setTimeout(r, 100));
    expect(main.seen).toHaveLength(1);
  });

  it('removes a downtime by the id it answered: the removal carries that downtime\'s host, service, start and comment', async () => {
    const res = await post({ commands: [{ ...downtime, comment: 'to remove' }] });
    const [scheduled] = ((await res.json()) as { commands: { id: string }[] }).commands;
    const removal = await post({ commands: [{ command: 'remove_downtime', schedule_id: scheduled!.id }] });
    expect(removal.status).toBe(202);
    await vi.waitFor(() => expect(main.seen).toHaveLength(2), { timeout: 5000 });
    expect(main.seen[1]).toMatchObject({ action: 'remove_downtime', host: HOST, service: 'org.osg.ping', start: now, comment: 'to remove', scheduleId: scheduled!.id });
    // Another object's host, or a command that is no downtime, is refused.
    const wrongHost = await post({ commands: [{ command: 'remove_downtime', host: 'ce2.example.org', schedule_id: scheduled!.id }] });
    expect(wrongHost.status).toBe(400);
    expect(((await wrongHost.json()) as { message: string }).message).toContain(`commands[0].schedule_id: command ${scheduled!.id} scheduled a downtime for service "org.osg.ping" on host "${HOST}"`);
  });

  it('answers 403 for a host outside the user\'s <submitter> limits and 422 for a host no target takes', async () => {
    const limited = { ...settings, entries: { ...settings.entries, submitters: new Map([['bob', { hosts: /^ce1\.example\.org$/ }]]) } } as NagiosBridgeSettings;
    const other = await startCommandsApp(fresh().store, standardSettings(), bridge, limited);
    try {
      const res = await fetch(other.url + PATH, { method: 'POST', headers: { ...bob, 'content-type': 'application/json' }, body: JSON.stringify({ commands: [downtime, { ...downtime, host: 'ce2.example.org' }] }) });
      expect(res.status).toBe(403);
      expect(((await res.json()) as { message: string }).message).toContain('commands[1]: user "bob" may not submit commands');
    } finally {
      await other.close();
    }
    const unrouted = createNagiosBridge({ store: fresh().store, settings: { ...settings, routes: [{ target: 'main', host: /^nowhere$/ }, { target: 'results-only', host: /^nowhere$/ }] } });
    const app2 = await startCommandsApp(fresh().store, standardSettings(), unrouted, settings);
    try {
      const res = await fetch(app2.url + PATH, { method: 'POST', headers: { ...bob, 'content-type': 'application/json' }, body: JSON.stringify({ commands: [downtime] }) });
      expect(res.status).toBe(422);
      expect(((await res.json()) as { message: string }).message).toContain('no Nagios target\'s routes take commands for service "org.osg.ping"');
    } finally {
      await app2.close();
      await unrouted.stop();
    }
    expect(main.seen).toEqual([]);
  });

  it('shows a command a target cannot carry as dead, with the reason, in the listing', async () => {
    const res = await post({ commands: [{ command: 'acknowledge', host: 'ce9.example.org', service: 'x', comment: 'c' }] });
    expect(res.status).toBe(202);
    const [queued] = ((await res.json()) as { commands: { id: string; targets: string[] }[] }).commands;
    expect(queued!.targets).toEqual(['main', 'results-only']);
    await vi.waitFor(async () => {
      const [listed] = (await list('host=ce9.example.org')).commands;
      expect(listed!.targets).toEqual([
        expect.objectContaining({ target: 'main', state: 'delivered' }),
        expect.objectContaining({ target: 'results-only', state: 'dead', detail: 'a results_only target cannot carry commands (downtimes, acknowledgements)' }),
      ]);
    }, { timeout: 5000 });
    // The dead letter follows its trace event (the event is written just before the queue hears of the failure).
    await vi.waitFor(async () => {
      const dead = await bridge.deadLetters('results-only')!.list(10);
      expect(dead.letters).toEqual([expect.objectContaining({ kind: 'command', action: 'acknowledge', reason: 'a results_only target cannot carry commands (downtimes, acknowledgements)' })]);
    }, { timeout: 5000 });
  });

  it('refuses a listing without a host or with a bad limit', async () => {
    const noHost = await fetch(app.url + PATH, { headers: bob });
    expect(noHost.status).toBe(400);
    expect(((await noHost.json()) as { message: string }).message).toBe('host: is required: the host whose commands to list');
    const bad = await fetch(`${app.url}${PATH}?host=${HOST}&limit=100000`, { headers: bob });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toContain('limit: must be a whole number from 1 to 500');
  });
});

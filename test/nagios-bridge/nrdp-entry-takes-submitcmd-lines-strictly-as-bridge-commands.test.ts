/**
 * The NRDP entry's `cmd=submitcmd`: one external command line the bridge knows, read field by field into a bridge
 * command (its text never reaches a command file), the token's limits applied; anything else refused in NRDP's shape.
 */
import express from 'express';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CommandFieldError } from '../../nagios-bridge/command-fields.js';
import { nrdpRouter } from '../../nagios-bridge/entries/index.js';
import { readCommandLine } from '../../nagios-bridge/entries/nrdp-command.js';
import type { BridgeCommand, QueuedCommand } from '../../nagios-bridge/types.js';
import { FIXED_EPOCH, FIXED_NOW } from './support/entries-app.js';
import { form, LIMITED_TOKEN, NCPA_TOKEN, nrdpSettings } from './support/nrdp-fixtures.js';

const HOST = 'rsv.example.edu';

describe('readCommandLine', () => {
  it('reads the downtime, removal and acknowledgement commands with exactly their fields', () => {
    expect(readCommandLine(`SCHEDULE_SVC_DOWNTIME;${HOST};org.osg.x;1796000000;1796003600;1;0;3600;maint;kernel update`, 5, 'ncpa')).toEqual({
      kind: 'command', action: 'schedule_downtime', host: HOST, service: 'org.osg.x', start: 1796000000, end: 1796003600, fixed: true,
      author: 'maint', comment: 'kernel update', submittedAt: 5, submittedBy: 'ncpa',
    });
    expect(readCommandLine(`SCHEDULE_HOST_DOWNTIME;${HOST};1796000000;1796003600;0;0;600;maint;flexible`, 5, undefined)).toMatchObject({
      action: 'schedule_downtime', host: HOST, fixed: false, duration: 600,
    });
    expect(readCommandLine(`schedule_and_propagate_host_downtime;${HOST};1796000000;1796003600;1;0;0;m;c`, 5, undefined)).toMatchObject({ childHosts: 'non_triggered' });
    expect(readCommandLine(`DEL_DOWNTIME_BY_HOST_NAME;${HOST}`, 5, undefined)).toEqual({ kind: 'command', action: 'remove_downtime', host: HOST, submittedAt: 5 });
    expect(readCommandLine(`DEL_DOWNTIME_BY_HOST_NAME;${HOST};svc;1796000000;kernel`, 5, undefined)).toMatchObject({ service: 'svc', start: 1796000000, comment: 'kernel' });
    expect(readCommandLine(`ACKNOWLEDGE_SVC_PROBLEM;${HOST};svc;2;0;1;ops;ticket 42`, 5, undefined)).toMatchObject({
      action: 'acknowledge', service: 'svc', sticky: true, notify: false, persistent: true, author: 'ops', comment: 'ticket 42',
    });
    expect(readCommandLine(`REMOVE_HOST_ACKNOWLEDGEMENT;${HOST}`, 5, undefined)).toEqual({ kind: 'command', action: 'remove_acknowledgement', host: HOST, submittedAt: 5 });
  });

  it.each([
    [`SCHEDULE_SVC_DOWNTIME;${HOST};svc;1;2;1;0;1;a;b\nSHUTDOWN_PROGRAM`, 'command: must be one line'],
    [`[1796000000] REMOVE_HOST_ACKNOWLEDGEMENT;${HOST}`, 'command: starts with "["'],
    ['SHUTDOWN_PROGRAM', 'command: "SHUTDOWN_PROGRAM" is not taken here'],
    [`ACKNOWLEDGE_SVC_PROBLEM;${HOST};svc;2;0;1;ops;a;b`, 'command: ACKNOWLEDGE_SVC_PROBLEM takes 7 fields'],
    [`SCHEDULE_SVC_DOWNTIME;${HOST};svc;soon;2;1;0;1;a;b`, 'start: "soon" must be a whole number'],
    [`SCHEDULE_SVC_DOWNTIME;${HOST};svc;1;2;1;7;1;a;b`, 'trigger_id: "7" must be a whole number from 0 to 0'],
    [`ACKNOWLEDGE_HOST_PROBLEM;${HOST};3;0;0;a;b`, 'sticky: "3" must be a whole number from 0 to 2'],
  ])('refuses %j naming the part', (line, message) => {
    expect(() => readCommandLine(line, 5, undefined)).toThrow(message);
  });
});

describe('NRDP entry with commands', () => {
  let url: string;
  let close: () => Promise<void>;
  const queued: BridgeCommand[][] = [];
  let refuse: Error | undefined;
  beforeAll(async () => {
    const submitCommands = async (commands: readonly BridgeCommand[]): Promise<QueuedCommand[]> => {
      await Promise.resolve();
      if (refuse) throw refuse;
      queued.push([...commands]);
      return commands.map((_, i) => ({ id: `c${queued.length}-${i}`, targets: ['nagios'], duplicate: false }));
    };
    const app = express();
    app.use(nrdpRouter({ submit: async () => {}, submitCommands, settings: nrdpSettings, clock: () => FIXED_NOW }));
    const server = app.listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => server.once('listening', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/nrdp/`;
    close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  });
  afterAll(() => close());
  beforeEach(() => {
    queued.length = 0;
    refuse = undefined;
  });

  it('queues one command per post, submitted now by the token, and answers with its id (XML or JSON)', async () => {
    const line = `SCHEDULE_SVC_DOWNTIME;${HOST};org.osg.x;1796000000;1796003600;1;0;3600;maint;kernel update`;
    const res = await fetch(url, form({ token: NCPA_TOKEN, cmd: 'submitcmd', command: line }));
    expect(res.status).toBe(200);
    const body = await res.text();
    expect(body).toContain('<status>0</status>');
    expect(body).toContain('<output>command queued as c1-0</output>');
    expect(queued).toEqual([[expect.objectContaining({ action: 'schedule_downtime', host: HOST, submittedAt: FIXED_EPOCH, submittedBy: 'ncpa' })]]);
    const json = await fetch(url, form({ token: NCPA_TOKEN, cmd: 'submitcmd', command: `REMOVE_HOST_ACKNOWLEDGEMENT;${HOST}`, JSONDATA: '{}' }));
    expect(await json.json()).toEqual({ result: { status: 0, message: 'OK', meta: { output: 'command queued as c2-0' } } });
  });

  it('refuses a missing or unreadable command, a bad token, a host outside the token, and a field the bridge refuses; nothing queued', async () => {
    const cases: [Record<string, string>, number, string, string][] = [
      [{ token: NCPA_TOKEN, cmd: 'submitcmd' }, 400, 'NO COMMAND', 'send the external command as command=...'],
      [{ token: NCPA_TOKEN, cmd: 'submitcmd', command: 'SHUTDOWN_PROGRAM' }, 400, 'BAD COMMAND', 'command: "SHUTDOWN_PROGRAM" is not taken here'],
      [{ token: 'wrong-token-0123456789', cmd: 'submitcmd', command: `REMOVE_HOST_ACKNOWLEDGEMENT;${HOST}` }, 401, 'BAD TOKEN', ''],
      [{ token: LIMITED_TOKEN, cmd: 'submitcmd', command: 'REMOVE_HOST_ACKNOWLEDGEMENT;other.example.org' }, 403, 'NOT AUTHORIZED', 'token "limited" may not submit commands for host "other.example.org"'],
    ];
    for (const [fields, status, message, detail] of cases) {
      const res = await fetch(url, form(fields));
      expect(res.status, message).toBe(status);
      const body = await res.text();
      expect(body).toContain('<status>-1</status>');
      expect(body).toContain(`<message>${message}</message>`);
      expect(body).toContain(detail.replace(/"/g, '&quot;'));
    }
    refuse = new CommandFieldError('comment', 'must not contain ";"');
    const res = await fetch(url, form({ token: NCPA_TOKEN, cmd: 'submitcmd', command: `ACKNOWLEDGE_HOST_PROBLEM;${HOST};1;0;0;ops;x` }));
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('comment: must not contain &quot;;&quot;');
    expect(queued).toEqual([]);
  });
});

/** The forms the cmd_cgi transport commits for commands (cgi/cmd.c of Nagios 4.4), the times in cmd.cgi's date formats, and statusjson.cgi's downtime list read for removals. */
import { describe, expect, it } from 'vitest';
import type { BridgeCommand, RemoveDowntime } from '../../nagios-bridge/index.js';
import { cmdCgiCommandForm, cmdCgiTime, downtimesToRemove, readDowntimeList, statusJsonPath, UnsendableResult } from '../../nagios-bridge/transports/index.js';

const T = 1796000000; // 2026-11-30T00:53:20Z
const base = { kind: 'command', host: 'ce1.example.org', submittedAt: T } as const;
const utc = { dateFormat: 'us', timeZone: 'UTC' } as const;
const form = (c: BridgeCommand, downtimeId?: string) => Object.fromEntries(cmdCgiCommandForm(c, utc, downtimeId));

describe('cmd.cgi command forms', () => {
  it('writes times as cmd.cgi\'s string_to_time reads them, in the zone the CGI runs in', () => {
    expect(cmdCgiTime(T, 'us', 'UTC')).toBe('11-30-2026 00:53:20');
    expect(cmdCgiTime(T, 'euro', 'UTC')).toBe('30-11-2026 00:53:20');
    expect(cmdCgiTime(T, 'iso8601', 'UTC')).toBe('2026-11-30 00:53:20');
    expect(cmdCgiTime(T, 'strict-iso8601', 'Europe/Zurich')).toBe('2026-11-30 01:53:20');
  });

  it('schedules a service downtime (56) and a flexible host downtime with its child hosts (55), the duration in hours and minutes', () => {
    expect(form({ ...base, action: 'schedule_downtime', service: 'svc', start: T, end: T + 3600, fixed: true, author: 'maint', comment: 'kernel' })).toEqual({
      cmd_typ: '56', cmd_mod: '2', host: 'ce1.example.org', service: 'svc', com_author: 'maint', com_data: 'kernel', trigger: '0',
      start_time: '11-30-2026 00:53:20', end_time: '11-30-2026 01:53:20', fixed: '1', hours: '0', minutes: '0', btnSubmit: 'Commit',
    });
    expect(form({ ...base, action: 'schedule_downtime', start: T, end: T + 9000, fixed: false, duration: 5430, author: 'maint', comment: 'net', childHosts: 'non_triggered' })).toMatchObject({
      cmd_typ: '55', fixed: '0', hours: '1', minutes: '31', childoptions: '2',
    });
    expect(form({ ...base, action: 'schedule_downtime', start: T, end: T + 60, fixed: true, author: 'a', comment: 'c', childHosts: 'triggered' })).toMatchObject({ childoptions: '1' });
  });

  it('acknowledges with its checkboxes present only when set (34/33), removes an acknowledgement (52/51), deletes a downtime by Nagios\'s id (79/78)', () => {
    expect(form({ ...base, action: 'acknowledge', service: 'svc', author: 'ops', comment: 'ticket', sticky: true, notify: false, persistent: true })).toEqual({
      cmd_typ: '34', cmd_mod: '2', host: 'ce1.example.org', service: 'svc', com_author: 'ops', com_data: 'ticket', sticky_ack: 'on', persistent: 'on', btnSubmit: 'Commit',
    });
    expect(form({ ...base, action: 'acknowledge', author: 'ops', comment: 'host', sticky: false, notify: true, persistent: false })).toMatchObject({ cmd_typ: '33', send_notification: 'on' });
    expect(form({ ...base, action: 'remove_acknowledgement', service: 'svc' })).toEqual({ cmd_typ: '52', cmd_mod: '2', host: 'ce1.example.org', service: 'svc', btnSubmit: 'Commit' });
    expect(form({ ...base, action: 'remove_acknowledgement' })).toMatchObject({ cmd_typ: '51' });
    expect(form({ ...base, action: 'remove_downtime', service: 'svc' }, '17')).toEqual({ cmd_typ: '79', cmd_mod: '2', down_id: '17', btnSubmit: 'Commit' });
    expect(form({ ...base, action: 'remove_downtime', downtimeId: '3' })).toMatchObject({ cmd_typ: '78', down_id: '3' });
  });

  it('refuses for good what cmd.cgi would change or refuse: < and > (stripped), a newline, an over-long comment, a non-numeric downtime id', () => {
    const ack = (comment: string): BridgeCommand => ({ ...base, action: 'acknowledge', author: 'ops', comment, sticky: true, notify: false, persistent: false });
    expect(() => cmdCgiCommandForm(ack('<b>x</b>'), utc)).toThrow(UnsendableResult);
    expect(() => cmdCgiCommandForm(ack('a\nb'), utc)).toThrow(UnsendableResult);
    expect(() => cmdCgiCommandForm(ack('x'.repeat(1023)), utc)).toThrow(/cmd.cgi takes at most 1022/);
    expect(() => cmdCgiCommandForm({ ...base, action: 'remove_downtime', downtimeId: 'ce1!svc!uuid' }, utc)).toThrow(/not a Nagios downtime id/);
  });
});

describe("statusjson.cgi's downtime list", () => {
  const page = {
    result: { type_code: 0, message: 'Success' },
    data: {
      downtimelist: {
        '4': { downtime_id: 4, type: 'service', host_name: 'ce1.example.org', service_description: 'svc', start_time: T * 1000, comment: 'kernel' },
        '5': { downtime_id: 5, type: 'host', host_name: 'ce1.example.org', start_time: T * 1000, comment: 'kernel' },
        '6': { downtime_id: 6, type: 'service', host_name: 'ce1.example.org', service_description: 'other', start_time: (T + 60) * 1000, comment: 'later' },
      },
    },
  };
  const read = readDowntimeList({ status: 200, headers: {}, body: JSON.stringify(page) });

  it('reads ids, services, start times (milliseconds) and comments', () => {
    expect(read).toEqual({ downtimes: [{ id: '4', service: 'svc', start: T, comment: 'kernel' }, { id: '5', start: T, comment: 'kernel' }, { id: '6', service: 'other', start: T + 60, comment: 'later' }] });
    expect(statusJsonPath('https://nagios.example/cgi-bin/nagios4/cmd.cgi')).toBe('/cgi-bin/nagios4/statusjson.cgi');
  });

  it('picks what DEL_DOWNTIME_BY_HOST_NAME would: a service\'s, or the host\'s and all its services\', narrowed by start and comment', () => {
    const downtimes = 'downtimes' in read ? read.downtimes : [];
    const rm = (over: Partial<RemoveDowntime>) => downtimesToRemove({ ...base, action: 'remove_downtime', ...over }, downtimes).map((d) => d.id);
    expect(rm({ service: 'svc' })).toEqual(['4']);
    expect(rm({})).toEqual(['4', '5', '6']);
    expect(rm({ start: T, comment: 'kernel' })).toEqual(['4', '5']);
    expect(rm({ service: 'other', comment: 'kernel' })).toEqual([]);
  });

  it('says why an answer is no list: refused (auth), an error page, a refused query', () => {
    expect(readDowntimeList({ status: 401, headers: {}, body: '' })).toMatchObject({ auth: true });
    expect(readDowntimeList({ status: 200, headers: {}, body: '<html>' })).toMatchObject({ error: expect.stringContaining('not JSON') as string });
    expect(readDowntimeList({ status: 200, headers: {}, body: JSON.stringify({ result: { type_code: 2, message: 'Invalid query' } }) })).toEqual({ error: 'statusjson.cgi refused the query: Invalid query' });
  });
});

/** Downtime and acknowledgement commands as Nagios external command lines, and the fields that would inject a second command. */
import { describe, expect, it } from 'vitest';
import { checkCommand, CommandFieldError, type BridgeCommand } from '../../nagios-bridge/index.js';
import { formatExternalCommand, UnsendableResult } from '../../nagios-bridge/transports/index.js';

const T = 1795311451;
const base = { kind: 'command', host: 'ce1.example.org', submittedAt: T } as const;
const downtime = (over: Partial<Extract<BridgeCommand, { action: 'schedule_downtime' }>> = {}): BridgeCommand => ({
  ...base, action: 'schedule_downtime', service: 'org.osg.general.ping-host', start: T + 60, end: T + 3660, fixed: true, author: 'maint', comment: 'kernel update', ...over,
});
const ack = (over: Partial<Extract<BridgeCommand, { action: 'acknowledge' }>> = {}): BridgeCommand => ({
  ...base, action: 'acknowledge', service: 'org.osg.general.ping-host', author: 'ops', comment: 'known, ticket 42', sticky: true, notify: false, persistent: false, ...over,
});

describe('external commands', () => {
  it('schedules a fixed service downtime with its duration from start to end, not triggered', () => {
    expect(formatExternalCommand(downtime())).toBe(`[${T}] SCHEDULE_SVC_DOWNTIME;ce1.example.org;org.osg.general.ping-host;${T + 60};${T + 3660};1;0;3600;maint;kernel update\n`);
  });

  it('schedules a flexible host downtime with the given duration', () => {
    expect(formatExternalCommand(downtime({ service: undefined, fixed: false, duration: 900 }))).toBe(`[${T}] SCHEDULE_HOST_DOWNTIME;ce1.example.org;${T + 60};${T + 3660};0;0;900;maint;kernel update\n`);
  });

  it('propagates a host downtime to the child hosts, triggered or with the same times', () => {
    expect(formatExternalCommand(downtime({ service: undefined, childHosts: 'triggered' }))).toBe(`[${T}] SCHEDULE_AND_PROPAGATE_TRIGGERED_HOST_DOWNTIME;ce1.example.org;${T + 60};${T + 3660};1;0;3600;maint;kernel update\n`);
    expect(formatExternalCommand(downtime({ service: undefined, childHosts: 'non_triggered' }))).toBe(`[${T}] SCHEDULE_AND_PROPAGATE_HOST_DOWNTIME;ce1.example.org;${T + 60};${T + 3660};1;0;3600;maint;kernel update\n`);
    expect(() => formatExternalCommand(downtime({ childHosts: 'triggered' }))).toThrow(UnsendableResult);
    expect(() => checkCommand(downtime({ childHosts: 'triggered' }))).toThrow(/^child_hosts: is for a host downtime/);
    expect(() => checkCommand(downtime({ service: undefined, childHosts: 'all' as never }))).toThrow(/^child_hosts: must be one of triggered, non_triggered/);
  });

  it('removes a host or service acknowledgement', () => {
    expect(formatExternalCommand({ ...base, action: 'remove_acknowledgement', service: 'svc' })).toBe(`[${T}] REMOVE_SVC_ACKNOWLEDGEMENT;ce1.example.org;svc\n`);
    expect(formatExternalCommand({ ...base, action: 'remove_acknowledgement' })).toBe(`[${T}] REMOVE_HOST_ACKNOWLEDGEMENT;ce1.example.org\n`);
    expect(() => formatExternalCommand({ ...base, action: 'remove_acknowledgement', service: 'a;b' })).toThrow(UnsendableResult);
  });

  it('removes downtimes by host name (all of the host and its services), by service, narrowed by start and comment, or by id', () => {
    const rm = (over: Partial<Extract<BridgeCommand, { action: 'remove_downtime' }>>) => formatExternalCommand({ ...base, action: 'remove_downtime', ...over });
    expect(rm({})).toBe(`[${T}] DEL_DOWNTIME_BY_HOST_NAME;ce1.example.org\n`);
    expect(rm({ service: 'svc' })).toBe(`[${T}] DEL_DOWNTIME_BY_HOST_NAME;ce1.example.org;svc\n`);
    expect(rm({ start: T + 60 })).toBe(`[${T}] DEL_DOWNTIME_BY_HOST_NAME;ce1.example.org;;${T + 60}\n`);
    expect(rm({ service: 'svc', comment: 'kernel update' })).toBe(`[${T}] DEL_DOWNTIME_BY_HOST_NAME;ce1.example.org;svc;0;kernel update\n`);
    expect(rm({ service: 'svc', downtimeId: '17' })).toBe(`[${T}] DEL_SVC_DOWNTIME;17\n`);
    expect(rm({ downtimeId: '3' })).toBe(`[${T}] DEL_HOST_DOWNTIME;3\n`);
    expect(() => rm({ downtimeId: 'ce1!svc!uuid' })).toThrow(/not a Nagios downtime id/);
  });

  it('acknowledges a service problem (sticky is type 2) and a host problem (normal is type 1)', () => {
    expect(formatExternalCommand(ack())).toBe(`[${T}] ACKNOWLEDGE_SVC_PROBLEM;ce1.example.org;org.osg.general.ping-host;2;0;0;ops;known, ticket 42\n`);
    expect(formatExternalCommand(ack({ service: undefined, sticky: false, notify: true, persistent: true }))).toBe(`[${T}] ACKNOWLEDGE_HOST_PROBLEM;ce1.example.org;1;1;1;ops;known, ticket 42\n`);
  });

  it.each([
    ['host', { host: 'a;b' }],
    ['host', { host: 'a\n[1] SHUTDOWN_PROGRAM' }],
    ['service', { service: 'x;2;forged' }],
    ['author', { author: 'me;1' }],
    ['comment', { comment: 'ok\n[1] DISABLE_NOTIFICATIONS' }],
    ['comment', { comment: 'a;b' }],
  ] as const)('refuses a %s that would end the command, as a final failure and before queueing', (field, over) => {
    const c = downtime(over);
    expect(() => formatExternalCommand(c)).toThrow(UnsendableResult);
    expect(() => formatExternalCommand(c)).toThrow(field);
    expect(() => checkCommand(c)).toThrow(CommandFieldError);
    expect(() => checkCommand(c)).toThrow(new RegExp(`^${field}: must not contain`));
  });

  it('names the field of a bad downtime or acknowledgement before it is queued', () => {
    expect(() => checkCommand(downtime({ end: T }))).toThrow('end: must be after start');
    expect(() => checkCommand(downtime({ fixed: false }))).toThrow(/^duration: is required for a flexible downtime/);
    expect(() => checkCommand(downtime({ duration: 60 }))).toThrow(/^duration: is only for a flexible downtime/);
    expect(() => checkCommand(downtime({ start: 1.5 }))).toThrow(/^start: must be a time in whole epoch seconds/);
    expect(() => checkCommand(downtime({ author: '' }))).toThrow('author: must not be empty');
    expect(() => checkCommand(ack({ sticky: 'yes' as unknown as boolean }))).toThrow('sticky: must be true or false');
    expect(() => checkCommand({ ...base, action: 'remove_downtime', downtimeId: '3', comment: 'x' })).toThrow(/^downtime_id: names one downtime/);
    expect(() => checkCommand({ ...base, action: 'reboot' } as unknown as BridgeCommand)).toThrow(/^command: must be one of schedule_downtime, remove_downtime, acknowledge/);
    expect(new CommandFieldError('end', 'x').httpStatus).toBe(400);
    expect(() => checkCommand(downtime())).not.toThrow();
    expect(() => checkCommand(ack())).not.toThrow();
  });
});

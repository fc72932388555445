/** The command-file line format: escaping, the host form, and names that would inject a second command. */
import { describe, expect, it } from 'vitest';
import { formatCommand, spoolRecord, UnsendableResult } from '../../nagios-bridge/transports/index.js';
import type { PassiveResult } from '../../nagios-bridge/types.js';

const svc = (over: Partial<PassiveResult> = {}): PassiveResult => ({
  kind: 'service', host: 'ce.example.org', service: 'org.osg.general.ping-host', state: 2, output: 'CRITICAL: down', checkTime: 1795311451, source: 'nrdp', ...over,
});

describe('command lines', () => {
  it('writes the service form with the original check time and exactly one newline', () => {
    expect(formatCommand(svc({ perfdata: 'rta=0.5ms;1;2' }))).toBe('[1795311451] PROCESS_SERVICE_CHECK_RESULT;ce.example.org;org.osg.general.ping-host;2;CRITICAL: down|rta=0.5ms;1;2\n');
  });

  it('writes the host form without a service field', () => {
    expect(formatCommand({ kind: 'host', host: 'h1', state: 1, output: 'DOWN', checkTime: 1795311451.9, source: 'cmd.cgi' })).toBe('[1795311451] PROCESS_HOST_CHECK_RESULT;h1;1;DOWN\n');
  });

  it('carries long output as the two characters \\n after the perfdata, and doubles backslashes', () => {
    const line = formatCommand(svc({ output: 'C:\\dir bad', perfdata: 'x=1', longOutput: 'line two\r\nline three\nline four' }));
    expect(line).toBe('[1795311451] PROCESS_SERVICE_CHECK_RESULT;ce.example.org;org.osg.general.ping-host;2;C:\\\\dir bad|x=1\\nline two\\nline three\\nline four\n');
    expect(line.indexOf('\n')).toBe(line.length - 1);
  });

  it('never lets a newline in the first output line end the command', () => {
    const line = formatCommand(svc({ output: 'one\n[1] PROCESS_HOST_CHECK_RESULT;x;0;owned' }));
    expect(line.split('\n')).toHaveLength(2);
    expect(line.endsWith('\n')).toBe(true);
  });

  it.each([
    ['host', { host: 'a;b' }],
    ['host', { host: 'a\n[1] SHUTDOWN_PROGRAM' }],
    ['host', { host: 'a\rb' }],
    ['host', { host: '' }],
    ['service', { service: 'x;2;forged' }],
    ['service', { service: 'x\n[1] DISABLE_NOTIFICATIONS' }],
    ['service', { service: undefined }],
  ] as const)('refuses a %s that would inject a command, as a final failure', (field, over) => {
    expect(() => formatCommand(svc(over))).toThrow(UnsendableResult);
    expect(() => formatCommand(svc(over))).toThrow(field);
    expect(() => spoolRecord(svc(over))).toThrow(UnsendableResult);
  });

  it('refuses NUL in the output and a state outside 0..3', () => {
    expect(() => formatCommand(svc({ output: 'a\0b' }))).toThrow(/NUL/);
    expect(() => formatCommand(svc({ state: 4 as 0 }))).toThrow(/state 4/);
  });

  it('writes a spool record with early_timeout=0 and the output escaped on one line', () => {
    const rec = spoolRecord(svc({ perfdata: 'days=0', longOutput: 'line two\nline three' }));
    expect(rec).toContain('\nearly_timeout=0\n');
    expect(rec).toContain('\nstart_time=1795311451.0\nfinish_time=1795311451.0\n');
    expect(rec).toContain('\nreturn_code=2\n');
    expect(rec).toContain('\noutput=CRITICAL: down|days=0\\nline two\\nline three\n');
    expect(rec.startsWith('host_name=ce.example.org\nservice_description=org.osg.general.ping-host\n')).toBe(true);
  });
});

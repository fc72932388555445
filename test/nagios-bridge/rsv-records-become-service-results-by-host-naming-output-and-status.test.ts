/** A stored RSV record as a passive service result: each host naming, each output choice, every status word, time, perfdata, names refused. */
import { describe, expect, it } from 'vitest';
import { defaultRsvSettings, rsvRecordResult, type PassiveResult, type RsvRecord, type RsvSettings } from '../../nagios-bridge/index.js';

const TIME = new Date('2010-07-25T05:18:14Z');
const record = (over: Partial<RsvRecord> = {}): RsvRecord => ({
  sampleId: 7,
  metricName: 'org.osg.general.ping-host',
  status: 'OK',
  serviceURI: 'osg-edu.cs.wisc.edu:2119/jobmanager-fork',
  serviceHost: 'osg-edu.cs.wisc.edu',
  hostName: 'ce-local.example.edu',
  gatheredAt: 'rsv.example.edu',
  time: TIME,
  summaryData: 'OK: host alive',
  detailsData: 'Host osg-edu is alive and responding to pings!\nrtt 0.3 ms\nno loss',
  fields: {},
  ...over,
});
const settings = (over: Partial<RsvSettings> = {}): RsvSettings => ({ ...defaultRsvSettings(), forward: true, ...over });
const map = (r: RsvRecord, s: RsvSettings = settings(), max = 8192) => rsvRecordResult(r, s, max);
const ok = (r: RsvRecord, s?: RsvSettings, max?: number): PassiveResult => {
  const m = map(r, s, max);
  if ('problem' in m) throw new Error(m.problem);
  return m;
};

describe('RSV record to passive result', () => {
  it('is a service result named by the metric, at the record time, from source rsv', () => {
    expect(ok(record())).toEqual({
      kind: 'service', host: 'osg-edu.cs.wisc.edu', service: 'org.osg.general.ping-host', state: 0,
      output: 'Host osg-edu is alive and responding to pings!', longOutput: 'rtt 0.3 ms\nno loss',
      checkTime: Math.floor(TIME.getTime() / 1000), source: 'rsv', submittedBy: 'rsv.example.edu',
    });
  });

  it('names the host by serviceURI, by hostName or by the fixed RSV_HOST, each falling back as a record allows', () => {
    expect(ok(record(), settings({ hostFrom: 'service_uri' })).host).toBe('osg-edu.cs.wisc.edu');
    expect(ok(record(), settings({ hostFrom: 'host_name' })).host).toBe('ce-local.example.edu');
    expect(ok(record(), settings({ hostFrom: 'fixed', fixedHost: 'rsv-central' })).host).toBe('rsv-central');
    // A local probe has no serviceURI, a remote one no hostName: the other field names it.
    const local = record({ serviceURI: undefined, serviceHost: undefined });
    expect(ok(local, settings({ hostFrom: 'service_uri' })).host).toBe('ce-local.example.edu');
    const remote = record({ hostName: undefined });
    expect(ok(remote, settings({ hostFrom: 'host_name' })).host).toBe('osg-edu.cs.wisc.edu');
  });

  it('takes the output from detailsData (first line, the rest long output) or from summaryData with the details as long output', () => {
    expect(ok(record(), settings({ output: 'details' }))).toMatchObject({ output: 'Host osg-edu is alive and responding to pings!', longOutput: 'rtt 0.3 ms\nno loss' });
    expect(ok(record(), settings({ output: 'summary' }))).toMatchObject({ output: 'OK: host alive', longOutput: 'Host osg-edu is alive and responding to pings!\nrtt 0.3 ms\nno loss' });
    expect(ok(record({ detailsData: 'one line' }), settings({ output: 'details' })).longOutput).toBeUndefined();
    // A blank choice falls back to the other field, then to the status word: Nagios refuses a blank output.
    expect(ok(record({ detailsData: '  ' }), settings({ output: 'details' })).output).toBe('OK: host alive');
    expect(ok(record({ summaryData: '' }), settings({ output: 'summary' })).output).toBe('Host osg-edu is alive and responding to pings!');
    expect(ok(record({ summaryData: '', detailsData: '' }))).toMatchObject({ output: 'OK' });
  });

  it('maps the status words as RSV does, case-sensitively, and refuses any other word', () => {
    const states = ['OK', 'WARNING', 'CRITICAL', 'UNKNOWN'].map((status) => ok(record({ status })).state);
    expect(states).toEqual([0, 1, 2, 3]);
    expect(map(record({ status: 'ok' }))).toEqual({ problem: 'metricStatus "ok" is not OK, WARNING, CRITICAL or UNKNOWN' });
  });

  it('keeps performanceData as the perfdata, and has none without it', () => {
    expect(ok(record({ fields: { performanceData: 'rtt=0.3ms;1;2 loss=0%' } })).perfdata).toBe('rtt=0.3ms;1;2 loss=0%');
    expect(ok(record()).perfdata).toBeUndefined();
  });

  it('cuts output longer than the limit at a character boundary instead of refusing the record', () => {
    const r = ok(record({ detailsData: `${'é'.repeat(400)}\n${'x'.repeat(2000)}` }), settings(), 512);
    expect(Buffer.byteLength(r.output) + Buffer.byteLength(r.longOutput ?? '')).toBeLessThanOrEqual(512);
    expect(r.output).toBe('é'.repeat(256));
  });

  it('refuses hosts and metrics Nagios cannot take, naming the field, so no record can inject a second command', () => {
    expect(map(record({ metricName: 'org.osg[x]' }))).toEqual({ problem: 'metricName must not contain "["' });
    expect(map(record({ serviceHost: 'ce1;PROCESS_HOST_CHECK_RESULT' }))).toEqual({ problem: 'serviceURI must not contain ";"' });
    expect(map(record({ hostName: 'ce1\nx' }), settings({ hostFrom: 'host_name' }))).toEqual({ problem: 'hostName must not contain a newline' });
    const nameless = map(record({ serviceHost: undefined, serviceURI: undefined, hostName: undefined }));
    expect('problem' in nameless ? nameless.problem : '').toMatch(/^hostName is missing/);
  });

  it('turns stray control characters of the text into spaces', () => {
    expect(ok(record({ detailsData: 'bell\u0007 here' })).output).toBe('bell  here');
  });
});

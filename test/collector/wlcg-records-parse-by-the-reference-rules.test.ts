/** The WLCG record rules of the reference: fields, detailsData last and multi-line, EOT, hosts, timestamps, status words, brief, JSON. */
import { describe, expect, it } from 'vitest';
import { readRecords, type ReadRecordsOptions } from '../../collector/record-body.js';
import { caughtAppError } from '../support/app-error.js';
import { wlcgRecord } from './support/collector-app.js';

/** `expect.stringContaining`, typed for use inside expected objects. */
const containing = (text: string): unknown => expect.stringContaining(text) as unknown;
const NOW = new Date('2026-03-01T10:00:00Z');
const opts = (o: Partial<ReadRecordsOptions> = {}): ReadRecordsOptions => ({
  format: 'wlcg', query: {}, now: NOW, maxRecords: 1000, detailsTrimLength: 10_000, defaultGatheredAt: 'appliance.example', ...o,
});
const read = (text: string, o: Partial<ReadRecordsOptions> = {}) => readRecords(Buffer.from(text), opts(o)).map((k) => k.record);
const problems = (text: string, o: Partial<ReadRecordsOptions> = {}) => {
  const err = caughtAppError(() => readRecords(Buffer.from(text), opts(o)));
  return { err, problems: err.context.problems as { record: number; line: number; message: string }[] };
};

describe('WLCG text records', () => {
  it('reads the reference example: host from serviceURI without the port, status, summary and details', () => {
    const [r] = read(wlcgRecord());
    expect(r).toMatchObject({
      metricName: 'org.osg.general.ping-host', status: 'OK', host: 'osg-edu.cs.wisc.edu', serviceURI: 'osg-edu.cs.wisc.edu:2119',
      gatheredAt: 'rsv.example.edu', summaryData: 'OK', detailsData: 'Host osg-edu is alive and responding to pings!', timestampForm: 'iso',
    });
    expect(r!.time.toISOString()).toBe('2010-07-25T05:18:14.000Z');
    expect(r!.raw.split('\n').at(-1)).toBe('EOT');
  });

  it('runs detailsData over several lines up to the EOT line, keeping continuation lines as written', () => {
    const text = wlcgRecord({}, 'first line\n  indented second\nmetricName: not a field here\n') + wlcgRecord({ metricStatus: 'CRITICAL' });
    const [a, b] = read(text);
    expect(a!.detailsData).toBe('first line\n  indented second\nmetricName: not a field here\n');
    expect(a!.metricName).toBe('org.osg.general.ping-host');
    expect(b!.status).toBe('CRITICAL');
  });

  it('accepts hostName instead of serviceURI + gatheredAt, and tolerates optional fields', () => {
    const text = 'metricName: org.osg.local.hostcert-expiry\nmetricType: status\ntimestamp: 1280035094\nmetricStatus: WARNING\nserviceType: OSG-CE\n' +
      'hostName: ce.example.edu\nsiteName: EXAMPLE\nvoName: cms\nsummaryData: WARNING: expires soon\ndetailsData: 5 days left\nEOT\n';
    const [r] = read(text);
    expect(r).toMatchObject({ host: 'ce.example.edu', status: 'WARNING', timestampForm: 'epoch', fields: { siteName: 'EXAMPLE', voName: 'cms' } });
    expect(r!.time.toISOString()).toBe('2010-07-25T05:18:14.000Z');
  });

  it('reads all three timestamp forms; the local form counts as now', () => {
    expect(read(wlcgRecord({ timestamp: '2010-07-25 00:18:14 CDT' }))[0]).toMatchObject({ timestampForm: 'local', time: NOW });
    expect(read(wlcgRecord({ timestamp: '1280035094' }))[0]!.time.toISOString()).toBe('2010-07-25T05:18:14.000Z');
    expect(read(wlcgRecord({ timestamp: '2010-07-25T05:18:14+02:00' }))[0]!.time.toISOString()).toBe('2010-07-25T03:18:14.000Z');
    expect(problems(wlcgRecord({ timestamp: 'yesterday' })).problems[0]).toMatchObject({ record: 1, line: 3, message: containing('timestamp "yesterday"') });
  });

  it('names the record and line of a bad status word (case-sensitive, as RSV looks it up)', () => {
    const { err, problems: p } = problems(wlcgRecord() + wlcgRecord({ metricStatus: 'ok' }));
    expect(err.httpStatus).toBe(400);
    expect(p).toEqual([{ record: 2, line: 14, message: containing('metricStatus "ok" is not a status word') }]);
    expect(err.message).toMatch(/^1 of 2 records is invalid, so none were stored; record 2, line 14:/);
  });

  it('refuses a missing required field, a serviceURI without gatheredAt, and a record that names no host', () => {
    const noSummary = wlcgRecord().replace('summaryData: OK\n', '');
    expect(problems(noSummary).problems[0]).toMatchObject({ record: 1, line: 1, message: 'missing required field summaryData' });
    expect(problems(wlcgRecord().replace('gatheredAt: rsv.example.edu\n', '')).problems[0]).toMatchObject({ line: 6, message: containing('serviceURI needs gatheredAt') });
    const noHost = wlcgRecord().replace('gatheredAt: rsv.example.edu\n', '').replace('serviceURI: osg-edu.cs.wisc.edu:2119\n', '');
    expect(problems(noHost).problems[0]!.message).toContain('names no host');
  });

  it('refuses a line that is not "key: value" before detailsData, and reads on to report later records', () => {
    const text = wlcgRecord({ metricStatus: 'BAD' }) + 'metricName: x\nthis is junk\ndetailsData: d\nEOT\n' + wlcgRecord();
    const { err, problems: p } = problems(text);
    expect(p.map((x) => [x.record, x.line])).toEqual([[1, 4], [2, 12]]);
    expect(err.context).toMatchObject({ records: 3, invalid: 2, accepted: 0 });
  });

  it('refuses a record without its EOT line, naming where the record starts', () => {
    const text = wlcgRecord() + wlcgRecord().replace(/EOT\n$/, '');
    expect(problems(text).problems).toEqual([{ record: 2, line: 11, message: containing('has no EOT line') }]);
  });

  it('refuses binary data, naming the line it starts on', () => {
    const body = Buffer.concat([Buffer.from(wlcgRecord() + 'metricName: x\n'), Buffer.from([0xff, 0xfe, 0x00, 0x81])]);
    const err = caughtAppError(() => readRecords(body, opts()));
    expect(err.httpStatus).toBe(400);
    expect(err.context.problems).toEqual([{ record: 2, line: 12, message: containing('binary data at byte') }]);
  });

  it('stops at the records limit with a 413 that names the limit', () => {
    const err = caughtAppError(() => readRecords(Buffer.from(wlcgRecord().repeat(4)), opts({ maxRecords: 3 })));
    expect(err.httpStatus).toBe(413);
    expect(err.message).toContain('more than 3 records');
    expect(err.context).toMatchObject({ limit: 3, setting: 'max_records_per_request' });
  });
});

describe('other record forms', () => {
  it('JSON arrays hold the same fields; the same record as text and JSON has one dedupe key', () => {
    const fields = { metricName: 'org.osg.general.ping-host', metricType: 'status', timestamp: '2010-07-25T05:18:14Z', metricStatus: 'OK', serviceType: 'OSG-CE',
      serviceURI: 'osg-edu.cs.wisc.edu:2119', gatheredAt: 'rsv.example.edu', summaryData: 'OK', detailsData: 'Host osg-edu is alive and responding to pings!' };
    const json = readRecords(Buffer.from(JSON.stringify([fields])), opts({ format: 'json' }));
    const text = readRecords(Buffer.from(wlcgRecord()), opts());
    expect(json[0]!.key).toBe(text[0]!.key);
    const bad = problems(JSON.stringify([fields, { ...fields, metricStatus: 'FINE' }]), { format: 'json' });
    expect(bad.problems[0]).toMatchObject({ record: 2, message: containing('metricStatus "FINE"') });
  });

  it('brief output takes the metric and host from the query, the status from its second line, details trimmed', () => {
    const [r] = read('RSV BRIEF RESULTS:\nCRITICAL\nconnection refused\nafter 3 tries\n', {
      format: 'brief', query: { metric: 'org.osg.globus.gridftp-simple', host: 'se.example.edu:2811' }, detailsTrimLength: 20,
    });
    expect(r).toMatchObject({ metricName: 'org.osg.globus.gridftp-simple', host: 'se.example.edu', status: 'CRITICAL', summaryData: 'CRITICAL', gatheredAt: 'appliance.example', detailsData: 'connection refused\na' });
    expect(r!.time).toEqual(NOW);
    expect(problems('RSV BRIEF RESULTS:\nFINE\n', { format: 'brief', query: { metric: 'm', host: 'h' } }).problems[0]).toMatchObject({ record: 1, line: 2 });
    expect(caughtAppError(() => read('RSV BRIEF RESULTS:\nOK\n', { format: 'brief', query: { host: 'h' } })).message).toContain('metric in the query string');
  });
});

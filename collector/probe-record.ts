/** Validating a WLCG record's fields (required ones, host, timestamp forms, status words) into a ProbeRecord. */
import { hash } from 'node:crypto';
import { timeRangeProblem } from './sample-validation.js';
import { unstorableChar } from './text-check.js';
import { REQUIRED_FIELDS, STATUS_WORDS, statusCode, type ProbeRecord, type StatusWord, type TimestampForm } from './types.js';

/** Metric types the WLCG probe specification allows. */
export const METRIC_TYPES = ['status', 'performance'] as const;

const ISO = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/;
const EPOCH = /^\d{1,12}(\.\d+)?$/;
// RSV's `timestamp = local` consumer option: `2010-07-25 00:18:14 CDT` (a zone name, not an offset).
const LOCAL = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}( [A-Za-z][A-Za-z0-9+-]*)?$/;

/** Fields stored in columns of limited width. */
const FIELD_LIMITS: readonly (readonly [string, number])[] = [
  ['metricName', 255], ['hostName', 255], ['serviceURI', 255], ['gatheredAt', 255], ['serviceType', 64], ['timestamp', 64],
];

/**
 * Reads a record timestamp in any of its three forms; `local` (no usable zone) counts as `now`. A time outside
 * the samples' range (`timeRangeProblem`) is refused here, so the store never sees a date it would reject or
 * read back changed (year 33658 from a 12-digit epoch, year 0000).
 */
export function parseRecordTimestamp(text: string, now: Date): { time: Date; form: TimestampForm } | string {
  if (EPOCH.test(text)) return inRange(text, { time: new Date(Math.floor(Number(text) * 1000)), form: 'epoch' });
  const iso = ISO.exec(text);
  if (iso) {
    const zoned = /(Z|[+-]\d{2}:?\d{2})$/.test(text) ? text : `${text}Z`;
    const ms = Date.parse(zoned.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
    if (Number.isNaN(ms) || !readsBack(iso, ms)) return `timestamp "${text}" is not a real date`;
    return inRange(text, { time: new Date(ms), form: 'iso' });
  }
  if (LOCAL.test(text)) return { time: now, form: 'local' };
  return `timestamp "${text}" is neither ISO-8601 UTC (2010-07-25T05:18:14Z), epoch seconds (1280035094) nor RSV's local form (2010-07-25 00:18:14 CDT)`;
}

/** Whether the fields of an ISO match are what `ms` shows in the match's zone: Date rolls 02-30 into March, 24:00 into the next day. */
function readsBack(iso: RegExpExecArray, ms: number): boolean {
  const zone = iso[8] ?? 'Z';
  const offset = zone === 'Z' ? 0 : (zone.startsWith('-') ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(-2)));
  const wall = new Date(ms + offset * 60_000);
  const shown = [wall.getUTCFullYear(), wall.getUTCMonth() + 1, wall.getUTCDate(), wall.getUTCHours(), wall.getUTCMinutes(), wall.getUTCSeconds()];
  return shown.every((v, i) => v === Number(iso[i + 1]));
}

function inRange(text: string, parsed: { time: Date; form: TimestampForm }): { time: Date; form: TimestampForm } | string {
  const problem = timeRangeProblem(parsed.time);
  return problem ? `timestamp "${text}" ${problem}` : parsed;
}

/** The host of a serviceURI `host[:port][/service]` (a `scheme://` prefix is tolerated). */
export function serviceUriHost(uri: string): string {
  const noScheme = uri.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
  const hostPort = noScheme.split('/')[0] ?? '';
  if (hostPort.startsWith('[')) return hostPort.slice(0, hostPort.indexOf(']') + 1);
  return hostPort.split(':')[0] ?? '';
}

/** A field problem: the message and the field whose line to name (undefined: the record's first line). */
export interface FieldProblem {
  message: string;
  field?: string;
}

/**
 * Builds a ProbeRecord from fields, or says what is wrong. `fields` holds values as written (stripped);
 * the caller turns a problem's `field` into a line number.
 */
export function toProbeRecord(fields: ReadonlyMap<string, string>, raw: string, now: Date): ProbeRecord | FieldProblem {
  const missing = REQUIRED_FIELDS.filter((f) => !fields.has(f));
  if (missing.length) return { message: `missing required field${missing.length > 1 ? 's' : ''} ${missing.join(', ')}` };
  const get = (k: string) => fields.get(k) ?? '';
  // Only JSON can get here with these (its \u0000 and \ud800 escapes); raw bytes were refused with the body.
  for (const [f, v] of fields) {
    const bad = unstorableChar(v);
    if (bad) return { message: `${f} holds ${bad}, which is not text`, field: f };
  }
  for (const f of ['metricName', 'metricType', 'timestamp', 'metricStatus', 'serviceType'] as const) {
    if (get(f) === '') return { message: `${f} is empty`, field: f };
  }
  if (/\s|;/.test(get('metricName'))) return { message: `metricName "${get('metricName')}" has a space or ";"; Nagios cannot name a service so`, field: 'metricName' };
  if (!(METRIC_TYPES as readonly string[]).includes(get('metricType'))) {
    return { message: `metricType "${get('metricType')}" is not one of ${METRIC_TYPES.join(', ')}`, field: 'metricType' };
  }
  const status = get('metricStatus');
  if (statusCode(status) === undefined) {
    return { message: `metricStatus "${status}" is not a status word; use ${STATUS_WORDS.join(', ')} (case matters)`, field: 'metricStatus' };
  }
  const ts = parseRecordTimestamp(get('timestamp'), now);
  if (typeof ts === 'string') return { message: ts, field: 'timestamp' };

  const hostName = fields.get('hostName');
  const serviceURI = fields.get('serviceURI');
  const gatheredAt = fields.get('gatheredAt');
  let host: string;
  if (hostName) host = hostName;
  else if (serviceURI && gatheredAt) host = serviceUriHost(serviceURI);
  else if (serviceURI) return { message: 'serviceURI needs gatheredAt (the RSV host), or give hostName instead', field: 'serviceURI' };
  else return { message: 'the record names no host: give serviceURI and gatheredAt (remote probes) or hostName (local probes)' };
  if (!host) return { message: `serviceURI "${serviceURI ?? ''}" has no host`, field: 'serviceURI' };
  for (const [f, max] of FIELD_LIMITS) {
    if ((fields.get(f)?.length ?? 0) > max) return { message: `${f} is longer than ${max} characters`, field: f };
  }

  return {
    metricName: get('metricName'),
    metricType: get('metricType'),
    timestampText: get('timestamp'),
    timestampForm: ts.form,
    time: ts.time,
    status: status as StatusWord,
    serviceType: get('serviceType'),
    summaryData: get('summaryData'),
    detailsData: get('detailsData'),
    ...(serviceURI !== undefined ? { serviceURI } : {}),
    ...(gatheredAt !== undefined ? { gatheredAt } : {}),
    ...(hostName !== undefined ? { hostName } : {}),
    host,
    fields: Object.fromEntries(fields),
    raw,
  };
}

/**
 * The key that makes a re-sent record a no-op: a hash of every field as written, in name order, so the same
 * record sent as text or as JSON is the same record.
 */
export function recordKey(record: ProbeRecord): string {
  // One hash call per record over the joined fields (the same bytes as hashing them field by field).
  let text = '';
  for (const k of Object.keys(record.fields).sort()) text += `${k}\u0000${record.fields[k]}\u0000`;
  return hash('sha256', text, 'hex');
}

/** One stored RSV record as a passive service result: host by the configured naming, output, status word, check time, perfdata. */
import { ResultFieldError, toPassiveResult, type FieldNames } from './entries/check-result-fields.js';
import type { RsvSettings } from './rsv-settings.js';
import type { PassiveResult } from './types.js';

/** What the bridge reads of a stored record (the collector's record feed gives more). */
export interface RsvRecord {
  /** Commit-ordered position of the record: what the bridge's cursor keeps. */
  sampleId: number;
  metricName: string;
  /** `OK`, `WARNING`, `CRITICAL` or `UNKNOWN`, case as RSV wrote it. */
  status: string;
  serviceURI?: string;
  /** The host part of `serviceURI` (no `:port`, no `/path`). */
  serviceHost?: string;
  hostName?: string;
  gatheredAt?: string;
  time: Date;
  summaryData: string;
  detailsData: string;
  /** Every field as sent; `performanceData` is the one read here. */
  fields: Readonly<Record<string, string>>;
}

/** RSV's consumer looks the word up case-sensitively (`status_map[metricStatus]`): anything else is not a status. */
const RSV_STATES: Readonly<Record<string, 0 | 1 | 2 | 3>> = { OK: 0, WARNING: 1, CRITICAL: 2, UNKNOWN: 3 };

// Control characters other than tab and line breaks: no plugin output holds them, and Nagios would show them raw.
// eslint-disable-next-line no-control-regex
const STRAY_CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

/** The record's host under `s` and the record field it came from (for the messages), or why there is none. */
function hostOf(r: RsvRecord, s: RsvSettings): { host: string | undefined; field: string } {
  if (s.hostFrom === 'fixed') return { host: s.fixedHost, field: 'rsv_host' };
  const byUri = { host: r.serviceHost, field: 'serviceURI' };
  const byName = { host: r.hostName, field: 'hostName' };
  // A record has serviceURI (remote probe) or hostName (local probe), or both: the other one names it when the asked one is missing.
  const [first, second] = s.hostFrom === 'service_uri' ? [byUri, byName] : [byName, byUri];
  return first.host ? first : second;
}

/** `text` cut to at most `bytes` UTF-8 bytes, never inside a character. */
function cutUtf8(text: string, bytes: number): string {
  const buf = Buffer.from(text, 'utf8');
  if (buf.length <= bytes) return text;
  let end = Math.max(0, bytes);
  // Back off continuation bytes (10xxxxxx) so the cut falls before a character's first byte.
  while (end > 0 && (buf[end]! & 0xc0) === 0x80) end--;
  return buf.subarray(0, end).toString('utf8');
}

/**
 * The plugin text of a record: with `details`, detailsData (its first line the output, the rest long output); with
 * `summary`, summaryData then detailsData as long output. A blank choice falls back to the other field, then to the
 * status word, since Nagios refuses a blank output.
 */
function pluginTextOf(r: RsvRecord, s: RsvSettings): string {
  const details = r.detailsData.replace(/\r\n?/g, '\n').trim();
  const summary = r.summaryData.replace(/\r\n?/g, ' ').trim();
  const text = s.output === 'summary' ? (summary ? [summary, details].filter(Boolean).join('\n') : details) : details || summary;
  return text || r.status;
}

/**
 * The passive service result of a stored RSV record, or why it cannot be one (a host or metric name Nagios cannot
 * take: `;`, `[`, `]`, a newline, ...). Output longer than `maxOutputBytes` (with the perfdata) is cut there rather
 * than refused: the record is stored and the probe will not send it again.
 */
export function rsvRecordResult(r: RsvRecord, s: RsvSettings, maxOutputBytes: number): PassiveResult | { problem: string } {
  const state = RSV_STATES[r.status];
  if (state === undefined) return { problem: `metricStatus "${r.status}" is not OK, WARNING, CRITICAL or UNKNOWN` };
  const { host, field } = hostOf(r, s);
  let perfdata = (r.fields.performanceData ?? '').replace(/[\r\n]+/g, ' ').replace(STRAY_CONTROL, ' ').trim();
  if (Buffer.byteLength(perfdata) > maxOutputBytes / 2) perfdata = '';
  const text = cutUtf8(pluginTextOf(r, s).replace(STRAY_CONTROL, ' '), maxOutputBytes - Buffer.byteLength(perfdata));
  const names: FieldNames = { host: field, service: 'metricName', state: 'metricStatus', output: s.output === 'summary' ? 'summaryData' : 'detailsData', perfdata: 'performanceData' };
  try {
    return toPassiveResult(
      { kind: 'service', host, service: r.metricName, state, output: text, perfdata, checkTime: Math.floor(r.time.getTime() / 1000), source: 'rsv', submittedBy: r.gatheredAt },
      names,
      maxOutputBytes,
    );
  } catch (err) {
    if (err instanceof ResultFieldError) return { problem: err.message };
    throw err;
  }
}

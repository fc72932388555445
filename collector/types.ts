/** The collector's public types: samples, WLCG probe records and their status words. */

/** A sample as a producer hands it in (WP4: `{node, metric, timestamp, value}` plus where it came from). */
export interface SampleInput {
  /** The monitored node: a host name (RSV: the service host; line protocol: the `host` tag). */
  node: string;
  /** The metric's name, e.g. `org.osg.general.ping-host` or `cpu.usage_idle`. */
  metric: string;
  /** When the value was measured. Stored to the second (DATETIME). */
  time: Date;
  value: number;
  /** Which ingest path produced it: `rsv`, `api`, `line-protocol`, `sensor`, ... */
  source: string;
  /** One line (RSV `summaryData`, a plugin's first line). */
  summary?: string;
  /** Long text (RSV `detailsData`). */
  details?: string;
  /** Extra labels (line protocol tags other than `host`). */
  tags?: Record<string, string>;
}

/** A committed sample. `id` is assigned at commit and grows in commit order, so `readAfter(id)` never skips one. */
export interface StoredSample extends SampleInput {
  id: number;
}

/** Nagios/RSV status words, in code order: OK=0, WARNING=1, CRITICAL=2, UNKNOWN=3. Looked up case-sensitively, as RSV does. */
export const STATUS_WORDS = ['OK', 'WARNING', 'CRITICAL', 'UNKNOWN'] as const;
export type StatusWord = (typeof STATUS_WORDS)[number];

/** The status code of a word, or undefined for anything that is not exactly one of `STATUS_WORDS`. */
export function statusCode(word: string): number | undefined {
  const i = (STATUS_WORDS as readonly string[]).indexOf(word);
  return i < 0 ? undefined : i;
}

/** The WLCG fields a record must have (besides `serviceURI`+`gatheredAt` or `hostName`). */
export const REQUIRED_FIELDS = ['metricName', 'metricType', 'timestamp', 'metricStatus', 'serviceType', 'summaryData', 'detailsData'] as const;

/** How a record's timestamp was written: ISO-8601 UTC, epoch seconds, or RSV's `local` form (taken as "now"). */
export const TIMESTAMP_FORMS = ['iso', 'epoch', 'local'] as const;
export type TimestampForm = (typeof TIMESTAMP_FORMS)[number];

/** One valid WLCG metric record. */
export interface ProbeRecord {
  metricName: string;
  metricType: string;
  /** The timestamp as written. */
  timestampText: string;
  timestampForm: TimestampForm;
  /** The measurement time (for the `local` form: the time it was received). */
  time: Date;
  status: StatusWord;
  serviceType: string;
  summaryData: string;
  detailsData: string;
  serviceURI?: string;
  gatheredAt?: string;
  hostName?: string;
  /** The node the record is about: `hostName`, else the host of `serviceURI` (without `:port` and `/path`). */
  host: string;
  /** Every field as sent, optional ones included (`siteName`, `voName`, ...). */
  fields: Record<string, string>;
  /** The record as it arrived (text records: its lines; JSON: the object). */
  raw: string;
}

/** A stored record as a reader of `probe_records` gets it back (the collector's record feed). */
export interface StoredProbeRecord {
  /** The id of the record's sample: commit-ordered, the position a cursor over the records keeps. */
  sampleId: number;
  metricName: string;
  metricType: string;
  status: StatusWord;
  serviceType: string;
  serviceURI?: string;
  /** The host part of `serviceURI` (no `:port`, no `/path`). */
  serviceHost?: string;
  gatheredAt?: string;
  hostName?: string;
  /** The node the record is about: `hostName`, else the host of `serviceURI`. */
  host: string;
  timestampText: string;
  /** The measurement time, to the second. */
  time: Date;
  summaryData: string;
  detailsData: string;
  /** Every field as sent (`performanceData`, `siteName`, ...). */
  fields: Record<string, string>;
  receivedAt: Date;
}

/** Where a bad record is: 1-based record number and the line of the body (0 for JSON bodies). */
export interface RecordProblem {
  record: number;
  line: number;
  message: string;
}

/** Where producers put samples: the monitoring repository's batch insert (line protocol, the sensor agent). */
export interface SampleSink {
  insertSamples(samples: readonly SampleInput[]): Promise<unknown>;
}

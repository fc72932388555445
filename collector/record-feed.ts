/** Stored probe records in commit order (by sample id), for a stage that tails them on a leased cursor (the Nagios bridge). */
import { parseSqlDateTime } from '../common/index.js';
import type { Queryable, Row } from '../store/index.js';
import { serviceUriHost } from './probe-record.js';
import { STATUS_WORDS, type StatusWord, type StoredProbeRecord } from './types.js';

/** What a reader of `probe_records` needs: records after a sample id, and where "now" is. */
export interface ProbeRecordFeed {
  /**
   * Records whose sample id is above `afterSampleId`, ascending, at most `limit`. Sample ids are handed out in commit
   * order (sample-writer.ts), so a reader that has seen id N has seen every record below N.
   */
  readAfter(afterSampleId: number, limit: number): Promise<StoredProbeRecord[]>;
  /** The highest sample id of a stored record (0 when there is none): a cursor placed here starts at "now". */
  lastSampleId(): Promise<number>;
}

const SELECT = `SELECT sample_id, metric_name, metric_type, metric_status, service_type, service_uri, gathered_at, host_name, host,
  timestamp_text, time, summary, details, fields, received_at FROM probe_records`;
const MAX_LIMIT = 10_000;

const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const dateOf = (v: unknown): Date => (v instanceof Date ? v : new Date(parseSqlDateTime(String(v))));

function toRecord(r: Row): StoredProbeRecord {
  const status = String(r.metric_status);
  const serviceURI = text(r.service_uri);
  const gatheredAt = text(r.gathered_at);
  const hostName = text(r.host_name);
  return {
    sampleId: Number(r.sample_id),
    metricName: String(r.metric_name),
    metricType: String(r.metric_type),
    // Stored only after validation, so always one of the words; anything else reads as UNKNOWN rather than failing the feed.
    status: (STATUS_WORDS as readonly string[]).includes(status) ? (status as StatusWord) : 'UNKNOWN',
    serviceType: String(r.service_type),
    ...(serviceURI !== undefined ? { serviceURI, serviceHost: serviceUriHost(serviceURI) } : {}),
    ...(gatheredAt !== undefined ? { gatheredAt } : {}),
    ...(hostName !== undefined ? { hostName } : {}),
    host: String(r.host),
    timestampText: String(r.timestamp_text),
    time: dateOf(r.time),
    summaryData: text(r.summary) ?? '',
    detailsData: text(r.details) ?? '',
    fields: typeof r.fields === 'string' && r.fields ? (JSON.parse(r.fields) as Record<string, string>) : {},
    receivedAt: dateOf(r.received_at),
  };
}

/** The feed over the store's `probe_records` (migrated with `collectorMigrations`; v3 indexes `sample_id`). */
export function probeRecordFeed(store: Pick<Queryable, 'query'>): ProbeRecordFeed {
  return {
    async readAfter(afterSampleId, limit) {
      const n = Math.max(1, Math.min(Math.floor(limit), MAX_LIMIT));
      const rows = await store.query(`${SELECT} WHERE sample_id > ? ORDER BY sample_id LIMIT ${n}`, [afterSampleId]);
      return rows.map(toRecord);
    },
    async lastSampleId() {
      const [row] = await store.query<{ last: number | string | null }>('SELECT MAX(sample_id) AS last FROM probe_records');
      return Number(row?.last ?? 0);
    },
  };
}

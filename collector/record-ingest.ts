/** Storing probe records: one write job that skips records already stored and turns the new ones into samples. */
import type { SqlValue } from '../store/index.js';
import { statusCode, type ProbeRecord, type StoredSample } from './types.js';
import type { KeyedRecord } from './record-body.js';
import type { SampleWriter, WriteJob } from './sample-writer.js';

/** What one `POST /rsv/records` did. */
export interface IngestOutcome {
  /** Records stored now (each one sample). */
  accepted: number;
  /** Records that were already stored, or repeated within the request: not stored again. */
  duplicates: number;
  samples: StoredSample[];
}

/** The `probe_records` columns, in the order of `recordRow`. */
export const RECORD_COLUMNS = [
  'record_key', 'metric_name', 'host', 'metric_type', 'metric_status', 'status_code', 'service_type', 'service_uri', 'gathered_at', 'host_name',
  'timestamp_text', 'time', 'summary', 'details', 'fields', 'raw', 'received_at', 'sample_id',
] as const;
/** Keys per `IN (...)` lookup: far below both backends' bound-parameter limits. */
const LOOKUP_CHUNK = 500;

/** Stores `records` in one transaction (shared with other writers' jobs); a re-sent record is a no-op. */
export async function ingestRecords(writer: SampleWriter, records: readonly KeyedRecord[], receivedAt: Date): Promise<IngestOutcome> {
  const job: WriteJob<{ accepted: number; duplicates: number }> = async (ctx) => {
    const tx = ctx.tx;
    const unique = new Map<string, KeyedRecord>();
    for (const r of records) if (!unique.has(r.key)) unique.set(r.key, r);
    const keys = [...unique.keys()];
    const stored = new Set<string>();
    for (let i = 0; i < keys.length; i += LOOKUP_CHUNK) {
      const chunk = keys.slice(i, i + LOOKUP_CHUNK);
      const rows = await tx.query<{ record_key: string }>(`SELECT record_key FROM probe_records WHERE record_key IN (${chunk.map(() => '?').join(', ')})`, chunk);
      for (const row of rows) stored.add(row.record_key);
    }
    const fresh = [...unique.values()].filter((r) => !stored.has(r.key));
    const first = ctx.reserve(fresh.length);
    const samples = fresh.map(({ record }, i) => recordSample(record, first + i));
    if (fresh.length) await tx.insertMany('probe_records', RECORD_COLUMNS, fresh.map((r, i) => recordRow(r, receivedAt, first + i)));
    return { samples, result: { accepted: fresh.length, duplicates: records.length - fresh.length } };
  };
  const { samples, result } = await writer.submit(job, records.length);
  return { ...result, samples };
}

/** The sample a record becomes: the value is the status code, and only what a series is grouped by rides along as tags. */
export function recordSample(r: ProbeRecord, id: number): StoredSample {
  const tags: Record<string, string> = { serviceType: r.serviceType };
  if (r.fields.siteName) tags.site = r.fields.siteName;
  if (r.fields.voName) tags.vo = r.fields.voName;
  return { id, node: r.host, metric: r.metricName, time: new Date(Math.floor(r.time.getTime() / 1000) * 1000), value: statusCode(r.status)!, source: 'rsv', summary: r.summaryData, details: r.detailsData, tags };
}

/** The `probe_records` row of a record (columns `RECORD_COLUMNS`), raw text included. */
export function recordRow({ record: r, key }: KeyedRecord, receivedAt: Date, sampleId: number): SqlValue[] {
  return [
    key, r.metricName, r.host, r.metricType, r.status, statusCode(r.status)!, r.serviceType, r.serviceURI ?? null, r.gatheredAt ?? null,
    r.hostName ?? null, r.timestampText.slice(0, 64), r.time, r.summaryData, r.detailsData, JSON.stringify(r.fields), r.raw, receivedAt, sampleId,
  ];
}

/** Storing probe records: one write job that skips records already stored and turns the new ones into samples. */
import { Slice } from '../common/index.js';
import type { SqlValue } from '../store/index.js';
import { statusCode, type ProbeRecord, type StoredSample } from './types.js';
import type { KeyedRecord } from './record-body.js';
import type { SampleWriter, WriteContext, WriteJob } from './sample-writer.js';

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

/** Requests waiting for the same write job; closed when the job starts. */
interface Group {
  requests: { records: readonly KeyedRecord[]; receivedAt: Date }[];
  size: number;
}

/** Most records one group takes: a larger request starts a group of its own. */
const MAX_GROUP_RECORDS = 10_000;
/** The group still taking requests, per writer. */
const openGroups = new WeakMap<SampleWriter, Group>();

/**
 * Stores `records` in one transaction (shared with other writers' jobs); a re-sent record is a no-op. Requests
 * that arrive while the writer is busy join one job: one key lookup and one insert for all of them, instead of a
 * pair of statements per request (a round trip each on MariaDB). A job that fails sends each request round again
 * alone, so one request's failure is not the others'.
 */
export async function ingestRecords(writer: SampleWriter, records: readonly KeyedRecord[], receivedAt: Date): Promise<IngestOutcome> {
  let group = openGroups.get(writer);
  if (group && group.size + records.length > MAX_GROUP_RECORDS) group = undefined;
  const index = group ? group.requests.length : 0;
  if (group) {
    group.requests.push({ records, receivedAt });
    group.size += records.length;
    // The job was submitted by the group's first request; this one waits for the same outcome.
    const outcomes = await groupOutcome(writer, group);
    return outcomes ? outcomes[index]! : ingestAlone(writer, records, receivedAt);
  }
  const fresh: Group = { requests: [{ records, receivedAt }], size: records.length };
  openGroups.set(writer, fresh);
  const outcomes = await groupOutcome(writer, fresh);
  return outcomes ? outcomes[0]! : ingestAlone(writer, records, receivedAt);
}

/** The pending outcome of each group, shared by its requests: undefined when the group's job failed. */
const outcomesOf = new WeakMap<Group, Promise<IngestOutcome[] | undefined>>();

function groupOutcome(writer: SampleWriter, group: Group): Promise<IngestOutcome[] | undefined> {
  let pending = outcomesOf.get(group);
  if (!pending) {
    const job: WriteJob<IngestOutcome[]> = async (ctx) => {
      if (openGroups.get(writer) === group) openGroups.delete(writer);
      return storeRecords(ctx, group.requests);
    };
    pending = writer.submit(job, () => group.size).then(
      ({ result }) => result,
      (err: unknown) => {
        if (group.requests.length === 1) throw err;
        return undefined;
      },
    );
    outcomesOf.set(group, pending);
  }
  return pending;
}

/** One request in a job of its own (after its group's job failed): its own failure reaches it. */
async function ingestAlone(writer: SampleWriter, records: readonly KeyedRecord[], receivedAt: Date): Promise<IngestOutcome> {
  const { result } = await writer.submit((ctx) => storeRecords(ctx, [{ records, receivedAt }]), records.length);
  return result[0]!;
}

/** Inside the transaction: skips records already stored (or earlier in the group), inserts the rest, in request order. */
async function storeRecords(ctx: WriteContext, requests: Group['requests']): Promise<{ samples: StoredSample[]; result: IngestOutcome[] }> {
  const tx = ctx.tx;
  // Time-boxed slices between the steps below (SQLite answers inline): 10,000 records held the event loop 0.3 s.
  const slice = new Slice();
  const keys = [...new Set(requests.flatMap((r) => r.records.map((k) => k.key)))];
  const taken = new Set<string>();
  for (let i = 0; i < keys.length; i += LOOKUP_CHUNK) {
    await slice.yieldIfDue();
    const chunk = keys.slice(i, i + LOOKUP_CHUNK);
    const rows = await tx.query<{ record_key: string }>(`SELECT record_key FROM probe_records WHERE record_key IN (${chunk.map(() => '?').join(', ')})`, chunk);
    for (const row of rows) taken.add(row.record_key);
  }
  const freshOf = requests.map((req) => {
    const fresh: KeyedRecord[] = [];
    for (const r of req.records) {
      if (taken.has(r.key)) continue;
      taken.add(r.key);
      fresh.push(r);
    }
    return fresh;
  });
  let next = ctx.reserve(freshOf.reduce((n, f) => n + f.length, 0));
  const rows: SqlValue[][] = [];
  const samples: StoredSample[] = [];
  const result: IngestOutcome[] = [];
  for (let i = 0; i < requests.length; i++) {
    const req = requests[i]!;
    const own: StoredSample[] = [];
    for (const r of freshOf[i]!) {
      if ((next & 63) === 63) await slice.yieldIfDue();
      rows.push(recordRow(r, req.receivedAt, next));
      own.push(recordSample(r.record, next++));
    }
    for (const s of own) samples.push(s);
    result.push({ accepted: own.length, duplicates: req.records.length - own.length, samples: own });
  }
  if (rows.length) await tx.insertMany('probe_records', RECORD_COLUMNS, rows);
  return { samples, result };
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

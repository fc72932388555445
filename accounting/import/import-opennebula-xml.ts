/**
 * `importOpenNebulaXml`: one OpenNebula document (oneacct -x, VM_POOL or VM) into segments and day slices, in one
 * transaction with its import-history row and rejects, calling the slice listeners (the Gratia writer) inside it.
 * A bad record is rejected with its line and reason and the rest imported; malformed XML refuses the whole file (and
 * the failure is recorded in the history). Memory is bounded by a batch of segments and the largest record.
 */
import { StringDecoder } from 'node:string_decoder';
import { AppError, systemClock, type Clock } from '../../common/index.js';
import type { Store } from '../../store/index.js';
import type { SliceListener } from '../slice-listener.js';
import type { UsageSlice, VmSegment } from '../usage-slice.js';
import { writeSegments } from '../usage-store.js';
import { dayCalendar, sliceSegment } from './day-slicer.js';
import { readHistoryItems } from './history-document.js';
import { finishImport, insertImport, insertIssues, type ImportIssue, type ImportSummary } from './import-store.js';
import { normaliseHistory } from './normalise-history.js';
import { splitXmlRecords, XmlSyntaxError } from './xml-record-splitter.js';

export interface ImportInput {
  /** The OpenNebula endpoint (site or zone) the data is from: part of every key. */
  endpoint: string;
  /** What was read (a file path, "upload by alice", "pull of one.example.org"), for the history. */
  source: string;
  /** The document as text, or ... */
  xml?: string;
  /** ... as a stream of chunks (a file), read once. */
  stream?: AsyncIterable<string | Buffer>;
  /** The import's "now", epoch seconds: open segments end here (default: the clock). */
  now?: number;
}

export interface ImportOptions {
  /** The accounting time zone (default UTC). */
  timeZone?: string;
  /** The largest record read (default 4 MB). */
  maxRecordBytes?: number;
  /** Called inside the transaction with each batch's change (the Gratia writer, ...). */
  onSlices?: SliceListener | readonly SliceListener[];
  /** Segments written per batch (default 2,000). */
  batchSize?: number;
  /** The most issues the report carries in memory (all are stored; default 1,000). */
  reportIssues?: number;
  clock?: Clock;
}

/** What one import did: its history row, and its first issues (rejects and warnings) in file order. */
export interface ImportReport extends ImportSummary {
  issues: ImportIssue[];
  /** More issues were stored than `issues` holds. */
  issuesTruncated: boolean;
}

/** The import failed as a whole (malformed XML, a listener's error): nothing of it was stored; `importId` is its history row. */
export class ImportFailed extends AppError {
  constructor(readonly failure: AppError, readonly importId: number | undefined) {
    super(failure.code, failure.message, { ...failure.context, ...(importId !== undefined ? { importId } : {}) }, { cause: failure });
  }
}

const ENDPOINT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

async function* textChunks(input: ImportInput): AsyncGenerator<string> {
  if (input.xml !== undefined) {
    for (let i = 0; i < input.xml.length; i += 1 << 20) yield input.xml.slice(i, i + (1 << 20));
    return;
  }
  const decoder = new StringDecoder('utf8');
  for await (const chunk of input.stream!) yield typeof chunk === 'string' ? chunk : decoder.write(chunk);
  const rest = decoder.end();
  if (rest) yield rest;
}

/** Imports one document; see the module comment. Throws {@link ImportFailed} when the file is refused whole. */
export async function importOpenNebulaXml(store: Store, input: ImportInput, options: ImportOptions = {}): Promise<ImportReport> {
  if (!ENDPOINT.test(input.endpoint)) {
    throw new AppError('bad_request', `endpoint "${input.endpoint}" must be 1 to 64 letters, digits, dots, dashes or underscores`, { field: 'endpoint' });
  }
  if ((input.xml === undefined) === (input.stream === undefined)) throw new AppError('internal', 'importOpenNebulaXml takes xml or stream, not both or neither');
  const clock = options.clock ?? systemClock;
  const startedAt = Math.floor(clock().getTime() / 1000);
  const now = input.now ?? startedAt;
  const timeZone = options.timeZone ?? 'UTC';
  const calendar = dayCalendar(timeZone);
  const listeners: readonly SliceListener[] = options.onSlices === undefined ? [] : typeof options.onSlices === 'function' ? [options.onSlices] : options.onSlices;
  const batchSize = options.batchSize ?? 2000;
  const keep = options.reportIssues ?? 1000;
  const base = { endpoint: input.endpoint, source: input.source, startedAt, now, timeZone };
  let attempts = 0;
  let counts = { records: 0, imported: 0, rejected: 0, warnings: 0, slicesWritten: 0, slicesRemoved: 0 };
  try {
    return await store.transaction(async (tx) => {
      // MySQL re-runs a transaction after a deadlock; a stream cannot be read twice.
      if (attempts++ > 0 && input.stream !== undefined) {
        throw new AppError('unavailable', 'the database asked to retry the import, and a streamed file cannot be read twice: run the import again');
      }
      counts = { records: 0, imported: 0, rejected: 0, warnings: 0, slicesWritten: 0, slicesRemoved: 0 };
      const id = await insertImport(tx, { ...base, status: 'ok', finishedAt: startedAt, ...counts, error: null });
      const context = { endpoint: input.endpoint, importId: id, now, timeZone };
      const issues: ImportIssue[] = [];
      let pendingIssues: ImportIssue[] = [];
      let stored = 0;
      let batch = new Map<string, VmSegment>();
      const flush = async () => {
        if (batch.size > 0) {
          const segments = [...batch.values()];
          const slices: UsageSlice[] = segments.flatMap((s) => sliceSegment(s, calendar, now));
          const change = await writeSegments(tx, segments, slices, now);
          counts.slicesWritten += change.written.length;
          counts.slicesRemoved += change.removed.length;
          for (const listener of listeners) await listener(tx, change, context);
          batch = new Map();
        }
        await insertIssues(tx, id, stored, pendingIssues);
        stored += pendingIssues.length;
        pendingIssues = [];
      };
      const issue = (i: ImportIssue) => {
        pendingIssues.push(i);
        if (issues.length < keep) issues.push(i);
      };
      for await (const record of splitXmlRecords(textChunks(input), options.maxRecordBytes ?? 4 * 1024 * 1024)) {
        for (const item of readHistoryItems(record)) {
          counts.records++;
          const n = normaliseHistory(item, input.endpoint);
          if (!n.ok) {
            counts.rejected++;
            issue({ kind: 'rejected', line: item.line, vmId: n.vmId, seq: n.seq, reason: n.reason });
            continue;
          }
          counts.imported++;
          for (const w of n.warnings) {
            counts.warnings++;
            issue({ kind: 'warning', line: item.line, vmId: n.segment.vmId, seq: n.segment.seq, reason: w });
          }
          // The same record twice in one file: the later one wins, as it would in a later import.
          batch.set(`${n.segment.vmId}/${n.segment.seq}`, n.segment);
        }
        if (batch.size >= batchSize || pendingIssues.length >= batchSize) await flush();
      }
      await flush();
      const finishedAt = Math.floor(clock().getTime() / 1000);
      await finishImport(tx, id, { finishedAt, ...counts });
      return { id, ...base, status: 'ok' as const, finishedAt, ...counts, error: null, issues, issuesTruncated: stored > issues.length };
    });
  } catch (err) {
    const cause = err instanceof AppError ? err : new AppError('internal', `import failed: ${(err as Error).message}`, {}, { cause: err });
    // The failure goes in the history in a transaction of its own: the import's own rows were rolled back.
    const importId = await insertImport(store, {
      ...base, status: 'failed', finishedAt: Math.floor(clock().getTime() / 1000), ...counts, imported: 0, slicesWritten: 0, slicesRemoved: 0, error: cause.message,
    }).catch(() => undefined);
    throw new ImportFailed(cause, importId);
  }
}

export { XmlSyntaxError };

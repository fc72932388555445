/**
 * Reads a `POST /rsv/records` body in any of its forms (WLCG text, `wlcg-multiple`, RSV `brief`, JSON) into
 * probe records, or one 4xx naming every bad record with its number and line. Nothing is stored here.
 */
import { AppError, Slice } from '../common/index.js';
import { parseJsonSteps } from './json-slices.js';
import { recordKey, toProbeRecord, type FieldProblem } from './probe-record.js';
import { decodeUtf8InSlices, findBinary } from './text-check.js';
import { STATUS_WORDS, statusCode, type ProbeRecord, type RecordProblem } from './types.js';
import { preview, splitWlcgTextSteps } from './wlcg-text.js';

/** Body forms: `wlcg` (EOT-terminated text), `wlcg-multiple` (the same, as RSV names it), `brief`, `json`. */
export const RECORD_FORMATS = ['wlcg', 'wlcg-multiple', 'brief', 'json'] as const;
export type RecordFormat = (typeof RECORD_FORMATS)[number];

/** A valid record with its dedupe key. */
export interface KeyedRecord {
  record: ProbeRecord;
  key: string;
}

export interface ReadRecordsOptions {
  format: RecordFormat;
  /** The query string, for `brief` (metric, host, gatheredAt, serviceType). */
  query: Readonly<Record<string, string | undefined>>;
  now: Date;
  maxRecords: number;
  /** `brief` details are trimmed to this many characters (RSV's `details-data-trim-length`). */
  detailsTrimLength: number;
  /** `brief`: the gatheredAt to use when the query names none. */
  defaultGatheredAt: string;
}

/** How many problems a 400 lists; the count of bad records is always complete. */
const MAX_PROBLEMS = 50;
const BRIEF_MARKER = 'RSV BRIEF RESULTS:';

/** Records read between two looks at the clock by `readRecordsInSlices`, which yields when its time box is spent. */
const RECORDS_PER_SLICE = 64;

/** The records of a body; throws `AppError` (400/413) when any record is bad: all or nothing. */
export function readRecords(body: Buffer, options: ReadRecordsOptions): KeyedRecord[] {
  checkText(body, options.format);
  const steps = recordSteps(body.toString('utf8'), options);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * `readRecords` for request bodies: the same records and errors, in time-boxed slices with a turn of the event loop
 * between them (common/loop-turns.ts), so 10,000 records do not hold the process (and /healthz) for half a second.
 */
export async function readRecordsInSlices(body: Buffer, options: ReadRecordsOptions): Promise<KeyedRecord[]> {
  checkText(body, options.format);
  const steps = recordSteps(await decodeUtf8InSlices(body), options);
  const slice = new Slice();
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    await slice.yieldIfDue();
  }
}

/** Reads the records of a body that passed `checkText`, yielding after every `RECORDS_PER_SLICE` of them. */
function* recordSteps(text: string, options: ReadRecordsOptions): Generator<undefined, KeyedRecord[], undefined> {
  const out: KeyedRecord[] = [];
  const problems: RecordProblem[] = [];
  let count: number;
  let bad = 0;
  const fail = (p: RecordProblem) => {
    bad++;
    if (problems.length < MAX_PROBLEMS) problems.push(p);
  };
  const accept = (record: ProbeRecord) => out.push({ record, key: recordKey(record) });

  if (options.format === 'json') {
    count = yield* readJson(text, options, accept, fail);
  } else if (options.format === 'brief') {
    count = 1;
    readBrief(text, options, accept, fail);
  } else {
    const split = yield* splitWlcgTextSteps(text, { maxRecords: options.maxRecords, maxProblems: MAX_PROBLEMS });
    if (split.overLimit) throw tooMany(options.maxRecords);
    count = split.count;
    bad = split.count - split.records.length;
    problems.push(...split.problems);
    let n = 0;
    for (const raw of split.records) {
      if (++n % RECORDS_PER_SLICE === 0) yield;
      const values = new Map<string, string>();
      for (const [k, f] of raw.fields) values.set(k, f.value);
      const result = toProbeRecord(values, raw.raw, options.now);
      if ('message' in result && !('metricName' in result)) fail(at(raw.index, result, (f) => raw.fields.get(f)?.line ?? raw.line));
      else accept(result as ProbeRecord);
    }
    problems.sort((a, b) => a.record - b.record);
  }
  if (count === 0) throw new AppError('bad_request', 'the body holds no records', { records: 0, accepted: 0 });
  if (bad > 0) {
    const first = problems[0]!;
    throw new AppError(
      'bad_request',
      `${bad} of ${count} record${count === 1 ? '' : 's'} ${bad === 1 ? 'is' : 'are'} invalid, so none were stored; record ${first.record}` +
        `${first.line ? `, line ${first.line}` : ''}: ${first.message}`,
      { records: count, invalid: bad, accepted: 0, problems },
    );
  }
  return out;
}

function at(record: number, p: FieldProblem, lineOf: (field: string) => number): RecordProblem {
  return { record, line: p.field ? lineOf(p.field) : lineOf(''), message: p.message };
}

function tooMany(limit: number): AppError {
  return new AppError('payload_too_large', `the body holds more than ${limit} records (collector setting max_records_per_request); send them in smaller batches`, {
    limit,
    setting: 'max_records_per_request',
    accepted: 0,
  });
}

/** Refuses bodies that are not text (bad UTF-8, NUL bytes), naming the line where that starts. */
function checkText(body: Buffer, format: RecordFormat): void {
  const bad = findBinary(body);
  if (!bad) return;
  const { offset, line, before } = bad;
  const record = format === 'json' || format === 'brief' ? 1 : before.split('\n').filter((l) => l.replace(/\r$/, '') === 'EOT').length + 1;
  throw new AppError('bad_request', `record ${record}, line ${line}: the body is not UTF-8 text (binary data at byte ${offset}), so none were stored`, {
    records: null,
    accepted: 0,
    problems: [{ record, line, message: `binary data at byte ${offset}` }],
  });
}

function* readJson(text: string, options: ReadRecordsOptions, accept: (r: ProbeRecord) => void, fail: (p: RecordProblem) => void): Generator<undefined, number, undefined> {
  const parsed = yield* parseJsonSteps(text, 'record 1: ');
  const items = Array.isArray(parsed) ? (parsed as unknown[]) : [parsed];
  if (items.length > options.maxRecords) throw tooMany(options.maxRecords);
  for (const [i, item] of items.entries()) {
    if (i > 0 && i % RECORDS_PER_SLICE === 0) yield;
    const problem = jsonRecord(item, i + 1, options, accept);
    if (problem) fail(problem);
  }
  return items.length;
}

/** One JSON record: accepted, or the problem with it. */
function jsonRecord(item: unknown, index: number, options: ReadRecordsOptions, accept: (r: ProbeRecord) => void): RecordProblem | undefined {
  if (!item || typeof item !== 'object' || Array.isArray(item)) return { record: index, line: 0, message: 'not a JSON object of record fields' };
  const fields = new Map<string, string>();
  for (const [k, v] of Object.entries(item as Record<string, unknown>)) {
    if (!/^\w+$/.test(k)) return { record: index, line: 0, message: `field name ${preview(k)} is not a word` };
    if (typeof v === 'number' && Number.isFinite(v)) fields.set(k, String(v));
    else if (typeof v === 'string') fields.set(k, k === 'detailsData' ? v.replace(/^[ \t]+/, '').replace(/\s+$/, '') : v.trim());
    else return { record: index, line: 0, message: `field ${k} is not a string` };
  }
  const result = toProbeRecord(fields, JSON.stringify(item), options.now);
  if ('metricName' in result) {
    accept(result);
    return undefined;
  }
  return { record: index, line: 0, message: result.field ? `${result.message} (field ${result.field})` : result.message };
}

/** RSV `brief` output: `RSV BRIEF RESULTS:`, the status word, then details; the metric and host come from the query. */
function readBrief(text: string, options: ReadRecordsOptions, accept: (r: ProbeRecord) => void, fail: (p: RecordProblem) => void): void {
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  const q = options.query;
  if (!q.metric) throw new AppError('bad_request', 'brief records need the metric in the query string: POST /rsv/records?format=brief&metric=NAME&host=HOST', { accepted: 0 });
  if (!q.host) throw new AppError('bad_request', 'brief records need the probed host in the query string: &host=HOST[:PORT]', { accepted: 0 });
  const marker = lines.findIndex((l) => l.trim() === BRIEF_MARKER);
  if (marker < 0) return fail({ record: 1, line: 1, message: `no "${BRIEF_MARKER}" line` });
  const status = (lines[marker + 1] ?? '').trim();
  if (statusCode(status) === undefined) {
    return fail({ record: 1, line: marker + 2, message: `status "${status}" is not a status word; use ${STATUS_WORDS.join(', ')}` });
  }
  const details = lines.slice(marker + 2).join('\n').trim().slice(0, options.detailsTrimLength);
  const fields = new Map<string, string>([
    ['metricName', q.metric],
    ['metricType', q.metricType ?? 'status'],
    ['timestamp', options.now.toISOString().replace(/\.\d{3}Z$/, 'Z')],
    ['metricStatus', status],
    ['serviceType', q.serviceType ?? 'other'],
    ['serviceURI', q.host],
    ['gatheredAt', q.gatheredAt ?? options.defaultGatheredAt],
    ['summaryData', status],
    ['detailsData', details],
  ]);
  const result = toProbeRecord(fields, text, options.now);
  if ('metricName' in result) accept(result);
  else fail({ record: 1, line: 0, message: result.message });
}

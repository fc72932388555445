/**
 * The WLCG/RSV record text: `key: value` lines, `detailsData` last and running over several lines up to a line
 * that is exactly `EOT` (RSVConsumer.py's rules). `wlcg-multiple` output is the same text: records split on EOT.
 */
import type { RecordProblem } from './types.js';

/** A field with the 1-based body line it was read from. */
export interface FieldAt {
  value: string;
  line: number;
}

/** One record's fields as written, before validation. */
export interface RawRecord {
  /** 1-based number of the record in the body. */
  index: number;
  /** Body line of the record's first line. */
  line: number;
  fields: Map<string, FieldAt>;
  /** The record's lines as they arrived, `EOT` included. */
  raw: string;
}

export interface SplitOptions {
  /** Stop and report once the body holds more records than this. */
  maxRecords: number;
  /** Keep at most this many problems (the count of bad records goes on). */
  maxProblems: number;
}

export interface SplitResult {
  records: RawRecord[];
  problems: RecordProblem[];
  /** Records found in the body, valid or not. */
  count: number;
  /** True when the body has more than `maxRecords` records; reading stopped there. */
  overLimit: boolean;
}

const FIELD_LINE = /^(\w+):(.*)$/;

/** Lines read between two yields of `splitWlcgTextSteps` (its caller decides whether to give the event loop a turn). */
const LINES_PER_STEP = 256;

/** Splits a text body into records; every malformed record is a problem naming its number and line. */
export function splitWlcgText(text: string, options: SplitOptions): SplitResult {
  const steps = splitWlcgTextSteps(text, options);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * `splitWlcgText`, yielding every `LINES_PER_STEP` lines: 8 MB of records took a quarter of a second in one go.
 * Lines are found with indexOf rather than a split of the whole body, and a record's raw text is one slice of it.
 */
export function* splitWlcgTextSteps(text: string, options: SplitOptions): Generator<undefined, SplitResult, undefined> {
  const records: RawRecord[] = [];
  const problems: RecordProblem[] = [];
  let count = 0;
  let current: { index: number; line: number; fields: Map<string, FieldAt>; first: number; broken: boolean } | undefined;
  let details: string[] | undefined;

  const problem = (record: number, line: number, message: string) => {
    if (problems.length < options.maxProblems) problems.push({ record, line, message });
  };

  // A body ending in a newline has nothing after it, which is not a line of its own.
  let next = 0;
  for (let lineNo = 1; next < text.length; lineNo++) {
    if (lineNo % LINES_PER_STEP === 0) yield;
    const start = next;
    const nl = text.indexOf('\n', start);
    const end = nl < 0 ? text.length : nl;
    next = end + 1;
    let line = text.slice(start, end);
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (!current) {
      if (line.trim() === '') continue;
      if (++count > options.maxRecords) return { records, problems, count, overLimit: true };
      current = { index: count, line: lineNo, fields: new Map(), first: start, broken: false };
      if (line === 'EOT') {
        problem(count, lineNo, 'EOT without a record before it');
        current = undefined;
        continue;
      }
    }
    if (line === 'EOT') {
      const rec = current;
      current = undefined;
      if (details) {
        // The first line's value is stripped (it was already); continuation lines are kept as written.
        const [first = '', ...rest] = details;
        rec.fields.get('detailsData')!.value = (first === '' ? rest : [first, ...rest]).join('\n');
        details = undefined;
      } else if (!rec.broken) {
        problem(rec.index, lineNo, 'EOT before any detailsData line; detailsData must be the last field');
        rec.broken = true;
      }
      if (!rec.broken) records.push({ index: rec.index, line: rec.line, fields: rec.fields, raw: text.slice(rec.first, end) });
      continue;
    }
    if (details) {
      details.push(line);
      continue;
    }
    if (current.broken) continue; // skip to this record's EOT, then go on with the next one
    const m = FIELD_LINE.exec(line);
    if (!m) {
      problem(current.index, lineNo, `not a "key: value" line: ${preview(line)}`);
      current.broken = true;
      continue;
    }
    const key = m[1]!;
    const value = m[2]!.trim();
    current.fields.set(key, { value, line: lineNo });
    if (key === 'detailsData') details = [value];
  }
  if (current) {
    problem(current.index, current.line, `record ${current.index} has no EOT line; every record ends with a line that is exactly EOT`);
  }
  return { records, problems, count, overLimit: false };
}

/** A short, printable rendering of a bad line for an error message. */
export function preview(line: string): string {
  const shown = line.length > 60 ? `${line.slice(0, 60)}…` : line;
  return JSON.stringify(shown);
}

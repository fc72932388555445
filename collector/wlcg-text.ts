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

/** Splits a text body into records; every malformed record is a problem naming its number and line. */
export function splitWlcgText(text: string, options: SplitOptions): SplitResult {
  const lines = text.split('\n');
  // A body ending in a newline has an empty last element, which is not a line of its own.
  if (lines.length && lines[lines.length - 1] === '') lines.pop();
  const records: RawRecord[] = [];
  const problems: RecordProblem[] = [];
  let count = 0;
  let current: { index: number; line: number; fields: Map<string, FieldAt>; first: number; broken: boolean } | undefined;
  let details: string[] | undefined;

  const problem = (record: number, line: number, message: string) => {
    if (problems.length < options.maxProblems) problems.push({ record, line, message });
  };

  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    let line = lines[i]!;
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (!current) {
      if (line.trim() === '') continue;
      if (++count > options.maxRecords) return { records, problems, count, overLimit: true };
      current = { index: count, line: lineNo, fields: new Map(), first: i, broken: false };
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
      if (!rec.broken) records.push({ index: rec.index, line: rec.line, fields: rec.fields, raw: lines.slice(rec.first, i + 1).join('\n') });
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

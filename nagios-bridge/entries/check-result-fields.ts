/** Turns the text fields of one submitted result into a validated `PassiveResult`, or says which field is wrong and why. */
import type { EntrySource, PassiveResult, ResultKind } from '../types.js';

/** Longest host name or service description, in UTF-8 bytes (cmd.cgi's own limit on one parameter). */
export const MAX_NAME_BYTES = 1023;

/** A field of a submitted result that cannot become a passive check result. */
export class ResultFieldError extends Error {
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
  }
}

/** What an entry read for one result, before validation. */
export interface RawResult {
  kind: ResultKind;
  host: string | undefined;
  service?: string | undefined;
  state: string | number | undefined;
  /** Plugin output as Nagios reads it: first line `text|perf`, further lines long output, perfdata after a later `|`. */
  output: string | undefined;
  /** Performance data of its own (cmd.cgi's `performance_data`), read as if sent after a `|` at the end of the output. */
  perfdata?: string | undefined;
  checkTime: number;
  source: EntrySource;
  submittedBy?: string | undefined;
}

/** The names of a result's fields in the entry's own protocol, for the messages. */
export interface FieldNames {
  host: string;
  service: string;
  state: string;
  output: string;
  perfdata: string;
}

// `;` separates external-command fields, `[`/`]` frame the timestamp, newlines end a command: any of them in a name
// would let a client write a second command of its own choosing. Other control characters have no business there.
// eslint-disable-next-line no-control-regex
const BAD_NAME_CHAR = /[;[\]\u0000-\u001f\u007f]/;
// eslint-disable-next-line no-control-regex
const BAD_OUTPUT_CHAR = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

function describeChar(c: string): string {
  if (c === '\n') return 'a newline';
  if (c === '\r') return 'a carriage return';
  if (c === ';' || c === '[' || c === ']') return `"${c}"`;
  return `control character U+${c.charCodeAt(0).toString(16).padStart(4, '0').toUpperCase()}`;
}

/** A host or service name as the entries take it; throws {@link ResultFieldError} naming `field`. */
export function checkName(value: string | undefined, field: string, what: string): string {
  if (value === undefined || value === '') throw new ResultFieldError(`${field} is missing: the ${what} to submit the result for`, field);
  const bad = BAD_NAME_CHAR.exec(value);
  if (bad) throw new ResultFieldError(`${field} must not contain ${describeChar(bad[0])}`, field);
  if (value.trim() !== value) throw new ResultFieldError(`${field} must not begin or end with white space`, field);
  if (Buffer.byteLength(value) > MAX_NAME_BYTES) throw new ResultFieldError(`${field} is longer than ${MAX_NAME_BYTES} bytes`, field);
  return value;
}

function checkState(value: string | number | undefined, kind: ResultKind, field: string): 0 | 1 | 2 | 3 {
  const max = kind === 'service' ? 3 : 2;
  const range = kind === 'service' ? '0 (OK), 1 (WARNING), 2 (CRITICAL) or 3 (UNKNOWN)' : '0 (UP), 1 (DOWN) or 2 (UNREACHABLE)';
  if (value === undefined || value === '') throw new ResultFieldError(`${field} is missing: use ${range}`, field);
  const text = String(value).trim();
  // Nagios's atoi would read "2abc" as 2 and "x" as 0 (OK); a result must say what it means.
  if (!/^[0-9]$/.test(text) || Number(text) > max) throw new ResultFieldError(`${field} "${String(value)}" is not a ${kind} state: use ${range}`, field);
  return Number(text) as 0 | 1 | 2 | 3;
}

/**
 * Splits plugin output as Nagios's checks.c does: on line 1 the text before the first `|` is the output and the rest
 * perfdata; following lines are long output until a line holds a `|`, after which everything is perfdata (joined by spaces).
 */
export function splitPluginOutput(text: string): { output: string; longOutput?: string; perfdata?: string } {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const first = lines[0] ?? '';
  const bar = first.indexOf('|');
  const output = (bar < 0 ? first : first.slice(0, bar)).trim();
  const perf: string[] = bar < 0 ? [] : [first.slice(bar + 1).trim()];
  const long: string[] = [];
  let inPerf = false;
  for (const line of lines.slice(1)) {
    if (inPerf) {
      perf.push(line.trim());
      continue;
    }
    const at = line.indexOf('|');
    if (at < 0) {
      long.push(line);
      continue;
    }
    long.push(line.slice(0, at).trimEnd());
    perf.push(line.slice(at + 1).trim());
    inPerf = true;
  }
  while (long.length && long[long.length - 1]!.trim() === '') long.pop();
  const perfdata = perf.filter(Boolean).join(' ');
  return { output, ...(long.length ? { longOutput: long.join('\n') } : {}), ...(perfdata ? { perfdata } : {}) };
}

/** Validates one result; throws {@link ResultFieldError} naming the field in the client's terms. */
export function toPassiveResult(raw: RawResult, names: FieldNames, maxOutputBytes: number): PassiveResult {
  const host = checkName(raw.host, names.host, 'host name');
  const service = raw.kind === 'service' ? checkName(raw.service, names.service, 'service description') : undefined;
  const state = checkState(raw.state, raw.kind, names.state);
  const text = raw.output ?? '';
  // cmd.cgi's own words, so a client that matches them sees the same page.
  if (text.trim() === '') throw new ResultFieldError('Plugin output cannot be blank', names.output);
  const perfIn = raw.perfdata ?? '';
  if (Buffer.byteLength(text) + Buffer.byteLength(perfIn) > maxOutputBytes) {
    throw new ResultFieldError(`${names.output} and ${names.perfdata} together are longer than the limit of ${maxOutputBytes} bytes`, names.output);
  }
  for (const [value, field] of [[text, names.output], [perfIn, names.perfdata]] as const) {
    const bad = BAD_OUTPUT_CHAR.exec(value);
    if (bad) throw new ResultFieldError(`${field} must not contain ${describeChar(bad[0])}`, field);
  }
  if (/[\r\n]/.test(perfIn)) throw new ResultFieldError(`${names.perfdata} must be one line`, names.perfdata);
  // Split what Nagios would receive (cmd.cgi writes `output|perfdata`), so the result reads as Nagios would show it.
  const split = splitPluginOutput(perfIn.trim() ? `${text}|${perfIn}` : text);
  if (split.output === '') throw new ResultFieldError('Plugin output cannot be blank', names.output);
  const perfdata = split.perfdata ?? '';
  return {
    kind: raw.kind,
    host,
    ...(service === undefined ? {} : { service }),
    state,
    output: split.output,
    ...(split.longOutput === undefined ? {} : { longOutput: split.longOutput }),
    ...(perfdata ? { perfdata } : {}),
    checkTime: raw.checkTime,
    source: raw.source,
    ...(raw.submittedBy === undefined ? {} : { submittedBy: raw.submittedBy }),
  };
}

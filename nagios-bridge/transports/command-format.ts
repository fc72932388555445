/** Nagios external command lines for passive results: escaping, validation, and packing lines into atomic FIFO writes. */
import type { PassiveResult } from '../types.js';

/** POSIX PIPE_BUF on Linux: a write of at most this many bytes into a FIFO is never interleaved with another writer's. */
export const PIPE_BUF = 4096;

/** A result the command file can never carry, whatever is retried: the reason is the dead letter's. */
export class UnsendableResult extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsendableResult';
  }
}

// `;` splits a command's fields and a newline or NUL ends the command: either in a name would inject a second command.
const BAD_NAME = /[;\n\r\0]/;

/** Checks the fields a command puts between `;`; throws UnsendableResult naming the field. */
export function checkNames(r: PassiveResult): void {
  const check = (field: string, value: string | undefined) => {
    if (!value) throw new UnsendableResult(`${field} is empty`);
    if (BAD_NAME.test(value)) throw new UnsendableResult(`${field} ${JSON.stringify(value)} holds ';', a newline or NUL, which would end the external command`);
  };
  check('host', r.host);
  if (r.kind === 'service') check('service', r.service);
  else if (r.service !== undefined) throw new UnsendableResult('a host result names a service');
  if (![0, 1, 2, 3].includes(r.state)) throw new UnsendableResult(`state ${String(r.state)} is not 0, 1, 2 or 3`);
  if (!Number.isFinite(r.checkTime) || r.checkTime <= 0) throw new UnsendableResult(`check time ${String(r.checkTime)} is not an epoch time`);
}

/**
 * Nagios's escaping of plugin output in one line: `\` as `\\` and a line break as the two characters `\n` (Nagios
 * decodes both). A CR-LF or lone CR counts as one line break. NUL cannot be carried (Nagios reads C strings).
 */
export function escapeOutput(text: string): string {
  if (text.includes('\0')) throw new UnsendableResult('the output holds a NUL character');
  return text.replace(/\\/g, '\\\\').replace(/\r\n?|\n/g, '\\n');
}

/**
 * The plugin output as Nagios splits it: `output|perfdata` on the first line, then the long output lines. Escaped
 * into one line. A `|` inside the output text is Nagios's perfdata separator, as from any plugin.
 */
export function pluginText(r: PassiveResult): string {
  const first = r.output.replace(/\r\n?|\n/g, ' ');
  const perf = r.perfdata ? `|${r.perfdata.replace(/\r\n?|\n/g, ' ')}` : '';
  const long = r.longOutput ? `\n${r.longOutput}` : '';
  return escapeOutput(`${first}${perf}${long}`);
}

/** The check time as Nagios's bracketed epoch: whole seconds. */
export const epochOf = (r: PassiveResult) => Math.floor(r.checkTime);

/**
 * `[epoch] PROCESS_SERVICE_CHECK_RESULT;host;service;rc;text` or `[epoch] PROCESS_HOST_CHECK_RESULT;host;rc;text`,
 * ending in exactly one `\n`. Throws UnsendableResult for names that would inject a command.
 */
export function formatCommand(r: PassiveResult): string {
  checkNames(r);
  const text = pluginText(r);
  return r.kind === 'service'
    ? `[${epochOf(r)}] PROCESS_SERVICE_CHECK_RESULT;${r.host};${r.service!};${r.state};${text}\n`
    : `[${epochOf(r)}] PROCESS_HOST_CHECK_RESULT;${r.host};${r.state};${text}\n`;
}

/**
 * Packs whole command lines into buffers of at most `limit` bytes, in order. `lines[i]` lands in the buffer
 * `owner[i]` names; a line longer than `limit` is never packed (its owner is -1): it must go another way.
 */
export function packLines(lines: readonly string[], limit = PIPE_BUF): { buffers: Buffer[]; owner: number[] } {
  const buffers: Buffer[] = [];
  const owner: number[] = [];
  let parts: Buffer[] = [];
  let size = 0;
  const flush = () => {
    if (parts.length) buffers.push(Buffer.concat(parts, size));
    parts = [];
    size = 0;
  };
  for (const line of lines) {
    const bytes = Buffer.from(line, 'utf8');
    if (bytes.length > limit) {
      owner.push(-1);
      continue;
    }
    if (size + bytes.length > limit) flush();
    parts.push(bytes);
    size += bytes.length;
    owner.push(buffers.length);
  }
  flush();
  return { buffers, owner };
}

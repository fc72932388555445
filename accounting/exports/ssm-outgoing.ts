/**
 * An SSM outgoing directory as `ssmsend` reads it (python-dirq's QueueSimple): `<8 hex: time rounded down to the
 * granularity>/<14 hex: seconds, microseconds, pid digit>`. A message is written to `<name>.tmp`, flushed, then
 * hard-linked to its final name and the temporary removed, so `ssmsend` never sees half a message.
 */
import { closeSync, fsyncSync, linkSync, mkdirSync, openSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';

const hex = (n: number, width: number) => Math.floor(n).toString(16).padStart(width, '0').slice(-width);
const PID_DIGIT = hex(process.pid % 16, 1);

export interface SsmOutgoingOptions {
  /** Seconds per intermediate directory (dirq's default 60). */
  granularity?: number;
  /** Milliseconds since the epoch (default Date.now); tests pass a fixed one. */
  now?: () => number;
}

// The new name is durable once its directory is: a crash after the return leaves the message, not half of it.
function syncDirectory(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Names handed out by this process, so two messages in one microsecond still get distinct, increasing names. */
let lastMicros = 0;

/** Adds one message to the queue at `dir`; returns its element name `XXXXXXXX/YYYYYYYYYYYYYY`. */
export function addSsmMessage(dir: string, text: string, options: SsmOutgoingOptions = {}): string {
  const granularity = options.granularity ?? 60;
  const nowMs = (options.now ?? Date.now)();
  const seconds = Math.floor(nowMs / 1000);
  const sub = hex(seconds - (seconds % granularity), 8);
  mkdirSync(join(dir, sub), { recursive: true });
  for (;;) {
    const micros = Math.max(nowMs * 1000, lastMicros + 1);
    lastMicros = micros;
    const name = `${hex(Math.floor(micros / 1e6), 8)}${hex(micros % 1e6, 5)}${PID_DIGIT}`;
    const tmp = join(dir, sub, `${name}.tmp`);
    let fd: number;
    try {
      fd = openSync(tmp, 'wx');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw err;
    }
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    try {
      linkSync(tmp, join(dir, sub, name));
    } catch (err) {
      unlinkSync(tmp);
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw err;
    }
    unlinkSync(tmp);
    syncDirectory(join(dir, sub));
    return `${sub}/${name}`;
  }
}

/** The limit: external command lines written straight into Nagios's command FIFO, whole lines in writes of at most PIPE_BUF. */
import { closeSync, constants, fstatSync, openSync, writeSync } from 'node:fs';

const PIPE_BUF = 4096;

/** Concatenates whole `lines` into buffers of at most PIPE_BUF bytes, in order (each line is shorter than that). */
export function pipeBufWrites(lines: readonly string[]): Buffer[] {
  const out: Buffer[] = [];
  let parts: string[] = [];
  let size = 0;
  for (const line of lines) {
    const bytes = Buffer.byteLength(line);
    if (bytes > PIPE_BUF) throw new Error(`a command of ${bytes} bytes does not fit one FIFO write`);
    if (size + bytes > PIPE_BUF) {
      out.push(Buffer.from(parts.join('')));
      parts = [];
      size = 0;
    }
    parts.push(line);
    size += bytes;
  }
  if (parts.length) out.push(Buffer.from(parts.join('')));
  return out;
}

/**
 * Writes `buffers` into the FIFO at `path` with blocking writes (each returns once the pipe took it whole): as fast as
 * Nagios reads, which is the most any sender can reach. Returns the epoch ms of the first write.
 */
export function writeIntoFifo(path: string, buffers: readonly Buffer[]): number {
  // A non-blocking open first: with no reader it fails at once (ENXIO) instead of hanging the benchmark; the writes
  // then go through a blocking descriptor, so a full pipe waits for Nagios inside write(2).
  closeSync(openSync(path, constants.O_WRONLY | constants.O_NONBLOCK));
  const fd = openSync(path, constants.O_WRONLY);
  try {
    if (!fstatSync(fd).isFIFO()) throw new Error(`${path} is not a FIFO`);
    const start = Date.now();
    for (const b of buffers) {
      const n = writeSync(fd, b);
      if (n !== b.length) throw new Error(`short write into ${path}: ${n} of ${b.length} bytes`);
    }
    return start;
  } finally {
    closeSync(fd);
  }
}

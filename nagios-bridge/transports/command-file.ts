/** The command-file transport: external command lines (results, downtimes, acknowledgements) into Nagios's FIFO, packed into atomic writes; too-long results to the spool. */
import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { errorMessage, systemClock, type Clock } from '../../common/index.js';
import { formatCommand, packLines, PIPE_BUF, UnsendableResult } from './command-format.js';
import { writeSpoolFile } from './check-result-spool.js';
import { formatExternalCommand } from './external-commands.js';
import { delivered, never, retryLater, type DeliveryOutcome, type Transport } from './transport.js';

export interface CommandFileOptions {
  /** Nagios's `command_file`, e.g. `/var/lib/nagios4/rw/nagios.cmd`. */
  path: string;
  /** Nagios's `check_result_path`: where commands too long for one atomic write go; without it they fail for good. */
  spool?: string;
  /** How long a write waits for room in a full pipe before the rest of the batch is retried later (default 2 s). */
  fullPipeWaitMs?: number;
  clock?: Clock;
}

/** Why the FIFO cannot be opened, said so an admin can act. */
function openFailure(path: string, err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENXIO') return `no process reads the command file ${path} (is Nagios running?)`;
  if (code === 'ENOENT') return `the command file ${path} does not exist (Nagios creates it when it starts)`;
  if (code === 'EACCES') return `no permission to write the command file ${path} (the appliance's user needs Nagios's command group)`;
  return `cannot open the command file ${path}: ${errorMessage(err)}`;
}

/**
 * Opens the FIFO without blocking (no reader: ENXIO at once, never a hung process) and checks it still is one:
 * Nagios recreates it on every restart, so it is opened afresh for every batch.
 */
async function openFifo(path: string): Promise<FileHandle> {
  const fd = await open(path, constants.O_WRONLY | constants.O_NONBLOCK);
  try {
    const st = await fd.stat();
    if (!st.isFIFO()) throw new Error(`${path} is not a FIFO; a regular file there would swallow every command`);
    return fd;
  } catch (err) {
    await fd.close();
    throw err;
  }
}

/** A transport writing to Nagios's external command file. */
export function createCommandFileTransport(options: CommandFileOptions): Transport {
  const { path, spool } = options;
  const clock = options.clock ?? systemClock;
  const fullPipeWaitMs = options.fullPipeWaitMs ?? 2_000;

  /** Writes one buffer whole; a full pipe is waited on (with O_NONBLOCK a write of ≤ PIPE_BUF is all or EAGAIN). */
  const writeWhole = async (fd: FileHandle, buf: Buffer): Promise<string | undefined> => {
    const deadline = Date.now() + fullPipeWaitMs;
    for (let pause = 5; ; pause = Math.min(pause * 2, 200)) {
      try {
        const { bytesWritten } = await fd.write(buf, 0, buf.length);
        return bytesWritten === buf.length ? undefined : `short write to ${path} (${bytesWritten} of ${buf.length} bytes)`;
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN' && Date.now() < deadline) {
          await sleep(pause);
          continue;
        }
        if (code === 'EAGAIN') return `the command file ${path} stayed full for ${fullPipeWaitMs} ms (Nagios is not reading it)`;
        if (code === 'EPIPE') return `Nagios stopped reading the command file ${path}`;
        return `writing the command file ${path} failed: ${errorMessage(err)}`;
      }
    }
  };

  /**
   * Writes whole lines into the FIFO, packed into atomic writes, in order; per line the failure (undefined: written).
   * Lines too long for one write are `oversize` and left to the caller.
   */
  const writeLines = async (lines: readonly string[]): Promise<{ failure: (string | undefined)[]; oversize: number[] }> => {
    const { buffers, owner } = packLines(lines);
    const oversize = owner.flatMap((b, k) => (b < 0 ? [k] : []));
    const failure: (string | undefined)[] = lines.map(() => undefined);
    if (!buffers.length) return { failure, oversize };
    // Per buffer, the first failure: every buffer from it on is retried later, in order.
    const bufferFailure: (string | undefined)[] = buffers.map(() => undefined);
    let fd: FileHandle | undefined;
    try {
      fd = await openFifo(path);
    } catch (err) {
      bufferFailure.fill(openFailure(path, err));
    }
    if (fd) {
      try {
        for (const [b, buf] of buffers.entries()) {
          const reason = await writeWhole(fd, buf);
          if (reason) {
            bufferFailure.fill(reason, b);
            break;
          }
        }
      } finally {
        await fd.close();
      }
    }
    for (const [k, b] of owner.entries()) if (b >= 0) failure[k] = bufferFailure[b];
    return { failure, oversize };
  };

  /** Formats each item; those that cannot be formatted get their final outcome in `outcomes`. */
  const format = <T>(items: readonly T[], fmt: (item: T) => string, outcomes: DeliveryOutcome[]) => {
    const lines: string[] = [];
    const lineOf: number[] = [];
    for (const [i, item] of items.entries()) {
      try {
        lines.push(fmt(item));
        lineOf.push(i);
      } catch (err) {
        if (!(err instanceof UnsendableResult)) throw err;
        outcomes[i] = never(err.message);
      }
    }
    return { lines, lineOf };
  };

  return {
    type: 'command_file',
    async deliver(results) {
      const outcomes: DeliveryOutcome[] = new Array<DeliveryOutcome>(results.length);
      const { lines, lineOf } = format(results, formatCommand, outcomes);
      const { failure, oversize } = await writeLines(lines);
      const tooLong = new Set(oversize);
      const toSpool: number[] = [];
      for (const [k, i] of lineOf.entries()) {
        if (!tooLong.has(k)) {
          const reason = failure[k];
          outcomes[i] = reason === undefined ? delivered : retryLater(reason);
        } else if (spool) toSpool.push(i);
        else outcomes[i] = never(`the command is ${Buffer.byteLength(lines[k]!)} bytes, longer than one atomic write (${PIPE_BUF}); configure the target's spool (Nagios's check_result_path) to deliver it`);
      }

      if (toSpool.length) {
        try {
          await writeSpoolFile(spool!, toSpool.map((i) => results[i]!), clock);
          for (const i of toSpool) outcomes[i] = delivered;
        } catch (err) {
          for (const i of toSpool) outcomes[i] = retryLater(`writing the check-result spool ${spool!} failed: ${errorMessage(err)}`);
        }
      }
      return outcomes;
    },

    async deliverCommands(commands) {
      const outcomes: DeliveryOutcome[] = new Array<DeliveryOutcome>(commands.length);
      const { lines, lineOf } = format(commands, formatExternalCommand, outcomes);
      const { failure, oversize } = await writeLines(lines);
      const tooLong = new Set(oversize);
      for (const [k, i] of lineOf.entries()) {
        const reason = failure[k];
        // The spool carries check results only.
        if (tooLong.has(k)) outcomes[i] = never(`the command is ${Buffer.byteLength(lines[k]!)} bytes, longer than one atomic write (${PIPE_BUF}); shorten the comment`);
        else outcomes[i] = reason === undefined ? delivered : retryLater(reason);
      }
      return outcomes;
    },
  };
}

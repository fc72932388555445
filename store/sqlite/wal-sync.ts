/**
 * Syncing a transaction's WAL frames to disk on libuv's thread pool: under synchronous=FULL the COMMIT's own fsync runs
 * on the event loop, and on a busy disk it held the loop 80-280 ms per large transaction (and tens of ms per small one).
 */
import { fdatasyncSync, openSync, closeSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { AppError } from '../../common/index.js';

/**
 * fdatasync of `<file>-wal` off the event loop, after a COMMIT run with synchronous=NORMAL: the same sync FULL does
 * at the end of the COMMIT, so the frames (and every frame before them) are on disk before the caller acknowledges.
 * When the thread pool's sync fails it is tried once more inline; a second failure is an error the caller must not
 * acknowledge.
 */
export async function syncWal(file: string): Promise<void> {
  const wal = `${file}-wal`;
  try {
    const handle = await open(wal, 'r');
    try {
      await handle.datasync();
    } finally {
      await handle.close();
    }
  } catch {
    let fd: number | undefined;
    try {
      fd = openSync(wal, 'r');
      fdatasyncSync(fd);
    } catch (err) {
      throw new AppError('internal', `the commit could not be synced to disk (${wal}): ${(err as Error).message}`);
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  }
}

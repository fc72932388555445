/** SQLite's automatic checkpoint ran inside a large COMMIT on the event loop; the store leaves it to a worker thread. */
import { afterAll, expect, it } from 'vitest';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { openStore, type SqlValue } from '../../store/index.js';
import { removeTempDirs, tempDir } from '../support/temp-files.js';

afterAll(removeTempDirs);

it('commits without checkpointing on its own connection, and a worker copies a large WAL into the database file', async () => {
  const file = join(tempDir(), 'a.db');
  const store = openStore({ interface: 'sqlite', file });
  try {
    expect((await store.query<{ wal_autocheckpoint: number }>('PRAGMA wal_autocheckpoint'))[0]!.wal_autocheckpoint).toBe(0);
    await store.execute('CREATE TABLE t (id INTEGER PRIMARY KEY, pad TEXT)');
    const rows: SqlValue[][] = Array.from({ length: 20_000 }, (_, i) => [i, 'x'.repeat(400)]);
    await store.transaction(async (tx) => void (await tx.insertMany('t', ['id', 'pad'], rows)));
    // The rows reach the database file only through a checkpoint; nothing on this connection runs one.
    await expect.poll(() => statSync(file).size, { timeout: 10_000 }).toBeGreaterThan(4 * 1024 * 1024);
    expect((await store.query<{ n: number }>('SELECT count(*) AS n FROM t'))[0]!.n).toBe(20_000);
  } finally {
    await store.close();
  }
});

/**
 * A statement that never leaves SQLite's C code cannot be stopped by terminating its worker: the caller is answered at
 * the timeout, the thread runs on to the statement's end, and past the bound timed statements are refused with 503.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../common/index.js';
import { SqliteStore } from '../../store/sqlite/sqlite-store.js';
import { sqliteBackend } from '../support/stores.js';

/** Pure SQL, no emulated function: no JavaScript runs until its one row is ready (1.5–2.5 s here). */
const NATIVE_COUNT = 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 10000000) SELECT count(*) FROM c';
const TIMEOUT_MS = 300;

describe('a timed SQLite statement that stays inside SQLite', () => {
  let store: SqliteStore;
  let dispose: () => Promise<void>;

  beforeAll(async () => {
    const db = await sqliteBackend.create();
    dispose = db.dispose;
    store = new SqliteStore(db.connection.interface === 'sqlite' ? db.connection.file : '', { maxAbandonedWorkers: 1 });
    await store.queryArrays('SELECT 1', [], { timeoutMs: 10_000 });
  });
  afterAll(async () => {
    // A thread still inside SQLite would hold the test process open until its statement ends: wait for it here.
    while (store.workerStats.abandoned > 0) await new Promise((r) => setTimeout(r, 20));
    await store.close();
    await dispose();
  });

  it('is answered at its timeout, runs on in its thread, and meanwhile further timed statements get 503', async () => {
    const start = performance.now();
    const err = await store.queryArrays(NATIVE_COUNT, [], { timeoutMs: TIMEOUT_MS }).catch((e: unknown) => e);
    const answeredAt = performance.now() - start;
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).message).toBe('SQL error: the statement ran past sql_query_timeout of 0.3 s and was stopped');
    expect(answeredAt).toBeLessThan(TIMEOUT_MS + 300);
    expect(store.workerStats.abandoned).toBe(1);

    const refused = await store.queryArrays('SELECT 1', [], { timeoutMs: 1000 }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).code).toBe('unavailable');
    expect((refused as AppError).httpStatus).toBe(503);
    expect((refused as AppError).message).toBe(
      'SQLite is still finishing 1 statement stopped at sql_query_timeout (SQLite cannot interrupt them); timed queries are refused until one ends',
    );
    // Statements without a timeout run inline on the store connection, untouched by the bound.
    expect(await store.queryArrays('SELECT 2')).toEqual({ columns: ['2'], rows: [[2]] });

    while (store.workerStats.abandoned > 0) await new Promise((r) => setTimeout(r, 20));
    const threadEndedAt = performance.now() - start;
    // The thread went on well past the terminate() at the timeout: it left only when SQLite returned the row.
    expect(threadEndedAt).toBeGreaterThan(answeredAt + 500);
    console.log(`native statement: answered at ${Math.round(answeredAt)} ms, its terminated thread exited at ${Math.round(threadEndedAt)} ms`);

    expect(await store.queryArrays('SELECT 3', [], { timeoutMs: 1000 })).toEqual({ columns: ['3'], rows: [[3]] });
  });
});

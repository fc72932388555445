/** A timed SQLite statement runs on a query worker: it fails at its timeout, and the event loop keeps turning meanwhile. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../common/index.js';
import { SqliteStore } from '../../store/sqlite/sqlite-store.js';
import { sqliteBackend } from '../support/stores.js';

/** Would count for minutes; TRUNCATE is an emulated function, so the statement calls JavaScript on every row. */
const COUNT_TO_1E9 = 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1000000000) SELECT count(truncate(x, 0)) FROM c';

async function until(check: () => boolean, limitMs: number): Promise<number> {
  const start = performance.now();
  while (!check()) {
    if (performance.now() - start > limitMs) throw new Error(`not within ${limitMs} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
  return performance.now() - start;
}

describe('a SQLite statement given a timeout', () => {
  let store: SqliteStore;
  let dispose: () => Promise<void>;

  beforeAll(async () => {
    const db = await sqliteBackend.create();
    dispose = db.dispose;
    store = db.open() as SqliteStore;
    await store.execute('CREATE TABLE t (n INTEGER)');
    await store.insertMany('t', ['n'], [[1], [2], [3]]);
    // The first timed statement starts the worker; warm it so the timing below is the statement's alone.
    await store.queryArrays('SELECT 1', [], { timeoutMs: 10_000 });
  });
  afterAll(async () => {
    await store.close();
    await dispose();
  });

  it('fails after about its timeout with a message naming sql_query_timeout, while timers fire on schedule', async () => {
    const fired: number[] = [];
    const start = performance.now();
    const timer = setInterval(() => fired.push(performance.now() - start), 100);
    let err: unknown;
    try {
      await store.queryArrays(COUNT_TO_1E9, [], { timeoutMs: 1000 });
    } catch (e) {
      err = e;
    } finally {
      clearInterval(timer);
    }
    const elapsed = performance.now() - start;
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('unavailable');
    expect((err as AppError).message).toBe('SQL error: the statement ran past sql_query_timeout of 1 s and was stopped');
    expect(elapsed).toBeGreaterThanOrEqual(995);
    // Margins for a loaded machine; inline, the statement would have held the loop for minutes and no tick fired.
    expect(elapsed).toBeLessThan(2000);
    expect(fired.length).toBeGreaterThanOrEqual(5);
    expect(fired[0]!).toBeLessThan(400);
    expect(store.workerStats.timedOut).toBe(1);
  });

  it('stops the worker at once when the statement calls JavaScript, and the next timed statement runs on a new one', async () => {
    // The terminated thread leaves at its next emulated-function call: nothing is left running.
    const gone = await until(() => store.workerStats.abandoned === 0, 2000);
    expect(gone).toBeLessThan(500);
    expect(await store.queryArrays('SELECT sum(n) AS total FROM t WHERE n > ?', [1], { timeoutMs: 1000 })).toEqual({ columns: ['total'], rows: [[5]] });
    expect(store.workerStats).toMatchObject({ live: 1, idle: 1, abandoned: 0 });
  });

  it('runs a statement that writes inline, on the store connection', async () => {
    expect(await store.query('INSERT INTO t (n) VALUES (?)', [4], { timeoutMs: 1000 })).toEqual([]);
    expect(await store.query('SELECT count(*) AS c FROM t', [], { timeoutMs: 1000 })).toEqual([{ c: 4 }]);
  });
});

describe('an in-memory SQLite store', () => {
  it('runs a timed statement inline: no other connection could open its database', async () => {
    const store = new SqliteStore(':memory:');
    try {
      expect(await store.queryArrays('SELECT 6 * 7', [], { timeoutMs: 1000 })).toEqual({ columns: ['6 * 7'], rows: [[42]] });
      expect(store.workerStats).toEqual({ live: 0, idle: 0, abandoned: 0, timedOut: 0 });
    } finally {
      await store.close();
    }
  });
});

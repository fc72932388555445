/** A timed statement answered by a query worker gives the same rows, types and errors as the store's own connection. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../common/index.js';
import { openStore, type Migration, type SqlValue, type Store } from '../../store/index.js';
import { sqliteBackend } from '../support/stores.js';

const NOW = new Date('2026-11-20T12:34:56Z');

const migrations: Migration[] = [
  {
    stage: 'test',
    version: 1,
    name: 'people',
    steps: [
      {
        createTable: {
          name: 'people',
          columns: [
            { name: 'id', type: 'int', autoIncrement: true },
            { name: 'vo', type: 'varchar', length: 64, binary: true },
            { name: 'kind', type: 'varchar', length: 64 },
            { name: 'at', type: 'datetime' },
            { name: 'hours', type: 'double' },
            { name: 'jobs', type: 'bigint' },
            { name: 'photo', type: 'blob' },
          ],
        },
      },
    ],
  },
];

describe('a timed statement on a query worker', () => {
  let store: Store;
  let dispose: () => Promise<void>;

  beforeAll(async () => {
    const db = await sqliteBackend.create();
    dispose = db.dispose;
    store = openStore(db.connection, { now: () => NOW });
    await store.migrate(migrations);
    await store.insertMany('people', ['vo', 'kind', 'at', 'hours', 'jobs', 'photo'], [
      ['CMS', 'OneVM', '2026-11-19 10:00:00', 1.5, 3, Buffer.from([0, 1, 254])],
      ['cms', 'Batch', '2026-11-20 23:59:59', 2.25, 9_007_199_254_740_991, null],
      ['atlas', 'onevm', '2025-01-01 00:00:00', 0, 0, Buffer.alloc(0)],
    ]);
  });
  afterAll(async () => {
    await store.close();
    await dispose();
  });

  /** The statement inline and on a worker: both answers, in both shapes. */
  const both = async (sql: string, params: SqlValue[] = []) => ({
    inline: await store.queryArrays(sql, params),
    worker: await store.queryArrays(sql, params, { timeoutMs: 5000 }),
    inlineRows: await store.query(sql, params),
    workerRows: await store.query(sql, params, { timeoutMs: 5000 }),
  });

  it('returns the same rows with the same types, emulated MySQL functions included', async () => {
    const r = await both(
      `SELECT id, vo, at, hours, jobs, photo, DATE_FORMAT(at, '%Y-%m-%d %H') AS hour, UNIX_TIMESTAMP(at) AS ts,
              TRUNCATE(hours / 3, 2) AS third, IF(jobs > 5, 'many', 'few') AS size, CONCAT(vo, '/', kind) AS label,
              NOW() AS now, UNIX_TIMESTAMP() AS clock, "it's" AS quoted, 7 / 2 AS half
         FROM people WHERE at >= ? ORDER BY id`,
      ['2025-01-01 00:00:00'],
    );
    expect(r.worker).toEqual(r.inline);
    expect(r.workerRows).toEqual(r.inlineRows);
    expect(r.inline.rows).toHaveLength(3);
    const first = r.worker.rows[0]!;
    // The worker's NOW() reads the store's clock as the statement was sent, as MySQL's is the statement's start.
    expect(first.slice(11, 13)).toEqual(['2026-11-20 12:34:56', NOW.getTime() / 1000]);
    expect(first.slice(13)).toEqual(["it's", 3.5]);
    expect(Buffer.isBuffer(first[5])).toBe(true);
    expect(first[5]).toEqual(Buffer.from([0, 1, 254]));
    expect(Buffer.isBuffer(r.workerRows[2]!.photo)).toBe(true);
    expect(r.worker.rows[1]![4]).toBe(9_007_199_254_740_991);
  });

  it('applies REGEXP case-sensitively on a binary column and not on others, as the store learnt from its migrations', async () => {
    const r = await both('SELECT vo, kind, vo REGEXP ? AS vo_match, kind REGEXP ? AS kind_match FROM people ORDER BY id', ['^cms$', '^ONEVM$']);
    expect(r.worker).toEqual(r.inline);
    expect(r.worker.rows.map((row) => [row[2], row[3]])).toEqual([[0, 1], [1, 0], [0, 1]]);
    const byName = await both('SELECT id FROM people WHERE vo REGEXP ? ORDER BY id', ['^CMS']);
    expect(byName.worker.rows).toEqual([[1]]);
    expect(byName.workerRows).toEqual(byName.inlineRows);
  });

  it('binds a Buffer parameter as a blob', async () => {
    const r = await both('SELECT id FROM people WHERE photo = ?', [Buffer.from([0, 1, 254])]);
    expect(r.worker.rows).toEqual([[1]]);
    expect(r.worker).toEqual(r.inline);
  });

  it('fails as the inline statement fails: same code, same message', async () => {
    const failures = async (sql: string, params: SqlValue[]) => {
      const inline = await store.queryArrays(sql, params).catch((e: unknown) => e);
      const worker = await store.queryArrays(sql, params, { timeoutMs: 5000 }).catch((e: unknown) => e);
      expect(inline).toBeInstanceOf(AppError);
      expect(worker).toBeInstanceOf(AppError);
      return [inline as AppError, worker as AppError].map((e) => [e.code, e.message]);
    };
    // A bad pattern (from a URL, usually) is raised by the emulated REGEXP inside the worker.
    const [badInline, badWorker] = await failures('SELECT id FROM people WHERE kind REGEXP ?', ['(']);
    expect(badWorker).toEqual(badInline);
    expect(badWorker![0]).toBe('bad_request');
    const [missingInline, missingWorker] = await failures('SELECT nope FROM people', []);
    expect(missingWorker).toEqual(missingInline);
    expect(missingWorker).toEqual(['internal', 'SQL error: no such column: nope']);
  });
});

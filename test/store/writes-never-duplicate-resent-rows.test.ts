/** Contract: query/execute/insertMany/upsert behave alike on every backend, and a re-sent row never duplicates. */
import { describe, expect, it } from 'vitest';
import { AppError } from '../../common/index.js';
import type { Migration } from '../../store/index.js';
import { testBackends } from '../support/stores.js';
import { useFreshStore } from './support/fresh-store.js';

const schema: Migration[] = [
  {
    stage: 'writes',
    version: 1,
    name: 'counters and events',
    steps: [
      {
        createTable: {
          name: 'counters',
          columns: [
            { name: 'day', type: 'date', notNull: true },
            { name: 'site', type: 'varchar', length: 64, notNull: true },
            { name: 'jobs', type: 'bigint', notNull: true, default: 0 },
            { name: 'hours', type: 'double', notNull: true, default: 0 },
            { name: 'note', type: 'varchar' },
            { name: 'first_seen', type: 'varchar' },
          ],
          indexes: [{ name: 'key', columns: ['day', 'site'], unique: true }],
        },
      },
      {
        createTable: {
          name: 'events',
          columns: [
            { name: 'id', type: 'bigint', autoIncrement: true },
            { name: 'n', type: 'int', notNull: true },
            { name: 'label', type: 'varchar', length: 32 },
          ],
          indexes: [{ name: 'n', columns: ['n'], unique: true }],
        },
      },
    ],
  },
];

const COUNTER_COLUMNS = ['day', 'site', 'jobs', 'hours', 'note', 'first_seen'] as const;
const byKey = { key: ['day', 'site'], update: { jobs: 'sum', hours: 'sum', note: 'replace', first_seen: 'keep' } } as const;

describe.each(testBackends())('writes on $name', (backend) => {
  const fresh = useFreshStore(backend, { per: 'suite', migrations: schema });
  const clear = async () => {
    await fresh().store.execute('DELETE FROM counters');
    await fresh().store.execute('DELETE FROM events');
  };

  it('execute reports the rows changed and the auto-increment id', async () => {
    const { store } = fresh();
    await clear();
    const first = await store.execute('INSERT INTO events (n, label) VALUES (?, ?)', [1, 'one']);
    const second = await store.execute('INSERT INTO events (n, label) VALUES (?, ?)', [2, 'two']);
    expect(first.changes).toBe(1);
    expect(second.lastInsertId).toBe(first.lastInsertId + 1);
    expect(await store.query('SELECT id FROM events WHERE n = ?', [2])).toEqual([{ id: second.lastInsertId }]);
    expect((await store.execute('UPDATE events SET label = ? WHERE n >= ?', ['many', 1])).changes).toBe(2);
    expect((await store.execute('DELETE FROM events WHERE n = ?', [99])).changes).toBe(0);
  });

  it('query returns rows keyed by alias, in the order asked for', async () => {
    const { store } = fresh();
    await clear();
    await store.insertMany('events', ['n', 'label'], [[3, 'c'], [1, 'a'], [2, null]]);
    expect(await store.query('SELECT n AS number, label FROM events WHERE n > ? ORDER BY n DESC', [0])).toEqual([
      { number: 3, label: 'c' },
      { number: 2, label: null },
      { number: 1, label: 'a' },
    ]);
    expect(await store.query('SELECT n FROM events WHERE n > ?', [100])).toEqual([]);
  });

  it('queryArrays returns rows in select order, keeping columns that share a name', async () => {
    const { store } = fresh();
    await clear();
    await store.insertMany('events', ['n', 'label'], [[2, 'b'], [1, 'a']]);
    expect(await store.queryArrays('SELECT label, n, n * 10 AS n FROM events ORDER BY n')).toEqual({
      columns: ['label', 'n', 'n'],
      rows: [
        ['a', 1, 10],
        ['b', 2, 20],
      ],
    });
    // The same statement through query() still gives objects: the array mode does not stick.
    expect(await store.query('SELECT label, n, n * 10 AS n FROM events ORDER BY n')).toEqual([
      { label: 'a', n: 10 },
      { label: 'b', n: 20 },
    ]);
  });

  it('insertMany inserts every row of a batch larger than one statement, and counts them', async () => {
    const { store } = fresh();
    await clear();
    const rows = Array.from({ length: 2_500 }, (_, i) => [i, `row ${i}`]);
    expect(await store.insertMany('events', ['n', 'label'], rows)).toBe(2_500);
    expect(await store.query('SELECT count(*) AS n, sum(n) AS total, max(label) AS maxLabel FROM events')).toEqual([
      { n: 2_500, total: (2_499 * 2_500) / 2, maxLabel: 'row 999' },
    ]);
    expect(await store.insertMany('events', ['n', 'label'], [])).toBe(0);
  });

  it('insertMany is all-or-nothing: a bad row in a late chunk leaves no row of the batch', async () => {
    const { store } = fresh();
    await clear();
    await store.insertMany('events', ['n', 'label'], [[5_000, 'already there']]);
    const rows = Array.from({ length: 2_500 }, (_, i) => [i, 'new']);
    rows.push([5_000, 'duplicate of the stored row']);
    await expect(store.insertMany('events', ['n', 'label'], rows)).rejects.toBeInstanceOf(AppError);
    expect(await store.query('SELECT n, label FROM events')).toEqual([{ n: 5_000, label: 'already there' }]);
  });

  it('insertMany refuses a row whose width does not match the columns, inserting nothing', async () => {
    const { store } = fresh();
    await clear();
    await expect(store.insertMany('events', ['n', 'label'], [[1, 'a'], [2]])).rejects.toThrow(/1 values for 2 columns/);
    expect(await store.query('SELECT count(*) AS n FROM events')).toEqual([{ n: 0 }]);
  });

  it('upsert sums, replaces or keeps each column as asked when the key exists', async () => {
    const { store } = fresh();
    await clear();
    await store.upsert('counters', COUNTER_COLUMNS, [['2024-03-01', 'FNAL', 2, 1.5, 'first', 'run 1']], byKey);
    await store.upsert('counters', COUNTER_COLUMNS, [['2024-03-01', 'FNAL', 3, 0.25, 'second', 'run 2']], byKey);
    expect(await store.query('SELECT day, site, jobs, hours, note, first_seen FROM counters')).toEqual([
      { day: '2024-03-01', site: 'FNAL', jobs: 5, hours: 1.75, note: 'second', first_seen: 'run 1' },
    ]);
  });

  it('upsert replaces columns with no rule given', async () => {
    const { store } = fresh();
    await clear();
    const options = { key: ['day', 'site'] };
    await store.upsert('counters', ['day', 'site', 'jobs'], [['2024-03-01', 'FNAL', 2]], options);
    await store.upsert('counters', ['day', 'site', 'jobs'], [['2024-03-01', 'FNAL', 7]], options);
    expect(await store.query('SELECT jobs FROM counters')).toEqual([{ jobs: 7 }]);
  });

  it('upsert with every column kept leaves a re-sent row as it was', async () => {
    const { store } = fresh();
    await clear();
    const options = { key: ['n'], update: { label: 'keep' } } as const;
    await store.upsert('events', ['n', 'label'], [[1, 'original']], options);
    await store.upsert('events', ['n', 'label'], [[1, 'resent'], [2, 'new']], options);
    expect(await store.query('SELECT n, label FROM events ORDER BY n')).toEqual([
      { n: 1, label: 'original' },
      { n: 2, label: 'new' },
    ]);
  });

  it('a batch re-sent whole never duplicates, and sums its measures once per sending', async () => {
    const { store } = fresh();
    await clear();
    const sites = ['FNAL', 'UCSD', 'Nebraska'];
    const batch = Array.from({ length: 1_500 }, (_, i) => {
      const day = `2024-01-${String(1 + (i % 28)).padStart(2, '0')}`;
      return [day, `${sites[i % 3]}-${Math.floor(i / 84)}`, 1, 0.5, null, 'x'];
    });
    await store.upsert('counters', COUNTER_COLUMNS, batch, byKey);
    await store.upsert('counters', COUNTER_COLUMNS, batch, byKey);
    expect(await store.query('SELECT count(*) AS n, sum(jobs) AS jobs, sum(hours) AS hours, min(jobs) AS least FROM counters')).toEqual([
      { n: 1_500, jobs: 3_000, hours: 1_500, least: 2 },
    ]);
  });

  it('two rows with the same key in one batch end up as one row holding their sum', async () => {
    const { store } = fresh();
    await clear();
    await store.upsert(
      'counters',
      COUNTER_COLUMNS,
      [
        ['2024-03-02', 'UCSD', 1, 1, 'a', 'first'],
        ['2024-03-02', 'UCSD', 2, 2, 'b', 'second'],
      ],
      byKey,
    );
    expect(await store.query('SELECT jobs, hours, note, first_seen FROM counters')).toEqual([{ jobs: 3, hours: 3, note: 'b', first_seen: 'first' }]);
  });

  it('upsert refuses a key column that is not among the inserted columns', async () => {
    await expect(fresh().store.upsert('counters', ['day', 'jobs'], [['2024-03-01', 1]], { key: ['day', 'site'] })).rejects.toThrow(
      /key column site is not among the inserted columns/,
    );
  });

  it('a statement error is an AppError naming the problem', async () => {
    const failure = await fresh().store.query('SELECT no_such_column FROM events').catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(AppError);
    expect((failure as AppError).message).toMatch(/no_such_column/);
  });
});

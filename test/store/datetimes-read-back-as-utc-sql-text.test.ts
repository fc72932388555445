/** Contract: DATETIME reads back as `YYYY-MM-DD HH:MM:SS` UTC text and DATE as `YYYY-MM-DD`, however it was written. */
import { describe, expect, it } from 'vitest';
import type { Migration, SqlValue } from '../../store/index.js';
import { testBackends } from '../support/stores.js';
import { useFreshStore } from './support/fresh-store.js';

const schema: Migration[] = [
  {
    stage: 'times',
    version: 1,
    name: 'moments',
    steps: [
      {
        createTable: {
          name: 'moments',
          columns: [
            { name: 'id', type: 'int', notNull: true },
            { name: 'at', type: 'datetime' },
            { name: 'day', type: 'date' },
          ],
          primaryKey: ['id'],
        },
      },
    ],
  },
];

const SQL_DATETIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

/** What is written, and what each backend must read back for the DATETIME and the DATE column. */
const WRITTEN: { what: string; value: SqlValue; at: string; day: string }[] = [
  { what: 'a Date', value: new Date(Date.UTC(2024, 1, 29, 23, 59, 58, 900)), at: '2024-02-29 23:59:58', day: '2024-02-29' },
  { what: 'canonical text', value: '2024-03-01 00:00:01', at: '2024-03-01 00:00:01', day: '2024-03-01' },
  { what: 'a bare date', value: '2024-03-02', at: '2024-03-02 00:00:00', day: '2024-03-02' },
  { what: 'ISO text with T', value: '2024-03-03T04:05:06', at: '2024-03-03 04:05:06', day: '2024-03-03' },
  { what: 'MySQL\'s relaxed text', value: '2024-3-4 4:5:6', at: '2024-03-04 04:05:06', day: '2024-03-04' },
  { what: 'fractional seconds', value: '2024-03-05 04:05:06.789', at: '2024-03-05 04:05:06', day: '2024-03-05' },
];

describe.each(testBackends())('DATETIME and DATE on $name', (backend) => {
  const fresh = useFreshStore(backend, { per: 'suite', migrations: schema });
  const rowsOf = (written: typeof WRITTEN) => written.map((w, id) => [id, w.value, w.value]);
  const expected = (written: typeof WRITTEN) => written.map((w, id) => ({ id, at: w.at, day: w.day }));

  it.each(['insertMany', 'upsert'] as const)('%s stores every accepted spelling as MySQL does', async (how) => {
    const { store } = fresh();
    await store.execute('DELETE FROM moments');
    if (how === 'insertMany') await store.insertMany('moments', ['id', 'at', 'day'], rowsOf(WRITTEN));
    else await store.upsert('moments', ['id', 'at', 'day'], rowsOf(WRITTEN), { key: ['id'] });
    expect(await store.query('SELECT id, at, day FROM moments ORDER BY id')).toEqual(expected(WRITTEN));
  });

  it.each(['2024-03-04T04:05:06Z', '2024-03-04 04:05:06+02:00', '2024-02-30', '2023-02-29 12:00:00', 'yesterday', ''])(
    'refuses %j as MySQL does, storing nothing of the batch',
    async (text) => {
      const { store } = fresh();
      await store.execute('DELETE FROM moments');
      await expect(store.insertMany('moments', ['id', 'at'], [[1, '2024-01-01 00:00:00'], [2, text]])).rejects.toThrow(/Incorrect datetime value/);
      expect(await store.query('SELECT count(*) AS n FROM moments')).toEqual([{ n: 0 }]);
    },
  );

  it('execute stores Dates and canonical text as UTC SQL text', async () => {
    const { store } = fresh();
    await store.execute('DELETE FROM moments');
    const [asDate, asText] = WRITTEN;
    await store.execute('INSERT INTO moments (id, at, day) VALUES (?, ?, ?)', [0, asDate!.value, '2024-02-29']);
    await store.execute('INSERT INTO moments (id, at, day) VALUES (?, ?, ?)', [1, asText!.value, '2024-03-01']);
    expect(await store.query('SELECT id, at, day FROM moments ORDER BY id')).toEqual(expected([asDate!, asText!]));
  });

  it('range comparisons with text or Date bounds see every row as MySQL does', async () => {
    const { store } = fresh();
    await store.execute('DELETE FROM moments');
    await store.insertMany('moments', ['id', 'at', 'day'], rowsOf(WRITTEN));
    const between = async (from: SqlValue, to: SqlValue) =>
      (await store.query<{ id: number }>('SELECT id FROM moments WHERE at >= ? AND at < ? ORDER BY id', [from, to])).map((r) => r.id);
    expect(await between('2024-03-02 00:00:00', '2024-03-04 04:05:06')).toEqual([2, 3]);
    expect(await between(new Date(Date.UTC(2024, 2, 3, 4, 5, 6)), new Date(Date.UTC(2024, 2, 6)))).toEqual([3, 4, 5]);
    expect(await store.query('SELECT min(at) AS first, max(at) AS last, max(day) AS lastDay FROM moments')).toEqual([
      { first: '2024-02-29 23:59:58', last: '2024-03-05 04:05:06', lastDay: '2024-03-05' },
    ]);
  });

  it('NULL stays NULL', async () => {
    const { store } = fresh();
    await store.execute('DELETE FROM moments');
    await store.insertMany('moments', ['id', 'at', 'day'], [[1, null, null]]);
    expect(await store.query('SELECT at, day FROM moments')).toEqual([{ at: null, day: null }]);
  });

  it('NOW() and FROM_UNIXTIME() answer UTC SQL text', async () => {
    const [row] = await fresh().store.query<{ now: string; epoch: string }>('SELECT now() AS now, from_unixtime(0) AS epoch');
    expect(row!.now).toMatch(SQL_DATETIME);
    expect(Math.abs(Date.parse(row!.now.replace(' ', 'T') + 'Z') - Date.now())).toBeLessThan(60_000);
    expect(row!.epoch).toBe('1970-01-01 00:00:00');
  });
});

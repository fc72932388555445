/** Contract: insertNew stores only rows whose keys are new and says per row which those were, on every backend. */
import { describe, expect, it } from 'vitest';
import type { Migration } from '../../store/index.js';
import { testBackends } from '../support/stores.js';
import { useFreshStore } from './support/fresh-store.js';

const schema: Migration[] = [
  {
    stage: 'insert-new',
    version: 1,
    name: 'records and summary',
    steps: [
      {
        createTable: {
          name: 'records',
          columns: [
            { name: 'id', type: 'bigint', autoIncrement: true },
            { name: 'record_key', type: 'varchar', length: 64, notNull: true, binary: true },
            { name: 'hours', type: 'double', notNull: true },
            { name: 'day', type: 'date', notNull: true },
          ],
          indexes: [{ name: 'key', columns: ['record_key'], unique: true }],
        },
      },
    ],
  },
];

describe.each(testBackends())('insertNew on $name', (backend) => {
  const fresh = useFreshStore(backend, { per: 'suite', migrations: schema });

  it('flags new rows true and rows with a stored or repeated key false, storing only the new ones', async () => {
    const { store } = fresh();
    await store.execute('DELETE FROM records');
    expect(await store.insertNew('records', ['record_key', 'hours', 'day'], [['a', 1, '2026-01-01'], ['b', 2, '2026-01-01']])).toEqual([true, true]);
    const flags = await store.insertNew('records', ['record_key', 'hours', 'day'], [
      ['b', 20, '2026-01-02'],
      ['c', 3, '2026-01-02'],
      ['c', 30, '2026-01-03'],
      ['A', 4, '2026-01-02'],
    ]);
    expect(flags).toEqual([false, true, false, true]);
    expect(await store.query('SELECT record_key, hours, day FROM records ORDER BY id')).toEqual([
      { record_key: 'a', hours: 1, day: '2026-01-01' },
      { record_key: 'b', hours: 2, day: '2026-01-01' },
      { record_key: 'c', hours: 3, day: '2026-01-02' },
      { record_key: 'A', hours: 4, day: '2026-01-02' },
    ]);
  });

  it('inside a transaction, "insert if new, then add to the summary" adds each record once', async () => {
    const { store } = fresh();
    await store.execute('DELETE FROM records');
    const addNew = (rows: [string, number, string][]) =>
      store.transaction(async (tx) => {
        const flags = await tx.insertNew('records', ['record_key', 'hours', 'day'], rows);
        return rows.filter((_, i) => flags[i]).reduce((sum, r) => sum + r[1], 0);
      });
    expect(await addNew([['x', 5, '2026-02-01'], ['y', 6, '2026-02-01']])).toBe(11);
    expect(await addNew([['x', 5, '2026-02-01'], ['z', 7, '2026-02-01']])).toBe(7);
    expect(await store.insertNew('records', ['record_key', 'hours', 'day'], [])).toEqual([]);
  });

  it('a row that breaks another constraint still fails, and the whole call with it', async () => {
    const { store } = fresh();
    await store.execute('DELETE FROM records');
    await expect(store.insertNew('records', ['record_key', 'hours', 'day'], [['ok', 1, '2026-03-01'], ['bad', null, '2026-03-01']])).rejects.toThrow();
    expect(await store.query('SELECT record_key FROM records')).toEqual([]);
  });
});

/** MariaDB: a transaction chosen as a deadlock victim (errno 1213) is rolled back and run again, and both sides commit. */
import { describe, expect, it } from 'vitest';
import type { Migration } from '../../store/index.js';
import { testBackends } from '../support/stores.js';
import { useFreshStore } from './support/fresh-store.js';

const schema: Migration[] = [
  {
    stage: 'deadlock',
    version: 1,
    name: 'accounts',
    steps: [{ createTable: { name: 'accounts', columns: [{ name: 'id', type: 'int', notNull: true }, { name: 'balance', type: 'int', notNull: true }], primaryKey: ['id'] } }],
  },
];

const mysqlOnly = testBackends().filter((b) => b.name === 'mysql');

describe.each(mysqlOnly)('lock conflicts on $name', (backend) => {
  const fresh = useFreshStore(backend, { per: 'suite', migrations: schema });

  it('two transactions locking two rows in opposite order both commit; the victim ran twice', async () => {
    const { store } = fresh();
    await store.execute('DELETE FROM accounts');
    await store.insertMany('accounts', ['id', 'balance'], [[1, 100], [2, 100]]);
    // Each side locks its first row, waits until the other has too, then asks for the other's row: a real deadlock.
    let locked = 0;
    let bothLocked!: () => void;
    const barrier = new Promise<void>((r) => (bothLocked = r));
    const runs = { a: 0, b: 0 };
    const transfer = (side: 'a' | 'b', first: number, second: number) =>
      store.transaction(async (tx) => {
        runs[side]++;
        await tx.execute('UPDATE accounts SET balance = balance - 10 WHERE id = ?', [first]);
        if (runs[side] === 1 && ++locked === 2) bothLocked();
        if (runs[side] === 1) await barrier;
        await tx.execute('UPDATE accounts SET balance = balance + 10 WHERE id = ?', [second]);
        return side;
      });
    expect(await Promise.all([transfer('a', 1, 2), transfer('b', 2, 1)])).toEqual(['a', 'b']);
    expect(runs.a + runs.b).toBe(3);
    expect(await store.query('SELECT id, balance FROM accounts ORDER BY id')).toEqual([{ id: 1, balance: 100 }, { id: 2, balance: 100 }]);
  });
});

if (!mysqlOnly.length) describe.skip('lock conflicts (needs MariaDB: APPLIANCE_TEST_MYSQL)', () => it('is skipped', () => undefined));

/** Contract: a transaction commits or rolls back as a whole, and calls made beside it are never caught up in it. */
import { describe, expect, it } from 'vitest';
import { AppError } from '../../common/index.js';
import type { Migration } from '../../store/index.js';
import { testBackends } from '../support/stores.js';
import { useFreshStore } from './support/fresh-store.js';

const schema: Migration[] = [
  {
    stage: 'tx',
    version: 1,
    name: 'ledger',
    steps: [
      {
        createTable: {
          name: 'ledger',
          columns: [
            { name: 'entry', type: 'varchar', length: 64, notNull: true },
            { name: 'amount', type: 'int', notNull: true },
          ],
          primaryKey: ['entry'],
        },
      },
      { createTable: { name: 'counter', columns: [{ name: 'id', type: 'int', notNull: true }, { name: 'n', type: 'int', notNull: true }], primaryKey: ['id'] } },
    ],
  },
];

/** A promise the test resolves by hand, to hold a transaction open at a known point. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

class Abort extends Error {}

describe.each(testBackends())('transactions on $name', (backend) => {
  const fresh = useFreshStore(backend, { per: 'suite', migrations: schema });
  const entries = async () => (await fresh().store.query<{ entry: string }>('SELECT entry FROM ledger ORDER BY entry')).map((r) => r.entry);
  const reset = async () => {
    await fresh().store.execute('DELETE FROM ledger');
    await fresh().store.execute('DELETE FROM counter');
  };

  it('commits every write and returns what the function returned', async () => {
    const { store } = fresh();
    await reset();
    const result = await store.transaction(async (tx) => {
      await tx.execute('INSERT INTO ledger (entry, amount) VALUES (?, ?)', ['a', 1]);
      await tx.insertMany('ledger', ['entry', 'amount'], [['b', 2], ['c', 3]]);
      await tx.upsert('ledger', ['entry', 'amount'], [['a', 10]], { key: ['entry'], update: { amount: 'sum' } });
      return (await tx.query<{ total: number }>('SELECT sum(amount) AS total FROM ledger'))[0]!.total;
    });
    expect(result).toBe(16);
    expect(await store.query('SELECT entry, amount FROM ledger ORDER BY entry')).toEqual([
      { entry: 'a', amount: 11 },
      { entry: 'b', amount: 2 },
      { entry: 'c', amount: 3 },
    ]);
  });

  it('rolls back every write when the function throws, and rethrows the same error', async () => {
    const { store } = fresh();
    await reset();
    await store.execute('INSERT INTO ledger (entry, amount) VALUES (?, ?)', ['before', 1]);
    const thrown = new Abort('changed my mind');
    const failure = await store
      .transaction(async (tx) => {
        await tx.execute('INSERT INTO ledger (entry, amount) VALUES (?, ?)', ['x', 1]);
        await tx.insertMany('ledger', ['entry', 'amount'], [['y', 2]]);
        await tx.upsert('ledger', ['entry', 'amount'], [['before', 5]], { key: ['entry'], update: { amount: 'sum' } });
        await tx.execute('DELETE FROM ledger WHERE entry = ?', ['before']);
        throw thrown;
      })
      .catch((err: unknown) => err);
    expect(failure).toBe(thrown);
    expect(await store.query('SELECT entry, amount FROM ledger')).toEqual([{ entry: 'before', amount: 1 }]);
  });

  it('rolls back when a statement inside fails, and reports the failure as an AppError', async () => {
    const { store } = fresh();
    await reset();
    const failure = await store
      .transaction(async (tx) => {
        await tx.execute('INSERT INTO ledger (entry, amount) VALUES (?, ?)', ['x', 1]);
        await tx.execute('INSERT INTO ledger (entry, amount) VALUES (?, ?)', ['x', 2]);
      })
      .catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(AppError);
    expect((failure as AppError).code).toBe('conflict');
    expect(await entries()).toEqual([]);
  });

  it('a call made beside an open transaction is not rolled back with it', async () => {
    const { store } = fresh();
    await reset();
    const inside = gate();
    const held = gate();
    const tx = store.transaction(async (t) => {
      await t.execute('INSERT INTO ledger (entry, amount) VALUES (?, ?)', ['inside', 1]);
      inside.open();
      await held.opened;
      throw new Abort('roll back');
    });
    await inside.opened;
    const beside = store.execute('INSERT INTO ledger (entry, amount) VALUES (?, ?)', ['beside', 1]);
    // Give the call beside every chance to run (and to run inside the transaction) before it rolls back.
    await new Promise((resolve) => setTimeout(resolve, 50));
    held.open();
    await expect(tx).rejects.toBeInstanceOf(Abort);
    expect((await beside).changes).toBe(1);
    expect(await entries()).toEqual(['beside']);
  });

  it.runIf(backend.name === 'sqlite')('on one SQLite connection, a call made beside an open transaction waits until it ends', async () => {
    const { store } = fresh();
    await reset();
    const inside = gate();
    const held = gate();
    const order: string[] = [];
    const tx = store.transaction(async (t) => {
      await t.execute('INSERT INTO ledger (entry, amount) VALUES (?, ?)', ['inside', 1]);
      inside.open();
      await held.opened;
      // Had the call beside run on the shared connection, the transaction would see its row here.
      order.push(`tx sees ${(await t.query('SELECT entry FROM ledger ORDER BY entry')).map((r) => r.entry as string).join(',')}`);
    });
    await inside.opened;
    const beside = store.insertMany('ledger', ['entry', 'amount'], [['beside', 1]]).then(() => order.push('beside ran'));
    const read = store.query('SELECT count(*) AS n FROM ledger').then((rows) => order.push(`read ${rows[0]!.n as number}`));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(order).toEqual([]);
    held.open();
    await Promise.all([tx, beside, read]);
    expect(order).toEqual(['tx sees inside', 'beside ran', 'read 2']);
  });

  it('a call queued behind one transaction does not slip into the next one when that rolls back', async () => {
    const { store } = fresh();
    await reset();
    const held = gate();
    const first = store.transaction(async (tx) => {
      await held.opened;
      await tx.execute('INSERT INTO ledger (entry, amount) VALUES (?, ?)', ['first', 1]);
    });
    const beside = store.execute('INSERT INTO ledger (entry, amount) VALUES (?, ?)', ['beside', 1]);
    const second = store.transaction(async (tx) => {
      await tx.execute('INSERT INTO ledger (entry, amount) VALUES (?, ?)', ['second', 1]);
      await new Promise((resolve) => setTimeout(resolve, 20));
      throw new Abort('roll back the second');
    });
    held.open();
    await first;
    await expect(second).rejects.toBeInstanceOf(Abort);
    await beside;
    expect(await entries()).toEqual(['beside', 'first']);
  });

  it('concurrent transactions each commit; none is lost', async () => {
    const { store } = fresh();
    await reset();
    await store.execute('INSERT INTO counter (id, n) VALUES (1, 0)');
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        store.transaction(async (tx) => {
          await tx.execute('UPDATE counter SET n = n + 1 WHERE id = 1');
          await tx.execute('INSERT INTO ledger (entry, amount) VALUES (?, ?)', [`t${i}`, i]);
        }),
      ),
    );
    expect(await store.query('SELECT n FROM counter')).toEqual([{ n: 10 }]);
    expect(await store.query('SELECT count(*) AS n, sum(amount) AS total FROM ledger')).toEqual([{ n: 10, total: 45 }]);
  });

  it('a transaction that failed leaves the store usable for the next one', async () => {
    const { store } = fresh();
    await reset();
    await expect(store.transaction(() => Promise.reject(new Abort('no')))).rejects.toBeInstanceOf(Abort);
    await store.transaction((tx) => tx.execute('INSERT INTO ledger (entry, amount) VALUES (?, ?)', ['after', 1]));
    expect(await entries()).toEqual(['after']);
  });
});

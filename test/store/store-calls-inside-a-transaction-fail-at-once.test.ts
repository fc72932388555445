/** Contract: inside store.transaction, calling the store instead of the handle is an immediate clear error, on every backend. */
import { describe, expect, it } from 'vitest';
import { AppError } from '../../common/index.js';
import type { Migration } from '../../store/index.js';
import { testBackends } from '../support/stores.js';
import { useFreshStore } from './support/fresh-store.js';

const schema: Migration[] = [
  { stage: 'misuse', version: 1, name: 'notes', steps: [{ createTable: { name: 'notes', columns: [{ name: 'n', type: 'int', notNull: true }], primaryKey: ['n'] } }] },
];

/** Settles with what `p` did, or with 'still waiting' after `ms`: a hang must fail the test, not time it out. */
const within = <T>(p: Promise<T>, ms = 2_000) =>
  Promise.race([p.then((value) => ({ value }), (error: unknown) => ({ error })), new Promise<'still waiting'>((r) => setTimeout(() => r('still waiting'), ms))]);

describe.each(testBackends())('store calls inside a transaction on $name', (backend) => {
  const fresh = useFreshStore(backend, { per: 'suite', migrations: schema });

  it.each([
    ['query', (s: ReturnType<typeof fresh>['store']) => s.query('SELECT n FROM notes')],
    ['execute', (s: ReturnType<typeof fresh>['store']) => s.execute('INSERT INTO notes (n) VALUES (?)', [2])],
    ['insertMany', (s: ReturnType<typeof fresh>['store']) => s.insertMany('notes', ['n'], [[3]])],
    ['transaction', (s: ReturnType<typeof fresh>['store']) => s.transaction((tx) => tx.execute('INSERT INTO notes (n) VALUES (?)', [4]))],
  ] as const)('store.%s inside the callback fails at once with an internal error naming the call', async (call, misuse) => {
    const { store } = fresh();
    await store.execute('DELETE FROM notes');
    const outcome = await within(
      store.transaction(async (tx) => {
        await tx.execute('INSERT INTO notes (n) VALUES (?)', [1]);
        const inner = await misuse(store).then(() => 'ran', (err: unknown) => err);
        return inner;
      }),
    );
    expect(outcome).not.toBe('still waiting');
    const inner = (outcome as { value: unknown }).value;
    expect(inner).toBeInstanceOf(AppError);
    expect((inner as AppError).code).toBe('internal');
    expect((inner as AppError).message).toContain(`store.${call}()`);
    expect((inner as AppError).message).toContain('transaction handle');
    // The misused call wrote nothing anywhere; the transaction's own write committed.
    expect(await store.query('SELECT n FROM notes ORDER BY n')).toEqual([{ n: 1 }]);
  });

  it('the handle names its backend', async () => {
    const { store } = fresh();
    expect(await store.transaction(async (tx) => tx.backend)).toBe(store.backend);
  });

  it('work that outlives its transaction may use the store again', async () => {
    const { store } = fresh();
    await store.execute('DELETE FROM notes');
    let later: Promise<unknown> | undefined;
    await store.transaction(async (tx) => {
      await tx.execute('INSERT INTO notes (n) VALUES (?)', [7]);
      later = new Promise((r) => setImmediate(r)).then(() => store.query('SELECT n FROM notes'));
    });
    await new Promise((r) => setTimeout(r, 20));
    expect(await later).toEqual([{ n: 7 }]);
  });
});

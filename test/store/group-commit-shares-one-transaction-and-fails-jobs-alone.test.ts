/** Group commit: jobs that arrive together share one transaction, each gets its own result, and one failing job fails alone. */
import { describe, expect, it } from 'vitest';
import { createGroupCommit, type Migration, type Store } from '../../store/index.js';
import { testBackends } from '../support/stores.js';
import { useFreshStore } from './support/fresh-store.js';

const schema: Migration[] = [
  {
    stage: 'group_commit',
    version: 1,
    name: 'entries',
    steps: [{ createTable: { name: 'gc_entries', columns: [{ name: 'entry', type: 'varchar', length: 64, notNull: true }], primaryKey: ['entry'] } }],
  },
];

/** The store, counting the transactions it was asked for. */
function counted(store: Store): { store: Pick<Store, 'transaction'>; transactions: () => number } {
  let n = 0;
  return {
    store: { transaction: (fn) => (n++, store.transaction(fn)) },
    transactions: () => n,
  };
}

class Refused extends Error {}

describe.each(testBackends())('group commit on $name', (backend) => {
  const fresh = useFreshStore(backend, { per: 'test', migrations: schema });
  const entries = async () => (await fresh().store.query<{ entry: string }>('SELECT entry FROM gc_entries ORDER BY entry')).map((r) => r.entry);

  it('runs jobs that arrive together in one transaction, each resolving with its own result', async () => {
    const c = counted(fresh().store);
    const commits = createGroupCommit(c.store);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        commits.run(async (tx) => {
          await tx.execute('INSERT INTO gc_entries (entry) VALUES (?)', [`e${String(i).padStart(2, '0')}`]);
          return i * 10;
        }),
      ),
    );
    expect(results).toEqual(Array.from({ length: 20 }, (_, i) => i * 10));
    expect(c.transactions()).toBe(1);
    expect(await entries()).toHaveLength(20);
  });

  it('runs a shared transaction that failed again job by job: the failing job alone is refused, the others commit', async () => {
    const c = counted(fresh().store);
    const commits = createGroupCommit(c.store);
    const outcomes = await Promise.allSettled(
      ['a', 'b', 'c'].map((entry) =>
        commits.run(async (tx) => {
          await tx.execute('INSERT INTO gc_entries (entry) VALUES (?)', [entry]);
          if (entry === 'b') throw new Refused('b is refused');
          return entry;
        }),
      ),
    );
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((outcomes[1] as PromiseRejectedResult).reason).toBeInstanceOf(Refused);
    // The shared one, then one each.
    expect(c.transactions()).toBe(4);
    expect(await entries()).toEqual(['a', 'c']);
  });

  it('takes jobs that arrive while a transaction runs into the next one, at most maxJobs at a time', async () => {
    const c = counted(fresh().store);
    const commits = createGroupCommit(c.store, { maxJobs: 4 });
    const job = (entry: string) => commits.run(async (tx) => tx.execute('INSERT INTO gc_entries (entry) VALUES (?)', [entry]));
    await Promise.all(Array.from({ length: 10 }, (_, i) => job(`x${i}`)));
    expect(c.transactions()).toBe(3);
    await job('y');
    expect(c.transactions()).toBe(4);
    expect(await entries()).toHaveLength(11);
  });
});

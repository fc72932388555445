/** schemaVersion() only reads: without the migrations table it reports nothing applied and creates no table, on every backend. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../store/index.js';
import { testBackends } from '../support/stores.js';

const tableExists = async (store: Store): Promise<boolean> => {
  const sql = store.backend === 'sqlite'
    ? "SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"
    : "SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = 'schema_migrations'";
  const [row] = await store.query<{ n: number }>(sql);
  return Number(row!.n) > 0;
};

describe.each(testBackends())('schemaVersion on $name', (backend) => {
  let store: Store;
  let dispose: () => Promise<void>;
  beforeAll(async () => {
    const db = await backend.create();
    dispose = db.dispose;
    store = db.open();
  });
  afterAll(async () => {
    await store.close();
    await dispose();
  });

  it('reports no migrations on an empty database and leaves it without a migrations table', async () => {
    expect(await store.schemaVersion()).toMatchObject({ total: 0 });
    expect(await tableExists(store)).toBe(false);
  });

  it('reports what migrate applied', async () => {
    await store.migrate([{ stage: 'probe', version: 1, name: 'one table', steps: [{ createTable: { name: 'probe_t', columns: [{ name: 'id', type: 'int' }] } }] }]);
    expect(await store.schemaVersion()).toMatchObject({ total: 1, stages: { probe: 1 } });
  });
});

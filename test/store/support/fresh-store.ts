/** A fresh, empty database per test (or per suite) on one backend, opened as a store and dropped afterwards. */
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import type { Migration, Store, StoreConnection } from '../../../store/index.js';
import type { TestBackend } from '../../support/stores.js';

export interface FreshStore {
  /** The store the test works with. */
  readonly store: Store;
  readonly connection: StoreConnection;
  /** Opens another store on the same database (closed with the fixture). */
  readonly openAnother: () => Store;
}

export interface FreshStoreOptions {
  /** `test` for a new database per test (migration tests), `suite` to share one across a describe block. */
  per: 'test' | 'suite';
  /** Applied right after the database is created. */
  migrations?: readonly Migration[];
}

/**
 * Registers the hooks that create and dispose of the database; call it inside a `describe`.
 * Returns an accessor, because the store only exists once the hooks have run.
 */
export function useFreshStore(backend: TestBackend, options: FreshStoreOptions): () => FreshStore {
  let current: FreshStore | undefined;
  let extra: Store[] = [];
  let dispose: (() => Promise<void>) | undefined;

  const setUp = async () => {
    const db = await backend.create();
    dispose = db.dispose;
    const store = db.open();
    if (options.migrations) await store.migrate(options.migrations);
    current = {
      store,
      connection: db.connection,
      openAnother: () => {
        const another = db.open();
        extra.push(another);
        return another;
      },
    };
  };
  const tearDown = async () => {
    const stores = current ? [current.store, ...extra] : extra;
    current = undefined;
    extra = [];
    await Promise.all(stores.map((s) => s.close().catch(() => undefined)));
    await dispose?.();
    dispose = undefined;
  };

  if (options.per === 'test') {
    beforeEach(setUp);
    afterEach(tearDown);
  } else {
    beforeAll(setUp);
    afterAll(tearDown);
  }
  return () => {
    if (!current) throw new Error('the fresh store is only available inside a test');
    return current;
  };
}

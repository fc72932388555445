/** A suite's store with the queue and Nagios-bridge migrations, and bridges built on it that are stopped after the suite. */
import { afterAll, beforeAll } from 'vitest';
import { createNagiosBridge, nagiosBridgeMigrations, type NagiosBridge, type NagiosBridgeOptions } from '../../../nagios-bridge/index.js';
import { queueMigrations } from '../../../queue/index.js';
import type { Store } from '../../../store/index.js';
import type { TestBackend } from '../../support/stores.js';

export interface BridgeStore {
  /** The suite's store (after its beforeAll). */
  store(): Store;
  /** A bridge on the suite's store (not started), stopped with the suite. */
  bridge: (options: Omit<NagiosBridgeOptions, 'store'>) => NagiosBridge;
}

/** Call inside a `describe`: opens a fresh database of `backend` before the suite, and closes it after. */
export function useBridgeStore(backend: TestBackend): BridgeStore {
  let store: Store | undefined;
  let dispose: (() => Promise<void>) | undefined;
  const bridges: NagiosBridge[] = [];
  beforeAll(async () => {
    const db = await backend.create();
    store = db.open();
    dispose = db.dispose;
    await store.migrate([...queueMigrations, ...nagiosBridgeMigrations]);
  });
  afterAll(async () => {
    for (const b of bridges) await b.stop();
    await store?.close();
    await dispose?.();
  });
  return {
    store: () => store!,
    bridge: (options) => {
      const b = createNagiosBridge({ store: store!, ...options });
      bridges.push(b);
      return b;
    },
  };
}

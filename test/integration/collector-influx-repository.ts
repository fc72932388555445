/** The monitoring repository the export and sensor-agent suites write to and read from: the collector's own, on a real store. */
import { accessMigrations, createAccess, usersClassType } from '../../access/index.js';
import { collectorMigrations, createCollector, defaultCollectorSettings, type MonitoringRepository } from '../../collector/index.js';
import { influxExportMigrations } from '../../collector/index.js';
import { cursorMigrations } from '../../queue/index.js';
import type { Store } from '../../store/index.js';
import type { TestBackend } from '../support/stores.js';

export type { SampleInput, StoredSample } from '../../collector/index.js';

export interface TestRepository {
  repository: MonitoringRepository;
  /** Waits for queued writes and stops the collector (call before closing the store). */
  stop(): Promise<void>;
}

/** Migrates the store for the collector and opens its repository (unknown metrics auto-declared, no clean-up timer). */
export async function openTestRepository(store: Store): Promise<TestRepository> {
  await store.migrate([...accessMigrations, ...collectorMigrations]);
  const access = createAccess({ store, settings: usersClassType.defaults() });
  const collector = createCollector({ store, access, settings: defaultCollectorSettings(), cleanUpIntervalMs: 0 });
  return { repository: collector.repository, stop: () => collector.stop() };
}

/** A fresh database on `backend`, migrated for the export, with the collector's repository over it. */
export interface ExportTestDatabase {
  store: Store;
  samples: MonitoringRepository;
  /** Stops the repository, closes the store and drops the database. */
  close(): Promise<void>;
}

export async function openExportTestDatabase(backend: TestBackend): Promise<ExportTestDatabase> {
  const db = await backend.create();
  const store = db.open();
  await store.migrate([...cursorMigrations, ...influxExportMigrations]);
  const repo = await openTestRepository(store);
  return {
    store,
    samples: repo.repository,
    close: async () => {
      await repo.stop();
      await store.close();
      await db.dispose();
    },
  };
}

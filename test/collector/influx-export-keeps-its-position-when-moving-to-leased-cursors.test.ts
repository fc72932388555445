/**
 * Upgrading a store whose export cursors are in the old owner-less table: migration influx_export 2 moves each
 * position into the leased cursors (the export then resumes there, sending nothing twice) and keeps the old rows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cursorMigrations } from '../../queue/index.js';
import type { Store } from '../../store/index.js';
import { testBackends } from '../support/stores.js';
import { influxExportMigrations, LEGACY_CURSOR_TABLE, loadCursorForTests } from './influx-export-support.js';

describe.each(testBackends())('the export cursor migration on $name', (backend) => {
  let store: Store;
  let dispose: () => Promise<void>;
  beforeAll(async () => {
    const db = await backend.create();
    store = db.open();
    dispose = db.dispose;
  });
  afterAll(async () => {
    await store?.close();
    await dispose?.();
  });

  it('copies every stored position into a leased cursor of the same export, and drops nothing', async () => {
    // The schema as the previous release left it: export cursors in their own table, no leased cursors.
    await store.migrate(influxExportMigrations.filter((m) => m.version === 1));
    await store.execute(`INSERT INTO ${LEGACY_CURSOR_TABLE} (name, last_id, updated_at) VALUES (?, ?, ?), (?, ?, ?)`, [
      'grafana', 123456, '2025-01-02 03:04:05', 'Archive', 7, '2025-01-02 03:04:06',
    ]);

    const report = await store.migrate([...cursorMigrations, ...influxExportMigrations]);
    expect(report.applied.map((m) => `${m.stage} ${m.version}`)).toEqual(['queue_cursors 1', 'influx_export 2']);
    expect(await loadCursorForTests(store, 'grafana')).toBe(123456);
    // Names keep their case: the cursor table compares them exactly.
    expect(await loadCursorForTests(store, 'Archive')).toBe(7);
    expect(await loadCursorForTests(store, 'archive')).toBe(0);
    const rows = await store.query<{ name: string; owner: string | null; lease_until: number | string }>('SELECT name, owner, lease_until FROM cursors ORDER BY name');
    // Copied unheld: the first appliance to start takes the lease.
    expect(rows.map((r) => [r.name, r.owner, Number(r.lease_until)])).toEqual([['influx_export/Archive', null, 0], ['influx_export/grafana', null, 0]]);
    expect(Number((await store.query<{ n: number }>(`SELECT count(*) AS n FROM ${LEGACY_CURSOR_TABLE}`))[0]!.n)).toBe(2);
  });
});

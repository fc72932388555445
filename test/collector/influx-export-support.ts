/** The export's public API plus a way to read a cursor back, for the influx-export tests. */
import { exportCursorName, influxExportMigrations } from '../../collector/influx-export/index.js';
import { createCursors, cursorMigrations } from '../../queue/index.js';
import type { Migration, Store } from '../../store/index.js';

export * from '../../collector/influx-export/index.js';

/** What the export needs migrated: the leased cursors, then the export's own stage. */
export const exportTestMigrations: readonly Migration[] = [...cursorMigrations, ...influxExportMigrations];

/** The stored cursor position of export `name` (0 when there is none). */
export async function loadCursorForTests(store: Store, name: string): Promise<number> {
  return (await createCursors(store).read(exportCursorName(name)))?.position ?? 0;
}

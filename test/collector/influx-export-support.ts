/** The export's public API plus a way to read a cursor back, for the influx-export tests. */
import { CURSOR_TABLE } from '../../collector/influx-export/index.js';
import type { Store } from '../../store/index.js';

export * from '../../collector/influx-export/index.js';

/** The stored cursor of export `name` (0 when there is none). */
export async function loadCursorForTests(store: Store, name: string): Promise<number> {
  const rows = await store.query<{ last_id: number }>(`SELECT last_id FROM ${CURSOR_TABLE} WHERE name = ?`, [name]);
  return rows[0] ? Number(rows[0].last_id) : 0;
}

/** The persistent export cursor: read at start, written only after the server acknowledged a batch. */
import { toSqlDateTime } from '../../common/index.js';
import type { Queryable } from '../../store/index.js';
import { CURSOR_TABLE } from './export-schema.js';

/** What the cursor needs of the store. */
export type CursorStore = Pick<Queryable, 'query' | 'upsert'>;

/** The id of the last sample export `name` has delivered (0: none yet, so everything stored is exported). */
export async function loadCursor(store: CursorStore, name: string): Promise<number> {
  const rows = await store.query<{ last_id: number | string | bigint }>(`SELECT last_id FROM ${CURSOR_TABLE} WHERE name = ?`, [name]);
  return rows[0] ? Number(rows[0].last_id) : 0;
}

export async function saveCursor(store: CursorStore, name: string, lastId: number, now: Date): Promise<void> {
  await store.upsert(CURSOR_TABLE, ['name', 'last_id', 'updated_at'], [[name, lastId, toSqlDateTime(now)]], { key: ['name'] });
}

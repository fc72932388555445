/** The leased cursors' table (stage `queue_cursors`): one row per named consumer of a commit-ordered table. */
import type { Migration } from '../store/index.js';

/** The table holding every leased cursor. */
export const CURSORS_TABLE = 'cursors';

/**
 * Migrations of stage `queue_cursors` (the work queue's own tables are stage `queue`). Apply them before any stage
 * whose migrations move an older cursor into this table (the InfluxDB export's version 2 does).
 */
export const cursorMigrations: readonly Migration[] = [
  {
    stage: 'queue_cursors',
    version: 1,
    name: 'leased cursors',
    steps: [
      {
        createTable: {
          name: CURSORS_TABLE,
          columns: [
            { name: 'name', type: 'varchar', length: 190, notNull: true, binary: true },
            // The id of the last row the consumer has finished with (0: none yet).
            { name: 'position', type: 'bigint', notNull: true, default: 0 },
            { name: 'owner', type: 'varchar', length: 190, binary: true },
            // Milliseconds since the epoch: a lease is held while lease_until >= now (0: never held or released).
            { name: 'lease_until', type: 'bigint', notNull: true, default: 0 },
            { name: 'updated_at', type: 'datetime', notNull: true },
          ],
          primaryKey: ['name'],
        },
      },
    ],
  },
];

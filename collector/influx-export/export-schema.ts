/** The export's migrations: its first cursor table, and the move of those positions into the queue's leased cursors. */
import type { Migration } from '../../store/index.js';

/** The table of version 1 (one position per export, no owner); read once by version 2, no longer written. */
export const LEGACY_CURSOR_TABLE = 'influx_export_cursor';

/** The leased cursor an export named `name` tails the samples with. */
export function exportCursorName(name: string): string {
  return `influx_export/${name}`;
}

// Version 2 copies each position over unless the cursor exists already, so it is safe to run again on MySQL.
const copyPositions = (concat: string) =>
  `INSERT INTO cursors (name, position, owner, lease_until, updated_at)
   SELECT ${concat}, o.last_id, NULL, 0, o.updated_at FROM ${LEGACY_CURSOR_TABLE} o
   WHERE NOT EXISTS (SELECT 1 FROM cursors c WHERE c.name = ${concat})`;

/**
 * Migrations of stage `influx_export`. Version 2 needs the `cursors` table: apply the queue's `cursorMigrations`
 * before these, as the appliance's migration list does.
 */
export const influxExportMigrations: readonly Migration[] = [
  {
    stage: 'influx_export',
    version: 1,
    name: 'export cursors',
    steps: [
      {
        createTable: {
          name: LEGACY_CURSOR_TABLE,
          columns: [
            { name: 'name', type: 'varchar', length: 100, notNull: true, binary: true },
            { name: 'last_id', type: 'bigint', notNull: true },
            { name: 'updated_at', type: 'datetime', notNull: true },
          ],
          primaryKey: ['name'],
        },
      },
    ],
  },
  {
    stage: 'influx_export',
    version: 2,
    name: 'export positions move to leased cursors',
    steps: [{ sql: { sqlite: copyPositions(`'influx_export/' || o.name`), mysql: copyPositions(`CONCAT('influx_export/', o.name)`) } }],
  },
];
